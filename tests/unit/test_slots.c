/* Tests of the A/B slot links (update/slots.c) on a real directory: none current at first, a
 * switch and a switch back, "" removing the link, a stray current.new from a crash cleared,
 * bad serials remembered with the last rollback's reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "slots.h"

static char dir[256];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_slots.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char p[300];
    snprintf(p, sizeof p, "%s/slots", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/slots/a", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/slots/b", dir);
    mkdir(p, 0755);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void switching(void **state) {
    (void)state;
    char cur[64];
    slots_current(dir, cur, sizeof cur);
    assert_string_equal(cur, "");
    assert_int_equal(slots_switch(dir, "slots/a"), 0);
    slots_current(dir, cur, sizeof cur);
    assert_string_equal(cur, "slots/a");
    /* a crash between making the new link and renaming it left current.new behind */
    char stray[300];
    snprintf(stray, sizeof stray, "%s/current.new", dir);
    assert_int_equal(symlink("slots/a", stray), 0);
    assert_int_equal(slots_switch(dir, "slots/b"), 0);
    slots_current(dir, cur, sizeof cur);
    assert_string_equal(cur, "slots/b");
    assert_int_not_equal(access(stray, F_OK), 0);
    assert_int_equal(slots_switch(dir, ""), 0); /* back to the packaged version */
    slots_current(dir, cur, sizeof cur);
    assert_string_equal(cur, "");
}

static void bad_serials(void **state) {
    (void)state;
    assert_false(slots_is_bad(dir, 7));
    assert_int_equal(slots_mark_bad(dir, 7, SLOTS_CRASHED, "crashed at start"), 0);
    assert_int_equal(slots_mark_bad(dir, 12, SLOTS_DEVICES, "a device \"stopped\" answering: reader"), 0);
    assert_true(slots_is_bad(dir, 7));
    assert_true(slots_is_bad(dir, 12));
    assert_false(slots_is_bad(dir, 1)); /* not a prefix match of 12 */
    assert_false(slots_is_bad(dir, 2));
    char p[300];
    snprintf(p, sizeof p, "%s/rollback.json", dir);
    char *j = file_read(p, 4096, NULL);
    assert_non_null(j);
    assert_non_null(strstr(j, "\"serial\":12"));
    assert_non_null(strstr(j, "reader"));
    assert_non_null(strstr(j, "\"code\":\"devices\""));
    assert_int_equal(slots_reason_of("devices"), SLOTS_DEVICES);
    assert_int_equal(slots_reason_of("a device stopped"), -1);
    free(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(switching, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_serials, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
