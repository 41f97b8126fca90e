/* manifest: the signed description of a release or content bundle (DESIGN.md §7).
 *
 *   {"type":"release"|"content","version":"0.2.0","serial":12,"channel":"370602",
 *    "hardware":"x86_64-kiosk-1","expires":1800000000,
 *    "files":[{"path":"bin/kiosk","sha256":"<64 hex>","size":123}, ...],
 *    "signatures":[{"key":"<key id: 8 hex>","sig":"<base64url Ed25519>"}, ...]}
 *
 * Each signature is over the canonical form of the manifest without "signatures": sorted
 * keys, no spaces (cJSON's unformatted print of a key-sorted copy). The kiosk trusts the
 * public keys of its trust directory and needs at least `threshold` distinct ones to have
 * signed. It rejects, with the reason: malformed, a bad signature, an unknown key, too few
 * trusted signatures, a serial not above the installed one, an expired manifest, another
 * hardware class, another type. Pure but for the signatures (OpenSSL). */
#ifndef UPDATE_MANIFEST_H
#define UPDATE_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#define MANIFEST_FILES_MAX 256
#define TRUST_KEYS_MAX 16

struct manifest_file {
    char path[256];
    char sha256[65];
    int64_t size;
};

struct manifest {
    char type[16], version[32], channel[64], hardware[64];
    int64_t serial, expires;
    int nfiles;
    struct manifest_file files[MANIFEST_FILES_MAX];
};

enum manifest_err {
    MANIFEST_OK = 0,
    MANIFEST_MALFORMED,
    MANIFEST_BAD_SIGNATURE,
    MANIFEST_UNKNOWN_KEY,
    MANIFEST_BELOW_THRESHOLD,
    MANIFEST_OLD_SERIAL,
    MANIFEST_EXPIRED,
    MANIFEST_WRONG_HARDWARE,
    MANIFEST_WRONG_TYPE,
};

const char *manifest_strerror(enum manifest_err e);

struct trust {
    uint8_t keys[TRUST_KEYS_MAX][32];
    int n, threshold;
};

/* The public keys (*.pub: one base64url line each) of a trust directory. 0, or -1. */
int trust_load(struct trust *t, const char *dir, int threshold);
/* A key's id: the first 4 bytes of SHA-256 of the public key, as 8 hex characters. */
void manifest_key_id(const uint8_t pub[32], char id[9]);

/* The canonical text the signatures cover (malloc'd), or NULL for malformed JSON. */
char *manifest_canonical(const char *json);
/* Adds a signature with seed to the manifest json; returns the new text (malloc'd). */
char *manifest_sign(const char *json, const uint8_t seed[32]);
/* Verifies and reads a manifest for this kiosk: type ("release" or "content"), installed
 * serial, now, hardware class. On MANIFEST_OK, out is filled; else why says what was wrong
 * (which key, which serial, ...). */
enum manifest_err manifest_verify(const char *json, const struct trust *t, const char *type,
                                  int64_t installed_serial, int64_t now, const char *hardware,
                                  struct manifest *out, char *why, size_t cap);

#endif
