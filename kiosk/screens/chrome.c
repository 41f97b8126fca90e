/* chrome: the header bar shared by the screens after home. */
#include <string.h>

#include "keyboard.h"
#include "screens.h"

int screen_one_layer(struct ui_layer *l, struct ui_layer **out, int max) {
    if (max < 1)
        return 0;
    out[0] = l;
    return 1;
}

int screen_layers_kb(struct app *a, struct ui_layer *own, bool keyboard, struct ui_layer **out,
                     int max) {
    int n = 0;
    if (keyboard && n < max)
        out[n++] = &a->kb.layer; /* topmost: it covers the screen's lower part */
    if (n < max)
        out[n++] = own;
    return n;
}

enum kb_result screen_keyboard_event(struct app *a, const struct ui_event *ev) {
    enum kb_result r = kb_event(&a->kb, a->ui, ev, app_now(a));
    if (r == KB_CHANGED)
        ui_invalidate(a->ui);
    return r;
}

void countdown_start(struct countdown *c, struct app *a, int seconds) {
    c->at_ms = app_now(a) + seconds * 1000;
    c->shown = seconds;
}

int64_t countdown_next_change(const struct countdown *c, int64_t now_ms) {
    int64_t left = c->at_ms - now_ms;
    if (left <= 0)
        return 0;
    return left % 1000 ? left % 1000 : 1000;
}

bool countdown_tick(struct countdown *c, struct app *a, int64_t now_ms) {
    int64_t left = c->at_ms - now_ms;
    if (left <= 0)
        return true;
    int secs = (int)((left + 999) / 1000);
    if (secs != c->shown) {
        c->shown = secs;
        ui_invalidate(a->ui);
    }
    return false;
}

int chrome_bottom_row_height(struct app *a) {
    return ui_theme(a->ui)->target_min * 3 / 2;
}

int chrome_bottom_row_top(struct app *a) {
    return UI_H - 2 * ui_theme(a->ui)->pad - chrome_bottom_row_height(a);
}

int chrome_header_height(struct app *a) {
    const struct ui_theme *t = ui_theme(a->ui);
    int h = ui_line_height(a->ui, UI_FONT_TITLE) + t->pad * 2;
    int b = t->target_min + t->pad;
    return h > b ? h : b;
}

/* Mid-form both ask first: 返回首页 would wipe what the citizen gave, and the language
 * button sits next to it (a slip should not cost five minutes of typing). */
static void on_home(void *ctx, struct ui_widget *w) {
    (void)w;
    app_confirm(ctx, "confirm.home_title", "confirm.home_message", "confirm.home_yes",
                app_go_home);
}

static void on_language(void *ctx, struct ui_widget *w) {
    (void)w;
    app_confirm(ctx, "confirm.lang_title", "confirm.lang_message", "confirm.lang_yes",
                app_toggle_language);
}

struct ui_widget *chrome_header_button(struct app *a, struct ui_layer *l, const char *id,
                                       const char *label, ui_tap_fn fn) {
    const struct ui_theme *t = ui_theme(a->ui);
    int hh = chrome_header_height(a);
    /* right to left: each button goes left of the header buttons already there */
    int right = UI_W - t->pad;
    for (int i = 0; i < l->n; i++) {
        if (l->w[i].style == UI_STYLE_HEADER && l->w[i].r.x - t->pad / 2 < right)
            right = l->w[i].r.x - t->pad / 2;
    }
    int bw = ui_text_width(a->ui, UI_FONT_BUTTON, true, label) + 2 * t->pad;
    if (bw < 2 * t->target_min)
        bw = 2 * t->target_min;
    struct ui_widget *b = ui_add_button(
        l, id, (struct ui_rect){right - bw, (hh - t->target_min) / 2, bw, t->target_min}, label,
        UI_STYLE_HEADER, fn, a);
    if (b)
        b->flags |= UI_F_BOLD;
    return b;
}

static void on_call_staff(void *ctx, struct ui_widget *w) {
    (void)w;
    app_call_staff(ctx);
}

/* Whether l is a layer of a citizen's screen (admin mode runs the idle timer too, but staff
 * need not call staff). */
static bool citizen_layer(struct app *a, const struct ui_layer *l) {
    for (int i = 0; i < a->depth; i++) {
        const char *st = a->stack[i].st;
        if ((const char *)l >= st && (const char *)l < st + a->stack[i].ops->state_size)
            return a->stack[i].ops->citizen && strcmp(a->stack[i].ops->id, "admin") != 0;
    }
    return false;
}

/* Where the header's buttons begin, as the last header laid out (the top screen's, laid out
 * last) left them: the title keeps to the left of it. */
static int header_buttons_x = UI_W;

static void on_staff(void *ctx, struct ui_widget *w) {
    (void)w;
    app_push(ctx, &screen_admin);
}

void chrome_staff_corner(struct app *a, struct ui_layer *l, int height) {
    struct ui_widget *staff = ui_add(l, UI_HOTSPOT, "staff", (struct ui_rect){0, 0, 240, height}, "");
    if (staff) {
        staff->hold_ms = a->cfg.staff_hold_ms;
        staff->on_tap = on_staff;
        staff->ctx = a;
    }
}

void chrome_header_layout(struct app *a, struct ui_layer *l) {
    chrome_header_button(a, l, "home", app_tr(a, "common.home"), on_home);
    chrome_header_button(a, l, "lang", app_tr(a, "home.switch_lang"), on_language);
    struct ui_widget *b = NULL;
    if (citizen_layer(a, l))
        b = chrome_header_button(a, l, "call_staff", app_tr(a, "callstaff.button"), on_call_staff);
    const struct ui_widget *left = b ? b : ui_layer_get(l, "lang");
    header_buttons_x = left ? left->r.x : UI_W;
}

void chrome_header_draw(struct app *a, const char *title) {
    const struct ui_theme *t = ui_theme(a->ui);
    int hh = chrome_header_height(a);
    ui_fill(a->ui, (struct ui_rect){0, 0, UI_W, hh}, t->header_bg);
    int w = header_buttons_x - 2 * t->pad;
    enum ui_font_role f =
        ui_fit_font(a->ui, UI_FONT_TITLE, true, title, w, ui_line_height(a->ui, UI_FONT_TITLE));
    ui_text_box(a->ui, f, true, t->header_text, title,
                (struct ui_rect){t->pad, 0, w, hh}, UI_LEFT, UI_MIDDLE);
}

struct ui_rect chrome_receipt_qr(struct app *a) {
    const struct ui_theme *t = ui_theme(a->ui);
    int top = chrome_header_height(a) + t->pad * 2;
    int q = 420 * t->text_scale_pct / 100;
    int room = chrome_bottom_row_top(a) - t->pad - top;
    q = q < room ? q : room;
    return (struct ui_rect){UI_W - t->pad * 3 - q, top, q, q};
}

void chrome_receipt_layout(struct app *a, struct ui_layer *l, const char *token, ui_tap_fn done) {
    const struct ui_theme *t = ui_theme(a->ui);
    struct ui_rect qr = chrome_receipt_qr(a);
    struct ui_widget *w = ui_add(l, UI_QR, "receipt_qr", qr, token ? token : "");
    if (w && !w->text[0])
        w->flags |= UI_F_HIDDEN;
    int bw = 480 * t->text_scale_pct / 100;
    bw = bw < qr.w ? qr.w : bw;
    if (qr.x + bw > UI_W - t->pad)
        bw = UI_W - t->pad - qr.x;
    ui_add_button(l, "home_done",
                  (struct ui_rect){qr.x + qr.w - bw, chrome_bottom_row_top(a), bw,
                                   chrome_bottom_row_height(a)},
                  app_tr(a, "rating.finish"), UI_STYLE_PRIMARY, done, a);
}

void chrome_receipt_texts(struct app *a, int y, const char *const *lines, const bool *bad, int n,
                          const char *countdown) {
    const struct ui_theme *t = ui_theme(a->ui);
    int x = t->pad * 4, w = chrome_receipt_qr(a).x - t->pad * 2 - x;
    int gap = t->text_scale_pct > 100 ? t->pad / 2 : t->pad;
    int left = UI_H - t->pad - ui_line_height(a->ui, UI_FONT_BODY) - gap - y;
    enum ui_font_role f = UI_FONT_HEADING;
    int need = 0;
    for (;; f--) {
        need = 0;
        for (int i = 0; i < n; i++)
            if (lines[i])
                need += ui_text_box_height(a->ui, f, bad[i], lines[i], w) + gap;
        if (need <= left || f == UI_FONT_SMALL)
            break;
    }
    /* still too much at the smallest size (关怀版 in English, with the wait and a printer's
     * trouble): the first lines go, the details the receipt repeats; the last, what became of
     * the receipt, stays */
    int skip = 0;
    while (need > left && skip < n - 1) {
        if (lines[skip])
            need -= ui_text_box_height(a->ui, f, bad[skip], lines[skip], w) + gap;
        skip++;
    }
    for (int i = skip; i < n; i++) {
        if (!lines[i])
            continue;
        int h = ui_text_box_height(a->ui, f, bad[i], lines[i], w);
        y += ui_text_box(a->ui, f, bad[i], bad[i] ? t->danger : t->text, lines[i],
                         (struct ui_rect){x, y, w, h}, UI_LEFT, UI_TOP) +
             gap;
    }
    ui_text(a->ui, UI_FONT_BODY, false, t->muted, countdown, x, y, UI_LEFT, UI_TOP);
}
