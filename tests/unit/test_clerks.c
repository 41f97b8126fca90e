/* Tests of the clerk console's accounts and sessions (registry/clerks.c over the SQLite
 * storage): passwords the rules refuse; a login makes a session that the cookie's token finds
 * again and a wrong token does not; five wrong passwords lock the account (the right one is
 * refused too) until the lock ends or an operator lifts it; sessions end on logout, when idle,
 * after their longest life, on a new password and when the account is switched off; the
 * form token is the session's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "clerks.h"
#include "rstore_tmp.h"

#define NOW 1795400000LL
static char dir[256];
static struct rstore *rs;

static int setup(void **state) {
    (void)state;
    rs = rstore_tmp_open(dir, "test_clerks");
    char why[200];
    assert_int_equal(
        clerk_add(rs, "yt01-zhang", "370602", "张敏", "window-3-pass", NOW, why, sizeof why),
        CLERK_OK);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return rstore_tmp_close(rs, dir);
}

static void test_rules(void **state) {
    (void)state;
    char why[200];
    assert_int_equal(
        clerk_add(rs, "yt01-zhang", "370602", "张敏", "another-pass", NOW, why, sizeof why),
        CLERK_EXISTS);
    assert_int_equal(clerk_add(rs, "li", "370602", "李", "short", NOW, why, sizeof why),
                     CLERK_INVALID);
    assert_non_null(strstr(why, "至少 10 个字符"));
    assert_int_equal(clerk_add(rs, "li", "370602", "李", "12345678901", NOW, why, sizeof why),
                     CLERK_INVALID);
    assert_int_equal(clerk_add(rs, "li wei", "370602", "李", "good-password", NOW, why, sizeof why),
                     CLERK_INVALID); /* a space in the id */
    assert_int_equal(clerk_add(rs, "li", "", "李", "good-password", NOW, why, sizeof why),
                     CLERK_INVALID);
    /* characters, not bytes: ten Chinese characters are enough */
    assert_int_equal(
        clerk_add(rs, "li", "370602", "李伟", "婚姻登记处三号窗口的", NOW, why, sizeof why),
        CLERK_OK);
}

static void test_login_session(void **state) {
    (void)state;
    struct clerk_session s, t;
    long long until;
    assert_int_equal(clerk_login(rs, "yt01-zhang", "window-3-pass", NOW, &s, &until), CLERK_OK);
    assert_string_equal(s.office, "370602");
    assert_string_equal(s.name, "张敏");
    assert_int_equal(strlen(s.token), 64);
    assert_int_equal(strlen(s.csrf), 32);
    assert_int_equal(clerk_session(rs, s.token, NOW + 60, &t), CLERK_OK);
    assert_string_equal(t.clerk, "yt01-zhang");
    assert_string_equal(t.csrf, s.csrf);
    assert_true(clerk_csrf_ok(&t, s.csrf));
    char forged[33];
    snprintf(forged, sizeof forged, "%s", s.csrf);
    forged[0] = forged[0] == 'a' ? 'b' : 'a';
    assert_false(clerk_csrf_ok(&t, forged));
    assert_false(clerk_csrf_ok(&t, ""));
    assert_false(clerk_csrf_ok(&t, NULL));
    char wrong[65];
    snprintf(wrong, sizeof wrong, "%s", s.token);
    wrong[5] = wrong[5] == '0' ? '1' : '0';
    assert_int_equal(clerk_session(rs, wrong, NOW + 60, &t), CLERK_BAD);
    assert_int_equal(clerk_session(rs, "not-a-token", NOW + 60, &t), CLERK_BAD);
    /* used within the idle time it lives on; idle longer it ends */
    assert_int_equal(clerk_session(rs, s.token, NOW + CLERK_IDLE_S, &t), CLERK_OK);
    assert_int_equal(clerk_session(rs, s.token, NOW + 2 * CLERK_IDLE_S + 1, &t), CLERK_BAD);
    /* however busy, not past its longest life */
    assert_int_equal(clerk_login(rs, "yt01-zhang", "window-3-pass", NOW, &s, &until), CLERK_OK);
    long long at = NOW;
    for (; at < NOW + CLERK_SESSION_MAX_S - CLERK_IDLE_S; at += CLERK_IDLE_S - 1)
        assert_int_equal(clerk_session(rs, s.token, at, &t), CLERK_OK);
    assert_int_equal(clerk_session(rs, s.token, NOW + CLERK_SESSION_MAX_S, &t), CLERK_BAD);
    /* logout */
    assert_int_equal(clerk_login(rs, "yt01-zhang", "window-3-pass", NOW, &s, &until), CLERK_OK);
    clerk_logout(rs, s.token, NOW + 1);
    assert_int_equal(clerk_session(rs, s.token, NOW + 2, &t), CLERK_BAD);
}

static void test_lockout(void **state) {
    (void)state;
    struct clerk_session s;
    long long until = 0;
    for (int i = 1; i < CLERK_LOCK_AFTER; i++)
        assert_int_equal(clerk_login(rs, "yt01-zhang", "guess-guess", NOW + i, &s, &until),
                         CLERK_BAD);
    assert_int_equal(clerk_login(rs, "yt01-zhang", "guess-guess", NOW + 10, &s, &until),
                     CLERK_LOCKED);
    assert_int_equal(until, NOW + 10 + CLERK_LOCK_S);
    /* locked: the right password is refused too, and makes no session */
    assert_int_equal(clerk_login(rs, "yt01-zhang", "window-3-pass", NOW + 20, &s, &until),
                     CLERK_LOCKED);
    assert_string_equal(s.token, "");
    /* the lock ends by itself */
    assert_int_equal(
        clerk_login(rs, "yt01-zhang", "window-3-pass", NOW + 11 + CLERK_LOCK_S, &s, &until),
        CLERK_OK);
    /* and an operator lifts it sooner */
    for (int i = 0; i < CLERK_LOCK_AFTER; i++)
        clerk_login(rs, "yt01-zhang", "guess-guess", NOW + 100, &s, &until);
    assert_int_equal(clerk_login(rs, "yt01-zhang", "window-3-pass", NOW + 101, &s, &until),
                     CLERK_LOCKED);
    char why[200];
    assert_int_equal(clerk_change(rs, "yt01-zhang", NULL, -1, why, sizeof why), CLERK_OK);
    assert_int_equal(clerk_login(rs, "yt01-zhang", "window-3-pass", NOW + 102, &s, &until),
                     CLERK_OK);
    /* a right password resets the count: four wrong ones after it do not lock */
    for (int i = 1; i < CLERK_LOCK_AFTER; i++)
        assert_int_equal(clerk_login(rs, "yt01-zhang", "guess-guess", NOW + 200, &s, &until),
                         CLERK_BAD);
    /* an unknown clerk is refused the same way, and nothing is locked by it */
    assert_int_equal(clerk_login(rs, "nobody", "window-3-pass", NOW, &s, &until), CLERK_BAD);
}

static void test_change(void **state) {
    (void)state;
    struct clerk_session s, t;
    long long until;
    char why[200];
    assert_int_equal(clerk_login(rs, "yt01-zhang", "window-3-pass", NOW, &s, &until), CLERK_OK);
    assert_int_equal(clerk_change(rs, "yt01-zhang", "new-window-pass", -1, why, sizeof why),
                     CLERK_OK);
    assert_int_equal(clerk_session(rs, s.token, NOW + 1, &t), CLERK_BAD);
    assert_int_equal(clerk_login(rs, "yt01-zhang", "window-3-pass", NOW + 2, &s, &until),
                     CLERK_BAD);
    assert_int_equal(clerk_login(rs, "yt01-zhang", "new-window-pass", NOW + 3, &s, &until),
                     CLERK_OK);
    assert_int_equal(clerk_change(rs, "yt01-zhang", NULL, 1, why, sizeof why), CLERK_OK);
    assert_int_equal(clerk_session(rs, s.token, NOW + 4, &t), CLERK_BAD);
    assert_int_equal(clerk_login(rs, "yt01-zhang", "new-window-pass", NOW + 5, &s, &until),
                     CLERK_DISABLED);
    assert_int_equal(clerk_change(rs, "nobody", NULL, 0, why, sizeof why), CLERK_BAD);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
