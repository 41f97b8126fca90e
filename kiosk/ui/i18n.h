/* i18n: the message catalogs of assets/i18n/ (zh-CN first, en second), switchable at any moment.
 *
 * A catalog is an INI file: "[home]\ncheckin = 预约签到" defines the key "home.checkin".
 * i18n_get() never returns NULL: a missing key returns the key itself, logged once, so a
 * gap in a catalog shows up on screen instead of crashing. Strings stay valid until the
 * catalogs are reloaded (a content push between sessions). Main thread only. */
#ifndef UI_I18N_H
#define UI_I18N_H

#include <stddef.h>

#define I18N_MAX_LANGS 4
#define I18N_FILE_MAX (256 << 10) /* a catalog file: over it the catalog (and its bundle) is refused */

struct i18n_entry {
    char *key;
    char *value;
};

struct i18n_catalog {
    char lang[16];
    struct i18n_entry *entries; /* sorted by key */
    size_t count, cap;
};

struct i18n {
    struct i18n_catalog cats[I18N_MAX_LANGS];
    size_t ncats;
    size_t current;
};

/* Loads <dir>/<lang>.ini for each language in langs (NULL-terminated); the first one is the
 * default. Returns 0, or -1 when a catalog cannot be read (logged). */
int i18n_load(struct i18n *t, const char *dir, const char *const *langs);
/* Loads one catalog for lang from INI text held in memory (the kiosk's built-in emergency
 * catalog, used when the files are missing). Returns 0 or -1. */
int i18n_load_string(struct i18n *t, const char *lang, const char *ini_text);
void i18n_free(struct i18n *t);
/* Switches the current language; returns -1 (and keeps the current one) for an unknown one. */
int i18n_set_lang(struct i18n *t, const char *lang);
const char *i18n_lang(const struct i18n *t);
/* The text for key in the current language, falling back to the default language, then key. */
const char *i18n_get(const struct i18n *t, const char *key);
/* The text for key in lang (a receipt's Chinese and English lines, whatever is on screen),
 * falling back as i18n_get() does. */
const char *i18n_get_in(const struct i18n *t, const char *lang, const char *key);
/* i18n_get() with "{n}" replaced by n, written to out; returns out. For n == 1 the current
 * language's KEY_one when it has that key (English singulars). */
char *i18n_format_int(const struct i18n *t, const char *key, long n, char *out, size_t size);
/* i18n_get() with each "{name}" of args (name, value pairs, NULL-terminated) replaced. A
 * value cut at size is cut at a byte: keep out large enough for whole characters. */
char *i18n_format(const struct i18n *t, const char *key, const char *const *args, char *out,
                  size_t size);

#endif
