/* manifest: the signed description of a release or content bundle (DESIGN.md §7).
 *
 *   {"type":"release"|"content","version":"0.2.0","serial":12,"channel":"370602",
 *    "hardware":"x86_64-kiosk-1","expires":1800000000,
 *    "files":[{"path":"bin/kiosk","sha256":"<64 hex>","size":123}, ...],
 *    "signatures":[{"key":"<key id: 8 hex>","sig":"<base64url Ed25519>"}, ...]}
 *
 * Each signature is over the canonical form of the manifest without "signatures": sorted
 * keys, no spaces (cJSON's unformatted print of a key-sorted copy). The kiosk trusts the
 * keys of its root of trust and needs at least `threshold` distinct ones to have signed;
 * signatures by keys it does not know, or that do not hold, are not counted (TUF: extra
 * signatures never reject a manifest the trusted ones carry). It rejects, with the reason:
 * malformed, too few trusted signatures (saying whether a trusted one did not hold or an
 * unknown key signed), a serial not above the installed one, an expired manifest, another
 * hardware class, another type, another channel.
 *
 * The root of trust (TUF's root role) is a signed key list:
 *   {"type":"root","version":1,"threshold":2,"expires":...,"keys":["<base64url>",...],
 *    "revoked":["<base64url>",...],"signatures":[...]}
 * signed (over the same canonical form) by at least its own threshold of its own keys. A new
 * root replaces the current one only when its version is higher and at least the current
 * threshold of the current keys signed it too: keys rotate, and a key left out or listed in
 * "revoked" is no longer trusted. A trust directory holds root.json (or, as before, one
 * KEY.pub a key with the configured threshold). Pure but for the signatures (OpenSSL). */
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
    MANIFEST_WRONG_CHANNEL,
    MANIFEST_OLD_ROOT, /* a root not newer than the current one */
};

const char *manifest_strerror(enum manifest_err e);

struct trust {
    uint8_t keys[TRUST_KEYS_MAX][32];
    int n, threshold;
    int64_t version; /* of the root it came from; 0: a directory of .pub files */
    int64_t expires; /* of that root; 0: none */
};

/* The root of trust of a directory: root.json when there is one (it must carry its own
 * threshold of its own signatures), else its *.pub files (one base64url line each) with
 * threshold. 0, or -1. */
int trust_load(struct trust *t, const char *dir, int threshold);
/* A root (JSON text) checked as described above against cur, into next: MANIFEST_OK, or why
 * not (MANIFEST_OLD_ROOT, MANIFEST_BELOW_THRESHOLD, MANIFEST_EXPIRED, MANIFEST_MALFORMED). */
enum manifest_err trust_root_verify(const char *json, const struct trust *cur, int64_t now,
                                    struct trust *next, char *why, size_t cap);
/* A key's id: the first 4 bytes of SHA-256 of the public key, as 8 hex characters. */
void manifest_key_id(const uint8_t pub[32], char id[9]);

/* The canonical text the signatures cover (malloc'd), or NULL for malformed JSON. */
char *manifest_canonical(const char *json);
/* Adds a signature with seed to the manifest json; returns the new text (malloc'd). */
char *manifest_sign(const char *json, const uint8_t seed[32]);
/* Verifies and reads a manifest for this kiosk: type ("release" or "content"), channel (NULL:
 * any), installed serial, now, hardware class. On MANIFEST_OK, out is filled; else why says
 * what was wrong (which key, which serial, ...); out's fields are read even when the
 * signatures fail, for the reason only. */
enum manifest_err manifest_verify(const char *json, const struct trust *t, const char *type,
                                  const char *channel, int64_t installed_serial, int64_t now,
                                  const char *hardware, struct manifest *out, char *why,
                                  size_t cap);

#endif
