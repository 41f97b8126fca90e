/* card: what a device just delivered on the home screen — an ID card read (shown masked) or
 * a booking code scanned. The services that use them (预约签到, 婚育户一件事) will take over
 * from here when they land; until then the citizen sees that the kiosk read it and where to
 * go. Nothing unmasked is ever drawn, and everything is in the session arena. */
#include <stdio.h>

#include "mask.h"
#include "screens.h"

struct card_screen {
    struct ui_layer layer;
    bool scan;
};

static void on_home(void *ctx, struct ui_widget *w) {
    (void)w;
    app_go_home(ctx);
}

static void card_enter(struct app *a, void *st) {
    struct card_screen *c = st;
    c->scan = a->device_view == 1;
}

static void card_layout(struct app *a, void *st) {
    struct card_screen *c = st;
    const struct ui_theme *t = ui_theme(a->ui);
    ui_layer_clear(&c->layer);
    chrome_header_layout(a, &c->layer);
    int bw = 520 * t->text_scale_pct / 100;
    ui_add_button(&c->layer, "back_home",
                  (struct ui_rect){(UI_W - bw) / 2, UI_H - 2 * t->pad - t->target_min * 3 / 2, bw,
                                   t->target_min * 3 / 2},
                  app_tr(a, "common.home"), UI_STYLE_PRIMARY, on_home, a);
}

static void card_draw(struct app *a, void *st) {
    struct card_screen *c = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_tr(a, c->scan ? "card.scan_title" : "card.title"));
    int y = chrome_header_height(a) + t->pad * 3;
    int lh = ui_line_height(a->ui, UI_FONT_TITLE) + t->pad;
    ui_set_personal(a->ui, true);
    if (c->scan && a->scan_code) {
        ui_text(a->ui, UI_FONT_TITLE, true, t->text, a->scan_code, UI_W / 2, y, UI_CENTER, UI_TOP);
        y += lh;
    } else if (!c->scan && a->card) {
        char name[96], id[32];
        mask_name(a->card->name, name, sizeof name);
        mask_id_number(a->card->id_number, id, sizeof id);
        ui_text(a->ui, UI_FONT_TITLE, true, t->text, name, UI_W / 2, y, UI_CENTER, UI_TOP);
        y += lh;
        ui_text(a->ui, UI_FONT_TITLE, false, t->text, id, UI_W / 2, y, UI_CENTER, UI_TOP);
        y += lh;
    }
    ui_set_personal(a->ui, false);
    ui_text_box(a->ui, UI_FONT_HEADING, false, t->muted,
                app_tr(a, c->scan ? "card.scan_message" : "card.message"),
                (struct ui_rect){t->pad * 4, y + t->pad, UI_W - t->pad * 8, 300}, UI_CENTER,
                UI_TOP);
    ui_layer_draw(a->ui, &c->layer);
}

static bool card_event(struct app *a, void *st, const struct ui_event *ev) {
    struct card_screen *c = st;
    if (ev->type == UI_EV_DEVICE) {
        const struct device_event *d = ev->device;
        if (d->kind == DEV_CARD_READ || d->kind == DEV_SCAN) {
            c->scan = d->kind == DEV_SCAN; /* a newer card or code replaces what is shown */
            ui_invalidate(a->ui);
        }
        return true;
    }
    return ui_layer_event(a->ui, &c->layer, ev, app_now(a));
}

static int card_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    (void)a;
    return screen_one_layer(&((struct card_screen *)st)->layer, out, max);
}

const struct screen_ops screen_card = {
    .id = "card",
    .state_size = sizeof(struct card_screen),
    .citizen = true,
    .enter = card_enter,
    .layout = card_layout,
    .event = card_event,
    .draw = card_draw,
    .layers = card_layers,
};
