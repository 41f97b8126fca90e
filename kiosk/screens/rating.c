/* rating: 好差评 at the end of a service.
 *
 *   rating           the five levels (非常满意 … 非常不满意) and 跳过: one touch either way
 *   rating.reasons   after 不满意 or 非常不满意: why (any of six, or none), then 提交评价
 *   rating.thanks    感谢您的评价, back home after a few seconds
 *
 * The service rated comes from screen_rating_open(); nothing personal is shown or kept. */
#include <stdio.h>
#include <string.h>

#include "rating.h"
#include "screens.h"

enum { ST_LEVELS, ST_REASONS, ST_THANKS };

struct rating_screen {
    struct ui_layer layer;
    int step;
    int level;
    bool chosen[RATING_REASONS];
    struct countdown back;
    char step_id[32];
};

static const char *service_rated = "checkin";

void screen_rating_open(struct app *a, const char *service) {
    service_rated = service;
    app_push(a, &screen_rating);
}

static struct rating_screen *current(struct app *a) {
    return a->stack[a->depth - 1].st;
}

static void rating_layout(struct app *a, void *st);

static void thanks(struct app *a, struct rating_screen *s) {
    if (rating_submit(a, service_rated, s->level, s->chosen) != 0)
        return; /* out of service: the store failed */
    s->step = ST_THANKS;
    countdown_start(&s->back, a, 5);
    rating_layout(a, s);
    ui_invalidate(a->ui);
}

static void on_level(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct rating_screen *s = current(a);
    s->level = w->tag;
    if (s->level <= 2) { /* why, if they will say */
        s->step = ST_REASONS;
        rating_layout(a, s);
        ui_invalidate(a->ui);
        return;
    }
    thanks(a, s);
}

static void on_reason(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct rating_screen *s = current(a);
    s->chosen[w->tag] = !s->chosen[w->tag];
    rating_layout(a, s);
    ui_invalidate(a->ui);
}

static void on_submit(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    thanks(a, current(a));
}

static void on_home(void *ctx, struct ui_widget *w) {
    (void)w;
    app_go_home(ctx);
}

static void rating_enter(struct app *a, void *st) {
    struct rating_screen *s = st;
    (void)a;
    s->step = ST_LEVELS;
}

static void rating_layout(struct app *a, void *st) {
    struct rating_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    ui_layer_clear(&s->layer);
    chrome_header_layout(a, &s->layer);
    int top = chrome_header_height(a) + t->pad * 2 + ui_line_height(a->ui, UI_FONT_TITLE) +
              t->pad;
    int bw = 480 * t->text_scale_pct / 100, bh = chrome_bottom_row_height(a);
    int by = chrome_bottom_row_top(a);
    if (s->step == ST_LEVELS) {
        /* the five levels in a row, best first, as the national 好差评 shows them */
        int n = 5, gap = t->pad / 2, w = (UI_W - 8 * t->pad - (n - 1) * gap) / n;
        int h = by - t->pad * 2 - top;
        h = h < t->target_min * 2 ? h : t->target_min * 2;
        for (int i = 0; i < n; i++) {
            char id[16], key[32];
            snprintf(id, sizeof id, "rate_%d", 5 - i);
            snprintf(key, sizeof key, "rating.level_%d", 5 - i);
            struct ui_widget *b =
                ui_add_button(&s->layer, id, (struct ui_rect){4 * t->pad + i * (w + gap), top, w, h},
                              app_tr(a, key), i < 2 ? UI_STYLE_PRIMARY : UI_STYLE_NORMAL, on_level,
                              a);
            if (b)
                b->tag = 5 - i;
        }
        ui_add_button(&s->layer, "skip", (struct ui_rect){(UI_W - bw) / 2, by, bw, bh},
                      app_tr(a, "rating.skip"), UI_STYLE_NORMAL, on_home, a);
    } else if (s->step == ST_REASONS) {
        /* two columns, three in 关怀版 (two rows of the larger targets fit above the button) */
        int cols = t->text_scale_pct > 100 ? 3 : 2, gap = t->pad;
        int w = (UI_W - 8 * t->pad - (cols - 1) * gap) / cols;
        int rows = (RATING_REASONS + cols - 1) / cols;
        int h = (by - t->pad - top) / rows - gap;
        h = h < t->target_min * 3 / 2 ? h : t->target_min * 3 / 2;
        h = h > t->target_min ? h : t->target_min;
        for (int i = 0; i < RATING_REASONS; i++) {
            char id[24], key[40], text[UI_TEXT_MAX];
            snprintf(id, sizeof id, "reason_%s", rating_reason_codes[i]);
            snprintf(key, sizeof key, "rating.reason_%s", rating_reason_codes[i]);
            snprintf(text, sizeof text, "%s %s", s->chosen[i] ? "☑" : "☐", app_tr(a, key));
            struct ui_widget *c = ui_add(
                &s->layer, UI_CHOICE, id,
                (struct ui_rect){4 * t->pad + (i % cols) * (w + gap), top + (i / cols) * (h + gap),
                                 w, h},
                text);
            if (c) {
                c->tag = i;
                c->on_tap = on_reason;
                c->ctx = a;
                if (s->chosen[i])
                    c->flags |= UI_F_SELECTED;
            }
        }
        ui_add_button(&s->layer, "submit", (struct ui_rect){UI_W - 2 * t->pad - bw, by, bw, bh},
                      app_tr(a, "rating.submit"), UI_STYLE_PRIMARY, on_submit, a);
    } else {
        ui_add_button(&s->layer, "home_done", (struct ui_rect){(UI_W - bw) / 2, by, bw, bh},
                      app_tr(a, "common.home"), UI_STYLE_PRIMARY, on_home, a);
    }
}

static void rating_draw(struct app *a, void *st) {
    struct rating_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_tr(a, "rating.title"));
    int y = chrome_header_height(a) + t->pad * 2, w = UI_W - 8 * t->pad;
    const char *head = app_tr(a, s->step == ST_LEVELS    ? "rating.prompt"
                                 : s->step == ST_REASONS ? "rating.why"
                                                         : "rating.thanks");
    int lh = ui_line_height(a->ui, UI_FONT_TITLE);
    ui_text_box(a->ui, ui_fit_font(a->ui, UI_FONT_TITLE, true, head, w, lh), true, t->text, head,
                (struct ui_rect){4 * t->pad, y, w, lh}, UI_CENTER, UI_TOP);
    if (s->step == ST_THANKS) {
        char cd[120];
        i18n_format_int(a->i18n, "checkin.countdown", s->back.shown, cd, sizeof cd);
        ui_text(a->ui, UI_FONT_BODY, false, t->muted, cd, UI_W / 2, y + lh + t->pad * 2,
                UI_CENTER, UI_TOP);
    }
    ui_layer_draw(a->ui, &s->layer);
}

static bool rating_event(struct app *a, void *st, const struct ui_event *ev) {
    struct rating_screen *s = st;
    if (ev->type == UI_EV_DEVICE)
        return true;
    return ui_layer_event(a->ui, &s->layer, ev, app_now(a));
}

static int64_t rating_next_change(struct app *a, void *st, int64_t now_ms) {
    (void)a;
    struct rating_screen *s = st;
    return s->step == ST_THANKS ? countdown_next_change(&s->back, now_ms) : -1;
}

static void rating_tick(struct app *a, void *st, int64_t now_ms) {
    struct rating_screen *s = st;
    if (s->step == ST_THANKS && countdown_tick(&s->back, a, now_ms))
        app_go_home(a);
}

static int rating_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    (void)a;
    return screen_one_layer(&((struct rating_screen *)st)->layer, out, max);
}

static const char *rating_step_id(struct app *a, void *st) {
    (void)a;
    struct rating_screen *s = st;
    snprintf(s->step_id, sizeof s->step_id, "%s",
             s->step == ST_LEVELS    ? "rating"
             : s->step == ST_REASONS ? "rating.reasons"
                                     : "rating.thanks");
    return s->step_id;
}

const struct screen_ops screen_rating = {
    .id = "rating",
    .state_size = sizeof(struct rating_screen),
    .citizen = true,
    .enter = rating_enter,
    .layout = rating_layout,
    .event = rating_event,
    .draw = rating_draw,
    .next_change = rating_next_change,
    .tick = rating_tick,
    .layers = rating_layers,
    .step_id = rating_step_id,
};
