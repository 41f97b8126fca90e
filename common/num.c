/* num: see num.h. */
#include "num.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

int num_i64(const char *text, int64_t lo, int64_t hi, int64_t *out) {
    if (!text || !*text)
        return -1;
    /* strtoll skips leading white space; a number here has none */
    if (!((*text >= '0' && *text <= '9') || *text == '-' || *text == '+'))
        return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != 0 || v < lo || v > hi)
        return -1;
    *out = (int64_t)v;
    return 0;
}

int num_int(const char *text, int lo, int hi, int *out) {
    int64_t v;
    if (num_i64(text, lo, hi, &v) != 0)
        return -1;
    *out = (int)v;
    return 0;
}

int num_long(const char *text, long lo, long hi, long *out) {
    int64_t v;
    if (num_i64(text, lo, hi, &v) != 0)
        return -1;
    *out = (long)v;
    return 0;
}

int64_t num_i64_or(const char *text, int64_t lo, int64_t hi, int64_t def) {
    int64_t v;
    return num_i64(text, lo, hi, &v) == 0 ? v : def;
}
