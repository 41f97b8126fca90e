/* crypto: see crypto.h. */
#include "crypto.h"
#include "file.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int crypto_random(void *buf, size_t n) {
    return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

int crypto_sha256(const void *data, size_t n, uint8_t out[32]) {
    unsigned int len = 0;
    return EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) == 1 && len == 32 ? 0 : -1;
}

int crypto_hmac_sha256(const uint8_t *key, size_t klen, const void *data, size_t n,
                       uint8_t out[32]) {
    unsigned int len = 0;
    return HMAC(EVP_sha256(), key, (int)klen, data, n, out, &len) && len == 32 ? 0 : -1;
}

int crypto_seal(const uint8_t key[CRYPTO_KEY_LEN], const void *aad, size_t aadlen, const void *pt,
                size_t n, uint8_t *out, size_t *outlen) {
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0, ok = c != NULL;
    ok = ok && crypto_random(out, CRYPTO_NONCE_LEN) == 0;
    ok = ok && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, out) == 1;
    ok = ok && (!aadlen || EVP_EncryptUpdate(c, NULL, &len, aad, (int)aadlen) == 1);
    ok = ok && EVP_EncryptUpdate(c, out + CRYPTO_NONCE_LEN, &len, pt, (int)n) == 1;
    ok = ok && EVP_EncryptFinal_ex(c, out + CRYPTO_NONCE_LEN + len, &fin) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, CRYPTO_TAG_LEN,
                                   out + CRYPTO_NONCE_LEN + len + fin) == 1;
    EVP_CIPHER_CTX_free(c);
    if (!ok)
        return -1;
    *outlen = (size_t)(CRYPTO_NONCE_LEN + len + fin + CRYPTO_TAG_LEN);
    return 0;
}

int crypto_open(const uint8_t key[CRYPTO_KEY_LEN], const void *aad, size_t aadlen,
                const uint8_t *in, size_t len, uint8_t *out, size_t *outlen) {
    if (len < CRYPTO_SEAL_OVERHEAD)
        return -1;
    size_t ctlen = len - CRYPTO_SEAL_OVERHEAD;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0, fin = 0, ok = c != NULL;
    ok = ok && EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, in) == 1;
    ok = ok && (!aadlen || EVP_DecryptUpdate(c, NULL, &n, aad, (int)aadlen) == 1);
    ok = ok && EVP_DecryptUpdate(c, out, &n, in + CRYPTO_NONCE_LEN, (int)ctlen) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, CRYPTO_TAG_LEN,
                                   (void *)(in + CRYPTO_NONCE_LEN + ctlen)) == 1;
    ok = ok && EVP_DecryptFinal_ex(c, out + n, &fin) == 1;
    EVP_CIPHER_CTX_free(c);
    if (!ok)
        return -1;
    *outlen = (size_t)(n + fin);
    return 0;
}

void crypto_hex(const uint8_t *p, size_t n, char *out) {
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[p[i] >> 4];
        out[2 * i + 1] = d[p[i] & 15];
    }
    out[2 * n] = 0;
}

static EVP_PKEY *ed_private(const uint8_t seed[32]) {
    return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
}

int crypto_ed25519_public(const uint8_t seed[32], uint8_t pub[32]) {
    EVP_PKEY *k = ed_private(seed);
    size_t len = 32;
    int ok = k && EVP_PKEY_get_raw_public_key(k, pub, &len) == 1 && len == 32;
    EVP_PKEY_free(k);
    return ok ? 0 : -1;
}

int crypto_ed25519_sign(const uint8_t seed[32], const void *msg, size_t n, uint8_t sig[64]) {
    EVP_PKEY *k = ed_private(seed);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    size_t len = 64;
    int ok = k && c && EVP_DigestSignInit(c, NULL, NULL, NULL, k) == 1 &&
             EVP_DigestSign(c, sig, &len, msg, n) == 1 && len == 64;
    EVP_MD_CTX_free(c);
    EVP_PKEY_free(k);
    return ok ? 0 : -1;
}

int crypto_ed25519_verify(const uint8_t pub[32], const void *msg, size_t n, const uint8_t sig[64]) {
    EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = k && c && EVP_DigestVerifyInit(c, NULL, NULL, NULL, k) == 1 &&
             EVP_DigestVerify(c, sig, 64, msg, n) == 1;
    EVP_MD_CTX_free(c);
    EVP_PKEY_free(k);
    return ok ? 0 : -1;
}

size_t crypto_b64url_encode(const uint8_t *p, size_t n, char *out) {
    int len = EVP_EncodeBlock((unsigned char *)out, p, (int)n);
    while (len > 0 && out[len - 1] == '=')
        len--;
    out[len] = 0;
    for (int i = 0; i < len; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    return (size_t)len;
}

int crypto_b64url_decode(const char *s, uint8_t *out, size_t cap) {
    size_t len = strlen(s);
    if (len % 4 == 1 || len > 4096)
        return -1;
    char buf[4100];
    size_t i = 0;
    for (; i < len; i++) {
        char ch = s[i];
        if (ch == '-')
            ch = '+';
        else if (ch == '_')
            ch = '/';
        else if (!isalnum((unsigned char)ch))
            return -1;
        buf[i] = ch;
    }
    int pad = 0;
    while (i % 4) {
        buf[i++] = '=';
        pad++;
    }
    unsigned char tmp[3100];
    int n = EVP_DecodeBlock(tmp, (const unsigned char *)buf, (int)i);
    if (n < 0)
        return -1;
    n -= pad; /* EVP_DecodeBlock counts the padding as zero bytes */
    if (n < 0 || (size_t)n > cap)
        return -1;
    /* canonical only: unused low bits of the last character must be zero, so that one value
     * has one text */
    char again[4100];
    if (crypto_b64url_encode(tmp, (size_t)n, again) != len || memcmp(again, s, len) != 0)
        return -1;
    memcpy(out, tmp, (size_t)n);
    return n;
}

int crypto_pbkdf2_sha256(const char *secret, const uint8_t *salt, size_t saltlen, int iterations,
                         uint8_t *out, size_t n) {
    return PKCS5_PBKDF2_HMAC(secret, (int)strlen(secret), salt, (int)saltlen, iterations,
                             EVP_sha256(), (int)n, out) == 1
               ? 0
               : -1;
}

int crypto_equal(const void *a, const void *b, size_t n) {
    return CRYPTO_memcmp(a, b, n) == 0 ? 0 : -1;
}

void crypto_anchor_text(int64_t seq, const uint8_t hash[32], char out[120]) {
    char hex[65];
    crypto_hex(hash, 32, hex);
    snprintf(out, 120, "kiosk-audit-anchor/1 %lld %s", (long long)seq, hex);
}

int crypto_key_file(const char *path, uint8_t *out, size_t len) {
    char *text = file_read(path, 256, NULL);
    int rc = -1;
    if (text) {
        text[strcspn(text, "\r\n")] = 0;
        rc = crypto_b64url_decode(text, out, len) == (int)len ? 0 : -1;
        explicit_bzero(text, strlen(text));
        free(text);
    }
    if (rc != 0)
        explicit_bzero(out, len);
    return rc;
}

/* --- stored secrets: staff PINs, clerks' passwords --- */

#define PW_PLAIN "pbkdf2-sha256$"
#define PW_PEPPERED "pbkdf2p-sha256$"

bool crypto_pw_peppered(const char *stored) {
    return !strncmp(stored, PW_PEPPERED, strlen(PW_PEPPERED));
}

/* What PBKDF2 is given: the secret, or HMAC-SHA256(pepper, secret) as 64 hex digits. */
static const char *secret_of(const char *pin, const uint8_t *pepper, char buf[65]) {
    if (!pepper)
        return pin;
    uint8_t mac[32];
    crypto_hmac_sha256(pepper, CRYPTO_PEPPER_LEN, pin, strlen(pin), mac);
    crypto_hex(mac, sizeof mac, buf);
    explicit_bzero(mac, sizeof mac);
    return buf;
}

int crypto_pw_hash(const char *pin, const uint8_t *pepper, int iterations, char *out, size_t cap) {
    uint8_t salt[16], h[32];
    char buf[65];
    if (iterations < 1000 || crypto_random(salt, sizeof salt) != 0)
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
    return snprintf(out, cap, "%s%d$%s$%s", pepper ? PW_PEPPERED : PW_PLAIN, iterations, s64, h64) <
                   (int)cap
               ? 0
               : -1;
}

bool crypto_pw_check(const char *pin, const char *stored, const uint8_t *pepper) {
    char copy[200];
    bool peppered = crypto_pw_peppered(stored);
    size_t skip = peppered ? strlen(PW_PEPPERED) : strlen(PW_PLAIN);
    if ((!peppered && strncmp(stored, PW_PLAIN, skip) != 0) ||
        (peppered && !pepper) ||
        snprintf(copy, sizeof copy, "%s", stored + skip) >= (int)sizeof copy)
        return false;
    char *iter = copy, *salt = strchr(iter, '$'), *hash = salt ? strchr(salt + 1, '$') : NULL;
    if (!hash)
        return false;
    *salt++ = 0;
    *hash++ = 0;
    int iterations = 0; /* 1000 to 10000000, digits only */
    for (const char *d = iter; *d; d++) {
        if (*d < '0' || *d > '9' || iterations > 10000000)
            return false;
        iterations = iterations * 10 + (*d - '0');
    }
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

int crypto_hkdf_sha256(const uint8_t *key, size_t klen, const char *salt, const char *info,
                       uint8_t *out, size_t n) {
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *c = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    EVP_KDF_free(kdf);
    if (!c)
        return -1;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, klen),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, strlen(salt)),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, strlen(info)),
        OSSL_PARAM_construct_end()};
    int rc = EVP_KDF_derive(c, out, n, params) == 1 ? 0 : -1;
    EVP_KDF_CTX_free(c);
    return rc;
}
