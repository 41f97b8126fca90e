/* i18n: see i18n.h. Catalogs are parsed with inih. */
#include "i18n.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "file.h"

static int entry_cmp(const void *a, const void *b) {
    const struct i18n_entry *x = a, *y = b;
    return strcmp(x->key, y->key);
}

/* Catalog lines can be long (a consent text in one line): libinih's line buffer on the heap,
 * growing as needed, instead of its 200-byte default. */
static void ini_long_lines(void) {
    ini_use_stack = false;
    ini_allow_realloc = true;
    ini_max_line = 16384;
}

static int catalog_add(void *user, const char *section, const char *name, const char *value) {
    struct i18n_catalog *c = user;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct i18n_entry *e = realloc(c->entries, cap * sizeof *e);
        if (!e)
            return 0;
        c->entries = e;
        c->cap = cap;
    }
    size_t klen = strlen(section) + strlen(name) + 2;
    char *key = malloc(klen);
    char *val = strdup(value);
    if (!key || !val) {
        free(key);
        free(val);
        return 0;
    }
    snprintf(key, klen, "%s%s%s", section, section[0] ? "." : "", name);
    /* "\n" in a catalog value stands for a line break */
    char *r = val, *w = val;
    while (*r) {
        if (r[0] == '\\' && r[1] == 'n') {
            *w++ = '\n';
            r += 2;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
    c->entries[c->count].key = key;
    c->entries[c->count].value = val;
    c->count++;
    return 1;
}

static void catalog_free(struct i18n_catalog *c) {
    for (size_t i = 0; i < c->count; i++) {
        free(c->entries[i].key);
        free(c->entries[i].value);
    }
    free(c->entries);
    memset(c, 0, sizeof *c);
}

int i18n_load(struct i18n *t, const char *dir, const char *const *langs) {
    memset(t, 0, sizeof *t);
    for (; *langs && t->ncats < I18N_MAX_LANGS; langs++) {
        struct i18n_catalog *c = &t->cats[t->ncats];
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.ini", dir, *langs);
        snprintf(c->lang, sizeof c->lang, "%s", *langs);
        ini_long_lines();
        int rc = file_ini(path, I18N_FILE_MAX, catalog_add, c);
        if (rc != 0) {
            log_error("i18n", "cannot read catalog %s (%s %d)", path,
                      rc < 0 ? "open failed" : "error at line", rc);
            catalog_free(c);
            i18n_free(t);
            return -1;
        }
        qsort(c->entries, c->count, sizeof *c->entries, entry_cmp);
        t->ncats++;
    }
    return t->ncats ? 0 : -1;
}

int i18n_load_string(struct i18n *t, const char *lang, const char *ini_text) {
    if (t->ncats >= I18N_MAX_LANGS)
        return -1;
    struct i18n_catalog *c = &t->cats[t->ncats];
    snprintf(c->lang, sizeof c->lang, "%s", lang);
    ini_long_lines();
    if (ini_parse_string(ini_text, catalog_add, c) != 0) {
        catalog_free(c);
        return -1;
    }
    qsort(c->entries, c->count, sizeof *c->entries, entry_cmp);
    t->ncats++;
    return 0;
}

void i18n_free(struct i18n *t) {
    for (size_t i = 0; i < t->ncats; i++)
        catalog_free(&t->cats[i]);
    t->ncats = 0;
    t->current = 0;
}

int i18n_set_lang(struct i18n *t, const char *lang) {
    for (size_t i = 0; i < t->ncats; i++) {
        if (strcmp(t->cats[i].lang, lang) == 0) {
            t->current = i;
            return 0;
        }
    }
    log_warn("i18n", "unknown language %s", lang);
    return -1;
}

const char *i18n_lang(const struct i18n *t) {
    return t->ncats ? t->cats[t->current].lang : "";
}

static const char *catalog_find(const struct i18n_catalog *c, const char *key) {
    struct i18n_entry k = {(char *)key, NULL};
    const struct i18n_entry *e = bsearch(&k, c->entries, c->count, sizeof *e, entry_cmp);
    return e ? e->value : NULL;
}

const char *i18n_get(const struct i18n *t, const char *key) {
    if (!t->ncats)
        return key;
    const char *v = catalog_find(&t->cats[t->current], key);
    if (!v && t->current != 0)
        v = catalog_find(&t->cats[0], key);
    if (!v) {
        log_warn("i18n", "missing key %s in %s", key, t->cats[t->current].lang);
        return key;
    }
    return v;
}

const char *i18n_get_in(const struct i18n *t, const char *lang, const char *key) {
    for (size_t i = 0; i < t->ncats; i++)
        if (!strcmp(t->cats[i].lang, lang)) {
            const char *v = catalog_find(&t->cats[i], key);
            if (v)
                return v;
        }
    const char *v = t->ncats ? catalog_find(&t->cats[0], key) : NULL;
    if (!v)
        log_warn("i18n", "missing key %s in %s", key, lang);
    return v ? v : key;
}

char *i18n_format_int(const struct i18n *t, const char *key, long n, char *out, size_t size) {
    char num[24];
    snprintf(num, sizeof num, "%ld", n);
    const char *args[] = {"n", num, NULL};
    /* one of a thing: the language's KEY_one when it has one ("1 try left", not "1 tries") */
    char one[128];
    if (n == 1 && t->ncats && snprintf(one, sizeof one, "%s_one", key) < (int)sizeof one &&
        catalog_find(&t->cats[t->current], one))
        return i18n_format(t, one, args, out, size);
    return i18n_format(t, key, args, out, size);
}

char *i18n_format(const struct i18n *t, const char *key, const char *const *args, char *out,
                  size_t size) {
    const char *fmt = i18n_get(t, key);
    size_t o = 0;
    out[0] = 0;
    while (*fmt && o + 1 < size) {
        const char *close = *fmt == '{' ? strchr(fmt, '}') : NULL;
        const char *value = NULL;
        for (const char *const *a = args; close && a[0]; a += 2)
            if (strlen(a[0]) == (size_t)(close - fmt - 1) && !strncmp(fmt + 1, a[0], strlen(a[0])))
                value = a[1];
        if (value) {
            o += (size_t)snprintf(out + o, size - o, "%s", value);
            if (o >= size)
                o = size - 1;
            fmt = close + 1;
        } else {
            out[o++] = *fmt++;
            out[o] = 0;
        }
    }
    return out;
}
