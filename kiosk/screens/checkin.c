/* checkin: 预约签到 (DESIGN.md §2.1). Steps, each with its id for scripts:
 *   checkin          how to identify: a card on the reader, the booking QR at the scanner, or
 *                    the booking number on the keypad
 *   checkin.number   the keypad
 *   checkin.parties  the appointment found: each party it names presents a card
 *   checkin.done     the queue number, the receipt on screen (QR) and on paper; home after 30 s
 *   checkin.problem  why not (no appointment, another day, too early, too late, already
 *                    checked in, a store failure), with what to do
 * The finding, recording and printing is flows/checkin.c; everything personal is in the session
 * arena and drawn masked. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "checkin.h"
#include "caltime.h"
#include "keyboard.h"
#include "log.h"
#include "mask.h"
#include "office.h"
#include "screens.h"

#define DONE_SECONDS 30
#define NUMBER_BYTES 48

enum step { ST_IDENTIFY, ST_NUMBER, ST_PARTIES, ST_DONE, ST_PROBLEM };

struct checkin_screen {
    struct ui_layer layer;
    enum step step;
    struct checkin *c; /* session arena */
    char *number;      /* session arena: the booking number being typed */
    const char *problem_key, *hint_key;
    bool walk_in_card; /* the lookup that found nothing was by card */
    struct countdown done;
};

static struct checkin_screen *current(struct app *a) {
    return a->stack[a->depth - 1].st;
}

static void checkin_layout(struct app *a, void *st);

static void go(struct app *a, struct checkin_screen *s, enum step step) {
    if (s->step == ST_NUMBER && step != ST_NUMBER)
        app_keyboard_close(a);
    s->step = step;
    checkin_layout(a, s);
    ui_invalidate(a->ui);
    log_info("app", "screen %s", app_screen_id(a));
    if (step == ST_IDENTIFY)
        app_say(a, "checkin.prompt_card", NULL);
    else if (step == ST_PARTIES)
        app_say(a, "checkin.parties", NULL);
    else if (step == ST_DONE)
        app_say(a, "checkin.done_title", s->c ? s->c->queue : NULL);
}

static void problem(struct app *a, struct checkin_screen *s, const char *key) {
    s->problem_key = key;
    go(a, s, ST_PROBLEM);
}

static void finish(struct app *a, struct checkin_screen *s) {
    if (checkin_record(a, s->c) != 0)
        return; /* out of service: the store failed */
    countdown_start(&s->done, a, DONE_SECONDS);
    go(a, s, ST_DONE);
}

/* After a successful find: who is here already (a card found it), and what is missing. */
static void found(struct app *a, struct checkin_screen *s, const struct idcard_info *card) {
    s->hint_key = NULL;
    if (card) {
        enum checkin_card r = checkin_card(a, s->c, card);
        if (r == CARD_EXPIRED) {
            problem(a, s, "checkin.hint_expired");
            return;
        }
    }
    if (checkin_complete(s->c))
        finish(a, s);
    else
        go(a, s, ST_PARTIES);
}

static void lookup(struct app *a, struct checkin_screen *s, const char *key,
                   const struct idcard_info *card) {
    s->walk_in_card = card != NULL;
    if (!s->c)
        s->c = session_alloc(&a->session, sizeof *s->c);
    if (!s->c)
        return;
    if (card && !checkin_card_number_ok(a, card)) { /* a number its card type cannot have */
        s->walk_in_card = false;
        problem(a, s, "checkin.bad_number");
        return;
    }
    if (card && checkin_card_elsewhere(a, card)) { /* not registered here: where it is */
        log_info("checkin", "a card of a kind this office does not register: sent to %s",
                 a->cfg.designated_office[0] ? a->cfg.designated_office : "the designated office");
        s->walk_in_card = false;
        problem(a, s, "checkin.elsewhere");
        return;
    }
    switch (checkin_find(a, key, s->c)) {
    case CHECKIN_FOUND:
        found(a, s, card);
        break;
    case CHECKIN_NOT_FOUND:
        problem(a, s, "checkin.not_found");
        break;
    case CHECKIN_OTHER_DAY:
        problem(a, s, "checkin.other_day");
        break;
    case CHECKIN_TOO_EARLY:
        problem(a, s, "checkin.too_early");
        break;
    case CHECKIN_TOO_LATE:
        problem(a, s, "checkin.too_late");
        break;
    case CHECKIN_ALREADY:
        problem(a, s, "checkin.already");
        break;
    case CHECKIN_NOT_YET:
        problem(a, s, "checkin.not_yet");
        break;
    case CHECKIN_LAPSED:
        problem(a, s, "checkin.lapsed");
        break;
    case CHECKIN_COOLED:
        problem(a, s, "checkin.cooled");
        break;
    case CHECKIN_OTHER_PLACE:
        problem(a, s, "checkin.other_place");
        break;
    case CHECKIN_BAD_BOOKING:
        problem(a, s, "checkin.bad_booking");
        break;
    case CHECKIN_FAILED:
        problem(a, s, "checkin.failed");
        break;
    }
}

static void on_number(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct checkin_screen *s = current(a);
    if (!s->number)
        s->number = session_alloc(&a->session, NUMBER_BYTES);
    if (!s->number)
        return;
    /* what was typed before (a number not found) stays, to be corrected rather than retyped */
    app_keyboard_open(a, s->number, NUMBER_BYTES, KB_DIGITS, KB_KEYS_DIGITS_X);
    go(a, s, ST_NUMBER);
}

static void on_search(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct checkin_screen *s = current(a);
    if (s->number && s->number[0])
        lookup(a, s, s->number, NULL);
}

static void on_retry(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct checkin_screen *s = current(a);
    s->hint_key = NULL;
    if (s->c)
        memset(s->c, 0, sizeof *s->c);
    go(a, s, ST_IDENTIFY);
}

static void on_walk_in(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct checkin_screen *s = current(a);
    if (!s->c)
        return;
    if (checkin_walk_in(a, s->c, s->walk_in_card && a->card ? a->card->id_number : NULL) != 0)
        return; /* out of service: the store failed (or no card: the button is not offered) */
    countdown_start(&s->done, a, DONE_SECONDS);
    go(a, s, ST_DONE);
}

static void on_home(void *ctx, struct ui_widget *w) {
    (void)w;
    app_go_home(ctx);
}

/* 完成 on the receipt: on to 好差评 (skipped with one touch there) */
static void on_finish(void *ctx, struct ui_widget *w) {
    (void)w;
    screen_rating_open(ctx, "checkin");
}

static void add_bottom_button(struct app *a, struct checkin_screen *s, const char *id,
                              const char *key, int slot, ui_tap_fn fn, enum ui_style style) {
    const struct ui_theme *t = ui_theme(a->ui);
    int bw = 480 * t->text_scale_pct / 100, bh = t->target_min * 3 / 2;
    int x = slot == 0 ? (UI_W - bw) / 2 : slot < 0 ? UI_W / 2 - bw - t->pad : UI_W / 2 + t->pad;
    ui_add_button(&s->layer, id, (struct ui_rect){x, chrome_bottom_row_top(a), bw, bh},
                  app_tr(a, key), style, fn, a);
}

static void checkin_layout(struct app *a, void *st) {
    struct checkin_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    ui_layer_clear(&s->layer);
    chrome_header_layout(a, &s->layer);
    switch (s->step) {
    case ST_IDENTIFY:
        add_bottom_button(a, s, "number", "checkin.enter_number", 0, on_number, UI_STYLE_PRIMARY);
        break;
    case ST_NUMBER: {
        /* the field and 查询 in the middle of what the keyboard leaves */
        int kh = kb_height(a->ui), fh = t->target_min * 3 / 2;
        int fy = (chrome_header_height(a) + UI_H - kh - fh) / 2;
        int fw = 900 * t->text_scale_pct / 100;
        struct ui_widget *f = ui_add(&s->layer, UI_FIELD, "number_field",
                                     (struct ui_rect){(UI_W - fw) / 2 - 150, fy, fw, fh}, "");
        if (f) {
            f->flags |= UI_F_PERSONAL | UI_F_FOCUSED;
            f->value = s->number;
            f->group = UI_GROUP_CODE; /* 2026 1123 0123 4567 as it is typed */
            snprintf(f->sub, sizeof f->sub, "%s", app_tr(a, "checkin.number_hint"));
        }
        ui_add_button(&s->layer, "search",
                      (struct ui_rect){(UI_W + fw) / 2 - 150 + t->pad, fy, 300, fh},
                      app_tr(a, "checkin.search"), UI_STYLE_PRIMARY, on_search, a);
        kb_layout(&a->kb, a->ui, (struct ui_rect){0, UI_H - kh, UI_W, kh});
        break;
    }
    case ST_PARTIES:
        add_bottom_button(a, s, "retry", "checkin.retry", 0, on_retry, UI_STYLE_NORMAL);
        break;
    case ST_DONE:
        chrome_receipt_layout(a, &s->layer, s->c ? s->c->token : "", on_finish);
        break;
    case ST_PROBLEM:
        add_bottom_button(a, s, "retry", "checkin.retry", -1, on_retry, UI_STYLE_NORMAL);
        add_bottom_button(a, s, "home_problem", "common.home", 1, on_home, UI_STYLE_PRIMARY);
        /* a walk-in number is for a person: offered when their card was read */
        if (checkin_walk_in_now(a) && s->walk_in_card &&
            !strcmp(s->problem_key, "checkin.not_found")) {
            int bw = 480 * t->text_scale_pct / 100, bh = t->target_min * 3 / 2;
            ui_add_button(&s->layer, "walk_in",
                          (struct ui_rect){(UI_W - bw) / 2, UI_H - 3 * t->pad - 2 * bh, bw, bh},
                          app_tr(a, "checkin.walk_in"), UI_STYLE_PRIMARY, on_walk_in, a);
        }
        break;
    }
}

static void hhmm(int64_t t, char *out, size_t cap) {
    caltime_format(t, "%H:%M", out, cap);
}

static void slot_text(const struct checkin *c, char *out, size_t cap) {
    char s1[8], s2[8];
    hhmm(c->slot_start, s1, sizeof s1);
    hhmm(c->slot_end, s2, sizeof s2);
    snprintf(out, cap, "%s–%s", s1, s2);
}

/* One party's line on the parties step: the masked name and whether the card was read. */
static int party_line(struct app *a, const char *name, const char *id, bool present, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    char n[96], i[32], line[300];
    mask_name(name, n, sizeof n);
    mask_id_number(id, i, sizeof i);
    snprintf(line, sizeof line, "%s  %s", n, i);
    ui_set_personal(a->ui, true);
    ui_text(a->ui, UI_FONT_HEADING, true, t->text, line, t->pad * 4, y, UI_LEFT, UI_TOP);
    ui_set_personal(a->ui, false);
    ui_text(a->ui, UI_FONT_HEADING, true, present ? t->primary : t->danger,
            app_tr(a, present ? "checkin.present" : "checkin.waiting"), UI_W - t->pad * 4, y,
            UI_RIGHT, UI_TOP);
    return ui_line_height(a->ui, UI_FONT_HEADING) + t->pad;
}

/* d (yyyymmdd) as the catalog writes a date */
static void date_text(struct app *a, int d, char *out, size_t cap) {
    char y[8], m[4], dd[4];
    snprintf(y, sizeof y, "%d", d / 10000);
    snprintf(m, sizeof m, "%d", d / 100 % 100);
    snprintf(dd, sizeof dd, "%d", d % 100);
    const char *args[] = {"y", y, "m", m, "d", dd, NULL};
    i18n_format(a->i18n, "checkin.date", args, out, cap);
}

static void draw_problem(struct app *a, struct checkin_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    char slot[32] = "", opens[8] = "", day[32] = "", msg[900];
    char acc[40] = "", od[40] = "", cd[40] = "", nday[12] = "";
    if (s->c && s->c->slot_start) {
        slot_text(s->c, slot, sizeof slot);
        hhmm(s->c->opens_at, opens, sizeof opens);
        caltime_format(s->c->other_day_start, "%Y-%m-%d", day, sizeof day);
    }
    if (s->c && s->c->period.accepted) {
        date_text(a, s->c->period.accepted, acc, sizeof acc);
        date_text(a, s->c->period.opens, od, sizeof od);
        date_text(a, s->c->period.closes, cd, sizeof cd);
        snprintf(nday, sizeof nday, "%d", s->c->period.day);
    }
    const char *where = a->cfg.designated_office[0] ? a->cfg.designated_office
                                                    : app_tr(a, "checkin.designated_default");
    /* where a booking for another place is done: its roving point, or the office */
    const struct cal_roving *bp =
        s->c && s->c->point[0] ? calendar_roving(content_calendar(&a->content), s->c->point) : NULL;
    bool en = !strcmp(i18n_lang(a->i18n), "en");
    const char *there = bp ? (en ? bp->place_en : bp->place)
                        : s->c && s->c->point[0] ? s->c->point
                                                 : app_office_name(a);
    const char *args[] = {"t", slot, "o", opens, "d", day, "q", s->c ? s->c->queue : "",
                          "p", where, "a", acc, "od", od, "c", cd, "n", nday, "w", there, NULL};
    i18n_format(a->i18n, s->problem_key, args, msg, sizeof msg);
    if (s->c && s->c->period.moved) { /* the last day was a closed day: moved (民法典 203) */
        size_t len = strlen(msg);
        i18n_format(a->i18n, "checkin.moved", args, msg + len, sizeof msg - len);
    }
    /* not found by a typed number where walk-ins are taken: how to take one (by card) */
    bool walk_in = checkin_walk_in_now(a);
    if (walk_in && !s->walk_in_card && !strcmp(s->problem_key, "checkin.not_found")) {
        size_t n = strlen(msg);
        snprintf(msg + n, sizeof msg - n, "\n%s", app_tr(a, "checkin.walk_in_card"));
    } else if (a->cfg.checkin_walk_in && !walk_in && !strcmp(s->problem_key, "checkin.not_found")) {
        /* walk-ins, but not now: when the office opens */
        struct office_status st;
        char when[500];
        office_status(a, &st);
        office_status_text(a, &st, when, sizeof when);
        size_t n = strlen(msg);
        snprintf(msg + n, sizeof msg - n, "\n%s%s", app_tr(a, "checkin.no_walk_in_now"), when);
    }
    int w = UI_W - t->pad * 8, bottom = chrome_bottom_row_top(a) - t->pad;
    if (walk_in && s->walk_in_card) /* the walk-in button above the row */
        bottom -= chrome_bottom_row_height(a) + t->pad;
    ui_text_box(a->ui, ui_fit_font(a->ui, UI_FONT_HEADING, false, msg, w, bottom - y), false,
                t->text, msg, (struct ui_rect){t->pad * 4, y, w, bottom - y}, UI_CENTER, UI_TOP);
}

/* What was booked: the business, its slot and the booking number (and the counsellor). */
static void booked_line(struct app *a, const struct checkin *c, char *out, size_t cap) {
    char slot[32], key[64];
    slot_text(c, slot, sizeof slot);
    snprintf(key, sizeof key, "business.name_%s", business_code(c->biz));
    const char *args[] = {"s", app_tr(a, key), "t", slot, "b", c->booking_no, NULL};
    i18n_format(a->i18n, "checkin.slot", args, out, cap);
    if (c->counsellor[0]) {
        size_t n = strlen(out);
        const char *cargs[] = {"c", c->counsellor, NULL};
        i18n_format(a->i18n, "checkin.counsellor", cargs, out + n, cap - n);
    }
}

static void draw_done(struct app *a, struct checkin_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct checkin *c = s->c;
    int x = t->pad * 4, w = chrome_receipt_qr(a).x - t->pad * 2 - x;
    bool large = t->text_scale_pct > 100;
    if (large)
        y -= t->pad * 2;
    int gap = large ? t->pad / 2 : t->pad;
    const char *title = app_tr(a, "checkin.done_title");
    enum ui_font_role tf = ui_fit_font(a->ui, UI_FONT_TITLE, true, title, w,
                                       ui_line_height(a->ui, UI_FONT_TITLE));
    ui_text(a->ui, tf, true, t->primary, title, x, y, UI_LEFT, UI_TOP);
    y += ui_line_height(a->ui, tf) + gap;
    ui_text(a->ui, UI_FONT_HEADING, false, t->muted, app_tr(a, "checkin.queue"), x, y, UI_LEFT,
            UI_TOP);
    y += ui_line_height(a->ui, UI_FONT_HEADING);
    ui_text(a->ui, UI_FONT_HUGE, true, t->text, c->queue, x, y, UI_LEFT, UI_TOP);
    y += ui_line_height(a->ui, UI_FONT_HUGE) + gap;
    char line[400], room[400];
    if (c->appt_id[0])
        booked_line(a, c, line, sizeof line);
    else
        snprintf(line, sizeof line, "%s",
                 app_tr(a, c->again ? "checkin.walk_in_again" : "checkin.walk_in_note"));
    char key[64];
    snprintf(key, sizeof key, "business.name_%s", business_code(c->biz));
    /* 关怀版: the business and its room in one line, the booking's details on the receipt */
    bool care_booked = large && c->appt_id[0];
    const char *rargs[] = {"s", app_tr(a, key), "r", checkin_room(a, c, c->biz, i18n_lang(a->i18n)),
                           NULL};
    i18n_format(a->i18n, care_booked ? "checkin.room_care" : "checkin.room", rargs, room,
                sizeof room);
    char cd[120];
    i18n_format_int(a->i18n, "checkin.countdown", s->done.shown, cd, sizeof cd);
    const char *pkey = a->receipt_printed < 0    ? "checkin.printing"
                       : a->receipt_printed == 1 ? "checkin.printed"
                                                 : "checkin.not_printed";
    char ahead[200] = "";
    if (c->queue_known) { /* where it waits, once the registry said */
        char n[16], m[16];
        snprintf(n, sizeof n, "%d", c->ahead);
        snprintf(m, sizeof m, "%d", c->wait_min);
        const char *qargs[] = {"n", n, "m", m, NULL};
        i18n_format(a->i18n, c->ahead ? "checkin.ahead" : "checkin.ahead_none", qargs, ahead,
                    sizeof ahead);
    }
    if (large && ahead[0]) { /* 关怀版: the wait in the room's paragraph, one gap less */
        size_t len = strlen(room);
        snprintf(room + len, sizeof room - len, "%s", ahead);
        ahead[0] = 0;
    }
    /* 关怀版: the booking's details, or the walk-in note once the wait is known, stay off */
    bool drop = care_booked || (large && c->queue_known && !c->again);
    const char *lines[] = {drop ? NULL : line, room, ahead[0] ? ahead : NULL, app_tr(a, pkey)};
    const bool bad[] = {false, false, false, a->receipt_printed == 0};
    chrome_receipt_texts(a, y, lines, bad, 4, cd);
}

static void checkin_draw(struct app *a, void *st) {
    struct checkin_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_tr(a, "checkin.title"));
    int y = chrome_header_height(a) + t->pad * 3;
    switch (s->step) {
    case ST_IDENTIFY: {
        /* the prompt, and under it the other ways, above the button row (关怀版: closer) */
        int top = y + (t->text_scale_pct > 100 ? 0 : 80);
        int box_y = top + ui_line_height(a->ui, UI_FONT_TITLE) + t->pad * 2;
        ui_text(a->ui, UI_FONT_TITLE, true, t->text, app_tr(a, "checkin.prompt_card"), UI_W / 2,
                top, UI_CENTER, UI_TOP);
        ui_text_box(
            a->ui, UI_FONT_HEADING, a->reader_state == 0,
            a->reader_state == 0 ? t->danger : t->muted,
            app_tr(a, a->reader_state == 0 ? "checkin.reader_down" : "checkin.prompt_other"),
            (struct ui_rect){t->pad * 4, box_y, UI_W - t->pad * 8,
                             chrome_bottom_row_top(a) - t->pad - box_y},
            UI_CENTER, UI_TOP);
        break;
    }
    case ST_NUMBER:
        break;
    case ST_PARTIES: {
        /* 关怀版: tighter spacing and the prompt a size smaller, so that both parties' lines
         * stay above the button row */
        bool large = t->text_scale_pct > 100;
        int gap = t->pad * (large ? 1 : 2), w = UI_W - t->pad * 8;
        if (large)
            y -= t->pad * 2;
        char line[400];
        booked_line(a, s->c, line, sizeof line);
        /* on one line (smaller when it must be), so that both parties stay above the row */
        int lh = ui_line_height(a->ui, UI_FONT_HEADING);
        y += ui_text_box(a->ui, ui_fit_font(a->ui, UI_FONT_HEADING, false, line, w, lh), false,
                         t->muted, line, (struct ui_rect){t->pad * 4, y, w, lh}, UI_LEFT,
                         UI_TOP) +
             gap;
        enum ui_font_role title = large ? UI_FONT_HEADING : UI_FONT_TITLE;
        const char *prompt = app_tr(a, business_info(s->c->biz)->one_party ? "checkin.parties_one"
                                                                            : "checkin.parties");
        int th = ui_text_box_height(a->ui, title, true, prompt, w);
        y += ui_text_box(a->ui, title, true, t->text, prompt, (struct ui_rect){t->pad * 4, y, w, th},
                         UI_LEFT, UI_TOP) +
             gap;
        y += party_line(a, s->c->name_a, s->c->id_a, s->c->present_a, y);
        if (s->c->id_b[0])
            y += party_line(a, s->c->name_b, s->c->id_b, s->c->present_b, y);
        if (s->hint_key || a->reader_state == 0)
            ui_text_box(a->ui, UI_FONT_HEADING, true, t->danger,
                        app_tr(a, s->hint_key ? s->hint_key : "checkin.reader_down"),
                        (struct ui_rect){t->pad * 4, y, w, chrome_bottom_row_top(a) - t->pad - y},
                        UI_LEFT, UI_TOP);
        break;
    }
    case ST_DONE:
        draw_done(a, s, y);
        break;
    case ST_PROBLEM:
        draw_problem(a, s, y + 60);
        break;
    }
    ui_layer_draw(a->ui, &s->layer);
    if (s->step == ST_NUMBER)
        kb_draw(&a->kb, a->ui);
}

static bool checkin_event(struct app *a, void *st, const struct ui_event *ev) {
    struct checkin_screen *s = st;
    if (ev->type == UI_EV_DEVICE) {
        const struct device_event *d = ev->device;
        if (d->kind == DEV_CARD_READ && a->card) {
            if (s->step == ST_IDENTIFY || s->step == ST_NUMBER || s->step == ST_PROBLEM) {
                lookup(a, s, a->card->id_number, a->card);
            } else if (s->step == ST_PARTIES && !checkin_card_number_ok(a, a->card)) {
                s->hint_key = "checkin.bad_number";
                ui_invalidate(a->ui);
            } else if (s->step == ST_PARTIES && checkin_card_elsewhere(a, a->card)) {
                problem(a, s, "checkin.elsewhere");
            } else if (s->step == ST_PARTIES) {
                enum checkin_card r = checkin_card(a, s->c, a->card);
                s->hint_key = r == CARD_AGAIN       ? "checkin.hint_again"
                              : r == CARD_NOT_PARTY ? "checkin.hint_not_party"
                              : r == CARD_EXPIRED   ? "checkin.hint_expired"
                                                    : NULL;
                if (r == CARD_ACCEPTED && checkin_complete(s->c))
                    finish(a, s);
                ui_invalidate(a->ui);
            }
        } else if (d->kind == DEV_SCAN && a->scan_code &&
                   (s->step == ST_IDENTIFY || s->step == ST_NUMBER || s->step == ST_PROBLEM)) {
            lookup(a, s, a->scan_code, NULL);
        } else if (d->kind == DEV_STATUS && s->step == ST_DONE && s->c &&
                   checkin_queue_answer(s->c, d)) {
            ui_invalidate(a->ui); /* 前面还有 N 位 */
        } else if (d->kind == DEV_PRINT_DONE || d->kind == DEV_READER_STATE) {
            ui_invalidate(a->ui);
        }
        return true;
    }
    if (s->step == ST_NUMBER) {
        enum kb_result r = screen_keyboard_event(a, ev);
        if (r == KB_DONE) {
            on_search(a, NULL);
            return true;
        }
        if (r != KB_NONE)
            return true;
    }
    return ui_layer_event(a->ui, &s->layer, ev, app_now(a));
}

static int64_t checkin_next_change(struct app *a, void *st, int64_t now_ms) {
    (void)a;
    struct checkin_screen *s = st;
    return s->step == ST_DONE ? countdown_next_change(&s->done, now_ms) : -1;
}

static void checkin_tick(struct app *a, void *st, int64_t now_ms) {
    struct checkin_screen *s = st;
    if (s->step == ST_DONE && countdown_tick(&s->done, a, now_ms))
        app_go_home(a);
}

static void checkin_enter(struct app *a, void *st) {
    struct checkin_screen *s = st;
    s->step = ST_IDENTIFY;
    /* a card or code that brought the citizen here from home is used at once */
    if (a->device_view == 0 && a->card)
        lookup(a, s, a->card->id_number, a->card);
    else if (a->device_view == 1 && a->scan_code)
        lookup(a, s, a->scan_code, NULL);
    else
        app_say(a, "checkin.prompt_card", NULL);
}

static void checkin_leave(struct app *a, void *st) {
    struct checkin_screen *s = st;
    if (s->step == ST_NUMBER)
        app_keyboard_close(a);
}

static int checkin_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    struct checkin_screen *s = st;
    return screen_layers_kb(a, &s->layer, s->step == ST_NUMBER, out, max);
}

static const char *checkin_step_id(struct app *a, void *st) {
    (void)a;
    static const char *const ids[] = {"checkin", "checkin.number", "checkin.parties",
                                      "checkin.done", "checkin.problem"};
    return ids[((struct checkin_screen *)st)->step];
}

const struct screen_ops screen_checkin = {
    .id = "checkin",
    .state_size = sizeof(struct checkin_screen),
    .citizen = true,
    .enter = checkin_enter,
    .leave = checkin_leave,
    .layout = checkin_layout,
    .event = checkin_event,
    .draw = checkin_draw,
    .next_change = checkin_next_change,
    .tick = checkin_tick,
    .layers = checkin_layers,
    .step_id = checkin_step_id,
};
