/* business: the kinds of business a marriage registration office does (DOMAIN.md §1), each
 * booked and checked in on its own terms. Pure: a table and date arithmetic, no I/O.
 *
 *   code               who must come                   default queue prefix, room
 *   marriage           every party the booking names    A  结婚登记室
 *   divorce_apply      both (the first visit; 受理)    L  离婚登记室 (a room of its own, 2025 规范)
 *   divorce_withdraw   either party alone, days 0–30   L  离婚登记室
 *   divorce_final      both, days 31–60 after 受理     L  离婚登记室
 *   reissue_marriage   one party                       B  补领证件窗口 (补领结婚证)
 *   reissue_divorce    one party                       B  补领证件窗口 (补领离婚证)
 *   ceremony           every party named (the couple)  C  颁证厅 (the booking may name its hall)
 *   counselling        every party named (one or both) F  婚姻家庭辅导室
 *
 * A booking without a type is a marriage registration (the bookings of before types). The
 * office configuration may change each type's prefix and room ([business]).
 *
 * Divorce periods count calendar days (民法典 1077): the day of 受理 is day 0 and the period
 * starts the next day (民法典 201); days 1–30 are the cooling-off, in which either party may
 * withdraw; days 31–60 are for both to come again; after day 60 the application is deemed
 * withdrawn. When the last day of a period falls on a day the office is closed, the period
 * ends on the office's next open day (民法典 203); open() says which days are open (NULL: every
 * day). */
#ifndef DOMAIN_BUSINESS_H
#define DOMAIN_BUSINESS_H

#include <stdbool.h>

enum business {
    BIZ_MARRIAGE,
    BIZ_DIVORCE_APPLY,
    BIZ_DIVORCE_WITHDRAW,
    BIZ_DIVORCE_FINAL,
    BIZ_REISSUE_MARRIAGE,
    BIZ_REISSUE_DIVORCE,
    BIZ_CEREMONY,
    BIZ_COUNSELLING,
    BIZ_COUNT
};

struct business_info {
    const char *code;   /* as in bookings, records and the configuration */
    const char *prefix; /* the default queue prefix */
    bool one_party;     /* one of the parties named is enough */
    bool needs_accepted; /* the booking carries the 受理 date (accepted_on) */
};

const struct business_info *business_info(enum business b);
/* The type of a code; NULL or "" is a marriage. -1 when the code names none. */
int business_from_code(const char *code, enum business *out);
/* The code of b ("marriage", ...). */
const char *business_code(enum business b);

/* Whether the office is open on yyyymmdd (the office calendar). */
typedef bool (*business_open_fn)(int yyyymmdd, void *ctx);

enum divorce_when {
    DIVORCE_OK,        /* within its period */
    DIVORCE_NOT_YET,   /* the second visit before day 31: from opens on */
    DIVORCE_LAPSED,    /* the second visit after its last day: deemed withdrawn */
    DIVORCE_COOLED,    /* a withdrawal after the cooling-off ended (last day was closes) */
    DIVORCE_BAD_DATE,  /* accepted_on is not a date, or later than today */
};

struct divorce_period {
    int accepted, day;   /* 受理 (yyyymmdd) and today's day number after it */
    int opens, closes;   /* the period's first and last day (yyyymmdd), the last moved past
                            closed days */
    bool moved;          /* closes was moved to the next open day (民法典 203) */
};

/* Where today stands in the period of b (BIZ_DIVORCE_WITHDRAW or BIZ_DIVORCE_FINAL; others
 * are DIVORCE_OK) for an application accepted on accepted (yyyymmdd). */
enum divorce_when business_divorce_check(enum business b, int accepted, int today,
                                         business_open_fn open, void *ctx,
                                         struct divorce_period *out);

#endif
