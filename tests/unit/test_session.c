/* Unit tests of app/session: the citizen's arena and its wipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "session.h"

static void wipe_zeroes_everything_handed_out(void **state) {
    (void)state;
    struct session s;
    assert_int_equal(session_init(&s, 4096), 0);
    char *name = session_strdup(&s, "郑测涛");
    char *id = session_strdup(&s, "11010519491231002X");
    assert_non_null(name);
    assert_non_null(id);
    assert_string_equal(id, "11010519491231002X");
    assert_false(session_is_zero(&s));
    unsigned gen = s.generation;
    session_wipe(&s);
    assert_true(session_is_zero(&s));
    assert_int_equal(s.used, 0);
    assert_int_equal(s.generation, gen + 1);
    session_free(&s);
}

static void allocations_are_aligned_zeroed_and_bounded(void **state) {
    (void)state;
    struct session s;
    assert_int_equal(session_init(&s, 256), 0);
    unsigned char *a = session_alloc(&s, 3);
    unsigned char *b = session_alloc(&s, 100);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal((uintptr_t)b % 16, 0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(b[i], 0);
    memset(b, 0xAB, 100);
    assert_null(session_alloc(&s, 200)); /* full: NULL, never a short block */
    session_wipe(&s);
    assert_non_null(session_alloc(&s, 200));
    session_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wipe_zeroes_everything_handed_out),
        cmocka_unit_test(allocations_are_aligned_zeroed_and_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
