/* crypto: the kiosk's cryptography, through OpenSSL 3 (the only file besides the registry's
 * TLS server that includes OpenSSL headers).
 *
 *   random bytes, SHA-256, HMAC-SHA256, Ed25519 signatures, base64url, and AES-256-GCM
 *   sealing:
 *   sealed = nonce (12 bytes, random) || ciphertext || tag (16 bytes); the associated data
 *   (e.g. the record id) is authenticated, not stored.
 * Every function returns 0 on success and -1 on failure; nothing is logged (callers know
 * what a failure means for them). Keys and plaintexts are the caller's to clear. */
#ifndef COMMON_CRYPTO_H
#define COMMON_CRYPTO_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#define CRYPTO_KEY_LEN 32
#define CRYPTO_NONCE_LEN 12
#define CRYPTO_TAG_LEN 16
#define CRYPTO_SEAL_OVERHEAD (CRYPTO_NONCE_LEN + CRYPTO_TAG_LEN)

int crypto_random(void *buf, size_t n);
int crypto_sha256(const void *data, size_t n, uint8_t out[32]);
int crypto_hmac_sha256(const uint8_t *key, size_t klen, const void *data, size_t n,
                       uint8_t out[32]);
/* Seals pt[0..n) into out (at least n + CRYPTO_SEAL_OVERHEAD bytes); *outlen is set. */
int crypto_seal(const uint8_t key[CRYPTO_KEY_LEN], const void *aad, size_t aadlen, const void *pt,
                size_t n, uint8_t *out, size_t *outlen);
/* Opens what crypto_seal made; -1 when it was altered, or aad or key differ. out holds at
 * least len - CRYPTO_SEAL_OVERHEAD bytes. */
int crypto_open(const uint8_t key[CRYPTO_KEY_LEN], const void *aad, size_t aadlen,
                const uint8_t *in, size_t len, uint8_t *out, size_t *outlen);
/* HKDF-SHA256 (RFC 5869) of key with salt and info into out (n bytes): one key of each
 * purpose from a master key (the registry's per-office data keys). */
int crypto_hkdf_sha256(const uint8_t *key, size_t klen, const char *salt, const char *info,
                       uint8_t *out, size_t n);
/* Ed25519 (receipts): a 32-byte private seed, its 32-byte public key, 64-byte signatures.
 * verify returns 0 only for a good signature. */
int crypto_ed25519_public(const uint8_t seed[32], uint8_t pub[32]);
int crypto_ed25519_sign(const uint8_t seed[32], const void *msg, size_t n, uint8_t sig[64]);
int crypto_ed25519_verify(const uint8_t pub[32], const void *msg, size_t n, const uint8_t sig[64]);
/* base64url without padding (RFC 4648 §5). encode: out holds 4 * ceil(n / 3) + 1 bytes;
 * returns the length. decode: returns the bytes written (at most cap), -1 for bad or
 * non-canonical input. */
size_t crypto_b64url_encode(const uint8_t *p, size_t n, char *out);
int crypto_b64url_decode(const char *s, uint8_t *out, size_t cap);
/* PBKDF2-HMAC-SHA256 of a secret (staff PINs) into out (n bytes). */
int crypto_pbkdf2_sha256(const char *secret, const uint8_t *salt, size_t saltlen, int iterations,
                         uint8_t *out, size_t n);
/* Stored secrets (staff PINs: kiosk/domain/pin.h; the clerk console's passwords):
 *   pbkdf2-sha256$ITERATIONS$SALT$HASH    PBKDF2-HMAC-SHA256 of the secret
 *   pbkdf2p-sha256$ITERATIONS$SALT$HASH   PBKDF2 of HMAC-SHA256(pepper, secret)
 * SALT 16 random bytes, HASH 32 bytes, both base64url. hash: 0, or -1 (iterations under
 * 1000, no randomness, out too small). check: whether secret matches (a peppered form needs
 * the pepper; a malformed one matches nothing), in time that does not depend on where they
 * differ. */
#define CRYPTO_PEPPER_LEN 32
int crypto_pw_hash(const char *secret, const uint8_t *pepper, int iterations, char *out,
                   size_t cap);
bool crypto_pw_check(const char *secret, const char *stored, const uint8_t *pepper);
bool crypto_pw_peppered(const char *stored);
/* Compares two buffers in time that does not depend on where they differ: 0 when equal. */
int crypto_equal(const void *a, const void *b, size_t n);
/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void crypto_hex(const uint8_t *p, size_t n, char *out);

/* A key file: one base64url line of exactly len bytes (update signing seeds, the staff
 * pepper). 0, or -1 when it cannot be read or is not one; the text read is wiped. */
int crypto_key_file(const char *path, uint8_t *out, size_t len);

/* The text an audit anchor's signature covers (kiosk and registry):
 * "kiosk-audit-anchor/1 SEQ HASH_HEX". */
void crypto_anchor_text(int64_t seq, const uint8_t hash[32], char out[120]);

#endif
