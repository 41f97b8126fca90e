/* Unit tests of domain/pin: PINs of 6 to 12 digits; the peppered form, which a copy of the
 * configuration alone cannot check (issue 13: a 6-digit PIN fell to its hash in hours). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pin.h"

static const uint8_t pepper[PIN_PEPPER_LEN] = {7, 1, 7, 1};
static const uint8_t other[PIN_PEPPER_LEN] = {8, 2, 8, 2};

static void six_digits_at_least(void **state) {
    (void)state;
    char h[256];
    assert_int_equal(pin_hash("1234", NULL, 1000, h, sizeof h), -1);
    assert_int_equal(pin_hash("12345", NULL, 1000, h, sizeof h), -1);
    assert_int_equal(pin_hash("12a456", NULL, 1000, h, sizeof h), -1);
    assert_int_equal(pin_hash("123456", NULL, 1000, h, sizeof h), 0);
    assert_true(pin_check("123456", h, NULL));
    assert_false(pin_check("123457", h, NULL));
    assert_false(pin_peppered(h));
}

static void peppered(void **state) {
    (void)state;
    char h[256];
    assert_int_equal(pin_hash("246810", pepper, 1000, h, sizeof h), 0);
    assert_int_equal(strncmp(h, "pbkdf2p-sha256$1000$", 20), 0);
    assert_true(pin_peppered(h));
    assert_true(pin_check("246810", h, pepper));
    assert_false(pin_check("246810", h, NULL));  /* the configuration alone: no match */
    assert_false(pin_check("246810", h, other)); /* another pepper: none either */
    assert_false(pin_check("246811", h, pepper));
    /* the plain form never takes the pepper into account */
    char plain[256];
    assert_int_equal(pin_hash("246810", NULL, 1000, plain, sizeof plain), 0);
    assert_true(pin_check("246810", plain, pepper));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(six_digits_at_least),
        cmocka_unit_test(peppered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
