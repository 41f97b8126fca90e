/* rstore: the registry's storage, behind struct rstore_ops (DESIGN.md §1, §11): SQLite by
 * default (rstore_sqlite.c), so that a PostgreSQL backend can take its place for a
 * province-wide deployment. Queries answer with rows (struct rstore_rows: named, typed
 * columns), never with JSON a database made: the API layer (registry/router.c) turns rows into
 * its answers, the same for every backend. Payloads and appointments are stored as the JSON
 * texts the kiosks and operators sent; such a column is typed RSTORE_JSON.
 *
 * Records are kept by (kiosk, id) — the kiosk of the certificate that sent it and the record's
 * id — so that no kiosk can take over another's record by sending its id first (ids are
 * printed in every receipt's QR code). Inserting one the same kiosk sent before is a
 * "duplicate", never a second row — delivery is at least once from the kiosks, the effect
 * exactly once. Ids a kiosk tags with its own id (common/uuid.h) are refused from any other
 * kiosk before they get here (api_kiosk.c). An untagged id from another kiosk is that kiosk's
 * own record: stored under its name and office, logged, flagged shared_id in the operators'
 * list, and never answered to the first kiosk's office (nothing in an untagged id says which
 * kiosk made it; each kiosk's are kept apart, so no kiosk's sync is ever told "duplicate" for
 * a record it did not send). */
#ifndef REGISTRY_RSTORE_H
#define REGISTRY_RSTORE_H

#include <stdbool.h>
#include <stddef.h>

enum rstore_result { RSTORE_ACCEPTED, RSTORE_DUPLICATE, RSTORE_ERROR };

/* A query's answer: nrows rows of the columns cols (the backend's static description). */
enum rstore_col_type { RSTORE_TEXT, RSTORE_INT, RSTORE_JSON };
struct rstore_col {
    const char *name;
    enum rstore_col_type type;
};
struct rstore_rows {
    const struct rstore_col *cols;
    int ncols, nrows;
    char **cells; /* nrows * ncols texts, row-major; NULL for SQL NULL */
};
/* A cell's text (NULL: none or out of range). */
const char *rstore_cell(const struct rstore_rows *rows, int row, int col);
/* Clears (payloads are personal data) and frees. NULL is fine. */
void rstore_rows_free(struct rstore_rows *rows);
/* For backends: an empty answer of these columns, and one more row (its cells copied). 0 or
 * -1 when memory runs out. */
struct rstore_rows *rstore_rows_new(const struct rstore_col *cols, int ncols);
int rstore_rows_add(struct rstore_rows *rows, const char *const *cells);

struct rstore_ops;
struct seal;
/* A backend's handle starts with this. */
struct rstore {
    const struct rstore_ops *ops;
    const struct seal *seal; /* rstore_set_seal */
};

/* The SQLite backend on DATA/registry.db. */
struct rstore *rstore_open(const char *data_dir);
/* The PostgreSQL backend (rstore_pg.c) on a libpq connection string ("host=... port=...
 * dbname=... user=..." or a postgresql:// URI); its tables are made when missing. NULL when
 * it cannot connect (logged). */
struct rstore *rstore_open_pg(const char *conninfo);
void rstore_close(struct rstore *r);
/* Personal data sealed (registry/seal.h; issue 17): from then on every record's payload and
 * every appointment is sealed under its office's key before it reaches the backend, and
 * opened when read back, so that neither backend ever holds them in clear. registryd always
 * sets one; without one (unit tests of the backends) they are stored as given. The seal is
 * the caller's and outlives the store. */
void rstore_set_seal(struct rstore *r, const struct seal *s);
/* Seals what was stored in clear before (a registry upgraded in place): the number of
 * payloads sealed, or -1. The backend then drops the clear copies it can (SQLite: WAL
 * truncated; secure_delete is always on). */
long rstore_seal_legacy(struct rstore *r);
/* Retention (issue 17): the payloads of records received before `before` whose office is done
 * with them (any status but accepted and reviewing) are purged (the row stays: its status,
 * and "duplicate" for a kiosk that sends it again), and appointments whose slot ended before
 * `appts_before` are deleted. The number of payloads and appointments purged, or -1. */
long rstore_purge(struct rstore *r, long long before, long long appts_before);
/* The registry's epoch (a random id; issue 17): it changes when a backup is restored, so that
 * kiosks whose cursors are ahead of the restored database start again (DESIGN.md §5). renew:
 * a new one now (registryd --new-epoch, after a restore by other means). A database made by
 * rstore_backup takes a new epoch when it is first opened. 0 or -1. */
#define RSTORE_EPOCH_LEN 33
int rstore_epoch(struct rstore *r, char out[RSTORE_EPOCH_LEN], int renew);
/* A unit of work: the calls between begin and end are one transaction (one commit, not one a
 * call), rolled back when ok is false or a part failed. durable false: soft state that the
 * kiosks send again (a heartbeat): its commit need not wait for the disk (PostgreSQL:
 * synchronous_commit off for it; SQLite: synchronous NORMAL for it). Not for calls that open
 * transactions of their own on SQLite (rstore_put_batch). 0 or -1. */
int rstore_unit_begin(struct rstore *r, bool durable);
int rstore_unit_end(struct rstore *r, bool ok);
/* A consistent copy of the database to path while serving (SQLite: VACUUM INTO; the copy is
 * marked so that it opens under a new epoch). 0, 1 when the backend makes none (PostgreSQL:
 * pg_dump, docs/operations.md), -1. path must not exist. */
int rstore_backup(struct rstore *r, const char *path);
/* One record from a kiosk: its id, kind (application, checkin), and payload (JSON text); a
 * check-in's business type and queue number (NULL: none), kept beside it for the office's
 * lists. */
struct rstore_record_in {
    const char *id, *kind, *payload;
    const char *business, *queue_no; /* a rating's: its service, NULL */
    int level;                       /* a rating's level (1..5), else 0 */
};
/* A batch of n records from one kiosk in one transaction, each with its own answer in
 * results (accepted, or duplicate when this kiosk sent it before). When the transaction fails, every answer is RSTORE_ERROR. */
void rstore_put_batch(struct rstore *r, const char *kiosk, const char *office,
                      const struct rstore_record_in *recs, int n, enum rstore_result *results);
/* One record (a batch of one). */
enum rstore_result rstore_put(struct rstore *r, const char *id, const char *kind, const char *kiosk,
                              const char *office, const char *payload);
/* The status ("received", then what the office sets: accepted, reviewing, completed,
 * returned) of the record id of office, the asking kiosk's own when another kiosk of the
 * office sent the same id, with the office's reason for it ("" when none; a returned record's
 * says what the citizens must bring or correct): 0, 1 when the office has no such record, -1.
 * Records of other offices are never answered. */
#define RSTORE_REASON_MAX 300 /* bytes of a status's reason */
int rstore_status(struct rstore *r, const char *office, const char *kiosk, const char *id,
                  char *status, size_t cap, char *reason, size_t rcap);
/* The records with this id (of kiosk, or of every kiosk when kiosk is NULL), payload included
 * (operators: the clerk prints the declaration from it): id, kind, kiosk, office, received,
 * status, payload; NULL on an error. More than one row: several kiosks sent the id. */
struct rstore_rows *rstore_record(struct rstore *r, const char *id, const char *kiosk);
/* Sets it with its reason (NULL or "": none) (operators, clerks): 0, 1 when unknown, 2 when
 * kiosk is NULL and several kiosks sent the id, -1. */
int rstore_set_status(struct rstore *r, const char *id, const char *kiosk, const char *status,
                      const char *reason);
long rstore_count(struct rstore *r);
/* Appointments (imported by operators): each put gets the next change number, so kiosks pull
 * "what changed since N". The record is a JSON object with id, office, slot_start, slot_end,
 * booking_no, party_a_id, party_b_id and names. Returns 0 or -1. */
int rstore_appointment_put(struct rstore *r, const char *id, const char *office, const char *json);
/* The office's appointments changed after `since`, at most limit, as rows
 * ; *next is the change number to ask from next time. */
struct rstore_rows *rstore_appointments_since(struct rstore *r, const char *office, long since, int limit,
                                long *next);

/* The 受理 dates of divorce applications (DOMAIN.md §1): set when the office accepts a
 * divorce_apply check-in (its status becomes accepted), so that the couple's withdrawal and
 * second-visit bookings carry it. pair is the hex SHA-256 of the two ID numbers in order
 * (registry_divorce_pair); date is YYYY-MM-DD. The first acceptance of a pair stands until a
 * later application of the same pair is accepted after it. 0 or -1; get: 0, 1 when none. */
int rstore_divorce_accepted_put(struct rstore *r, const char *pair, const char *office,
                                const char *record, const char *date);
int rstore_divorce_accepted_get(struct rstore *r, const char *pair, char date[16]);

/* The office queue (issue 16; registry/queue.c orders and calls it): a ticket a check-in or an
 * application became, kept by (kiosk, record) so that a record sent again adds none. day is
 * the ticket's day (yyyymmdd, China Standard Time); slot_start 0 for a walk-in. */
struct rstore_ticket {
    const char *office, *kiosk, *record, *kind, *queue_no, *business, *room;
    long long slot_start, created;
    int day;
};
/* 0 added, 1 when the record had its ticket already, -1. */
int rstore_ticket_add(struct rstore *r, const struct rstore_ticket *t);
/* Another kiosk than kiosk that gave queue_no in office on day, into other (cap bytes): 0, 1
 * when none did, -1. (A check at each new ticket: one indexed lookup, not the day's list.) */
int rstore_ticket_number_other(struct rstore *r, const char *office, int day,
                               const char *queue_no, const char *kiosk, char *other, size_t cap);
/* The office's tickets of day in the order they came, as rows: id, kiosk, record, kind,
 * queue_no, business, room, slot_start, created, status (waiting, called, done, no_show),
 * window, calls, any_type, called_at, done_at. */
struct rstore_rows *rstore_tickets(struct rstore *r, const char *office, int day);
/* Sets a ticket's state (its office's: 1 when it has no such ticket). window and room NULL:
 * as they are. 0, 1 or -1. */
int rstore_ticket_set(struct rstore *r, const char *office, long long id, const char *status,
                      const char *window, const char *room, int calls, int any_type, long long at);
/* The office's windows: each serves some business types (comma-separated codes) in a room,
 * taking one walk-in after every `every` appointments. Replaced by id. 0 or -1. */
int rstore_window_put(struct rstore *r, const char *office, const char *id, const char *name,
                      const char *room, const char *types, int every);
/* The office's windows as rows: id, name, room, types, every, since_walk_in. */
struct rstore_rows *rstore_windows(struct rstore *r, const char *office);
int rstore_window_count(struct rstore *r, const char *office, const char *id, int since_walk_in);

/* The last heartbeat of a kiosk (its JSON), replacing the one before. Returns 0 or -1. */
int rstore_heartbeat(struct rstore *r, const char *kiosk, const char *office, const char *json);
/* Every kiosk's last heartbeat with its age in seconds, as rows . */
struct rstore_rows *rstore_fleet(struct rstore *r);
/* A step of a kiosk's update as its heartbeat reports it; kept once (a repeated heartbeat, or
 * another "downloading" of the same serial, adds nothing). A kiosk's latest
 * RSTORE_EVENTS_PER_KIOSK steps are kept, older ones dropped. */
#define RSTORE_EVENTS_PER_KIOSK 500
int rstore_update_event(struct rstore *r, const char *kiosk, const char *type, long long serial,
                        const char *version, const char *step, const char *detail, long long at);
/* The latest steps (newest first), of one kiosk or of all (kiosk NULL), as rows. */
struct rstore_rows *rstore_update_events(struct rstore *r, const char *kiosk, int limit);

/* Commands for kiosks (DESIGN.md §5: sync, lock, unlock, notice; update and content come with
 * the update issue). Each gets the next sequence number; a kiosk asks for those after the last
 * it handled, and acknowledges each with its result. */
long rstore_command_add(struct rstore *r, const char *kiosk, const char *command, const char *arg);
/* The kiosk's commands after `after` that it has not acknowledged yet (at most 100), as a JSON
 * array text  of {seq, command, arg}; *count is how many. (A kiosk set up again
 * with an empty store gets what is still open, not the whole history.) */
struct rstore_rows *rstore_commands_after(struct rstore *r, const char *kiosk, long after, int *count);
/* Records a kiosk's result of its command seq: 0, 1 when the kiosk has no such open command,
 * -1. A result is final; only an interim "ok: started..." (an update under way) is replaced,
 * once, by the result that follows it. */
int rstore_command_ack(struct rstore *r, const char *kiosk, long seq, const char *result);
/* Every command (of one kiosk, or all when kiosk is NULL), newest first, at most 200, with
 * its acknowledgement, as rows . */
struct rstore_rows *rstore_commands_list(struct rstore *r, const char *kiosk);

/* Receipt signing keys (base64url Ed25519 public keys) as kiosks report them; a key once seen
 * stays, so that receipts signed before a key change still verify. At most
 * RSTORE_KEYS_PER_KIOSK a kiosk (a kiosk makes one when its store is set up anew): 0, 1 when
 * the kiosk is at its quota (the key is not kept), -1. */
#define RSTORE_KEYS_PER_KIOSK 8
int rstore_receipt_key_put(struct rstore *r, const char *kiosk, const char *office,
                           const char *key);
/* The keys added after change number since (0: every key), in the order they came, at most
 * limit (0: no limit), as rows: kiosk, office, key, first_seen, seq (the change number: a
 * kiosk asks for those after the last it has, so that a sync fetches what changed and not
 * every kiosk's key, issue 17; numbered in commit order like the appointments). */
struct rstore_rows *rstore_receipt_keys(struct rstore *r, long since, int limit);
/* The kiosk a key was reported by, into kiosk (cap bytes): 0, 1 when no kiosk reported it,
 * -1. (A heartbeat's audit anchor is checked against its kiosk's keys: one lookup, not every
 * kiosk's keys each heartbeat.) */
int rstore_receipt_key_owner(struct rstore *r, const char *key, char *kiosk, size_t cap);

/* Published manifests of releases and content bundles (their blobs are files under the data
 * directory's blobs/). The latest of a type and channel is the one with the highest serial. */
int rstore_manifest_put(struct rstore *r, const char *type, const char *channel, long serial,
                        const char *json, int rollout);
/* A staged rollout: the share (0 to 100 %) of the channel's kiosks a manifest goes to. 1 when
 * set, 0 when there is no such manifest, -1 on error. */
int rstore_manifest_rollout(struct rstore *r, const char *type, const char *channel, long serial,
                            int rollout);
/* The newest manifest's JSON  whose rollout covers a kiosk of bucket 0..99 (bucket <
 * rollout), or NULL. */
char *rstore_manifest_latest(struct rstore *r, const char *type, const char *channel, int bucket);

/* One-time enrollment tokens, kept as the SHA-256 (hex) of the token only. */
int rstore_enroll_token_add(struct rstore *r, const char *hash_hex, const char *kiosk,
                            const char *office, long expires);
/* Uses up a token: 0 with its kiosk id and office filled, 1 when it is unknown, used or
 * expired, -1 on a storage error. */
int rstore_enroll_token_take(struct rstore *r, const char *hash_hex, char *kiosk, size_t ksize,
                             char *office, size_t osize);

/* Received records for operators, newest first, at most limit, without their payloads (the
 * personal data stays in the registry): id, kind, kiosk, office, received (Unix time), status,
 * shared_id (1 when another kiosk sent the same id), business, queue_no. kiosk
 * or office may be NULL for all. As a JSON array text . */
struct rstore_rows *rstore_records_list(struct rstore *r, const char *kiosk, const char *office, int limit);

/* Audit anchors (issue 13): the signed head of each kiosk's audit chain, as its heartbeats
 * report it (its latest RSTORE_ANCHORS_PER_KIOSK kept), and the alarms raised when a chain
 * went back (truncated) or a row's hash changed (rewritten). hash is 64 hex digits. */
#define RSTORE_ANCHORS_PER_KIOSK 100
int rstore_anchor_put(struct rstore *r, const char *kiosk, long long seq, const char *hash);
/* The latest anchor (seq 0 and "" when none), or the hash kept for seq ("" when none): 0 or
 * -1. */
int rstore_anchor_last(struct rstore *r, const char *kiosk, long long *seq, char hash[65]);
int rstore_anchor_at(struct rstore *r, const char *kiosk, long long seq, char hash[65]);
int rstore_audit_alarm(struct rstore *r, const char *kiosk, const char *detail);
/* A kiosk's anchors, oldest first, as rows: seq, hash, at. */
struct rstore_rows *rstore_anchors(struct rstore *r, const char *kiosk);
/* Every alarm, newest first, as rows: kiosk, at, detail. */
struct rstore_rows *rstore_audit_alarms(struct rstore *r, const char *kiosk);
/* Revocations (kioskctl pki revoke): kind "kiosk" (id its CN: every certificate of that kiosk
 * issued up to at) or "serial" (id the certificate's serial, hex). A kiosk revoked again
 * moves its at to now. The list: kind, id, at, reason. */
int rstore_revoke(struct rstore *r, const char *kind, const char *id, const char *reason);
struct rstore_rows *rstore_revocations(struct rstore *r);
struct rstore_rows *rstore_ratings(struct rstore *r, const char *office);
int rstore_alert_put(struct rstore *r, const char *kiosk, const char *office, const char *kind,
                     const char *screen, long long at);
struct rstore_rows *rstore_alerts(struct rstore *r, const char *office);

/* The clerk console's accounts (issue 16; registry/clerks.c): a clerk by id, of one office,
 * the password as its PBKDF2 hash text. 0 added, 1 when the id is taken, -1. */
int rstore_clerk_put(struct rstore *r, const char *id, const char *office, const char *name,
                     const char *hash, long long now);
/* The clerk as rows (0 or 1): id, office, name, hash, failures, locked_until, disabled,
 * created, last_login. */
struct rstore_rows *rstore_clerk(struct rstore *r, const char *id);
/* An office's clerks (every office's when NULL), without their hashes: id, office, name,
 * failures, locked_until, disabled, created, last_login. */
struct rstore_rows *rstore_clerks(struct rstore *r, const char *office);
/* Sets what is given: hash (NULL: kept), failures, locked_until, disabled, last_login (-1:
 * kept). 0, 1 when there is no such clerk, -1. */
int rstore_clerk_set(struct rstore *r, const char *id, const char *hash, int failures,
                     long long locked_until, int disabled, long long last_login);
/* Console sessions, kept by the SHA-256 (hex) of their token only, with the form token
 * (CSRF) of the session. */
int rstore_session_put(struct rstore *r, const char *hash, const char *clerk, const char *csrf,
                       long long created, long long expires);
/* The session with its clerk as rows (0 or 1): clerk, office, name, disabled, csrf, created,
 * expires. */
struct rstore_rows *rstore_session(struct rstore *r, const char *hash);
int rstore_session_touch(struct rstore *r, const char *hash, long long expires);
/* Ends the session of hash, or (hash NULL) every session of clerk; and any that expired
 * before now. 0 or -1. */
int rstore_session_drop(struct rstore *r, const char *hash, const char *clerk, long long now);
/* The console's audit log: every action and every view of personal data, by clerk. */
int rstore_clerk_audit(struct rstore *r, const char *clerk, const char *office,
                       const char *action, const char *target, const char *detail, long long at);
/* Newest first, at most limit, of one office or all: at, clerk, office, action, target,
 * detail. */
struct rstore_rows *rstore_clerk_audits(struct rstore *r, const char *office, int limit);

/* Wake-ups between registry processes on one database (DESIGN.md §11): a command queued by
 * one process must reach the long poll another holds. The backend tells the others when a
 * kiosk's commands changed (PostgreSQL: NOTIFY in the command's own transaction);
 * rstore_wake_fd is a descriptor that becomes readable when such news came (-1: the backend
 * has no other processes to hear from: SQLite), rstore_wakes calls cb for each kiosk named
 * since: 0, or -1 when the channel broke (rstore_wake_fd makes it again; its descriptor may
 * change). */
int rstore_wake_fd(struct rstore *r);
int rstore_wakes(struct rstore *r, void (*cb)(const char *kiosk, void *arg), void *arg);

/* A backend: every call of this header goes through its table. */
struct rstore_ops {
    const char *name;
    void (*close)(struct rstore *r);
    void (*put_batch)(struct rstore *r, const char *kiosk, const char *office, const struct rstore_record_in *recs, int n, enum rstore_result *results);
    int (*status)(struct rstore *r, const char *office, const char *kiosk, const char *id, char *status, size_t cap, char *reason, size_t rcap);
    struct rstore_rows *(*record)(struct rstore *r, const char *id, const char *kiosk);
    int (*set_status)(struct rstore *r, const char *id, const char *kiosk, const char *status, const char *reason);
    long (*count)(struct rstore *r);
    int (*appointment_put)(struct rstore *r, const char *id, const char *office, const char *json, long long slot_end);
    int (*divorce_accepted_put)(struct rstore *r, const char *pair, const char *office, const char *record, const char *date);
    int (*divorce_accepted_get)(struct rstore *r, const char *pair, char date[16]);
    int (*ticket_add)(struct rstore *r, const struct rstore_ticket *t);
    struct rstore_rows *(*tickets)(struct rstore *r, const char *office, int day);
    int (*ticket_set)(struct rstore *r, const char *office, long long id, const char *status, const char *window, const char *room, int calls, int any_type, long long at);
    int (*window_put)(struct rstore *r, const char *office, const char *id, const char *name, const char *room, const char *types, int every);
    struct rstore_rows *(*windows)(struct rstore *r, const char *office);
    int (*window_count)(struct rstore *r, const char *office, const char *id, int since_walk_in);
    struct rstore_rows *(*appointments_since)(struct rstore *r, const char *office, long since, int limit, long *next);
    int (*heartbeat)(struct rstore *r, const char *kiosk, const char *office, const char *json);
    struct rstore_rows *(*fleet)(struct rstore *r);
    int (*update_event)(struct rstore *r, const char *kiosk, const char *type, long long serial, const char *version, const char *step, const char *detail, long long at);
    struct rstore_rows *(*update_events)(struct rstore *r, const char *kiosk, int limit);
    long (*command_add)(struct rstore *r, const char *kiosk, const char *command, const char *arg);
    struct rstore_rows *(*commands_after)(struct rstore *r, const char *kiosk, long after, int *count);
    int (*command_ack)(struct rstore *r, const char *kiosk, long seq, const char *result);
    struct rstore_rows *(*commands_list)(struct rstore *r, const char *kiosk);
    int (*receipt_key_put)(struct rstore *r, const char *kiosk, const char *office, const char *key);
    struct rstore_rows *(*receipt_keys)(struct rstore *r, long since, int limit);
    int (*receipt_key_owner)(struct rstore *r, const char *key, char *kiosk, size_t cap);
    int (*manifest_put)(struct rstore *r, const char *type, const char *channel, long serial, const char *json, int rollout);
    int (*manifest_rollout)(struct rstore *r, const char *type, const char *channel, long serial, int rollout);
    char *(*manifest_latest)(struct rstore *r, const char *type, const char *channel, int bucket);
    int (*enroll_token_add)(struct rstore *r, const char *hash_hex, const char *kiosk, const char *office, long expires);
    int (*enroll_token_take)(struct rstore *r, const char *hash_hex, char *kiosk, size_t ksize, char *office, size_t osize);
    struct rstore_rows *(*records_list)(struct rstore *r, const char *kiosk, const char *office, int limit);
    int (*anchor_put)(struct rstore *r, const char *kiosk, long long seq, const char *hash);
    int (*anchor_last)(struct rstore *r, const char *kiosk, long long *seq, char hash[65]);
    int (*anchor_at)(struct rstore *r, const char *kiosk, long long seq, char hash[65]);
    int (*audit_alarm)(struct rstore *r, const char *kiosk, const char *detail);
    struct rstore_rows *(*anchors)(struct rstore *r, const char *kiosk);
    struct rstore_rows *(*audit_alarms)(struct rstore *r, const char *kiosk);
    int (*revoke)(struct rstore *r, const char *kind, const char *id, const char *reason);
    struct rstore_rows *(*revocations)(struct rstore *r);
    /* 好差评: the ratings received, counted by office, service and level (1..5), of one office
     * or all (NULL); columns office, service, level, count */
    struct rstore_rows *(*ratings)(struct rstore *r, const char *office);
    /* kiosks' alerts (呼叫工作人员: kind call_staff, the screen it was pressed on), each kept
     * once; listed newest first, of one office or all */
    int (*alert_put)(struct rstore *r, const char *kiosk, const char *office, const char *kind,
                     const char *screen, long long at);
    struct rstore_rows *(*alerts)(struct rstore *r, const char *office);
    /* the clerk console: accounts, sessions, its audit log (see above) */
    int (*clerk_put)(struct rstore *r, const char *id, const char *office, const char *name,
                     const char *hash, long long now);
    struct rstore_rows *(*clerk)(struct rstore *r, const char *id);
    struct rstore_rows *(*clerks)(struct rstore *r, const char *office);
    int (*clerk_set)(struct rstore *r, const char *id, const char *hash, int failures,
                     long long locked_until, int disabled, long long last_login);
    int (*session_put)(struct rstore *r, const char *hash, const char *clerk, const char *csrf,
                       long long created, long long expires);
    struct rstore_rows *(*session)(struct rstore *r, const char *hash);
    int (*session_touch)(struct rstore *r, const char *hash, long long expires);
    int (*session_drop)(struct rstore *r, const char *hash, const char *clerk, long long now);
    int (*clerk_audit)(struct rstore *r, const char *clerk, const char *office,
                       const char *action, const char *target, const char *detail, long long at);
    struct rstore_rows *(*clerk_audits)(struct rstore *r, const char *office, int limit);
    /* cross-process wake-ups (NULL: none, one process) */
    int (*wake_fd)(struct rstore *r);
    int (*wakes)(struct rstore *r, void (*cb)(const char *kiosk, void *arg), void *arg);
    /* issue 17: sealing what was stored in clear (fn seals one text: 0 and *sealed, or -1),
     * retention, the epoch, backups (NULL: none) */
    long (*seal_legacy)(struct rstore *r,
                        int (*fn)(void *ctx, const char *table, const char *office,
                                  const char *kiosk, const char *id, const char *clear,
                                  char **sealed),
                        void *ctx);
    long (*purge)(struct rstore *r, long long before, long long appts_before);
    int (*epoch)(struct rstore *r, char out[RSTORE_EPOCH_LEN], int renew);
    int (*unit_begin)(struct rstore *r, bool durable);
    int (*ticket_number_other)(struct rstore *r, const char *office, int day, const char *queue_no,
                               const char *kiosk, char *other, size_t cap);
    int (*unit_end)(struct rstore *r, bool ok);
    int (*backup)(struct rstore *r, const char *path);
};

#endif
