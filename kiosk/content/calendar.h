/* calendar: the offices' calendar (assets/calendar/calendar.json, content a push replaces):
 * the usual opening days and hours, the public holidays and the 调休 working weekends of the
 * national calendar, and per office its own hours, whether it opens on public holidays
 * (节假日常态办, as Yantai's offices do) and days it opens or closes besides. Pure: JSON in,
 * answers out.
 *
 *   {"hours": {"days": [1,2,3,4,5], "periods": ["09:00-12:00", "13:30-17:00"]},
 *    "holidays": [{"date": "2027-01-01", "name": "元旦", "name_en": "New Year's Day"}],
 *    "workdays": [{"date": "2026-10-10", "name": "国庆节调休上班", "name_en": "..."}],
 *    "offices": [{"code": "370602", "holiday_open": true, "hours": {...},
 *                 "open": ["2027-05-20"], "closed": ["2027-03-01"]}],
 *    "roving": [{"id": "YT-RV-01", "office": "370602", "name": "...", "name_en": "...",
 *                "place": "...", "place_en": "...", "periods": ["09:00-11:30"],
 *                "dates": ["2027-01-08", "2027-01-22"]}]}
 *
 * A day is open when the office lists it in "open"; else closed when it lists it in
 * "closed"; else, on a public holiday, open when the office has holiday_open; else, on a 调休
 * working day, open; else open on the office's usual days (its hours' days, else the
 * calendar's). An open day has the office's periods (else the calendar's). A roving point
 * (巡回登记点) of an office is open on its published dates only, in its periods.
 *
 * Limits: the file at most CALENDAR_FILE_MAX bytes, CALENDAR_DAYS_MAX dated entries in all,
 * CALENDAR_OFFICES_MAX offices, CALENDAR_PERIODS_MAX periods a day, names of at most 63
 * bytes. A file breaking one is refused whole, with why. */
#ifndef CONTENT_CALENDAR_H
#define CONTENT_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#define CALENDAR_FILE_MAX (256 << 10)
#define CALENDAR_DAYS_MAX 2000
#define CALENDAR_OFFICES_MAX 64
#define CALENDAR_PERIODS_MAX 3
#define CALENDAR_ROVING_MAX 32

struct cal_hours {
    unsigned days;   /* bit d (1 Monday .. 7 Sunday) */
    int nperiods;
    int from[CALENDAR_PERIODS_MAX], to[CALENDAR_PERIODS_MAX]; /* minutes after midnight */
};

struct cal_dated {
    int date; /* yyyymmdd */
    char name[64], name_en[64];
};

struct cal_office {
    char code[8];
    bool holiday_open, has_hours;
    struct cal_hours hours;
    int *open, *closed; /* its own open and closed days (yyyymmdd) */
    int nopen, nclosed;
};

struct cal_roving {
    char id[32], office[8];
    char name[96], name_en[96], place[160], place_en[160];
    struct cal_hours hours; /* its periods, on each of its dates */
    int *dates;             /* yyyymmdd, as published */
    int ndates;
};

struct calendar {
    struct cal_hours hours;
    struct cal_dated *holidays, *workdays;
    int nholidays, nworkdays;
    struct cal_office *offices;
    int noffices;
    struct cal_roving *roving;
    int nroving;
    int ndays; /* dated entries in all, against CALENDAR_DAYS_MAX */
};

enum cal_kind {
    CAL_USUAL,    /* a usual working day */
    CAL_WEEKEND,  /* not one of the office's usual days */
    CAL_HOLIDAY,  /* a public holiday (name) */
    CAL_SWAPPED,  /* a 调休 working weekend day (name) */
    CAL_SPECIAL,  /* opened or closed by the office for the day */
    CAL_ROVING,   /* a roving point's day: open on one of its dates */
};

struct cal_day {
    bool open;
    enum cal_kind kind;
    const char *name, *name_en; /* the holiday's or 调休's; "" otherwise */
    const struct cal_hours *hours;
};

/* Parses text into c (empty before). 0, or -1 with why. */
int calendar_parse(struct calendar *c, const char *text, size_t len, char *why, size_t cap);
void calendar_free(struct calendar *c);
/* The day yyyymmdd at office (a code; one the calendar does not name keeps the calendar's
 * defaults). An empty calendar (none loaded) has every day open from 00:00 to 24:00. */
void calendar_day(const struct calendar *c, const char *office, int yyyymmdd, struct cal_day *out);
/* The roving point id (NULL: none such), and its day yyyymmdd (open on its dates only). */
const struct cal_roving *calendar_roving(const struct calendar *c, const char *id);
void calendar_roving_day(const struct cal_roving *p, int yyyymmdd, struct cal_day *out);
/* Whether office is open on yyyymmdd at minute (of the day; -1: at any time of it). */
bool calendar_open(const struct calendar *c, const char *office, int yyyymmdd, int minute);
/* The first open day after yyyymmdd within limit days, or 0. */
int calendar_next_open(const struct calendar *c, const char *office, int yyyymmdd, int limit);
/* "09:00–12:00、13:30–17:00" (sep between periods) of h into out. */
void calendar_hours_text(const struct cal_hours *h, const char *sep, char *out, size_t cap);

#endif
