/* progress: 办理进度 (DESIGN.md §2.3), the part that is not drawing: the citizen's records by
 * ID card (the local store finds them through the number's HMAC) or by a receipt's QR token
 * (checked against this kiosk's key); their status from the registry when it answers (asked
 * through the sync thread: DEV_STATUS), else what the kiosk knows, marked as possibly old.
 * Holds no personal data: record ids, kinds, times, queue numbers, statuses and the office's
 * reasons for them. */
#ifndef FLOWS_PROGRESS_H
#define FLOWS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "workers.h"

struct app;

#define PROGRESS_MAX 5

struct progress_item {
    char id[40], kind[16], queue[16];
    int64_t created;
    int local_state; /* store_record_info.state, or PROGRESS_ELSEWHERE */
    char remote[24]; /* the registry's status; empty until it answers */
    char reason[304]; /* the office's reason for it (a returned record's): what to do */
};

/* A record made at another kiosk (its receipt scanned here): only the registry knows it. */
#define PROGRESS_ELSEWHERE 100

struct progress {
    struct progress_item items[PROGRESS_MAX];
    int n;
    bool asked;     /* a query went to the registry */
    bool answered;  /* ...and it answered */
    bool remote_ok; /* ...with statuses */
    bool bad_token; /* the QR was not a receipt of the registry's kiosks */
};

/* Fills p from the store and asks the registry. */
void progress_by_card(struct app *a, const char *id_number, struct progress *p);
void progress_by_token(struct app *a, const char *token, struct progress *p);
/* The registry's answer (DEV_STATUS). */
void progress_answer(struct progress *p, const struct device_event *ev);
/* The i18n key of an item's status. */
const char *progress_status_key(const struct progress *p, const struct progress_item *it);

#endif
