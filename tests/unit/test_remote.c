/* Unit tests of app/remote: the lock file and what a notice may hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "remote.h"
#include "utf8.h"

static void lock_file_comes_and_goes(void **state) {
    (void)state;
    char dir[] = "/tmp/remote-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_false(remote_locked(dir));
    assert_int_equal(remote_lock_set(dir, true), 0);
    assert_true(remote_locked(dir));
    assert_int_equal(remote_lock_set(dir, true), 0); /* twice is still locked */
    assert_true(remote_locked(dir));
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s/locked.tmp", dir);
    assert_int_not_equal(access(tmp, F_OK), 0); /* no temporary left behind */
    assert_int_equal(remote_lock_set(dir, false), 0);
    assert_false(remote_locked(dir));
    assert_int_equal(remote_lock_set(dir, false), 0); /* unlocking twice is fine */
    assert_int_equal(remote_lock_set("/nonexistent/dir", true), -1);
    rmdir(dir);
}

static void notice_is_cleaned(void **state) {
    (void)state;
    char out[400];
    remote_notice_clean(out, sizeof out, "  今天下午\n\t三点起维护\x01  ");
    assert_string_equal(out, "今天下午 三点起维护");
    remote_notice_clean(out, sizeof out, "bad \xff\xfe utf8");
    assert_string_equal(out, "bad \xEF\xBF\xBD\xEF\xBF\xBD utf8"); /* U+FFFD each */
    char lng[1000] = "";
    for (int i = 0; i < 120; i++)
        strcat(lng, "维");
    remote_notice_clean(out, sizeof out, lng);
    assert_int_equal(utf8_count(out), REMOTE_NOTICE_MAX);
    char small[8];
    remote_notice_clean(small, sizeof small, "维护维护"); /* never a split character */
    assert_string_equal(small, "维护");
    remote_notice_clean(out, sizeof out, "");
    assert_string_equal(out, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lock_file_comes_and_goes),
        cmocka_unit_test(notice_is_cleaned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
