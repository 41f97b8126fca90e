/* uuid: record ids (RFC 9562). Records get one at capture; with the kiosk that made it, it is
 * their idempotency key at the registry, and it sorts by time.
 *
 * A kiosk that knows its id (the CN of its certificate) makes ids bound to it: UUIDv8, the
 * "custom" version, laid out as a UUIDv7 (48 bits of Unix milliseconds, then 42 random bits)
 * whose last 32 bits are a tag: the first 4 bytes of
 *   SHA-256("kiosk-record-id-1" 0x00 KIOSK_ID 0x00 first-12-bytes-of-the-uuid).
 * The tag is public (anyone can compute it) and needs no secret: what it stops is a kiosk
 * posting another kiosk's ids (read from receipts' QR codes) as its own, because the registry
 * checks the tag against the CN of the kiosk that posts the id, which no kiosk chooses.
 * A kiosk that does not know its id yet makes plain UUIDv7 ("untagged"). */
#ifndef COMMON_UUID_H
#define COMMON_UUID_H

#include <stdint.h>

#define UUID_STR_LEN 37 /* 36 characters and the NUL */

/* Writes the UUIDv7 for unix_ms into out. Returns 0, or -1 when no random bytes could be had. */
int uuid_v7(int64_t unix_ms, char out[UUID_STR_LEN]);

/* Writes a record id for unix_ms made by kiosk (UUIDv8 with the kiosk's tag), or a UUIDv7 when
 * kiosk is NULL or empty. Returns 0, or -1 when no random bytes could be had. */
int uuid_record(int64_t unix_ms, const char *kiosk, char out[UUID_STR_LEN]);

enum uuid_owner {
    UUID_MALFORMED = -2, /* not 36 characters of lower-case hex and dashes, or another version */
    UUID_NOT_MADE_BY = -1, /* tagged, by another kiosk than the one named */
    UUID_UNTAGGED = 0,     /* a UUIDv7: says nothing of who made it */
    UUID_MADE_BY = 1,      /* tagged by the kiosk named */
};

/* Who made id, as far as it says: checks its tag against kiosk. *unix_ms (when not NULL) gets
 * its time. */
enum uuid_owner uuid_record_owner(const char *id, const char *kiosk, int64_t *unix_ms);

#endif
