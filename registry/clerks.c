/* clerks: see clerks.h. */
#include "clerks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "num.h"
#include "rstore.h"
#include "utf8.h"

bool clerk_password_ok(const char *password, char *why, size_t cap) {
    size_t n = strlen(password);
    if (n > CLERK_PASSWORD_MAX || !utf8_valid(password, n)) {
        snprintf(why, cap, "密码不能超过 %d 字节", CLERK_PASSWORD_MAX);
        return false;
    }
    if (utf8_count(password) < CLERK_PASSWORD_MIN) {
        snprintf(why, cap, "密码至少 %d 个字符", CLERK_PASSWORD_MIN);
        return false;
    }
    if (strspn(password, "0123456789") == n) {
        snprintf(why, cap, "密码不能全是数字");
        return false;
    }
    return true;
}

static bool id_ok(const char *id) {
    size_t n = strlen(id);
    return n >= 1 && n <= CLERK_ID_MAX &&
           strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

enum clerk_result clerk_add(struct rstore *r, const char *id, const char *office, const char *name,
                            const char *password, long long now, char *why, size_t cap) {
    size_t nn = strlen(name), on = strlen(office);
    if (!id_ok(id)) {
        snprintf(why, cap, "工号只能由 1 到 %d 个字母、数字、-、_、. 组成", CLERK_ID_MAX);
        return CLERK_INVALID;
    }
    if (!nn || nn > CLERK_NAME_MAX || !utf8_valid(name, nn) || !on || on > 16 ||
        strspn(office, "0123456789") != on) {
        snprintf(why, cap, "姓名（1 到 %d 字节）和办公地点代码（数字）不能为空", CLERK_NAME_MAX);
        return CLERK_INVALID;
    }
    if (!clerk_password_ok(password, why, cap))
        return CLERK_INVALID;
    char hash[200];
    if (crypto_pw_hash(password, NULL, CLERK_PBKDF2_ITERATIONS, hash, sizeof hash) != 0)
        return CLERK_ERROR;
    int rc = rstore_clerk_put(r, id, office, name, hash, now);
    return rc == 0 ? CLERK_OK : rc == 1 ? CLERK_EXISTS : CLERK_ERROR;
}

enum clerk_result clerk_change(struct rstore *r, const char *id, const char *password, int disabled,
                               char *why, size_t cap) {
    char hash[200];
    if (password) {
        if (!clerk_password_ok(password, why, cap))
            return CLERK_INVALID;
        if (crypto_pw_hash(password, NULL, CLERK_PBKDF2_ITERATIONS, hash, sizeof hash) != 0)
            return CLERK_ERROR;
    }
    int rc = rstore_clerk_set(r, id, password ? hash : NULL, 0, 0, disabled, -1);
    if (rc == 1)
        return CLERK_BAD;
    if (rc == 0 && (password || disabled == 1))
        rc = rstore_session_drop(r, NULL, id, 0);
    return rc == 0 ? CLERK_OK : CLERK_ERROR;
}

/* A cell as a number (0 when absent). */
static long long cell_int(const struct rstore_rows *rows, int col) {
    return num_i64_or(rstore_cell(rows, 0, col), INT64_MIN, INT64_MAX, 0);
}

/* A session row (clerk, office, name, disabled, csrf, created, expires) into s. */
static void session_of(const struct rstore_rows *row, struct clerk_session *s) {
    snprintf(s->clerk, sizeof s->clerk, "%s", rstore_cell(row, 0, 0));
    snprintf(s->office, sizeof s->office, "%s", rstore_cell(row, 0, 1));
    snprintf(s->name, sizeof s->name, "%s", rstore_cell(row, 0, 2));
    snprintf(s->csrf, sizeof s->csrf, "%s", rstore_cell(row, 0, 4));
}

static void token_hash(const char *token, char hex[65]) {
    uint8_t h[32];
    crypto_sha256(token, strlen(token), h);
    crypto_hex(h, sizeof h, hex);
}

static int random_hex(char *out, size_t bytes) {
    uint8_t b[32];
    if (bytes > sizeof b || crypto_random(b, bytes) != 0)
        return -1;
    crypto_hex(b, bytes, out);
    explicit_bzero(b, sizeof b);
    return 0;
}

enum clerk_result clerk_login(struct rstore *r, const char *id, const char *password, long long now,
                              struct clerk_session *s, long long *until) {
    memset(s, 0, sizeof *s);
    *until = 0;
    struct rstore_rows *c = id_ok(id) ? rstore_clerk(r, id) : NULL;
    if (id_ok(id) && !c)
        return CLERK_ERROR;
    /* columns: id, office, name, hash, failures, locked_until, disabled, created, last_login */
    bool known = c && c->nrows == 1;
    const char *stored = known ? rstore_cell(c, 0, 3) : NULL;
    long long locked = known ? cell_int(c, 5) : 0;
    int failures = known ? (int)cell_int(c, 4) : 0;
    if (known && locked > now) {
        *until = locked;
        rstore_rows_free(c);
        return CLERK_LOCKED;
    }
    /* an unknown id costs the same PBKDF2 as a known one: the time does not tell them apart */
    static char dummy[200];
    if (!dummy[0])
        crypto_pw_hash("not a password of anyone", NULL, CLERK_PBKDF2_ITERATIONS, dummy,
                       sizeof dummy);
    bool ok = crypto_pw_check(password, stored ? stored : dummy, NULL) && known;
    if (!ok) {
        if (known) {
            failures++;
            long long lock = failures >= CLERK_LOCK_AFTER ? now + CLERK_LOCK_S : 0;
            rstore_clerk_set(r, id, NULL, lock ? 0 : failures, lock, -1, -1);
            if (lock) {
                log_warn("console", "clerk %s locked until +%d s after %d wrong passwords", id,
                         CLERK_LOCK_S, CLERK_LOCK_AFTER);
                *until = lock;
            }
            rstore_rows_free(c);
            return lock ? CLERK_LOCKED : CLERK_BAD;
        }
        rstore_rows_free(c);
        return CLERK_BAD;
    }
    if (cell_int(c, 6)) {
        rstore_rows_free(c);
        return CLERK_DISABLED;
    }
    rstore_rows_free(c);
    char hash[65];
    if (random_hex(s->token, 32) != 0 || random_hex(s->csrf, 16) != 0)
        return CLERK_ERROR;
    token_hash(s->token, hash);
    if (rstore_session_drop(r, "", NULL, now) != 0 || /* the expired ones go */
        rstore_session_put(r, hash, id, s->csrf, now, now + CLERK_IDLE_S) != 0 ||
        rstore_clerk_set(r, id, NULL, 0, 0, -1, now) != 0) {
        memset(s, 0, sizeof *s);
        return CLERK_ERROR;
    }
    struct rstore_rows *row = rstore_session(r, hash);
    if (!row || row->nrows != 1) {
        rstore_rows_free(row);
        memset(s, 0, sizeof *s);
        return CLERK_ERROR;
    }
    char token[65];
    snprintf(token, sizeof token, "%s", s->token);
    session_of(row, s);
    snprintf(s->token, sizeof s->token, "%s", token);
    rstore_rows_free(row);
    return CLERK_OK;
}

enum clerk_result clerk_session(struct rstore *r, const char *token, long long now,
                                struct clerk_session *s) {
    memset(s, 0, sizeof *s);
    if (strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
        return CLERK_BAD;
    char hash[65];
    token_hash(token, hash);
    struct rstore_rows *row = rstore_session(r, hash);
    if (!row)
        return CLERK_ERROR;
    /* columns: clerk, office, name, disabled, csrf, created, expires */
    bool live = row->nrows == 1 && !cell_int(row, 3) && cell_int(row, 6) > now &&
                now - cell_int(row, 5) < CLERK_SESSION_MAX_S;
    if (row->nrows == 1 && !live)
        rstore_session_drop(r, hash, NULL, now);
    if (live) {
        session_of(row, s);
        rstore_session_touch(r, hash, now + CLERK_IDLE_S);
    }
    rstore_rows_free(row);
    return live ? CLERK_OK : CLERK_BAD;
}

void clerk_logout(struct rstore *r, const char *token, long long now) {
    char hash[65];
    token_hash(token, hash);
    rstore_session_drop(r, hash, NULL, now);
}

bool clerk_csrf_ok(const struct clerk_session *s, const char *token) {
    return token && strlen(token) == 32 && strlen(s->csrf) == 32 &&
           crypto_equal(token, s->csrf, 32) == 0;
}
