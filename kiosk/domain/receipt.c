/* receipt: see receipt.h. */
#include "receipt.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"

#define PREFIX "MR1."
#define FIXED 33 /* payload bytes before the queue number's characters */
#define KIOSK_MAX 24
#define PAYLOAD_MAX (FIXED + 8 + 1 + KIOSK_MAX)

void receipt_key_id(const uint8_t pub[32], uint8_t id[4]) {
    uint8_t md[32];
    crypto_sha256(pub, 32, md);
    memcpy(id, md, 4);
}

static int hexval(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The 16 bytes of a UUID text (lower-case, with dashes). */
static int uuid_bytes(const char *s, uint8_t out[16]) {
    int n = 0;
    for (; *s && n < 32; s++) {
        if (*s == '-')
            continue;
        int v = hexval(*s);
        if (v < 0)
            return -1;
        out[n / 2] = (uint8_t)(n % 2 ? out[n / 2] | v : v << 4);
        n++;
    }
    return n == 32 && !*s ? 0 : -1;
}

static void uuid_text(const uint8_t b[16], char out[37]) {
    char hex[33];
    crypto_hex(b, 16, hex);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static size_t encode(const struct receipt *r, uint8_t p[PAYLOAD_MAX]) {
    size_t q = strlen(r->queue), k = strlen(r->kiosk);
    p[0] = 2;
    p[1] = (uint8_t)r->kind;
    memcpy(p + 2, r->key_id, 4);
    memcpy(p + 6, r->office, 6);
    uuid_bytes(r->record_id, p + 12);
    uint32_t t = (uint32_t)r->time;
    p[28] = (uint8_t)(t >> 24);
    p[29] = (uint8_t)(t >> 16);
    p[30] = (uint8_t)(t >> 8);
    p[31] = (uint8_t)t;
    p[32] = (uint8_t)q;
    memcpy(p + FIXED, r->queue, q);
    p[FIXED + q] = (uint8_t)k;
    memcpy(p + FIXED + q + 1, r->kiosk, k);
    return FIXED + q + 1 + k;
}

/* Printable ASCII without spaces (queue numbers, kiosk ids). */
static int printable(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7e)
            return 0;
    return 1;
}

int receipt_sign(struct receipt *r, const uint8_t seed[32], char *token, size_t cap) {
    uint8_t pub[32], buf[PAYLOAD_MAX + 64];
    size_t q = strlen(r->queue);
    size_t k = strnlen(r->kiosk, sizeof r->kiosk);
    if ((r->kind != 'C' && r->kind != 'J') || strlen(r->office) != 6 || q > 8 ||
        !printable(r->queue, q) || k > KIOSK_MAX || !printable(r->kiosk, k) ||
        crypto_ed25519_public(seed, pub) != 0)
        return -1;
    uint8_t tmp[16];
    if (uuid_bytes(r->record_id, tmp) != 0)
        return -1;
    receipt_key_id(pub, r->key_id);
    size_t n = encode(r, buf);
    if (crypto_ed25519_sign(seed, buf, n, buf + n) != 0)
        return -1;
    char b64[(PAYLOAD_MAX + 64) * 4 / 3 + 8];
    size_t len = crypto_b64url_encode(buf, n + 64, b64);
    if (strlen(PREFIX) + len + 1 > cap)
        return -1;
    snprintf(token, cap, "%s%s", PREFIX, b64);
    return (int)(strlen(PREFIX) + len);
}

/* Decodes a token: the payload (and its length) and the signature. */
static int decode(const char *token, struct receipt *r, uint8_t *buf, size_t *n) {
    memset(r, 0, sizeof *r);
    if (strncmp(token, PREFIX, strlen(PREFIX)) != 0)
        return RECEIPT_MALFORMED;
    int len = crypto_b64url_decode(token + strlen(PREFIX), buf, PAYLOAD_MAX + 64);
    if (len < FIXED + 64 || (buf[0] != 1 && buf[0] != 2) || (buf[1] != 'C' && buf[1] != 'J') ||
        buf[32] > 8)
        return RECEIPT_MALFORMED;
    size_t q = buf[32], k = 0;
    if (buf[0] == 1 && (size_t)len != FIXED + q + 64)
        return RECEIPT_MALFORMED;
    if (buf[0] == 2) {
        if ((size_t)len < FIXED + q + 1 + 64)
            return RECEIPT_MALFORMED;
        k = buf[FIXED + q];
        if (k > KIOSK_MAX || (size_t)len != FIXED + q + 1 + k + 64 ||
            !printable((const char *)buf + FIXED + q + 1, k))
            return RECEIPT_MALFORMED;
        memcpy(r->kiosk, buf + FIXED + q + 1, k);
    }
    r->kind = (char)buf[1];
    memcpy(r->key_id, buf + 2, 4);
    memcpy(r->office, buf + 6, 6);
    for (int i = 0; i < 6; i++)
        if (r->office[i] < '0' || r->office[i] > '9')
            return RECEIPT_MALFORMED;
    uuid_text(buf + 12, r->record_id);
    r->time = (int64_t)((uint32_t)buf[28] << 24 | (uint32_t)buf[29] << 16 | (uint32_t)buf[30] << 8 |
                        buf[31]);
    memcpy(r->queue, buf + FIXED, q);
    if (!printable(r->queue, q))
        return RECEIPT_MALFORMED;
    *n = (size_t)len - 64;
    return RECEIPT_OK;
}

int receipt_parse(const char *token, struct receipt *r) {
    uint8_t buf[PAYLOAD_MAX + 64];
    size_t n;
    return decode(token, r, buf, &n);
}

int receipt_verify(const char *token, const uint8_t pub[32], struct receipt *r) {
    uint8_t buf[PAYLOAD_MAX + 64];
    size_t n;
    int rc = decode(token, r, buf, &n);
    if (rc != RECEIPT_OK)
        return rc;
    uint8_t id[4];
    receipt_key_id(pub, id);
    if (memcmp(id, r->key_id, 4) != 0 || crypto_ed25519_verify(pub, buf, n, buf + n) != 0)
        return RECEIPT_BAD_SIGNATURE;
    return RECEIPT_OK;
}

int receipt_bound(const struct receipt *r, const char *key_kiosk, const char *key_office) {
    if (r->kiosk[0] && (!key_kiosk || strcmp(r->kiosk, key_kiosk) != 0))
        return RECEIPT_WRONG_KIOSK;
    if (!key_office || strcmp(r->office, key_office) != 0)
        return RECEIPT_WRONG_OFFICE;
    return RECEIPT_OK;
}

const char *receipt_strerror(int rc) {
    switch (rc) {
    case RECEIPT_OK:
        return "valid";
    case RECEIPT_MALFORMED:
        return "not a receipt token";
    case RECEIPT_BAD_SIGNATURE:
        return "the signature does not hold";
    case RECEIPT_WRONG_KIOSK:
        return "signed by another kiosk than the one it names";
    case RECEIPT_WRONG_OFFICE:
        return "the signing kiosk is not of the office the receipt names";
    default:
        return "unknown receipt error";
    }
}
