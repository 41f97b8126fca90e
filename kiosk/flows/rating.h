/* rating: 好差评 at the end of a service (the national 政务服务“好差评” five levels): the level,
 * the reasons the citizen chose (for the two lowest), stored through the outbox like every
 * record and sent to the registry, which counts them by office and service. No personal data. */
#ifndef FLOWS_RATING_H
#define FLOWS_RATING_H

#include <stdbool.h>

struct app;

#define RATING_REASONS 6

/* The reasons' codes, as the registry knows them; their labels are rating.reason_CODE. */
extern const char *const rating_reason_codes[RATING_REASONS];

/* Stores a rating of service ("checkin", "joint", ...) at level 1..5 with the reasons chosen
 * (chosen[i] for rating_reason_codes[i]; NULL: none). 0, or -1 when the store failed (the kiosk
 * is then out of service, as for any record). */
int rating_submit(struct app *a, const char *service, int level, const bool *chosen);

#endif
