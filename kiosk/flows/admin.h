/* admin: staff admin mode (DESIGN.md §3), the part that is not drawing. Login by staff number
 * and PIN against the PBKDF2 hashes of the configuration's [staff] section; after 5 failures in
 * a row the kiosk refuses every login for 5 minutes (kept in the store, so a restart does not
 * reset it). Every attempt and every staff action goes to the audit chain with the staff
 * number. */
#ifndef FLOWS_ADMIN_H
#define FLOWS_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "receipt.h"

struct app;

#define ADMIN_MAX_FAILURES 5
#define ADMIN_LOCKOUT_S 300

enum admin_login {
    ADMIN_OK,
    ADMIN_BAD,         /* wrong number or PIN; *left tries before the lockout */
    ADMIN_LOCKED,      /* too many failures: *until (wall seconds) */
    ADMIN_NO_ACCOUNTS, /* the configuration has no [staff] accounts */
};

enum admin_login admin_login(struct app *a, const char *number, const char *pin, int *left,
                             int64_t *until);
void admin_logout(struct app *a);
/* An action of the logged-in staff member, audited ("staff:1001"). */
void admin_audit(struct app *a, const char *action, const char *detail);
/* Checks a receipt's QR token offline (paper_verify: this kiosk's key, else the registry's
 * other kiosks'), audited: 0 valid (r filled, signer "" or the kiosk that signed it), else
 * the receipt_err. */
int admin_verify(struct app *a, const char *token, struct receipt *r, char *signer, size_t cap);
/* Locks (out of service, kept across restarts) or unlocks the kiosk. */
void admin_set_locked(struct app *a, bool locked);
/* The catalog key of what a sync failure's code (sync.h: a store, net or sync code) means, in
 * words staff can act on: an expired certificate, the registry's identity not verified, this
 * kiosk's certificate refused, the local store, or a link that is down. */
const char *admin_sync_reason_key(int code);
/* What the dashboard shows of the store and the sync: records waiting, today's counts, and
 * when the registry last answered a whole cycle (0: never, or no store). */
struct admin_dashboard {
    int backlog, checkins, applications;
    int64_t last_sync; /* wall seconds */
};
void admin_dashboard_read(struct app *a, struct admin_dashboard *d);
/* Whether the kiosk is locked (by staff or by the registry). */
bool admin_locked(const struct app *a);
/* "Sync now" (audited). Returns false when no registry is configured. */
bool admin_sync_now(struct app *a);
/* The catalog key of a rollback's code (enum slots_reason), NULL for none: the screen then
 * shows the record's own text. */
const char *admin_rollback_key(int code);
/* The roving points (巡回登记点, from the content's calendar) this kiosk may stand at: its
 * office's, those [roving] point lists when it lists any. admin_next_roving moves the kiosk to
 * the next of them (from the office to the first, from the last back to the office); kept in
 * the store, audited. */
int admin_roving_count(const struct app *a);
void admin_next_roving(struct app *a);
/* Today's receipts, newest first, for staff to reprint one by its number (no personal data:
 * the number, its time, the record it belongs to). */
#define ADMIN_RECEIPTS_MAX 12
struct admin_receipt {
    char kind; /* 'C' a check-in, 'J' a joint application */
    char record_id[37];
    char queue[16];
    char appointment_id[64];
    int64_t at;
};
int admin_receipts_today(struct app *a, struct admin_receipt *out, int max);
/* Prints one of them again, signed as before, audited with its number. 0, or -1 when it
 * cannot be rebuilt (its record no longer on the kiosk). */
int admin_reprint(struct app *a, const struct admin_receipt *r);

#endif
