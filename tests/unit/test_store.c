/* Tests of the store on disk: migrations, sealed personal data, lookups by ID number, the
 * outbox, acknowledgement and retention, the audit chain (and that tampering is found), the
 * key file, and that no personal data lies in clear anywhere in the state directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "store.h"
#include "uuid.h"

static char dir[256];
static struct clock_manual mclock;

static const char *const secrets[] = {"郑测涛",
                                      "370602199503123011",
                                      "马试兰",
                                      "37061319681130204X",
                                      "山东省烟台市芝罘区测试路100号",
                                      "13905350000",
                                      NULL};

static const char couple[] =
    "{\"a\":{\"name\":\"郑测涛\",\"id_number\":\"370602199503123011\","
    "\"address\":\"山东省烟台市芝罘区测试路100号\",\"phone\":\"13905350000\"},"
    "\"b\":{\"name\":\"马试兰\",\"id_number\":\"37061319681130204X\"}}";

static void exec_sql(const char *sql) {
    char path[512];
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void capture_read_lookup(void **state) {
    (void)state;
    struct store *s;
    assert_int_equal(store_open(&s, dir, &mclock.src), STORE_OK);
    char id[UUID_STR_LEN];
    assert_int_equal(
        store_add_application(s, "joint", couple, "370602199503123011", "37061319681130204x", id),
        STORE_OK);
    assert_int_equal(strlen(id), 36);
    assert_int_equal(id[14], '7'); /* UUIDv7 */
    char *json = NULL;
    assert_int_equal(store_get_application(s, id, &json), STORE_OK);
    assert_string_equal(json, couple);
    free(json);
    int n = 0;
    assert_int_equal(store_count_by_id_number(s, "37061319681130204X", &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_count_by_id_number(s, "110105194912310021", &n), STORE_OK);
    assert_int_equal(n, 0);
    store_close(s);
    /* reopening migrates nothing and finds it again */
    assert_int_equal(store_open(&s, dir, &mclock.src), STORE_OK);
    assert_int_equal(store_get_application(s, id, &json), STORE_OK);
    free(json);
    char cid[UUID_STR_LEN];
    assert_int_equal(store_add_checkin(s, "appt-1", "A012", couple, cid), STORE_OK);
    /* once the store knows its kiosk, ids are tagged with it, and stay so after a reopen */
    assert_int_equal(uuid_record_owner(cid, "YT-370602-01", NULL), UUID_UNTAGGED);
    assert_int_equal(store_set_kiosk(s, "YT-370602-01"), STORE_OK);
    store_close(s);
    assert_int_equal(store_open(&s, dir, &mclock.src), STORE_OK);
    assert_int_equal(store_add_checkin(s, "appt-2", "A013", couple, cid), STORE_OK);
    assert_int_equal(cid[14], '8');
    assert_int_equal(uuid_record_owner(cid, "YT-370602-01", NULL), UUID_MADE_BY);
    assert_int_equal(uuid_record_owner(cid, "YT-370699-09", NULL), UUID_NOT_MADE_BY);
    assert_string_not_equal(cid, id);
    /* today's receipts by their numbers, newest first (the application had none) */
    struct store_receipt rs[4];
    assert_int_equal(store_receipts_since(s, 0, rs, 4), 2);
    assert_int_equal(rs[0].kind, 'C');
    assert_true(!strcmp(rs[0].queue_no, "A013") || !strcmp(rs[1].queue_no, "A013"));
    assert_true(!strcmp(rs[0].appointment_id, "appt-1") || !strcmp(rs[0].appointment_id, "appt-2"));
    char jid[UUID_STR_LEN];
    assert_int_equal(store_add_application_queued(s, "joint", couple, "370602199503123011",
                                                  NULL, "J001", jid),
                     STORE_OK);
    assert_int_equal(store_receipts_since(s, 0, rs, 4), 3);
    /* the next numbers: counted from today's, in this kiosk's own series ([kiosk] queue_start) */
    char q[16];
    assert_int_equal(store_next_queue_no(s, "A", 0, 0, q), STORE_OK);
    assert_string_equal(q, "A003"); /* A012 and A013 were given as the tests' numbers */
    assert_int_equal(store_next_queue_no(s, "A", 0, 500, q), STORE_OK);
    assert_string_equal(q, "A503");
    assert_int_equal(store_next_queue_no(s, "J", 0, 500, q), STORE_OK);
    assert_string_equal(q, "J502");
    assert_int_equal(store_next_queue_no(s, "W", 0, 900, q), STORE_OK); /* out of range: 0 */
    assert_string_equal(q, "W001");
    assert_int_equal(store_receipts_since(s, 0, rs, 1), 1); /* at most max */
    assert_int_equal(store_receipts_since(s, INT64_C(1) << 40, rs, 4), 0); /* none since then */
    char *stats = NULL;
    assert_int_equal(store_stats_json(s, &stats), STORE_OK);
    assert_non_null(strstr(stats, "\"applications_pending\":2"));
    assert_non_null(strstr(stats, "\"checkins\":2"));
    assert_non_null(strstr(stats, "\"outbox\":4"));
    assert_non_null(strstr(stats, "\"audit\":4"));
    free(stats);
    store_close(s);
}

static void kv_and_appointments(void **state) {
    (void)state;
    struct store *s;
    assert_int_equal(store_open(&s, dir, &mclock.src), STORE_OK);
    char *v = NULL;
    assert_int_equal(store_kv_get(s, "appointments.cursor", &v), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_kv_set(s, "appointments.cursor", "c-41"), STORE_OK);
    assert_int_equal(store_kv_set(s, "appointments.cursor", "c-42"), STORE_OK);
    assert_int_equal(store_kv_get(s, "appointments.cursor", &v), STORE_OK);
    assert_string_equal(v, "c-42");
    free(v);
    const int64_t nine = 1795440600; /* 2026-11-23 09:30 in Yantai */
    assert_int_equal(store_appointment_put(s, "appt-1", "370602", nine, nine + 1800, "YT-0042",
                                           "370602199503123011", "370613196811302041", couple),
                     STORE_OK);
    char id[64];
    assert_int_equal(store_appointment_find(s, "YT-0042", nine - 3600, nine + 3600, id), STORE_OK);
    assert_string_equal(id, "appt-1");
    assert_int_equal(store_appointment_find(s, "370613196811302041", nine - 3600, nine + 3600, id),
                     STORE_OK);
    assert_int_equal(store_appointment_find(s, "YT-0042", nine + 3600, nine + 7200, id),
                     STORE_ERR_NOT_FOUND);
    assert_int_equal(store_appointment_find(s, "YT-9999", 0, nine * 2, id), STORE_ERR_NOT_FOUND);
    store_close(s);
}

static void ack_and_retention(void **state) {
    (void)state;
    struct store *s;
    assert_int_equal(store_open(&s, dir, &mclock.src), STORE_OK);
    char id[UUID_STR_LEN];
    assert_int_equal(store_add_application(s, "joint", couple, "370602199503123011", NULL, id),
                     STORE_OK);
    assert_int_equal(store_ack(s, id), STORE_OK);
    char cid[UUID_STR_LEN];
    assert_int_equal(store_add_checkin(s, "appt-9", "A009", "{\"a\":\"甲\"}", cid), STORE_OK);
    assert_int_equal(store_ack(s, cid), STORE_OK);
    int64_t t = clock_wall_s(&mclock.src);
    assert_int_equal(store_appointment_put(s, "appt-9", "370602", t - 3600, t - 1800, "YT-0099",
                                           "370613196811302041", NULL, "{\"names\":{}}"),
                     STORE_OK);
    assert_int_equal(store_purge(s, 7), 0); /* acknowledged just now: kept */
    clock_manual_advance(&mclock, 8LL * 86400 * 1000);
    /* the application, the check-in, and the appointment: check-in and appointment personal
     * data once stayed for ever */
    assert_int_equal(store_purge(s, 7), 3);
    char aid[64];
    assert_int_equal(store_appointment_find(s, "YT-0099", 0, INT64_MAX / 2, aid),
                     STORE_ERR_NOT_FOUND);
    char *json = NULL;
    assert_int_equal(store_get_application(s, id, &json), STORE_ERR_NOT_FOUND);
    char *stats = NULL;
    assert_int_equal(store_stats_json(s, &stats), STORE_OK);
    assert_non_null(strstr(stats, "\"applications_purged\":1"));
    free(stats);
    int64_t bad = -1;
    assert_int_equal(store_audit_verify(s, &bad), STORE_OK);
    assert_int_equal(bad, 0);
    store_close(s);
}

static void tampering_is_found(void **state) {
    (void)state;
    struct store *s;
    assert_int_equal(store_open(&s, dir, &mclock.src), STORE_OK);
    char id[UUID_STR_LEN];
    assert_int_equal(store_add_application(s, "joint", couple, "370602199503123011", NULL, id),
                     STORE_OK);
    assert_int_equal(store_audit(s, "staff:1001", "reprint", "receipt"), STORE_OK);
    store_close(s);
    exec_sql("UPDATE audit SET detail = 'forged' WHERE seq = 2");
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE applications SET sealed = CAST(substr(sealed, 1, 20) || x'00' || "
             "substr(sealed, 22) AS BLOB) WHERE id = '%s'",
             id);
    exec_sql(sql);
    assert_int_equal(store_open(&s, dir, &mclock.src), STORE_OK);
    int64_t bad = 0;
    assert_int_equal(store_audit_verify(s, &bad), STORE_OK);
    assert_int_equal(bad, 2);
    char *json = NULL;
    assert_int_equal(store_get_application(s, id, &json), STORE_ERR_CRYPTO);
    store_close(s);
}

static long find_in_file(const char *path, const char *needle) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    size_t k = strlen(needle);
    long hits = 0;
    for (size_t i = 0; i + k <= n; i++)
        hits += memcmp(buf + i, needle, k) == 0;
    return hits;
}

static void nothing_personal_in_clear(void **state) {
    (void)state;
    struct store *s;
    assert_int_equal(store_open(&s, dir, &mclock.src), STORE_OK);
    for (int i = 0; i < 20; i++) {
        char id[UUID_STR_LEN];
        assert_int_equal(store_add_application(s, "joint", couple, "370602199503123011",
                                               "37061319681130204X", id),
                         STORE_OK);
    }
    store_close(s); /* WAL checkpointed into the database file */
    assert_int_equal(store_open(&s, dir, &mclock.src), STORE_OK); /* and a live WAL too */
    char id[UUID_STR_LEN];
    assert_int_equal(store_add_application(s, "joint", couple, "370602199503123011", NULL, id),
                     STORE_OK);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        files++;
        for (int i = 0; secrets[i]; i++) {
            if (find_in_file(path, secrets[i]))
                fail_msg("personal data found in clear in %s", e->d_name);
        }
    }
    closedir(d);
    assert_true(files >= 2);
    store_close(s);
    char key[600];
    snprintf(key, sizeof key, "%s/data.key", dir);
    struct stat st;
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 32);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "%s/kiosk-store-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    clock_manual_init(&mclock, clock_system());
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(capture_read_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(kv_and_appointments, setup, teardown),
        cmocka_unit_test_setup_teardown(ack_and_retention, setup, teardown),
        cmocka_unit_test_setup_teardown(tampering_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(nothing_personal_in_clear, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
