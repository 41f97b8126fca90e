/* pin: see pin.h. */
#include "pin.h"
#include "num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

static bool pin_ok(const char *pin) {
    size_t n = strlen(pin);
    return n >= 4 && n <= 12 && strspn(pin, "0123456789") == n;
}

int pin_hash(const char *pin, int iterations, char *out, size_t cap) {
    uint8_t salt[16], h[32];
    if (!pin_ok(pin) || iterations < 1000 || crypto_random(salt, sizeof salt) != 0 ||
        crypto_pbkdf2_sha256(pin, salt, sizeof salt, iterations, h, sizeof h) != 0)
        return -1;
    char s64[32], h64[48];
    crypto_b64url_encode(salt, sizeof salt, s64);
    crypto_b64url_encode(h, sizeof h, h64);
    explicit_bzero(h, sizeof h);
    return snprintf(out, cap, "pbkdf2-sha256$%d$%s$%s", iterations, s64, h64) < (int)cap ? 0 : -1;
}

bool pin_check(const char *pin, const char *stored) {
    char copy[200];
    if (!pin_ok(pin) || strncmp(stored, "pbkdf2-sha256$", 14) != 0 ||
        snprintf(copy, sizeof copy, "%s", stored + 14) >= (int)sizeof copy)
        return false;
    char *iter = copy, *salt = strchr(iter, '$'), *hash = salt ? strchr(salt + 1, '$') : NULL;
    if (!hash)
        return false;
    *salt++ = 0;
    *hash++ = 0;
    int iterations = 0;
    if (num_int(iter, 1000, 10000000, &iterations) != 0)
        return false;
    uint8_t s[64], want[32], got[32];
    int slen = crypto_b64url_decode(salt, s, sizeof s);
    if (iterations < 1000 || iterations > 10000000 || slen < 8 ||
        crypto_b64url_decode(hash, want, sizeof want) != 32 ||
        crypto_pbkdf2_sha256(pin, s, (size_t)slen, iterations, got, sizeof got) != 0)
        return false;
    bool ok = crypto_equal(got, want, sizeof got) == 0;
    explicit_bzero(got, sizeof got);
    return ok;
}
