/* keys: the data key and the receipt signing key (0600 files made once), sealing of personal data (AES-256-GCM, the record id as associated data) and the lookup HMAC of ID and booking numbers. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "store_int.h"

/* A key: 32 random bytes in a 0600 file of the state directory, made once (when create). */
int load_key(const char *state_dir, const char *name, uint8_t out[CRYPTO_KEY_LEN],
                    bool create) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", state_dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        uint8_t k[CRYPTO_KEY_LEN];
        if (crypto_random(k, sizeof k) != 0)
            return STORE_ERR_KEY;
        /* written whole under a unique name, then linked into place: link() fails when
         * another thread or process made the key first, and then theirs is the key */
        char tmp[1100];
        snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
        int w = mkstemp(tmp);
        int ok = w >= 0 && fchmod(w, 0600) == 0 && write(w, k, sizeof k) == (ssize_t)sizeof k &&
                 fsync(w) == 0;
        if (w >= 0)
            ok = close(w) == 0 && ok;
        explicit_bzero(k, sizeof k);
        int linked = ok ? link(tmp, path) : -1;
        int link_errno = errno;
        if (w >= 0)
            unlink(tmp);
        if (!ok || (linked != 0 && link_errno != EEXIST))
            return STORE_ERR_KEY;
        if (linked == 0)
            log_info("store", "%s created", name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0)
        return errno == ENOENT ? STORE_ERR_NOT_FOUND : STORE_ERR_KEY;
    struct stat st;
    int rc = fstat(fd, &st) == 0 && st.st_size == CRYPTO_KEY_LEN &&
                     read(fd, out, CRYPTO_KEY_LEN) == CRYPTO_KEY_LEN
                 ? STORE_OK
                 : STORE_ERR_KEY;
    if (rc == STORE_OK && (st.st_mode & 077)) {
        /* a key others could read may have been copied: refused, for staff to replace */
        log_error("store", "%s is readable by others (mode %o): refused; make it 0600 (and "
                  "consider it exposed)", name, st.st_mode & 0777);
        rc = STORE_ERR_KEY;
    }
    if (rc != STORE_OK)
        explicit_bzero(out, CRYPTO_KEY_LEN);
    close(fd);
    return rc;
}

int store_signing_seed(struct store *s, uint8_t seed[32]) {
    return load_key(s->state_dir, "receipt.key", seed, true);
}

/* The HMAC of an ID number (upper-case X), so it can be found but not read. */
/* The lookup HMAC of an ID or booking number, normalized first: upper case, without dashes
 * and spaces (a booking number typed on the keypad has none). */
void id_hmac(struct store *s, const char *id_number, uint8_t out[32]) {
    char norm[48];
    size_t n = 0;
    for (const char *p = id_number; *p && n < sizeof norm - 1; p++)
        if (*p != '-' && *p != ' ')
            norm[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
    norm[n] = 0;
    crypto_hmac_sha256(s->key, sizeof s->key, norm, strlen(norm), out);
    explicit_bzero(norm, sizeof norm);
}

/* A new record's id and its sealed personal data (malloc'd; *sealed_len bytes). */
int new_sealed(struct store *s, const char *personal_json, char id[UUID_STR_LEN],
                      uint8_t **sealed, size_t *sealed_len) {
    if (uuid_record(clock_wall_s(s->clock) * 1000 + clock_mono_ms(s->clock) % 1000, s->kiosk,
                    id) != 0)
        return STORE_ERR_CRYPTO;
    size_t n = strlen(personal_json);
    *sealed = malloc(n + CRYPTO_SEAL_OVERHEAD);
    if (!*sealed ||
        crypto_seal(s->key, id, strlen(id), personal_json, n, *sealed, sealed_len) != 0) {
        free(*sealed);
        *sealed = NULL;
        return STORE_ERR_CRYPTO;
    }
    return STORE_OK;
}

/* The sealed personal data of a record, opened, from whichever table holds it. */
char *open_record(struct store *s, const char *id, const char *kind) {
    const char *sql = !strcmp(kind, "checkin")       ? "SELECT sealed FROM checkins WHERE id = ?"
                      : !strcmp(kind, "appointment") ? "SELECT sealed FROM appointments WHERE id = ?"
                      : !strcmp(kind, "rating")      ? "SELECT sealed FROM ratings WHERE id = ?"
                                                     : "SELECT sealed FROM applications WHERE id = ?";
    sqlite3_stmt *st = NULL;
    char *pt = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0), n = 0;
        pt = malloc(len + 1);
        if (pt && crypto_open(s->key, id, strlen(id), sqlite3_column_blob(st, 0), len,
                              (uint8_t *)pt, &n) == 0) {
            pt[n] = 0;
        } else {
            free(pt);
            pt = NULL;
        }
    }
    sqlite3_finalize(st);
    return pt;
}
