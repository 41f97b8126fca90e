/* libFuzzer target: the receipt token of a QR code (anyone can print one). The bytes are read
 * as a token; a token that parses must hold sane fields, and one that verifies under the test
 * key must say the same when signed again. Half the inputs are made into real tokens first
 * (signed over the fuzzed fields), so that the checks behind the signature are reached. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t seed[32] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3,
                                 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5};

static void sane(const struct receipt *r) {
    if ((r->kind != 'C' && r->kind != 'J') || strlen(r->office) != 6 ||
        strlen(r->record_id) != 36 || strlen(r->queue) > 8 || strlen(r->kiosk) > 24)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 1024)
        return 0;
    static uint8_t pub[32];
    static int ready;
    if (!ready) {
        crypto_ed25519_public(seed, pub);
        ready = 1;
    }
    char token[1100];
    memcpy(token, data, size);
    token[size] = 0;
    struct receipt r;
    if (receipt_parse(token, &r) == RECEIPT_OK)
        sane(&r);
    if (receipt_verify(token, pub, &r) == RECEIPT_OK) {
        sane(&r);
        receipt_bound(&r, r.kiosk, r.office);
    }
    /* fields from the bytes, signed, then read back: what was signed is what is read */
    if (size >= 2 && (data[0] & 1)) {
        struct receipt in = {.kind = data[1] & 1 ? 'C' : 'J', .time = size};
        memcpy(in.office, "370602", 7);
        memcpy(in.record_id, "0194f000-0000-7000-8000-00000000002a", 37);
        size_t q = (size - 2) % 9, k = size - 2 - q > 24 ? 24 : size - 2 - q;
        memcpy(in.queue, data + 2, q);
        memcpy(in.kiosk, data + 2 + q, k);
        char t[RECEIPT_TOKEN_MAX];
        struct receipt back;
        if (receipt_sign(&in, seed, t, sizeof t) > 0) {
            if (receipt_verify(t, pub, &back) != RECEIPT_OK || strcmp(back.queue, in.queue) ||
                strcmp(back.kiosk, in.kiosk))
                __builtin_trap();
        }
    }
    return 0;
}
