/* The store's failure policy: a write or sync that fails is reported (STORE_ERR_IO), never
 * taken for saved, and leaves no half-written record. SQLite runs on a VFS that wraps the
 * default one and fails the Nth write or sync of the database or its WAL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "fault_vfs.h"
#include "store.h"

static const char couple[] = "{\"a\":{\"name\":\"郑测涛\"}}";

static void failed_writes_are_reported_and_leave_nothing_half_done(void **state) {
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/kiosk-io-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(dir));
    struct store *s;
    assert_int_equal(store_open_vfs(&s, dir, clock_system(), "faulty"), STORE_OK);
    char id[UUID_STR_LEN];
    assert_int_equal(store_add_application(s, "joint", couple, "370602199503123011", NULL, id),
                     STORE_OK);
    int reported = 0;
    for (int n = 0; n < 8; n++) {
        fault_vfs_arm(n, 0); /* fail the first, second, ... write or sync of the next capture */
        int rc = store_add_application(s, "joint", couple, "370602199503123011", NULL, id);
        if (fault_vfs_failures() > 0) {
            assert_int_equal(rc, STORE_ERR_IO);
            reported++;
        }
        fault_vfs_arm(-1, 0);
        store_close(s);
        assert_int_equal(store_open_vfs(&s, dir, clock_system(), "faulty"), STORE_OK);
    }
    assert_true(reported >= 3);
    /* whatever was reported failed is either wholly there (the sync failed after the write
     * reached the file) or wholly absent: never an application without its outbox entry */
    char *stats = NULL;
    assert_int_equal(store_stats_json(s, &stats), STORE_OK);
    int apps = 0, outbox = 0;
    sscanf(strstr(stats, "\"applications\":"), "\"applications\":%d", &apps);
    sscanf(strstr(stats, "\"outbox\":"), "\"outbox\":%d", &outbox);
    assert_int_equal(apps, outbox);
    free(stats);
    int64_t bad = -1;
    assert_int_equal(store_audit_verify(s, &bad), STORE_OK);
    assert_int_equal(bad, 0);
    store_close(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    fault_vfs_register();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failed_writes_are_reported_and_leave_nothing_half_done),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
