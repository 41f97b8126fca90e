/* content: the one owner of what a content push replaces (DESIGN.md §1, §7): the catalogs
 * (i18n/), the joint form with its code tables (forms/joint.json, codes/codes.json) and the
 * service guide (guide/<lang>/, one Markdown file a topic), and the offices' calendar
 * (calendar/calendar.json: opening days and hours, holidays, 调休; calendar.h).
 *
 * Loading reads each file once. The kiosk loads its content at start, then swaps it whole for
 * an installed bundle between sessions (at home): the bundle is loaded completely first, and
 * only a bundle that loads replaces what is shown. The updater checks a bundle before its
 * switch with content_check(), through the same loader. Main thread only (content_check:
 * any thread; it shares nothing). */
#ifndef CONTENT_CONTENT_H
#define CONTENT_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "calendar.h"
#include "form.h"
#include "guide.h"
#include "i18n.h"

enum content_part {
    CONTENT_CATALOGS = 1,
    CONTENT_FORM = 2,
    CONTENT_GUIDE = 4,
    CONTENT_CALENDAR = 8,
    CONTENT_ALL = 15,
};

/* The languages of the catalogs and the guide, in order. */
#define CONTENT_LANGS 2
extern const char *const content_langs[CONTENT_LANGS + 1];

struct content {
    char dir[512];
    unsigned loaded;       /* the parts that loaded */
    struct i18n catalogs;  /* CONTENT_CATALOGS */
    struct form *form;     /* CONTENT_FORM; NULL when it did not load */
    struct guide guide[CONTENT_LANGS]; /* CONTENT_GUIDE, by content_langs */
    bool guide_ok[CONTENT_LANGS];
    struct calendar calendar; /* CONTENT_CALENDAR; empty (every day open) when it did not load */
};

/* Loads the parts of dir. A part in required that does not load fails the whole (-1, why
 * says which, nothing is kept); one only in parts is left empty and logged. 0 on success. */
int content_load(struct content *c, const char *dir, unsigned parts, unsigned required,
                 char *why, size_t cap);
void content_free(struct content *c);
/* Whether a bundle's directory loads as the kiosk would use it: all parts, every guide
 * language with at least one topic. 0, or -1 with why. */
int content_check(const char *dir, char *why, size_t cap);

/* Replaces the calendar with the file at path (the configuration's [paths] calendar). 0, or -1
 * with why (the calendar is then left as it was). */
int content_calendar_from(struct content *c, const char *path, char *why, size_t cap);
/* The calendar (an empty one, every day open, when it did not load). */
const struct calendar *content_calendar(const struct content *c);
/* The joint form (NULL when it did not load: the joint application is unavailable). */
const struct form *content_form(const struct content *c);
/* The guide of a language, or NULL when it is missing. */
const struct guide *content_guide(const struct content *c, const char *lang);

#endif
