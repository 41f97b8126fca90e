/* office: see office.h. */
#include "office.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "bus.h"
#include "json.h"
#include "caltime.h"
#include "i18n.h"

#define NEXT_DAYS_MAX 60

static const struct calendar *cal(const struct app *a) {
    return content_calendar(&a->content);
}

const struct cal_roving *office_roving(const struct app *a) {
    const struct cal_roving *p = a->roving_point[0] ? calendar_roving(cal(a), a->roving_point) : NULL;
    return p && !strcmp(p->office, a->cfg.office_code) ? p : NULL;
}

/* The day where the kiosk stands: at its roving point when it is at one, else the office's. */
static void day_here(const struct app *a, int yyyymmdd, struct cal_day *out) {
    const struct cal_roving *p = office_roving(a);
    if (p)
        calendar_roving_day(p, yyyymmdd, out);
    else
        calendar_day(cal(a), a->cfg.office_code, yyyymmdd, out);
}

/* The next day open here after yyyymmdd within limit days, or 0. */
static int next_open_here(const struct app *a, int yyyymmdd, int limit) {
    long n = caltime_day_number(yyyymmdd);
    for (int i = 1; i <= limit; i++) {
        struct cal_day d;
        day_here(a, caltime_day_date(n + i), &d);
        if (d.open)
            return caltime_day_date(n + i);
    }
    return 0;
}

bool office_open_on(int yyyymmdd, void *ctx) {
    const struct app *a = ctx;
    return calendar_open(cal(a), a->cfg.office_code, yyyymmdd, -1);
}

void office_status(struct app *a, struct office_status *s) {
    memset(s, 0, sizeof *s);
    int64_t t = clock_wall_s(a->clock);
    struct tm tm;
    caltime_local(t, &tm);
    int today = caltime_yyyymmdd(t), minute = tm.tm_hour * 60 + tm.tm_min;
    day_here(a, today, &s->today);
    s->now = OFFICE_CLOSED;
    if (s->today.open) {
        for (int i = 0; i < s->today.hours->nperiods; i++) {
            if (minute >= s->today.hours->from[i] && minute < s->today.hours->to[i]) {
                s->now = OFFICE_OPEN;
                return;
            }
            if (minute < s->today.hours->from[i]) {
                s->now = OFFICE_LATER;
                s->at = s->today.hours->from[i];
                return;
            }
        }
    }
    s->next = next_open_here(a, today, NEXT_DAYS_MAX);
    if (s->next)
        day_here(a, s->next, &s->next_day);
}

/* "10月8日（星期四）" in the catalog's words */
static void day_text(struct app *a, int d, char *out, size_t cap) {
    char m[4], dd[4], wd[24];
    snprintf(m, sizeof m, "%d", d / 100 % 100);
    snprintf(dd, sizeof dd, "%d", d % 100);
    snprintf(wd, sizeof wd, "weekday.%d", caltime_weekday(d) % 7);
    char mk[16];
    snprintf(mk, sizeof mk, "month.%d", d / 100 % 100);
    const char *args[] = {"m", m, "d", dd, "w", i18n_get(a->i18n, wd), "M", i18n_get(a->i18n, mk),
                          NULL};
    i18n_format(a->i18n, "office.day", args, out, cap);
}

void office_status_text(struct app *a, const struct office_status *s, char *out, size_t cap) {
    bool en = !strcmp(i18n_lang(a->i18n), "en");
    const char *name = en ? s->today.name_en : s->today.name;
    char hours[96] = "", next[64] = "", next_hours[96] = "", at[24] = "";
    const char *sep = en ? ", " : "、";
    calendar_hours_text(s->today.hours, sep, hours, sizeof hours);
    if (s->next) {
        day_text(a, s->next, next, sizeof next);
        calendar_hours_text(s->next_day.hours, sep, next_hours, sizeof next_hours);
    }
    snprintf(at, sizeof at, "%02d:%02d", s->at / 60, s->at % 60);
    const char *args[] = {"h", name, "t", hours, "n", next, "nt", next_hours, "a", at, NULL};
    const char *key = NULL;
    const struct cal_roving *p = office_roving(a);
    if (p) { /* at a roving point: where it is, always said */
        const char *pargs[] = {"p", en ? p->name_en : p->name, "pl", en ? p->place_en : p->place,
                               "t", hours, "n", next, "nt", next_hours, "a", at, NULL};
        key = s->now == OFFICE_OPEN    ? "office.roving_open"
              : s->now == OFFICE_LATER ? "office.roving_later"
              : s->next                ? "office.roving_closed"
                                       : "office.roving_no_next";
        i18n_format(a->i18n, key, pargs, out, cap);
        return;
    }
    if (s->now == OFFICE_CLOSED && !s->today.open)
        key = !s->next ? "office.closed_no_next" : name[0] ? "office.closed_holiday" : "office.closed";
    else if (s->now == OFFICE_CLOSED)
        key = s->next ? "office.over" : "office.over_no_next";
    else if (s->now == OFFICE_LATER)
        key = "office.later";
    else if (s->today.kind == CAL_HOLIDAY)
        key = "office.holiday_open";
    else if (s->today.kind == CAL_SWAPPED)
        key = "office.swapped";
    if (!key) {
        out[0] = 0;
        return;
    }
    i18n_format(a->i18n, key, args, out, cap);
}

/* The usual days as text: "星期一至星期五" / "Monday to Friday", or a list. */
static void days_text(struct app *a, unsigned days, char *out, size_t cap) {
    int first = 0, last = 0, n = 0;
    for (int d = 1; d <= 7; d++)
        if ((days >> d) & 1) {
            if (!first)
                first = d;
            last = d;
            n++;
        }
    char k1[16], k2[16];
    snprintf(k1, sizeof k1, "weekday.%d", first % 7);
    snprintf(k2, sizeof k2, "weekday.%d", last % 7);
    if (n && n == last - first + 1 && n > 2) {
        const char *args[] = {"a", i18n_get(a->i18n, k1), "b", i18n_get(a->i18n, k2), NULL};
        i18n_format(a->i18n, "office.day_range", args, out, cap);
        return;
    }
    size_t len = 0;
    out[0] = 0;
    for (int d = 1; d <= 7 && len < cap; d++)
        if ((days >> d) & 1) {
            char k[16];
            snprintf(k, sizeof k, "weekday.%d", d % 7);
            bool en = !strcmp(i18n_lang(a->i18n), "en");
            int w = snprintf(out + len, cap - len, "%s%s", len ? (en ? ", " : "、") : "",
                             i18n_get(a->i18n, k));
            if (w < 0)
                break;
            len += (size_t)w;
        }
}

struct blocks {
    struct guide_block *b;
    size_t n, cap;
};

static int add_block(struct blocks *bs, enum guide_block_kind kind, int level, const char *text) {
    if (bs->n == bs->cap) {
        size_t cap = bs->cap ? bs->cap * 2 : 16;
        struct guide_block *nb = realloc(bs->b, cap * sizeof *nb);
        if (!nb)
            return -1;
        bs->b = nb;
        bs->cap = cap;
    }
    char *t = strdup(text);
    if (!t)
        return -1;
    bs->b[bs->n++] = (struct guide_block){kind, level, 0, t};
    return 0;
}

#define GUIDE_COMING_MAX 10

/* The office's blocks in place of the marker. */
static int office_blocks(struct app *a, struct blocks *bs) {
    bool en = !strcmp(i18n_lang(a->i18n), "en");
    const char *sep = en ? ", " : "、";
    const struct calendar *c = cal(a);
    int today = caltime_yyyymmdd(clock_wall_s(a->clock));
    struct cal_day d;
    calendar_day(c, a->cfg.office_code, today, &d);
    const struct cal_office *f = NULL;
    for (int i = 0; i < c->noffices; i++)
        if (!strcmp(c->offices[i].code, a->cfg.office_code))
            f = &c->offices[i];
    char days[160], hours[96], line[600];
    /* the usual hours, public holidays, where 涉外 and 涉港澳台 go; then the coming days */
    int rc = 0;
    if (c->hours.nperiods) {
        days_text(a, d.hours->days, days, sizeof days);
        calendar_hours_text(d.hours, sep, hours, sizeof hours);
        const char *args[] = {"d", days, "t", hours, NULL};
        i18n_format(a->i18n, "office.guide_hours", args, line, sizeof line);
        rc |= add_block(bs, GUIDE_ITEM, 1, line);
        rc |= add_block(bs, GUIDE_ITEM, 1,
                        i18n_get(a->i18n, f && f->holiday_open ? "office.guide_holiday_open"
                                                               : "office.guide_holiday_closed"));
    }
    const char *where = a->cfg.designated_office[0] ? a->cfg.designated_office
                                                    : i18n_get(a->i18n, "checkin.designated_default");
    const char *args3[] = {"p", where, NULL};
    const char *key = a->cfg.designated_foreign && a->cfg.designated_hkmt ? "office.guide_both"
                      : a->cfg.designated_hkmt    ? "office.guide_hkmt_only"
                      : a->cfg.designated_foreign ? "office.guide_foreign_only"
                                                  : "office.guide_neither";
    i18n_format(a->i18n, key, args3, line, sizeof line);
    rc |= add_block(bs, GUIDE_ITEM, 1, line);
    if (c->hours.nperiods) {
        /* the coming days that are not as usual */
        int shown = 0;
        long n0 = caltime_day_number(today);
        for (int i = 0; i < 60 && shown < GUIDE_COMING_MAX; i++) {
            int day = caltime_day_date(n0 + i);
            struct cal_day cd;
            calendar_day(c, a->cfg.office_code, day, &cd);
            if (cd.kind == CAL_USUAL || cd.kind == CAL_WEEKEND)
                continue;
            if (!shown++)
                rc |= add_block(bs, GUIDE_HEADING, 2, i18n_get(a->i18n, "office.guide_coming"));
            char dt[64], ht[96];
            day_text(a, day, dt, sizeof dt);
            calendar_hours_text(cd.hours, sep, ht, sizeof ht);
            const char *args2[] = {"n", dt, "h", en ? cd.name_en : cd.name, "t", ht, NULL};
            i18n_format(a->i18n, cd.open ? "office.guide_day_open" : "office.guide_day_closed",
                        args2, line, sizeof line);
            rc |= add_block(bs, GUIDE_ITEM, 1, line);
        }
    }
    /* the office's roving points and their coming dates (at most 3 each) */
    int shown_points = 0;
    for (int i = 0; i < c->nroving; i++) {
        const struct cal_roving *p = &c->roving[i];
        if (strcmp(p->office, a->cfg.office_code) != 0)
            continue;
        if (!shown_points++)
            rc |= add_block(bs, GUIDE_HEADING, 2, i18n_get(a->i18n, "office.guide_roving"));
        char dates[300] = "", ht[96];
        size_t len = 0;
        int n = 0;
        for (int k = 0; k < p->ndates && n < 3; k++) {
            if (p->dates[k] < today)
                continue;
            char dt[64];
            day_text(a, p->dates[k], dt, sizeof dt);
            int w = snprintf(dates + len, sizeof dates - len, "%s%s", n ? sep : "", dt);
            if (w < 0 || (size_t)w >= sizeof dates - len)
                break;
            len += (size_t)w;
            n++;
        }
        calendar_hours_text(&p->hours, sep, ht, sizeof ht);
        if (n) {
            size_t l2 = strlen(dates);
            snprintf(dates + l2, sizeof dates - l2, " %s", ht);
        } else {
            snprintf(dates, sizeof dates, "%s", i18n_get(a->i18n, "office.guide_roving_none"));
        }
        const char *args4[] = {"p", en ? p->name_en : p->name, "pl", en ? p->place_en : p->place,
                               "d", dates, NULL};
        i18n_format(a->i18n, "office.guide_roving_point", args4, line, sizeof line);
        rc |= add_block(bs, GUIDE_ITEM, 1, line);
    }
    return rc ? -1 : 0;
}

int office_guide(struct app *a, const struct guide *src, struct guide *out) {
    memset(out, 0, sizeof *out);
    out->topics = calloc(src->ntopics ? src->ntopics : 1, sizeof *out->topics);
    if (!out->topics)
        return -1;
    for (size_t i = 0; i < src->ntopics; i++) {
        const struct guide_topic *st = &src->topics[i];
        struct guide_topic *t = &out->topics[out->ntopics++];
        struct blocks bs = {0};
        int rc = (t->title = strdup(st->title ? st->title : "")) ? 0 : -1;
        for (size_t j = 0; rc == 0 && j < st->nblocks; j++) {
            const struct guide_block *b = &st->blocks[j];
            if (b->kind == GUIDE_PARAGRAPH && !strcmp(b->text, OFFICE_GUIDE_MARKER)) {
                rc = office_blocks(a, &bs);
            } else {
                rc = add_block(&bs, b->kind, b->level, b->text);
                if (rc == 0)
                    bs.b[bs.n - 1].number = b->number;
            }
        }
        t->blocks = bs.b;
        t->nblocks = bs.n;
        if (rc != 0) {
            guide_free(out);
            return -1;
        }
    }
    return 0;
}

bool office_queue_ask(struct app *a, const char *record_id) {
    if (!a->workers_running || !a->cfg.registry[0] || !record_id[0])
        return false;
    workers_status_query(&a->workers, record_id);
    return true;
}

bool office_queue_answer(const struct device_event *ev, const char *record_id, int *ahead,
                         int *wait_min) {
    if (!ev->ok)
        return false;
    cJSON *o = cJSON_Parse(ev->text);
    const cJSON *s;
    bool found = false;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(o, "statuses")) {
        const cJSON *q = cJSON_GetObjectItem(s, "queue");
        if (!q || strcmp(json_str_or(s, "id", ""), record_id) != 0)
            continue;
        *ahead = (int)json_int(q, "ahead", 0, 100000, 0);
        *wait_min = (int)json_int(q, "wait_min", 0, 100000, 0);
        found = true;
    }
    cJSON_Delete(o);
    return found;
}
