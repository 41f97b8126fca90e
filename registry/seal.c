/* seal: see seal.h. */
#include "seal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"

#define SEAL_SALT "kiosk-registry-seal/1"
#define SEAL_MAX (8 << 20) /* the largest text sealed or opened: above a batch's 4 MiB */

struct seal {
    uint8_t key[CRYPTO_KEY_LEN];
};

struct seal *seal_of_key(const uint8_t key[32]) {
    struct seal *s = malloc(sizeof *s);
    if (s)
        memcpy(s->key, key, sizeof s->key);
    return s;
}

/* A new key written to path, readable by its owner only; never replaces a file. */
static int make_key(const char *path, uint8_t key[32]) {
    char line[64];
    if (crypto_random(key, 32) != 0)
        return -1;
    size_t n = crypto_b64url_encode(key, 32, line);
    line[n++] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int rc = fd >= 0 && write(fd, line, n) == (ssize_t)n && fsync(fd) == 0 ? 0 : -1;
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    explicit_bzero(line, sizeof line);
    if (rc != 0 && fd >= 0)
        unlink(path);
    return rc;
}

struct seal *seal_load(const char *path, bool create, bool *made) {
    uint8_t key[32];
    struct stat st;
    *made = false;
    if (stat(path, &st) != 0 && errno == ENOENT && create) {
        if (make_key(path, key) != 0) {
            log_error("seal", "the data key %s cannot be made: %s", path, strerror(errno));
            return NULL;
        }
        *made = true;
    } else if (crypto_key_file(path, key, sizeof key) != 0) {
        log_error("seal", "the data key %s cannot be read (one base64url line of 32 bytes)",
                  path);
        return NULL;
    } else if (st.st_mode & 077) {
        log_warn("seal", "the data key %s can be read by others than its owner (chmod 600)",
                 path);
    }
    struct seal *s = seal_of_key(key);
    explicit_bzero(key, sizeof key);
    return s;
}

void seal_free(struct seal *s) {
    if (s) {
        explicit_bzero(s, sizeof *s);
        free(s);
    }
}

bool seal_is_sealed(const char *stored) {
    return stored && !strncmp(stored, SEAL_PREFIX, strlen(SEAL_PREFIX));
}

static int office_key(const struct seal *s, const char *office, uint8_t key[32]) {
    char info[160];
    snprintf(info, sizeof info, "office:%s", office ? office : "");
    return crypto_hkdf_sha256(s->key, sizeof s->key, SEAL_SALT, info, key, 32);
}

char *seal_text(const struct seal *s, const char *office, const char *aad, const char *clear) {
    size_t n = strlen(clear), blen = n + CRYPTO_SEAL_OVERHEAD, slen = 0;
    if (n > SEAL_MAX)
        return NULL;
    uint8_t key[32], *bin = malloc(blen);
    char *out = malloc(strlen(SEAL_PREFIX) + 4 * ((blen + 2) / 3) + 1);
    int rc = bin && out ? office_key(s, office, key) : -1;
    if (rc == 0)
        rc = crypto_seal(key, aad, strlen(aad), clear, n, bin, &slen);
    explicit_bzero(key, sizeof key);
    if (rc == 0) {
        strcpy(out, SEAL_PREFIX);
        crypto_b64url_encode(bin, slen, out + strlen(SEAL_PREFIX));
    }
    free(bin);
    if (rc != 0) {
        free(out);
        return NULL;
    }
    return out;
}

char *seal_open_text(const struct seal *s, const char *office, const char *aad,
                     const char *stored) {
    if (!stored)
        return NULL;
    if (!seal_is_sealed(stored))
        return stored[0] == '{' || stored[0] == '[' ? strdup(stored) : NULL;
    const char *b64 = stored + strlen(SEAL_PREFIX);
    size_t cap = strlen(b64) / 4 * 3 + 3, n = 0;
    if (cap > SEAL_MAX + CRYPTO_SEAL_OVERHEAD + 3 || cap < CRYPTO_SEAL_OVERHEAD)
        return NULL;
    uint8_t key[32], *bin = malloc(cap);
    char *out = malloc(cap + 1);
    int len = bin && out ? crypto_b64url_decode(b64, bin, cap) : -1;
    int rc = len >= CRYPTO_SEAL_OVERHEAD ? office_key(s, office, key) : -1;
    if (rc == 0)
        rc = crypto_open(key, aad, strlen(aad), bin, (size_t)len, (uint8_t *)out, &n);
    explicit_bzero(key, sizeof key);
    free(bin);
    if (rc != 0) {
        free(out);
        return NULL;
    }
    out[n] = 0;
    return out;
}

int seal_derive(const struct seal *s, const char *purpose, uint8_t *out, size_t n) {
    char info[128];
    snprintf(info, sizeof info, "derive:%s", purpose);
    return crypto_hkdf_sha256(s->key, sizeof s->key, SEAL_SALT, info, out, n);
}

int seal_tag(const struct seal *s, const char *purpose, const char *data, char hex[65]) {
    uint8_t key[32], tag[32];
    char info[96];
    snprintf(info, sizeof info, "tag:%s", purpose);
    int rc = crypto_hkdf_sha256(s->key, sizeof s->key, SEAL_SALT, info, key, 32);
    if (rc == 0)
        rc = crypto_hmac_sha256(key, sizeof key, data, strlen(data), tag);
    explicit_bzero(key, sizeof key);
    if (rc == 0)
        crypto_hex(tag, sizeof tag, hex);
    return rc;
}
