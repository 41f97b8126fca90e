/* unavailable: a service this kiosk does not offer yet, or cannot offer now because a device
 * it needs is missing (the card reader). Says so plainly, points to the window, and returns
 * home by itself after a short countdown (or at once on the button). */
#include <stdio.h>

#include "screens.h"

#define UNAVAILABLE_MS 15000

struct unavailable {
    struct ui_layer layer;
    const char *service_key;
    int64_t entered_ms;
    int shown_seconds;
};

static void on_home(void *ctx, struct ui_widget *w) {
    (void)w;
    app_go_home(ctx);
}

static void un_enter(struct app *a, void *st) {
    struct unavailable *u = st;
    u->service_key = a->unavailable_key ? a->unavailable_key : "app.title";
    u->entered_ms = app_now(a);
}

static void un_layout(struct app *a, void *st) {
    struct unavailable *u = st;
    const struct ui_theme *t = ui_theme(a->ui);
    ui_layer_clear(&u->layer);
    chrome_header_layout(a, &u->layer);
    int bw = 520 * t->text_scale_pct / 100;
    struct ui_widget *b =
        ui_add_button(&u->layer, "back_home",
                      (struct ui_rect){(UI_W - bw) / 2, chrome_bottom_row_top(a), bw,
                                       chrome_bottom_row_height(a)},
                      app_tr(a, "unavailable.button"), UI_STYLE_PRIMARY, on_home, a);
    if (b)
        b->flags |= UI_F_BOLD;
}

static int seconds_left(struct app *a, struct unavailable *u) {
    int64_t left = u->entered_ms + UNAVAILABLE_MS - app_now(a);
    return left > 0 ? (int)((left + 999) / 1000) : 0;
}

static void un_draw(struct app *a, void *st) {
    struct unavailable *u = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_tr(a, u->service_key));
    /* top down, but the countdown never lower than just above the button (关怀版) */
    int btn_top = chrome_bottom_row_top(a);
    int count_y = btn_top - t->pad - ui_line_height(a->ui, UI_FONT_BODY);
    bool large = t->text_scale_pct > 100;
    int y = chrome_header_height(a) + t->pad * (large ? 2 : 4);
    bool device = a->unavailable_device;
    ui_text(a->ui, UI_FONT_TITLE, true, t->text,
            app_tr(a, device ? "unavailable.device_title" : "unavailable.title"), UI_W / 2, y,
            UI_CENTER, UI_TOP);
    y += ui_line_height(a->ui, UI_FONT_TITLE) + t->pad * (large ? 1 : 2);
    const char *message = app_tr(a, device ? "unavailable.device_message" : "unavailable.message");
    struct ui_rect box = {t->pad * 4, y, UI_W - t->pad * 8, count_y - t->pad - y};
    y += ui_text_box(a->ui, ui_fit_font(a->ui, UI_FONT_HEADING, false, message, box.w, box.h),
                     false, t->text, message, box, UI_CENTER, UI_TOP);
    char msg[160];
    u->shown_seconds = seconds_left(a, u);
    i18n_format_int(a->i18n, "unavailable.countdown", u->shown_seconds, msg, sizeof msg);
    int cy = y + t->pad * 2 < count_y ? y + t->pad * 2 : count_y;
    ui_text(a->ui, UI_FONT_BODY, false, t->muted, msg, UI_W / 2, cy, UI_CENTER, UI_TOP);
    ui_layer_draw(a->ui, &u->layer);
}

static bool un_event(struct app *a, void *st, const struct ui_event *ev) {
    struct unavailable *u = st;
    return ui_layer_event(a->ui, &u->layer, ev, app_now(a));
}

static int64_t un_next_change(struct app *a, void *st, int64_t now_ms) {
    (void)a;
    struct unavailable *u = st;
    int64_t left = u->entered_ms + UNAVAILABLE_MS - now_ms;
    if (left <= 0)
        return 0;
    int64_t r = left % 1000;
    return r ? r : 1000;
}

static void un_tick(struct app *a, void *st, int64_t now_ms) {
    struct unavailable *u = st;
    if (now_ms >= u->entered_ms + UNAVAILABLE_MS) {
        app_go_home(a); /* the countdown is over; u is gone after this */
        return;
    }
    if (seconds_left(a, u) != u->shown_seconds)
        ui_invalidate(a->ui);
}

static int un_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    (void)a;
    return screen_one_layer(&((struct unavailable *)st)->layer, out, max);
}

const struct screen_ops screen_unavailable = {
    .id = "unavailable",
    .state_size = sizeof(struct unavailable),
    .citizen = true,
    .enter = un_enter,
    .layout = un_layout,
    .event = un_event,
    .draw = un_draw,
    .next_change = un_next_change,
    .tick = un_tick,
    .layers = un_layers,
};
