/* pin: staff PINs as stored in the configuration (DESIGN.md §3):
 *   pbkdf2-sha256$ITERATIONS$SALT$HASH    PBKDF2 of the PIN
 *   pbkdf2p-sha256$ITERATIONS$SALT$HASH   PBKDF2 of HMAC-SHA256(pepper, PIN)
 * (SALT 16 bytes, HASH 32 bytes, both base64url). A PIN has 6 to 12 digits: a million
 * candidates at least, but a million is still searched in hours on a GPU against an unpeppered
 * hash (issue 13: a 6-digit PIN fell in 9.4 h on one core). The peppered form needs a 32-byte
 * secret kept apart from the configuration ([paths] staff_pepper, 0600, made by kioskctl
 * staff pepper): a copy of the configuration alone can then not be searched at all. Only the
 * hash is kept; checking takes constant time in where the PIN differs. */
#ifndef DOMAIN_PIN_H
#define DOMAIN_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define PIN_ITERATIONS 100000
#define PIN_MIN_DIGITS 6
#define PIN_PEPPER_LEN CRYPTO_PEPPER_LEN

/* The stored form of a PIN (6 to 12 digits) with a random salt, peppered when pepper is not
 * NULL. Returns 0, or -1 for a PIN that is not 6 to 12 digits. */
int pin_hash(const char *pin, const uint8_t *pepper, int iterations, char *out, size_t cap);
/* Does pin match the stored form? A peppered form needs the pepper (NULL: matches nothing);
 * a malformed stored form matches nothing. */
bool pin_check(const char *pin, const char *stored, const uint8_t *pepper);
/* Whether a stored form is peppered. */
bool pin_peppered(const char *stored);

#endif
