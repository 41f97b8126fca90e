/* pin: see pin.h. */
#include "pin.h"
#include "num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

#define PLAIN "pbkdf2-sha256$"
#define PEPPERED "pbkdf2p-sha256$"

static bool pin_ok(const char *pin) {
    size_t n = strlen(pin);
    return n >= PIN_MIN_DIGITS && n <= 12 && strspn(pin, "0123456789") == n;
}

bool pin_peppered(const char *stored) {
    return !strncmp(stored, PEPPERED, strlen(PEPPERED));
}

/* What PBKDF2 is given: the PIN, or HMAC-SHA256(pepper, PIN) as 64 hex digits. */
static const char *secret_of(const char *pin, const uint8_t *pepper, char buf[65]) {
    if (!pepper)
        return pin;
    uint8_t mac[32];
    crypto_hmac_sha256(pepper, PIN_PEPPER_LEN, pin, strlen(pin), mac);
    crypto_hex(mac, sizeof mac, buf);
    explicit_bzero(mac, sizeof mac);
    return buf;
}

int pin_hash(const char *pin, const uint8_t *pepper, int iterations, char *out, size_t cap) {
    uint8_t salt[16], h[32];
    char buf[65];
    if (!pin_ok(pin) || iterations < 1000 || crypto_random(salt, sizeof salt) != 0)
        return -1;
    const char *secret = secret_of(pin, pepper, buf);
    int rc = crypto_pbkdf2_sha256(secret, salt, sizeof salt, iterations, h, sizeof h);
    explicit_bzero(buf, sizeof buf);
    if (rc != 0)
        return -1;
    char s64[32], h64[48];
    crypto_b64url_encode(salt, sizeof salt, s64);
    crypto_b64url_encode(h, sizeof h, h64);
    explicit_bzero(h, sizeof h);
    return snprintf(out, cap, "%s%d$%s$%s", pepper ? PEPPERED : PLAIN, iterations, s64, h64) <
                   (int)cap
               ? 0
               : -1;
}

bool pin_check(const char *pin, const char *stored, const uint8_t *pepper) {
    char copy[200];
    bool peppered = pin_peppered(stored);
    size_t skip = peppered ? strlen(PEPPERED) : strlen(PLAIN);
    if (!pin_ok(pin) || (!peppered && strncmp(stored, PLAIN, skip) != 0) ||
        (peppered && !pepper) ||
        snprintf(copy, sizeof copy, "%s", stored + skip) >= (int)sizeof copy)
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
    char buf[65];
    const char *secret = secret_of(pin, peppered ? pepper : NULL, buf);
    bool derived = iterations >= 1000 && iterations <= 10000000 && slen >= 8 &&
                   crypto_b64url_decode(hash, want, sizeof want) == 32 &&
                   crypto_pbkdf2_sha256(secret, s, (size_t)slen, iterations, got, sizeof got) == 0;
    explicit_bzero(buf, sizeof buf);
    if (!derived)
        return false;
    bool ok = crypto_equal(got, want, sizeof got) == 0;
    explicit_bzero(got, sizeof got);
    return ok;
}
