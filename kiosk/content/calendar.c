/* calendar: see calendar.h. */
#include "calendar.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "json.h"

static int fail(char *why, size_t cap, const char *what) {
    snprintf(why, cap, "calendar: %s", what);
    return -1;
}

/* "YYYY-MM-DD" as yyyymmdd, a real date; -1 otherwise. */
static int parse_date(const cJSON *v) {
    const char *s = cJSON_GetStringValue(v);
    int y, m, d;
    char end;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || y < 2000 || y > 2200 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return -1;
    int n = y * 10000 + m * 100 + d;
    return caltime_day_date(caltime_day_number(n)) == n ? n : -1;
}

/* "HH:MM" as minutes (24:00 allowed); -1 otherwise. */
static int parse_hhmm(const char *s) {
    int h, m;
    char end;
    if (strlen(s) != 5 || s[2] != ':' || sscanf(s, "%2d:%2d%c", &h, &m, &end) != 2 || h < 0 ||
        m < 0 || m > 59 || h * 60 + m > 24 * 60)
        return -1;
    return h * 60 + m;
}

static int parse_hours(const cJSON *o, struct cal_hours *h, char *why, size_t cap) {
    memset(h, 0, sizeof *h);
    const cJSON *days = cJSON_GetObjectItem(o, "days"), *periods = cJSON_GetObjectItem(o, "periods");
    const cJSON *v;
    if (!cJSON_IsObject(o) || !cJSON_IsArray(days) || !cJSON_IsArray(periods))
        return fail(why, cap, "hours are {\"days\": [1..7], \"periods\": [\"HH:MM-HH:MM\"]}");
    cJSON_ArrayForEach(v, days) {
        if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 7 ||
            v->valuedouble != (int)v->valuedouble)
            return fail(why, cap, "a day of the week is 1 (Monday) to 7 (Sunday)");
        h->days |= 1u << (int)v->valuedouble;
    }
    if (cJSON_GetArraySize(periods) < 1 || cJSON_GetArraySize(periods) > CALENDAR_PERIODS_MAX)
        return fail(why, cap, "a day has 1 to 3 periods");
    cJSON_ArrayForEach(v, periods) {
        const char *s = cJSON_GetStringValue(v);
        char a[8], b[8];
        if (!s || strlen(s) != 11 || s[5] != '-')
            return fail(why, cap, "a period is \"HH:MM-HH:MM\"");
        snprintf(a, sizeof a, "%.5s", s);
        snprintf(b, sizeof b, "%.5s", s + 6);
        int f = parse_hhmm(a), t = parse_hhmm(b);
        if (f < 0 || t <= f || (h->nperiods && f < h->to[h->nperiods - 1]))
            return fail(why, cap, "periods are times in order, each ending after it starts");
        h->from[h->nperiods] = f;
        h->to[h->nperiods++] = t;
    }
    return 0;
}

/* Room for list's entries of size bytes each (*out, calloc'd; NULL list: none), the count
 * added to *total against CALENDAR_DAYS_MAX. 0, or -1 with why (what: how the list is). */
static int dated_room(const cJSON *list, void **out, size_t size, int *total, const char *what,
                      char *why, size_t cap) {
    *out = NULL;
    if (!list)
        return 0;
    if (!cJSON_IsArray(list))
        return fail(why, cap, what);
    int count = cJSON_GetArraySize(list);
    if (*total + count > CALENDAR_DAYS_MAX)
        return fail(why, cap, "more than 2000 dated days");
    *total += count;
    *out = calloc((size_t)count + 1, size);
    return *out ? 0 : fail(why, cap, "out of memory");
}

static int parse_dated(const cJSON *list, struct cal_dated **out, int *n, int *total, char *why,
                       size_t cap) {
    const cJSON *v;
    void *room;
    int rc = dated_room(list, &room, sizeof **out, total, "holidays and workdays are lists", why, cap);
    *out = room;
    if (rc != 0 || !list)
        return rc;
    cJSON_ArrayForEach(v, list) {
        struct cal_dated *d = &(*out)[*n];
        const char *name = json_str(v, "name"), *en = json_str(v, "name_en");
        d->date = parse_date(cJSON_GetObjectItem(v, "date"));
        if (d->date < 0 || !name || strlen(name) >= sizeof d->name ||
            (en && strlen(en) >= sizeof d->name_en))
            return fail(why, cap, "a dated day has a date YYYY-MM-DD and a name (at most 63 bytes)");
        snprintf(d->name, sizeof d->name, "%s", name);
        snprintf(d->name_en, sizeof d->name_en, "%s", en ? en : name);
        (*n)++;
    }
    return 0;
}

static int parse_dates(const cJSON *list, int **out, int *n, int *total, char *why, size_t cap) {
    const cJSON *v;
    void *room;
    int rc = dated_room(list, &room, sizeof **out, total, "open, closed and roving days are lists of dates",
                        why, cap);
    *out = room;
    if (rc != 0 || !list)
        return rc;
    cJSON_ArrayForEach(v, list) {
        int d = parse_date(v);
        if (d < 0)
            return fail(why, cap, "an open, closed or roving day is a date YYYY-MM-DD");
        (*out)[(*n)++] = d;
    }
    return 0;
}

static int copy_text(char *dst, size_t cap, const cJSON *o, const char *key, bool need) {
    const char *v = json_str(o, key);
    if ((!v && need) || (v && strlen(v) >= cap))
        return -1;
    snprintf(dst, cap, "%s", v ? v : "");
    return 0;
}

static int parse_roving(struct calendar *c, const cJSON *list, char *why, size_t cap) {
    const cJSON *o;
    if (!list)
        return 0;
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > CALENDAR_ROVING_MAX)
        return fail(why, cap, "roving points are a list of at most 32");
    c->roving = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *c->roving);
    if (!c->roving)
        return fail(why, cap, "out of memory");
    cJSON_ArrayForEach(o, list) {
        struct cal_roving *p = &c->roving[c->nroving++];
        const char *office = json_str(o, "office");
        if (copy_text(p->id, sizeof p->id, o, "id", true) || !p->id[0] || !office ||
            strlen(office) != 6 || strspn(office, "0123456789") != 6 ||
            copy_text(p->name, sizeof p->name, o, "name", true) ||
            copy_text(p->name_en, sizeof p->name_en, o, "name_en", false) ||
            copy_text(p->place, sizeof p->place, o, "place", true) ||
            copy_text(p->place_en, sizeof p->place_en, o, "place_en", false))
            return fail(why, cap, "a roving point has an id (at most 31 bytes), a 6-digit office, "
                                  "a name (95) and a place (159)");
        snprintf(p->office, sizeof p->office, "%s", office);
        if (!p->name_en[0])
            snprintf(p->name_en, sizeof p->name_en, "%s", p->name);
        if (!p->place_en[0])
            snprintf(p->place_en, sizeof p->place_en, "%s", p->place);
        cJSON *hours = cJSON_CreateObject(); /* its periods, every day of the week */
        cJSON *days = cJSON_AddArrayToObject(hours, "days");
        for (int d = 1; d <= 7; d++)
            cJSON_AddItemToArray(days, cJSON_CreateNumber(d));
        cJSON_AddItemToObject(hours, "periods",
                              cJSON_Duplicate(cJSON_GetObjectItem(o, "periods"), true));
        int rc = parse_hours(hours, &p->hours, why, cap);
        cJSON_Delete(hours);
        if (rc != 0 ||
            parse_dates(cJSON_GetObjectItem(o, "dates"), &p->dates, &p->ndates, &c->ndays, why, cap))
            return -1;
    }
    return 0;
}

int calendar_parse(struct calendar *c, const char *text, size_t len, char *why, size_t cap) {
    memset(c, 0, sizeof *c);
    if (len > CALENDAR_FILE_MAX)
        return fail(why, cap, "over 256 KiB");
    cJSON *root = json_parse_strict(text, len);
    int rc = -1;
    const cJSON *offices, *o;
    if (!cJSON_IsObject(root)) {
        fail(why, cap, "not a JSON object");
        goto out;
    }
    if (parse_hours(cJSON_GetObjectItem(root, "hours"), &c->hours, why, cap) != 0 ||
        parse_dated(cJSON_GetObjectItem(root, "holidays"), &c->holidays, &c->nholidays, &c->ndays,
                    why, cap) != 0 ||
        parse_dated(cJSON_GetObjectItem(root, "workdays"), &c->workdays, &c->nworkdays, &c->ndays,
                    why, cap) != 0)
        goto out;
    offices = cJSON_GetObjectItem(root, "offices");
    if (offices && (!cJSON_IsArray(offices) || cJSON_GetArraySize(offices) > CALENDAR_OFFICES_MAX)) {
        fail(why, cap, "offices are a list of at most 64");
        goto out;
    }
    c->offices = calloc((size_t)cJSON_GetArraySize(offices) + 1, sizeof *c->offices);
    if (!c->offices) {
        fail(why, cap, "out of memory");
        goto out;
    }
    cJSON_ArrayForEach(o, offices) {
        struct cal_office *f = &c->offices[c->noffices++];
        const char *code = json_str(o, "code");
        const cJSON *hours = cJSON_GetObjectItem(o, "hours"), *ho = cJSON_GetObjectItem(o, "holiday_open");
        if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6) {
            fail(why, cap, "an office has a 6-digit code");
            goto out;
        }
        if (ho && !cJSON_IsBool(ho)) {
            fail(why, cap, "holiday_open is true or false");
            goto out;
        }
        snprintf(f->code, sizeof f->code, "%s", code);
        f->holiday_open = cJSON_IsTrue(ho);
        if (hours && parse_hours(hours, &f->hours, why, cap) != 0)
            goto out;
        f->has_hours = hours != NULL;
        if (parse_dates(cJSON_GetObjectItem(o, "open"), &f->open, &f->nopen, &c->ndays, why, cap) ||
            parse_dates(cJSON_GetObjectItem(o, "closed"), &f->closed, &f->nclosed, &c->ndays, why,
                        cap))
            goto out;
    }
    if (parse_roving(c, cJSON_GetObjectItem(root, "roving"), why, cap) != 0)
        goto out;
    rc = 0;
out:
    cJSON_Delete(root);
    if (rc != 0)
        calendar_free(c);
    return rc;
}

void calendar_free(struct calendar *c) {
    for (int i = 0; i < c->noffices; i++) {
        free(c->offices[i].open);
        free(c->offices[i].closed);
    }
    free(c->offices);
    for (int i = 0; i < c->nroving; i++)
        free(c->roving[i].dates);
    free(c->roving);
    free(c->holidays);
    free(c->workdays);
    memset(c, 0, sizeof *c);
}

static const struct cal_dated *find_dated(const struct cal_dated *list, int n, int d) {
    for (int i = 0; i < n; i++)
        if (list[i].date == d)
            return &list[i];
    return NULL;
}

static bool has_date(const int *list, int n, int d) {
    for (int i = 0; i < n; i++)
        if (list[i] == d)
            return true;
    return false;
}

static const struct cal_hours all_day = {0xfe, 1, {0}, {24 * 60}};

void calendar_day(const struct calendar *c, const char *office, int yyyymmdd, struct cal_day *out) {
    memset(out, 0, sizeof *out);
    out->name = out->name_en = "";
    if (!c || !c->hours.nperiods) { /* no calendar: never refuse anyone for it */
        out->open = true;
        out->hours = &all_day;
        return;
    }
    const struct cal_office *f = NULL;
    for (int i = 0; office && i < c->noffices; i++)
        if (!strcmp(c->offices[i].code, office))
            f = &c->offices[i];
    out->hours = f && f->has_hours ? &f->hours : &c->hours;
    const struct cal_dated *h = find_dated(c->holidays, c->nholidays, yyyymmdd);
    const struct cal_dated *w = find_dated(c->workdays, c->nworkdays, yyyymmdd);
    if (h || w) {
        out->name = h ? h->name : w->name;
        out->name_en = h ? h->name_en : w->name_en;
    }
    if (f && has_date(f->open, f->nopen, yyyymmdd)) {
        out->kind = CAL_SPECIAL;
        out->open = true;
    } else if (f && has_date(f->closed, f->nclosed, yyyymmdd)) {
        out->kind = CAL_SPECIAL;
        out->open = false;
    } else if (h) {
        out->kind = CAL_HOLIDAY;
        out->open = f && f->holiday_open;
    } else if (w) {
        out->kind = CAL_SWAPPED;
        out->open = true;
    } else {
        out->open = (out->hours->days >> caltime_weekday(yyyymmdd)) & 1;
        out->kind = out->open ? CAL_USUAL : CAL_WEEKEND;
    }
}

const struct cal_roving *calendar_roving(const struct calendar *c, const char *id) {
    for (int i = 0; c && id && i < c->nroving; i++)
        if (!strcmp(c->roving[i].id, id))
            return &c->roving[i];
    return NULL;
}

void calendar_roving_day(const struct cal_roving *p, int yyyymmdd, struct cal_day *out) {
    memset(out, 0, sizeof *out);
    out->name = p->name;
    out->name_en = p->name_en;
    out->kind = CAL_ROVING;
    out->hours = &p->hours;
    out->open = has_date(p->dates, p->ndates, yyyymmdd);
}

bool calendar_open(const struct calendar *c, const char *office, int yyyymmdd, int minute) {
    struct cal_day d;
    calendar_day(c, office, yyyymmdd, &d);
    if (!d.open || minute < 0)
        return d.open;
    for (int i = 0; i < d.hours->nperiods; i++)
        if (minute >= d.hours->from[i] && minute < d.hours->to[i])
            return true;
    return false;
}

int calendar_next_open(const struct calendar *c, const char *office, int yyyymmdd, int limit) {
    long n = caltime_day_number(yyyymmdd);
    for (int i = 1; i <= limit; i++) {
        int d = caltime_day_date(n + i);
        if (calendar_open(c, office, d, -1))
            return d;
    }
    return 0;
}

void calendar_hours_text(const struct cal_hours *h, const char *sep, char *out, size_t cap) {
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < h->nperiods && n < cap; i++) {
        int w = snprintf(out + n, cap - n, "%s%02d:%02d–%02d:%02d", i ? sep : "", h->from[i] / 60,
                         h->from[i] % 60, h->to[i] / 60, h->to[i] % 60);
        if (w < 0)
            break;
        n += (size_t)w;
    }
}
