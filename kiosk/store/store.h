/* store: the kiosk's local store on SQLite (DESIGN.md §4), one file a table (store_int.h).
 *
 * One database file, state_dir/kiosk.db, in WAL mode with synchronous=FULL and foreign keys
 * on, migrated by PRAGMA user_version. Tables: appointments (cache from the registry),
 * checkins, applications, outbox, audit, kv (sync cursors and the like).
 *
 * Personal data is stored only sealed (AES-256-GCM, the record id as associated data) with a
 * data key from state_dir/data.key (0600, made at first start); ID numbers are found through
 * their HMAC-SHA256 under that key, never stored in clear. A record, its outbox entry and its
 * audit row are written in one transaction. Every audit row holds the SHA-256 of the one
 * before. Any failed write is returned as STORE_ERR_IO: the caller must not go on as if the
 * data were saved (the kiosk goes out of service). Not thread-safe: one thread uses a store. */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "uuid.h"

/* Codes are -1..-99: no other layer's code (net -100.., sync -200..) falls in this range. */
enum store_err {
    STORE_OK = 0,
    STORE_ERR_IO = -1,     /* SQLite or the file system failed: stop, do not retry blindly */
    STORE_ERR_KEY = -2,    /* the data key is missing, unreadable or of the wrong size */
    STORE_ERR_CRYPTO = -3, /* sealing failed, or a sealed value was altered */
    STORE_ERR_NOT_FOUND = -4,
    STORE_ERR_SCHEMA = -5, /* the database is newer than this program */
    STORE_ERR_BUSY = -6,   /* another connection held it past the busy timeout: try later */
    STORE_ERR_READONLY = -7, /* the database or its directory cannot be written */
    /* The store refuses to start over where it held data (issue 13): it never makes a new key
     * over sealed data, nor a new empty database where records were kept. The marker
     * state_dir/store.id (outside the database) names the store and its key's check value. */
    STORE_ERR_KEY_LOST = -8,   /* data.key is gone but sealed data exists: restore it */
    STORE_ERR_KEY_WRONG = -9,  /* data.key does not open this store: replaced or damaged */
    STORE_ERR_STORE_LOST = -10, /* kiosk.db is missing, empty, not a database, or another
                                   store than the marker names: restore it from backup */
};

const char *store_strerror(int err);

struct store;

/* Opens (creating and migrating) the store of state_dir. The clock dates records. */
int store_open(struct store **out, const char *state_dir, const struct clock_src *clock);
/* The same through a named SQLite VFS (tests wrap the default one to inject I/O errors). */
int store_open_vfs(struct store **out, const char *state_dir, const struct clock_src *clock,
                   const char *vfs);
/* Opens an existing store for reading only (tools: audit verify, stats): creates nothing, not
 * the database, its key or the directory. STORE_ERR_NOT_FOUND when there is no store of this
 * program there (no kiosk.db, or one without its schema), STORE_ERR_KEY without its key. */
int store_open_readonly(struct store **out, const char *state_dir,
                        const struct clock_src *clock);
void store_close(struct store *s);
/* The kiosk's id (its certificate's CN), kept in the store: the ids of records captured from
 * now on are bound to it (tagged, common/uuid.h), so that the registry refuses them from any
 * other kiosk. Until a kiosk knows its id, it makes untagged ids. STORE_OK (an empty or
 * overlong id is logged and ignored), or the error of keeping it. */
int store_set_kiosk(struct store *s, const char *kiosk_id);

/* Captures an application: personal_json (sealed) with the ID numbers of the parties (looked
 * up by HMAC), its outbox entry and an audit row, in one transaction. id receives its
 * record id (uuid_record: tagged with the kiosk's id once the store knows it). kind: "joint" etc. */
int store_add_application(struct store *s, const char *kind, const char *personal_json,
                          const char *id_number_a, const char *id_number_b, char id[UUID_STR_LEN]);
/* The same with the queue number the couple waits under (counted with the check-ins' by
 * store_next_queue_no). */
int store_add_application_queued(struct store *s, const char *kind, const char *personal_json,
                                 const char *id_number_a, const char *id_number_b,
                                 const char *queue_no, char id[UUID_STR_LEN]);
/* Captures a check-in for an appointment with its queue number, likewise. */
int store_add_checkin(struct store *s, const char *appointment_id, const char *queue_no,
                      const char *personal_json, char id[UUID_STR_LEN]);
/* The application's personal data, opened (malloc'd; the caller clears and frees it). */
/* Captures a 好差评 rating of a service (checkin, joint, ...): level 1 (非常不满意) to 5
 * (非常满意), the rating's JSON sealed like every record, with its outbox entry. */
int store_add_rating(struct store *s, const char *service, int level, const char *rating_json,
                     char id[UUID_STR_LEN]);
int store_get_application(struct store *s, const char *id, char **personal_json);
/* How many applications name this ID number (through its HMAC). */
int store_count_by_id_number(struct store *s, const char *id_number, int *count);
/* The registry acknowledged the record: its outbox entry goes, the time is kept. */
int store_ack(struct store *s, const char *id);
/* The same for n records in one transaction (a batch's answer: one fsync, not n). */
int store_ack_many(struct store *s, const char *const *ids, int n);
/* Removes the personal data of applications and check-ins acknowledged more than
 * retention_days ago, and the cached appointments whose slot ended that long ago. Returns the
 * number purged (>= 0) or an error. */
int store_purge(struct store *s, int retention_days);
/* Checks the audit chain. Returns STORE_OK with *bad_seq 0, or with the first broken row. */
int store_audit_verify(struct store *s, int64_t *bad_seq);
/* The audit chain's anchor (issue 13): a truncated or rewritten chain still verifies on its
 * own, so its head is signed with the kiosk's receipt key and sent with every heartbeat; the
 * registry keeps the anchors and compares. The head (seq and hash; seq 0 for an empty chain),
 * and the hash of row seq: STORE_OK, or STORE_ERR_NOT_FOUND when there is no such row. */
int store_audit_head(struct store *s, int64_t *seq, uint8_t hash[32]);
int store_audit_hash_at(struct store *s, int64_t seq, uint8_t hash[32]);
/* Appends an audit row of its own (staff actions). */
int store_audit(struct store *s, const char *actor, const char *action, const char *detail);
/* Key-value state (sync cursors and the like). get: *value malloc'd, STORE_ERR_NOT_FOUND when
 * absent. */
int store_kv_set(struct store *s, const char *key, const char *value);
/* The registry's epoch as the sync saw it (issue 17): the first is kept. Another means the
 * registry was restored from a backup and may lack what it acknowledged since: in one
 * transaction the cursors named (a NULL-ended list of kv keys) are forgotten, so that what
 * they count is pulled again from the start; every record acknowledged and still kept (not
 * purged) goes back to the outbox, to be sent again (the registry takes it idempotently); and
 * the new epoch is kept. *requeued: how many records went back, or -1 when nothing changed. */
int store_registry_epoch(struct store *s, const char *epoch, const char *const *cursors,
                         int *requeued);
int store_kv_get(struct store *s, const char *key, char **value);
/* The appointment cache (filled by the sync with the registry): one appointment of the
 * office, its half-hour slot, its booking number and parties' ID numbers (found by HMAC) and
 * its personal data (sealed). Replaces an appointment with the same id. */
int store_appointment_put(struct store *s, const char *id, const char *office, int64_t slot_start,
                          int64_t slot_end, const char *booking_no, const char *id_number_a,
                          const char *id_number_b, const char *personal_json);
/* Applies pulled appointments and the new cursor in one transaction (so a crash never leaves
 * the cursor ahead of the data). Each item: id, office, slot_start, slot_end, booking_no,
 * party_a_id, party_b_id and the JSON to seal. Returns STORE_OK or an error. */
struct store_appointment {
    const char *id, *office, *booking_no, *party_a_id, *party_b_id, *json;
    int64_t slot_start, slot_end;
};
int store_appointments_apply(struct store *s, const struct store_appointment *a, int n,
                             const char *cursor_key, const char *cursor);
/* The id of the appointment with this booking number or party ID number in [from, to). */
int store_appointment_find(struct store *s, const char *booking_no_or_id_number, int64_t from,
                           int64_t to, char id[64]);
/* The appointment's data (the registry's JSON), opened (malloc'd; the caller clears it). */
int store_appointment_get(struct store *s, const char *id, char **json);
/* The check-in already recorded for an appointment: its queue number and record id. */
int store_checkin_find(struct store *s, const char *appointment_id, char queue_no[16],
                       char id[UUID_STR_LEN]);
/* Today's walk-in number of the person with this ID number (one a person a day): its queue
 * number, record id and time; STORE_ERR_NOT_FOUND when they have none yet. */
int store_walk_in_find(struct store *s, const char *id_number, int64_t day_start,
                       char queue_no[16], char id[UUID_STR_LEN], int64_t *created);
/* The next queue number of the day for a prefix: "A001", "A002", ... counted from the
 * check-ins and joint applications recorded since day_start, after start (0 to 899: the
 * kiosk's own series, [kiosk] queue_start, so that two kiosks of one office never give the
 * same number: 0 and 500 give A001... and A501...). */
int store_next_queue_no(struct store *s, const char *prefix, int64_t day_start, int start,
                        char out[16]);
/* What the kiosk knows of a record, for the progress query (no personal data). */
struct store_record_info {
    char id[UUID_STR_LEN];
    char kind[16];     /* checkin, joint, ... */
    char queue_no[16]; /* check-ins */
    int64_t created;
    int state; /* 0 waiting to go to the registry, 1 received by it, 2 refused (staff) */
};
/* The records naming this ID number (applications by either party; check-ins by their
 * appointment's parties), newest first, at most max. Returns how many, or an error. */
int store_records_for(struct store *s, const char *id_number, struct store_record_info *out,
                      int max);
/* The same for one record by its id (a receipt's). Returns 1, 0 when unknown, or an error. */
int store_record_info(struct store *s, const char *id, struct store_record_info *out);
/* Records made since day_start: check-ins and applications (the staff dashboard). */
int store_count_since(struct store *s, int64_t day_start, int *checkins, int *applications);
/* A receipt handed out: a check-in ('C') or a joint application ('J') with its number. */
struct store_receipt {
    char kind;
    char id[UUID_STR_LEN];
    char queue_no[16];
    char appointment_id[64]; /* a check-in's ("" for a walk-in) */
    int64_t created;
};
/* The receipts handed out since day_start, newest first, at most max (staff reprint any of
 * today's by its number). Returns how many, or an error. */
int store_receipts_since(struct store *s, int64_t day_start, struct store_receipt *out, int max);
/* One outbox entry handed to the sync: the record's id, kind and personal data (opened). */
struct store_outgoing {
    char id[UUID_STR_LEN];
    char kind[16];
    char *json; /* malloc'd; cleared and freed by store_outgoing_free */
};
/* Up to max entries due now, oldest first. Returns how many (>= 0) or an error. */
int store_outbox_take(struct store *s, struct store_outgoing *out, int max);
void store_outgoing_free(struct store_outgoing *o, int n);
/* The registry refused a record for good: it stays, marked for staff, and no longer blocks
 * the queue. */
int store_outbox_reject(struct store *s, const char *id, const char *reason);
/* Sending failed: try this record again after delay_s seconds. */
int store_outbox_later(struct store *s, const char *id, int delay_s, const char *error);
/* Records waiting in the outbox. */
int store_outbox_count(struct store *s, int *n);
/* How many of them are set aside for staff (rejected by the registry, or unopenable). */
int store_outbox_held(struct store *s, int *set_aside);
/* The kiosk's receipt signing key (Ed25519 seed): state_dir/receipt.key, 0600, made at first
 * use. The caller clears it after use. */
int store_signing_seed(struct store *s, uint8_t seed[32]);
/* Counts by table and sync state, as JSON (malloc'd). */
int store_stats_json(struct store *s, char **json);

#endif
