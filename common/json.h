/* json: small helpers over cJSON shared by the kiosk, the registry and the tools.
 *
 * Getters return a default when a member is missing or of another type, so that a caller
 * reading an untrusted answer never dereferences what is not there. json_wipe_delete() is
 * for trees that held personal data (names, ID numbers, addresses): every string and key is
 * zeroed before the tree is freed, as cJSON_Delete alone leaves them in freed memory. */
#ifndef COMMON_JSON_H
#define COMMON_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* The string member key of o, or NULL. */
const char *json_str(const cJSON *o, const char *key);
/* The same, or def. */
const char *json_str_or(const cJSON *o, const char *key, const char *def);
/* A whole number member within [lo, hi]; def when missing, not a number, not whole or out of
 * range. */
int64_t json_int(const cJSON *o, const char *key, int64_t lo, int64_t hi, int64_t def);
/* A true/false member, or def. */
bool json_bool(const cJSON *o, const char *key, bool def);

/* Zeroes every string value and member name of the tree, then frees it. NULL is fine. */
void json_wipe_delete(cJSON *tree);
/* Parses text[0..len) as JSON when it is well-formed UTF-8 and no string holds an escaped NUL
 * (cJSON would cut the string there and keep the rest of the request), else NULL. Bytes from
 * outside (request bodies, answers, files) are parsed with this. */
cJSON *json_parse_strict(const char *text, size_t len);
/* Zeroes and frees a string that cJSON printed (NULL is fine). */
void json_wipe_free(char *text);

#endif
