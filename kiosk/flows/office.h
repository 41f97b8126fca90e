/* office: whether the office is open, by its calendar (content/calendar.h) and the kiosk's
 * clock: for the home screen's band, the walk-in numbers (none while the office is closed) and
 * the divorce periods (a last day on a closed day moves, 民法典 203). */
#ifndef FLOWS_OFFICE_H
#define FLOWS_OFFICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "guide.h"

struct app;

enum office_now {
    OFFICE_OPEN,     /* within one of today's periods */
    OFFICE_LATER,    /* open today, not yet (or at lunch): opens again at `at` */
    OFFICE_CLOSED,   /* closed today, or today's hours are over: next open day `next` */
};

struct office_status {
    enum office_now now;
    struct cal_day today;
    int at;   /* minutes: when it opens again today (OFFICE_LATER) */
    int next; /* yyyymmdd: the next open day (OFFICE_CLOSED; 0: none within 60 days) */
    struct cal_day next_day;
};

/* The office's state at the kiosk's wall-clock time. */
void office_status(struct app *a, struct office_status *s);
/* The roving point the kiosk stands at (admin mode, [roving]), or NULL at the office. */
const struct cal_roving *office_roving(const struct app *a);
/* Whether the office is open on yyyymmdd (for business_divorce_check). ctx: the app. */
bool office_open_on(int yyyymmdd, void *ctx);
/* What a citizen should know today, in the current language, into out: a worked holiday or a
 * 调休 day, a closed day or hours over (with the next open day and its hours), a later opening
 * today. "" on a usual day within its hours. */
void office_status_text(struct app *a, const struct office_status *s, char *out, size_t cap);

/* The guide as this office shows it (a copy of src, out to be guide_free'd): a paragraph
 * reading OFFICE_GUIDE_MARKER becomes the office's hours by its calendar, whether it opens on
 * public holidays, its coming holidays, 调休 days and closures (the next 60 days), and where
 * 涉外 / 涉港澳台 registrations are done ([office] designations). 0, or -1 (out of memory). */
#define OFFICE_GUIDE_MARKER "{{office_hours}}"
int office_guide(struct app *a, const struct guide *src, struct guide *out);

/* The office's queue at the registry: asks where record waits (answered after the sync that
 * sends it, as DEV_STATUS; nothing is asked without a registry), and reads the answer: true
 * with *ahead before it and about *wait_min minutes. */
struct device_event;
bool office_queue_ask(struct app *a, const char *record_id);
bool office_queue_answer(const struct device_event *ev, const char *record_id, int *ahead,
                         int *wait_min);

#endif
