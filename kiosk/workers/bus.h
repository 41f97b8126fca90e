/* bus: the one way a worker thread reaches the main thread (DESIGN.md §1).
 *
 * A worker fills a struct device_event (malloc'd) and hands it to bus_post(); the function
 * behind the bus (ui_post_device through app/, an SDL user event underneath) takes ownership,
 * and the main thread receives the event and frees it with device_event_free(), which clears
 * it first: a card read is personal data. A bus that cannot deliver frees the event itself.
 * bus_post may be called from any thread; nothing else of the main thread's is touched by a
 * worker. */
#ifndef WORKERS_BUS_H
#define WORKERS_BUS_H

#include <stdbool.h>

#include "idcard_text.h"

enum device_event_kind {
    DEV_CARD_READ, /* card: personal data, copy it into the session and free the event */
    DEV_CARD_REMOVED,
    DEV_READER_STATE,  /* ok: reader reachable or not; text: why (no personal data) */
    DEV_SCAN,          /* text: the code */
    DEV_SCANNER_STATE, /* ok: the scanner's port opened or not; text: why */
    DEV_PRINTER_STATE, /* status: 0 ok, 1 problem, 2 unknown; flags; text */
    DEV_PRINT_DONE,    /* ok: printed or not; status: the job's tag; text: why not */
    DEV_SYNC_STATE,    /* ok: the registry answered; status: 0, or the failure's code (a
                        * store, net or sync code, see sync.h); text: its English words */
    DEV_STATUS,        /* ok: the registry answered; text: its {"statuses":[...]} or why not */
    DEV_COMMAND,       /* a command of the registry, already made durable by the thread:
                        * status: enum device_command; text: the notice (lock, unlock, notice) */
};

enum device_command { CMD_LOCK = 1, CMD_UNLOCK, CMD_NOTICE, CMD_CONTENT, CMD_RESTART, CMD_CALL };

struct device_event {
    enum device_event_kind kind;
    bool ok;
    int status;
    unsigned flags;
    char text[600];
    struct idcard_info card;
};

/* Clears (the card is personal data) and frees an event. NULL is fine. */
void device_event_free(struct device_event *ev);

typedef void (*bus_post_fn)(void *ctx, struct device_event *ev);

struct bus {
    bus_post_fn post;
    void *ctx;
};

/* Hands ev to the main thread (ownership passes). */
void bus_post(const struct bus *b, struct device_event *ev);
/* A new event of kind with ok, status and text (NULL: none) posted at once; nothing is posted
 * when memory runs out (logged). A text longer than the event's is cut and logged. */
void bus_post_new(const struct bus *b, enum device_event_kind kind, bool ok, int status,
                  const char *text);

#endif
