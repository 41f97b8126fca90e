/* outbox: what the registry has not acknowledged yet: take what is due, acknowledge (one transaction for a batch), try later, reject for staff. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "store_int.h"

int exec_bound(struct store *s, const char *sql, const char *id, int64_t t, int *changes) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    if (id)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, id ? 2 : 1, t);
    int rc = store_code(sqlite3_step(st));
    sqlite3_finalize(st);
    if (changes)
        *changes = sqlite3_changes(s->db);
    return rc;
}

static int outbox_update(struct store *s, const char *id, int64_t next_try, const char *error);

/* Acknowledges one record inside the caller's transaction. */
static int ack_one(struct store *s, const char *id) {
    int changed = 0;
    int rc = exec_bound(s, "UPDATE applications SET acked = ?2 WHERE id = ?1 AND acked IS NULL", id,
                        now_s(s), &changed);
    if (rc == STORE_OK && !changed)
        rc = exec_bound(s, "UPDATE checkins SET acked = ?2 WHERE id = ?1 AND acked IS NULL", id,
                        now_s(s), &changed);
    if (rc == STORE_OK && !changed)
        rc = exec_bound(s, "UPDATE ratings SET acked = ?2 WHERE id = ?1 AND acked IS NULL", id,
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

int store_outbox_take(struct store *s, struct store_outgoing *out, int max) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT record_id, kind FROM outbox WHERE next_try <= ? ORDER BY seq "
                           "LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_int64(st, 1, now_s(s));
    sqlite3_bind_int(st, 2, max);
    int n = 0, step, nbad = 0;
    char bad[16][UUID_STR_LEN];
    while (n < max && nbad < 16 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_outgoing *o = &out[n];
        snprintf(o->id, sizeof o->id, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(o->kind, sizeof o->kind, "%s", (const char *)sqlite3_column_text(st, 1));
        o->json = open_record(s, o->id, o->kind);
        if (o->json)
            n++;
        else
            snprintf(bad[nbad++], UUID_STR_LEN, "%s", o->id);
    }
    sqlite3_finalize(st);
    /* a record that cannot be opened is set aside for staff (never due again, audited), so
     * that it can never block the records behind it */
    for (int i = 0; i < nbad; i++) {
        log_error("store", "outbox entry %s cannot be opened: set aside for staff", bad[i]);
        int rc = exec(s, "BEGIN IMMEDIATE");
        if (rc == STORE_OK)
            rc = outbox_update(s, bad[i], INT64_MAX, "its sealed data cannot be opened");
        if (rc == STORE_OK)
            rc = audit_row(s, "kiosk", "record.set_aside", bad[i]);
        rc = rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
        if (rc != STORE_OK) {
            store_outgoing_free(out, n);
            return rc;
        }
    }
    if (n == 0 && nbad > 0)
        return store_outbox_take(s, out, max); /* what comes after them */
    return n;
}

int store_outbox_held(struct store *s, int *set_aside) {
    sqlite3_stmt *st = NULL;
    *set_aside = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM outbox WHERE next_try = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_int64(st, 1, INT64_MAX);
    int rc = sqlite3_step(st) == SQLITE_ROW ? STORE_OK : STORE_ERR_IO;
    *set_aside = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc;
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
    int rc = store_code(sqlite3_step(st));
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

/* The registry's epoch (issue 17; DESIGN.md §5), kept in kv under this key. */
#define EPOCH_KEY "registry.epoch"

int store_registry_epoch(struct store *s, const char *epoch, const char *const *cursors,
                         int *requeued) {
    *requeued = -1;
    if (!epoch || !*epoch || strlen(epoch) > 64)
        return STORE_OK; /* a registry that names none: nothing to compare */
    int rc = exec(s, "BEGIN IMMEDIATE");
    char *kept = NULL;
    if (rc == STORE_OK && store_kv_get(s, EPOCH_KEY, &kept) == STORE_ERR_IO)
        rc = STORE_ERR_IO;
    bool restored = rc == STORE_OK && kept && strcmp(kept, epoch) != 0;
    /* what the restored registry may have lost goes again: the records still kept, each
     * table's with its outbox kind; the registry takes them idempotently */
    static const char *const again[][2] = {
        {"UPDATE applications SET acked = NULL WHERE acked IS NOT NULL AND purged = 0",
         "INSERT OR IGNORE INTO outbox(record_id, kind, created) SELECT id, 'application', ?1 "
         "FROM applications WHERE acked IS NOT NULL AND purged = 0"},
        {"UPDATE checkins SET acked = NULL WHERE acked IS NOT NULL AND purged = 0",
         "INSERT OR IGNORE INTO outbox(record_id, kind, created) SELECT id, 'checkin', ?1 FROM "
         "checkins WHERE acked IS NOT NULL AND purged = 0"},
        {"UPDATE ratings SET acked = NULL WHERE acked IS NOT NULL AND purged = 0",
         "INSERT OR IGNORE INTO outbox(record_id, kind, created) SELECT id, 'rating', ?1 FROM "
         "ratings WHERE acked IS NOT NULL AND purged = 0"}};
    int n = 0;
    for (int i = 0; restored && rc == STORE_OK && i < 3; i++) {
        int added = 0;
        rc = exec_bound(s, again[i][1], NULL, now_s(s), &added);
        if (rc == STORE_OK)
            rc = exec(s, again[i][0]);
        n += added;
    }
    for (int i = 0; restored && rc == STORE_OK && cursors && cursors[i]; i++) {
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(s->db, "DELETE FROM kv WHERE key = ?", -1, &st, NULL) == SQLITE_OK
                 ? STORE_OK
                 : STORE_ERR_IO;
        if (rc == STORE_OK) {
            sqlite3_bind_text(st, 1, cursors[i], -1, SQLITE_STATIC);
            rc = store_code(sqlite3_step(st));
        }
        sqlite3_finalize(st);
    }
    if (restored && rc == STORE_OK) {
        char detail[200];
        snprintf(detail, sizeof detail, "epoch %.64s, was %.64s: %d records to send again", epoch,
                 kept, n);
        rc = audit_row(s, "registry", "registry.restored", detail);
    }
    if (rc == STORE_OK && (!kept || restored))
        rc = store_kv_set(s, EPOCH_KEY, epoch);
    free(kept);
    rc = rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
    if (rc == STORE_OK && restored)
        *requeued = n;
    return rc;
}
