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
