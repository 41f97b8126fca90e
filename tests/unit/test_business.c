/* Unit tests of the business types and the divorce periods: the days around 30, 31, 60 and
 * 61 after 受理, a last day on a closed day, and the calendar arithmetic under them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "business.h"
#include "caltime.h"

static void codes(void **state) {
    (void)state;
    enum business b = BIZ_COUNT;
    assert_int_equal(business_from_code(NULL, &b), 0);
    assert_int_equal(b, BIZ_MARRIAGE); /* bookings of before types */
    assert_int_equal(business_from_code("divorce_final", &b), 0);
    assert_int_equal(b, BIZ_DIVORCE_FINAL);
    assert_string_equal(business_code(b), "divorce_final");
    assert_int_equal(business_from_code("divorce", &b), -1);
    assert_int_equal(business_from_code("Marriage", &b), -1);
    for (int i = 0; i < BIZ_COUNT; i++) {
        assert_int_equal(business_from_code(business_code(i), &b), 0);
        assert_int_equal(b, i);
    }
    assert_true(business_info(BIZ_REISSUE_MARRIAGE)->one_party);
    assert_true(business_info(BIZ_DIVORCE_WITHDRAW)->one_party);
    assert_false(business_info(BIZ_DIVORCE_FINAL)->one_party);
    assert_string_equal(business_info(BIZ_DIVORCE_APPLY)->prefix, "L");
}

static void dates(void **state) {
    (void)state;
    assert_int_equal(caltime_day_number(19700101), 0);
    assert_int_equal(caltime_day_number(20000301) - caltime_day_number(20000228), 2);
    assert_int_equal(caltime_day_number(21000301) - caltime_day_number(21000228), 1);
    assert_int_equal(caltime_day_date(caltime_day_number(20261231) + 1), 20270101);
    for (long n = -719000; n < 800000; n += 997) /* years 1 to 4160 */
        assert_int_equal(caltime_day_number(caltime_day_date(n)), n);
    assert_int_equal(caltime_weekday(20261201), 2); /* a Tuesday */
    assert_int_equal(caltime_weekday(20261206), 7);
    assert_int_equal(caltime_weekday(19700101), 4);
}

#define ACCEPTED 20261102 /* day 29: 2026-12-01, day 31: 12-03, day 60: 2027-01-01 */

static void second_visit(void **state) {
    (void)state;
    struct divorce_period p;
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, ACCEPTED, 20261201, NULL, NULL, &p),
                     DIVORCE_NOT_YET);
    assert_int_equal(p.day, 29);
    assert_int_equal(p.opens, 20261203);
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, ACCEPTED, 20261202, NULL, NULL, &p),
                     DIVORCE_NOT_YET); /* day 30 */
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, ACCEPTED, 20261203, NULL, NULL, &p),
                     DIVORCE_OK); /* day 31 */
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, ACCEPTED, 20261217, NULL, NULL, &p),
                     DIVORCE_OK); /* day 45 */
    assert_int_equal(p.day, 45);
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, ACCEPTED, 20270101, NULL, NULL, &p),
                     DIVORCE_OK); /* day 60 */
    assert_int_equal(p.closes, 20270101);
    assert_false(p.moved);
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, ACCEPTED, 20270102, NULL, NULL, &p),
                     DIVORCE_LAPSED); /* day 61 */
    assert_int_equal(p.day, 61);
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, 20261302, 20270102, NULL, NULL, &p),
                     DIVORCE_BAD_DATE);
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, 20270103, 20270102, NULL, NULL, &p),
                     DIVORCE_BAD_DATE); /* accepted after today */
    assert_int_equal(business_divorce_check(BIZ_MARRIAGE, 0, 20270102, NULL, NULL, &p),
                     DIVORCE_OK);
}

static void withdrawal(void **state) {
    (void)state;
    struct divorce_period p;
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_WITHDRAW, ACCEPTED, ACCEPTED, NULL, NULL, &p),
                     DIVORCE_OK); /* day 0 */
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_WITHDRAW, ACCEPTED, 20261202, NULL, NULL, &p),
                     DIVORCE_OK); /* day 30 */
    assert_int_equal(p.closes, 20261202);
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_WITHDRAW, ACCEPTED, 20261203, NULL, NULL, &p),
                     DIVORCE_COOLED); /* day 31 */
}

/* closed on 1 January and at weekends (2027-01-02, -03 are a Saturday and a Sunday) */
static bool closed_new_year(int d, void *ctx) {
    (void)ctx;
    return d != 20270101 && caltime_weekday(d) < 6;
}

static void closed_last_day(void **state) {
    (void)state;
    struct divorce_period p;
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, ACCEPTED, 20270104, closed_new_year,
                                            NULL, &p),
                     DIVORCE_OK); /* day 63, but day 60 and the two after were closed */
    assert_true(p.moved);
    assert_int_equal(p.closes, 20270104);
    assert_int_equal(business_divorce_check(BIZ_DIVORCE_FINAL, ACCEPTED, 20270105, closed_new_year,
                                            NULL, &p),
                     DIVORCE_LAPSED);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes),          cmocka_unit_test(dates),
        cmocka_unit_test(second_visit),   cmocka_unit_test(withdrawal),
        cmocka_unit_test(closed_last_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
