/* progress: 办理进度 (DESIGN.md §2.3). Steps, each with its id for scripts:
 *   progress         how to ask: an ID card on the reader, or a receipt's QR at the scanner
 *   progress.result  the records found, each with its status: the registry's when it answers,
 *                    else the kiosk's own, with a note that it may be out of date
 * The finding and asking is flows/progress.c; nothing personal is shown (record kinds, times,
 * queue numbers, statuses). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "caltime.h"
#include "progress.h"
#include "screens.h"

struct progress_screen {
    struct ui_layer layer;
    bool result;
    struct progress p;
};

static void progress_layout(struct app *a, void *st);

static void show(struct app *a, struct progress_screen *s) {
    s->result = true;
    progress_layout(a, s);
    ui_invalidate(a->ui);
    log_info("app", "screen progress.result (%d records)", s->p.n);
}

static void on_again(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct progress_screen *s = a->stack[a->depth - 1].st;
    memset(&s->p, 0, sizeof s->p);
    s->result = false;
    progress_layout(a, s);
    ui_invalidate(a->ui);
}

/* 完成: on to 好差评 (skipped with one touch there) */
static void on_finish(void *ctx, struct ui_widget *w) {
    (void)w;
    screen_rating_open(ctx, "progress");
}

static void progress_layout(struct app *a, void *st) {
    struct progress_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    ui_layer_clear(&s->layer);
    chrome_header_layout(a, &s->layer);
    if (s->result) {
        int bw = 480 * t->text_scale_pct / 100, bh = t->target_min * 3 / 2;
        ui_add_button(&s->layer, "again",
                      (struct ui_rect){UI_W / 2 - t->pad - bw, UI_H - 2 * t->pad - bh, bw, bh},
                      app_tr(a, "progress.again"), UI_STYLE_NORMAL, on_again, a);
        ui_add_button(&s->layer, "finish",
                      (struct ui_rect){UI_W / 2 + t->pad, UI_H - 2 * t->pad - bh, bw, bh},
                      app_tr(a, "progress.finish"), UI_STYLE_PRIMARY, on_finish, a);
    }
}

/* One record: when, what, its number and status; below, the office's reason when it gave one.
 * The height it took. */
static int item_line(struct app *a, const struct progress_item *it, const struct progress *p,
                     int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    char when[32], line[300];
    caltime_format(it->created, "%Y-%m-%d %H:%M", when, sizeof when);
    const char *kind =
        app_tr(a, !strcmp(it->kind, "checkin") ? "progress.kind_checkin" : "progress.kind_joint");
    snprintf(line, sizeof line, "%s  %s%s%s", when, kind, it->queue[0] ? "  " : "", it->queue);
    ui_text(a->ui, UI_FONT_HEADING, false, t->text, line, t->pad * 4, y, UI_LEFT, UI_TOP);
    const char *key = progress_status_key(p, it);
    int h = ui_line_height(a->ui, UI_FONT_HEADING) + t->pad;
    /* the status on the same line when both fit (关怀版's large text: on the next) */
    if (ui_text_width(a->ui, UI_FONT_HEADING, false, line) +
            ui_text_width(a->ui, UI_FONT_HEADING, true, app_tr(a, key)) + t->pad * 10 >
        UI_W) {
        y += h;
        h *= 2;
    }
    ui_text(a->ui, UI_FONT_HEADING, true,
            !strcmp(key, "progress.st_returned") || !strcmp(key, "progress.st_refused")
                ? t->danger
                : t->primary,
            app_tr(a, key), UI_W - t->pad * 4, y, UI_RIGHT, UI_TOP);
    if (it->reason[0]) {
        char why[400];
        const char *label = app_tr(a, "progress.reason"); /* 退回原因： / Reason given: */
        size_t n = strlen(label);
        snprintf(why, sizeof why, "%s%s%s", label, n && label[n - 1] == ':' ? " " : "",
                 it->reason);
        h += ui_text_box(a->ui, UI_FONT_BODY, false, t->danger, why,
                         (struct ui_rect){t->pad * 6, y + ui_line_height(a->ui, UI_FONT_HEADING) +
                                                          t->pad / 2,
                                          UI_W - t->pad * 10, 200},
                         UI_LEFT, UI_TOP) +
             t->pad;
    }
    return h;
}

static void progress_draw(struct app *a, void *st) {
    struct progress_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_tr(a, "progress.title"));
    int y = chrome_header_height(a) + t->pad * 3;
    if (!s->result) {
        ui_text(a->ui, UI_FONT_TITLE, true, t->text, app_tr(a, "progress.prompt"), UI_W / 2, y + 80,
                UI_CENTER, UI_TOP);
        ui_text_box(a->ui, UI_FONT_HEADING, false, t->muted, app_tr(a, "progress.prompt_qr"),
                    (struct ui_rect){t->pad * 4,
                                     y + 80 + ui_line_height(a->ui, UI_FONT_TITLE) + t->pad * 2,
                                     UI_W - t->pad * 8, 300},
                    UI_CENTER, UI_TOP);
    } else if (s->p.bad_token || s->p.n == 0) {
        ui_text_box(a->ui, UI_FONT_HEADING, false, t->text,
                    app_tr(a, s->p.bad_token ? "progress.bad_token" : "progress.none"),
                    (struct ui_rect){t->pad * 4, y + 60, UI_W - t->pad * 8, 300}, UI_CENTER,
                    UI_TOP);
    } else {
        const char *note = s->p.remote_ok                 ? "progress.from_registry"
                           : s->p.asked && !s->p.answered ? "progress.asking"
                                                          : "progress.local_only";
        y += ui_text_box(a->ui, UI_FONT_BODY, false, s->p.remote_ok ? t->muted : t->danger,
                         app_tr(a, note), (struct ui_rect){t->pad * 4, y, UI_W - t->pad * 8, 200},
                         UI_LEFT, UI_TOP) +
             t->pad;
        for (int i = 0; i < s->p.n; i++)
            y += item_line(a, &s->p.items[i], &s->p, y);
    }
    ui_layer_draw(a->ui, &s->layer);
}

static bool progress_event(struct app *a, void *st, const struct ui_event *ev) {
    struct progress_screen *s = st;
    if (ev->type == UI_EV_DEVICE) {
        const struct device_event *d = ev->device;
        if (d->kind == DEV_CARD_READ && a->card) {
            progress_by_card(a, a->card->id_number, &s->p);
            show(a, s);
        } else if (d->kind == DEV_SCAN && a->scan_code) {
            progress_by_token(a, a->scan_code, &s->p);
            show(a, s);
        } else if (d->kind == DEV_STATUS && s->result) {
            progress_answer(&s->p, d);
            ui_invalidate(a->ui);
        }
        return true;
    }
    return ui_layer_event(a->ui, &s->layer, ev, app_now(a));
}

static int progress_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    (void)a;
    return screen_one_layer(&((struct progress_screen *)st)->layer, out, max);
}

static const char *progress_step_id(struct app *a, void *st) {
    (void)a;
    return ((struct progress_screen *)st)->result ? "progress.result" : "progress";
}

static void progress_enter(struct app *a, void *st) {
    (void)st;
    app_say(a, "progress.prompt", NULL);
}

const struct screen_ops screen_progress = {
    .id = "progress",
    .state_size = sizeof(struct progress_screen),
    .citizen = true,
    .enter = progress_enter,
    .layout = progress_layout,
    .event = progress_event,
    .draw = progress_draw,
    .layers = progress_layers,
    .step_id = progress_step_id,
};
