/* records: applications and check-ins, each captured with its outbox entry and audit row in one transaction; lookups for the progress query and the dashboard; retention. */
#include <cjson/cJSON.h>
#include <strings.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "json.h"
#include "log.h"
#include "store_int.h"

/* The outbox entry and the audit row of a new record, inside the caller's transaction. */
int record_tail(struct store *s, const char *id, const char *kind, int64_t now) {
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
int finish_record(struct store *s, int rc, uint8_t *sealed, size_t sealed_len) {
    rc = rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
    explicit_bzero(sealed, sealed_len);
    free(sealed);
    return rc;
}

/* A record captured: its personal data sealed under a new id, the row inserted by sql (id,
 * created, then what bind adds from position 3, the sealed data last), its outbox entry and
 * audit row, all in one transaction. */
static int capture(struct store *s, const char *kind, const char *sql,
                   void (*bind)(sqlite3_stmt *st, const void *ctx), const void *ctx,
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
        if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, now);
            bind(st, ctx);
            sqlite3_bind_blob(st, sqlite3_bind_parameter_count(st), sealed, (int)slen,
                              SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_DONE)
                rc = STORE_OK;
        }
        sqlite3_finalize(st);
    }
    if (rc == STORE_OK)
        rc = record_tail(s, id, kind, now);
    return finish_record(s, rc, sealed, slen);
}

struct application_row {
    const char *kind;
    uint8_t ha[32], hb[32];
    bool has_b;
    const char *queue_no; /* NULL: none */
};

static void bind_application(sqlite3_stmt *st, const void *ctx) {
    const struct application_row *r = ctx;
    sqlite3_bind_text(st, 3, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, r->ha, 32, SQLITE_STATIC);
    if (r->has_b)
        sqlite3_bind_blob(st, 5, r->hb, 32, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 5);
    if (r->queue_no)
        sqlite3_bind_text(st, 6, r->queue_no, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 6);
}

int store_add_application_queued(struct store *s, const char *kind, const char *personal_json,
                                 const char *id_number_a, const char *id_number_b,
                                 const char *queue_no, char id[UUID_STR_LEN]) {
    struct application_row r = {.kind = kind, .has_b = id_number_b != NULL, .queue_no = queue_no};
    id_hmac(s, id_number_a, r.ha);
    if (id_number_b)
        id_hmac(s, id_number_b, r.hb);
    return capture(s, "application",
                   "INSERT INTO applications(id, created, kind, party_a_hmac, party_b_hmac, "
                   "queue_no, sealed) VALUES(?, ?, ?, ?, ?, ?, ?)",
                   bind_application, &r, personal_json, id);
}

int store_add_application(struct store *s, const char *kind, const char *personal_json,
                          const char *id_number_a, const char *id_number_b, char id[UUID_STR_LEN]) {
    return store_add_application_queued(s, kind, personal_json, id_number_a, id_number_b, NULL,
                                        id);
}

struct checkin_row {
    const char *appointment_id, *queue_no;
};

static void bind_checkin(sqlite3_stmt *st, const void *ctx) {
    const struct checkin_row *r = ctx;
    sqlite3_bind_text(st, 3, r->appointment_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->queue_no, -1, SQLITE_STATIC);
}

int store_add_checkin(struct store *s, const char *appointment_id, const char *queue_no,
                      const char *personal_json, char id[UUID_STR_LEN]) {
    struct checkin_row r = {appointment_id, queue_no};
    return capture(s, "checkin",
                   "INSERT INTO checkins(id, created, appointment_id, queue_no, sealed) "
                   "VALUES(?, ?, ?, ?, ?)",
                   bind_checkin, &r, personal_json, id);
}

struct rating_row {
    const char *service;
    int level;
};

static void bind_rating(sqlite3_stmt *st, const void *ctx) {
    const struct rating_row *r = ctx;
    sqlite3_bind_text(st, 3, r->service, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, r->level);
}

int store_add_rating(struct store *s, const char *service, int level, const char *rating_json,
                     char id[UUID_STR_LEN]) {
    struct rating_row r = {service, level};
    return capture(s, "rating",
                   "INSERT INTO ratings(id, created, service, level, sealed) VALUES(?, ?, ?, ?, ?)",
                   bind_rating, &r, rating_json, id);
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

int store_purge(struct store *s, int retention_days) {
    int64_t before = now_s(s) - (int64_t)retention_days * 86400;
    int changed = 0, checkins = 0, appointments = 0;
    int rc = exec(s, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = exec_bound(s,
                        "UPDATE applications SET sealed = NULL, purged = 1 "
                        "WHERE acked IS NOT NULL AND acked < ?1 AND purged = 0",
                        NULL, before, &changed);
    /* check-ins the same way; and the cached appointments (names and ID numbers of the
     * couples, sealed, and their lookup HMACs) once their slot is past the retention */
    if (rc == STORE_OK)
        rc = exec_bound(s,
                        "UPDATE checkins SET sealed = NULL, purged = 1 "
                        "WHERE acked IS NOT NULL AND acked < ?1 AND purged = 0",
                        NULL, before, &checkins);
    if (rc == STORE_OK)
        rc = exec_bound(s,
                        "UPDATE ratings SET sealed = NULL, purged = 1 "
                        "WHERE acked IS NOT NULL AND acked < ?1 AND purged = 0",
                        NULL, before, NULL);
    if (rc == STORE_OK)
        rc = exec_bound(s,
                        "DELETE FROM appointments WHERE coalesce(slot_end, slot_start, 0) < ?1 "
                        "AND updated < ?1", /* one pulled just now is kept a while */
                        NULL, before, &appointments);
    if (rc == STORE_OK && (changed || checkins || appointments)) {
        char detail[96];
        snprintf(detail, sizeof detail, "%d applications, %d check-ins, %d appointments", changed,
                 checkins, appointments);
        rc = audit_row(s, "kiosk", "retention.purge", detail);
    }
    changed += checkins + appointments;
    rc = rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
    return rc == STORE_OK ? changed : rc;
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

int store_walk_in_find(struct store *s, const char *id_number, int64_t day_start,
                       char queue_no[16], char id[UUID_STR_LEN], int64_t *created) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, queue_no, created FROM checkins WHERE created >= ? AND "
                           "coalesce(appointment_id, '') = '' AND sealed IS NOT NULL ORDER BY "
                           "created LIMIT 1000",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_int64(st, 1, day_start);
    int rc = STORE_ERR_NOT_FOUND, step;
    /* the walk-ins of a day are few: each is opened and its card's number compared */
    while (rc == STORE_ERR_NOT_FOUND && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rid = (const char *)sqlite3_column_text(st, 0);
        char *json = open_record(s, rid, "checkin");
        cJSON *o = json ? cJSON_Parse(json) : NULL;
        const cJSON *a = cJSON_GetObjectItem(o, "party_a_id");
        if (cJSON_IsString(a) && !strcasecmp(a->valuestring, id_number)) {
            snprintf(id, UUID_STR_LEN, "%s", rid);
            const char *q = (const char *)sqlite3_column_text(st, 1);
            snprintf(queue_no, 16, "%s", q ? q : "");
            *created = sqlite3_column_int64(st, 2);
            rc = STORE_OK;
        }
        json_wipe_delete(o);
        json_wipe_free(json);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_next_queue_no(struct store *s, const char *prefix, int64_t day_start, int start,
                        char out[16]) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT count(*) FROM checkins WHERE created >= ?1 AND "
                           "substr(queue_no, 1, length(?2)) = ?2) + (SELECT count(*) FROM "
                           "applications WHERE created >= ?1 AND substr(queue_no, 1, length(?2)) "
                           "= ?2)",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_int64(st, 1, day_start);
    sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
    int rc = STORE_ERR_IO;
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (start < 0 || start > 899)
            start = 0;
        /* 999 - start a day, then the series starts again */
        int n = start + (int)(sqlite3_column_int64(st, 0) % (999 - start)) + 1;
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

int store_receipts_since(struct store *s, int64_t day_start, struct store_receipt *out, int max) {
    sqlite3_stmt *st = NULL;
    if (max <= 0)
        return 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT 'C', id, queue_no, coalesce(appointment_id, ''), created FROM "
                           "checkins WHERE created >= ?1 AND queue_no IS NOT NULL UNION ALL "
                           "SELECT 'J', id, queue_no, '', created FROM applications WHERE "
                           "created >= ?1 AND queue_no IS NOT NULL ORDER BY 5 DESC LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_int64(st, 1, day_start);
    sqlite3_bind_int(st, 2, max);
    int n = 0, step;
    while (n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_receipt *r = &out[n++];
        r->kind = ((const char *)sqlite3_column_text(st, 0))[0];
        snprintf(r->id, sizeof r->id, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(r->queue_no, sizeof r->queue_no, "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(r->appointment_id, sizeof r->appointment_id, "%s",
                 (const char *)sqlite3_column_text(st, 3));
        r->created = sqlite3_column_int64(st, 4);
    }
    sqlite3_finalize(st);
    return n;
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
