/* open: opening the store (migrations by user_version; a read-only open for tools), its codes and the statement helper every table uses. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef KIOSK_TEST_HOOKS
#include "fault_vfs.h"
#endif
#include "num.h"
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "file.h"
#include "log.h"
#include "store_int.h"

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
    case STORE_ERR_KEY_LOST:
        return "the data key is missing but the store holds sealed data (restore data.key)";
    case STORE_ERR_KEY_WRONG:
        return "the data key does not open this store (replaced or damaged)";
    case STORE_ERR_STORE_LOST:
        return "the store is missing, empty, damaged or not the one this kiosk kept";
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
    /* 好差评: the citizens' ratings of a service (no personal data; sealed like the rest) */
    "CREATE TABLE ratings(id TEXT PRIMARY KEY, created INTEGER NOT NULL, service TEXT NOT NULL,"
    "  level INTEGER NOT NULL, sealed BLOB, acked INTEGER, purged INTEGER NOT NULL DEFAULT 0);",
    /* the queue number of a joint application (the couple waits to be called as well) */
    "ALTER TABLE applications ADD COLUMN queue_no TEXT;",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))


int store_code(int sqlite_rc) {
    int primary = sqlite_rc & 0xff;
    return primary == SQLITE_OK || primary == SQLITE_DONE          ? STORE_OK
           : primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? STORE_ERR_BUSY
           : primary == SQLITE_READONLY                         ? STORE_ERR_READONLY
                                                                : STORE_ERR_IO;
}

int exec(struct store *s, const char *sql) {
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("store", "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        /* another connection held the database past the busy timeout: nothing is damaged,
         * the caller may try again (the sync thread does, with its backoff) */
        return store_code(rc);
    }
    return STORE_OK;
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

/* The marker outside the database: {"store":ID,"key_check":HEX}. */
#define MARKER "store.id"

static bool marker_exists(const char *state_dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/" MARKER, state_dir);
    return access(path, F_OK) == 0;
}

/* kiosk.db's size: -1 when there is none. */
static long long db_size(const char *state_dir) {
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/kiosk.db", state_dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
}

/* The key's check value: HMAC-SHA256(key, a fixed text), hex. It names the key without
 * revealing it. */
static void key_check(const struct store *s, char hex[65]) {
    static const char what[] = "kiosk store data key check v1";
    uint8_t mac[32];
    crypto_hmac_sha256(s->key, sizeof s->key, what, sizeof what - 1, mac);
    crypto_hex(mac, sizeof mac, hex);
}

/* Reads the marker's store id and key check ("" when absent): 0, or -1 when it is there but
 * unreadable. */
static int marker_read(const char *state_dir, char id[65], char check[65]) {
    id[0] = check[0] = 0;
    char path[1024];
    snprintf(path, sizeof path, "%s/" MARKER, state_dir);
    if (access(path, F_OK) != 0)
        return 0;
    char *text = file_read(path, 4096, NULL);
    if (!text)
        return -1;
    char *nl = strchr(text, '\n');
    int rc = -1;
    if (nl && strlen(text) < 200 && sscanf(text, "%64s %64s", id, check) == 2)
        rc = 0;
    free(text);
    return rc;
}

static int marker_write(const char *state_dir, const char *id, const char *check) {
    char path[1024], tmp[1100], line[200];
    snprintf(path, sizeof path, "%s/" MARKER, state_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(line, sizeof line, "%s %s\n", id, check);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write(fd, line, strlen(line)) == (ssize_t)strlen(line) && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        unlink(tmp);
    return ok ? 0 : -1;
}

/* A kv value of the open store into out ("" when absent). */
static void kv_peek(struct store *s, const char *key, char *out, size_t cap) {
    sqlite3_stmt *st = NULL;
    out[0] = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM kv WHERE key = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
}

/* Whether the key opens a sealed value of the store (1), none is there to try (0), or it does
 * not (-1): for a store made before the key check was kept. */
static int key_opens(struct store *s) {
    static const char *const q[] = {"SELECT id, 'checkin' FROM checkins WHERE sealed IS NOT "
                                    "NULL LIMIT 1",
                                    "SELECT id, 'application' FROM applications WHERE sealed "
                                    "IS NOT NULL LIMIT 1"};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st = NULL;
        char id[64] = "", kind[16] = "";
        if (sqlite3_prepare_v2(s->db, q[i], -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(kind, sizeof kind, "%s", (const char *)sqlite3_column_text(st, 1));
        }
        sqlite3_finalize(st);
        if (!id[0])
            continue;
        char *pt = open_record(s, id, kind);
        if (!pt)
            return -1;
        explicit_bzero(pt, strlen(pt));
        free(pt);
        return 1;
    }
    return 0;
}

/* After the schema is in place: the store must be the one the marker names, and the key the
 * one it was sealed with. A new store gets its id and key check (in the database and in the
 * marker); a store of an older version gets them once its key is seen to open its data.
 * writable: false for a read-only open (nothing is written). */
static int identity_check(struct store *s, bool fresh, bool writable) {
    char mid[65], mcheck[65], id[65], check[65], have[65];
    key_check(s, check);
    if (marker_read(s->state_dir, mid, mcheck) != 0) {
        log_error("store", "%s/" MARKER " is unreadable", s->state_dir);
        return STORE_ERR_STORE_LOST;
    }
    kv_peek(s, "store.id", id, sizeof id);
    kv_peek(s, "store.key_check", have, sizeof have);
    if (mid[0] && strcmp(mid, id) != 0) {
        log_error("store", "%s/kiosk.db is not the store this kiosk kept (%s, expected %s): "
                  "out of service until it is restored", s->state_dir, id[0] ? id : "empty",
                  mid);
        return STORE_ERR_STORE_LOST;
    }
    if ((have[0] && strcmp(have, check) != 0) || (mcheck[0] && strcmp(mcheck, check) != 0) ||
        (!have[0] && !fresh && key_opens(s) < 0)) {
        log_error("store", "%s/data.key does not open this store: out of service until the "
                  "right key is restored", s->state_dir);
        return STORE_ERR_KEY_WRONG;
    }
    if (!writable)
        return STORE_OK;
    int rc = STORE_OK;
    if (!id[0]) {
        uint8_t raw[16];
        if (crypto_random(raw, sizeof raw) != 0)
            return STORE_ERR_CRYPTO;
        crypto_hex(raw, sizeof raw, id);
        char sql[300];
        snprintf(sql, sizeof sql,
                 "INSERT OR REPLACE INTO kv(key, value) VALUES('store.id', '%s'),"
                 "('store.key_check', '%s')", id, check);
        rc = exec(s, sql);
    } else if (!have[0]) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "INSERT OR REPLACE INTO kv(key, value) VALUES('store.key_check', '%s')", check);
        rc = exec(s, sql);
    }
    if (rc == STORE_OK && (!mid[0] || !mcheck[0]) && marker_write(s->state_dir, id, check) != 0) {
        log_error("store", "%s/" MARKER " cannot be written", s->state_dir);
        rc = STORE_ERR_IO;
    }
    return rc;
}

/* A store of state_dir with its data key (made when create), not yet connected. */
static int store_new(struct store **out, const char *state_dir, const struct clock_src *clock,
                     bool create) {
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return STORE_ERR_IO;
    s->clock = clock;
    snprintf(s->state_dir, sizeof s->state_dir, "%s", state_dir);
    int rc = load_key(state_dir, "data.key", s->key, false);
    if (rc == STORE_ERR_NOT_FOUND) {
        /* a key is made only for a store that holds nothing yet: never over sealed data */
        if (marker_exists(state_dir) || db_size(state_dir) > 0) {
            log_error("store", "%s/data.key is missing, but the store holds sealed data: the "
                      "kiosk stays out of service until the key is restored", state_dir);
            rc = STORE_ERR_KEY_LOST;
        } else {
            rc = create ? load_key(state_dir, "data.key", s->key, true) : STORE_ERR_KEY;
        }
    }
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
    if (marker_exists(state_dir) && db_size(state_dir) <= 0) {
        /* emptied or removed where records were kept: an alarm, never a fresh start */
        log_error("store", "%s is %s, but this kiosk kept a store there: out of service until "
                  "it is restored", path, db_size(state_dir) < 0 ? "missing" : "empty");
        store_close(s);
        return STORE_ERR_STORE_LOST;
    }
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
    if (rc == STORE_ERR_IO && marker_exists(state_dir))
        rc = STORE_ERR_STORE_LOST; /* not a database (truncated, overwritten) */
    if (rc == STORE_OK && version > SCHEMA_VERSION)
        rc = STORE_ERR_SCHEMA;
    bool fresh = version == 0;
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
    if (rc == STORE_OK)
        rc = identity_check(s, fresh, true);
    if (rc != STORE_OK) {
        store_close(s);
        return rc;
    }
    char *kiosk = NULL;
    if (store_kv_get(s, "kiosk.id", &kiosk) == STORE_OK && kiosk)
        snprintf(s->kiosk, sizeof s->kiosk, "%s", kiosk);
    free(kiosk);
    *out = s;
    return STORE_OK;
}

int store_set_kiosk(struct store *s, const char *kiosk_id) {
    if (!kiosk_id || !kiosk_id[0] || strlen(kiosk_id) >= sizeof s->kiosk) {
        log_warn("store", "no usable kiosk id (empty or too long): record ids stay untagged");
        return STORE_OK;
    }
    if (!strcmp(s->kiosk, kiosk_id))
        return STORE_OK;
    int rc = store_kv_set(s, "kiosk.id", kiosk_id);
    if (rc == STORE_OK) {
        if (s->kiosk[0])
            log_warn("store", "the kiosk's id changed from %s to %s: records it made before are "
                              "refused at the registry under the new id, and set aside for staff",
                     s->kiosk, kiosk_id);
        snprintf(s->kiosk, sizeof s->kiosk, "%s", kiosk_id);
    }
    return rc;
}

int store_open_readonly(struct store **out, const char *state_dir,
                        const struct clock_src *clock) {
    *out = NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/kiosk.db", state_dir);
    if (access(path, F_OK) != 0) /* nothing is created for a tool that only reads */
        return marker_exists(state_dir) ? STORE_ERR_STORE_LOST : STORE_ERR_NOT_FOUND;
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
             : marker_exists(state_dir) ? STORE_ERR_STORE_LOST
                                        : STORE_ERR_NOT_FOUND;
        if (rc == STORE_OK)
            rc = identity_check(s, false, false);
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

int64_t now_s(struct store *s) {
    return clock_wall_s(s->clock);
}
