/* joint: 婚育户一件事 (DESIGN.md §2.2), drawn from the form (assets/forms/joint.json). Steps,
 * each with its id for scripts:
 *   joint                consent to the use of personal information
 *   joint.party_a        party A's card;   joint.party_a_form  A's typed fields
 *   joint.party_b        party B's card;   joint.party_b_form  B's typed fields
 *   joint.services       the bundled services (marriage always)
 *   joint.maternity, joint.hukou   the chosen services' pages (the form's page ids)
 *   joint.confirm        each party presents the card again to confirm the declarations
 *   joint.review         everything, masked; the whole form's check; submit
 *   joint.done           the receipt on screen (QR) and on paper; home after 60 s
 * A field page lists its typed fields as rows; a tap edits one: a choice opens its code
 * table, a checkbox toggles, text and numbers open the on-screen keyboard. Logic is in
 * flows/joint.c (the step table: flows/joint_flow.c); every value is in the session arena and drawn masked where it is personal. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "joint.h"
#include "joint_flow.h"
#include "keyboard.h"
#include "log.h"
#include "mask.h"
#include "screens.h"

#define DONE_SECONDS 60


struct joint_screen {
    struct ui_layer layer;
    enum joint_step step;
    struct joint *j;  /* session arena */
    int page;         /* the form page shown (JOINT_FORM_A/B, JOINT_PAGE) */
    int first_row;    /* paging through a page's rows, or the review's lines */
    int review_shown; /* lines of the review on screen */
    int review_total; /* lines the review has */
    int choices_per_view;
    int rows_shown;
    int editing; /* the field being edited (index in the page), -1 none */
    int choice_first;
    struct ui_scroll consent; /* the notice, when it is longer than the screen holds */
    char message[400];
    struct countdown done;
    char step_id[48];
};

static struct joint_screen *current(struct app *a) {
    return a->stack[a->depth - 1].st;
}

static const char *lang(struct app *a) {
    return i18n_lang(a->i18n);
}

static int page_index(struct app *a, const char *id) {
    const struct form *f = joint_form(a);
    for (int p = 0; f && p < form_page_count(f); p++)
        if (!strcmp(form_page_id(f, p), id))
            return p;
    return -1;
}

static void joint_layout(struct app *a, void *st);

static void go(struct app *a, struct joint_screen *s, enum joint_step step) {
    if (s->editing >= 0)
        app_keyboard_close(a);
    s->editing = -1;
    s->step = step;
    s->first_row = 0;
    s->message[0] = 0;
    if (step == JOINT_FORM_A)
        s->page = page_index(a, "party_a");
    else if (step == JOINT_FORM_B)
        s->page = page_index(a, "party_b");
    joint_layout(a, s);
    ui_invalidate(a->ui);
    log_info("app", "screen %s", app_screen_id(a));
    static const char *const prompts[] = {[JOINT_CARD_A] = "joint.card_a",
                                          [JOINT_CARD_B] = "joint.card_b",
                                          [JOINT_CONFIRM] = "joint.confirm_card",
                                          [JOINT_DONE] = "joint.done_title"};
    if ((size_t)step < sizeof prompts / sizeof prompts[0] && prompts[step])
        app_say(a, prompts[step], NULL);
}

/* The next optional service page after page `after` (-1: the first), or -1. */
static int next_service_page(struct app *a, struct joint_screen *s, int after) {
    const struct form *f = joint_form(a);
    const char *svc[5];
    joint_service_ids(a, s->j, svc, 5);
    for (int p = after + 1; f && p < form_page_count(f); p++)
        for (int k = 0; svc[k]; k++)
            if (!strcmp(form_page_service(f, p), svc[k]))
                return p;
    return -1;
}

/* The chosen services' pages, in the form's order. */
static void route_of(struct app *a, struct joint_screen *s, struct joint_route *r) {
    r->n = 0;
    for (int p = next_service_page(a, s, -1); p >= 0 && r->n < JOINT_ROUTE_MAX;
         p = next_service_page(a, s, p))
        r->pages[r->n++] = p;
}

static void show_page(struct app *a, struct joint_screen *s, int p, enum joint_step otherwise);

/* One move of the step table (flows/joint_flow.c). */
static void move(struct app *a, struct joint_screen *s, enum joint_input in) {
    struct joint_route r;
    route_of(a, s, &r);
    struct joint_pos at = {s->step, s->step == JOINT_PAGE ? s->page : -1};
    struct joint_pos to = joint_flow_next(at, in, &r);
    if (to.step == JOINT_HOME)
        app_go_home(a);
    else if (to.step == JOINT_PAGE)
        show_page(a, s, to.page, JOINT_CONFIRM);
    else
        go(a, s, to.step);
}

/* --- the rows of a field page: visible typed fields --- */

static int rows_of(struct app *a, struct joint_screen *s, int *idx, int max) {
    const struct form *f = joint_form(a);
    int n = 0;
    for (int k = 0; f && k < form_field_count(f, s->page) && n < max; k++) {
        struct form_field_info fi;
        if (form_field_info(f, s->page, k, lang(a), &fi) == 0 && !fi.from_card &&
            form_field_visible(f, s->page, k, &s->j->v))
            idx[n++] = k;
    }
    return n;
}

/* The value as shown: a code's label, ✓ for a ticked box, masked when personal. */
static void shown_value(struct app *a, const struct form_field_info *fi, const char *v, char *out,
                        size_t cap) {
    const struct form *f = joint_form(a);
    if (!v[0]) {
        snprintf(out, cap, "%s",
                 app_tr(a, !strcmp(fi->type, "choice") ? "joint.choose" : "joint.enter"));
    } else if (!strcmp(fi->type, "choice")) {
        snprintf(out, cap, "%s", form_code_label(f, fi->codes, v, lang(a)));
    } else if (!strcmp(fi->type, "checkbox")) {
        snprintf(out, cap, "%s", app_tr(a, !strcmp(v, "true") ? "joint.yes" : "joint.no"));
    } else if (!strcmp(fi->type, "id_number")) {
        mask_id_number(v, out, cap);
    } else if (!strcmp(fi->type, "phone") && strlen(v) >= 7) {
        size_t n = strlen(v); /* 138****0001: enough to recognise, not to read off */
        snprintf(out, cap, "%.3s****%s", v, v + n - 4);
    } else {
        snprintf(out, cap, "%s", v);
    }
}

static void on_row(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (!f || form_field_info(f, s->page, w->tag, lang(a), &fi) != 0)
        return;
    s->message[0] = 0;
    if (!strcmp(fi.type, "checkbox")) {
        joint_set(s->j, fi.id, strcmp(joint_get(s->j, fi.id), "true") ? "true" : "false");
    } else {
        s->editing = w->tag;
        s->choice_first = 0;
        if (strcmp(fi.type, "choice") != 0) {
            joint_set(s->j, fi.id, joint_get(s->j, fi.id)); /* make sure it has a slot */
            for (int i = 0; i < s->j->v.n; i++)
                if (!strcmp(s->j->v.key[i], fi.id)) {
                    bool digits = !strcmp(fi.type, "phone") || !strcmp(fi.type, "id_number") ||
                                  !strcmp(fi.type, "date");
                    app_keyboard_open(a, s->j->vals[i], JOINT_VALUE_BYTES,
                                      digits ? KB_DIGITS : KB_PINYIN, digits);
                }
        }
    }
    joint_layout(a, s);
    ui_invalidate(a->ui);
}

static void on_choice(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (f && form_field_info(f, s->page, s->editing, lang(a), &fi) == 0) {
        const char *label;
        joint_set(s->j, fi.id, form_code_at(f, fi.codes, w->tag, lang(a), &label));
    }
    s->editing = -1;
    joint_layout(a, s);
    ui_invalidate(a->ui);
}

static void on_choice_page(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    s->choice_first += w->tag * s->choices_per_view;
    if (s->choice_first < 0)
        s->choice_first = 0;
    joint_layout(a, s);
    ui_invalidate(a->ui);
}

static void close_editor(struct app *a, struct joint_screen *s) {
    if (s->editing >= 0)
        app_keyboard_close(a);
    s->editing = -1;
    joint_layout(a, s);
    ui_invalidate(a->ui);
}

/* --- moving through the steps --- */

/* A service's page p (its step id is the page's: joint.maternity), or, when p < 0, the step
 * `otherwise`. */
static void show_page(struct app *a, struct joint_screen *s, int p, enum joint_step otherwise) {
    if (p < 0) {
        go(a, s, otherwise);
        return;
    }
    s->page = p;
    snprintf(s->step_id, sizeof s->step_id, "joint.%s", form_page_id(joint_form(a), p));
    go(a, s, JOINT_PAGE);
}

static void on_next(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    if (s->editing >= 0) {
        close_editor(a, s);
        return;
    }
    int idx[32], n = rows_of(a, s, idx, 32);
    if ((s->step == JOINT_FORM_A || s->step == JOINT_FORM_B || s->step == JOINT_PAGE) &&
        s->first_row + s->rows_shown < n) {
        s->first_row += s->rows_shown; /* more rows of this page first */
        joint_layout(a, s);
        ui_invalidate(a->ui);
        return;
    }
    /* each step's own checks; then the table says where NEXT leads */
    if ((s->step == JOINT_FORM_A || s->step == JOINT_FORM_B || s->step == JOINT_PAGE) &&
        joint_page_check(a, s->j, s->page, s->message, sizeof s->message) > 0) {
        s->first_row = 0;
        joint_layout(a, s);
        ui_invalidate(a->ui);
        return;
    }
    if (s->step == JOINT_REVIEW) {
        int rc = joint_submit(a, s->j, s->message, sizeof s->message);
        if (rc < 0)
            return; /* out of service: the store failed */
        if (rc > 0) {
            ui_invalidate(a->ui);
            return;
        }
        countdown_start(&s->done, a, DONE_SECONDS);
        move(a, s, JOINT_IN_SUBMITTED);
        return;
    }
    if (s->step != JOINT_DONE)
        move(a, s, JOINT_IN_NEXT);
}

static void on_back(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    if (s->editing >= 0) {
        close_editor(a, s);
        return;
    }
    if (s->step == JOINT_CONFIRM || s->step == JOINT_REVIEW)
        s->j->confirmed_a = s->j->confirmed_b = false; /* confirmed again after a change */
    move(a, s, JOINT_IN_BACK);
}

static void on_service(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    s->j->services[w->tag] = !s->j->services[w->tag];
    joint_layout(a, s);
    ui_invalidate(a->ui);
}

/* 完成 on the receipt: on to 好差评 (skipped with one touch there) */
static void on_finish(void *ctx, struct ui_widget *w) {
    (void)w;
    screen_rating_open(ctx, "joint");
}

/* --- layout --- */


static void on_consent_page(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    ui_scroll_page(a->ui, &s->consent, w->tag);
    joint_layout(a, s); /* the page buttons' states */
}

static void bottom_bar(struct app *a, struct joint_screen *s, const char *next_key,
                       bool with_back) {
    const struct ui_theme *t = ui_theme(a->ui);
    int bw = 420 * t->text_scale_pct / 100, bh = t->target_min * 3 / 2;
    int y = UI_H - t->pad - bh;
    if (with_back)
        ui_add_button(&s->layer, "back", (struct ui_rect){t->pad * 2, y, bw, bh},
                      app_tr(a, "joint.back"), UI_STYLE_NORMAL, on_back, a);
    if (next_key)
        ui_add_button(&s->layer, "next", (struct ui_rect){UI_W - t->pad * 2 - bw, y, bw, bh},
                      app_tr(a, next_key), UI_STYLE_PRIMARY, on_next, a);
}

static void layout_rows(struct app *a, struct joint_screen *s) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    int idx[32], n = rows_of(a, s, idx, 32);
    int bh = t->target_min * 3 / 2, rh = t->target_min + 8;
    int top = chrome_header_height(a) + t->pad + ui_line_height(a->ui, UI_FONT_HEADING) + t->pad;
    int bottom = UI_H - 2 * t->pad - bh - ui_line_height(a->ui, UI_FONT_BODY);
    int fit = (bottom - top) / rh;
    s->rows_shown = fit < 1 ? 1 : fit;
    if (s->first_row >= n)
        s->first_row = 0;
    int vw = UI_W / 2 - t->pad * 2;
    for (int r = s->first_row; r < n && r < s->first_row + s->rows_shown; r++) {
        struct form_field_info fi;
        form_field_info(f, s->page, idx[r], lang(a), &fi);
        char v[JOINT_VALUE_BYTES + 32];
        shown_value(a, &fi, joint_get(s->j, fi.id), v, sizeof v);
        char id[32];
        snprintf(id, sizeof id, "f_%s", fi.id);
        struct ui_widget *w = ui_add_button(
            &s->layer, id,
            (struct ui_rect){UI_W / 2, top + (r - s->first_row) * rh, vw, t->target_min}, v,
            s->editing == idx[r] ? UI_STYLE_PRIMARY : UI_STYLE_NORMAL, on_row, a);
        if (w) {
            w->tag = idx[r];
            w->flags |= UI_F_PERSONAL;
        }
    }
}

static void layout_editor(struct app *a, struct joint_screen *s) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (s->editing < 0 || !f || form_field_info(f, s->page, s->editing, lang(a), &fi) != 0)
        return;
    if (strcmp(fi.type, "choice") != 0) {
        int kh = kb_height(a->ui);
        kb_layout(&a->kb, a->ui, (struct ui_rect){0, UI_H - kh, UI_W, kh});
        return;
    }
    /* the code table as a grid of buttons under the field's name, as many rows as fit, with
     * paging below them */
    int total = form_code_count(f, fi.codes), bh = t->target_min;
    int gw = (UI_W - 3 * t->pad) / 2;
    int top = chrome_header_height(a) + t->pad * 2 + ui_line_height(a->ui, UI_FONT_HEADING);
    int rows = (UI_H - top - t->pad - bh) / (bh + t->pad / 2);
    if (rows < 1)
        rows = 1;
    s->choices_per_view = rows * 2;
    for (int i = s->choice_first; i < total && i < s->choice_first + s->choices_per_view; i++) {
        const char *label;
        form_code_at(f, fi.codes, i, lang(a), &label);
        int k = i - s->choice_first;
        char id[24];
        snprintf(id, sizeof id, "c_%d", i);
        struct ui_widget *w =
            ui_add_button(&s->layer, id,
                          (struct ui_rect){t->pad + (k % 2) * (gw + t->pad),
                                           top + (k / 2) * (bh + t->pad / 2), gw, bh},
                          label, UI_STYLE_NORMAL, on_choice, a);
        if (w)
            w->tag = i;
    }
    int by = UI_H - t->pad / 2 - bh;
    if (s->choice_first > 0) {
        struct ui_widget *w =
            ui_add_button(&s->layer, "c_prev", (struct ui_rect){t->pad, by, gw / 2, bh},
                          app_tr(a, "common.prev_page"), UI_STYLE_QUIET, on_choice_page, a);
        if (w)
            w->tag = -1;
    }
    if (s->choice_first + s->choices_per_view < total) {
        struct ui_widget *w = ui_add_button(
            &s->layer, "c_next", (struct ui_rect){UI_W - t->pad - gw / 2, by, gw / 2, bh},
            app_tr(a, "common.next_page"), UI_STYLE_QUIET, on_choice_page, a);
        if (w)
            w->tag = 1;
    }
}

/* How many lines the review has: the visible fields of the pages of the chosen services. */
static int review_count(struct app *a, struct joint_screen *s) {
    const struct form *f = joint_form(a);
    const char *svc[5];
    joint_service_ids(a, s->j, svc, 5);
    int n = 0;
    for (int p = 0; f && p < form_page_count(f); p++) {
        bool on = !strcmp(form_page_service(f, p), "marriage");
        for (int k = 0; svc[k]; k++)
            on = on || !strcmp(form_page_service(f, p), svc[k]);
        for (int k = 0; on && k < form_field_count(f, p); k++)
            n += form_field_visible(f, p, k, &s->j->v);
    }
    return n;
}

static void on_review_page(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    s->first_row += w->tag * s->review_shown;
    if (s->first_row < 0)
        s->first_row = 0;
    joint_layout(a, s);
    ui_invalidate(a->ui);
}

static void joint_layout(struct app *a, void *st) {
    struct joint_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    ui_layer_clear(&s->layer);
    chrome_header_layout(a, &s->layer);
    switch (s->step) {
    case JOINT_HOME: /* not a step drawn: the flow has left */
    case JOINT_STEPS:
        break;
    case JOINT_CONSENT: {
        bottom_bar(a, s, "joint.agree", false);
        /* the notice in a view between the header and the buttons; longer than it (关怀版,
         * English), it scrolls by finger or by 上一页 / 下一页 */
        int top = chrome_header_height(a) + t->pad;
        int bh = t->target_min * 3 / 2;
        s->consent.view = (struct ui_rect){t->pad * 4, top, UI_W - t->pad * 8,
                                           UI_H - t->pad - bh - t->pad - top};
        int w = s->consent.view.w;
        int content = ui_text_box_height(a->ui, UI_FONT_HEADING, true,
                                         app_tr(a, "joint.consent_title"), w) +
                      t->pad + ui_text_box_height(a->ui, UI_FONT_BODY, false,
                                                  app_tr(a, "joint.consent"), w);
        ui_scroll_set_content(&s->consent, content);
        if (content > s->consent.view.h) {
            int pw = 300 * t->text_scale_pct / 100, y = UI_H - t->pad - bh;
            struct ui_widget *up = ui_add_button(&s->layer, "page_up",
                                                 (struct ui_rect){t->pad * 2, y, pw, bh},
                                                 app_tr(a, "common.prev_page"), UI_STYLE_NORMAL,
                                                 on_consent_page, a);
            struct ui_widget *dn = ui_add_button(
                &s->layer, "page_down", (struct ui_rect){t->pad * 3 + pw, y, pw, bh},
                app_tr(a, "common.next_page"), UI_STYLE_NORMAL, on_consent_page, a);
            if (up) {
                up->tag = -1;
                if (ui_scroll_at_top(&s->consent))
                    up->flags |= UI_F_DISABLED;
            }
            if (dn) {
                dn->tag = 1;
                if (ui_scroll_at_end(&s->consent))
                    dn->flags |= UI_F_DISABLED;
            }
        }
        break;
    }
    case JOINT_CARD_A:
    case JOINT_CARD_B:
    case JOINT_CONFIRM:
        bottom_bar(a, s, NULL, true);
        break;
    case JOINT_FORM_A:
    case JOINT_FORM_B:
    case JOINT_PAGE:
        if (s->editing >= 0) {
            layout_editor(a, s);
            if (ui_layer_get(&s->layer, "c_0") == NULL) { /* typing: done above the keys */
                int bw = 300 * t->text_scale_pct / 100, kh = kb_height(a->ui);
                ui_add_button(&s->layer, "next",
                              (struct ui_rect){UI_W - t->pad - bw,
                                               UI_H - kh - t->target_min - t->pad, bw,
                                               t->target_min},
                              app_tr(a, "joint.done_typing"), UI_STYLE_PRIMARY, on_next, a);
            }
        } else {
            layout_rows(a, s);
            bottom_bar(a, s, "joint.next", true);
        }
        break;
    case JOINT_SERVICES: {
        const struct form *f = joint_form(a);
        int bw = UI_W - 8 * t->pad, bh = t->target_min * 3 / 2;
        int y = chrome_header_height(a) + t->pad * 2 +
                ui_text_box_height(a->ui, UI_FONT_HEADING, true, app_tr(a, "joint.services"), bw);
        /* every service's row between the heading and the bottom bar (关怀版: lower rows,
         * never under the touch-target size) */
        int n = f ? form_service_count(f) : 0;
        n = n < 4 ? n : 4;
        int room = UI_H - t->pad - t->target_min * 3 / 2 - t->pad - y;
        int cols = n > 0 && room / n - t->pad < t->target_min ? 2 : 1; /* two columns else */
        int rows = cols == 2 ? (n + 1) / 2 : n;
        if (rows > 0 && room / rows - t->pad < bh)
            bh = room / rows - t->pad > t->target_min ? room / rows - t->pad : t->target_min;
        int cw = cols == 2 ? (bw - t->pad) / 2 : bw, y0 = y;
        for (int i = 0; f && i < form_service_count(f) && i < 4; i++) {
            const char *label;
            bool always;
            const char *id = form_service_at(f, i, lang(a), &label, &always);
            char wid[32], text[160];
            snprintf(wid, sizeof wid, "svc_%s", id);
            snprintf(text, sizeof text, "%s %s", always || s->j->services[i] ? "☑" : "☐", label);
            int cx = 4 * t->pad + (cols == 2 ? (i % 2) * (cw + t->pad) : 0);
            y = cols == 2 ? y0 + (i / 2) * (bh + t->pad) : y;
            struct ui_widget *w =
                ui_add(&s->layer, UI_CHOICE, wid, (struct ui_rect){cx, y, cw, bh}, text);
            if (w) {
                w->tag = i;
                if (always || s->j->services[i])
                    w->flags |= UI_F_SELECTED;
                if (always)
                    w->flags |= UI_F_DISABLED;
                else {
                    w->on_tap = on_service;
                    w->ctx = a;
                }
            }
            if (cols == 1)
                y += bh + t->pad;
        }
        bottom_bar(a, s, "joint.next", true);
        break;
    }
    case JOINT_REVIEW: {
        bottom_bar(a, s, "joint.submit", true);
        /* the review's lines: as many as fit (two columns), paged */
        int lh = ui_line_height(a->ui, UI_FONT_SMALL), bh = t->target_min * 3 / 2;
        int top = chrome_header_height(a) + t->pad * 3 + ui_line_height(a->ui, UI_FONT_HEADING);
        /* the paging row sits above the bottom bar */
        int ph = t->target_min, y = UI_H - 2 * t->pad - bh - ph;
        int rows = (y - t->pad - top) / lh;
        s->review_shown = 2 * (rows > 1 ? rows : 1);
        s->review_total = review_count(a, s);
        int pw = 260 * t->text_scale_pct / 100;
        if (s->first_row > 0) {
            struct ui_widget *w =
                ui_add_button(&s->layer, "review_prev",
                              (struct ui_rect){UI_W - 2 * t->pad - 2 * pw - t->pad, y, pw, ph},
                              app_tr(a, "common.prev_page"), UI_STYLE_NORMAL, on_review_page, a);
            if (w)
                w->tag = -1;
        }
        if (s->first_row + s->review_shown < s->review_total) {
            struct ui_widget *w = ui_add_button(
                &s->layer, "review_next", (struct ui_rect){UI_W - 2 * t->pad - pw, y, pw, ph},
                app_tr(a, "common.next_page"), UI_STYLE_NORMAL, on_review_page, a);
            if (w)
                w->tag = 1;
        }
        break;
    }
    case JOINT_DONE:
        chrome_receipt_layout(a, &s->layer, s->j->token, on_finish);
        break;
    }
}

/* --- drawing --- */

static int text_box(struct app *a, enum ui_font_role role, bool bold, struct ui_color c,
                    const char *text, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    int w = UI_W - t->pad * 8;
    return ui_text_box(a->ui, role, bold, c, text,
                       (struct ui_rect){t->pad * 4, y, w, ui_text_box_height(a->ui, role, bold, text, w)},
                       UI_LEFT, UI_TOP);
}

static void draw_rows(struct app *a, struct joint_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    ui_text(a->ui, UI_FONT_HEADING, true, t->text, form_page_title(f, s->page, lang(a)), t->pad * 4,
            y, UI_LEFT, UI_TOP);
    for (int i = 0; i < s->layer.n; i++) {
        const struct ui_widget *w = &s->layer.w[i];
        if (strncmp(w->id, "f_", 2) != 0)
            continue;
        struct form_field_info fi;
        form_field_info(f, s->page, w->tag, lang(a), &fi);
        char label[200];
        snprintf(label, sizeof label, "%s%s", fi.label, fi.required ? " *" : "");
        ui_text_box(a->ui, UI_FONT_BODY, false, t->text, label,
                    (struct ui_rect){t->pad * 4, w->r.y, UI_W / 2 - 5 * t->pad, w->r.h}, UI_LEFT,
                    UI_MIDDLE);
    }
}

static void draw_editing(struct app *a, struct joint_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (form_field_info(f, s->page, s->editing, lang(a), &fi) != 0)
        return;
    ui_text(a->ui, UI_FONT_HEADING, true, t->text, fi.label, t->pad * 4, y, UI_LEFT, UI_TOP);
    if (strcmp(fi.type, "choice") != 0) {
        const char *v = joint_get(s->j, fi.id);
        ui_set_personal(a->ui, true);
        ui_text(a->ui, UI_FONT_TITLE, false, t->text, v[0] ? v : " ", t->pad * 4,
                y + ui_line_height(a->ui, UI_FONT_HEADING) + t->pad, UI_LEFT, UI_TOP);
        ui_set_personal(a->ui, false);
        if (!strcmp(fi.type, "date"))
            ui_text(a->ui, UI_FONT_BODY, false, t->muted, app_tr(a, "joint.date_hint"), UI_W / 2, y,
                    UI_LEFT, UI_TOP);
    }
}

static int party_line(struct app *a, char p, bool confirmed, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    struct joint_screen *s = current(a);
    char k1[16], k2[16], n[96], i[32], line[200];
    snprintf(k1, sizeof k1, "%c.name", p);
    snprintf(k2, sizeof k2, "%c.id_number", p);
    mask_name(joint_get(s->j, k1), n, sizeof n);
    mask_id_number(joint_get(s->j, k2), i, sizeof i);
    snprintf(line, sizeof line, "%s  %s", n, i);
    ui_set_personal(a->ui, true);
    ui_text(a->ui, UI_FONT_HEADING, true, t->text, line, t->pad * 4, y, UI_LEFT, UI_TOP);
    ui_set_personal(a->ui, false);
    ui_text(a->ui, UI_FONT_HEADING, true, confirmed ? t->primary : t->danger,
            app_tr(a, confirmed ? "joint.confirmed" : "joint.confirm_card"), UI_W - t->pad * 4, y,
            UI_RIGHT, UI_TOP);
    return ui_line_height(a->ui, UI_FONT_HEADING) + t->pad;
}

static void draw_review(struct app *a, struct joint_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    const char *svc[5];
    joint_service_ids(a, s->j, svc, 5);
    int col_w = (UI_W - 9 * t->pad) / 2, lh = ui_line_height(a->ui, UI_FONT_SMALL);
    int per_col = s->review_shown / 2 > 0 ? s->review_shown / 2 : 1, n = 0;
    ui_set_personal(a->ui, true);
    for (int p = 0; f && p < form_page_count(f); p++) {
        bool on = !strcmp(form_page_service(f, p), "marriage");
        for (int k = 0; svc[k]; k++)
            on = on || !strcmp(form_page_service(f, p), svc[k]);
        if (!on)
            continue;
        for (int k = 0; k < form_field_count(f, p); k++) {
            struct form_field_info fi;
            if (form_field_info(f, p, k, lang(a), &fi) != 0 ||
                !form_field_visible(f, p, k, &s->j->v))
                continue;
            int at = n++ - s->first_row;
            if (at < 0 || at >= s->review_shown)
                continue;
            const char *v = joint_get(s->j, fi.id);
            char shown[JOINT_VALUE_BYTES + 32], line[400];
            if (strstr(fi.id, ".name"))
                mask_name(v, shown, sizeof shown);
            else if (!strcmp(fi.type, "address") || !strcmp(fi.type, "phone"))
                snprintf(shown, sizeof shown, "%s", v[0] ? app_tr(a, "joint.filled") : "");
            else
                shown_value(a, &fi, v, shown, sizeof shown);
            snprintf(line, sizeof line, "%s：%s", fi.label, shown);
            ui_text(a->ui, UI_FONT_SMALL, false, t->text, line,
                    t->pad * 4 + (at / per_col) * (col_w + t->pad), y + (at % per_col) * lh,
                    UI_LEFT, UI_TOP);
        }
    }
    ui_set_personal(a->ui, false);
}

static void joint_draw(struct app *a, void *st) {
    struct joint_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_tr(a, "joint.title"));
    int y = chrome_header_height(a) + t->pad * 2;
    switch (s->step) {
    case JOINT_HOME: /* not a step drawn: the flow has left */
    case JOINT_STEPS:
        break;
    case JOINT_CONSENT: {
        struct ui_rect v = s->consent.view;
        int cy = v.y - s->consent.offset;
        ui_clip(a->ui, &v);
        cy += ui_text_box(a->ui, UI_FONT_HEADING, true, t->text, app_tr(a, "joint.consent_title"),
                          (struct ui_rect){v.x, cy, v.w, UI_H * 4}, UI_LEFT, UI_TOP) +
              t->pad;
        ui_text_box(a->ui, UI_FONT_BODY, false, t->text, app_tr(a, "joint.consent"),
                    (struct ui_rect){v.x, cy, v.w, UI_H * 4}, UI_LEFT, UI_TOP);
        ui_clip(a->ui, NULL);
        if (s->consent.content_h > v.h)
            ui_scroll_draw_bar(a->ui, &s->consent);
        break;
    }
    case JOINT_CARD_A:
    case JOINT_CARD_B: {
        /* whose card, wrapped (English in 关怀版), then how; both above the button row and the
         * message line over it */
        int w = UI_W - 8 * t->pad, top = y + (t->text_scale_pct > 100 ? 0 : 120);
        const char *who = app_tr(a, s->step == JOINT_CARD_A ? "joint.card_a" : "joint.card_b");
        /* one line of the title size, or two of the size below it */
        enum ui_font_role wf =
            ui_fit_font(a->ui, UI_FONT_TITLE, true, who, w, ui_line_height(a->ui, UI_FONT_TITLE));
        if (wf < UI_FONT_HEADING)
            wf = UI_FONT_HEADING;
        int h = ui_text_box(a->ui, wf, true, t->text, who,
                            (struct ui_rect){t->pad * 4, top, w,
                                             ui_text_box_height(a->ui, wf, true, who, w)},
                            UI_CENTER, UI_TOP);
        int hy = top + h + t->pad;
        int bottom = UI_H - 2 * t->pad - t->target_min * 3 / 2 -
                     2 * ui_line_height(a->ui, UI_FONT_BODY) - t->pad;
        const char *how = app_tr(a, a->reader_state == 0 ? "joint.reader_down" : "joint.card_hint");
        ui_text_box(a->ui,
                    ui_fit_font(a->ui, UI_FONT_HEADING, a->reader_state == 0, how, w, bottom - hy),
                    a->reader_state == 0, a->reader_state == 0 ? t->danger : t->muted, how,
                    (struct ui_rect){t->pad * 4, hy, w, bottom - hy}, UI_CENTER, UI_TOP);
        break;
    }
    case JOINT_FORM_A:
    case JOINT_FORM_B:
    case JOINT_PAGE:
        if (s->editing >= 0)
            draw_editing(a, s, y);
        else
            draw_rows(a, s, y);
        break;
    case JOINT_SERVICES:
        text_box(a, UI_FONT_HEADING, true, t->text, app_tr(a, "joint.services"), y);
        break;
    case JOINT_CONFIRM: {
        /* the declaration a size smaller when both parties' lines would not fit under it */
        const char *decl = app_tr(a, "joint.declaration");
        int lines = 2 * (ui_line_height(a->ui, UI_FONT_HEADING) + t->pad);
        int room = UI_H - t->pad - t->target_min * 3 / 2 - t->pad - y - lines - t->pad * 2;
        enum ui_font_role df =
            ui_fit_font(a->ui, UI_FONT_BODY, false, decl, UI_W - t->pad * 8, room);
        y += text_box(a, df, false, t->text, decl, y) + t->pad * 2;
        y += party_line(a, 'a', s->j->confirmed_a, y);
        y += party_line(a, 'b', s->j->confirmed_b, y);
        if (a->reader_state == 0)
            text_box(a, UI_FONT_HEADING, true, t->danger, app_tr(a, "joint.reader_down"), y);
        break;
    }
    case JOINT_REVIEW:
        y += text_box(a, UI_FONT_HEADING, true, t->text, app_tr(a, "joint.review"), y) + t->pad;
        draw_review(a, s, y);
        break;
    case JOINT_DONE: {
        int w = chrome_receipt_qr(a).x - t->pad * 6;
        const char *title = app_tr(a, "joint.done_title");
        enum ui_font_role tf = ui_fit_font(a->ui, UI_FONT_TITLE, true, title, w,
                                           ui_line_height(a->ui, UI_FONT_TITLE));
        y += ui_text_box(a->ui, tf, true, t->primary, title,
                         (struct ui_rect){t->pad * 4, y, w, ui_line_height(a->ui, tf)}, UI_LEFT,
                         UI_TOP) +
             t->pad / 2;
        if (s->j->queue[0]) { /* the number they wait under, as on the receipt */
            ui_text(a->ui, UI_FONT_HEADING, false, t->muted, app_tr(a, "checkin.queue"),
                    t->pad * 4, y, UI_LEFT, UI_TOP);
            y += ui_line_height(a->ui, UI_FONT_HEADING);
            /* 关怀版: a size down, so that the next steps keep a readable size under it */
            enum ui_font_role qf = t->text_scale_pct > 100 ? UI_FONT_TITLE : UI_FONT_HUGE;
            ui_text(a->ui, qf, true, t->text, s->j->queue, t->pad * 4, y, UI_LEFT, UI_TOP);
            y += ui_line_height(a->ui, qf) + t->pad / 2;
        }
        const char *pkey = a->receipt_printed < 0    ? "checkin.printing"
                           : a->receipt_printed == 1 ? "checkin.printed"
                                                     : "checkin.not_printed";
        char cd[120];
        i18n_format_int(a->i18n, "checkin.countdown", s->done.shown, cd, sizeof cd);
        const char *lines[] = {app_tr(a, "joint.done_next"), app_tr(a, pkey)};
        const bool bad[] = {false, a->receipt_printed == 0};
        chrome_receipt_texts(a, y, lines, bad, 2, cd);
        break;
    }
    }
    if (s->message[0])
        ui_text_box(a->ui, UI_FONT_BODY, true, t->danger, s->message,
                    (struct ui_rect){t->pad * 4,
                                     UI_H - 2 * t->pad - t->target_min * 3 / 2 -
                                         2 * ui_line_height(a->ui, UI_FONT_BODY),
                                     UI_W - 8 * t->pad, 2 * ui_line_height(a->ui, UI_FONT_BODY)},
                    UI_LEFT, UI_TOP);
    ui_layer_draw(a->ui, &s->layer);
    if (s->editing >= 0 && ui_layer_get(&s->layer, "c_0") == NULL)
        kb_draw(&a->kb, a->ui);
}

/* --- input --- */

static void card(struct app *a, struct joint_screen *s) {
    if (s->step == JOINT_CARD_A || s->step == JOINT_CARD_B) {
        char p = s->step == JOINT_CARD_A ? 'a' : 'b';
        if (joint_card(a, s->j, p, a->card, s->message, sizeof s->message) == 0)
            move(a, s, JOINT_IN_CARD);
        else
            ui_invalidate(a->ui);
    } else if (s->step == JOINT_CONFIRM) {
        s->message[0] = 0;
        if (!joint_confirm(s->j, a->card))
            snprintf(s->message, sizeof s->message, "%s", app_tr(a, "joint.not_party"));
        if (s->j->confirmed_a && s->j->confirmed_b)
            move(a, s, JOINT_IN_CONFIRMED);
        else
            ui_invalidate(a->ui);
    }
}

static bool joint_event(struct app *a, void *st, const struct ui_event *ev) {
    struct joint_screen *s = st;
    if (ev->type == UI_EV_DEVICE) {
        const struct device_event *d = ev->device;
        if (d->kind == DEV_CARD_READ && a->card)
            card(a, s);
        else if (d->kind == DEV_PRINT_DONE || d->kind == DEV_READER_STATE)
            ui_invalidate(a->ui);
        return true;
    }
    if (s->editing >= 0 && ui_layer_get(&s->layer, "c_0") == NULL) {
        enum kb_result r = screen_keyboard_event(a, ev);
        if (r == KB_DONE) {
            close_editor(a, s);
            return true;
        }
        if (r != KB_NONE)
            return true;
    }
    if (s->step == JOINT_CONSENT && s->consent.content_h > s->consent.view.h &&
        ui_scroll_event(a->ui, &s->consent, ev)) {
        if (ev->type == UI_EV_UP)
            joint_layout(a, s); /* the page buttons' states */
        return true;
    }
    return ui_layer_event(a->ui, &s->layer, ev, app_now(a));
}

static int64_t joint_next_change(struct app *a, void *st, int64_t now_ms) {
    (void)a;
    struct joint_screen *s = st;
    return s->step == JOINT_DONE ? countdown_next_change(&s->done, now_ms) : -1;
}

static void joint_tick(struct app *a, void *st, int64_t now_ms) {
    struct joint_screen *s = st;
    if (s->step == JOINT_DONE && countdown_tick(&s->done, a, now_ms))
        app_go_home(a);
}

static void joint_enter(struct app *a, void *st) {
    struct joint_screen *s = st;
    s->editing = -1;
    s->step = JOINT_CONSENT;
    s->j = session_alloc(&a->session, sizeof *s->j);
    if (!joint_form(a) || !s->j) {
        app_out_of_service(a, "oos.reason_content");
        return;
    }
    s->j->form = joint_form(a);
    app_say(a, "joint.consent_title", NULL);
}

/* Anything given: a card read, a value typed or chosen, a service ticked. */
static bool joint_has_input(struct app *a, void *st) {
    (void)a;
    const struct joint_screen *s = st;
    if (!s->j || s->step == JOINT_DONE) /* submitted: going home loses nothing */
        return false;
    for (int i = 0; i < FORM_VALUES_MAX; i++)
        if (s->j->vals[i][0])
            return true;
    for (int i = 0; i < 4; i++)
        if (s->j->services[i])
            return true;
    return false;
}

static void joint_leave(struct app *a, void *st) {
    struct joint_screen *s = st;
    if (s->editing >= 0)
        app_keyboard_close(a);
}

static int joint_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    struct joint_screen *s = st;
    return screen_layers_kb(a, &s->layer, s->editing >= 0 && !ui_layer_get(&s->layer, "c_0"), out,
                            max);
}

static const char *joint_step_id(struct app *a, void *st) {
    (void)a;
    struct joint_screen *s = st;
    static const char *const ids[] = {"joint",
                                      "joint.party_a",
                                      "joint.party_a_form",
                                      "joint.party_b",
                                      "joint.party_b_form",
                                      "joint.services",
                                      NULL,
                                      "joint.confirm",
                                      "joint.review",
                                      "joint.done"};
    return s->step == JOINT_PAGE ? s->step_id : ids[s->step];
}

const struct screen_ops screen_joint = {
    .id = "joint",
    .state_size = sizeof(struct joint_screen),
    .citizen = true,
    .enter = joint_enter,
    .leave = joint_leave,
    .layout = joint_layout,
    .event = joint_event,
    .draw = joint_draw,
    .next_change = joint_next_change,
    .tick = joint_tick,
    .layers = joint_layers,
    .has_input = joint_has_input,
    .step_id = joint_step_id,
};
