/* Unit tests of domain/receipt: tokens sign and verify; any change or another key fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "crypto.h"
#include "receipt.h"

static const uint8_t seed[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void signs_and_verifies(void **state) {
    (void)state;
    struct receipt r = {.kind = 'C',
                        .office = "370602",
                        .record_id = "0194f000-0000-7000-8000-00000000002a",
                        .time = 1795430000,
                        .queue = "A012"};
    char token[RECEIPT_TOKEN_MAX];
    int n = receipt_sign(&r, seed, token, sizeof token);
    assert_true(n > 0 && n < 160);
    assert_memory_equal(token, "MR1.", 4);
    uint8_t pub[32];
    assert_int_equal(crypto_ed25519_public(seed, pub), 0);
    struct receipt back;
    assert_int_equal(receipt_verify(token, pub, &back), RECEIPT_OK);
    assert_int_equal(back.kind, 'C');
    assert_string_equal(back.office, "370602");
    assert_string_equal(back.record_id, "0194f000-0000-7000-8000-00000000002a");
    assert_int_equal(back.time, 1795430000);
    assert_string_equal(back.queue, "A012");
    /* base64url only: safe in a QR code and a URL */
    assert_int_equal(strspn(token + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_"),
                     strlen(token + 4));
}

static void any_change_fails(void **state) {
    (void)state;
    struct receipt r = {.kind = 'J',
                        .office = "370613",
                        .record_id = "0194f000-0000-7000-8000-000000000001",
                        .time = 1,
                        .queue = ""};
    char token[RECEIPT_TOKEN_MAX];
    assert_true(receipt_sign(&r, seed, token, sizeof token) > 0);
    uint8_t pub[32];
    crypto_ed25519_public(seed, pub);
    struct receipt back;
    for (size_t i = 4; i < strlen(token); i++) {
        char t[RECEIPT_TOKEN_MAX];
        strcpy(t, token);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        assert_int_not_equal(receipt_verify(t, pub, &back), RECEIPT_OK);
    }
    uint8_t other_seed[32] = {9}, other[32];
    crypto_ed25519_public(other_seed, other);
    assert_int_equal(receipt_verify(token, other, &back), RECEIPT_BAD_SIGNATURE);
    assert_int_equal(receipt_verify("MR1.", pub, &back), RECEIPT_MALFORMED);
    assert_int_equal(receipt_verify("YT-20261123-0042", pub, &back), RECEIPT_MALFORMED);
    assert_int_equal(receipt_verify("MR1.!!!!", pub, &back), RECEIPT_MALFORMED);
}

static void refuses_bad_input(void **state) {
    (void)state;
    char token[RECEIPT_TOKEN_MAX];
    struct receipt r = {
        .kind = 'X', .office = "370602", .record_id = "0194f000-0000-7000-8000-000000000001"};
    assert_int_equal(receipt_sign(&r, seed, token, sizeof token), -1);
    r.kind = 'C';
    strcpy(r.record_id, "not-a-uuid");
    assert_int_equal(receipt_sign(&r, seed, token, sizeof token), -1);
    strcpy(r.record_id, "0194f000-0000-7000-8000-000000000001");
    assert_int_equal(receipt_sign(&r, seed, token, 20), -1); /* no room */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signs_and_verifies),
        cmocka_unit_test(any_change_fails),
        cmocka_unit_test(refuses_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
