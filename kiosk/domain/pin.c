/* pin: see pin.h. */
#include "pin.h"

#include <string.h>

#include "crypto.h"

static bool pin_ok(const char *pin) {
    size_t n = strlen(pin);
    return n >= PIN_MIN_DIGITS && n <= 12 && strspn(pin, "0123456789") == n;
}

bool pin_peppered(const char *stored) {
    return crypto_pw_peppered(stored);
}

int pin_hash(const char *pin, const uint8_t *pepper, int iterations, char *out, size_t cap) {
    return pin_ok(pin) ? crypto_pw_hash(pin, pepper, iterations, out, cap) : -1;
}

bool pin_check(const char *pin, const char *stored, const uint8_t *pepper) {
    return pin_ok(pin) && crypto_pw_check(pin, stored, pepper);
}
