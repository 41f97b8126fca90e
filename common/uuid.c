/* uuid: see uuid.h. */
#include "uuid.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"

static void format(const uint8_t b[16], char out[UUID_STR_LEN]) {
    snprintf(out, UUID_STR_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

/* 16 bytes from the 36-character form; -1 when it is not lower-case hex with dashes at 8, 13,
 * 18 and 23. */
static int parse(const char *s, uint8_t b[16]) {
    if (!s || strlen(s) != 36)
        return -1;
    int n = 0;
    for (int i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i++] != '-')
                return -1;
            continue;
        }
        int v = 0;
        for (int k = 0; k < 2; k++, i++) {
            char c = s[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                return -1;
            v = v * 16 + d;
        }
        b[n++] = (uint8_t)v;
    }
    return 0;
}

static void tag(const uint8_t b[16], const char *kiosk, uint8_t out[4]) {
    static const char domain[] = "kiosk-record-id-1";
    char buf[sizeof domain + 128 + 12];
    size_t kl = strnlen(kiosk, 128), n = 0;
    memcpy(buf, domain, sizeof domain); /* with its NUL */
    n += sizeof domain;
    memcpy(buf + n, kiosk, kl);
    n += kl;
    buf[n++] = 0;
    memcpy(buf + n, b, 12);
    n += 12;
    uint8_t h[32];
    crypto_sha256(buf, n, h);
    memcpy(out, h, 4);
}

static int fill(int64_t unix_ms, int version, uint8_t b[16]) {
    if (crypto_random(b + 6, 10) != 0)
        return -1;
    for (int i = 0; i < 6; i++)
        b[i] = (uint8_t)((uint64_t)unix_ms >> (40 - 8 * i));
    b[6] = (uint8_t)(version << 4 | (b[6] & 0x0F));
    b[8] = (uint8_t)(0x80 | (b[8] & 0x3F)); /* variant 10 */
    return 0;
}

int uuid_v7(int64_t unix_ms, char out[UUID_STR_LEN]) {
    uint8_t b[16];
    if (fill(unix_ms, 7, b) != 0)
        return -1;
    format(b, out);
    return 0;
}

int uuid_record(int64_t unix_ms, const char *kiosk, char out[UUID_STR_LEN]) {
    if (!kiosk || !kiosk[0])
        return uuid_v7(unix_ms, out);
    uint8_t b[16];
    if (fill(unix_ms, 8, b) != 0)
        return -1;
    tag(b, kiosk, b + 12);
    format(b, out);
    return 0;
}

enum uuid_owner uuid_record_owner(const char *id, const char *kiosk, int64_t *unix_ms) {
    uint8_t b[16];
    if (parse(id, b) != 0 || (b[8] & 0xC0) != 0x80)
        return UUID_MALFORMED;
    if (unix_ms) {
        *unix_ms = 0;
        for (int i = 0; i < 6; i++)
            *unix_ms = *unix_ms << 8 | b[i];
    }
    int version = b[6] >> 4;
    if (version == 7)
        return UUID_UNTAGGED;
    if (version != 8)
        return UUID_MALFORMED;
    uint8_t t[4];
    tag(b, kiosk ? kiosk : "", t);
    return crypto_equal(t, b + 12, 4) == 0 ? UUID_MADE_BY : UUID_NOT_MADE_BY;
}
