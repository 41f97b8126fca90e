/* display: the waiting room's screen ([kiosk] role = display), in place of home. The office's
 * name and clock, the number called last and its window in the largest type (readable from
 * 10 m), and the calls before it; each call arrives through the registry's push channel and is
 * spoken (app_call). While the registry cannot be reached it says 叫号暂停 instead of showing
 * numbers that may be stale. The staff corner is there as on home. Nothing personal: numbers
 * and windows only. */
#include <stdio.h>
#include <string.h>

#include "caltime.h"
#include "screens.h"

struct display {
    struct ui_layer layer;
    int64_t shown_minute;
};

static void display_layout(struct app *a, void *st) {
    struct ui_layer *l = &((struct display *)st)->layer;
    ui_layer_clear(l);
    chrome_staff_corner(a, l, chrome_header_height(a));
}

static void display_draw(struct app *a, void *st) {
    struct display *d = st;
    const struct ui_theme *t = ui_theme(a->ui);
    int64_t now = clock_wall_s(a->clock);
    d->shown_minute = now / 60;
    char hm[16];
    caltime_format(now, "%H:%M", hm, sizeof hm);
    chrome_header_draw(a, app_office_name(a));
    ui_text(a->ui, UI_FONT_TITLE, true, t->header_text, hm, UI_W - t->pad, t->pad, UI_RIGHT,
            UI_TOP);
    int top = chrome_header_height(a) + t->pad * 2;
    if (a->sync_state == 0) { /* the registry cannot be reached: no numbers that may be stale */
        ui_text(a->ui, UI_FONT_HUGE, true, t->danger, app_tr(a, "display.paused"), UI_W / 2,
                UI_H / 2 - 60, UI_CENTER, UI_MIDDLE);
        ui_text_box(a->ui, UI_FONT_HEADING, false, t->muted, app_tr(a, "display.paused_note"),
                    (struct ui_rect){t->pad * 4, UI_H / 2 + 60, UI_W - t->pad * 8, 200}, UI_CENTER,
                    UI_TOP);
        return;
    }
    if (!a->ncalls) {
        ui_text(a->ui, UI_FONT_TITLE, true, t->muted, app_tr(a, "display.waiting"), UI_W / 2,
                UI_H / 2, UI_CENTER, UI_MIDDLE);
        return;
    }
    /* the last call: its number and window, as large as the screen allows */
    const struct app_call *c = &a->calls[0];
    ui_text(a->ui, UI_FONT_HEADING, true, t->muted, app_tr(a, "display.now"), t->pad * 4, top,
            UI_LEFT, UI_TOP);
    top += ui_line_height(a->ui, UI_FONT_HEADING);
    ui_text(a->ui, UI_FONT_HUGE, true, t->primary, c->number, t->pad * 4, top, UI_LEFT, UI_TOP);
    char where[160];
    const char *args[] = {"w", c->window, NULL};
    i18n_format(a->i18n, "display.to_window", args, where, sizeof where);
    ui_text(a->ui, UI_FONT_HUGE, true, t->text, where, UI_W - t->pad * 4, top, UI_RIGHT, UI_TOP);
    top += ui_line_height(a->ui, UI_FONT_HUGE) + t->pad * 2;
    /* the calls before it */
    ui_fill(a->ui, (struct ui_rect){t->pad * 4, top, UI_W - t->pad * 8, t->border}, t->border_color);
    top += t->pad;
    ui_text(a->ui, UI_FONT_HEADING, true, t->muted, app_tr(a, "display.before"), t->pad * 4, top,
            UI_LEFT, UI_TOP);
    top += ui_line_height(a->ui, UI_FONT_HEADING);
    int row = ui_line_height(a->ui, UI_FONT_TITLE) + t->pad / 2;
    for (int i = 1; i < a->ncalls && top + row < UI_H - t->pad; i++, top += row) {
        char w[160];
        const char *wa[] = {"w", a->calls[i].window, NULL};
        i18n_format(a->i18n, "display.to_window", wa, w, sizeof w);
        ui_text(a->ui, UI_FONT_TITLE, true, t->text, a->calls[i].number, t->pad * 4, top, UI_LEFT,
                UI_TOP);
        ui_text(a->ui, UI_FONT_TITLE, false, t->text, w, UI_W - t->pad * 4, top, UI_RIGHT, UI_TOP);
    }
    ui_layer_draw(a->ui, &d->layer);
}

static bool display_event(struct app *a, void *st, const struct ui_event *ev) {
    struct display *d = st;
    if (ev->type == UI_EV_DEVICE)
        return true; /* a display reads no cards; calls come as commands (app_call) */
    return ui_layer_event(a->ui, &d->layer, ev, app_now(a));
}

static int64_t display_next_change(struct app *a, void *st, int64_t now_ms) {
    (void)st;
    (void)now_ms;
    return (60 - clock_wall_s(a->clock) % 60) * 1000; /* the clock shows minutes */
}

static void display_tick(struct app *a, void *st, int64_t now_ms) {
    (void)now_ms;
    if (clock_wall_s(a->clock) / 60 != ((struct display *)st)->shown_minute)
        ui_invalidate(a->ui);
}

static int display_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    (void)a;
    return screen_one_layer(&((struct display *)st)->layer, out, max);
}

const struct screen_ops screen_display = {
    .id = "display",
    .state_size = sizeof(struct display),
    .citizen = false,
    .layout = display_layout,
    .event = display_event,
    .draw = display_draw,
    .next_change = display_next_change,
    .tick = display_tick,
    .layers = display_layers,
};
