/* home: the attract screen. Office name, live clock, the four services, the language switch,
 * 关怀版 (large text) and high contrast, and a hidden staff entry (a long press on the top-left
 * corner). Nothing personal is ever shown here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caltime.h"
#include "office.h"
#include "screens.h"

struct home {
    struct ui_layer layer;
    int header_h;
    int64_t shown_minute; /* the minute the clock shows */
    char day[600];        /* the office's day as the calendar has it ("": a usual day) */
};

struct service {
    const char *id, *title_key, *sub_key;
};

static const struct service services[4] = {
    {"checkin", "home.checkin", "home.checkin_sub"},
    {"joint", "home.joint", "home.joint_sub"},
    {"progress", "home.progress", "home.progress_sub"},
    {"guide", "home.guide", "home.guide_sub"},
};

static void on_service(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    const struct service *s = &services[w->tag];
    if (strcmp(s->id, "guide") == 0) {
        app_push(a, &screen_guide);
    } else if ((!strcmp(s->id, "joint") || !strcmp(s->id, "checkin")) && app_reader_missing(a)) {
        app_show_unavailable(a, s->title_key);
        a->unavailable_device = true; /* the screen says why: the reader, not the office */
    } else if ((strcmp(s->id, "joint") == 0 && (a->cfg.services_off & SERVICE_JOINT)) ||
               (strcmp(s->id, "progress") == 0 && (a->cfg.services_off & SERVICE_PROGRESS)) ||
               (strcmp(s->id, "checkin") == 0 && (a->cfg.services_off & SERVICE_CHECKIN))) {
        app_show_unavailable(a, s->title_key); /* not offered at this kiosk */
    } else if (strcmp(s->id, "joint") == 0) {
        app_push(a, &screen_joint);
    } else if (strcmp(s->id, "progress") == 0) {
        app_push(a, &screen_progress);
    } else if (strcmp(s->id, "checkin") == 0) {
        a->device_view = -1; /* nothing read yet: the screen asks for it */
        app_push(a, &screen_checkin);
    }
}

static void on_language(void *ctx, struct ui_widget *w) {
    (void)w;
    app_toggle_language(ctx);
}

static void on_care(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    app_set_theme(a, theme_name(!theme_is_care(a->theme), theme_is_contrast(a->theme)));
}

static void on_contrast(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    app_set_theme(a, theme_name(theme_is_care(a->theme), !theme_is_contrast(a->theme)));
}

static bool show_prompt(struct app *a) {
    return ui_theme(a->ui)->text_scale_pct <= 100;
}

/* What the band under the header says: the registry's notice, else that the card reader is
 * missing or the printer cannot print, else the office's day (closed, a worked holiday, 调休,
 * opening later); NULL: none of them. */
static const char *band_text(struct app *a, const struct home *h) {
    return a->notice[0]              ? a->notice
           : app_reader_missing(a)   ? app_tr(a, "home.reader_missing")
           : a->printer_state == 1   ? app_tr(a, "home.printer_problem") /* out of paper, ... */
           : h->day[0]               ? h->day
                                     : NULL;
}

/* The band's fault colour is for the devices; a notice and the office's day are news. */
static bool band_is_fault(struct app *a) {
    return !a->notice[0] && (app_reader_missing(a) || a->printer_state == 1);
}

/* The office's day into h->day: 1 when it changed. */
static int office_day(struct app *a, struct home *h) {
    char t[sizeof h->day];
    struct office_status st;
    office_status(a, &st);
    office_status_text(a, &st, t, sizeof t);
    if (!strcmp(t, h->day))
        return 0;
    snprintf(h->day, sizeof h->day, "%s", t);
    return 1;
}

/* The band under the header: a notice when there is one (in every theme), else the prompt
 * (not in 关怀版: the tiles need its room and speak for themselves). */
static int band_h(struct app *a, const struct home *h) {
    const struct ui_theme *t = ui_theme(a->ui);
    if (band_text(a, h))
        return 2 * ui_line_height(a->ui, UI_FONT_BODY) + 2 * t->pad;
    return show_prompt(a) ? ui_line_height(a->ui, UI_FONT_HEADING) + t->pad : 0;
}

static int footer_h(struct app *a) {
    const struct ui_theme *t = ui_theme(a->ui);
    return t->target_min + 2 * t->pad;
}

static void home_layout(struct app *a, void *st) {
    struct home *h = st;
    office_day(a, h); /* the band's text first: its height places the tiles */
    const struct ui_theme *t = ui_theme(a->ui);
    struct ui_layer *l = &h->layer;
    ui_layer_clear(l);
    h->header_h =
        ui_line_height(a->ui, UI_FONT_TITLE) + ui_line_height(a->ui, UI_FONT_BODY) + 2 * t->pad;

    int top = h->header_h + band_h(a, h) + t->pad;
    int bottom = UI_H - footer_h(a) - t->pad / 2;
    int gap = t->pad;
    int tw = (UI_W - 2 * t->pad - gap) / 2;
    int th = (bottom - top - gap) / 2;
    for (int i = 0; i < 4; i++) {
        struct ui_rect r = {t->pad + (i % 2) * (tw + gap), top + (i / 2) * (th + gap), tw, th};
        struct ui_widget *w =
            ui_add(l, UI_TILE, services[i].id, r,
                   !strcmp(services[i].id, "joint") ? app_joint_title(a)
                                                    : app_tr(a, services[i].title_key));
        if (!w)
            continue;
        snprintf(w->sub, sizeof w->sub, "%s",
                 !strcmp(services[i].id, "joint") ? app_joint_subtitle(a)
                                                  : app_tr(a, services[i].sub_key));
        w->tag = i;
        w->on_tap = on_service;
        w->ctx = a;
    }

    /* Subtitles for all four tiles or for none, so the tiles stay alike. */
    bool subs_fit = true;
    for (int i = 0; i < l->n && subs_fit; i++)
        subs_fit = ui_tile_fits_sub(a->ui, &l->w[i]);
    for (int i = 0; i < l->n && !subs_fit; i++)
        l->w[i].sub[0] = 0;

    /* footer: language, 关怀版, contrast */
    int fy = UI_H - footer_h(a) + t->pad;
    int x = t->pad;
    const char *labels[3] = {
        app_tr(a, "home.switch_lang"),
        app_tr(a, theme_is_care(a->theme) ? "home.care_off" : "home.care_on"),
        app_tr(a, theme_is_contrast(a->theme) ? "home.contrast_off" : "home.contrast_on"),
    };
    const char *ids[3] = {"lang", "care", "contrast"};
    ui_tap_fn fns[3] = {on_language, on_care, on_contrast};
    for (int i = 0; i < 3; i++) {
        int bw = ui_text_width(a->ui, UI_FONT_BUTTON, true, labels[i]) + 2 * t->pad;
        if (bw < 2 * t->target_min)
            bw = 2 * t->target_min;
        struct ui_widget *b = ui_add_button(l, ids[i], (struct ui_rect){x, fy, bw, t->target_min},
                                            labels[i], UI_STYLE_NORMAL, fns[i], a);
        if (b)
            b->flags |= UI_F_BOLD;
        x += bw + t->pad / 2;
    }

    chrome_staff_corner(a, l, h->header_h);
#ifdef KIOSK_TEST_HOOKS
    /* the layout check's own test: a button planted half over the first tile */
    if (getenv("KIOSK_PLANT_OVERLAP") && l->n > 0) {
        struct ui_rect r = l->w[0].r;
        ui_add_button(l, "planted", (struct ui_rect){r.x + r.w / 2, r.y + r.h / 2, r.w, r.h},
                      "planted", UI_STYLE_NORMAL, NULL, a);
    }
#endif
}

static void home_enter(struct app *a, void *st) {
    ui_layer_clear(&((struct home *)st)->layer);
    office_day(a, st);
}

static bool home_event(struct app *a, void *st, const struct ui_event *ev) {
    struct home *h = st;
    if (ev->type == UI_EV_DEVICE) {
        const struct device_event *d = ev->device;
        if (((d->kind == DEV_CARD_READ && a->card) || (d->kind == DEV_SCAN && a->scan_code)) &&
            !(a->cfg.services_off & SERVICE_CHECKIN)) {
            /* a card or a booking code on home: the citizen has come to check in */
            if (app_reader_missing(a)) {
                app_show_unavailable(a, "home.checkin"); /* it would stop at the cards */
                a->unavailable_device = true;
                return true;
            }
            a->device_view = d->kind == DEV_SCAN;
            app_push(a, &screen_checkin);
        }
        return true;
    }
    return ui_layer_event(a->ui, &h->layer, ev, app_now(a));
}

static void draw_clock(struct app *a, struct home *h) {
    const struct ui_theme *t = ui_theme(a->ui);
    int64_t now = clock_wall_s(a->clock);
    h->shown_minute = now / 60;
    struct tm tm;
    caltime_local(now, &tm);
    char hm[16], date[96], wd[16], line[160];
    snprintf(hm, sizeof hm, "%02d:%02d", tm.tm_hour, tm.tm_min);
    /* The date format is the catalog's (languages order dates differently); strftime
     * bounds its output, so a bad format only shows a wrong date. */
    caltime_format(now, app_tr(a, "home.date_format"), date, sizeof date);
    snprintf(wd, sizeof wd, "weekday.%d", tm.tm_wday);
    snprintf(line, sizeof line, "%s %s", date, app_tr(a, wd));
    int x = UI_W - t->pad;
    int y = t->pad;
    ui_text(a->ui, UI_FONT_TITLE, true, t->header_text, hm, x, y, UI_RIGHT, UI_TOP);
    ui_text(a->ui, UI_FONT_BODY, false, t->header_text, line, x,
            y + ui_line_height(a->ui, UI_FONT_TITLE), UI_RIGHT, UI_TOP);
}

static void home_draw(struct app *a, void *st) {
    struct home *h = st;
    const struct ui_theme *t = ui_theme(a->ui);
    ui_fill(a->ui, (struct ui_rect){0, 0, UI_W, h->header_h}, t->header_bg);
    ui_text(a->ui, UI_FONT_TITLE, true, t->header_text, app_office_name(a), t->pad, t->pad, UI_LEFT,
            UI_TOP);
    ui_text(a->ui, UI_FONT_BODY, false, t->header_text, app_tr(a, "app.title"), t->pad,
            t->pad + ui_line_height(a->ui, UI_FONT_TITLE), UI_LEFT, UI_TOP);
    draw_clock(a, h);
    const char *notice = band_text(a, h);
    if (notice) {
        struct ui_rect band = {t->pad, h->header_h + t->pad / 2, UI_W - 2 * t->pad,
                               band_h(a, h) - t->pad / 2};
        ui_fill_round(a->ui, band, t->pad / 2, band_is_fault(a) ? t->danger : t->primary);
        struct ui_rect box = {band.x + t->pad, band.y + t->pad / 2, band.w - 2 * t->pad,
                              band.h - t->pad};
        ui_text_box(a->ui, ui_fit_font(a->ui, UI_FONT_BODY, true, notice, box.w, box.h), true,
                    t->primary_text, notice, box, UI_CENTER, UI_MIDDLE);
    } else if (show_prompt(a)) {
        ui_text(a->ui, UI_FONT_HEADING, true, t->text, app_tr(a, "home.prompt"), UI_W / 2,
                h->header_h + t->pad, UI_CENTER, UI_TOP);
    }
    int fh = footer_h(a);
    ui_fill(a->ui, (struct ui_rect){0, UI_H - fh, UI_W, fh}, t->panel);
    ui_fill(a->ui, (struct ui_rect){0, UI_H - fh, UI_W, t->border}, t->border_color);
    /* the help line takes the room the footer's buttons leave, wrapped if it must */
    struct ui_widget *last = ui_layer_get(&h->layer, "contrast");
    int hx = last ? last->r.x + last->r.w + t->pad : UI_W / 2;
    /* above the registry's status line in the corner (wrapped in the room the buttons leave),
     * a size smaller if it must */
    const char *status = a->sync_state >= 0 ? app_tr(a, a->sync_state ? "sync.online" : "sync.offline")
                                            : NULL;
    int sw = UI_W - t->pad - hx, line = ui_line_height(a->ui, UI_FONT_SMALL);
    if (status && ui_text_box_height(a->ui, UI_FONT_SMALL, false, status, sw) > line)
        status = app_tr(a, a->sync_state ? "sync.online_short" : "sync.offline_short"); /* 关怀版 */
    int sh = status ? ui_text_box_height(a->ui, UI_FONT_SMALL, false, status, sw) + t->pad / 4 : 0;
    struct ui_rect help = {hx, UI_H - fh, sw, fh - sh};
    const char *text = app_tr(a, "home.help");
    ui_text_box(a->ui, ui_fit_font(a->ui, UI_FONT_BODY, false, text, help.w, help.h), false,
                t->muted, text, help, UI_RIGHT, UI_MIDDLE);
    /* whether the registry is reachable: small, for staff passing by; citizens lose nothing
     * either way (what they submit waits in the store) */
    if (status)
        ui_text_box(a->ui, UI_FONT_SMALL, false, a->sync_state ? t->muted : t->danger, status,
                    (struct ui_rect){hx, UI_H - sh, sw, sh - t->pad / 4}, UI_RIGHT, UI_BOTTOM);
    ui_layer_draw(a->ui, &h->layer);
}

static int64_t home_next_change(struct app *a, void *st, int64_t now_ms) {
    (void)st;
    (void)now_ms;
    /* the clock shows minutes: wake at the next minute */
    int64_t wall = clock_wall_s(a->clock);
    return (60 - wall % 60) * 1000;
}

static void home_tick(struct app *a, void *st, int64_t now_ms) {
    (void)now_ms;
    struct home *h = st;
    if (clock_wall_s(a->clock) / 60 != h->shown_minute) {
        if (office_day(a, h)) /* the band comes or goes: the tiles move */
            home_layout(a, h);
        ui_invalidate(a->ui);
    }
}

static int home_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    (void)a;
    return screen_one_layer(&((struct home *)st)->layer, out, max);
}

const struct screen_ops screen_home = {
    .id = "home",
    .state_size = sizeof(struct home),
    .citizen = false,
    .enter = home_enter,
    .layout = home_layout,
    .event = home_event,
    .draw = home_draw,
    .next_change = home_next_change,
    .tick = home_tick,
    .layers = home_layers,
};
