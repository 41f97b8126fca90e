/* rstore: see rstore.h (SQLite). */
#include "rstore.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

struct rstore {
    sqlite3 *db;
};

struct rstore *rstore_open(const char *data_dir) {
    struct rstore *r = calloc(1, sizeof *r);
    char path[1024];
    snprintf(path, sizeof path, "%s/registry.db", data_dir);
    if (!r || sqlite3_open(path, &r->db) != SQLITE_OK) {
        log_error("rstore", "cannot open %s", path);
        rstore_close(r);
        return NULL;
    }
    char *msg = NULL;
    if (sqlite3_exec(
            r->db,
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
            "CREATE TABLE IF NOT EXISTS records(id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
            " kiosk TEXT NOT NULL, office TEXT NOT NULL, payload TEXT NOT NULL,"
            " received INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'received');"
            "CREATE TABLE IF NOT EXISTS appointments(id TEXT PRIMARY KEY,"
            " office TEXT NOT NULL, json TEXT NOT NULL, seq INTEGER NOT NULL UNIQUE);"
            "CREATE TABLE IF NOT EXISTS fleet(kiosk TEXT PRIMARY KEY, office TEXT NOT NULL,"
            " json TEXT NOT NULL, seen INTEGER NOT NULL);"
            "CREATE TABLE IF NOT EXISTS commands(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kiosk TEXT NOT NULL, command TEXT NOT NULL, arg TEXT NOT NULL,"
            " created INTEGER NOT NULL, acked INTEGER, result TEXT);"
            "CREATE INDEX IF NOT EXISTS commands_kiosk ON commands(kiosk, seq);"
            "CREATE INDEX IF NOT EXISTS records_received ON records(received);"
            "CREATE TABLE IF NOT EXISTS manifests(type TEXT NOT NULL, channel TEXT NOT NULL,"
            " serial INTEGER NOT NULL, json TEXT NOT NULL, published INTEGER NOT NULL,"
            " rollout INTEGER NOT NULL DEFAULT 100, PRIMARY KEY(type, channel, serial));"
            "CREATE TABLE IF NOT EXISTS receipt_keys(key TEXT PRIMARY KEY, kiosk TEXT NOT NULL,"
            " office TEXT NOT NULL, first_seen INTEGER NOT NULL);"
            "CREATE TABLE IF NOT EXISTS enroll_tokens(hash TEXT PRIMARY KEY, kiosk TEXT NOT NULL,"
            " office TEXT NOT NULL, expires INTEGER NOT NULL, used INTEGER);"
            "CREATE TABLE IF NOT EXISTS update_events(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kiosk TEXT NOT NULL, type TEXT NOT NULL, serial INTEGER NOT NULL,"
            " version TEXT NOT NULL, step TEXT NOT NULL, detail TEXT NOT NULL,"
            " at INTEGER NOT NULL, received INTEGER NOT NULL);"
            "CREATE INDEX IF NOT EXISTS update_events_kiosk ON update_events(kiosk, type, serial);",
            NULL, NULL, &msg) != SQLITE_OK) {
        log_error("rstore", "%s", msg ? msg : "schema");
        sqlite3_free(msg);
        rstore_close(r);
        return NULL;
    }
    /* a registry made before record statuses: add the column */
    if (sqlite3_exec(r->db, "SELECT status FROM records LIMIT 0", NULL, NULL, NULL) != SQLITE_OK &&
        sqlite3_exec(r->db,
                     "ALTER TABLE records ADD COLUMN status TEXT NOT NULL DEFAULT 'received'", NULL,
                     NULL, NULL) != SQLITE_OK) {
        log_error("rstore", "cannot add the status column: %s", sqlite3_errmsg(r->db));
        rstore_close(r);
        return NULL;
    }
    /* a registry made before staged rollouts: every manifest went to the whole channel */
    if (sqlite3_exec(r->db, "SELECT rollout FROM manifests LIMIT 0", NULL, NULL, NULL) !=
            SQLITE_OK &&
        sqlite3_exec(r->db, "ALTER TABLE manifests ADD COLUMN rollout INTEGER NOT NULL DEFAULT 100",
                     NULL, NULL, NULL) != SQLITE_OK) {
        log_error("rstore", "cannot add the rollout column: %s", sqlite3_errmsg(r->db));
        rstore_close(r);
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
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error("rstore", "%s", sqlite3_errmsg(r->db));
        return NULL;
    }
    return st;
}

void rstore_close(struct rstore *r) {
    if (!r)
        return;
    sqlite3_close(r->db);
    free(r);
}

enum rstore_result rstore_put(struct rstore *r, const char *id, const char *kind, const char *kiosk,
                              const char *office, const char *payload) {
    sqlite3_stmt *st = prepare(r, "INSERT OR IGNORE INTO records(id, kind, kiosk, office, payload, "
                                  "received) VALUES(?, ?, ?, ?, ?, ?)");
    if (!st)
        return RSTORE_ERROR;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, office, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, payload, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return RSTORE_ERROR;
    return sqlite3_changes(r->db) == 1 ? RSTORE_ACCEPTED : RSTORE_DUPLICATE;
}

int rstore_status(struct rstore *r, const char *id, char *status, size_t cap) {
    sqlite3_stmt *st = prepare(r, "SELECT status FROM records WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = 1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(status, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

int rstore_set_status(struct rstore *r, const char *id, const char *status) {
    sqlite3_stmt *st = prepare(r, "UPDATE records SET status = ? WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    if (step_done(st) != 0)
        return -1;
    return sqlite3_changes(r->db) == 1 ? 0 : 1;
}

long rstore_count(struct rstore *r) {
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(r->db, "SELECT count(*) FROM records", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int rstore_appointment_put(struct rstore *r, const char *id, const char *office, const char *json) {
    sqlite3_stmt *st =
        prepare(r, "INSERT OR REPLACE INTO appointments(id, office, json, seq) VALUES(?, ?, "
                   "?, (SELECT coalesce(max(seq), 0) + 1 FROM appointments))");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
    return step_done(st);
}

/* Runs a prepared query whose one row holds a JSON array text (and, optionally, a number in
 * column 1); returns the text malloc'd. Finalizes st. */
static char *one_json_row(sqlite3_stmt *st, long *number) {
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *j = (const char *)sqlite3_column_text(st, 0);
        out = strdup(j ? j : "[]");
        if (number && sqlite3_column_type(st, 1) != SQLITE_NULL)
            *number = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return out;
}

char *rstore_appointments_since(struct rstore *r, const char *office, long since, int limit,
                                long *next) {
    sqlite3_stmt *st = NULL;
    *next = since;
    /* SQLite builds the array: json_group_array over the page, and the page's last change */
    if (sqlite3_prepare_v2(r->db,
                           "SELECT json_group_array(json(json)), max(seq) FROM (SELECT json, seq "
                           "FROM appointments WHERE office = ? AND seq > ? ORDER BY seq LIMIT ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, since);
    sqlite3_bind_int(st, 3, limit);
    return one_json_row(st, next);
}

int rstore_heartbeat(struct rstore *r, const char *kiosk, const char *office, const char *json) {
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

int rstore_update_event(struct rstore *r, const char *kiosk, const char *type, long long serial,
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
    return step_done(st);
}

char *rstore_update_events(struct rstore *r, const char *kiosk, int limit) {
    sqlite3_stmt *st = prepare(
        r, "SELECT json_group_array(json_object('kiosk', kiosk, 'type', type, 'serial', serial, "
           "'version', version, 'step', step, 'detail', detail, 'at', at)) FROM (SELECT * FROM "
           "update_events WHERE ?1 IS NULL OR kiosk = ?1 ORDER BY seq DESC LIMIT ?2) ");
    if (!st)
        return NULL;
    if (kiosk)
        sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    return one_json_row(st, NULL);
}

char *rstore_fleet(struct rstore *r) {
    sqlite3_stmt *st =
        prepare(r, "SELECT json_group_array(json_object('kiosk', kiosk, 'office', office, "
                   "'age_s', strftime('%s','now') - seen, 'last', json(json))) FROM "
                   "(SELECT * FROM fleet ORDER BY kiosk)");
    if (!st)
        return NULL;
    return one_json_row(st, NULL);
}

long rstore_command_add(struct rstore *r, const char *kiosk, const char *command, const char *arg) {
    sqlite3_stmt *st =
        prepare(r, "INSERT INTO commands(kiosk, command, arg, created) VALUES(?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, command, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, arg ? arg : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    long seq = sqlite3_step(st) == SQLITE_DONE ? (long)sqlite3_last_insert_rowid(r->db) : -1;
    sqlite3_finalize(st);
    return seq;
}

char *rstore_commands_after(struct rstore *r, const char *kiosk, long after, int *count) {
    sqlite3_stmt *st = NULL;
    long n = 0;
    *count = 0;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT json_group_array(json_object('seq', seq, 'command', command, "
                           "'arg', arg)), count(*) FROM (SELECT * FROM commands WHERE kiosk = ? "
                           "AND seq > ? AND acked IS NULL ORDER BY seq LIMIT 100)",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, after);
    char *out = one_json_row(st, &n);
    *count = (int)n;
    return out;
}

int rstore_command_ack(struct rstore *r, const char *kiosk, long seq, const char *result) {
    sqlite3_stmt *st =
        prepare(r, "UPDATE commands SET acked = ?, result = ? WHERE seq = ? AND kiosk = ?");
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
    return sqlite3_changes(r->db) == 1 ? 0 : 1;
}

char *rstore_commands_list(struct rstore *r, const char *kiosk) {
    sqlite3_stmt *st =
        prepare(r, "SELECT json_group_array(json_object('seq', seq, 'kiosk', kiosk, "
                   "'command', command, 'arg', arg, 'created', created, 'acked', acked, "
                   "'result', result)) FROM (SELECT * FROM commands WHERE ?1 IS NULL OR "
                   "kiosk = ?1 ORDER BY seq DESC LIMIT 200)");
    if (!st)
        return NULL;
    if (kiosk)
        sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    return one_json_row(st, NULL);
}

char *rstore_records_list(struct rstore *r, const char *kiosk, const char *office, int limit) {
    sqlite3_stmt *st = prepare(
        r, "SELECT json_group_array(json_object('id', id, 'kind', kind, 'kiosk', "
           "kiosk, 'office', office, 'received', received, 'status', status)) FROM (SELECT * FROM "
           "records WHERE (?1 IS NULL OR kiosk = ?1) AND (?2 IS NULL OR office = "
           "?2) ORDER BY received DESC, id DESC LIMIT ?3)");
    if (!st)
        return NULL;
    if (kiosk)
        sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
    if (office)
        sqlite3_bind_text(st, 2, office, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, limit);
    return one_json_row(st, NULL);
}

int rstore_enroll_token_add(struct rstore *r, const char *hash_hex, const char *kiosk,
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

int rstore_enroll_token_take(struct rstore *r, const char *hash_hex, char *kiosk, size_t ksize,
                             char *office, size_t osize) {
    sqlite3_stmt *st = NULL;
    /* one statement: marked used and read back together, so a token works once */
    if (sqlite3_prepare_v2(r->db,
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

int rstore_receipt_key_put(struct rstore *r, const char *kiosk, const char *office,
                           const char *key) {
    sqlite3_stmt *st = prepare(r, "INSERT OR IGNORE INTO receipt_keys(key, kiosk, office, "
                                  "first_seen) VALUES(?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, office, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    return step_done(st);
}

char *rstore_receipt_keys(struct rstore *r) {
    sqlite3_stmt *st = prepare(r, "SELECT json_group_array(json_object('kiosk', kiosk, 'office', "
                                  "office, 'key', key, 'first_seen', first_seen)) FROM (SELECT * "
                                  "FROM receipt_keys ORDER BY kiosk, first_seen)");
    return st ? one_json_row(st, NULL) : NULL;
}

char *rstore_record(struct rstore *r, const char *id) {
    sqlite3_stmt *st = prepare(r, "SELECT json_object('id', id, 'kind', kind, 'kiosk', kiosk, "
                                  "'office', office, 'received', received, 'status', status, "
                                  "'payload', json(payload)) FROM records WHERE id = ?");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

int rstore_manifest_put(struct rstore *r, const char *type, const char *channel, long serial,
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

int rstore_manifest_rollout(struct rstore *r, const char *type, const char *channel, long serial,
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
    return sqlite3_changes(r->db) == 1 ? 1 : 0;
}

char *rstore_manifest_latest(struct rstore *r, const char *type, const char *channel, int bucket) {
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
