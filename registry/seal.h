/* seal: personal data sealed at the registry (issue 17). Payloads of records and
 * appointments are stored as
 *     s1:BASE64URL(nonce || AES-256-GCM ciphertext || tag)
 * under a key of their office: HKDF-SHA256 of the registry's data key with the office's code
 * as info. The data key is a file of its own (one base64url line of 32 bytes, 0600), kept
 * apart from the database and its backups: a copy of registry.db or a pg_dump holds no name
 * or ID number in clear, and without the key file it reads nothing. The associated data binds
 * each text to its row (the kind of row, kiosk and id), so that no ciphertext can be moved
 * to another row or office unnoticed. Keys are derived per call and wiped after use.
 *
 * Texts stored before sealing (JSON, starting with { or [) are read as they are, so that a
 * registry upgraded in place goes on; rstore_seal_legacy seals them. */
#ifndef REGISTRY_SEAL_H
#define REGISTRY_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEAL_PREFIX "s1:"

struct seal;
/* The data key of path; made (random, 0600) when the file is missing and create is set. NULL
 * when it cannot be read or made (logged). *made tells whether it was made now. */
struct seal *seal_load(const char *path, bool create, bool *made);
/* A seal of this key (tests, tools). */
struct seal *seal_of_key(const uint8_t key[32]);
void seal_free(struct seal *s);
/* clear sealed for office under aad (malloc'd), or NULL. */
char *seal_text(const struct seal *s, const char *office, const char *aad, const char *clear);
/* What seal_text sealed (malloc'd; the caller wipes it), a legacy clear JSON text as it is,
 * or NULL when it does not open (another key, office or row, or altered). */
char *seal_open_text(const struct seal *s, const char *office, const char *aad,
                     const char *stored);
bool seal_is_sealed(const char *stored);
/* n bytes of key material for purpose (HKDF of the data key): keys every registry process
 * sharing the data key derives alike (the TLS session ticket keys, server.c). 0 or -1. */
int seal_derive(const struct seal *s, const char *purpose, uint8_t *out, size_t n);
/* HMAC-SHA256 under a key of purpose (a lookup key of personal data, such as a divorce's two
 * ID numbers) as 64 hex digits: the same input gives the same tag, and nobody without the
 * data key can test a guess against it. 0 or -1. */
int seal_tag(const struct seal *s, const char *purpose, const char *data, char hex[65]);

#endif
