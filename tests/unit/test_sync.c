/* Tests of sync over a scripted transport (struct net_ops): the outbox drain when the registry
 * accepts, calls a record a duplicate, rejects one, answers 5xx or garbage, or the connection
 * is cut; the appointment pull and the command poll; and that the layers' codes never
 * collide, so a store failure is never reported as an unreachable registry. The store is the
 * real one on disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#ifdef KIOSK_TEST_HOOKS
#include "fault_vfs.h"
#endif
#include "net.h"
#include "store.h"
#include "sync.h"

/* --- the scripted transport: one step per request, each request recorded --- */

enum answer_mode { FIXED, ACCEPT_ALL, DUPLICATE_ALL, REJECT_FIRST };

struct step {
    int err;     /* a net code: the transport fails so */
    long status; /* else this HTTP status */
    enum answer_mode mode;
    const char *body; /* FIXED: this answer */
};

struct script {
    struct step steps[16];
    int n, at;
    char urls[16][300];
    int requests;
};

static char *results_for(const char *request, enum answer_mode mode) {
    cJSON *in = cJSON_Parse(request), *out = cJSON_CreateObject();
    cJSON *res = cJSON_AddArrayToObject(out, "results");
    const cJSON *r;
    int i = 0;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(in, "records")) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", cJSON_GetStringValue(cJSON_GetObjectItem(r, "id")));
        const char *st = mode == DUPLICATE_ALL                ? "duplicate"
                         : mode == REJECT_FIRST && i++ == 0 ? "rejected"
                                                            : "accepted";
        cJSON_AddStringToObject(e, "status", st);
        if (*st == 'r')
            cJSON_AddStringToObject(e, "reason", "party B is already married");
        cJSON_AddItemToArray(res, e);
    }
    char *text = cJSON_PrintUnformatted(out);
    cJSON_Delete(in);
    cJSON_Delete(out);
    return text;
}

static int scripted_send(void *ctx, const struct net_tls *t, const struct net_req *q,
                         struct net_reply *r) {
    (void)t;
    struct script *s = ctx;
    if (s->requests < 16)
        snprintf(s->urls[s->requests], sizeof s->urls[0], "%s", q->url);
    s->requests++;
    assert_true(s->at < s->n); /* a request the test did not expect */
    const struct step *st = &s->steps[s->at++];
    if (st->err) {
        snprintf(r->detail, sizeof r->detail, "scripted failure");
        return st->err;
    }
    r->status = st->status;
    r->body = st->mode == FIXED ? (st->body ? strdup(st->body) : NULL) : results_for(q->body, st->mode);
    return NET_OK;
}

static int scripted_download(void *ctx, const struct net_tls *t, const char *url,
                             const char *path, int timeout_ms, const struct net_xfer *x,
                             char *detail, size_t detailsize) {
    (void)ctx, (void)t, (void)url, (void)path, (void)timeout_ms, (void)x;
    snprintf(detail, detailsize, "not scripted");
    return NET_ERR_OTHER;
}

static const struct net_ops scripted_ops = {scripted_send, scripted_download};

static struct script script;
static struct net net;
static char dir[256];
static struct store *store;

static void play(const struct step *steps, int n) {
    memset(&script, 0, sizeof script);
    if (n)
        memcpy(script.steps, steps, sizeof *steps * (size_t)n);
    script.n = n;
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_sync.XXXXXX");
    assert_non_null(mkdtemp(dir));
    assert_int_equal(store_open(&store, dir, clock_system()), STORE_OK);
    memset(&net, 0, sizeof net);
    net.ops = &scripted_ops;
    net.ctx = &script;
    snprintf(net.base, sizeof net.base, "https://registry.test:8443");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    store_close(store);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static void add_records(int applications, int checkins) {
    char id[UUID_STR_LEN];
    for (int i = 0; i < applications; i++)
        assert_int_equal(store_add_application(store, "joint", "{\"a\":{\"name\":\"甲\"}}",
                                               "370602199503123011", NULL, id),
                         STORE_OK);
    for (int i = 0; i < checkins; i++) {
        char q[16];
        snprintf(q, sizeof q, "A%03d", i + 1);
        assert_int_equal(store_add_checkin(store, "appt-1", q, "{}", id), STORE_OK);
    }
}

static int backlog(void) {
    int n = -1;
    assert_int_equal(store_outbox_count(store, &n), STORE_OK);
    return n;
}

static void drain_accepted(void **state) {
    (void)state;
    add_records(3, 2);
    play((struct step[]){{.status = 200, .mode = ACCEPT_ALL}, {.status = 200, .mode = ACCEPT_ALL}},
         2);
    struct sync_stats st;
    assert_int_equal(sync_drain(store, &net, 200, &st), SYNC_OK);
    assert_int_equal(st.sent, 5);
    assert_int_equal(st.accepted, 5);
    assert_int_equal(backlog(), 0);
    assert_string_equal(script.urls[0], "https://registry.test:8443/v1/applications");
    assert_string_equal(script.urls[1], "https://registry.test:8443/v1/checkins");
    /* nothing left: no request at all */
    play(NULL, 0);
    assert_int_equal(sync_drain(store, &net, 200, &st), SYNC_OK);
    assert_int_equal(script.requests, 0);
}

/* A registry restored from a backup (issue 17): its new epoch, seen in whoami or in a command
 * poll's answer, makes the kiosk forget its cursors and send again every record it still
 * keeps; the first epoch and the same one again change nothing. */
static void registry_restored(void **state) {
    (void)state;
    add_records(2, 1);
    play((struct step[]){{.status = 200, .mode = ACCEPT_ALL}, {.status = 200, .mode = ACCEPT_ALL}},
         2);
    struct sync_stats st;
    assert_int_equal(sync_drain(store, &net, 200, &st), SYNC_OK);
    assert_int_equal(backlog(), 0);
    assert_int_equal(store_kv_set(store, SYNC_APPOINTMENTS_CURSOR, "41"), STORE_OK);
    assert_int_equal(store_kv_set(store, SYNC_COMMANDS_CURSOR, "17"), STORE_OK);
    const char *first = "{\"kiosk\":\"K\",\"office\":\"370602\",\"epoch\":\"e1\"}";
    play((struct step[]){{.status = 200, .mode = FIXED, .body = first},
                         {.status = 200, .mode = FIXED, .body = first}},
         2);
    assert_int_equal(sync_ping(store, &net), SYNC_OK); /* the first: kept */
    assert_int_equal(sync_ping(store, &net), SYNC_OK); /* the same: nothing */
    assert_int_equal(backlog(), 0);
    char *v = NULL;
    assert_int_equal(store_kv_get(store, SYNC_COMMANDS_CURSOR, &v), STORE_OK);
    assert_string_equal(v, "17");
    free(v);
    /* a command poll's answer names another: restored */
    play((struct step[]){{.status = 200, .mode = FIXED,
                          .body = "{\"commands\":[{\"seq\":1,\"command\":\"lock\"}],"
                                  "\"epoch\":\"e2\"}"}},
         1);
    struct sync_command c[4];
    assert_int_equal(sync_commands_poll(store, &net, 17, 30, NULL, c, 4), 0);
    assert_non_null(strstr(script.urls[0], "&epoch=e1"));
    assert_int_equal(backlog(), 3);
    assert_int_equal(store_kv_get(store, SYNC_COMMANDS_CURSOR, &v), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_kv_get(store, SYNC_APPOINTMENTS_CURSOR, &v), STORE_ERR_NOT_FOUND);
    /* whoami with it again: nothing more (not six in the outbox) */
    const char *second = "{\"kiosk\":\"K\",\"office\":\"370602\",\"epoch\":\"e2\"}";
    play((struct step[]){{.status = 200, .mode = FIXED, .body = second}}, 1);
    assert_int_equal(sync_ping(store, &net), SYNC_OK);
    assert_int_equal(backlog(), 3);
    /* and they go again, the registry answering each */
    play((struct step[]){{.status = 200, .mode = ACCEPT_ALL}, {.status = 200, .mode = ACCEPT_ALL}},
         2);
    assert_int_equal(sync_drain(store, &net, 200, &st), SYNC_OK);
    assert_int_equal(st.sent, 3);
    assert_int_equal(backlog(), 0);
}

/* Records whose sealed data cannot be opened (once: a replaced key) are set aside for staff,
 * audited, and never block those behind them, even when they fill a whole batch. */
static void unopenable_set_aside(void **state) {
    (void)state;
    add_records(0, 7);
    char path[300];
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE checkins SET sealed = x'00112233445566778899aabb"
                                      "ccddeeff00112233445566778899' WHERE id IN (SELECT id FROM "
                                      "checkins ORDER BY id LIMIT 5)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    /* taken in batches of 3: [bad bad bad] is set aside, then [bad bad good], then [good] */
    play((struct step[]){{.status = 200, .mode = ACCEPT_ALL}, {.status = 200, .mode = ACCEPT_ALL}},
         2);
    struct sync_stats st;
    assert_int_equal(sync_drain(store, &net, 3, &st), SYNC_OK); /* 5 bad ones ahead, batch 3 */
    assert_int_equal(st.accepted, 2);
    int held = -1;
    assert_int_equal(store_outbox_held(store, &held), STORE_OK);
    assert_int_equal(held, 5);
    assert_int_equal(backlog(), 5); /* left, for staff: not lost, not claimed sent */
}

static void drain_duplicate(void **state) {
    (void)state;
    add_records(2, 0);
    play((struct step[]){{.status = 200, .mode = DUPLICATE_ALL}}, 1);
    struct sync_stats st;
    assert_int_equal(sync_drain(store, &net, 200, &st), SYNC_OK);
    assert_int_equal(st.duplicate, 2);
    assert_int_equal(st.accepted, 0);
    assert_int_equal(backlog(), 0); /* a duplicate was received before: it leaves too */
}

static void drain_rejected(void **state) {
    (void)state;
    add_records(3, 0);
    play((struct step[]){{.status = 200, .mode = REJECT_FIRST}}, 1);
    struct sync_stats st;
    assert_int_equal(sync_drain(store, &net, 200, &st), SYNC_OK);
    assert_int_equal(st.rejected, 1);
    assert_int_equal(st.accepted, 2);
    /* the rejected record stays for staff but is not sent again: the next drain asks nothing */
    assert_int_equal(backlog(), 1);
    play(NULL, 0);
    assert_int_equal(sync_drain(store, &net, 200, &st), SYNC_OK);
    assert_int_equal(script.requests, 0);
}

static void drain_server_error(void **state) {
    (void)state;
    add_records(2, 0);
    play((struct step[]){{.status = 503, .mode = FIXED, .body = "{\"error\":\"overloaded\"}"}}, 1);
    struct sync_stats st;
    int rc = sync_drain(store, &net, 200, &st);
    assert_int_equal(rc, NET_ERR_STATUS);
    assert_int_equal(sync_layer_of(rc), SYNC_LAYER_NET);
    assert_int_equal(st.errors, 1);
    assert_int_equal(backlog(), 2); /* nothing lost */
    /* the next try delivers them */
    play((struct step[]){{.status = 200, .mode = ACCEPT_ALL}}, 1);
    assert_int_equal(sync_drain(store, &net, 200, &st), SYNC_OK);
    assert_int_equal(backlog(), 0);
}

static void drain_cut_and_garbage(void **state) {
    (void)state;
    add_records(2, 0);
    struct sync_stats st;
    play((struct step[]){{.err = NET_ERR_CUT}}, 1);
    assert_int_equal(sync_drain(store, &net, 200, &st), NET_ERR_CUT);
    assert_int_equal(backlog(), 2);
    play((struct step[]){{.status = 200, .mode = FIXED, .body = "<html>proxy</html>"}}, 1);
    assert_int_equal(sync_drain(store, &net, 200, &st), NET_ERR_MALFORMED);
    assert_int_equal(backlog(), 2);
    /* an answer naming records the kiosk never sent acknowledges nothing */
    play((struct step[]){{.status = 200,
                          .mode = FIXED,
                          .body = "{\"results\":[{\"id\":\"0190-not-ours\",\"status\":\"accepted\"}]}"}},
         1);
    assert_int_equal(sync_drain(store, &net, 200, &st), SYNC_OK);
    assert_int_equal(script.requests, 1); /* not sent again at once */
    assert_int_equal(st.accepted, 0);
    assert_int_equal(backlog(), 2);
}

static void drain_expired_certificate(void **state) {
    (void)state;
    add_records(1, 0);
    play((struct step[]){{.err = NET_ERR_CERT_EXPIRED}}, 1);
    struct sync_stats st;
    int rc = sync_drain(store, &net, 200, &st);
    assert_int_equal(rc, NET_ERR_CERT_EXPIRED);
    assert_true(net_err_needs_staff(rc));
    assert_false(net_err_needs_staff(NET_ERR_REFUSED));
    assert_int_equal(backlog(), 1);
}

static void pull_appointments(void **state) {
    (void)state;
    play((struct step[]){{.status = 200,
                          .mode = FIXED,
                          .body = "{\"cursor\":\"7\",\"appointments\":[{\"id\":\"ap1\",\"office\":"
                                  "\"370602\",\"booking_no\":\"B1\",\"party_a_id\":"
                                  "\"370602199503123011\",\"slot_start\":1000,\"slot_end\":2800},"
                                  "{\"id\":\"bad\"}]}"}},
         1);
    assert_int_equal(sync_pull_appointments(store, &net), 1); /* the one without a booking: skipped */
    char *cur = NULL;
    assert_int_equal(store_kv_get(store, "appointments.cursor", &cur), STORE_OK);
    assert_string_equal(cur, "7");
    free(cur);
    char id[64];
    assert_int_equal(store_appointment_find(store, "B1", 0, 5000, id), STORE_OK);
    assert_string_equal(id, "ap1");
    /* the next pull asks from the cursor; a list missing is the protocol broken */
    play((struct step[]){{.status = 200, .mode = FIXED, .body = "{\"cursor\":\"8\"}"}}, 1);
    assert_int_equal(sync_pull_appointments(store, &net), SYNC_ERR_ANSWER);
    assert_string_equal(script.urls[0], "https://registry.test:8443/v1/appointments?since=7");
}

/* Receipt keys by change number: the first sync asks from the start and keeps the keys and
 * the cursor; the next asks from the cursor and adds only what came; a page marked "more" is
 * followed by the next; a malformed key is left out. */
#define K1 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define K2 "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA"
#define K3 "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCA"
static void receipt_keys_by_change(void **state) {
    (void)state;
    play((struct step[]){{.status = 200,
                          .mode = FIXED,
                          .body = "{\"keys\":[{\"kiosk\":\"YT-1\",\"office\":\"370602\",\"key\":\""
                                  K1 "\",\"seq\":1},{\"kiosk\":\"YT-2\",\"office\":\"370602\","
                                  "\"key\":\"not-a-key\",\"seq\":2}],\"next\":2,\"more\":true}"},
                         {.status = 200,
                          .mode = FIXED,
                          .body = "{\"keys\":[{\"kiosk\":\"YT-2\",\"office\":\"370602\",\"key\":\""
                                  K2 "\",\"seq\":3}],\"next\":3,\"more\":false}"}},
         2);
    assert_int_equal(sync_receipt_keys(store, &net), SYNC_OK);
    assert_string_equal(script.urls[0], "https://registry.test:8443/v1/receipt-keys?since=0");
    assert_string_equal(script.urls[1], "https://registry.test:8443/v1/receipt-keys?since=2");
    char *keys = NULL, *cur = NULL;
    assert_int_equal(store_kv_get(store, SYNC_RECEIPT_KEYS, &keys), STORE_OK);
    assert_non_null(strstr(keys, K1));
    assert_non_null(strstr(keys, K2));
    assert_null(strstr(keys, "not-a-key"));
    free(keys);
    assert_int_equal(store_kv_get(store, "receipt.keys.cursor", &cur), STORE_OK);
    assert_string_equal(cur, "3");
    free(cur);
    /* the next sync: from the cursor, one new key added to those kept */
    play((struct step[]){{.status = 200,
                          .mode = FIXED,
                          .body = "{\"keys\":[{\"kiosk\":\"YT-3\",\"office\":\"370699\",\"key\":\""
                                  K3 "\",\"seq\":4}],\"next\":4,\"more\":false}"}},
         1);
    assert_int_equal(sync_receipt_keys(store, &net), SYNC_OK);
    assert_string_equal(script.urls[0], "https://registry.test:8443/v1/receipt-keys?since=3");
    assert_int_equal(store_kv_get(store, SYNC_RECEIPT_KEYS, &keys), STORE_OK);
    assert_non_null(strstr(keys, K1));
    assert_non_null(strstr(keys, K3));
    free(keys);
}

static void commands(void **state) {
    (void)state;
    play((struct step[]){{.status = 200,
                          .mode = FIXED,
                          .body = "{\"commands\":[{\"seq\":4,\"command\":\"lock\"},{\"seq\":3,"
                                  "\"command\":\"old\"},{\"seq\":5,\"command\":\"notice\",\"arg\":"
                                  "\"下午停电\"},{\"seq\":1e300,\"command\":\"huge\"}]}"}},
         1);
    struct sync_command c[4];
    assert_int_equal(sync_commands_poll(store, &net, 3, 30, NULL, c, 4), 2);
    assert_int_equal(c[0].seq, 4);
    assert_string_equal(c[0].command, "lock");
    assert_int_equal(c[1].seq, 5);
    assert_string_equal(c[1].arg, "下午停电");
    /* an acknowledgement the registry no longer knows (404) is done; a 500 is not */
    play((struct step[]){{.status = 404, .mode = FIXED}, {.status = 500, .mode = FIXED}}, 2);
    assert_int_equal(sync_command_ack(&net, 4, "ok"), SYNC_OK);
    assert_int_equal(sync_command_ack(&net, 5, "ok"), NET_ERR_STATUS);
}

/* The failure that once read as "registry unreachable": a store that cannot be written. The
 * registry accepts, the acknowledgement cannot be written: the code says the store. */
static void store_failure_is_not_the_network(void **state) {
    (void)state;
#ifdef KIOSK_TEST_HOOKS
    add_records(1, 0);
    store_close(store);
    assert_int_equal(store_open_vfs(&store, dir, clock_system(), fault_vfs_register()), STORE_OK);
    play((struct step[]){{.status = 200, .mode = ACCEPT_ALL}}, 1);
    fault_vfs_arm(0, 1); /* every write and sync from now on fails */
    struct sync_stats st;
    int rc = sync_drain(store, &net, 200, &st);
    fault_vfs_arm(-1, 0);
    assert_true(rc < 0);
    assert_int_equal(sync_layer_of(rc), SYNC_LAYER_STORE);
    assert_int_equal(st.accepted, 1); /* the registry has it; the kiosk sends it again later */
#else
    skip();
#endif
}

/* A store opened read-only (a real read-only SQLite connection, as a read-only disk gives):
 * the registry accepts, the acknowledgement cannot be written; the code is the store's. */
static void read_only_store(void **state) {
    (void)state;
    add_records(2, 0);
    store_close(store);
    assert_int_equal(store_open_readonly(&store, dir, clock_system()), STORE_OK);
    play((struct step[]){{.status = 200, .mode = ACCEPT_ALL}}, 1);
    struct sync_stats st;
    int rc = sync_drain(store, &net, 200, &st);
    assert_int_equal(rc, STORE_ERR_READONLY);
    assert_int_equal(sync_layer_of(rc), SYNC_LAYER_STORE);
    assert_string_equal(sync_strerror(rc), "the store is read-only");
    /* nothing lost: opened for writing again, both still wait */
    store_close(store);
    assert_int_equal(store_open(&store, dir, clock_system()), STORE_OK);
    assert_int_equal(backlog(), 2);
}

static void codes_do_not_collide(void **state) {
    (void)state;
    int store_codes[] = {STORE_ERR_IO, STORE_ERR_KEY, STORE_ERR_CRYPTO, STORE_ERR_NOT_FOUND,
                         STORE_ERR_SCHEMA, STORE_ERR_BUSY, STORE_ERR_READONLY};
    for (size_t i = 0; i < sizeof store_codes / sizeof *store_codes; i++)
        assert_int_equal(sync_layer_of(store_codes[i]), SYNC_LAYER_STORE);
    for (int e = NET_ERR_FIRST; e >= NET_ERR_LAST; e--) {
        assert_int_equal(sync_layer_of(e), SYNC_LAYER_NET);
        assert_string_not_equal(net_strerror(e), "unknown network error");
    }
    assert_int_equal(sync_layer_of(SYNC_ERR_ANSWER), SYNC_LAYER_SYNC);
    assert_int_equal(sync_layer_of(0), SYNC_LAYER_NONE);
    assert_string_equal(sync_strerror(NET_ERR_PIN), net_strerror(NET_ERR_PIN));
    assert_string_equal(sync_strerror(STORE_ERR_IO), store_strerror(STORE_ERR_IO));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(drain_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(drain_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(unopenable_set_aside, setup, teardown),
        cmocka_unit_test_setup_teardown(drain_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(drain_server_error, setup, teardown),
        cmocka_unit_test_setup_teardown(drain_cut_and_garbage, setup, teardown),
        cmocka_unit_test_setup_teardown(drain_expired_certificate, setup, teardown),
        cmocka_unit_test_setup_teardown(pull_appointments, setup, teardown),
        cmocka_unit_test_setup_teardown(commands, setup, teardown),
        cmocka_unit_test_setup_teardown(registry_restored, setup, teardown),
        cmocka_unit_test_setup_teardown(receipt_keys_by_change, setup, teardown),
        cmocka_unit_test_setup_teardown(store_failure_is_not_the_network, setup, teardown),
        cmocka_unit_test_setup_teardown(read_only_store, setup, teardown),
        cmocka_unit_test(codes_do_not_collide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
