/* crypto: see crypto.h. */
#include "crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

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
