/* num: bounded parsing of numbers from text (arguments, query strings, files, headers).
 *
 * Replaces atoi/atol/atoll, which take "12abc" for 12, "" for 0 and overflow silently: here
 * the whole text must be a decimal number (an optional sign, digits, nothing after) within
 * [lo, hi], else -1 is returned and *out is left as it was, so a caller can keep a default. */
#ifndef COMMON_NUM_H
#define COMMON_NUM_H

#include <stdint.h>

int num_i64(const char *text, int64_t lo, int64_t hi, int64_t *out);
int num_int(const char *text, int lo, int hi, int *out);
int num_long(const char *text, long lo, long hi, long *out);
/* The value, or def when text is NULL or not a number within [lo, hi]. */
int64_t num_i64_or(const char *text, int64_t lo, int64_t hi, int64_t def);

#endif
