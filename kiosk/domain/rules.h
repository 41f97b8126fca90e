/* rules: the registration rules that need no data file (DOMAIN.md §1, §5). Pure.
 *
 * Dates are "YYYYMMDD" strings as on the card (or int yyyymmdd where noted). An ID number is
 * checked for format, a real birth date and the GB 11643 check character; its region prefix
 * must be six digits of a plausible province (11-82) but is never refused for being unknown
 * or abolished (old numbers carry 370684, 370634). Ages are full years (周岁): a person born
 * on 29 February reaches each year's age on 1 March in common years. That reading is
 * *unconfirmed* for marriage registration; it lives in rules_age() alone. */
#ifndef DOMAIN_RULES_H
#define DOMAIN_RULES_H

#include <stdbool.h>

enum idnum_err {
    IDNUM_OK = 0,
    IDNUM_BAD_FORMAT, /* not 17 digits and a digit or X */
    IDNUM_BAD_REGION, /* the first two digits name no province */
    IDNUM_BAD_DATE,   /* the birth date is not a real date, or in the future */
    IDNUM_BAD_CHECK,  /* the check character does not match */
};

struct idnum_info {
    int birth; /* yyyymmdd */
    bool male; /* odd sequence number */
};

/* Checks id (18 characters; a lower-case x is taken as X) as of today (yyyymmdd). */
enum idnum_err rules_idnum_check(const char *id, int today, struct idnum_info *out);
/* The check character for the first 17 digits. */
char rules_idnum_check_char(const char *first17);
/* Is yyyymmdd a real calendar date? */
bool rules_date_valid(int yyyymmdd);
/* Parses "YYYYMMDD" or "YYYY-MM-DD"; -1 when it is neither or not a real date. */
int rules_date_parse(const char *s);
/* The number formats of the cards a reader reports (DOMAIN.md §4): the resident ID card and the
 * 港澳台居民居住证 (18 characters, GB 11643 check; the permit's region is 810000, 820000 or
 * 830000), the foreign permanent residence card of 2017 (15: 3 capital letters, 12 digits) and
 * of 2023 (18, starting with 9, GB 11643 check). */
enum card_kind { CARD_KIND_RESIDENT, CARD_KIND_HKMT, CARD_KIND_FOREIGN_2017, CARD_KIND_FOREIGN_2023 };
/* Whether number has its card kind's format as of today (yyyymmdd). */
bool rules_card_number_ok(enum card_kind kind, const char *number, int today);
/* Full years from birth to on (both yyyymmdd). */
int rules_age(int birth, int on);
/* Old enough to marry on that date: men 22, women 20 (民法典 1047). */
bool rules_marriage_age_ok(bool male, int birth, int on);
/* Is a card valid on that date? valid_to may be "长期". Dates as on the card. */
bool rules_card_valid_on(const char *valid_from, const char *valid_to, int on);
/* The same person on both sides (the same ID number, X in either case)? */
bool rules_same_person(const char *id_a, const char *id_b);

#endif
