/* sync: the kiosk's side of DESIGN.md §5 — so far the outbox drain: everything captured goes to
 * the registry in batches (POST /v1/applications, /v1/checkins), and each record leaves the
 * outbox only once the registry answered "accepted" or "duplicate" for it. Delivery is at
 * least once, idempotent at the registry: exactly once in effect. A "rejected" record is
 * marked for staff and never blocks the queue. When the registry cannot be reached nothing
 * changes in the store; the caller tries again later (with backoff). */
#ifndef SYNC_SYNC_H
#define SYNC_SYNC_H

#include "http.h"
#include "store.h"

struct sync_stats {
    int sent, accepted, duplicate, rejected, errors;
};

/* Drains what is due. Returns 0 when the outbox holds nothing due any more, -1 when the
 * registry could not be reached or answered badly (stats->errors, error set), or a store error. */
int sync_drain(struct store *s, const struct http_tls *tls, const char *base_url, int batch,
               struct sync_stats *stats, char *error, size_t errsize);

/* Pulls the appointments of the kiosk's office changed since the stored cursor, and applies
 * them with the new cursor in one transaction. Returns the number applied (>= 0), -1 when the
 * registry could not be reached (error set), or a store error. */
int sync_pull_appointments(struct store *s, const struct http_tls *tls, const char *base_url,
                           char *error, size_t errsize);
/* Tells the registry this kiosk is alive: software version, outbox backlog, last error. */
int sync_heartbeat(struct store *s, const struct http_tls *tls, const char *base_url,
                   const char *version, const char *last_error, char *error, size_t errsize);
/* The same with more fields (a JSON object text, e.g. the update state), merged in. */
int sync_heartbeat_with(struct store *s, const struct http_tls *tls, const char *base_url,
                        const char *version, const char *last_error, const char *extra_json,
                        char *error, size_t errsize);
/* Asks the registry who this kiosk is (GET /v1/whoami): 0 when it answered 200, -1 with the
 * reason in error (e.g. an expired certificate, a refused pin, no route). */
/* The receipt public keys of every kiosk ({"kiosk","key"} as JSON in the store's key-value
 * table under SYNC_RECEIPT_KEYS), so that staff verify any kiosk's receipt offline. */
#define SYNC_RECEIPT_KEYS "receipt.keys"
/* The time (Unix seconds, as text) of the last sync cycle the registry answered in full, in
 * the store's key-value table: admin mode shows it, across restarts. */
#define SYNC_LAST_OK "sync.last_ok"
int sync_receipt_keys(struct store *s, const struct http_tls *tls, const char *base_url,
                      char *error, size_t errsize);
int sync_ping(const struct http_tls *tls, const char *base_url, char *error, size_t errsize);

/* The registry's status of records (GET /v1/status?ids=...): its JSON answer into out. 0, or
 * -1 with the reason. */
int sync_status(const struct http_tls *tls, const char *base_url, const char *ids, char *out,
                size_t cap, char *error, size_t errsize);

/* Commands from the registry (the push channel of DESIGN.md §5). */
struct sync_command {
    long seq;
    char command[16]; /* sync, lock, unlock, notice (others are answered "unknown") */
    char arg[601];
};

/* Long-polls GET /v1/commands?after=AFTER&wait=WAIT_S: returns how many commands it stored in
 * out (0 when the wait ended with none), or -1 with the reason in error. Ends early when
 * *cancel turns true. */
int sync_commands_poll(const struct http_tls *tls, const char *base_url, long after, int wait_s,
                       const volatile bool *cancel, struct sync_command *out, int max, char *error,
                       size_t errsize);
/* Reports a command's result (POST /v1/commands/SEQ/ack). 0, or -1 with the reason. */
int sync_command_ack(const struct http_tls *tls, const char *base_url, long seq, const char *result,
                     char *error, size_t errsize);

#endif
