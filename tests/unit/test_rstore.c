/* Tests of the registry's storage through struct rstore_ops (the SQLite backend; a second
 * backend is held to the same): a record once, a duplicate never a second row; answers as
 * rows with typed columns (no JSON made by the database); appointments paged by change
 * number; commands after a cursor until acknowledged; rows cleared when freed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rstore.h"
#include "rstore_tmp.h"
#include "seal.h"
#include <sys/stat.h>
#include <time.h>

static char dir[256];
static struct rstore *rs;

static int setup(void **state) {
    (void)state;
    rs = rstore_tmp_open(dir, "test_rstore");
    assert_string_equal(rs->ops->name, getenv("RSTORE_PG") ? "postgresql" : "sqlite");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return rstore_tmp_close(rs, dir);
}

static int col(const struct rstore_rows *r, const char *name) {
    for (int c = 0; c < r->ncols; c++)
        if (!strcmp(r->cols[c].name, name))
            return c;
    return -1;
}

static const char id1[] = "0190a0b0-0000-7000-8000-000000000001";

static void records(void **state) {
    (void)state;
    assert_int_equal(rstore_put(rs, id1, "application", "YT-1", "370602", "{\"a\":{\"name\":\"甲\"}}"),
                     RSTORE_ACCEPTED);
    assert_int_equal(rstore_put(rs, id1, "application", "YT-1", "370602", "{}"), RSTORE_DUPLICATE);
    assert_int_equal(rstore_count(rs), 1);
    struct rstore_rows *l = rstore_records_list(rs, NULL, NULL, 10);
    assert_non_null(l);
    assert_int_equal(l->nrows, 1);
    assert_int_equal(col(l, "payload"), -1); /* the list carries no personal data */
    assert_string_equal(rstore_cell(l, 0, col(l, "status")), "received");
    assert_int_equal(l->cols[col(l, "received")].type, RSTORE_INT);
    rstore_rows_free(l);
    struct rstore_rows *one = rstore_record(rs, id1, NULL);
    assert_int_equal(one->nrows, 1);
    int pc = col(one, "payload");
    assert_int_equal(one->cols[pc].type, RSTORE_JSON);
    assert_string_equal(rstore_cell(one, 0, pc), "{\"a\":{\"name\":\"甲\"}}"); /* as sent */
    rstore_rows_free(one);
    one = rstore_record(rs, "no-such-id", NULL);
    assert_int_equal(one->nrows, 0);
    rstore_rows_free(one);
    assert_int_equal(rstore_set_status(rs, id1, NULL, "accepted", NULL), 0);
    char st[32], why[RSTORE_REASON_MAX + 1];
    assert_int_equal(rstore_status(rs, "370602", "YT-1", id1, st, sizeof st, why, sizeof why), 0);
    assert_string_equal(st, "accepted");
    assert_string_equal(why, "");
    /* returned with the office's reason, which the kiosk's 办理进度 shows */
    assert_int_equal(rstore_set_status(rs, id1, NULL, "returned", "照片不合格，请重新拍摄"), 0);
    assert_int_equal(rstore_status(rs, "370602", "YT-1", id1, st, sizeof st, why, sizeof why), 0);
    assert_string_equal(st, "returned");
    assert_string_equal(why, "照片不合格，请重新拍摄");
    /* another office's kiosk is not told about this office's record */
    assert_int_equal(rstore_status(rs, "370699", "X-1", id1, st, sizeof st, why, sizeof why), 1);
    assert_int_equal(rstore_set_status(rs, "no-such-id", NULL, "accepted", NULL), 1);
}

/* A kiosk that sends another kiosk's record ids first (they are printed in receipts' QR
 * codes) takes nothing over: the owner's records are kept as it sent them, under its name,
 * and never answered "duplicate"; the squatter's stay its own, flagged, unseen by the owner's
 * office. */
static void records_bound_to_kiosk(void **state) {
    (void)state;
    static const char a1[] = "0190a0b0-0000-7000-8000-0000000000a1";
    static const char a2[] = "0190a0b0-0000-7000-8000-0000000000a2";
    struct rstore_record_in forged[] = {{a1, "checkin", "{\"who\":\"forged\"}", NULL, NULL, 0},
                                        {a2, "checkin", "{\"who\":\"forged\"}", NULL, NULL, 0}};
    enum rstore_result res[2];
    rstore_put_batch(rs, "EVIL-1", "370699", forged, 2, res);
    assert_int_equal(res[0], RSTORE_ACCEPTED); /* its own rows, under its own name */
    assert_int_equal(res[1], RSTORE_ACCEPTED);
    struct rstore_record_in mine[] = {{a1, "checkin", "{\"who\":\"A\"}", "divorce_final", "L001", 0},
                                      {a2, "checkin", "{\"who\":\"A\"}", NULL, NULL, 0}};
    rstore_put_batch(rs, "YT-A", "370602", mine, 2, res);
    assert_int_equal(res[0], RSTORE_ACCEPTED); /* not "duplicate": A's outbox keeps its truth */
    assert_int_equal(res[1], RSTORE_ACCEPTED);
    rstore_put_batch(rs, "YT-A", "370602", mine, 2, res);
    assert_int_equal(res[0], RSTORE_DUPLICATE); /* A's own retry */
    for (int i = 0; i < 2; i++) {
        struct rstore_rows *m = rstore_record(rs, i ? a2 : a1, "YT-A");
        assert_int_equal(m->nrows, 1);
        assert_string_equal(rstore_cell(m, 0, col(m, "payload")), "{\"who\":\"A\"}");
        assert_string_equal(rstore_cell(m, 0, col(m, "office")), "370602");
        rstore_rows_free(m);
    }
    struct rstore_rows *both = rstore_record(rs, a2, NULL);
    assert_int_equal(both->nrows, 2);
    rstore_rows_free(both);
    struct rstore_rows *l = rstore_records_list(rs, "EVIL-1", NULL, 10);
    assert_int_equal(l->nrows, 2);
    assert_string_equal(rstore_cell(l, 0, col(l, "shared_id")), "1");
    rstore_rows_free(l);
    assert_int_equal(rstore_set_status(rs, a2, NULL, "accepted", NULL), 2); /* which one? */
    assert_int_equal(rstore_set_status(rs, a2, "YT-A", "returned", NULL), 0);
    char st[32], why[RSTORE_REASON_MAX + 1];
    assert_int_equal(rstore_status(rs, "370602", "YT-B", a2, st, sizeof st, why, sizeof why), 0);
    assert_string_equal(st, "returned"); /* office 370602 sees its own kiosk's record */
    assert_int_equal(rstore_status(rs, "370699", "EVIL-1", a2, st, sizeof st, why, sizeof why), 0);
    assert_string_equal(st, "received"); /* the squatter sees only its own */
    l = rstore_records_list(rs, "YT-A", NULL, 10); /* a check-in's type and number, listed */
    int row = strcmp(rstore_cell(l, 0, col(l, "id")), a1) == 0 ? 0 : 1;
    assert_string_equal(rstore_cell(l, row, col(l, "business")), "divorce_final");
    assert_string_equal(rstore_cell(l, row, col(l, "queue_no")), "L001");
    assert_null(rstore_cell(l, 1 - row, col(l, "business")));
    rstore_rows_free(l);
}

/* The 受理 dates of divorce applications, by the pair of parties: the first acceptance stands
 * (a status set twice), a later application of the pair replaces it. */
static void divorce_accepted(void **state) {
    (void)state;
    char d[16];
    assert_int_equal(rstore_divorce_accepted_get(rs, "pair-1", d), 1);
    assert_int_equal(rstore_divorce_accepted_put(rs, "pair-1", "370602", "rec-1", "2026-11-02"), 0);
    assert_int_equal(rstore_divorce_accepted_put(rs, "pair-1", "370602", "rec-1", "2026-11-05"), 0);
    assert_int_equal(rstore_divorce_accepted_get(rs, "pair-1", d), 0);
    assert_string_equal(d, "2026-11-02");
    assert_int_equal(rstore_divorce_accepted_put(rs, "pair-1", "370602", "rec-2", "2027-03-01"), 0);
    assert_int_equal(rstore_divorce_accepted_get(rs, "pair-1", d), 0);
    assert_string_equal(d, "2027-03-01");
    assert_int_equal(rstore_divorce_accepted_get(rs, "pair-2", d), 1);
}

/* One kiosk cannot grow the registry without bound: its receipt keys and update steps have
 * quotas. */
static void per_kiosk_quotas(void **state) {
    (void)state;
    char key[64];
    for (int i = 0; i < RSTORE_KEYS_PER_KIOSK; i++) {
        snprintf(key, sizeof key, "key-%02d-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", i);
        assert_int_equal(rstore_receipt_key_put(rs, "YT-1", "370602", key), 0);
    }
    assert_int_equal(rstore_receipt_key_put(rs, "YT-1", "370602", "one-more"), 1);
    assert_int_equal(rstore_receipt_key_put(rs, "YT-1", "370602", key), 0); /* a known one */
    assert_int_equal(rstore_receipt_key_put(rs, "YT-2", "370602", "another-kiosk"), 0);
    struct rstore_rows *keys = rstore_receipt_keys(rs, 0, 0);
    assert_int_equal(keys->nrows, RSTORE_KEYS_PER_KIOSK + 1);
    rstore_rows_free(keys);
    /* by change number: what came after the one a kiosk has, in order, a page at a time */
    keys = rstore_receipt_keys(rs, RSTORE_KEYS_PER_KIOSK - 1, 0);
    assert_int_equal(keys->nrows, 2);
    assert_string_equal(rstore_cell(keys, 0, col(keys, "seq")), "8");
    assert_string_equal(rstore_cell(keys, 1, col(keys, "key")), "another-kiosk");
    rstore_rows_free(keys);
    keys = rstore_receipt_keys(rs, 0, 3);
    assert_int_equal(keys->nrows, 3);
    assert_string_equal(rstore_cell(keys, 2, col(keys, "seq")), "3");
    rstore_rows_free(keys);
    keys = rstore_receipt_keys(rs, RSTORE_KEYS_PER_KIOSK + 1, 0);
    assert_int_equal(keys->nrows, 0);
    rstore_rows_free(keys);
    char owner[64];
    assert_int_equal(rstore_receipt_key_owner(rs, "another-kiosk", owner, sizeof owner), 0);
    assert_string_equal(owner, "YT-2");
    assert_int_equal(rstore_receipt_key_owner(rs, "one-more", owner, sizeof owner), 1);
    for (int i = 0; i < RSTORE_EVENTS_PER_KIOSK + 50; i++)
        assert_int_equal(rstore_update_event(rs, "YT-1", "release", i, "1.0", "installed", "", i), 0);
    assert_int_equal(rstore_update_event(rs, "YT-2", "release", 1, "1.0", "installed", "", 1), 0);
    struct rstore_rows *ev = rstore_update_events(rs, "YT-1", 10000);
    assert_int_equal(ev->nrows, RSTORE_EVENTS_PER_KIOSK);
    assert_string_equal(rstore_cell(ev, 0, col(ev, "serial")), "549"); /* the latest kept */
    rstore_rows_free(ev);
    ev = rstore_update_events(rs, "YT-2", 10);
    assert_int_equal(ev->nrows, 1);
    rstore_rows_free(ev);
}

static void appointments(void **state) {
    (void)state;
    for (int i = 0; i < 3; i++) {
        char id[16], json[64];
        snprintf(id, sizeof id, "ap%d", i);
        snprintf(json, sizeof json, "{\"id\":\"ap%d\"}", i);
        assert_int_equal(rstore_appointment_put(rs, id, i == 2 ? "370613" : "370602", json), 0);
    }
    long next = 0;
    struct rstore_rows *a = rstore_appointments_since(rs, "370602", 0, 500, &next);
    assert_int_equal(a->nrows, 2); /* not the other office's */
    assert_string_equal(rstore_cell(a, 0, 0), "{\"id\":\"ap0\"}");
    assert_int_equal(next, 2);
    rstore_rows_free(a);
    a = rstore_appointments_since(rs, "370602", next, 500, &next);
    assert_int_equal(a->nrows, 0);
    assert_int_equal(next, 2); /* nothing new: the cursor stays */
    rstore_rows_free(a);
    /* changed again: it comes again with a new change number */
    assert_int_equal(rstore_appointment_put(rs, "ap0", "370602", "{\"id\":\"ap0\",\"moved\":1}"), 0);
    a = rstore_appointments_since(rs, "370602", 2, 500, &next);
    assert_int_equal(a->nrows, 1);
    assert_int_equal(next, 4);
    rstore_rows_free(a);
}

static void commands(void **state) {
    (void)state;
    long s1 = rstore_command_add(rs, "YT-1", "lock", ""),
         s2 = rstore_command_add(rs, "YT-1", "notice", "下午停电");
    assert_true(s1 > 0 && s2 > s1);
    rstore_command_add(rs, "YT-2", "sync", "");
    int n = 0;
    struct rstore_rows *c = rstore_commands_after(rs, "YT-1", 0, &n);
    assert_int_equal(n, 2);
    assert_string_equal(rstore_cell(c, 1, col(c, "arg")), "下午停电");
    rstore_rows_free(c);
    assert_int_equal(rstore_command_ack(rs, "YT-1", s1, "ok"), 0);
    assert_int_equal(rstore_command_ack(rs, "YT-2", s2, "ok"), 1); /* not that kiosk's */
    /* an acknowledgement is final: a second one (a replay, a confused kiosk) changes nothing */
    assert_int_equal(rstore_command_ack(rs, "YT-1", s1, "failed: overwritten"), 1);
    c = rstore_commands_after(rs, "YT-1", 0, &n);
    assert_int_equal(n, 1); /* acknowledged ones are not sent again */
    rstore_rows_free(c);
    c = rstore_commands_list(rs, NULL);
    assert_int_equal(c->nrows, 3);
    assert_null(rstore_cell(c, 0, col(c, "acked"))); /* newest first, not acknowledged: NULL */
    for (int i = 0; i < c->nrows; i++)
        if (rstore_cell(c, i, col(c, "acked")))
            assert_string_equal(rstore_cell(c, i, col(c, "result")), "ok");
    rstore_rows_free(c);
    /* but an update's interim "ok: started" is replaced by its result, once */
    long s4 = rstore_command_add(rs, "YT-1", "update", "");
    assert_int_equal(rstore_command_ack(rs, "YT-1", s4, "ok: started (its steps follow)"), 0);
    assert_int_equal(rstore_command_ack(rs, "YT-1", s4, "ok: installed 1.2"), 0);
    assert_int_equal(rstore_command_ack(rs, "YT-1", s4, "failed: overwritten"), 1);
    c = rstore_commands_list(rs, "YT-1");
    assert_string_equal(rstore_cell(c, 0, col(c, "result")), "ok: installed 1.2");
    rstore_rows_free(c);
}

/* Personal data sealed at rest (issue 17): the database holds ciphertext bound to its row
 * and office; the store opens it for the API; another key or a ciphertext moved to another
 * row opens nothing. */
static void sealed_at_rest(void **state) {
    (void)state;
    static const char id[] = "0190a0b0-0000-7000-8000-0000000000e1";
    static const char id2[] = "0190a0b0-0000-7000-8000-0000000000e2";
    const char *pl = "{\"a\":{\"name\":\"张三丰\",\"id_number\":\"370602199503123011\"}}";
    assert_int_equal(rstore_put(rs, id, "application", "YT-A", "370602", pl), RSTORE_ACCEPTED);
    assert_int_equal(rstore_put(rs, id2, "application", "YT-A", "370602", "{\"x\":1}"),
                     RSTORE_ACCEPTED);
    assert_int_equal(rstore_appointment_put(rs, "AP-1", "370602",
                                            "{\"id\":\"AP-1\",\"party_a_name\":\"李四\","
                                            "\"slot_end\":1795397400}"),
                     0);
    char raw[4096];
    assert_int_equal(rstore_tmp_raw(dir, "SELECT payload FROM records WHERE id = "
                                         "'0190a0b0-0000-7000-8000-0000000000e1'",
                                    raw, sizeof raw),
                     0);
    assert_true(!strncmp(raw, "s1:", 3));
    assert_null(strstr(raw, "370602199503123011"));
    assert_int_equal(rstore_tmp_raw(dir, "SELECT json FROM appointments", raw, sizeof raw), 0);
    assert_true(!strncmp(raw, "s1:", 3));
    assert_int_equal(rstore_tmp_raw(dir, "SELECT slot_end FROM appointments", raw, sizeof raw), 0);
    assert_string_equal(raw, "1795397400"); /* kept beside it for retention */
    struct rstore_rows *rec = rstore_record(rs, id, NULL);
    assert_non_null(strstr(rstore_cell(rec, 0, 6), "张三丰"));
    rstore_rows_free(rec);
    long next = 0;
    struct rstore_rows *a = rstore_appointments_since(rs, "370602", 0, 10, &next);
    assert_non_null(strstr(rstore_cell(a, 0, 0), "李四"));
    rstore_rows_free(a);
    /* a ciphertext moved onto another row opens nothing there */
    assert_int_equal(rstore_tmp_raw(dir, "UPDATE records SET payload = (SELECT payload FROM "
                                         "records WHERE id = '0190a0b0-0000-7000-8000-"
                                         "0000000000e1') WHERE id = '0190a0b0-0000-7000-8000-"
                                         "0000000000e2'",
                                    raw, sizeof raw),
                     0);
    rec = rstore_record(rs, id2, NULL);
    assert_int_equal(rec->nrows, 1);
    assert_null(rstore_cell(rec, 0, 6));
    rstore_rows_free(rec);
    /* another data key opens nothing */
    static const uint8_t other[32] = {9};
    struct seal *s2 = seal_of_key(other);
    rstore_set_seal(rs, s2);
    rec = rstore_record(rs, id, NULL);
    assert_null(rstore_cell(rec, 0, 6));
    rstore_rows_free(rec);
    rstore_set_seal(rs, rstore_tmp_seal());
    seal_free(s2);
}

/* A registry upgraded in place: what it stored in clear is sealed at start, and read the same. */
static void legacy_sealed(void **state) {
    (void)state;
    static const char id[] = "0190a0b0-0000-7000-8000-0000000000e3";
    rstore_set_seal(rs, NULL);
    assert_int_equal(rstore_put(rs, id, "checkin", "YT-A", "370602", "{\"who\":\"王五\"}"),
                     RSTORE_ACCEPTED);
    assert_int_equal(rstore_appointment_put(rs, "AP-2", "370602", "{\"n\":\"赵六\"}"), 0);
    char raw[4096];
    assert_int_equal(rstore_tmp_raw(dir, "SELECT payload FROM records", raw, sizeof raw), 0);
    assert_string_equal(raw, "{\"who\":\"王五\"}");
    rstore_set_seal(rs, rstore_tmp_seal());
    assert_int_equal(rstore_seal_legacy(rs), 2);
    assert_int_equal(rstore_seal_legacy(rs), 0); /* once */
    assert_int_equal(rstore_tmp_raw(dir, "SELECT payload FROM records", raw, sizeof raw), 0);
    assert_true(!strncmp(raw, "s1:", 3));
    struct rstore_rows *rec = rstore_record(rs, id, NULL);
    assert_string_equal(rstore_cell(rec, 0, 6), "{\"who\":\"王五\"}");
    rstore_rows_free(rec);
}

/* Retention: a payload the office is done with is purged after the period, the row kept (its
 * status answered, a resend a duplicate); one the office holds (accepted) is kept. */
static void retention(void **state) {
    (void)state;
    static const char done[] = "0190a0b0-0000-7000-8000-0000000000e4";
    static const char held[] = "0190a0b0-0000-7000-8000-0000000000e5";
    assert_int_equal(rstore_put(rs, done, "checkin", "YT-A", "370602", "{\"n\":1}"), RSTORE_ACCEPTED);
    assert_int_equal(rstore_put(rs, held, "checkin", "YT-A", "370602", "{\"n\":2}"), RSTORE_ACCEPTED);
    assert_int_equal(rstore_set_status(rs, done, NULL, "completed", NULL), 0);
    assert_int_equal(rstore_set_status(rs, held, NULL, "accepted", NULL), 0);
    assert_int_equal(rstore_appointment_put(rs, "AP-3", "370602", "{\"slot_end\":1000}"), 0);
    assert_int_equal(rstore_purge(rs, 100, 100), 0); /* nothing that old */
    long long later = (long long)time(NULL) + 10;
    assert_int_equal(rstore_purge(rs, later, later), 2);
    struct rstore_rows *rec = rstore_record(rs, done, NULL);
    assert_null(rstore_cell(rec, 0, 6));
    assert_string_equal(rstore_cell(rec, 0, 5), "completed");
    rstore_rows_free(rec);
    rec = rstore_record(rs, held, NULL);
    assert_string_equal(rstore_cell(rec, 0, 6), "{\"n\":2}");
    rstore_rows_free(rec);
    assert_int_equal(rstore_put(rs, done, "checkin", "YT-A", "370602", "{\"n\":1}"),
                     RSTORE_DUPLICATE);
    long next = 0;
    struct rstore_rows *a = rstore_appointments_since(rs, "370602", 0, 10, &next);
    assert_int_equal(a->nrows, 0);
    rstore_rows_free(a);
}

/* The epoch: one a database, the same each time asked, new when renewed; a backup (SQLite)
 * opens under a new one. */
static void epoch_and_backup(void **state) {
    (void)state;
    char e1[RSTORE_EPOCH_LEN], e2[RSTORE_EPOCH_LEN], e3[RSTORE_EPOCH_LEN];
    assert_int_equal(rstore_epoch(rs, e1, 0), 0);
    assert_int_equal(strlen(e1), 32);
    assert_int_equal(rstore_epoch(rs, e2, 0), 0);
    assert_string_equal(e1, e2);
    assert_int_equal(rstore_epoch(rs, e2, 1), 0);
    assert_string_not_equal(e1, e2);
    if (!strncmp(dir, "pg:", 3)) {
        assert_int_equal(rstore_backup(rs, "/nonexistent"), 1); /* pg_dump's */
        return;
    }
    assert_int_equal(rstore_put(rs, "0190a0b0-0000-7000-8000-0000000000e6", "checkin", "YT-A",
                                "370602", "{}"),
                     RSTORE_ACCEPTED);
    char copy[300], path[400];
    snprintf(copy, sizeof copy, "%s/copy", dir);
    assert_int_equal(mkdir(copy, 0700), 0);
    snprintf(path, sizeof path, "%s/registry.db", copy);
    assert_int_equal(rstore_backup(rs, path), 0);
    assert_int_equal(rstore_backup(rs, path), -1); /* never over a file */
    struct rstore *b = rstore_open(copy);
    assert_non_null(b);
    assert_int_equal(rstore_count(b), 1);
    assert_int_equal(rstore_epoch(b, e3, 0), 0);
    assert_string_not_equal(e3, e2);
    rstore_close(b);
    b = rstore_open(copy); /* opened again: it keeps its new epoch */
    char e4[RSTORE_EPOCH_LEN];
    assert_int_equal(rstore_epoch(b, e4, 0), 0);
    assert_string_equal(e3, e4);
    rstore_close(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(records, setup, teardown),
        cmocka_unit_test_setup_teardown(sealed_at_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(legacy_sealed, setup, teardown),
        cmocka_unit_test_setup_teardown(retention, setup, teardown),
        cmocka_unit_test_setup_teardown(epoch_and_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(records_bound_to_kiosk, setup, teardown),
        cmocka_unit_test_setup_teardown(per_kiosk_quotas, setup, teardown),
        cmocka_unit_test_setup_teardown(divorce_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(appointments, setup, teardown),
        cmocka_unit_test_setup_teardown(commands, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
