/* queue: the office queue (issue 16) over the registry's storage (rstore_ticket_*, windows):
 * every check-in and joint application becomes a ticket of its office with its business type
 * and room; the office's windows, each serving some types, call the next ticket of their types
 * in order: one transferred to the window first, then appointments by their slot, with one
 * walk-in after every `every` appointments (the window's interleave), then walk-ins. A called
 * ticket is recalled, marked no-show once called three times, transferred to another window or
 * room, or finished. A ticket is of the day it reached the registry (China Standard Time): the
 * office serves today's. Backend-neutral: the order is kept here, not
 * in SQL. */
#ifndef REGISTRY_QUEUE_H
#define REGISTRY_QUEUE_H

#include <cjson/cJSON.h>

#include "rstore.h"

#define QUEUE_NO_SHOW_CALLS 3 /* calls before a ticket may be marked no-show */

enum queue_result {
    QUEUE_OK,
    QUEUE_EMPTY,     /* nothing waiting for this window */
    QUEUE_NOT_FOUND, /* no such window or ticket in this office today */
    QUEUE_REFUSED,   /* not now: a no-show before three calls, an action on a waiting ticket */
    QUEUE_ERROR,     /* the storage failed */
};

/* The day (yyyymmdd, China Standard Time) of Unix time t. */
int queue_day(long long t);
/* The ticket of a record a kiosk sent (kind checkin or application; others none), once: 0, 1
 * when the record had one already or makes none, -1. */
int queue_ticket_from_record(struct rstore *r, const char *kiosk, const char *office,
                             const char *kind, const char *id, const cJSON *payload, long long now);
/* Window calls its next ticket (its id in *ticket). */
enum queue_result queue_call_next(struct rstore *r, const char *office, const char *window, int day,
                                  long long now, long long *ticket);
/* recall, no_show, done (a called ticket), or transfer (to "window:ID" or "room:NAME"). */
enum queue_result queue_act(struct rstore *r, const char *office, int day, long long ticket,
                            const char *action, const char *arg, long long now);
/* Where a kiosk's record waits in its office's queue today: how many of its type come before
 * it (in the order the windows call them) and the wait that makes at today's service times
 * (the mean from call to done of its type, else QUEUE_SERVICE_MIN minutes a ticket, shared by
 * the windows serving it). 0, 1 when it does not wait (no ticket, called or done), -1. */
#define QUEUE_SERVICE_MIN 10
int queue_position(struct rstore *r, const char *office, int day, const char *kiosk,
                   const char *record, int *ahead, int *wait_min);
/* The office's queue of day: {"windows": [...], "tickets": [...], "waiting": N}; NULL on a
 * storage error. A ticket whose number another kiosk of the office gave too has
 * "same_number_as": that kiosk. */
cJSON *queue_view(struct rstore *r, const char *office, int day);

#endif
