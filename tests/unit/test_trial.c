/* Tests of the launcher's trial decisions (update/trial.c): commit on a healthy report, wait,
 * roll back when the time runs out or a device that answered before is silent now, a device
 * already broken before the update not held against it, and the exits: quit, restart (75),
 * maintenance (76), crashes counted to the limit on trial and not outside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "trial.h"

static const char all_ok[] =
    "{\"version\":\"2\",\"devices\":{\"reader\":\"ok\",\"printer\":\"ok\",\"scanner\":\"ok\"}}";
static const char reader_silent[] =
    "{\"version\":\"3\",\"devices\":{\"reader\":\"unreachable\",\"printer\":\"ok\","
    "\"scanner\":\"ok\"}}";
static const char paper_out[] =
    "{\"version\":\"3\",\"devices\":{\"reader\":\"ok\",\"printer\":\"problem\",\"scanner\":\"ok\"}}";

static void healthy_reports(void **state) {
    (void)state;
    char why[200] = "";
    assert_true(trial_healthy(all_ok, all_ok, why, sizeof why));
    assert_true(trial_healthy(all_ok, NULL, why, sizeof why)); /* no baseline yet */
    assert_true(trial_healthy(paper_out, all_ok, why, sizeof why)); /* the driver talks to it */
    assert_false(trial_healthy(reader_silent, all_ok, why, sizeof why));
    assert_non_null(strstr(why, "reader"));
    /* broken before the update: not the new release's fault */
    assert_true(trial_healthy(reader_silent, reader_silent, why, sizeof why));
    assert_false(trial_healthy("{\"version\":\"3\"}", all_ok, why, sizeof why));
    assert_false(trial_healthy("not json", all_ok, why, sizeof why));
    assert_false(trial_healthy(NULL, all_ok, why, sizeof why));
}

static void ticks(void **state) {
    (void)state;
    char why[200] = "";
    enum slots_reason code;
    assert_int_equal(trial_tick(NULL, all_ok, 5, 120, why, sizeof why, &code), TRIAL_WAIT);
    assert_int_equal(trial_tick(all_ok, all_ok, 5, 120, why, sizeof why, &code), TRIAL_COMMIT);
    assert_int_equal(trial_tick(reader_silent, all_ok, 60, 120, why, sizeof why, &code), TRIAL_WAIT);
    assert_int_equal(trial_tick(reader_silent, all_ok, 120, 120, why, sizeof why, &code),
                     TRIAL_ROLL_BACK);
    assert_non_null(strstr(why, "a device stopped answering"));
    assert_int_equal(code, SLOTS_DEVICES);
    assert_int_equal(trial_tick(NULL, all_ok, 121, 120, why, sizeof why, &code), TRIAL_ROLL_BACK);
    assert_string_equal(why, "no health report in time");
    assert_int_equal(code, SLOTS_SILENT);
    /* a healthy report at the last moment still commits */
    assert_int_equal(trial_tick(all_ok, all_ok, 500, 120, why, sizeof why, &code), TRIAL_COMMIT);
}

static void exits(void **state) {
    (void)state;
    assert_int_equal(launcher_exit_of(true, 0), LAUNCHER_EXIT_QUIT);
    assert_int_equal(launcher_exit_of(true, 75), LAUNCHER_EXIT_RESTART);
    assert_int_equal(launcher_exit_of(true, 76), LAUNCHER_EXIT_MAINTENANCE);
    assert_int_equal(launcher_exit_of(true, 70), LAUNCHER_EXIT_CRASH);
    assert_int_equal(launcher_exit_of(false, 0), LAUNCHER_EXIT_CRASH); /* a signal */
    int crashes = 0;
    assert_int_equal(launcher_after_exit(LAUNCHER_EXIT_QUIT, true, &crashes, 3), LAUNCHER_STOP);
    assert_int_equal(launcher_after_exit(LAUNCHER_EXIT_MAINTENANCE, false, &crashes, 3),
                     LAUNCHER_STOP_MAINTENANCE);
    assert_int_equal(launcher_after_exit(LAUNCHER_EXIT_RESTART, true, &crashes, 3),
                     LAUNCHER_START_NOW);
    assert_int_equal(crashes, 0); /* not a crash */
    /* on trial: the third crash rolls back, and the count starts again */
    assert_int_equal(launcher_after_exit(LAUNCHER_EXIT_CRASH, true, &crashes, 3),
                     LAUNCHER_START_LATER);
    assert_int_equal(launcher_after_exit(LAUNCHER_EXIT_CRASH, true, &crashes, 3),
                     LAUNCHER_START_LATER);
    assert_int_equal(launcher_after_exit(LAUNCHER_EXIT_CRASH, true, &crashes, 3),
                     LAUNCHER_ROLL_BACK);
    assert_int_equal(crashes, 0);
    /* outside a trial there is nothing to go back to: it keeps starting */
    for (int i = 0; i < 10; i++)
        assert_int_equal(launcher_after_exit(LAUNCHER_EXIT_CRASH, false, &crashes, 3),
                         LAUNCHER_START_LATER);
    assert_int_equal(crashes, 10);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(healthy_reports),
        cmocka_unit_test(ticks),
        cmocka_unit_test(exits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
