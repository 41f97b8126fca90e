/* store: see store.h. */
#include "store.h"
#include "num.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#ifdef KIOSK_TEST_HOOKS
#include "fault_vfs.h"
#endif
#include "log.h"

struct store {
    sqlite3 *db;
    const struct clock_src *clock;
    uint8_t key[CRYPTO_KEY_LEN];
    char state_dir[512];
};

const char *store_strerror(int err) {
    switch (err) {
    case STORE_OK:
        return "ok";
    case STORE_ERR_IO:
        return "the store could not be written or read";
    case STORE_ERR_KEY:
        return "the data key is missing or damaged";
    case STORE_ERR_CRYPTO:
        return "sealed data could not be sealed or opened";
    case STORE_ERR_NOT_FOUND:
        return "no such record";
    case STORE_ERR_SCHEMA:
        return "the store was made by a newer version";
    case STORE_ERR_BUSY:
        return "the store is busy (another connection holds it)";
    case STORE_ERR_READONLY:
        return "the store is read-only";
    default:
        return "unknown store error";
    }
}

/* Migrations: migrations[i] takes user_version i to i + 1. Never edit one that shipped. */
static const char *const migrations[] = {
    "CREATE TABLE kv(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE appointments(id TEXT PRIMARY KEY, office TEXT NOT NULL, slot_start INTEGER,"
    "  slot_end INTEGER, booking_hmac BLOB, party_a_hmac BLOB, party_b_hmac BLOB, sealed BLOB,"
    "  updated INTEGER NOT NULL);"
    "CREATE TABLE checkins(id TEXT PRIMARY KEY, created INTEGER NOT NULL, appointment_id TEXT,"
    "  queue_no TEXT, sealed BLOB, acked INTEGER, purged INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE applications(id TEXT PRIMARY KEY, created INTEGER NOT NULL, kind TEXT NOT NULL,"
    "  party_a_hmac BLOB NOT NULL, party_b_hmac BLOB, sealed BLOB, acked INTEGER,"
    "  purged INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX applications_a ON applications(party_a_hmac);"
    "CREATE INDEX applications_b ON applications(party_b_hmac);"
    "CREATE TABLE outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, record_id TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL, created INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_try INTEGER NOT NULL DEFAULT 0, last_error TEXT);"
    "CREATE TABLE audit(seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL, prev BLOB NOT NULL,"
    "  hash BLOB NOT NULL);",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

static int exec(struct store *s, const char *sql) {
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("store", "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        /* another connection held the database past the busy timeout: nothing is damaged,
         * the caller may try again (the sync thread does, with its backoff) */
        int primary = rc & 0xff;
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? STORE_ERR_BUSY
               : primary == SQLITE_READONLY                       ? STORE_ERR_READONLY
                                                                  : STORE_ERR_IO;
    }
    return STORE_OK;
}

/* A key: 32 random bytes in a 0600 file of the state directory, made once (when create). */
static int load_key(const char *state_dir, const char *name, uint8_t out[CRYPTO_KEY_LEN],
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
        return STORE_ERR_KEY;
    struct stat st;
    int rc = fstat(fd, &st) == 0 && st.st_size == CRYPTO_KEY_LEN &&
                     read(fd, out, CRYPTO_KEY_LEN) == CRYPTO_KEY_LEN
                 ? STORE_OK
                 : STORE_ERR_KEY;
    if (rc == STORE_OK && (st.st_mode & 077))
        log_warn("store", "%s readable by others: mode %o", name, st.st_mode & 0777);
    close(fd);
    return rc;
}

int store_signing_seed(struct store *s, uint8_t seed[32]) {
    return load_key(s->state_dir, "receipt.key", seed, true);
}

int store_open(struct store **out, const char *state_dir, const struct clock_src *clock) {
#ifdef KIOSK_TEST_HOOKS
    /* test builds: KIOSK_STORE_FAIL_AFTER=N fails every write or sync after the first N */
    const char *after = getenv("KIOSK_STORE_FAIL_AFTER");
    if (after && *after) {
        const char *vfs = fault_vfs_register();
        int n = (int)num_i64_or(after, 0, 1 << 30, 0);
        fault_vfs_arm(n, 1);
        log_warn("store", "test hook: writes fail after %d", n);
        return store_open_vfs(out, state_dir, clock, vfs);
    }
#endif
    return store_open_vfs(out, state_dir, clock, NULL);
}

/* A store of state_dir with its data key (made when create), not yet connected. */
static int store_new(struct store **out, const char *state_dir, const struct clock_src *clock,
                     bool create) {
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return STORE_ERR_IO;
    s->clock = clock;
    snprintf(s->state_dir, sizeof s->state_dir, "%s", state_dir);
    int rc = load_key(state_dir, "data.key", s->key, create);
    if (rc != STORE_OK) {
        explicit_bzero(s, sizeof *s);
        free(s);
        return rc;
    }
    *out = s;
    return STORE_OK;
}

int store_open_vfs(struct store **out, const char *state_dir, const struct clock_src *clock,
                   const char *vfs) {
    *out = NULL;
    struct store *s;
    int rc = store_new(&s, state_dir, clock, true);
    if (rc != STORE_OK)
        return rc;
    char path[1024];
    snprintf(path, sizeof path, "%s/kiosk.db", state_dir);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) !=
        SQLITE_OK) {
        log_error("store", "cannot open the database: %s", sqlite3_errmsg(s->db));
        store_close(s);
        return STORE_ERR_IO;
    }
    sqlite3_busy_timeout(s->db, 2000);
    rc = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                 "PRAGMA secure_delete=ON;");
    sqlite3_stmt *st = NULL;
    int version = 0;
    if (rc == STORE_OK &&
        sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc == STORE_OK && version > SCHEMA_VERSION)
        rc = STORE_ERR_SCHEMA;
    for (int v = version; rc == STORE_OK && v < SCHEMA_VERSION; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version=%d;", v + 1);
        rc = exec(s, "BEGIN IMMEDIATE");
        if (rc == STORE_OK)
            rc = exec(s, migrations[v]);
        if (rc == STORE_OK)
            rc = exec(s, bump);
        rc = rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
    }
    if (rc != STORE_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return STORE_OK;
}

int store_open_readonly(struct store **out, const char *state_dir,
                        const struct clock_src *clock) {
    *out = NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/kiosk.db", state_dir);
    if (access(path, F_OK) != 0)
        return STORE_ERR_NOT_FOUND; /* nothing is created for a tool that only reads */
    struct store *s;
    int rc = store_new(&s, state_dir, clock, false);
    if (rc != STORE_OK)
        return rc;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        log_error("store", "cannot open the database: %s", sqlite3_errmsg(s->db));
        rc = STORE_ERR_IO;
    }
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (rc == STORE_OK) {
        sqlite3_busy_timeout(s->db, 2000);
        if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        /* an empty file, or one another program made, has no schema of ours */
        rc = version == SCHEMA_VERSION ? STORE_OK
             : version > SCHEMA_VERSION ? STORE_ERR_SCHEMA
                                        : STORE_ERR_NOT_FOUND;
    }
    if (rc != STORE_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return STORE_OK;
}

void store_close(struct store *s) {
    if (!s)
        return;
    if (s->db)
        sqlite3_close(s->db);
    explicit_bzero(s->key, sizeof s->key);
    free(s);
}

static int64_t now_s(struct store *s) {
    return clock_wall_s(s->clock);
}

/* The HMAC of an ID number (upper-case X), so it can be found but not read. */
/* The lookup HMAC of an ID or booking number, normalized first: upper case, without dashes
 * and spaces (a booking number typed on the keypad has none). */
static void id_hmac(struct store *s, const char *id_number, uint8_t out[32]) {
    char norm[48];
    size_t n = 0;
    for (const char *p = id_number; *p && n < sizeof norm - 1; p++)
        if (*p != '-' && *p != ' ')
            norm[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
    norm[n] = 0;
    crypto_hmac_sha256(s->key, sizeof s->key, norm, strlen(norm), out);
    explicit_bzero(norm, sizeof norm);
}

/* Appends an audit row inside the caller's transaction. */
static int audit_row(struct store *s, const char *actor, const char *action, const char *detail) {
    uint8_t prev[32] = {0};
    sqlite3_stmt *st = NULL;
    int rc = STORE_ERR_IO;
    if (sqlite3_prepare_v2(s->db, "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32)
        memcpy(prev, sqlite3_column_blob(st, 0), 32);
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return rc;
    int64_t at = now_s(s);
    /* hash = SHA-256(prev || at || actor || 0 || action || 0 || detail) */
    size_t n = 32 + 20 + strlen(actor) + strlen(action) + strlen(detail) + 2;
    uint8_t *buf = malloc(n), hash[32];
    if (!buf)
        return rc;
    int len = snprintf((char *)buf + 32, n - 32, "%lld", (long long)at);
    memcpy(buf, prev, 32);
    size_t o = 32 + (size_t)len;
    memcpy(buf + o, actor, strlen(actor) + 1);
    o += strlen(actor) + 1;
    memcpy(buf + o, action, strlen(action) + 1);
    o += strlen(action) + 1;
    memcpy(buf + o, detail, strlen(detail));
    o += strlen(detail);
    crypto_sha256(buf, o, hash);
    free(buf);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO audit(at, actor, action, detail, prev, hash) "
                           "VALUES(?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, at);
    sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, prev, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, hash, 32, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR_IO;
    sqlite3_finalize(st);
    return rc;
}

int store_audit(struct store *s, const char *actor, const char *action, const char *detail) {
    int rc = exec(s, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = audit_row(s, actor, action, detail);
    return rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
}

/* A new record's id and its sealed personal data (malloc'd; *sealed_len bytes). */
static int new_sealed(struct store *s, const char *personal_json, char id[UUID_STR_LEN],
                      uint8_t **sealed, size_t *sealed_len) {
    if (uuid_v7(clock_wall_s(s->clock) * 1000 + clock_mono_ms(s->clock) % 1000, id) != 0)
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

/* The outbox entry and the audit row of a new record, inside the caller's transaction. */
static int record_tail(struct store *s, const char *id, const char *kind, int64_t now) {
    sqlite3_stmt *st = NULL;
    int rc = STORE_ERR_IO;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO outbox(record_id, kind, created) VALUES(?, ?, ?)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = STORE_OK;
    }
    sqlite3_finalize(st);
    if (rc == STORE_OK) {
        char action[48];
        snprintf(action, sizeof action, "%s.add", kind);
        rc = audit_row(s, "kiosk", action, id);
    }
    return rc;
}

/* Commits or rolls back, and clears the sealed copy. */
static int finish_record(struct store *s, int rc, uint8_t *sealed, size_t sealed_len) {
    rc = rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
    explicit_bzero(sealed, sealed_len);
    free(sealed);
    return rc;
}

int store_add_application(struct store *s, const char *kind, const char *personal_json,
                          const char *id_number_a, const char *id_number_b, char id[UUID_STR_LEN]) {
    uint8_t *sealed = NULL;
    size_t slen = 0;
    int rc = new_sealed(s, personal_json, id, &sealed, &slen);
    if (rc != STORE_OK)
        return rc;
    uint8_t ha[32], hb[32];
    id_hmac(s, id_number_a, ha);
    if (id_number_b)
        id_hmac(s, id_number_b, hb);
    int64_t now = now_s(s);
    rc = exec(s, "BEGIN IMMEDIATE");
    sqlite3_stmt *st = NULL;
    if (rc == STORE_OK) {
        rc = STORE_ERR_IO;
        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO applications(id, created, kind, party_a_hmac, "
                               "party_b_hmac, sealed) VALUES(?, ?, ?, ?, ?, ?)",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, now);
            sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
            sqlite3_bind_blob(st, 4, ha, 32, SQLITE_STATIC);
            if (id_number_b)
                sqlite3_bind_blob(st, 5, hb, 32, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, 5);
            sqlite3_bind_blob(st, 6, sealed, (int)slen, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_DONE)
                rc = STORE_OK;
        }
        sqlite3_finalize(st);
    }
    if (rc == STORE_OK)
        rc = record_tail(s, id, "application", now);
    return finish_record(s, rc, sealed, slen);
}

int store_add_checkin(struct store *s, const char *appointment_id, const char *queue_no,
                      const char *personal_json, char id[UUID_STR_LEN]) {
    uint8_t *sealed = NULL;
    size_t slen = 0;
    int rc = new_sealed(s, personal_json, id, &sealed, &slen);
    if (rc != STORE_OK)
        return rc;
    int64_t now = now_s(s);
    rc = exec(s, "BEGIN IMMEDIATE");
    sqlite3_stmt *st = NULL;
    if (rc == STORE_OK) {
        rc = STORE_ERR_IO;
        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO checkins(id, created, appointment_id, queue_no, sealed)"
                               " VALUES(?, ?, ?, ?, ?)",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, now);
            sqlite3_bind_text(st, 3, appointment_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, queue_no, -1, SQLITE_STATIC);
            sqlite3_bind_blob(st, 5, sealed, (int)slen, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_DONE)
                rc = STORE_OK;
        }
        sqlite3_finalize(st);
    }
    if (rc == STORE_OK)
        rc = record_tail(s, id, "checkin", now);
    return finish_record(s, rc, sealed, slen);
}

int store_get_application(struct store *s, const char *id, char **personal_json) {
    *personal_json = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT sealed FROM applications WHERE id = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = STORE_ERR_NOT_FOUND;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0), n = 0;
        char *pt = malloc(len + 1);
        if (pt && crypto_open(s->key, id, strlen(id), sqlite3_column_blob(st, 0), len,
                              (uint8_t *)pt, &n) == 0) {
            pt[n] = 0;
            *personal_json = pt;
            rc = STORE_OK;
        } else {
            free(pt);
            rc = STORE_ERR_CRYPTO;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int store_count_by_id_number(struct store *s, const char *id_number, int *count) {
    uint8_t h[32];
    id_hmac(s, id_number, h);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM applications WHERE party_a_hmac = ?1 OR "
                           "party_b_hmac = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_ROW ? STORE_OK : STORE_ERR_IO;
    *count = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc;
}

static int exec_bound(struct store *s, const char *sql, const char *id, int64_t t, int *changes) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    if (id)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, id ? 2 : 1, t);
    int rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR_IO;
    sqlite3_finalize(st);
    if (changes)
        *changes = sqlite3_changes(s->db);
    return rc;
}

/* Acknowledges one record inside the caller's transaction. */
static int ack_one(struct store *s, const char *id) {
    int changed = 0;
    int rc = exec_bound(s, "UPDATE applications SET acked = ?2 WHERE id = ?1 AND acked IS NULL", id,
                        now_s(s), &changed);
    if (rc == STORE_OK && !changed)
        rc = exec_bound(s, "UPDATE checkins SET acked = ?2 WHERE id = ?1 AND acked IS NULL", id,
                        now_s(s), &changed);
    if (rc == STORE_OK)
        rc = exec_bound(s, "DELETE FROM outbox WHERE record_id = ?1 AND ?2 >= 0", id, 0, NULL);
    if (rc == STORE_OK && changed)
        rc = audit_row(s, "registry", "record.ack", id);
    return rc;
}

int store_ack_many(struct store *s, const char *const *ids, int n) {
    int rc = exec(s, "BEGIN IMMEDIATE");
    for (int i = 0; rc == STORE_OK && i < n; i++)
        rc = ack_one(s, ids[i]);
    return rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
}

int store_ack(struct store *s, const char *id) {
    return store_ack_many(s, &id, 1);
}

int store_purge(struct store *s, int retention_days) {
    int64_t before = now_s(s) - (int64_t)retention_days * 86400;
    int changed = 0;
    int rc = exec(s, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = exec_bound(s,
                        "UPDATE applications SET sealed = NULL, purged = 1 "
                        "WHERE acked IS NOT NULL AND acked < ?1 AND purged = 0",
                        NULL, before, &changed);
    if (rc == STORE_OK && changed) {
        char detail[32];
        snprintf(detail, sizeof detail, "%d", changed);
        rc = audit_row(s, "kiosk", "retention.purge", detail);
    }
    rc = rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
    return rc == STORE_OK ? changed : rc;
}

int store_audit_verify(struct store *s, int64_t *bad_seq) {
    *bad_seq = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT seq, at, actor, action, detail, prev, hash FROM audit "
                           "ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    uint8_t expect_prev[32] = {0};
    int rc = STORE_OK, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        const char *actor = (const char *)sqlite3_column_text(st, 2);
        const char *action = (const char *)sqlite3_column_text(st, 3);
        const char *detail = (const char *)sqlite3_column_text(st, 4);
        char at[24];
        snprintf(at, sizeof at, "%lld", (long long)sqlite3_column_int64(st, 1));
        int ok = sqlite3_column_bytes(st, 5) == 32 && sqlite3_column_bytes(st, 6) == 32 && actor &&
                 action && detail && memcmp(sqlite3_column_blob(st, 5), expect_prev, 32) == 0;
        if (ok) {
            size_t n = 32 + strlen(at) + strlen(actor) + strlen(action) + strlen(detail) + 2;
            uint8_t *buf = malloc(n), h[32];
            if (!buf) {
                rc = STORE_ERR_IO;
                break;
            }
            size_t o = 0;
            memcpy(buf, expect_prev, 32);
            o = 32;
            memcpy(buf + o, at, strlen(at));
            o += strlen(at);
            memcpy(buf + o, actor, strlen(actor) + 1);
            o += strlen(actor) + 1;
            memcpy(buf + o, action, strlen(action) + 1);
            o += strlen(action) + 1;
            memcpy(buf + o, detail, strlen(detail));
            o += strlen(detail);
            crypto_sha256(buf, o, h);
            free(buf);
            ok = memcmp(h, sqlite3_column_blob(st, 6), 32) == 0;
            memcpy(expect_prev, h, 32);
        }
        if (!ok) {
            *bad_seq = seq;
            break;
        }
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = STORE_ERR_IO;
    sqlite3_finalize(st);
    return rc;
}

int store_stats_json(struct store *s, char **json) {
    static const struct {
        const char *name, *sql;
    } q[] = {
        {"applications", "SELECT count(*) FROM applications"},
        {"applications_pending", "SELECT count(*) FROM applications WHERE acked IS NULL"},
        {"applications_acked", "SELECT count(*) FROM applications WHERE acked IS NOT NULL"},
        {"applications_purged", "SELECT count(*) FROM applications WHERE purged = 1"},
        {"checkins", "SELECT count(*) FROM checkins"},
        {"appointments", "SELECT count(*) FROM appointments"},
        {"outbox", "SELECT count(*) FROM outbox"},
        {"audit", "SELECT count(*) FROM audit"},
    };
    char buf[1024];
    size_t o = 0;
    o += (size_t)snprintf(buf + o, sizeof buf - o, "{");
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        sqlite3_stmt *st = NULL;
        long long n = -1;
        if (sqlite3_prepare_v2(s->db, q[i].sql, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (n < 0)
            return STORE_ERR_IO;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s\"%s\":%lld", i ? "," : "", q[i].name, n);
    }
    snprintf(buf + o, sizeof buf - o, "}");
    *json = strdup(buf);
    return *json ? STORE_OK : STORE_ERR_IO;
}

int store_kv_set(struct store *s, const char *key, const char *value) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO kv(key, value) VALUES(?, ?)", -1, &st,
                           NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR_IO;
    sqlite3_finalize(st);
    return rc;
}

int store_kv_get(struct store *s, const char *key, char **value) {
    *value = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM kv WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int step = sqlite3_step(st), rc = STORE_ERR_NOT_FOUND;
    if (step == SQLITE_ROW) {
        *value = strdup((const char *)sqlite3_column_text(st, 0));
        rc = *value ? STORE_OK : STORE_ERR_IO;
    } else if (step != SQLITE_DONE) {
        rc = STORE_ERR_IO;
    }
    sqlite3_finalize(st);
    return rc;
}

int store_appointment_put(struct store *s, const char *id, const char *office, int64_t slot_start,
                          int64_t slot_end, const char *booking_no, const char *id_number_a,
                          const char *id_number_b, const char *personal_json) {
    size_t n = strlen(personal_json), slen = 0;
    uint8_t *sealed = malloc(n + CRYPTO_SEAL_OVERHEAD);
    if (!sealed || crypto_seal(s->key, id, strlen(id), personal_json, n, sealed, &slen) != 0) {
        free(sealed);
        return STORE_ERR_CRYPTO;
    }
    uint8_t hbook[32], ha[32], hb[32];
    id_hmac(s, booking_no, hbook);
    id_hmac(s, id_number_a, ha);
    if (id_number_b)
        id_hmac(s, id_number_b, hb);
    sqlite3_stmt *st = NULL;
    int rc = STORE_ERR_IO;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR REPLACE INTO appointments(id, office, slot_start, slot_end, "
                           "booking_hmac, party_a_hmac, party_b_hmac, sealed, updated) "
                           "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, slot_start);
        sqlite3_bind_int64(st, 4, slot_end);
        sqlite3_bind_blob(st, 5, hbook, 32, SQLITE_STATIC);
        sqlite3_bind_blob(st, 6, ha, 32, SQLITE_STATIC);
        if (id_number_b)
            sqlite3_bind_blob(st, 7, hb, 32, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 7);
        sqlite3_bind_blob(st, 8, sealed, (int)slen, SQLITE_STATIC);
        sqlite3_bind_int64(st, 9, now_s(s));
        rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR_IO;
    }
    sqlite3_finalize(st);
    explicit_bzero(sealed, n + CRYPTO_SEAL_OVERHEAD);
    free(sealed);
    return rc;
}

int store_appointment_find(struct store *s, const char *key, int64_t from, int64_t to,
                           char id[64]) {
    uint8_t h[32];
    id_hmac(s, key, h);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id FROM appointments WHERE (booking_hmac = ?1 OR "
                           "party_a_hmac = ?1 OR party_b_hmac = ?1) AND slot_start >= ?2 AND "
                           "slot_start < ?3 ORDER BY slot_start LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    int step = sqlite3_step(st), rc = STORE_ERR_NOT_FOUND;
    if (step == SQLITE_ROW) {
        snprintf(id, 64, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = STORE_OK;
    } else if (step != SQLITE_DONE) {
        rc = STORE_ERR_IO;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The sealed personal data of a record, opened, from whichever table holds it. */
static char *open_record(struct store *s, const char *id, const char *kind) {
    const char *sql = !strcmp(kind, "checkin") ? "SELECT sealed FROM checkins WHERE id = ?"
                      : !strcmp(kind, "appointment")
                          ? "SELECT sealed FROM appointments WHERE id = ?"
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

int store_outbox_take(struct store *s, struct store_outgoing *out, int max) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT record_id, kind FROM outbox WHERE next_try <= ? ORDER BY seq "
                           "LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_int64(st, 1, now_s(s));
    sqlite3_bind_int(st, 2, max);
    int n = 0, step;
    while (n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_outgoing *o = &out[n];
        snprintf(o->id, sizeof o->id, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(o->kind, sizeof o->kind, "%s", (const char *)sqlite3_column_text(st, 1));
        o->json = open_record(s, o->id, o->kind);
        if (o->json)
            n++;
        else
            log_warn("store", "outbox entry %s cannot be opened; left for staff", o->id);
    }
    sqlite3_finalize(st);
    return n;
}

void store_outgoing_free(struct store_outgoing *o, int n) {
    for (int i = 0; i < n; i++) {
        if (o[i].json) {
            explicit_bzero(o[i].json, strlen(o[i].json));
            free(o[i].json);
        }
        o[i].json = NULL;
    }
}

static int outbox_update(struct store *s, const char *id, int64_t next_try, const char *error) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE outbox SET attempts = attempts + 1, next_try = ?, last_error = ?"
                           " WHERE record_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_int64(st, 1, next_try);
    sqlite3_bind_text(st, 2, error, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR_IO;
    sqlite3_finalize(st);
    return rc;
}

int store_outbox_reject(struct store *s, const char *id, const char *reason) {
    int rc = exec(s, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = outbox_update(s, id, INT64_MAX, reason); /* never due again: staff decide */
    if (rc == STORE_OK)
        rc = audit_row(s, "registry", "record.rejected", id);
    return rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
}

int store_outbox_later(struct store *s, const char *id, int delay_s, const char *error) {
    return outbox_update(s, id, now_s(s) + delay_s, error);
}

int store_appointments_apply(struct store *s, const struct store_appointment *a, int n,
                             const char *cursor_key, const char *cursor) {
    int rc = exec(s, "BEGIN IMMEDIATE");
    for (int i = 0; rc == STORE_OK && i < n; i++)
        rc = store_appointment_put(s, a[i].id, a[i].office, a[i].slot_start, a[i].slot_end,
                                   a[i].booking_no, a[i].party_a_id,
                                   a[i].party_b_id && a[i].party_b_id[0] ? a[i].party_b_id : NULL,
                                   a[i].json);
    if (rc == STORE_OK)
        rc = store_kv_set(s, cursor_key, cursor);
    return rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
}

int store_outbox_count(struct store *s, int *n) {
    sqlite3_stmt *st = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM outbox", -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    int rc = sqlite3_step(st) == SQLITE_ROW ? STORE_OK : STORE_ERR_IO;
    *n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc;
}

int store_appointment_get(struct store *s, const char *id, char **json) {
    *json = open_record(s, id, "appointment");
    return *json ? STORE_OK : STORE_ERR_NOT_FOUND;
}

int store_checkin_find(struct store *s, const char *appointment_id, char queue_no[16],
                       char id[UUID_STR_LEN]) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, queue_no FROM checkins WHERE appointment_id = ? ORDER BY "
                           "created LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_text(st, 1, appointment_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(st), rc = STORE_ERR_NOT_FOUND;
    if (step == SQLITE_ROW) {
        snprintf(id, UUID_STR_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
        const char *q = (const char *)sqlite3_column_text(st, 1);
        snprintf(queue_no, 16, "%s", q ? q : "");
        rc = STORE_OK;
    } else if (step != SQLITE_DONE) {
        rc = STORE_ERR_IO;
    }
    sqlite3_finalize(st);
    return rc;
}

int store_next_queue_no(struct store *s, const char *prefix, int64_t day_start, char out[16]) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM checkins WHERE created >= ? AND substr(queue_no, "
                           "1, length(?2)) = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_int64(st, 1, day_start);
    sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
    int rc = STORE_ERR_IO;
    if (sqlite3_step(st) == SQLITE_ROW) {
        int n = (int)(sqlite3_column_int64(st, 0) % 1000) + 1; /* 999 a day at most */
        snprintf(out, 16, "%.8s%03d", prefix, n);
        rc = STORE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Rows of (id, kind, queue_no, created, acked, rejected) into out. */
static int record_rows(sqlite3_stmt *st, struct store_record_info *out, int max) {
    int n = 0, step;
    while (n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_record_info *r = &out[n++];
        memset(r, 0, sizeof *r);
        snprintf(r->id, sizeof r->id, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(r->kind, sizeof r->kind, "%s", (const char *)sqlite3_column_text(st, 1));
        const char *q = (const char *)sqlite3_column_text(st, 2);
        snprintf(r->queue_no, sizeof r->queue_no, "%s", q ? q : "");
        r->created = sqlite3_column_int64(st, 3);
        r->state = sqlite3_column_type(st, 4) != SQLITE_NULL ? 1
                   : sqlite3_column_int(st, 5)               ? 2
                                                             : 0;
    }
    if (n < max && step != SQLITE_DONE)
        n = STORE_ERR_IO;
    sqlite3_finalize(st);
    return n;
}

#define RECORD_SELECT                                                                              \
    "SELECT id, kind, queue_no, created, acked, EXISTS(SELECT 1 FROM outbox o WHERE "              \
    "o.record_id = r.id AND o.next_try >= 9000000000000) FROM (SELECT id, 'checkin' AS kind, "     \
    "queue_no, created, acked FROM checkins UNION ALL SELECT id, kind, NULL, created, acked "      \
    "FROM applications) r "

int store_records_for(struct store *s, const char *id_number, struct store_record_info *out,
                      int max) {
    uint8_t h[32];
    id_hmac(s, id_number, h);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           RECORD_SELECT
                           "WHERE r.id IN (SELECT id FROM applications WHERE party_a_hmac = ?1 OR "
                           "party_b_hmac = ?1 UNION SELECT c.id FROM checkins c JOIN appointments "
                           "a ON a.id = c.appointment_id WHERE a.party_a_hmac = ?1 OR "
                           "a.party_b_hmac = ?1) ORDER BY created DESC LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, max);
    return record_rows(st, out, max);
}

int store_record_info(struct store *s, const char *id, struct store_record_info *out) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, RECORD_SELECT "WHERE r.id = ?1", -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return record_rows(st, out, 1);
}

int store_count_since(struct store *s, int64_t day_start, int *checkins, int *applications) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT count(*) FROM checkins WHERE created >= ?1), (SELECT "
                           "count(*) FROM applications WHERE created >= ?1)",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_int64(st, 1, day_start);
    int rc = STORE_ERR_IO;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *checkins = sqlite3_column_int(st, 0);
        *applications = sqlite3_column_int(st, 1);
        rc = STORE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

int store_last_checkin(struct store *s, char id[UUID_STR_LEN], char appointment_id[64],
                       char queue_no[16], int64_t *created) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, appointment_id, queue_no, created FROM checkins ORDER BY "
                           "created DESC, rowid DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    int step = sqlite3_step(st), rc = STORE_ERR_NOT_FOUND;
    if (step == SQLITE_ROW) {
        snprintf(id, UUID_STR_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
        const char *ap = (const char *)sqlite3_column_text(st, 1);
        const char *q = (const char *)sqlite3_column_text(st, 2);
        snprintf(appointment_id, 64, "%s", ap ? ap : "");
        snprintf(queue_no, 16, "%s", q ? q : "");
        *created = sqlite3_column_int64(st, 3);
        rc = STORE_OK;
    } else if (step != SQLITE_DONE) {
        rc = STORE_ERR_IO;
    }
    sqlite3_finalize(st);
    return rc;
}
