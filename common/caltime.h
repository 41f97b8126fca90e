/* caltime: calendar time for people, in the kiosk's local time zone (China Standard Time on
 * every kiosk; TZ decides). The one place that converts Unix seconds to dates and times of
 * day, so that every screen, receipt and tool shows the same day for the same second.
 * Thread-safe (localtime_r, strftime). */
#ifndef COMMON_CALTIME_H
#define COMMON_CALTIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Whether name is a time zone this machine knows: a tzdata name (Asia/Shanghai) with its file
 * under /usr/share/zoneinfo, or a POSIX TZ string with an offset (CST-8). */
int caltime_zone_known(const char *name);
/* Makes name the process's local time zone (TZ, for every later conversion). A tzdata name
 * whose file is missing falls back to its offset when it is China's (CST-8), else stays unset:
 * -1, with why. Call from the main thread before other threads start. */
int caltime_use_zone(const char *name, char *why, size_t cap);
/* The local broken-down time of t. 0, or -1 when t cannot be converted. */
int caltime_local(int64_t t, struct tm *out);
/* strftime of t's local time; out is "" (and 0 returned) when it does not fit or t cannot be
 * converted. fmt may come from a catalog: strftime bounds its output. */
size_t caltime_format(int64_t t, const char *fmt, char *out, size_t cap);
/* The local midnight that starts t's day. */
int64_t caltime_day_start(int64_t t);
/* t's local date as a number YYYYMMDD (20261201). */
int caltime_yyyymmdd(int64_t t);
/* "YYYY-MM-DDTHH:MM" in local time as Unix seconds. 0, or -1 when the text is not one. */
int caltime_parse_local(const char *text, int64_t *out);

/* Pure date arithmetic on yyyymmdd numbers (proleptic Gregorian, no time zone): the day number
 * (days since 1970-01-01) and back, and the weekday, 1 (Monday) to 7 (Sunday). A number that
 * is not a date is taken as
 * its month and day clamped by nothing: callers check dates first (rules_date_valid). */
long caltime_day_number(int yyyymmdd);
int caltime_day_date(long day);
int caltime_weekday(int yyyymmdd);

#endif
