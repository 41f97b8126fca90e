/* script: see script.h. */
#include "script.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caltime.h"
#include "log.h"
#include "simctl.h"
#include "ui.h"

static const struct {
    const char *name;
    enum script_op op;
    bool needs_arg;
} ops[] = {
    {"tap", SCRIPT_TAP, true},
    {"hold", SCRIPT_HOLD, true},
    {"type", SCRIPT_TYPE, true},
    {"card", SCRIPT_CARD, true},
    {"scan", SCRIPT_SCAN, true},
    {"expect", SCRIPT_EXPECT, true},
    {"expect-not", SCRIPT_EXPECT_NOT, true},
    {"expect-screen", SCRIPT_EXPECT_SCREEN, true},
    {"wait-screen", SCRIPT_WAIT_SCREEN, true},
    {"wait", SCRIPT_WAIT_TEXT, true},
    {"wait-log", SCRIPT_WAIT_LOG, true},
    {"shot", SCRIPT_SHOT, true},
    {"idle", SCRIPT_IDLE, true},
    {"clock", SCRIPT_CLOCK, true},
    {"expect-wiped", SCRIPT_EXPECT_WIPED, false},
    {"layout-check", SCRIPT_LAYOUT_CHECK, false},
    {"press", SCRIPT_PRESS, true},
    {"count", SCRIPT_COUNT, true},
};

/* TEXT in one of the kiosk's latest log lines (what another thread did: an install). */
static bool log_seen(const char *text) {
    char lines[32][LOG_RECENT_LEN];
    int n = log_recent(lines, 32);
    for (int i = 0; i < n; i++)
        if (strstr(lines[i], text))
            return true;
    return false;
}

static int parse_num(const char *s, int64_t min, int64_t max, int64_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Splits "ARG NUMBER" at the last space when the tail is a number. */
static int split_trailing_number(char *arg, int64_t min, int64_t max, int64_t *num) {
    char *sp = strrchr(arg, ' ');
    if (!sp || parse_num(sp + 1, min, max, num) != 0)
        return -1;
    *sp = 0;
    return 0;
}

int script_parse_line(const char *line, struct script_cmd *out, char *err, size_t errsize) {
    while (*line == ' ' || *line == '\t')
        line++;
    size_t len = strcspn(line, "\r\n");
    if (len == 0 || line[0] == '#')
        return 0;
    size_t wl = strcspn(line, " \t\r\n");
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (strlen(ops[i].name) != wl || strncmp(line, ops[i].name, wl) != 0)
            continue;
        out->op = ops[i].op;
        const char *arg = line + wl;
        while (*arg == ' ' || *arg == '\t')
            arg++;
        size_t al = strcspn(arg, "\r\n");
        while (al > 0 && (arg[al - 1] == ' ' || arg[al - 1] == '\t'))
            al--;
        if (al >= sizeof out->arg) {
            snprintf(err, errsize, "%s: argument too long", ops[i].name);
            return -1;
        }
        memcpy(out->arg, arg, al);
        out->arg[al] = 0;
        if (ops[i].needs_arg && al == 0) {
            snprintf(err, errsize, "%s needs an argument", ops[i].name);
            return -1;
        }
        switch (out->op) {
        case SCRIPT_HOLD:
            if (split_trailing_number(out->arg, 1, 600000, &out->num) != 0) {
                snprintf(err, errsize, "hold needs a target and a time in ms");
                return -1;
            }
            break;
        case SCRIPT_WAIT_SCREEN:
            out->num = 5000;
            if (strchr(out->arg, ' ') &&
                split_trailing_number(out->arg, 1, 600000, &out->num) != 0) {
                snprintf(err, errsize, "wait-screen ID [MS]: bad time");
                return -1;
            }
            break;
        case SCRIPT_WAIT_TEXT:
        case SCRIPT_WAIT_LOG:
            /* a trailing number is the time; the text itself may hold spaces */
            out->num = 5000;
            if (strchr(out->arg, ' '))
                split_trailing_number(out->arg, 1, 600000, &out->num);
            break;
        case SCRIPT_IDLE:
            if (parse_num(out->arg, 0, 86400, &out->num) != 0) {
                snprintf(err, errsize, "idle needs whole seconds (0 to 86400)");
                return -1;
            }
            break;
        case SCRIPT_CLOCK: {
            if (caltime_parse_local(out->arg, &out->num) != 0) {
                snprintf(err, errsize, "clock needs YYYY-MM-DDTHH:MM");
                return -1;
            }
            break;
        }
        default:
            break;
        }
        return 1;
    }
    snprintf(err, errsize, "unknown command '%.*s'", (int)wl, line);
    return -1;
}

int script_load(struct script *s, const char *path) {
    snprintf(s->path, sizeof s->path, "%s", path);
    s->cmds = NULL;
    s->n = s->pc = 0;
    s->phase = 0;
    s->error[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(s->error, sizeof s->error, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0;
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        struct script_cmd c;
        char err[256];
        int rc = script_parse_line(line, &c, err, sizeof err);
        if (rc < 0) {
            snprintf(s->error, sizeof s->error, "%s:%d: %s", path, lineno, err);
            fclose(f);
            script_free(s);
            return -1;
        }
        if (rc == 0)
            continue;
        c.line = lineno;
        if (s->n == cap) {
            cap = cap ? cap * 2 : 32;
            struct script_cmd *p = realloc(s->cmds, cap * sizeof *p);
            if (!p) {
                fclose(f);
                script_free(s);
                snprintf(s->error, sizeof s->error, "%s: out of memory", path);
                return -1;
            }
            s->cmds = p;
        }
        s->cmds[s->n++] = c;
    }
    fclose(f);
    return 0;
}

void script_free(struct script *s) {
    free(s->cmds);
    s->cmds = NULL;
    s->n = 0;
}

static enum script_status fail(struct script *s, const struct script_cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum script_status fail(struct script *s, const struct script_cmd *c, const char *fmt, ...) {
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(s->error, sizeof s->error, "%s:%d: %s", s->path, c->line, what);
    return SCRIPT_FAILED;
}

static void center(const struct ui_widget *w, int *x, int *y) {
    *x = w->r.x + w->r.w / 2;
    *y = w->r.y + w->r.h / 2;
}

/* Script time passes in small steps so that timers fire in order, as they would. */
static void pass_time(struct script *s, int64_t ms) {
    while (ms > 0) {
        int64_t step = ms < 250 ? ms : 250;
        clock_manual_advance(s->clock, step);
        app_tick(s->app);
        ms -= step;
    }
}

/* The layout check of the screen showing, in every language and theme (app_layout_check):
 * each problem logged, the script failed when there is one. The frame is drawn again as it
 * was, so that what the script expects next is what shows. */
static enum script_status layout_check(struct script *s, const struct script_cmd *c) {
    static char problems[64][240];
    int n = app_layout_check(s->app, problems, 64);
    for (int i = 0; i < n && i < 64; i++)
        log_error("layout", "%s: %s", app_screen_id(s->app), problems[i]);
    ui_begin_frame(s->app->ui);
    app_draw(s->app);
    ui_end_frame(s->app->ui);
    if (n)
        return fail(s, c, "layout-check: %d problem(s) on screen %s (logged above)", n,
                    app_screen_id(s->app));
    return SCRIPT_NEXT;
}

/* A shot is a screen worth looking at: its layout is checked too (KIOSK_LAYOUT_CHECK=0 skips
 * that, to take shots of a screen known to be wrong). */
static enum script_status save_shot_timed(struct script *s, const struct script_cmd *c);

/* A shot takes no script time: the real time its drawing and layout check took (a second or
 * more on a loaded machine) is taken back from the script's clock, so that a countdown reads
 * the same however busy the machine is. (Nothing reads the clock meanwhile but the drawing:
 * no tick runs.) */
static enum script_status save_shot(struct script *s, const struct script_cmd *c) {
    int64_t t0 = clock_mono_ms(s->real);
    enum script_status st = save_shot_timed(s, c);
    int64_t spent = clock_mono_ms(s->real) - t0;
    clock_manual_take_back(s->clock, spent);
    return st;
}

static enum script_status save_shot_timed(struct script *s, const struct script_cmd *c) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.png", s->shot_dir ? s->shot_dir : ".", c->arg);
    struct ui *ui = s->app->ui;
    ui_begin_frame(ui);
    app_draw(s->app);
    int rc = ui_save_png(ui, path);
    ui_end_frame(ui);
    if (rc != 0)
        return fail(s, c, "shot: cannot write %s", path);
    log_info("script", "shot %s.png", c->arg); /* the name only: the directory varies */
    const char *check = getenv("KIOSK_LAYOUT_CHECK");
    if (!check || strcmp(check, "0") != 0)
        return layout_check(s, c);
    return SCRIPT_NEXT;
}

/* The waits: SCRIPT_NEXT once met, SCRIPT_WAITING until c->num ms of real time have
 * passed, then SCRIPT_FAILED. */
static enum script_status wait_for(struct script *s, const struct script_cmd *c, bool met) {
    if (met) {
        s->phase = 0;
        return SCRIPT_NEXT;
    }
    if (s->phase == 0) {
        s->phase = 1;
        s->deadline = clock_mono_ms(s->real) + c->num;
    } else if (clock_mono_ms(s->real) > s->deadline) {
        s->phase = 0;
        return SCRIPT_FAILED;
    }
    return SCRIPT_WAITING;
}

/* While counting: the screen shown now, when it was not seen before. */
static void note_screen(struct script *s) {
    if (!s->counting)
        return;
    const char *id = app_screen_id(s->app);
    for (int i = 0; i < s->nseen; i++)
        if (!strcmp(s->seen[i], id))
            return;
    if (s->nseen < (int)(sizeof s->seen / sizeof s->seen[0])) {
        s->seen_touches[s->nseen] = 0;
        snprintf(s->seen[s->nseen++], sizeof s->seen[0], "%s", id);
    }
}

/* A touch while counting, on the screen shown when it is made. */
static void touched(struct script *s) {
    if (!s->counting)
        return;
    s->touches++;
    note_screen(s);
    const char *id = app_screen_id(s->app);
    for (int i = 0; i < s->nseen; i++)
        if (!strcmp(s->seen[i], id))
            s->seen_touches[i]++;
}

static enum script_status count(struct script *s, const struct script_cmd *c) {
    if (!strcmp(c->arg, "start")) {
        s->counting = true;
        s->touches = 0;
        /* the screen it starts from is where the count begins, not one of its screens */
        snprintf(s->seen[0], sizeof s->seen[0], "%s", app_screen_id(s->app));
        s->seen_touches[0] = 0;
        s->nseen = 1;
        return SCRIPT_NEXT;
    }
    if (strcmp(c->arg, "stop") != 0)
        return fail(s, c, "count: start or stop, not %s", c->arg);
    char ids[64 * 97] = "";
    size_t n = 0;
    /* the first touch, on the screen it started from, opened the flow */
    for (int i = 0; i < s->nseen && n < sizeof ids; i++)
        n += (size_t)snprintf(ids + n, sizeof ids - n, " %s(%d)", s->seen[i], s->seen_touches[i]);
    log_info("script", "count: %d touches, %d screens:%s", s->touches, s->nseen - 1, ids);
    s->counting = false;
    return SCRIPT_NEXT;
}

enum script_status script_step(struct script *s) {
    if (s->pc >= s->n)
        return SCRIPT_DONE;
    const struct script_cmd *c = &s->cmds[s->pc];
    struct app *a = s->app;
    struct ui_widget *w;
    int x, y;
    enum script_status st = SCRIPT_NEXT;

    switch (c->op) {
    case SCRIPT_TAP:
        w = app_find_widget(a, c->arg);
        if (!w)
            return fail(s, c, "tap %s: no such widget on screen %s", c->arg, app_screen_id(a));
        if (w->flags & UI_F_DISABLED)
            return fail(s, c, "tap %s: the widget is disabled on screen %s", c->arg,
                        app_screen_id(a));
        center(w, &x, &y);
        touched(s); /* on the screen it was made on, before it changes */
        ui_inject_tap(a->ui, x, y, true, true);
        break;
    case SCRIPT_PRESS: {
        /* one key a step, so that each tap is handled before the next */
        char id[16];
        snprintf(id, sizeof id, "@key_%c", c->arg[s->phase]);
        w = app_find_widget(a, id);
        if (!w)
            return fail(s, c, "press %s: no key %c on screen %s", c->arg, c->arg[s->phase],
                        app_screen_id(a));
        center(w, &x, &y);
        touched(s);
        ui_inject_tap(a->ui, x, y, true, true);
        if (c->arg[++s->phase]) {
            note_screen(s);
            return SCRIPT_NEXT;
        }
        s->phase = 0;
        break;
    }
    case SCRIPT_COUNT:
        st = count(s, c);
        break;
    case SCRIPT_HOLD:
        if (s->phase == 0) {
            w = app_find_widget(a, c->arg);
            if (!w)
                return fail(s, c, "hold %s: no such widget on screen %s", c->arg, app_screen_id(a));
            center(w, &s->hold_x, &s->hold_y);
            ui_inject_tap(a->ui, s->hold_x, s->hold_y, true, false);
            s->phase = 1;
            return SCRIPT_NEXT; /* let the press arrive first */
        }
        pass_time(s, c->num);
        ui_inject_tap(a->ui, s->hold_x, s->hold_y, false, true);
        s->phase = 0;
        touched(s);
        break;
    case SCRIPT_TYPE: {
        struct ui_event ev = {.type = UI_EV_TEXT};
        snprintf(ev.text, sizeof ev.text, "%s", c->arg);
        app_event(a, &ev);
        break;
    }
    case SCRIPT_CARD:
    case SCRIPT_SCAN: {
        const char *sock = c->op == SCRIPT_CARD ? a->cfg.idcard_control : a->cfg.scanner_control;
        if (!sock[0])
            return fail(s, c,
                        "%s: no simulator control socket in the configuration ([devices] "
                        "%s_control)",
                        c->op == SCRIPT_CARD ? "card" : "scan",
                        c->op == SCRIPT_CARD ? "idcard" : "scanner");
        char line[600], reply[300];
        if (c->op == SCRIPT_SCAN)
            snprintf(line, sizeof line, "scan %s", c->arg);
        else if (!strcmp(c->arg, "none"))
            snprintf(line, sizeof line, "remove");
        else
            snprintf(line, sizeof line, "insert %s", c->arg);
        if (simctl_send(sock, line, reply, sizeof reply, 3000) != 0)
            return fail(s, c, "%s: %s", c->op == SCRIPT_CARD ? "card" : "scan", reply);
        break;
    }
    case SCRIPT_WAIT_TEXT:
        st = wait_for(s, c, ui_text_visible(a->ui, c->arg));
        if (st == SCRIPT_FAILED)
            return fail(s, c, "wait %s: not visible on screen %s in time", c->arg,
                        app_screen_id(a));
        if (st == SCRIPT_WAITING)
            return st;
        break;
    case SCRIPT_WAIT_LOG:
        st = wait_for(s, c, log_seen(c->arg));
        if (st == SCRIPT_FAILED)
            return fail(s, c, "wait-log %s: not logged in time", c->arg);
        if (st == SCRIPT_WAITING)
            return st;
        break;
    case SCRIPT_EXPECT: /* a text drawn, or @ID: a widget shown */
        if (c->arg[0] == '@' ? !app_find_widget(a, c->arg) : !ui_text_visible(a->ui, c->arg))
            return fail(s, c, "expect %s: not visible on screen %s", c->arg, app_screen_id(a));
        break;
    case SCRIPT_EXPECT_NOT:
        if (c->arg[0] == '@' ? app_find_widget(a, c->arg) != NULL : ui_text_visible(a->ui, c->arg))
            return fail(s, c, "expect-not %s: visible on screen %s", c->arg, app_screen_id(a));
        break;
    case SCRIPT_LAYOUT_CHECK:
        st = layout_check(s, c);
        break;
    case SCRIPT_EXPECT_WIPED: {
        size_t nonzero = 0;
        for (size_t i = 0; i < a->session.cap; i++)
            nonzero += a->session.buf[i] != 0;
        if (nonzero || a->session.used)
            return fail(s, c,
                        "expect-wiped: %zu bytes of the session arena are not zero (%zu used)",
                        nonzero, a->session.used);
        break;
    }
    case SCRIPT_EXPECT_SCREEN:
        if (!app_screen_is(a, c->arg))
            return fail(s, c, "expect-screen %s: the screen is %s", c->arg, app_screen_id(a));
        break;
    case SCRIPT_WAIT_SCREEN:
        st = wait_for(s, c, app_screen_is(a, c->arg));
        if (st == SCRIPT_FAILED)
            return fail(s, c, "wait-screen %s: still on screen %s", c->arg, app_screen_id(a));
        if (st == SCRIPT_WAITING)
            return st;
        break;
    case SCRIPT_SHOT:
        st = save_shot(s, c);
        break;
    case SCRIPT_IDLE:
        pass_time(s, c->num * 1000);
        break;
    case SCRIPT_CLOCK:
        clock_manual_pin_wall(s->clock, c->num);
        app_tick(a);
        ui_invalidate(a->ui);
        break;
    }
    if (st == SCRIPT_NEXT) {
        s->pc++;
        note_screen(s);
    }
    return st;
}
