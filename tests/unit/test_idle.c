/* Unit tests of app/idle: the idle timeout and its countdown, on injected time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "idle.h"

static void off_until_armed(void **state) {
    (void)state;
    struct idle_timer t;
    idle_init(&t, 60000, 10000);
    idle_check_invariants(&t);
    assert_int_equal(idle_state(&t, 999999, NULL), IDLE_OFF);
    assert_int_equal(idle_next_change(&t, 0), -1);
}

static void warns_then_expires(void **state) {
    (void)state;
    struct idle_timer t;
    idle_init(&t, 60000, 10000);
    idle_arm(&t, 1000);
    int left = -1;
    assert_int_equal(idle_state(&t, 1000, &left), IDLE_ACTIVE);
    assert_int_equal(idle_next_change(&t, 1000), 60000);
    assert_int_equal(idle_state(&t, 60999, &left), IDLE_ACTIVE);
    assert_int_equal(idle_state(&t, 61000, &left), IDLE_WARNING);
    assert_int_equal(left, 10);
    assert_int_equal(idle_state(&t, 61001, &left), IDLE_WARNING);
    assert_int_equal(left, 10);
    assert_int_equal(idle_next_change(&t, 61001), 999);
    assert_int_equal(idle_state(&t, 70500, &left), IDLE_WARNING);
    assert_int_equal(left, 1);
    assert_int_equal(idle_state(&t, 71000, &left), IDLE_EXPIRED);
    assert_int_equal(idle_next_change(&t, 71000), 0);
}

static void input_restarts_the_timeout(void **state) {
    (void)state;
    struct idle_timer t;
    idle_init(&t, 60000, 10000);
    idle_arm(&t, 0);
    idle_touch(&t, 50000);
    assert_int_equal(idle_state(&t, 100000, NULL), IDLE_ACTIVE);
    assert_int_equal(idle_state(&t, 110000, NULL), IDLE_WARNING);
    /* a touch during the countdown ends it */
    idle_touch(&t, 115000);
    assert_int_equal(idle_state(&t, 115000, NULL), IDLE_ACTIVE);
    /* time never runs backwards for the timer */
    idle_touch(&t, 1000);
    assert_int_equal(idle_state(&t, 175000, NULL), IDLE_WARNING);
}

static void disarm_stops_it(void **state) {
    (void)state;
    struct idle_timer t;
    idle_init(&t, 5000, 0);
    idle_arm(&t, 0);
    assert_int_equal(idle_state(&t, 5000, NULL), IDLE_EXPIRED);
    idle_disarm(&t);
    assert_int_equal(idle_state(&t, 5000, NULL), IDLE_OFF);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(off_until_armed),
        cmocka_unit_test(warns_then_expires),
        cmocka_unit_test(input_restarts_the_timeout),
        cmocka_unit_test(disarm_stops_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
