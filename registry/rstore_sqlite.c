/* rstore_sqlite: the SQLite backend of rstore.h, the embedded default (DATA/registry.db). */
#include "rstore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <unistd.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "log.h"
#include "rstore_cols.h"

struct sq {
    struct rstore base; /* first: a struct rstore * is a struct sq * */
    sqlite3 *db;
};
#define DB(r) (((struct sq *)(r))->db)

static const struct rstore_ops sqlite_ops;
static void sq_close(struct rstore *r);
static sqlite3_stmt *prepare(struct rstore *r, const char *sql);
static int step_done(sqlite3_stmt *st);
static int sq_epoch(struct rstore *r, char out[RSTORE_EPOCH_LEN], int renew);

/* A column added to a registry made before it: probe fails until ddl ran. 0 or -1 (logged). */
static int add_column(struct rstore *r, const char *probe, const char *ddl) {
    char sql[200];
    snprintf(sql, sizeof sql, "%s LIMIT 0", probe);
    if (sqlite3_exec(DB(r), sql, NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    if (sqlite3_exec(DB(r), ddl, NULL, NULL, NULL) != SQLITE_OK) {
        log_error("rstore", "cannot add a column (%s): %s", probe, sqlite3_errmsg(DB(r)));
        return -1;
    }
    return 0;
}

/* The epoch at opening: made with the database; a copy made by sq_backup (marked backup_of)
 * takes a new one the first time it is opened, as a restored registry. 0 or -1. */
static int open_epoch(struct rstore *r) {
    char was[RSTORE_EPOCH_LEN] = "", now[RSTORE_EPOCH_LEN];
    sqlite3_stmt *st = prepare(r, "SELECT value FROM meta WHERE key = 'backup_of'");
    if (!st)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(was, sizeof was, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (!was[0])
        return sq_epoch(r, now, 0);
    if (sq_epoch(r, now, 1) != 0 ||
        sqlite3_exec(DB(r), "DELETE FROM meta WHERE key = 'backup_of'", NULL, NULL, NULL) !=
            SQLITE_OK)
        return -1;
    log_warn("rstore", "this database is a restored backup of epoch %s: the registry's epoch is "
             "now %s, and kiosks will send again what they keep", was, now);
    return 0;
}

static int sq_epoch(struct rstore *r, char out[RSTORE_EPOCH_LEN], int renew) {
    uint8_t raw[16];
    char hex[33];
    if (renew) {
        sqlite3_stmt *st = crypto_random(raw, sizeof raw) == 0
                               ? prepare(r, "INSERT OR REPLACE INTO meta VALUES('epoch', ?)")
                               : NULL;
        crypto_hex(raw, sizeof raw, hex);
        if (!st)
            return -1;
        sqlite3_bind_text(st, 1, hex, -1, SQLITE_TRANSIENT);
        if (step_done(st) != 0)
            return -1;
    }
    sqlite3_stmt *st = prepare(r, "SELECT value FROM meta WHERE key = 'epoch'");
    if (!st)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : 1;
    if (rc == 0)
        snprintf(out, RSTORE_EPOCH_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == 0 ? 0 : renew ? -1 : sq_epoch(r, out, 1);
}

/* VACUUM INTO: a consistent copy while the registry serves (readers and writers go on; WAL),
 * then marked as a backup of this epoch. The file is made 0600 and empty first. */
static int sq_backup(struct rstore *r, const char *path) {
    char epoch[RSTORE_EPOCH_LEN];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        log_error("rstore", "the backup %s cannot be made: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    sqlite3_stmt *st = prepare(r, "VACUUM INTO ?");
    if (st)
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3 *copy = NULL;
    int rc = st && step_done(st) == 0 && sq_epoch(r, epoch, 0) == 0 ? 0 : -1;
    if (rc == 0 && sqlite3_open(path, &copy) == SQLITE_OK) {
        char *sql = sqlite3_mprintf("INSERT OR REPLACE INTO meta VALUES('backup_of', %Q)", epoch);
        rc = sql && sqlite3_exec(copy, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
        sqlite3_free(sql);
    } else
        rc = -1;
    sqlite3_close(copy);
    if (rc != 0) {
        log_error("rstore", "the backup %s failed: %s", path, sqlite3_errmsg(DB(r)));
        unlink(path);
    }
    return rc;
}

/* Seals one table's clear texts, a batch at a time, each batch one transaction. */
static long seal_table(struct rstore *r, const char *table,
                       int (*fn)(void *, const char *, const char *, const char *, const char *,
                                 const char *, char **),
                       void *ctx) {
    bool records = !strcmp(table, "records");
    long total = 0;
    for (;;) {
        sqlite3_stmt *sel = prepare(
            r, records ? "SELECT kiosk, id, office, payload FROM records WHERE payload <> '' AND "
                         "payload NOT LIKE 's1:%' LIMIT 500"
                       : "SELECT '', id, office, json FROM appointments WHERE json NOT LIKE "
                         "'s1:%' LIMIT 500");
        sqlite3_stmt *up = prepare(
            r, records ? "UPDATE records SET payload = ?1 WHERE kiosk = ?2 AND id = ?3"
                       : "UPDATE appointments SET json = ?1 WHERE id = ?3");
        long n = 0;
        bool ok = sel && up && sqlite3_exec(DB(r), "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
        while (ok && sqlite3_step(sel) == SQLITE_ROW) {
            const char *c[4];
            for (int i = 0; i < 4; i++)
                c[i] = (const char *)sqlite3_column_text(sel, i);
            char *sealed = NULL;
            ok = fn(ctx, table, c[2], c[0], c[1], c[3], &sealed) == 0;
            if (ok) {
                sqlite3_reset(up);
                sqlite3_bind_text(up, 1, sealed, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(up, 2, c[0], -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(up, 3, c[1], -1, SQLITE_TRANSIENT);
                ok = sqlite3_step(up) == SQLITE_DONE;
                n++;
            }
            free(sealed);
        }
        sqlite3_finalize(sel);
        sqlite3_finalize(up);
        if (!ok || sqlite3_exec(DB(r), "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            log_error("rstore", "the %s in clear cannot be sealed: %s", table,
                      sqlite3_errmsg(DB(r)));
            sqlite3_exec(DB(r), "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        total += n;
        if (n == 0)
            return total;
    }
}

static long sq_seal_legacy(struct rstore *r,
                           int (*fn)(void *, const char *, const char *, const char *,
                                     const char *, const char *, char **),
                           void *ctx) {
    long a = seal_table(r, "records", fn, ctx);
    long b = a < 0 ? -1 : seal_table(r, "appointments", fn, ctx);
    if (b < 0)
        return -1;
    /* the pages with the clear texts: zeroed in the file (secure_delete), and the WAL that
     * still held them emptied */
    if (a + b > 0)
        sqlite3_exec(DB(r), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    return a + b;
}

static long sq_purge(struct rstore *r, long long before, long long appts_before) {
    sqlite3_stmt *st = prepare(r, "UPDATE records SET payload = '' WHERE received < ? AND payload "
                                  "<> '' AND status NOT IN ('accepted', 'reviewing')");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, before);
    if (step_done(st) != 0)
        return -1;
    long n = sqlite3_changes(DB(r));
    st = prepare(r, "DELETE FROM appointments WHERE slot_end > 0 AND slot_end < ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, appts_before);
    if (step_done(st) != 0)
        return -1;
    n += sqlite3_changes(DB(r));
    if (n > 0)
        sqlite3_exec(DB(r), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    return n;
}

/* A registry made when records were keyed by their id alone: the table is rebuilt keyed by
 * (kiosk, id), rows kept (SQLite cannot change a primary key in place). 0 or -1 (logged). */
static int migrate_records(struct rstore *r) {
    sqlite3_stmt *st = NULL;
    int old = 0;
    if (sqlite3_prepare_v2(DB(r), "SELECT count(*) FROM pragma_table_info('records') WHERE pk > 0",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        old = sqlite3_column_int(st, 0) == 1;
    sqlite3_finalize(st);
    if (!old)
        return 0;
    char *msg = NULL;
    if (sqlite3_exec(DB(r),
                     "BEGIN IMMEDIATE;"
                     "CREATE TABLE records_by_kiosk(id TEXT NOT NULL, kind TEXT NOT NULL,"
                     " kiosk TEXT NOT NULL, office TEXT NOT NULL, payload TEXT NOT NULL,"
                     " received INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'received',"
                     " PRIMARY KEY(kiosk, id));"
                     "INSERT INTO records_by_kiosk(id, kind, kiosk, office, payload, received,"
                     " status) SELECT id, kind, kiosk, office, payload, received, status"
                     " FROM records;"
                     "DROP TABLE records;"
                     "ALTER TABLE records_by_kiosk RENAME TO records;"
                     "CREATE INDEX records_received ON records(received);"
                     "CREATE INDEX records_id ON records(id, office);"
                     "COMMIT;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        log_error("rstore", "the records cannot be keyed by kiosk: %s", msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_exec(DB(r), "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    log_info("rstore", "records are now keyed by kiosk and id");
    return 0;
}

struct rstore *rstore_open(const char *data_dir) {
    struct sq *q = calloc(1, sizeof *q);
    struct rstore *r = q ? &q->base : NULL;
    if (q)
        q->base.ops = &sqlite_ops;
    char path[1024];
    snprintf(path, sizeof path, "%s/registry.db", data_dir);
    if (!r || sqlite3_open(path, &DB(r)) != SQLITE_OK) {
        log_error("rstore", "cannot open %s", path);
        sq_close(r);
        return NULL;
    }
    /* personal data: the database and its WAL readable by the registry alone */
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char f[1100];
        snprintf(f, sizeof f, "%s%s", path, suffixes[i]);
        if (chmod(f, 0600) != 0 && errno != ENOENT)
            log_warn("rstore", "cannot make %s 0600", f);
    }
    char *msg = NULL;
    if (sqlite3_exec(
            DB(r),
            /* secure_delete: what is purged or replaced is zeroed in the file, not left in
             * free pages */
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
            "CREATE TABLE IF NOT EXISTS records(id TEXT NOT NULL, kind TEXT NOT NULL,"
            " kiosk TEXT NOT NULL, office TEXT NOT NULL, payload TEXT NOT NULL,"
            " received INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'received',"
            " PRIMARY KEY(kiosk, id));"
            "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS appointments(id TEXT PRIMARY KEY,"
            " office TEXT NOT NULL, json TEXT NOT NULL, seq INTEGER NOT NULL UNIQUE);"
            "CREATE TABLE IF NOT EXISTS fleet(kiosk TEXT PRIMARY KEY, office TEXT NOT NULL,"
            " json TEXT NOT NULL, seen INTEGER NOT NULL);"
            "CREATE TABLE IF NOT EXISTS commands(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kiosk TEXT NOT NULL, command TEXT NOT NULL, arg TEXT NOT NULL,"
            " created INTEGER NOT NULL, acked INTEGER, result TEXT);"
            "CREATE INDEX IF NOT EXISTS commands_kiosk ON commands(kiosk, seq);"
            "CREATE INDEX IF NOT EXISTS records_received ON records(received);"
            "CREATE INDEX IF NOT EXISTS records_id ON records(id, office);"
            "CREATE TABLE IF NOT EXISTS manifests(type TEXT NOT NULL, channel TEXT NOT NULL,"
            " serial INTEGER NOT NULL, json TEXT NOT NULL, published INTEGER NOT NULL,"
            " rollout INTEGER NOT NULL DEFAULT 100, PRIMARY KEY(type, channel, serial));"
            "CREATE TABLE IF NOT EXISTS receipt_keys(key TEXT PRIMARY KEY, kiosk TEXT NOT NULL,"
            " office TEXT NOT NULL, first_seen INTEGER NOT NULL, seq INTEGER);"
            "CREATE TABLE IF NOT EXISTS enroll_tokens(hash TEXT PRIMARY KEY, kiosk TEXT NOT NULL,"
            " office TEXT NOT NULL, expires INTEGER NOT NULL, used INTEGER);"
            "CREATE TABLE IF NOT EXISTS update_events(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kiosk TEXT NOT NULL, type TEXT NOT NULL, serial INTEGER NOT NULL,"
            " version TEXT NOT NULL, step TEXT NOT NULL, detail TEXT NOT NULL,"
            " at INTEGER NOT NULL, received INTEGER NOT NULL);"
            "CREATE INDEX IF NOT EXISTS update_events_kiosk ON update_events(kiosk, type, serial);"
            "CREATE TABLE IF NOT EXISTS audit_anchors(kiosk TEXT NOT NULL, seq INTEGER NOT NULL,"
            " hash TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(kiosk, seq));"
            "CREATE TABLE IF NOT EXISTS audit_alarms(id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kiosk TEXT NOT NULL, at INTEGER NOT NULL, detail TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS revocations(kind TEXT NOT NULL, id TEXT NOT NULL,"
            " at INTEGER NOT NULL, reason TEXT NOT NULL, PRIMARY KEY(kind, id));"
            "CREATE TABLE IF NOT EXISTS tickets(id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " office TEXT NOT NULL, day INTEGER NOT NULL, kiosk TEXT NOT NULL, record TEXT NOT NULL,"
            " kind TEXT NOT NULL, queue_no TEXT NOT NULL, business TEXT NOT NULL, room TEXT NOT NULL,"
            " slot_start INTEGER NOT NULL, created INTEGER NOT NULL,"
            " status TEXT NOT NULL DEFAULT 'waiting', window TEXT NOT NULL DEFAULT '',"
            " calls INTEGER NOT NULL DEFAULT 0, any_type INTEGER NOT NULL DEFAULT 0,"
            " called_at INTEGER, done_at INTEGER, UNIQUE(kiosk, record));"
            "CREATE INDEX IF NOT EXISTS tickets_day ON tickets(office, day);"
            "CREATE INDEX IF NOT EXISTS tickets_number ON tickets(office, day, queue_no);"
            "CREATE TABLE IF NOT EXISTS windows(office TEXT NOT NULL, id TEXT NOT NULL,"
            " name TEXT NOT NULL, room TEXT NOT NULL, types TEXT NOT NULL, every INTEGER NOT NULL,"
            " since_walk_in INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(office, id));"
            "CREATE TABLE IF NOT EXISTS divorce_accepted(pair TEXT PRIMARY KEY,"
            " office TEXT NOT NULL, record TEXT NOT NULL, date TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS alerts(id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kiosk TEXT NOT NULL, office TEXT NOT NULL, kind TEXT NOT NULL, screen TEXT NOT NULL,"
            " at INTEGER NOT NULL, received INTEGER NOT NULL, UNIQUE(kiosk, kind, at));"
            "CREATE TABLE IF NOT EXISTS clerks(id TEXT PRIMARY KEY, office TEXT NOT NULL,"
            " name TEXT NOT NULL, hash TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,"
            " locked_until INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0,"
            " created INTEGER NOT NULL, last_login INTEGER NOT NULL DEFAULT 0);"
            "CREATE TABLE IF NOT EXISTS clerk_sessions(hash TEXT PRIMARY KEY,"
            " clerk TEXT NOT NULL, csrf TEXT NOT NULL, created INTEGER NOT NULL,"
            " expires INTEGER NOT NULL);"
            "CREATE TABLE IF NOT EXISTS clerk_audit(id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " at INTEGER NOT NULL, clerk TEXT NOT NULL, office TEXT NOT NULL,"
            " action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);"
            "CREATE INDEX IF NOT EXISTS clerk_audit_office ON clerk_audit(office, id);",
            NULL, NULL, &msg) != SQLITE_OK) {
        log_error("rstore", "%s", msg ? msg : "schema");
        sqlite3_free(msg);
        sq_close(r);
        return NULL;
    }
    /* columns added since the first registry, each to a registry made before it (status
     * before the rebuild keyed by kiosk, which copies it; the others after) */
    if (add_column(r, "SELECT status FROM records",
                   "ALTER TABLE records ADD COLUMN status TEXT NOT NULL DEFAULT 'received'") != 0 ||
        migrate_records(r) != 0 ||
        /* the check-ins' type and queue number */
        add_column(r, "SELECT business FROM records",
                   "ALTER TABLE records ADD COLUMN business TEXT;"
                   "ALTER TABLE records ADD COLUMN queue_no TEXT") != 0 ||
        /* the receipt keys' change numbers: numbered in the order they came */
        add_column(r, "SELECT seq FROM receipt_keys",
                   "ALTER TABLE receipt_keys ADD COLUMN seq INTEGER;"
                   "UPDATE receipt_keys SET seq = rowid") != 0 ||
        add_column(r, "SELECT status_reason FROM records",
                   "ALTER TABLE records ADD COLUMN status_reason TEXT NOT NULL DEFAULT ''") != 0 ||
        /* staged rollouts: every manifest went to the whole channel */
        add_column(r, "SELECT rollout FROM manifests",
                   "ALTER TABLE manifests ADD COLUMN rollout INTEGER NOT NULL DEFAULT 100") != 0 ||
        /* sealed payloads (issue 17): a rating's service and level beside it, read from the
         * payloads still in clear; an appointment's end for retention */
        add_column(r, "SELECT level FROM records",
                   "ALTER TABLE records ADD COLUMN level INTEGER;"
                   "UPDATE records SET business = json_extract(payload, '$.service'), level = "
                   "json_extract(payload, '$.level') WHERE kind = 'rating' AND payload LIKE '{%'") != 0 ||
        add_column(r, "SELECT slot_end FROM appointments",
                   "ALTER TABLE appointments ADD COLUMN slot_end INTEGER NOT NULL DEFAULT 0;"
                   "UPDATE appointments SET slot_end = coalesce(json_extract(json, '$.slot_end'), 0) "
                   "WHERE json LIKE '{%'") != 0 ||
        open_epoch(r) != 0) {
        sq_close(r);
        return NULL;
    }
    return r;
}

/* Runs a prepared statement that returns no rows, and finalizes it: 0 or -1. */
static int step_done(sqlite3_stmt *st) {
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

/* A prepared statement, or NULL (logged). */
static sqlite3_stmt *prepare(struct rstore *r, const char *sql) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(DB(r), sql, -1, &st, NULL) != SQLITE_OK) {
        log_error("rstore", "%s", sqlite3_errmsg(DB(r)));
        return NULL;
    }
    return st;
}

static void sq_close(struct rstore *r) {
    if (!r)
        return;
    sqlite3_close(DB(r));
    free(r);
}

/* One insert of a batch (inside its transaction). The same id from another kiosk is that
 * kiosk's own record, never this one's: it is counted in *shared so the collision is logged
 * (the registry cannot tell which kiosk made an id; it can keep each kiosk's apart). */
static enum rstore_result put_one(struct rstore *r, sqlite3_stmt *ins, sqlite3_stmt *others,
                                  const char *kiosk, const char *office,
                                  const struct rstore_record_in *rec, sqlite3_int64 now,
                                  int *shared) {
    sqlite3_reset(ins);
    sqlite3_bind_text(ins, 1, rec->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, rec->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, office, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, rec->payload, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 6, now);
    if (rec->level)
        sqlite3_bind_int(ins, 9, rec->level);
    else
        sqlite3_bind_null(ins, 9);
    if (rec->business)
        sqlite3_bind_text(ins, 7, rec->business, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(ins, 7);
    if (rec->queue_no)
        sqlite3_bind_text(ins, 8, rec->queue_no, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(ins, 8);
    if (sqlite3_step(ins) != SQLITE_DONE)
        return RSTORE_ERROR;
    if (sqlite3_changes(DB(r)) != 1)
        return RSTORE_DUPLICATE;
    sqlite3_reset(others);
    sqlite3_bind_text(others, 1, rec->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(others, 2, kiosk, -1, SQLITE_STATIC);
    if (sqlite3_step(others) == SQLITE_ROW)
        (*shared)++;
    return RSTORE_ACCEPTED;
}

static void sq_put_batch(struct rstore *r, const char *kiosk, const char *office,
                         const struct rstore_record_in *recs, int n, enum rstore_result *results) {
    for (int i = 0; i < n; i++)
        results[i] = RSTORE_ERROR;
    sqlite3_stmt *ins = prepare(r, "INSERT OR IGNORE INTO records(id, kind, kiosk, office, "
                                   "payload, received, business, queue_no, level) VALUES(?, ?, ?, "
                                   "?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *others = prepare(r, "SELECT 1 FROM records WHERE id = ? AND kiosk <> ? LIMIT 1");
    int shared = 0;
    /* one transaction (one fsync) for the batch, each record with its own answer */
    if (!ins || !others || sqlite3_exec(DB(r), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_finalize(ins);
        sqlite3_finalize(others);
        return;
    }
    sqlite3_int64 now = (sqlite3_int64)time(NULL);
    for (int i = 0; i < n; i++)
        results[i] = put_one(r, ins, others, kiosk, office, &recs[i], now, &shared);
    sqlite3_finalize(ins);
    sqlite3_finalize(others);
    if (sqlite3_exec(DB(r), "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        log_error("rstore", "a batch of %d records cannot be committed: %s", n,
                  sqlite3_errmsg(DB(r)));
        sqlite3_exec(DB(r), "ROLLBACK", NULL, NULL, NULL);
        for (int i = 0; i < n; i++)
            results[i] = RSTORE_ERROR;
    } else if (shared) {
        log_warn("rstore", "%s sent %d record id(s) another kiosk also sent: each kept as its "
                 "own kiosk's (records list: shared_id)", kiosk, shared);
    }
}

static int sq_status(struct rstore *r, const char *office, const char *kiosk, const char *id,
                     char *status, size_t cap, char *reason, size_t rcap) {
    sqlite3_stmt *st = prepare(r, "SELECT status, status_reason FROM records WHERE id = ?1 AND "
                                  "office = ?2 "
                                  "ORDER BY kiosk = ?3 DESC, received LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kiosk, -1, SQLITE_STATIC);
    int rc = 1, step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        snprintf(status, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        const unsigned char *why = sqlite3_column_text(st, 1);
        snprintf(reason, rcap, "%s", why ? (const char *)why : "");
        rc = 0;
    } else if (step != SQLITE_DONE) {
        rc = -1;
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_set_status(struct rstore *r, const char *id, const char *kiosk, const char *status,
                         const char *reason) {
    sqlite3_stmt *st = prepare(r, "SELECT count(*) FROM records WHERE id = ?1 AND "
                                  "(?2 IS NULL OR kiosk = ?2)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (kiosk)
        sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (n < 0)
        return -1;
    if (n == 0)
        return 1;
    if (n > 1)
        return 2; /* several kiosks sent this id: the operator names one */
    st = prepare(r, "UPDATE records SET status = ?1, status_reason = ?4 WHERE id = ?2 AND "
                    "(?3 IS NULL OR kiosk = ?3)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, reason ? reason : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    if (kiosk)
        sqlite3_bind_text(st, 3, kiosk, -1, SQLITE_STATIC);
    return step_done(st);
}

static long sq_count(struct rstore *r) {
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(DB(r), "SELECT count(*) FROM records", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int sq_appointment_put(struct rstore *r, const char *id, const char *office, const char *json,
                              long long slot_end) {
    sqlite3_stmt *st =
        prepare(r, "INSERT OR REPLACE INTO appointments(id, office, json, seq, slot_end) VALUES(?, "
                   "?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM appointments), ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, slot_end);
    return step_done(st);
}

/* Runs a prepared query and returns its rows as cols describe them (the query selects them in
 * that order); NULL on an error. Finalizes st. */
static struct rstore_rows *query_rows(sqlite3_stmt *st, const struct rstore_col *cols, int ncols) {
    struct rstore_rows *rows = st ? rstore_rows_new(cols, ncols) : NULL;
    int step = SQLITE_DONE;
    while (rows && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cells[16];
        for (int c = 0; c < ncols && c < 16; c++)
            cells[c] = (const char *)sqlite3_column_text(st, c);
        if (rstore_rows_add(rows, cells) != 0)
            step = SQLITE_NOMEM;
        if (step != SQLITE_ROW)
            break;
    }
    sqlite3_finalize(st);
    if (rows && step != SQLITE_DONE) {
        log_error("rstore", "a query failed: %s", sqlite3_errstr(step));
        rstore_rows_free(rows);
        return NULL;
    }
    return rows;
}

static struct rstore_rows *sq_appointments_since(struct rstore *r, const char *office,
                                                 long since, int limit, long *next) {
    *next = since;
    sqlite3_stmt *st = prepare(r, "SELECT json, seq, id FROM appointments WHERE office = ? AND "
                                  "seq > ? ORDER BY seq LIMIT ?");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, since);
    sqlite3_bind_int(st, 3, limit);
    struct rstore_rows *rows = query_rows(st, appointment_cols, NCOLS(appointment_cols));
    if (rows && rows->nrows) /* the page's last change: where the next pull starts */
        *next = strtol(rstore_cell(rows, rows->nrows - 1, 1), NULL, 10);
    return rows;
}

static int sq_heartbeat(struct rstore *r, const char *kiosk, const char *office, const char *json) {
    sqlite3_stmt *st =
        prepare(r, "INSERT OR REPLACE INTO fleet(kiosk, office, json, seen) VALUES(?, ?, "
                   "?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    return step_done(st);
}

static int sq_update_event(struct rstore *r, const char *kiosk, const char *type, long long serial,
                        const char *version, const char *step, const char *detail, long long at) {
    /* a step is kept once: heartbeats repeat the latest one (a download's progress is one) */
    sqlite3_stmt *st = prepare(r, "INSERT INTO update_events(kiosk, type, serial, version, step, "
                                  "detail, at, received) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 "
                                  "WHERE NOT EXISTS (SELECT 1 FROM update_events WHERE kiosk = ?1 "
                                  "AND type = ?2 AND serial = ?3 AND step = ?5 AND (step = "
                                  "'downloading' OR at = ?7))");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, serial);
    sqlite3_bind_text(st, 4, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, step, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, detail, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, at);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL));
    if (step_done(st) != 0)
        return -1;
    if (sqlite3_changes(DB(r)) == 0)
        return 0;
    /* the kiosk's quota: its latest steps only */
    st = prepare(r, "DELETE FROM update_events WHERE kiosk = ?1 AND seq <= (SELECT seq FROM "
                    "update_events WHERE kiosk = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, RSTORE_EVENTS_PER_KIOSK);
    return step_done(st);
}

static struct rstore_rows *sq_update_events(struct rstore *r, const char *kiosk, int limit) {
    sqlite3_stmt *st = prepare(r, "SELECT kiosk, type, serial, version, step, detail, at FROM "
                                  "update_events WHERE ?1 IS NULL OR kiosk = ?1 ORDER BY seq "
                                  "DESC LIMIT ?2");
    if (!st)
        return NULL;
    if (kiosk)
        sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    return query_rows(st, update_event_cols, NCOLS(update_event_cols));
}

static struct rstore_rows *sq_fleet(struct rstore *r) {
    sqlite3_stmt *st = prepare(r, "SELECT kiosk, office, ? - seen, json FROM fleet ORDER BY kiosk");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    return query_rows(st, fleet_cols, NCOLS(fleet_cols));
}

static long sq_command_add(struct rstore *r, const char *kiosk, const char *command, const char *arg) {
    sqlite3_stmt *st =
        prepare(r, "INSERT INTO commands(kiosk, command, arg, created) VALUES(?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, command, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, arg ? arg : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    long seq = sqlite3_step(st) == SQLITE_DONE ? (long)sqlite3_last_insert_rowid(DB(r)) : -1;
    sqlite3_finalize(st);
    return seq;
}

static struct rstore_rows *sq_commands_after(struct rstore *r, const char *kiosk, long after,
                                             int *count) {
    *count = 0;
    sqlite3_stmt *st = prepare(r, "SELECT seq, command, arg FROM commands WHERE kiosk = ? AND "
                                  "seq > ? AND acked IS NULL ORDER BY seq LIMIT 100");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, after);
    struct rstore_rows *rows = query_rows(st, command_cols, NCOLS(command_cols));
    *count = rows ? rows->nrows : 0;
    return rows;
}

static int sq_command_ack(struct rstore *r, const char *kiosk, long seq, const char *result) {
    sqlite3_stmt *st =
        prepare(r, "UPDATE commands SET acked = ?, result = ? WHERE seq = ? AND kiosk = ? AND "
                   "(acked IS NULL OR result LIKE 'ok: started%')");
    /* an ack is final: a second one changes nothing, but for the interim "ok: started" of an
     * update or content command, which its result replaces once */
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    sqlite3_bind_text(st, 2, result, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, seq);
    sqlite3_bind_text(st, 4, kiosk, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return -1;
    return sqlite3_changes(DB(r)) == 1 ? 0 : 1;
}

static struct rstore_rows *sq_commands_list(struct rstore *r, const char *kiosk) {
    sqlite3_stmt *st = prepare(r, "SELECT seq, kiosk, command, arg, created, acked, result FROM "
                                  "commands WHERE ?1 IS NULL OR kiosk = ?1 ORDER BY seq DESC "
                                  "LIMIT 200");
    if (!st)
        return NULL;
    if (kiosk)
        sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    return query_rows(st, command_list_cols, NCOLS(command_list_cols));
}

static struct rstore_rows *sq_records_list(struct rstore *r, const char *kiosk,
                                           const char *office, int limit) {
    sqlite3_stmt *st = prepare(r, "SELECT id, kind, kiosk, office, received, status, EXISTS "
                                  "(SELECT 1 FROM records o WHERE o.id = records.id AND o.kiosk "
                                  "<> records.kiosk), business, queue_no FROM records WHERE (?1 IS NULL OR kiosk = ?1) AND (?2 IS NULL OR office = "
                                  "?2) ORDER BY received DESC, id DESC LIMIT ?3");
    if (!st)
        return NULL;
    if (kiosk)
        sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    if (office)
        sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, limit);
    return query_rows(st, record_list_cols, NCOLS(record_list_cols));
}

static int sq_divorce_accepted_put(struct rstore *r, const char *pair, const char *office,
                                   const char *record, const char *date) {
    sqlite3_stmt *st = prepare(r, "INSERT INTO divorce_accepted(pair, office, record, date) "
                                  "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(pair) DO UPDATE SET "
                                  "office = ?2, record = ?3, date = ?4 WHERE record <> ?3 AND "
                                  "date < ?4");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, pair, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, record, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, date, -1, SQLITE_STATIC);
    return step_done(st);
}

static int sq_divorce_accepted_get(struct rstore *r, const char *pair, char date[16]) {
    sqlite3_stmt *st = prepare(r, "SELECT date FROM divorce_accepted WHERE pair = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, pair, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(date, 16, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static int sq_ticket_add(struct rstore *r, const struct rstore_ticket *t) {
    sqlite3_stmt *st = prepare(r, "INSERT OR IGNORE INTO tickets(office, day, kiosk, record, kind, "
                                  "queue_no, business, room, slot_start, created) VALUES(?, ?, ?, "
                                  "?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    const char *texts[] = {t->office, NULL, t->kiosk, t->record, t->kind, t->queue_no, t->business,
                           t->room};
    for (int i = 0; i < 8; i++)
        if (i != 1)
            sqlite3_bind_text(st, i + 1, texts[i] ? texts[i] : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, t->day);
    sqlite3_bind_int64(st, 9, t->slot_start);
    sqlite3_bind_int64(st, 10, t->created);
    if (step_done(st) != 0)
        return -1;
    return sqlite3_changes(DB(r)) == 1 ? 0 : 1;
}

static int sq_ticket_number_other(struct rstore *r, const char *office, int day,
                                  const char *queue_no, const char *kiosk, char *other,
                                  size_t cap) {
    sqlite3_stmt *st = prepare(r, "SELECT kiosk FROM tickets WHERE office = ? AND day = ? AND "
                                  "queue_no = ? AND kiosk <> ? LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, day);
    sqlite3_bind_text(st, 3, queue_no, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, kiosk, -1, SQLITE_STATIC);
    int step = sqlite3_step(st), rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? 1 : -1;
    if (rc == 0)
        snprintf(other, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc;
}

static struct rstore_rows *sq_tickets(struct rstore *r, const char *office, int day) {
    sqlite3_stmt *st = prepare(r, "SELECT id, kiosk, record, kind, queue_no, business, room, "
                                  "slot_start, created, status, window, calls, any_type, "
                                  "called_at, done_at FROM tickets WHERE office = ? AND day = ? "
                                  "ORDER BY created, id");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, day);
    return query_rows(st, ticket_cols, NCOLS(ticket_cols));
}

static int sq_ticket_set(struct rstore *r, const char *office, long long id, const char *status,
                         const char *window, const char *room, int calls, int any_type,
                         long long at) {
    sqlite3_stmt *st = prepare(
        r, "UPDATE tickets SET status = ?1, window = coalesce(?2, window), room = coalesce(?3, "
           "room), calls = ?4, any_type = ?5, called_at = CASE WHEN ?1 = 'called' THEN ?6 ELSE "
           "called_at END, done_at = CASE WHEN ?1 IN ('done', 'no_show') THEN ?6 ELSE done_at "
           "END WHERE id = ?7 AND office = ?8");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    if (window)
        sqlite3_bind_text(st, 2, window, -1, SQLITE_STATIC);
    if (room)
        sqlite3_bind_text(st, 3, room, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, calls);
    sqlite3_bind_int(st, 5, any_type);
    sqlite3_bind_int64(st, 6, at);
    sqlite3_bind_int64(st, 7, id);
    sqlite3_bind_text(st, 8, office, -1, SQLITE_STATIC);
    if (step_done(st) != 0)
        return -1;
    return sqlite3_changes(DB(r)) == 1 ? 0 : 1;
}

static int sq_window_put(struct rstore *r, const char *office, const char *id, const char *name,
                         const char *room, const char *types, int every) {
    sqlite3_stmt *st = prepare(r, "INSERT INTO windows(office, id, name, room, types, every) "
                                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(office, id) DO "
                                  "UPDATE SET name = ?3, room = ?4, types = ?5, every = ?6");
    if (!st)
        return -1;
    const char *texts[] = {office, id, name, room, types};
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, every);
    return step_done(st);
}

static struct rstore_rows *sq_windows(struct rstore *r, const char *office) {
    sqlite3_stmt *st = prepare(r, "SELECT id, name, room, types, every, since_walk_in FROM windows "
                                  "WHERE office = ? ORDER BY id");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
    return query_rows(st, window_cols, NCOLS(window_cols));
}

static int sq_window_count(struct rstore *r, const char *office, const char *id, int since) {
    sqlite3_stmt *st = prepare(r, "UPDATE windows SET since_walk_in = ? WHERE office = ? AND id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, since);
    sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
    return step_done(st);
}

static int sq_enroll_token_add(struct rstore *r, const char *hash_hex, const char *kiosk,
                            const char *office, long expires) {
    sqlite3_stmt *st =
        prepare(r, "INSERT INTO enroll_tokens(hash, kiosk, office, expires) VALUES(?, ?, "
                   "?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, hash_hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, office, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, expires);
    return step_done(st);
}

static int sq_enroll_token_take(struct rstore *r, const char *hash_hex, char *kiosk, size_t ksize,
                             char *office, size_t osize) {
    sqlite3_stmt *st = NULL;
    /* one statement: marked used and read back together, so a token works once */
    if (sqlite3_prepare_v2(DB(r),
                           "UPDATE enroll_tokens SET used = ?1 WHERE hash = ?2 AND used IS NULL "
                           "AND expires > ?1 RETURNING kiosk, office",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    sqlite3_bind_text(st, 2, hash_hex, -1, SQLITE_STATIC);
    int step = sqlite3_step(st), rc = 1;
    if (step == SQLITE_ROW) {
        snprintf(kiosk, ksize, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(office, osize, "%s", (const char *)sqlite3_column_text(st, 1));
        rc = 0;
        step = sqlite3_step(st);
    }
    if (step != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize(st);
    return rc;
}

static int sq_receipt_key_put(struct rstore *r, const char *kiosk, const char *office,
                           const char *key) {
    sqlite3_stmt *st = prepare(r, "SELECT EXISTS (SELECT 1 FROM receipt_keys WHERE key = ?1), "
                                  "(SELECT count(*) FROM receipt_keys WHERE kiosk = ?2)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
    int known = 1, count = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        known = sqlite3_column_int(st, 0);
        count = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    if (known)
        return 0;
    if (count >= RSTORE_KEYS_PER_KIOSK)
        return 1;
    st = prepare(r, "INSERT OR IGNORE INTO receipt_keys(key, kiosk, office, first_seen, seq) "
                    "VALUES(?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM receipt_keys))");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, office, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    return step_done(st);
}

static int sq_receipt_key_owner(struct rstore *r, const char *key, char *kiosk, size_t cap) {
    sqlite3_stmt *st = prepare(r, "SELECT kiosk FROM receipt_keys WHERE key = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        snprintf(kiosk, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? 1 : -1;
}

static struct rstore_rows *sq_receipt_keys(struct rstore *r, long since, int limit) {
    sqlite3_stmt *st = prepare(r, "SELECT kiosk, office, key, first_seen, seq FROM receipt_keys "
                                  "WHERE seq > ? ORDER BY seq LIMIT ?");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
    return query_rows(st, receipt_key_cols, NCOLS(receipt_key_cols));
}

static struct rstore_rows *sq_record(struct rstore *r, const char *id, const char *kiosk) {
    sqlite3_stmt *st = prepare(r, "SELECT id, kind, kiosk, office, received, status, payload FROM "
                                  "records WHERE id = ?1 AND (?2 IS NULL OR kiosk = ?2) "
                                  "ORDER BY received");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (kiosk)
        sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
    return query_rows(st, record_cols, NCOLS(record_cols));
}

static int sq_manifest_put(struct rstore *r, const char *type, const char *channel, long serial,
                        const char *json, int rollout) {
    sqlite3_stmt *st = prepare(r, "INSERT OR REPLACE INTO manifests(type, channel, serial, json, "
                                  "published, rollout) VALUES(?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, serial);
    sqlite3_bind_text(st, 4, json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    sqlite3_bind_int(st, 6, rollout);
    return step_done(st);
}

static int sq_manifest_rollout(struct rstore *r, const char *type, const char *channel, long serial,
                            int rollout) {
    sqlite3_stmt *st = prepare(r, "UPDATE manifests SET rollout = ? WHERE type = ? AND channel = ? "
                                  "AND serial = ?");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, rollout);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, serial);
    if (step_done(st) != 0)
        return -1;
    return sqlite3_changes(DB(r)) == 1 ? 1 : 0;
}

static char *sq_manifest_latest(struct rstore *r, const char *type, const char *channel, int bucket) {
    sqlite3_stmt *st = prepare(r, "SELECT json FROM manifests WHERE type = ? AND channel = ? AND "
                                  "rollout > ? ORDER BY serial DESC LIMIT 1");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, bucket);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static int sq_anchor_put(struct rstore *r, const char *kiosk, long long seq, const char *hash) {
    sqlite3_stmt *st = prepare(r, "INSERT OR REPLACE INTO audit_anchors(kiosk, seq, hash, at) "
                                  "VALUES(?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    if (step_done(st) != 0)
        return -1;
    st = prepare(r, "DELETE FROM audit_anchors WHERE kiosk = ?1 AND seq <= (SELECT seq FROM "
                    "audit_anchors WHERE kiosk = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, RSTORE_ANCHORS_PER_KIOSK);
    return step_done(st);
}

/* One anchor row (the latest when seq < 0) into *seq_out and hash. */
static int anchor_get(struct rstore *r, const char *kiosk, long long seq, long long *seq_out,
                      char hash[65]) {
    hash[0] = 0;
    if (seq_out)
        *seq_out = 0;
    sqlite3_stmt *st = prepare(r, seq < 0 ? "SELECT seq, hash FROM audit_anchors WHERE kiosk = ?1 "
                                            "ORDER BY seq DESC LIMIT 1"
                                          : "SELECT seq, hash FROM audit_anchors WHERE kiosk = ?1 "
                                            "AND seq = ?2");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    if (seq >= 0)
        sqlite3_bind_int64(st, 2, seq);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        if (seq_out)
            *seq_out = sqlite3_column_int64(st, 0);
        snprintf(hash, 65, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : -1;
}

static int sq_anchor_last(struct rstore *r, const char *kiosk, long long *seq, char hash[65]) {
    return anchor_get(r, kiosk, -1, seq, hash);
}

static int sq_anchor_at(struct rstore *r, const char *kiosk, long long seq, char hash[65]) {
    return anchor_get(r, kiosk, seq, NULL, hash);
}

static int sq_audit_alarm(struct rstore *r, const char *kiosk, const char *detail) {
    sqlite3_stmt *st = prepare(r, "INSERT INTO audit_alarms(kiosk, at, detail) VALUES(?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
    sqlite3_bind_text(st, 3, detail, -1, SQLITE_STATIC);
    return step_done(st);
}

/* A kiosk's alert (呼叫工作人员): once, however many heartbeats bring it again. */
static int sq_alert_put(struct rstore *r, const char *kiosk, const char *office, const char *kind,
                        const char *screen, long long at) {
    sqlite3_stmt *st = prepare(r, "INSERT OR IGNORE INTO alerts(kiosk, office, kind, screen, at, "
                                  "received) VALUES(?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, screen, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, at);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
    return step_done(st);
}

static struct rstore_rows *sq_alerts(struct rstore *r, const char *office) {
    sqlite3_stmt *st = prepare(r, "SELECT kiosk, office, kind, screen, at, received FROM alerts "
                                  "WHERE ?1 IS NULL OR office = ?1 ORDER BY id DESC LIMIT 200");
    if (!st)
        return NULL;
    if (office)
        sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
    return query_rows(st, alert_cols, NCOLS(alert_cols));
}

static struct rstore_rows *sq_audit_alarms(struct rstore *r, const char *kiosk) {
    sqlite3_stmt *st = prepare(r, "SELECT kiosk, at, detail FROM audit_alarms WHERE ?1 IS NULL OR "
                                  "kiosk = ?1 ORDER BY id DESC LIMIT 200");
    if (!st)
        return NULL;
    if (kiosk)
        sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    return query_rows(st, alarm_cols, NCOLS(alarm_cols));
}

static int sq_revoke(struct rstore *r, const char *kind, const char *id, const char *reason) {
    sqlite3_stmt *st = prepare(r, "INSERT INTO revocations(kind, id, at, reason) VALUES(?, ?, ?, ?)"
                                  " ON CONFLICT(kind, id) DO UPDATE SET at = excluded.at,"
                                  " reason = excluded.reason");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
    return step_done(st);
}

static struct rstore_rows *sq_revocations(struct rstore *r) {
    sqlite3_stmt *st = prepare(r, "SELECT kind, id, at, reason FROM revocations ORDER BY at");
    return st ? query_rows(st, revocation_cols, NCOLS(revocation_cols)) : NULL;
}

static struct rstore_rows *sq_ratings(struct rstore *r, const char *office) {
    sqlite3_stmt *st = prepare(
        r, "SELECT office, business AS service, level, count(*) FROM records "
           "WHERE kind = 'rating' AND (?1 IS NULL OR office = ?1) "
           "GROUP BY office, service, level ORDER BY office, service, level DESC LIMIT 2000");
    if (!st)
        return NULL;
    if (office)
        sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
    return query_rows(st, rating_cols, NCOLS(rating_cols));
}

static struct rstore_rows *sq_anchors(struct rstore *r, const char *kiosk) {
    sqlite3_stmt *st = prepare(r, "SELECT seq, hash, at FROM audit_anchors WHERE kiosk = ? ORDER "
                                  "BY seq");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    return query_rows(st, anchor_cols, NCOLS(anchor_cols));
}

/* --- the clerk console --- */

static int sq_clerk_put(struct rstore *r, const char *id, const char *office, const char *name,
                        const char *hash, long long now) {
    sqlite3_stmt *st = prepare(r, "INSERT OR IGNORE INTO clerks(id, office, name, hash, created) "
                                  "VALUES(?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    const char *texts[] = {id, office, name, hash};
    for (int i = 0; i < 4; i++)
        sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    if (step_done(st) != 0)
        return -1;
    return sqlite3_changes(DB(r)) == 1 ? 0 : 1;
}

static struct rstore_rows *sq_clerk(struct rstore *r, const char *id) {
    sqlite3_stmt *st = prepare(r, "SELECT id, office, name, hash, failures, locked_until, "
                                  "disabled, created, last_login FROM clerks WHERE id = ?");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return query_rows(st, clerk_cols, NCOLS(clerk_cols));
}

static struct rstore_rows *sq_clerks(struct rstore *r, const char *office) {
    sqlite3_stmt *st = prepare(r, "SELECT id, office, name, failures, locked_until, disabled, "
                                  "created, last_login FROM clerks WHERE ?1 IS NULL OR office = ?1 "
                                  "ORDER BY office, id LIMIT 1000");
    if (!st)
        return NULL;
    if (office)
        sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
    return query_rows(st, clerk_list_cols, NCOLS(clerk_list_cols));
}

static int sq_clerk_set(struct rstore *r, const char *id, const char *hash, int failures,
                        long long locked_until, int disabled, long long last_login) {
    sqlite3_stmt *st = prepare(
        r, "UPDATE clerks SET hash = coalesce(?2, hash),"
           " failures = CASE WHEN ?3 < 0 THEN failures ELSE ?3 END,"
           " locked_until = CASE WHEN ?4 < 0 THEN locked_until ELSE ?4 END,"
           " disabled = CASE WHEN ?5 < 0 THEN disabled ELSE ?5 END,"
           " last_login = CASE WHEN ?6 < 0 THEN last_login ELSE ?6 END WHERE id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (hash)
        sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, failures);
    sqlite3_bind_int64(st, 4, locked_until);
    sqlite3_bind_int(st, 5, disabled);
    sqlite3_bind_int64(st, 6, last_login);
    if (step_done(st) != 0)
        return -1;
    return sqlite3_changes(DB(r)) == 1 ? 0 : 1;
}

static int sq_session_put(struct rstore *r, const char *hash, const char *clerk,
                          const char *csrf, long long created, long long expires) {
    sqlite3_stmt *st = prepare(r, "INSERT INTO clerk_sessions(hash, clerk, csrf, created, expires) "
                                  "VALUES(?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, clerk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, created);
    sqlite3_bind_int64(st, 5, expires);
    return step_done(st);
}

static struct rstore_rows *sq_session(struct rstore *r, const char *hash) {
    sqlite3_stmt *st = prepare(r, "SELECT s.clerk, c.office, c.name, c.disabled, s.csrf, s.created, "
                                  "s.expires FROM clerk_sessions s JOIN clerks c ON c.id = s.clerk "
                                  "WHERE s.hash = ?");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    return query_rows(st, session_cols, NCOLS(session_cols));
}

static int sq_session_touch(struct rstore *r, const char *hash, long long expires) {
    sqlite3_stmt *st = prepare(r, "UPDATE clerk_sessions SET expires = ? WHERE hash = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, expires);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    return step_done(st);
}

static int sq_session_drop(struct rstore *r, const char *hash, const char *clerk, long long now) {
    sqlite3_stmt *st = prepare(r, "DELETE FROM clerk_sessions WHERE hash = ?1 OR "
                                  "(?1 IS NULL AND clerk = ?2) OR expires < ?3");
    if (!st)
        return -1;
    if (hash)
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    if (clerk)
        sqlite3_bind_text(st, 2, clerk, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return step_done(st);
}

static int sq_clerk_audit(struct rstore *r, const char *clerk, const char *office,
                          const char *action, const char *target, const char *detail,
                          long long at) {
    sqlite3_stmt *st = prepare(r, "INSERT INTO clerk_audit(at, clerk, office, action, target, "
                                  "detail) VALUES(?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, at);
    const char *texts[] = {clerk, office, action, target, detail};
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, i + 2, texts[i] ? texts[i] : "", -1, SQLITE_STATIC);
    return step_done(st);
}

static struct rstore_rows *sq_clerk_audits(struct rstore *r, const char *office, int limit) {
    sqlite3_stmt *st = prepare(r, "SELECT at, clerk, office, action, target, detail FROM "
                                  "clerk_audit WHERE ?1 IS NULL OR office = ?1 ORDER BY id DESC "
                                  "LIMIT ?2");
    if (!st)
        return NULL;
    if (office)
        sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    return query_rows(st, clerk_audit_cols, NCOLS(clerk_audit_cols));
}

/* A unit of work: one transaction (one fsync instead of one a statement); not durable: the
 * commit is not fsynced (WAL, synchronous NORMAL: safe against a crash of registryd, a power
 * cut may lose the last moments' heartbeats, which the kiosks send again). */
static int sq_unit_begin(struct rstore *r, bool durable) {
    if (!durable)
        sqlite3_exec(DB(r), "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    return sqlite3_exec(DB(r), "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int sq_unit_end(struct rstore *r, bool ok) {
    int rc = ok && sqlite3_exec(DB(r), "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    if (rc != 0)
        sqlite3_exec(DB(r), "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(DB(r), "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    return rc;
}

static const struct rstore_ops sqlite_ops = {
    .name = "sqlite",
    .unit_begin = sq_unit_begin,
    .ticket_number_other = sq_ticket_number_other,
    .unit_end = sq_unit_end,
    .seal_legacy = sq_seal_legacy,
    .purge = sq_purge,
    .epoch = sq_epoch,
    .backup = sq_backup,
    .close = sq_close,
    .put_batch = sq_put_batch,
    .status = sq_status,
    .record = sq_record,
    .set_status = sq_set_status,
    .count = sq_count,
    .appointment_put = sq_appointment_put,
    .divorce_accepted_put = sq_divorce_accepted_put,
    .divorce_accepted_get = sq_divorce_accepted_get,
    .ticket_add = sq_ticket_add,
    .tickets = sq_tickets,
    .ticket_set = sq_ticket_set,
    .window_put = sq_window_put,
    .windows = sq_windows,
    .window_count = sq_window_count,
    .appointments_since = sq_appointments_since,
    .heartbeat = sq_heartbeat,
    .fleet = sq_fleet,
    .update_event = sq_update_event,
    .update_events = sq_update_events,
    .command_add = sq_command_add,
    .commands_after = sq_commands_after,
    .command_ack = sq_command_ack,
    .commands_list = sq_commands_list,
    .receipt_key_put = sq_receipt_key_put,
    .receipt_keys = sq_receipt_keys,
    .receipt_key_owner = sq_receipt_key_owner,
    .manifest_put = sq_manifest_put,
    .manifest_rollout = sq_manifest_rollout,
    .manifest_latest = sq_manifest_latest,
    .enroll_token_add = sq_enroll_token_add,
    .enroll_token_take = sq_enroll_token_take,
    .records_list = sq_records_list,
    .anchor_put = sq_anchor_put,
    .anchor_last = sq_anchor_last,
    .anchor_at = sq_anchor_at,
    .audit_alarm = sq_audit_alarm,
    .audit_alarms = sq_audit_alarms,
    .revoke = sq_revoke,
    .revocations = sq_revocations,
    .ratings = sq_ratings,
    .alert_put = sq_alert_put,
    .alerts = sq_alerts,
    .anchors = sq_anchors,
    .clerk_put = sq_clerk_put,
    .clerk = sq_clerk,
    .clerks = sq_clerks,
    .clerk_set = sq_clerk_set,
    .session_put = sq_session_put,
    .session = sq_session,
    .session_touch = sq_session_touch,
    .session_drop = sq_session_drop,
    .clerk_audit = sq_clerk_audit,
    .clerk_audits = sq_clerk_audits,
};
