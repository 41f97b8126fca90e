/* json: see json.h. */
#include "json.h"
#include "utf8.h"

#include <math.h>
#include <string.h> /* memmem (_GNU_SOURCE is the build's) */
#include <stddef.h>
#include <stdlib.h>

const char *json_str(const cJSON *o, const char *key) {
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

const char *json_str_or(const cJSON *o, const char *key, const char *def) {
    const char *s = json_str(o, key);
    return s ? s : def;
}

int64_t json_int(const cJSON *o, const char *key, int64_t lo, int64_t hi, int64_t def) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v))
        return def;
    double d = v->valuedouble;
    /* compared as doubles first: a cast of a double beyond int64 is undefined */
    if (!isfinite(d) || d != floor(d) || d < (double)lo || d > (double)hi)
        return def;
    return (int64_t)d;
}

bool json_bool(const cJSON *o, const char *key, bool def) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

static void wipe(cJSON *t) {
    for (; t; t = t->next) {
        if (t->string)
            explicit_bzero(t->string, strlen(t->string));
        if (t->valuestring)
            explicit_bzero(t->valuestring, strlen(t->valuestring));
        wipe(t->child);
    }
}

void json_wipe_delete(cJSON *tree) {
    if (!tree)
        return;
    /* the root's siblings are not its own: only its children are walked with it */
    if (tree->string)
        explicit_bzero(tree->string, strlen(tree->string));
    if (tree->valuestring)
        explicit_bzero(tree->valuestring, strlen(tree->valuestring));
    wipe(tree->child);
    cJSON_Delete(tree);
}

void json_wipe_free(char *text) {
    if (!text)
        return;
    explicit_bzero(text, strlen(text));
    free(text);
}

cJSON *json_parse_strict(const char *text, size_t len) {
    if (!text || !utf8_valid(text, len))
        return NULL;
    /* "\u0000" where the backslash starts an escape (an even run of backslashes before it) */
    for (const char *u = text; (u = memmem(u, len - (size_t)(u - text), "\\u0000", 6)); u++) {
        size_t run = 0;
        while (u - run > text && u[-1 - (ptrdiff_t)run] == '\\')
            run++;
        if (run % 2 == 0)
            return NULL;
    }
    return cJSON_ParseWithLength(text, len);
}
