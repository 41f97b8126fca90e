/* pin: staff PINs as stored in the configuration (DESIGN.md §3):
 *   pbkdf2-sha256$ITERATIONS$SALT$HASH   (SALT 16 bytes, HASH 32 bytes, both base64url)
 * Only the hash is kept; checking takes constant time in where the PIN differs. */
#ifndef DOMAIN_PIN_H
#define DOMAIN_PIN_H

#include <stdbool.h>
#include <stddef.h>

#define PIN_ITERATIONS 100000

/* The stored form of a PIN (4 to 12 digits) with a random salt. Returns 0, or -1 for a PIN
 * that is not 4 to 12 digits. */
int pin_hash(const char *pin, int iterations, char *out, size_t cap);
/* Does pin match the stored form? A malformed stored form matches nothing. */
bool pin_check(const char *pin, const char *stored);

#endif
