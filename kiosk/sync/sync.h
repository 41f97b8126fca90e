/* sync: the kiosk's side of DESIGN.md §5, as logic over net/ (no transport of its own).
 *
 * Outbox drain: everything captured goes to the registry in batches (POST /v1/applications,
 * /v1/checkins), and each record leaves the outbox only once the registry answered "accepted"
 * or "duplicate" for it. Delivery is at least once, idempotent at the registry: exactly once
 * in effect. A "rejected" record is marked for staff and never blocks the queue. When the
 * registry cannot be reached nothing changes in the store; the caller tries again later (with
 * backoff, workers/backoff.c). Also: appointment pull, heartbeat, receipt keys, the status of
 * records, and the command channel (long poll and acknowledgement).
 *
 * Results: 0 (or a count, where said), else the code of the layer that failed. The layers'
 * ranges never overlap, so a caller tells them apart by value: a store code (enum store_err,
 * -1..-9: the local store failed; stop, nothing was sent as if saved), a net code (enum
 * net_err, -100..-116: the registry could not be reached or refused the kiosk), or one of
 * sync's own below (the registry answered, but not as it should). sync_strerror() names any
 * of them. */
#ifndef SYNC_SYNC_H
#define SYNC_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"
#include "store.h"

enum sync_err {
    SYNC_OK = 0,
    SYNC_ERR_ANSWER = -200, /* the registry's answer lacks what the protocol promises */
    SYNC_ERR_NOMEM = -201,
};
#define SYNC_IS_ERR(e) ((e) <= -200 && (e) > -300)

/* Names a result of any sync function: sync's own codes, net's, or the store's. */
const char *sync_strerror(int err);
/* Which layer a result comes from. */
enum sync_layer { SYNC_LAYER_NONE, SYNC_LAYER_STORE, SYNC_LAYER_NET, SYNC_LAYER_SYNC };
enum sync_layer sync_layer_of(int err);

struct sync_stats {
    int sent, accepted, duplicate, rejected, errors;
};

/* Drains what is due in batches of batch (1..200, what the registry takes in one request).
 * 0 when the outbox holds nothing due any
 * more; else a code (see above), with stats->errors counted. */
int sync_drain(struct store *s, const struct net *n, int batch, struct sync_stats *stats);

/* Pulls the appointments of the kiosk's office changed since the stored cursor, and applies
 * them with the new cursor in one transaction. Returns the number applied (>= 0) or a code. */
int sync_pull_appointments(struct store *s, const struct net *n);
/* Tells the registry this kiosk is alive: software version, outbox backlog, last error, its
 * receipt key, and the members of extra_json (a JSON object text, e.g. the update state;
 * NULL: none). */
int sync_heartbeat(struct store *s, const struct net *n, const char *version,
                   const char *last_error, const char *extra_json);
/* Asks the registry who this kiosk is (GET /v1/whoami), and its epoch: when the registry was
 * restored from a backup, the cursors below are forgotten and the records still kept are sent
 * again (store_registry_epoch). */
int sync_ping(struct store *s, const struct net *n);
/* Its answer's "pins" (the registry's key and, while it is rotated, the next one's), learnt
 * over this pinned connection, are kept in the TLS directory's registry.pin, so that the
 * kiosk still reaches the registry after the rotation (issue 18). */
/* Renews the kiosk's certificate over mutual TLS when it ends within renew_days (POST
 * /v1/renew with a CSR of a new key; the key never leaves the kiosk). 0: renewed or not due
 * yet; a NET_ERR_ or SYNC_ERR_ code. A renewal a crash cut short is finished first. */
int sync_renew(const struct net *n, int renew_days);
#define SYNC_RENEW_DAYS 30
/* The kv keys of the kiosk's cursors into the registry's changes. */
#define SYNC_APPOINTMENTS_CURSOR "appointments.cursor"
#define SYNC_COMMANDS_CURSOR "commands.cursor"
#define SYNC_KEYS_CURSOR "receipt.keys.cursor"

/* The receipt public keys of every kiosk ({"kiosk","office","key"} as JSON in the store's key-value
 * table under SYNC_RECEIPT_KEYS), so that staff verify any kiosk's receipt offline. */
#define SYNC_RECEIPT_KEYS "receipt.keys"
/* The time (Unix seconds, as text) of the last sync cycle the registry answered in full, in
 * the store's key-value table: admin mode shows it, across restarts. */
#define SYNC_LAST_OK "sync.last_ok"
int sync_receipt_keys(struct store *s, const struct net *n);

/* The registry's status of records (GET /v1/status?ids=...): its JSON answer into out. */
int sync_status(const struct net *n, const char *ids, char *out, size_t cap);

/* Commands from the registry (the push channel of DESIGN.md §5). */
struct sync_command {
    long seq;
    char command[16]; /* sync, lock, unlock, notice (others are answered "unknown") */
    char arg[601];
};

/* Long-polls GET /v1/commands?after=AFTER&wait=WAIT_S&epoch=E: returns how many commands it
 * stored in out (0 when the wait ended with none), or a code. Ends early (NET_ERR_CANCELLED)
 * when *cancel turns true. A registry of another epoch answers at once: the cursors start
 * again (as sync_ping), and 0 is returned, so that the caller reads its cursor anew. */
int sync_commands_poll(struct store *s, const struct net *n, long after, int wait_s,
                       const atomic_bool *cancel, struct sync_command *out, int max);
/* Reports a command's result (POST /v1/commands/SEQ/ack); 404 (the registry no longer knows
 * it) counts as done. */
int sync_command_ack(const struct net *n, long seq, const char *result);

#endif
