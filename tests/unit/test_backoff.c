/* Tests of the workers' backoff and jitter on a scripted random source: the first wait, the
 * doubling, the cap, the reset after a success, the jitter's bounds and its spread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backoff.h"

/* A source that returns its values in turn. */
struct seq {
    unsigned v[8];
    int n, at;
};
static unsigned seq_next(void *ctx) {
    struct seq *s = ctx;
    return s->v[s->at++ % s->n];
}

static void doubles_to_the_cap(void **state) {
    (void)state;
    struct seq zero = {{0}, 1, 0};
    struct rand_src r = {seq_next, &zero};
    struct backoff b;
    backoff_init(&b, 1, 300, &r);
    /* with the lowest pick, the waits are half of 1, 2, 4, ... (at least 1 s) */
    int want[] = {1, 1, 2, 4, 8, 16, 32, 64, 128, 150, 150, 150};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_int_equal(backoff_next(&b), want[i]);
    assert_int_equal(b.cur_s, 300);
    backoff_reset(&b);
    assert_int_equal(b.cur_s, 1);
    assert_int_equal(backoff_next(&b), 1);
}

static void highest_pick_is_the_whole_step(void **state) {
    (void)state;
    struct seq big = {{4294967295u}, 1, 0}; /* % (span + 1) of UINT_MAX */
    struct rand_src r = {seq_next, &big};
    struct backoff b;
    backoff_init(&b, 8, 60, &r);
    for (int i = 0; i < 10; i++) {
        int cur = b.cur_s, w = backoff_next(&b);
        assert_in_range(w, cur / 2, cur);
        assert_in_range(b.cur_s, 8, 60);
    }
}

static void jitter_bounds_and_spread(void **state) {
    (void)state;
    struct rand_seeded rs;
    rand_seeded_init(&rs, 42);
    int lo = 1 << 30, hi = 0;
    for (int i = 0; i < 2000; i++) {
        int w = backoff_spread(&rs.src, 600, 20);
        assert_in_range(w, 480, 720);
        lo = w < lo ? w : lo;
        hi = w > hi ? w : hi;
    }
    /* the picks cover the range: a fleet does not ask in step */
    assert_true(lo < 500);
    assert_true(hi > 700);
    assert_int_equal(rand_between(&rs.src, 5, 5), 5);
    assert_int_equal(rand_between(&rs.src, 9, 3), 9);
    assert_int_equal(backoff_spread(&rs.src, 0, 20), 1);
}

static void bad_limits_are_made_sane(void **state) {
    (void)state;
    struct seq zero = {{0}, 1, 0};
    struct rand_src r = {seq_next, &zero};
    struct backoff b;
    backoff_init(&b, 0, -5, &r);
    assert_int_equal(b.min_s, 1);
    assert_int_equal(b.max_s, 1);
    assert_int_equal(backoff_next(&b), 1);
    assert_int_equal(backoff_next(&b), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doubles_to_the_cap),
        cmocka_unit_test(highest_pick_is_the_whole_step),
        cmocka_unit_test(jitter_bounds_and_spread),
        cmocka_unit_test(bad_limits_are_made_sane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
