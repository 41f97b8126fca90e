/* joint: 婚育户一件事 (DESIGN.md §2.2), the part that is not drawing. The form, its pages, fields,
 * code tables and rules come from assets/forms/joint.json and assets/codes/codes.json
 * (domain/form.c), so a content push can change them. A struct joint lives in the session
 * arena: every value the couple gives is there and is wiped with the session.
 *
 * Consent: the notice names every recipient of the data; each party consents for themselves
 * by placing their own card at their step (the time is kept, with the notice's version, in the
 * record); a head of household other than the spouse consents at the window, never here.
 *
 * Order: consent; party A's card fills A's card fields and is checked at once (age, validity,
 * sex against the number); A types the rest of A's page; likewise B; the optional services
 * and their pages; each party confirms the declarations by presenting the card again; the
 * review (masked) and the form's whole validation; submit: the record, its outbox entry and
 * audit row in one transaction, a signed receipt on paper and on screen. */
#ifndef FLOWS_JOINT_H
#define FLOWS_JOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "form.h"
#include "idcard_text.h"
#include "receipt.h"

struct app;

#define JOINT_VALUE_BYTES 192
#define JOINT_SERVICES_MAX 6 /* the form's services (marriage included) a kiosk offers */

struct joint {
    char vals[FORM_VALUES_MAX][JOINT_VALUE_BYTES];
    struct form_values v; /* keys: the form's field ids; values: vals */
    bool services[JOINT_SERVICES_MAX]; /* by the form's service index: chosen */
    /* the couple's marriage booking the bundle follows (Shandong: 婚育户一件事 is a follow-on
     * to it): found by the first card or the booking's code; the second card must be its
     * other party */
    char appt_id[64], booking_no[40];
    char booked_id[2][24], booked_name[2][64];
    bool confirmed_a, confirmed_b;
    int64_t consent_a, consent_b; /* when each party consented, by placing their own card */
    char record_id[40];
    char queue[16]; /* the number the couple waits under at the window (J001, ...) */
    char token[RECEIPT_TOKEN_MAX];
    int64_t at;
    bool queue_asked, queue_known; /* where it waits in the office's queue, once the registry said */
    int ahead, wait_min;
    const struct form *form; /* the content's form this application follows (its field ids
                              * are the keys of v; content swaps only between sessions) */
};

/* The joint form of the content in use (content/), NULL when it did not load. */
const struct form *joint_form(struct app *a);
void joint_set(struct joint *j, const char *key, const char *value);
const char *joint_get(const struct joint *j, const char *key);
/* The couple's marriage booking by its code (a booking QR's text or number), from today on:
 * 0 when found (j holds it; the cards must then be its parties), 1 when there is none, -1
 * when the store failed. */
int joint_booking_by_code(struct app *a, struct joint *j, const char *code);
/* Fills party p's ('a' or 'b') card fields from a card and checks them: the card must be one
 * of the booking's parties (the first card finds the booking when none was scanned; an office
 * with [joint] booking = optional takes couples without one). Returns 0, or -1 with
 * the first problem (in the current language) in why: under age, expired card, the same
 * person twice, ... */
int joint_card(struct app *a, struct joint *j, char p, const struct idcard_info *card, char *why,
               size_t cap);
/* The chosen optional services as the form's ids, NULL-terminated (marriage is implied). */
void joint_service_ids(struct app *a, const struct joint *j, const char **out, int max);
/* Errors of the typed fields of one page (its index in the form; -1: of the whole form, card
 * fields included), at most max into out. Returns how many were stored. */
int joint_page_errors(struct app *a, struct joint *j, int page, struct form_error *out, int max);
/* What follows from what was given: moving into the spouse's household makes the relation to
 * the 户主 配偶 unless another was chosen. Called after every change. */
void joint_derive(struct joint *j);
/* The party ("a" or "b") the mover moves in with, or NULL before the mover is chosen. */
const char *joint_spouse_of_mover(const struct joint *j);
/* A card presented to confirm the declarations: 'a', 'b' (confirmed), or 0 (not a party). */
char joint_confirm(struct joint *j, const struct idcard_info *card);
/* Validates everything and submits. 0, or the number of errors (first in why), or -1 when the
 * store failed (the kiosk is then out of service). */
int joint_submit(struct app *a, struct joint *j, char *why, size_t cap);

/* Staff: prints a joint application's receipt (one of store_receipts_since) again, from its
 * record in the store, signed as before. 0, or -1 when it cannot be rebuilt (purged). */
struct store_receipt;
int joint_reprint(struct app *a, const struct store_receipt *r);

#endif
