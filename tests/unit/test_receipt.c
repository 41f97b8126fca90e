/* Unit tests of domain/receipt: tokens sign and verify; any change or another key fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
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
                        .queue = "A012",
                        .kiosk = "YT-370602-01"};
    char token[RECEIPT_TOKEN_MAX];
    int n = receipt_sign(&r, seed, token, sizeof token);
    assert_true(n > 0 && n < 170);
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
    assert_string_equal(back.kiosk, "YT-370602-01"); /* the signer, named and signed */
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

/* A kiosk of office 370699 signs a receipt claiming an office 370602 record: the signature
 * holds, but the receipt is refused once its signer is known; a receipt naming another kiosk
 * than its signer is refused too. A version 1 token (no kiosk) still reads. */
static void bound_to_signer(void **state) {
    (void)state;
    struct receipt r = {.kind = 'C',
                        .office = "370602",
                        .record_id = "0194f000-0000-7000-8000-00000000002a",
                        .time = 1795430000,
                        .queue = "A1",
                        .kiosk = "YT-370699-09"};
    char token[RECEIPT_TOKEN_MAX];
    assert_true(receipt_sign(&r, seed, token, sizeof token) > 0);
    uint8_t pub[32];
    crypto_ed25519_public(seed, pub);
    struct receipt back;
    assert_int_equal(receipt_verify(token, pub, &back), RECEIPT_OK);
    assert_int_equal(receipt_bound(&back, "YT-370699-09", "370699"), RECEIPT_WRONG_OFFICE);
    assert_int_equal(receipt_bound(&back, "YT-370602-01", "370602"), RECEIPT_WRONG_KIOSK);
    strcpy(r.office, "370699");
    assert_true(receipt_sign(&r, seed, token, sizeof token) > 0);
    assert_int_equal(receipt_verify(token, pub, &back), RECEIPT_OK);
    assert_int_equal(receipt_bound(&back, "YT-370699-09", "370699"), RECEIPT_OK);
    /* a kiosk id with a space or longer than 24 characters is not signed */
    strcpy(r.kiosk, "YT 1");
    assert_int_equal(receipt_sign(&r, seed, token, sizeof token), -1);
    /* version 1: the same payload without the kiosk id (made by hand here) */
    uint8_t p[33 + 2 + 64];
    memset(p, 0, sizeof p);
    p[0] = 1;
    p[1] = 'C';
    receipt_key_id(pub, p + 2);
    memcpy(p + 6, "370602", 6);
    p[32] = 2;
    memcpy(p + 33, "A1", 2);
    assert_int_equal(crypto_ed25519_sign(seed, p, 35, p + 35), 0);
    char b64[200];
    size_t len = crypto_b64url_encode(p, sizeof p, b64);
    b64[len] = 0;
    char v1[220];
    snprintf(v1, sizeof v1, "MR1.%s", b64);
    assert_int_equal(receipt_verify(v1, pub, &back), RECEIPT_OK);
    assert_string_equal(back.kiosk, "");
    assert_int_equal(receipt_bound(&back, "YT-370602-01", "370602"), RECEIPT_OK);
    assert_int_equal(receipt_bound(&back, "YT-370699-09", "370699"), RECEIPT_WRONG_OFFICE);
    assert_string_equal(receipt_strerror(RECEIPT_WRONG_OFFICE),
                        "the signing kiosk is not of the office the receipt names");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signs_and_verifies),
        cmocka_unit_test(any_change_fails),
        cmocka_unit_test(refuses_bad_input),
        cmocka_unit_test(bound_to_signer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
