/* checkin: 预约签到 (DESIGN.md §2.1), the part that is not drawing: find today's appointment by
 * ID card, booking QR or booking number in the local cache; check the time window; take each
 * party's card; record the check-in with a queue number; sign its receipt; print it.
 *
 * A struct checkin lives in the session arena (it holds the parties' ID numbers and names,
 * opened from the sealed cache) and is wiped with the session. */
#ifndef FLOWS_CHECKIN_H
#define FLOWS_CHECKIN_H

#include <stdbool.h>
#include <stdint.h>

#include "business.h"
#include "idcard_text.h"
#include "receipt.h"

struct app;

enum checkin_find {
    CHECKIN_FOUND,
    CHECKIN_NOT_FOUND, /* nothing for this card or number in this office's appointments */
    CHECKIN_OTHER_DAY, /* an appointment, but on another day (other_day_start) */
    CHECKIN_TOO_EARLY, /* today, before the window opens (opens_at) */
    CHECKIN_TOO_LATE,  /* today, the window has closed */
    CHECKIN_ALREADY,   /* checked in before: queue and record as then */
    CHECKIN_NOT_YET,   /* a divorce's second visit before day 31 after 受理 (period.opens) */
    CHECKIN_LAPSED,    /* a divorce's second visit after day 60: deemed withdrawn */
    CHECKIN_COOLED,    /* a withdrawal after the 30 days of cooling-off */
    CHECKIN_OTHER_PLACE, /* a booking for another place: the office or a roving point (where) */
    CHECKIN_BAD_BOOKING, /* a booking of a type this kiosk does not know, or a divorce
                            booking without its 受理 date: staff look at it */
    CHECKIN_FAILED,    /* the store failed (the kiosk goes out of service) */
};

enum checkin_card {
    CARD_ACCEPTED,  /* one of the parties: marked present */
    CARD_AGAIN,     /* the same party's card once more */
    CARD_NOT_PARTY, /* a card of someone not in this appointment */
    CARD_EXPIRED,   /* the card is past its validity */
};

struct checkin {
    enum business biz;
    int accepted_on;       /* 受理 (yyyymmdd): a divorce's withdrawal and second visit */
    struct divorce_period period;
    char hall[96];         /* 颁证仪式: the booking's hall ("": the room of the type) */
    char counsellor[64];   /* 婚姻家庭辅导: the counsellor booked */
    char point[32];        /* the roving point it is booked at ("": the office) */
    char appt_id[64], booking_no[40];
    char id_a[24], id_b[24]; /* party B's empty when the booking names one party */
    char name_a[64], name_b[64];
    int64_t slot_start, slot_end, other_day_start, opens_at;
    bool present_a, present_b;
    char record_id[40], queue[16];
    char token[RECEIPT_TOKEN_MAX];
    int64_t at;
    bool again; /* a walk-in's number of earlier today, given again */
    bool queue_asked, queue_known; /* where it waits in the office's queue, once the registry said */
    int ahead, wait_min;
};

/* Looks up key (an ID number, a booking number, or a booking QR's text) among the cached
 * appointments. With CHECKIN_FOUND or CHECKIN_ALREADY, c holds the appointment. */
enum checkin_find checkin_find(struct app *a, const char *key, struct checkin *c);
/* A card presented for c. */
enum checkin_card checkin_card(struct app *a, struct checkin *c, const struct idcard_info *card);
/* A card this office may not register (条例 Art 2): a HK/Macao/Taiwan residence permit or a
 * foreign permanent residence card where [office] designations does not name its kind. */
bool checkin_card_elsewhere(const struct app *a, const struct idcard_info *card);
/* The card's number has the format of its card type (rules_card_number_ok): a card that does
 * not (a misread, a damaged chip) is refused with what to do, never matched. */
bool checkin_card_number_ok(const struct app *a, const struct idcard_info *card);
/* Every party the booking names is present (one of them, for a type one party may do). */
bool checkin_complete(const struct checkin *c);
/* Records the check-in (store, outbox, audit in one transaction), numbers it, signs the
 * receipt token, queues the receipt on the printer and wakes the sync. 0, or -1 when the
 * store failed (the kiosk is then out of service). */
int checkin_record(struct app *a, struct checkin *c);
/* A walk-in number (the office allows them: [checkin] walk_in) for someone without an
 * appointment: recorded like a check-in without one, queue W001..., receipt printed. It needs
 * the person's card (id_number; NULL: 1 is returned and nothing is done), and a person gets one
 * number a day: asking again gives the same number, its receipt printed again (c->again). None
 * while the office is closed (1, as without a card). 0, or -1 when the store failed. */
int checkin_walk_in(struct app *a, struct checkin *c, const char *id_number);
/* Walk-in numbers are given now: the office takes them ([checkin] walk_in) and is open by its
 * calendar at this minute. */
bool checkin_walk_in_now(struct app *a);
/* The registry's answer to the question checkin_record asks after its sync (DEV_STATUS):
 * true when it says where c waits (c->ahead before it, about c->wait_min minutes). */
struct device_event;
bool checkin_queue_answer(struct checkin *c, const struct device_event *ev);
/* Prints c's receipt (checkin_record does; staff again after the paper was changed). */
void checkin_print(struct app *a, const struct checkin *c);
/* Staff: prints a check-in's receipt (one of store_receipts_since) again, signed as before.
 * 0, or -1 when it cannot be rebuilt. c is scratch (cleared by the caller). */
struct store_receipt;
int checkin_reprint(struct app *a, struct checkin *c, const struct store_receipt *r);
/* Where business b is done at this office, in lang (zh-CN, en): the ceremony's hall when
 * its booking names one, else the room of [business] CODE.room, else the catalog's. */
const char *checkin_room(struct app *a, const struct checkin *c, enum business b, const char *lang);
/* The day start (local time) of t. */
int64_t checkin_day_start(int64_t t);

#endif
