/* office: see office.h. */
#include "office.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "caltime.h"
#include "i18n.h"

#define NEXT_DAYS_MAX 60

static const struct calendar *cal(const struct app *a) {
    return content_calendar(&a->content);
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
    calendar_day(cal(a), a->cfg.office_code, today, &s->today);
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
    s->next = calendar_next_open(cal(a), a->cfg.office_code, today, NEXT_DAYS_MAX);
    if (s->next)
        calendar_day(cal(a), a->cfg.office_code, s->next, &s->next_day);
}

/* "10月8日（星期四）" in the catalog's words */
static void day_text(struct app *a, int d, char *out, size_t cap) {
    char m[4], dd[4], wd[24];
    snprintf(m, sizeof m, "%d", d / 100 % 100);
    snprintf(dd, sizeof dd, "%d", d % 100);
    snprintf(wd, sizeof wd, "weekday.%d", caltime_weekday(d) % 7);
    const char *args[] = {"m", m, "d", dd, "w", i18n_get(a->i18n, wd), NULL};
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
