/* uuid: UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Records get one at
 * capture; it is their idempotency key at the registry and sorts by time. */
#ifndef COMMON_UUID_H
#define COMMON_UUID_H

#include <stdint.h>

#define UUID_STR_LEN 37 /* 36 characters and the NUL */

/* Writes the UUIDv7 for unix_ms into out. Returns 0, or -1 when no random bytes could be had. */
int uuid_v7(int64_t unix_ms, char out[UUID_STR_LEN]);

#endif
