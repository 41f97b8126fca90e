/* caltime: see caltime.h. */
#include "caltime.h"

#include <string.h>

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
