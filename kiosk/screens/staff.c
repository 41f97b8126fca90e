/* staff: the hidden staff entry (a long press on home's top-left corner). Until admin mode
 * lands with its login, it shows the devices' state and prints a test receipt; it holds no
 * personal data. */
#include <stdio.h>
#include <string.h>

#include "screens.h"

struct staff {
    struct ui_layer layer;
};

static void on_print(void *ctx, struct ui_widget *w) {
    (void)w;
    app_print_test(ctx);
}

static void staff_layout(struct app *a, void *st) {
    struct staff *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    ui_layer_clear(&s->layer);
    chrome_header_layout(a, &s->layer);
    int bw = 520 * t->text_scale_pct / 100;
    struct ui_widget *b =
        ui_add_button(&s->layer, "print_test",
                      (struct ui_rect){t->pad * 2, UI_H - 2 * t->pad - t->target_min * 3 / 2, bw,
                                       t->target_min * 3 / 2},
                      app_tr(a, "staff.print_test"), UI_STYLE_PRIMARY, on_print, a);
    if (b && a->printer_state < 0)
        b->flags |= UI_F_DISABLED;
}

static const char *reader_key(int s) {
    return s < 0 ? "staff.none" : s == 1 ? "staff.ok" : "staff.unreachable";
}

static const char *printer_key(int s) {
    return s < 0 ? "staff.none" : s == 0 ? "staff.ok" : s == 1 ? "staff.problem" : "staff.unknown";
}

/* What a sync failure means, in words staff can act on; the technical text follows it. */
static const char *sync_reason_key(const char *text) {
    if (strstr(text, "certificate expired"))
        return "sync.reason_expired";
    if (strstr(text, "pinned") || strstr(text, "SSL certificate problem"))
        return "sync.reason_identity";
    if (strstr(text, "certificate"))
        return "sync.reason_refused";
    return "sync.reason_unreachable";
}

static void staff_draw(struct app *a, void *st) {
    struct staff *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_tr(a, "staff.title"));
    int x = t->pad * 2, y = chrome_header_height(a) + t->pad * 2;
    int lh = ui_line_height(a->ui, UI_FONT_HEADING) + t->pad;
    char line[1024];
    snprintf(line, sizeof line, "%s：%s", app_tr(a, "staff.reader"),
             app_tr(a, reader_key(a->reader_state)));
    ui_text(a->ui, UI_FONT_HEADING, false, t->text, line, x, y, UI_LEFT, UI_TOP);
    y += lh;
    snprintf(line, sizeof line, "%s：%s%s%s", app_tr(a, "staff.printer"),
             app_tr(a, printer_key(a->printer_state)), a->printer_text[0] ? " — " : "",
             a->printer_state >= 0 ? a->printer_text : "");
    ui_text(a->ui, UI_FONT_HEADING, false, t->text, line, x, y, UI_LEFT, UI_TOP);
    y += lh;
    snprintf(line, sizeof line, "%s：%s", app_tr(a, "staff.scanner"),
             app_tr(a, a->cfg.scanner[0] ? "staff.configured" : "staff.none"));
    ui_text(a->ui, UI_FONT_HEADING, false, t->text, line, x, y, UI_LEFT, UI_TOP);
    y += lh;
    snprintf(line, sizeof line, "%s：%s%s%s", app_tr(a, "staff.sync"),
             app_tr(a, a->sync_state < 0    ? "staff.none"
                       : a->sync_state == 1 ? "staff.ok"
                                            : "staff.unreachable"),
             a->sync_state == 0 ? " — " : "",
             a->sync_state == 0 ? app_tr(a, sync_reason_key(a->sync_text)) : "");
    ui_text_box(a->ui, UI_FONT_HEADING, false, t->text, line,
                (struct ui_rect){x, y, UI_W - 2 * x, lh * 2}, UI_LEFT, UI_TOP);
    y += ui_text_box_height(a->ui, UI_FONT_HEADING, false, line, UI_W - 2 * x);
    if (a->sync_state == 0 && a->sync_text[0]) {
        y += ui_text_box(a->ui, UI_FONT_SMALL, false, t->muted, a->sync_text,
                         (struct ui_rect){x, y, UI_W - 2 * x, lh * 2}, UI_LEFT, UI_TOP);
    }
    y += lh;
    if (a->lock_pending) {
        ui_text(a->ui, UI_FONT_HEADING, true, t->danger, app_tr(a, "staff.lock_pending"), x, y,
                UI_LEFT, UI_TOP);
        y += lh;
    }
    if (a->print_result >= 0)
        ui_text(a->ui, UI_FONT_HEADING, true, a->print_result ? t->text : t->danger,
                app_tr(a, a->print_result ? "staff.printed" : "staff.not_printed"), x, y, UI_LEFT,
                UI_TOP);
    ui_layer_draw(a->ui, &s->layer);
}

static bool staff_event(struct app *a, void *st, const struct ui_event *ev) {
    struct staff *s = st;
    if (ev->type == UI_EV_DEVICE) {
        staff_layout(a, s); /* the printer may have come or gone */
        return true;
    }
    return ui_layer_event(a->ui, &s->layer, ev, app_now(a));
}

static void staff_enter(struct app *a, void *st) {
    (void)st;
    a->print_result = -1;
}

static int staff_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    (void)a;
    return screen_one_layer(&((struct staff *)st)->layer, out, max);
}

const struct screen_ops screen_staff = {
    .id = "staff",
    .state_size = sizeof(struct staff),
    .citizen = true,
    .enter = staff_enter,
    .layout = staff_layout,
    .event = staff_event,
    .draw = staff_draw,
    .layers = staff_layers,
};
