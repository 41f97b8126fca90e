/* appointments: the office's appointments from the registry (sealed, found by HMAC), applied with their cursor in one transaction; the key-value state (cursors and the like). */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "store_int.h"

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
        rc = store_code(sqlite3_step(st));
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

int store_appointment_get(struct store *s, const char *id, char **json) {
    *json = open_record(s, id, "appointment");
    return *json ? STORE_OK : STORE_ERR_NOT_FOUND;
}

int store_kv_set(struct store *s, const char *key, const char *value) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO kv(key, value) VALUES(?, ?)", -1, &st,
                           NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = store_code(sqlite3_step(st));
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
