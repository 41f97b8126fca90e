/* Tests of the joint application's step table (flows/joint_flow.c): its invariants, the way
 * through with and without service pages, the step numbers, back from every step, inputs a
 * step does not take. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "joint_flow.h"

static struct joint_pos at(enum joint_step s) {
    return (struct joint_pos){s, -1};
}

static void invariants(void **state) {
    (void)state;
    assert_true(joint_flow_check_invariants());
}

static void forward_without_services(void **state) {
    (void)state;
    struct joint_route none = {.n = 0};
    static const enum joint_step want[] = {JOINT_SERVICES, JOINT_CONSENT, JOINT_CARD_A,
                                           JOINT_FORM_A,   JOINT_CARD_B,  JOINT_FORM_B,
                                           JOINT_REVIEW,   JOINT_CONFIRM, JOINT_DONE,
                                           JOINT_HOME};
    static const enum joint_input by[] = {JOINT_IN_NEXT, JOINT_IN_NEXT, JOINT_IN_NEXT,
                                          JOINT_IN_CARD, JOINT_IN_NEXT, JOINT_IN_CARD,
                                          JOINT_IN_NEXT, JOINT_IN_NEXT, JOINT_IN_SUBMITTED,
                                          JOINT_IN_NEXT};
    struct joint_pos p = at(JOINT_START);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        p = joint_flow_next(p, by[i], &none);
        assert_int_equal(p.step, want[i]);
    }
}

static void service_pages(void **state) {
    (void)state;
    struct joint_route r = {.pages = {4, 6}, .n = 2};
    struct joint_pos p = joint_flow_next(at(JOINT_FORM_B), JOINT_IN_NEXT, &r);
    assert_int_equal(p.step, JOINT_PAGE);
    assert_int_equal(p.page, 4);
    p = joint_flow_next(p, JOINT_IN_NEXT, &r);
    assert_int_equal(p.page, 6);
    p = joint_flow_next(p, JOINT_IN_NEXT, &r);
    assert_int_equal(p.step, JOINT_REVIEW);
    /* back from the review: the last page, then the one before, then B's fields */
    p = joint_flow_next(p, JOINT_IN_BACK, &r);
    assert_int_equal(p.step, JOINT_PAGE);
    assert_int_equal(p.page, 6);
    p = joint_flow_next(p, JOINT_IN_BACK, &r);
    assert_int_equal(p.page, 4);
    p = joint_flow_next(p, JOINT_IN_BACK, &r);
    assert_int_equal(p.step, JOINT_FORM_B);
    /* the confirmation goes back to the review (both cards confirm again) */
    assert_int_equal(joint_flow_next(at(JOINT_CONFIRM), JOINT_IN_BACK, &r).step, JOINT_REVIEW);
    /* after 修改 the section goes back to the review */
    struct joint_pos pg = {JOINT_PAGE, 4};
    assert_int_equal(joint_flow_next(pg, JOINT_IN_TO_REVIEW, &r).step, JOINT_REVIEW);
    assert_int_equal(joint_flow_next(at(JOINT_FORM_A), JOINT_IN_TO_REVIEW, &r).step,
                     JOINT_REVIEW);
    assert_int_equal(joint_flow_next(at(JOINT_CARD_A), JOINT_IN_TO_REVIEW, &r).step,
                     JOINT_CARD_A);
}

static void step_numbers(void **state) {
    (void)state;
    struct joint_route r = {.pages = {4, 6}, .n = 2};
    int n, m;
    joint_flow_step_number(at(JOINT_START), &r, &n, &m);
    assert_int_equal(n, 0);
    joint_flow_step_number(at(JOINT_SERVICES), &r, &n, &m);
    assert_int_equal(n, 1);
    assert_int_equal(m, 8);
    joint_flow_step_number(at(JOINT_CARD_B), &r, &n, &m);
    assert_int_equal(n, 4);
    joint_flow_step_number(at(JOINT_FORM_B), &r, &n, &m);
    assert_int_equal(n, 4);
    joint_flow_step_number((struct joint_pos){JOINT_PAGE, 6}, &r, &n, &m);
    assert_int_equal(n, 6);
    joint_flow_step_number(at(JOINT_CONFIRM), &r, &n, &m);
    assert_int_equal(n, 8);
    struct joint_route none = {.n = 0};
    joint_flow_step_number(at(JOINT_REVIEW), &none, &n, &m);
    assert_int_equal(n, 5);
    assert_int_equal(m, 6);
    joint_flow_step_number(at(JOINT_DONE), &none, &n, &m);
    assert_int_equal(n, 0);
}

static void back_and_refused_inputs(void **state) {
    (void)state;
    struct joint_route none = {.n = 0};
    assert_int_equal(joint_flow_next(at(JOINT_START), JOINT_IN_BACK, &none).step, JOINT_HOME);
    assert_int_equal(joint_flow_next(at(JOINT_CONSENT), JOINT_IN_BACK, &none).step,
                     JOINT_SERVICES);
    assert_int_equal(joint_flow_next(at(JOINT_CARD_B), JOINT_IN_BACK, &none).step, JOINT_FORM_A);
    /* a card step does not move on NEXT (a card is needed), a form step ignores a card */
    assert_int_equal(joint_flow_next(at(JOINT_CARD_A), JOINT_IN_NEXT, &none).step, JOINT_CARD_A);
    assert_int_equal(joint_flow_next(at(JOINT_FORM_A), JOINT_IN_CARD, &none).step, JOINT_FORM_A);
    assert_false(joint_flow_takes(JOINT_CONFIRM, JOINT_IN_NEXT));
    assert_false(joint_flow_takes(JOINT_REVIEW, JOINT_IN_SUBMITTED));
    assert_true(joint_flow_takes(JOINT_CONFIRM, JOINT_IN_SUBMITTED));
    /* out-of-range input changes nothing */
    assert_int_equal(joint_flow_next(at(JOINT_FORM_B), (enum joint_input)99, &none).step,
                     JOINT_FORM_B);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invariants),
        cmocka_unit_test(forward_without_services),
        cmocka_unit_test(service_pages),
        cmocka_unit_test(step_numbers),
        cmocka_unit_test(back_and_refused_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
