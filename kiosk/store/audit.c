/* audit: the audit chain: every row holds the SHA-256 link of the one before (audit_link, the one hash function of the chain), so a changed or removed row is found. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "store_int.h"

/* The chain's link of a row: SHA-256(prev || at in decimal || actor || 0 || action || 0 ||
 * detail). The one place the chain's hash is made, by the writer and the verifier alike. */
static int audit_link(const uint8_t prev[32], int64_t at, const char *actor, const char *action,
                      const char *detail, uint8_t out[32]) {
    char when[24];
    int wl = snprintf(when, sizeof when, "%lld", (long long)at);
    size_t la = strlen(actor), lc = strlen(action), ld = strlen(detail);
    size_t n = 32 + (size_t)wl + la + 1 + lc + 1 + ld;
    uint8_t *buf = malloc(n);
    if (!buf)
        return -1;
    size_t o = 0;
    memcpy(buf + o, prev, 32);
    o += 32;
    memcpy(buf + o, when, (size_t)wl);
    o += (size_t)wl;
    memcpy(buf + o, actor, la + 1);
    o += la + 1;
    memcpy(buf + o, action, lc + 1);
    o += lc + 1;
    memcpy(buf + o, detail, ld);
    o += ld;
    crypto_sha256(buf, o, out);
    free(buf);
    return 0;
}

/* Appends an audit row inside the caller's transaction. */
int audit_row(struct store *s, const char *actor, const char *action, const char *detail) {
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
    uint8_t hash[32];
    if (audit_link(prev, at, actor, action, detail, hash) != 0)
        return rc;
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
    rc = store_code(sqlite3_step(st));
    sqlite3_finalize(st);
    return rc;
}

int store_audit(struct store *s, const char *actor, const char *action, const char *detail) {
    int rc = exec(s, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = audit_row(s, actor, action, detail);
    return rc == STORE_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
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
        int ok = sqlite3_column_bytes(st, 5) == 32 && sqlite3_column_bytes(st, 6) == 32 && actor &&
                 action && detail && memcmp(sqlite3_column_blob(st, 5), expect_prev, 32) == 0;
        if (ok) {
            uint8_t h[32];
            if (audit_link(expect_prev, sqlite3_column_int64(st, 1), actor, action, detail, h) !=
                0) {
                rc = STORE_ERR_IO;
                break;
            }
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

static int hash_query(struct store *s, const char *sql, int64_t seq, int64_t *seq_out,
                      uint8_t hash[32]) {
    sqlite3_stmt *st = NULL;
    memset(hash, 0, 32);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR_IO;
    if (seq >= 0)
        sqlite3_bind_int64(st, 1, seq);
    int step = sqlite3_step(st), rc = STORE_ERR_NOT_FOUND;
    if (step == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32) {
        if (seq_out)
            *seq_out = sqlite3_column_int64(st, 0);
        memcpy(hash, sqlite3_column_blob(st, 1), 32);
        rc = STORE_OK;
    } else if (step != SQLITE_ROW && step != SQLITE_DONE) {
        rc = store_code(step);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_audit_head(struct store *s, int64_t *seq, uint8_t hash[32]) {
    *seq = 0;
    int rc = hash_query(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1, seq, hash);
    return rc == STORE_ERR_NOT_FOUND ? STORE_OK : rc;
}

int store_audit_hash_at(struct store *s, int64_t seq, uint8_t hash[32]) {
    return hash_query(s, "SELECT seq, hash FROM audit WHERE seq = ?", seq, NULL, hash);
}
