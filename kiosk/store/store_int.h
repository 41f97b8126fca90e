/* store_int: what the store's files share (store.h is the contract for everyone else). One
 * file a table or concern: open.c (open, migrations, codes), keys.c (keys, sealing, HMAC),
 * records.c, outbox.c, audit.c, appointments.c (with the key-value state). */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "store.h"

struct store {
    sqlite3 *db;
    const struct clock_src *clock;
    uint8_t key[CRYPTO_KEY_LEN];
    char state_dir[512];
    char kiosk[128]; /* the kiosk's id (its certificate's CN) when known: new ids carry its tag */
};

/* open.c: a statement's or call's SQLite result as a store code: DONE/OK → STORE_OK, another
 * connection holding the database → STORE_ERR_BUSY, a read-only database →
 * STORE_ERR_READONLY, anything else → STORE_ERR_IO. */
int store_code(int sqlite_rc);
/* open.c: runs SQL; a failure is logged and returned as a code (BUSY, READONLY or IO). */
int exec(struct store *s, const char *sql);
int64_t now_s(struct store *s);
/* keys.c */
int load_key(const char *state_dir, const char *name, uint8_t out[CRYPTO_KEY_LEN], bool create);
void id_hmac(struct store *s, const char *id_number, uint8_t out[32]);
int new_sealed(struct store *s, const char *personal_json, char id[UUID_STR_LEN], uint8_t **sealed,
               size_t *sealed_len);
char *open_record(struct store *s, const char *id, const char *kind);
/* audit.c: appends an audit row inside the caller's transaction */
int audit_row(struct store *s, const char *actor, const char *action, const char *detail);
/* records.c */
int record_tail(struct store *s, const char *id, const char *kind, int64_t now);
int finish_record(struct store *s, int rc, uint8_t *sealed, size_t sealed_len);
/* outbox.c */
int exec_bound(struct store *s, const char *sql, const char *id, int64_t t, int *changes);

#endif
