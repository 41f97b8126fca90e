/* clerks: the clerk console's accounts and sessions (issue 16) over the registry's storage.
 *
 * A clerk belongs to one office and sees only it. An operator creates the account
 * (`kioskctl clerk add`); the password is kept as PBKDF2-HMAC-SHA256 (common/crypto.h's
 * stored form, CLERK_PBKDF2_ITERATIONS). CLERK_LOCK_AFTER wrong passwords in a row lock the
 * account for CLERK_LOCK_S (an operator unlocks it sooner); a right one resets the count.
 * A session is a random token in a cookie, kept at the registry as its SHA-256 only, with
 * its own random form token (CSRF) that every form of the console carries; it ends after
 * CLERK_IDLE_S without a request, CLERK_SESSION_MAX_S after login at most, on logout, and
 * when the account is disabled or its password changed. Sessions live in the storage, so
 * they outlast a restart of registryd. */
#ifndef REGISTRY_CLERKS_H
#define REGISTRY_CLERKS_H

#include <stdbool.h>
#include <stddef.h>

struct rstore;

#define CLERK_PBKDF2_ITERATIONS 200000 /* about 0.1 s here: a login holds the loop that long */
#define CLERK_LOCK_AFTER 5
#define CLERK_LOCK_S (15 * 60)
#define CLERK_IDLE_S (30 * 60)
#define CLERK_SESSION_MAX_S (12 * 60 * 60)
#define CLERK_PASSWORD_MIN 10  /* characters */
#define CLERK_PASSWORD_MAX 128 /* bytes */
#define CLERK_ID_MAX 32        /* letters, digits, '-', '_', '.' */
#define CLERK_NAME_MAX 64      /* bytes of UTF-8 */

struct clerk_session {
    char clerk[CLERK_ID_MAX + 1], office[32], name[CLERK_NAME_MAX + 1];
    char csrf[33];  /* the session's form token, 32 hex digits */
    char token[65]; /* only when just made: the cookie's value, 64 hex digits */
};

enum clerk_result {
    CLERK_OK,
    CLERK_BAD,      /* no such clerk, or the wrong password (never said which) */
    CLERK_LOCKED,   /* too many wrong passwords: *until says till when */
    CLERK_DISABLED, /* the account is switched off */
    CLERK_EXISTS,   /* add: the id is taken */
    CLERK_INVALID,  /* add, password: an id, name or password the rules refuse (why says) */
    CLERK_ERROR,    /* the storage failed */
};

/* Whether a password may be used: CLERK_PASSWORD_MIN characters or more, not all digits, at
 * most CLERK_PASSWORD_MAX bytes of UTF-8. false with why set. */
bool clerk_password_ok(const char *password, char *why, size_t cap);
/* A new account. */
enum clerk_result clerk_add(struct rstore *r, const char *id, const char *office,
                            const char *name, const char *password, long long now, char *why,
                            size_t cap);
/* A new password (the clerk's sessions end) or, with password NULL, only the lock lifted;
 * disabled 0 or 1 switches the account on or off (-1: as it is; off ends its sessions). */
enum clerk_result clerk_change(struct rstore *r, const char *id, const char *password,
                               int disabled, char *why, size_t cap);
/* Checks the password; on success a new session in *s (token included). */
enum clerk_result clerk_login(struct rstore *r, const char *id, const char *password,
                              long long now, struct clerk_session *s, long long *until);
/* The session of a cookie's token, its idle time renewed: CLERK_OK, CLERK_BAD when there is
 * none (expired, logged out, the account off), CLERK_ERROR. */
enum clerk_result clerk_session(struct rstore *r, const char *token, long long now,
                                struct clerk_session *s);
void clerk_logout(struct rstore *r, const char *token, long long now);
/* Whether a form's token is the session's (constant time). */
bool clerk_csrf_ok(const struct clerk_session *s, const char *token);

#endif
