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

int64_t now_s(struct store *s) {
    return clock_wall_s(s->clock);
}
