/* content: see content.h. */
#include "content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "log.h"

const char *const content_langs[CONTENT_LANGS + 1] = {"zh-CN", "en", NULL};

#define CONTENT_FILE_MAX (1u << 20)

static int load_form(struct content *c, char *why, size_t cap) {
    char p1[700], p2[700], err[200] = "";
    snprintf(p1, sizeof p1, "%s/forms/joint.json", c->dir);
    snprintf(p2, sizeof p2, "%s/codes/codes.json", c->dir);
    char *fj = file_read(p1, CONTENT_FILE_MAX, NULL), *cj = file_read(p2, CONTENT_FILE_MAX, NULL);
    c->form = fj && cj ? form_load(fj, cj, err, sizeof err) : NULL;
    if (!c->form)
        snprintf(why, cap, "its joint form: %s",
                 fj && cj ? err : "forms/joint.json or codes/codes.json missing");
    free(fj);
    free(cj);
    return c->form ? 0 : -1;
}

static int load_guides(struct content *c, bool need_topics, char *why, size_t cap) {
    int rc = 0;
    for (int i = 0; i < CONTENT_LANGS; i++) {
        char dir[700];
        snprintf(dir, sizeof dir, "%s/guide/%s", c->dir, content_langs[i]);
        char err[300];
        c->guide_ok[i] = guide_load(&c->guide[i], dir, err, sizeof err) == 0;
        if (c->guide_ok[i] && (!need_topics || c->guide[i].ntopics > 0))
            continue;
        if (rc == 0)
            snprintf(why, cap, "its guide for %s cannot be read (%s)", content_langs[i], err);
        rc = -1;
    }
    return rc;
}

static int read_calendar(struct calendar *cal, const char *path, char *why, size_t cap) {
    char err[200];
    size_t len = 0;
    char *text = file_read(path, CALENDAR_FILE_MAX, &len);
    int rc = text ? calendar_parse(cal, text, len, err, sizeof err) : -1;
    if (rc != 0)
        snprintf(why, cap, "its calendar: %s", text ? err : "the calendar file is missing or over 256 KiB");
    free(text);
    return rc;
}

static int load_calendar(struct content *c, char *why, size_t cap) {
    char path[700];
    snprintf(path, sizeof path, "%s/calendar/calendar.json", c->dir);
    return read_calendar(&c->calendar, path, why, cap);
}

int content_calendar_from(struct content *c, const char *path, char *why, size_t cap) {
    struct calendar fresh;
    if (read_calendar(&fresh, path, why, cap) != 0)
        return -1;
    calendar_free(&c->calendar);
    c->calendar = fresh;
    c->loaded |= CONTENT_CALENDAR;
    return 0;
}

int content_load(struct content *c, const char *dir, unsigned parts, unsigned required,
                 char *why, size_t cap) {
    memset(c, 0, sizeof *c);
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    parts |= required;
    char part_why[300] = "";
    if (parts & CONTENT_CATALOGS) {
        char path[700];
        snprintf(path, sizeof path, "%s/i18n", dir);
        if (i18n_load(&c->catalogs, path, content_langs) == 0)
            c->loaded |= CONTENT_CATALOGS;
        else
            snprintf(part_why, sizeof part_why, "its catalogs (i18n/) cannot be read");
    }
    if ((parts & CONTENT_FORM) && load_form(c, part_why, sizeof part_why) == 0)
        c->loaded |= CONTENT_FORM;
    if ((parts & CONTENT_GUIDE) &&
        load_guides(c, (required & CONTENT_GUIDE) != 0, part_why, sizeof part_why) == 0)
        c->loaded |= CONTENT_GUIDE;
    if ((parts & CONTENT_CALENDAR) && load_calendar(c, part_why, sizeof part_why) == 0)
        c->loaded |= CONTENT_CALENDAR;
    if ((c->loaded & required) != required) {
        snprintf(why, cap, "%s", part_why);
        content_free(c);
        return -1;
    }
    if ((c->loaded & parts) != parts)
        log_warn("content", "%s: %s; the kiosk goes on without it", dir, part_why);
    return 0;
}

void content_free(struct content *c) {
    if (c->loaded & CONTENT_CATALOGS)
        i18n_free(&c->catalogs);
    form_free(c->form);
    calendar_free(&c->calendar);
    for (int i = 0; i < CONTENT_LANGS; i++)
        if (c->guide_ok[i])
            guide_free(&c->guide[i]);
    memset(c, 0, sizeof *c);
}

int content_check(const char *dir, char *why, size_t cap) {
    struct content c;
    if (content_load(&c, dir, CONTENT_ALL, CONTENT_ALL, why, cap) != 0)
        return -1;
    content_free(&c);
    return 0;
}

const struct calendar *content_calendar(const struct content *c) {
    return &c->calendar;
}

const struct form *content_form(const struct content *c) {
    return c->form;
}

const struct guide *content_guide(const struct content *c, const char *lang) {
    for (int i = 0; i < CONTENT_LANGS; i++)
        if (!strcmp(content_langs[i], lang))
            return c->guide_ok[i] ? &c->guide[i] : NULL;
    return NULL;
}
