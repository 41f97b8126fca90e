/* caltime: see caltime.h. */
#include "caltime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int caltime_zone_known(const char *name) {
    if (!name || !name[0] || strlen(name) > 64 || strstr(name, ".."))
        return 0;
    char path[128];
    struct stat st;
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
    if (name[0] != '/' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return 1;
    /* a POSIX string: letters of the zone's name, then its offset */
    size_t letters = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    return letters >= 3 && (name[letters] == '-' || name[letters] == '+' ||
                            (name[letters] >= '0' && name[letters] <= '9'));
}

int caltime_use_zone(const char *name, char *why, size_t cap) {
    const char *use = name;
    int rc = 0;
    if (!caltime_zone_known(name)) {
        if (name && (!strcmp(name, "Asia/Shanghai") || !strcmp(name, "PRC"))) {
            use = "CST-8"; /* no tzdata: China has kept UTC+8 without summer time since 1991 */
            snprintf(why, cap, "no time zone file for %s: using UTC+8 (CST-8)", name);
        } else {
            snprintf(why, cap, "unknown time zone %s", name ? name : "(none)");
            return -1;
        }
        rc = 1;
    }
    setenv("TZ", use, 1);
    tzset();
    return rc;
}

int caltime_local(int64_t t, struct tm *out) {
    time_t tt = (time_t)t;
    return localtime_r(&tt, out) ? 0 : -1;
}

size_t caltime_format(int64_t t, const char *fmt, char *out, size_t cap) {
    struct tm tm;
    if (cap == 0)
        return 0;
    out[0] = 0;
    if (caltime_local(t, &tm) != 0)
        return 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    size_t n = strftime(out, cap, fmt, &tm);
#pragma GCC diagnostic pop
    if (n == 0)
        out[0] = 0;
    return n;
}

int64_t caltime_day_start(int64_t t) {
    struct tm tm;
    if (caltime_local(t, &tm) != 0)
        return t;
    return t - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
}

int caltime_yyyymmdd(int64_t t) {
    struct tm tm;
    if (caltime_local(t, &tm) != 0)
        return 0;
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int caltime_parse_local(const char *text, int64_t *out) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(text, "%Y-%m-%dT%H:%M", &tm);
    if (!end || *end)
        return -1;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1)
        return -1;
    *out = (int64_t)t;
    return 0;
}

/* The civil-from-days and days-from-civil conversions (H. Hinnant's algorithms, in eras of 400
 * years so that every step is exact integer arithmetic). */
long caltime_day_number(int yyyymmdd) {
    long y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int caltime_day_date(long day) {
    day += 719468;
    long era = (day >= 0 ? day : day - 146096) / 146097;
    long doe = day - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    return (int)(y * 10000 + m * 100 + d);
}

int caltime_weekday(int yyyymmdd) {
    long n = caltime_day_number(yyyymmdd); /* 1970-01-01 was a Thursday (4) */
    long w = (n % 7 + 7) % 7;
    return (int)((w + 3) % 7 + 1);
}
