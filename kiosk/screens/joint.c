/* joint: 婚育户一件事 (DESIGN.md §2.2), drawn from the form (assets/forms/joint.json). Steps,
 * each with its id for scripts (第 N 步 / 共 M 步 on every one but the start and the end):
 *   joint                the start page: who must be here, what to bring, how long
 *   joint.services       the bundled services (marriage always)
 *   joint.consent        the notice, naming the recipients of the chosen services
 *   joint.party_a        party A's card;   joint.party_a_form  A's typed fields
 *   joint.party_b        party B's card;   joint.party_b_form  B's typed fields
 *   joint.maternity, joint.hukou   the chosen services' pages (the form's page ids)
 *   joint.review         check your answers: every section with 修改, typed values in full
 *   joint.confirm        each party presents the card again; both confirmed: submitted
 *   joint.done           the receipt on screen (QR) and on paper; home after 60 s
 * A field page lists its typed fields as rows: a short code table as buttons in the row, a
 * longer one as a picker (its id: the page's, "/" and the field's, as is the keyboard's), a
 * checkbox as a box with its label, text and numbers on the on-screen keyboard with the value
 * in a box with a caret; "same_as" fields offer 同男方… with one touch. 下一步 checks the page:
 * each error at its field and a summary on top (the GOV.UK pattern), nothing typed is lost.
 * Logic is in flows/joint.c (the step table: flows/joint_flow.c); every value is in the
 * session arena; what came from a card is drawn masked, what was typed in full. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "joint.h"
#include "joint_flow.h"
#include "keyboard.h"
#include "log.h"
#include "mask.h"
#include "office.h"
#include "screens.h"

#define DONE_SECONDS 60
#define ROWS_MAX 32
#define ERRS_MAX 16
#define REVIEW_ITEMS 96
/* A field row: the label in the left two fifths, the controls in the rest. */
#define CONTROLS_X (UI_W * 2 / 5)

/* A line of the review: a section's heading (with 修改) or a field's line. */
struct review_item {
    int page;  /* the form page of the section */
    int field; /* -1: the heading; -2: the services line; -3: the 户主 from the card; -4: what
                * the party's card gave, in one line */
    int at_page, col, y, h;
};

struct joint_screen {
    struct ui_layer layer;
    enum joint_step step;
    struct joint *j;  /* session arena */
    int page;         /* the form page shown (JOINT_FORM_A/B, JOINT_PAGE) */
    int first_row;    /* paging through a page's rows */
    int rows_shown;   /* rows of the page on screen */
    int row_field[ROWS_MAX], row_y[ROWS_MAX], row_h[ROWS_MAX], nrows;
    int editing;      /* the field being edited (index in the page), -1 none */
    int choice_first, choices_per_view;
    bool from_review; /* reached by 修改: the page goes back to the review */
    struct form_error errs[ERRS_MAX]; /* of the page shown, or of the whole form (review) */
    int nerr;
    int summary_h;    /* the error summary's height on screen */
    int summary_items; /* errors listed in it (the rest: at their fields) */
    size_t edit_len;   /* the value's length when its keyboard opened */
    enum ui_font_role heading_font; /* of the services' heading */
    struct review_item items[REVIEW_ITEMS];
    int nitems, review_page, review_pages;
    struct ui_scroll consent; /* the notice, when it is longer than the screen holds */
    char notice[4096];
    char message[400];
    struct countdown done;
    char step_id[64];
    char edit_id[128];
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

static void relayout(struct app *a, struct joint_screen *s) {
    joint_layout(a, s);
    ui_invalidate(a->ui);
}

/* The chosen services' pages, in the form's order. */
static void route_of(struct app *a, struct joint_screen *s, struct joint_route *r) {
    const struct form *f = joint_form(a);
    const char *svc[JOINT_SERVICES_MAX + 1];
    joint_service_ids(a, s->j, svc, JOINT_SERVICES_MAX + 1);
    r->n = 0;
    for (int p = 0; f && p < form_page_count(f) && r->n < JOINT_ROUTE_MAX; p++)
        for (int k = 0; svc[k]; k++)
            if (!strcmp(form_page_service(f, p), svc[k]))
                r->pages[r->n++] = p;
}

static struct joint_pos pos_of(const struct joint_screen *s) {
    return (struct joint_pos){s->step, s->step == JOINT_PAGE ? s->page : -1};
}

/* The notice for the chosen services: what is collected for whom, what is kept how long. */
static void compose_notice(struct app *a, struct joint_screen *s) {
    const char *svc[JOINT_SERVICES_MAX + 1];
    joint_service_ids(a, s->j, svc, JOINT_SERVICES_MAX + 1);
    int n = snprintf(s->notice, sizeof s->notice, "%s", app_tr(a, "joint.consent"));
    for (int k = 0; svc[k]; k++) {
        char key[48];
        snprintf(key, sizeof key, "joint.consent_%s", svc[k]);
        if (n < (int)sizeof s->notice)
            n += snprintf(s->notice + n, sizeof s->notice - n, "\n\n%s", app_tr(a, key));
    }
    if (n < (int)sizeof s->notice)
        snprintf(s->notice + n, sizeof s->notice - n, "\n\n%s", app_tr(a, "joint.consent_keep"));
}

static void go(struct app *a, struct joint_screen *s, enum joint_step step) {
    if (s->editing >= 0)
        app_keyboard_close(a);
    s->editing = -1;
    s->step = step;
    s->first_row = 0;
    s->message[0] = 0;
    s->nerr = 0;
    s->review_page = 0;
    if (step == JOINT_FORM_A)
        s->page = page_index(a, "party_a");
    else if (step == JOINT_FORM_B)
        s->page = page_index(a, "party_b");
    if (step == JOINT_CONSENT) {
        compose_notice(a, s);
        s->consent.offset = 0;
    }
    if (step != JOINT_FORM_A && step != JOINT_FORM_B && step != JOINT_PAGE)
        s->from_review = false;
    if (step == JOINT_PAGE)
        snprintf(s->step_id, sizeof s->step_id, "joint.%s", form_page_id(joint_form(a), s->page));
    relayout(a, s);
    log_info("app", "screen %s", app_screen_id(a));
    static const char *const prompts[] = {[JOINT_CARD_A] = "joint.card_a",
                                          [JOINT_CARD_B] = "joint.card_b",
                                          [JOINT_CONFIRM] = "joint.confirm_card",
                                          [JOINT_DONE] = "joint.done_title"};
    if ((size_t)step < sizeof prompts / sizeof prompts[0] && prompts[step])
        app_say(a, prompts[step], NULL);
}

/* One move of the step table (flows/joint_flow.c). */
static void move(struct app *a, struct joint_screen *s, enum joint_input in) {
    struct joint_route r;
    route_of(a, s, &r);
    struct joint_pos to = joint_flow_next(pos_of(s), in, &r);
    if (to.step == JOINT_HOME) {
        app_go_home(a);
        return;
    }
    if (to.step == JOINT_PAGE)
        s->page = to.page;
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

static const struct form_error *error_of(const struct joint_screen *s, const char *field) {
    for (int i = 0; i < s->nerr; i++)
        if (!strcmp(s->errs[i].field, field))
            return &s->errs[i];
    return NULL;
}

static const char *error_text(struct app *a, const struct form_error *e) {
    return e->message[!strcmp(lang(a), "en") ? 1 : 0];
}

static void drop_error(struct joint_screen *s, const char *field) {
    for (int i = 0; i < s->nerr; i++)
        if (!strcmp(s->errs[i].field, field)) {
            s->errs[i] = s->errs[--s->nerr];
            return;
        }
}

/* The same_as entry (index) whose source holds the value, or -1. */
static int same_as_match(struct app *a, struct joint_screen *s, int page, int field,
                         const char *v) {
    const struct form *f = joint_form(a);
    const char *label, *src;
    for (int i = 0; v[0] && (src = form_field_same_as(f, page, field, i, lang(a), &label)); i++)
        if (!strcmp(joint_get(s->j, src), v))
            return i;
    return -1;
}

/* The value as the citizen reads it: a code's label, a date as a date, a phone in groups, a
 * value taken from a card by its source (同男方证件住址), what was typed in full. */
static void shown_value(struct app *a, struct joint_screen *s, int page, int field,
                        const struct form_field_info *fi, const char *v, char *out, size_t cap) {
    const struct form *f = joint_form(a);
    const char *label;
    int same = same_as_match(a, s, page, field, v);
    if (!v[0]) {
        snprintf(out, cap, "%s",
                 app_tr(a, !strcmp(fi->type, "choice") ? "joint.choose" : "joint.enter"));
    } else if (same >= 0) {
        form_field_same_as(f, page, field, same, lang(a), &label);
        snprintf(out, cap, "%s", label);
    } else if (!strcmp(fi->type, "choice")) {
        snprintf(out, cap, "%s", form_code_label(f, fi->codes, v, lang(a)));
    } else if (!strcmp(fi->type, "checkbox")) {
        snprintf(out, cap, "%s", app_tr(a, !strcmp(v, "true") ? "joint.yes" : "joint.no"));
    } else if (!strcmp(fi->type, "date") || !strcmp(fi->type, "date_or_long")) {
        form_date_text(v, lang(a), out, cap);
    } else if (!strcmp(fi->type, "phone")) {
        ui_group_text(UI_GROUP_PHONE, v, out, cap);
    } else if (!strcmp(fi->type, "id_number")) {
        ui_group_text(UI_GROUP_ID, v, out, cap);
    } else {
        snprintf(out, cap, "%s", v);
    }
}

/* A short code table is a row of buttons when every label fits its button. */
static bool inline_choice(struct app *a, const struct form_field_info *fi, int width) {
    const struct form *f = joint_form(a);
    int n = form_code_count(f, fi->codes);
    if (strcmp(fi->type, "choice") != 0 || n < 1 || n > 3)
        return false;
    const struct ui_theme *t = ui_theme(a->ui);
    int bw = (width - (n - 1) * t->pad / 2) / n;
    for (int i = 0; i < n; i++) {
        const char *label;
        form_code_at(f, fi->codes, i, lang(a), &label);
        if (ui_text_box_height(a->ui, UI_FONT_SMALL, false, label, bw - 2 * t->pad) >
            t->target_min - 2 * t->border)
            return false;
    }
    return true;
}

static void changed(struct app *a, struct joint_screen *s, const char *field) {
    drop_error(s, field);
    joint_derive(s->j);
    relayout(a, s);
}

static void open_editor(struct app *a, struct joint_screen *s, int field) {
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (!f || form_field_info(f, s->page, field, lang(a), &fi) != 0)
        return;
    s->editing = field;
    s->choice_first = 0;
    if (strcmp(fi.type, "choice") != 0) {
        joint_set(s->j, fi.id, joint_get(s->j, fi.id)); /* make sure it has a slot */
        for (int i = 0; i < s->j->v.n; i++)
            if (!strcmp(s->j->v.key[i], fi.id)) {
                bool id = !strcmp(fi.type, "id_number");
                bool digits = id || !strcmp(fi.type, "phone") || !strcmp(fi.type, "date");
                app_keyboard_open(a, s->j->vals[i], JOINT_VALUE_BYTES,
                                  digits ? KB_DIGITS : KB_PINYIN,
                                  id ? KB_KEYS_DIGITS_X : digits ? KB_KEYS_DIGITS : KB_KEYS_ALL);
            }
    }
    relayout(a, s);
    log_info("app", "screen %s", app_screen_id(a));
}

static void close_editor(struct app *a, struct joint_screen *s) {
    if (s->editing < 0)
        return;
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    bool typed = form_field_info(f, s->page, s->editing, lang(a), &fi) == 0 &&
                 strcmp(fi.type, "choice") != 0;
    if (typed)
        app_keyboard_close(a);
    s->editing = -1;
    if (typed)
        drop_error(s, fi.id);
    joint_derive(s->j);
    relayout(a, s);
    log_info("app", "screen %s", app_screen_id(a));
}

static void on_row(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (!f || form_field_info(f, s->page, w->tag, lang(a), &fi) != 0)
        return;
    if (!strcmp(fi.type, "checkbox")) {
        joint_set(s->j, fi.id, strcmp(joint_get(s->j, fi.id), "true") ? "true" : "false");
        changed(a, s, fi.id);
        return;
    }
    open_editor(a, s, w->tag);
}

/* A code's button in the row (tag: field * 64 + code). */
static void on_option(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (f && form_field_info(f, s->page, w->tag / 64, lang(a), &fi) == 0) {
        const char *label;
        joint_set(s->j, fi.id, form_code_at(f, fi.codes, w->tag % 64, lang(a), &label));
        changed(a, s, fi.id);
    }
}

/* 同男方…: the source's value (tag: field * 64 + entry). */
static void on_same_as(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    const char *label, *src;
    if (f && form_field_info(f, s->page, w->tag / 64, lang(a), &fi) == 0 &&
        (src = form_field_same_as(f, s->page, w->tag / 64, w->tag % 64, lang(a), &label))) {
        char v[JOINT_VALUE_BYTES];
        snprintf(v, sizeof v, "%s", joint_get(s->j, src));
        joint_set(s->j, fi.id, v);
        explicit_bzero(v, sizeof v);
        changed(a, s, fi.id);
    }
}

static void on_choice(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (f && form_field_info(f, s->page, s->editing, lang(a), &fi) == 0) {
        const char *label;
        joint_set(s->j, fi.id, form_code_at(f, fi.codes, w->tag, lang(a), &label));
        drop_error(s, fi.id);
    }
    close_editor(a, s);
}

static void on_choice_cancel(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    close_editor(a, current(a));
}

static void on_choice_page(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    s->choice_first += w->tag * s->choices_per_view;
    if (s->choice_first < 0)
        s->choice_first = 0;
    relayout(a, s);
}

/* --- moving through the steps --- */

/* The page's errors at their fields; the rows from the first of them. */
static bool page_has_errors(struct app *a, struct joint_screen *s) {
    s->nerr = joint_page_errors(a, s->j, s->page, s->errs, ERRS_MAX);
    if (s->nerr == 0)
        return false;
    int idx[ROWS_MAX], n = rows_of(a, s, idx, ROWS_MAX);
    s->first_row = 0;
    for (int r = 0; r < n; r++) {
        struct form_field_info fi;
        form_field_info(joint_form(a), s->page, idx[r], lang(a), &fi);
        if (error_of(s, fi.id)) {
            s->first_row = r; /* laid out from here when it is not on the first rows */
            break;
        }
    }
    relayout(a, s);
    if (s->first_row < s->rows_shown) {
        s->first_row = 0;
        relayout(a, s);
    }
    return true;
}

static void submit(struct app *a, struct joint_screen *s) {
    int rc = joint_submit(a, s->j, s->message, sizeof s->message);
    if (rc < 0)
        return; /* out of service: the store failed */
    if (rc > 0) {
        ui_invalidate(a->ui);
        return;
    }
    countdown_start(&s->done, a, DONE_SECONDS);
    move(a, s, JOINT_IN_SUBMITTED);
}

static void on_next(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    if (s->editing >= 0) {
        close_editor(a, s);
        return;
    }
    bool fields = s->step == JOINT_FORM_A || s->step == JOINT_FORM_B || s->step == JOINT_PAGE;
    int idx[ROWS_MAX], n = rows_of(a, s, idx, ROWS_MAX);
    if (fields && s->first_row + s->rows_shown < n) {
        s->first_row += s->rows_shown; /* more rows of this page first */
        relayout(a, s);
        return;
    }
    if (fields && page_has_errors(a, s))
        return;
    if (s->step == JOINT_REVIEW) {
        if (s->review_page + 1 < s->review_pages) {
            s->review_page++;
            relayout(a, s);
            return;
        }
        s->nerr = joint_page_errors(a, s->j, -1, s->errs, ERRS_MAX);
        if (s->nerr > 0) {
            s->review_page = 0;
            relayout(a, s);
            return;
        }
    }
    if (s->step == JOINT_DONE)
        return;
    move(a, s, fields && s->from_review ? JOINT_IN_TO_REVIEW : JOINT_IN_NEXT);
}

static void on_back(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    if (s->editing >= 0) {
        close_editor(a, s);
        return;
    }
    if (s->step == JOINT_REVIEW && s->review_page > 0) {
        s->review_page--;
        relayout(a, s);
        return;
    }
    if ((s->step == JOINT_FORM_A || s->step == JOINT_FORM_B || s->step == JOINT_PAGE) &&
        s->first_row > 0) {
        s->first_row = s->first_row > s->rows_shown ? s->first_row - s->rows_shown : 0;
        relayout(a, s);
        return;
    }
    if (s->step == JOINT_CONFIRM || s->step == JOINT_REVIEW)
        s->j->confirmed_a = s->j->confirmed_b = false; /* confirmed again after a change */
    move(a, s, JOINT_IN_BACK);
}

/* 修改 on the review: the section's page, which then leads back to the review. */
static void on_change(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    const struct form *f = joint_form(a);
    const char *id = form_page_id(f, w->tag);
    s->j->confirmed_a = s->j->confirmed_b = false;
    s->page = w->tag;
    go(a, s, !strcmp(id, "party_a") ? JOINT_FORM_A
             : !strcmp(id, "party_b") ? JOINT_FORM_B
                                      : JOINT_PAGE);
    s->from_review = true;
    relayout(a, s);
}

static void on_service(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    s->j->services[w->tag] = !s->j->services[w->tag];
    relayout(a, s);
}

/* 完成 on the receipt: on to 好差评 (skipped with one touch there) */
static void on_finish(void *ctx, struct ui_widget *w) {
    (void)w;
    screen_rating_open(ctx, "joint");
}

static void on_consent_page(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct joint_screen *s = current(a);
    ui_scroll_page(a->ui, &s->consent, w->tag);
    joint_layout(a, s); /* the page buttons' states */
}

/* --- layout --- */

/* 第 3 步 / 共 8 步, or "" on the start page and the receipt (the step's own heading names it). */
static void step_counter(struct app *a, struct joint_screen *s, char *out, size_t cap) {
    struct joint_route r;
    route_of(a, s, &r);
    int n, m;
    joint_flow_step_number(pos_of(s), &r, &n, &m);
    out[0] = 0;
    if (n <= 0)
        return;
    char ns[8], ms[8];
    snprintf(ns, sizeof ns, "%d", n);
    snprintf(ms, sizeof ms, "%d", m);
    const char *args[] = {"n", ns, "m", ms, NULL};
    i18n_format(a->i18n, "joint.step", args, out, cap);
}

/* Where a step's content starts: under the header and the step counter. */
static int content_top(struct app *a, struct joint_screen *s) {
    const struct ui_theme *t = ui_theme(a->ui);
    char c[160];
    step_counter(a, s, c, sizeof c);
    return chrome_header_height(a) + t->pad + (c[0] ? ui_line_height(a->ui, UI_FONT_BODY) + t->pad / 2 : 0);
}

static void bottom_bar(struct app *a, struct joint_screen *s, const char *next, const char *back) {
    const struct ui_theme *t = ui_theme(a->ui);
    int bw = 420 * t->text_scale_pct / 100, bh = t->target_min * 3 / 2;
    int y = UI_H - t->pad - bh;
    if (back)
        ui_add_button(&s->layer, "back", (struct ui_rect){t->pad * 2, y, bw, bh}, back,
                      UI_STYLE_NORMAL, on_back, a);
    if (next)
        ui_add_button(&s->layer, "next", (struct ui_rect){UI_W - t->pad * 2 - bw, y, bw, bh}, next,
                      UI_STYLE_PRIMARY, on_next, a);
}

/* The summary over a page: how many to change, then each error. */
static void summary_text(struct app *a, const struct joint_screen *s, char *out, size_t cap) {
    char head[160];
    i18n_format_int(a->i18n, "joint.fix_summary", s->nerr, head, sizeof head);
    int n = snprintf(out, cap, "%s", head);
    for (int i = 0; i < s->nerr && i < s->summary_items && n < (int)cap; i++)
        n += snprintf(out + n, cap - n, "\n· %s", error_text(a, &s->errs[i]));
}

static int summary_height(struct app *a, const struct joint_screen *s) {
    const struct ui_theme *t = ui_theme(a->ui);
    if (s->nerr == 0)
        return 0;
    char text[2048];
    summary_text(a, s, text, sizeof text);
    return ui_text_box_height(a->ui, UI_FONT_BODY, false, text, UI_W - 10 * t->pad) + t->pad;
}

/* A row: the control's height, or more when the label and its error under it need it. */
static int row_height(struct app *a, const struct joint_screen *s, const struct form_field_info *fi) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form_error *e = error_of(s, fi->id);
    if (!e)
        return t->target_min;
    int w = CONTROLS_X - 5 * t->pad;
    int eh = ui_text_box_height(a->ui, UI_FONT_SMALL, false, error_text(a, e), w);
    if (!strcmp(fi->type, "checkbox")) /* the box is the row: the error goes under it */
        return t->target_min + eh;
    int h = ui_text_box_height(a->ui, UI_FONT_BODY, true, fi->label, w) + eh;
    return h > t->target_min ? h : t->target_min;
}

static void layout_rows(struct app *a, struct joint_screen *s) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    int idx[ROWS_MAX], n = rows_of(a, s, idx, ROWS_MAX);
    int bh = t->target_min * 3 / 2;
    int y = content_top(a, s) + ui_line_height(a->ui, UI_FONT_HEADING) + t->pad;
    int bottom = UI_H - 2 * t->pad - bh;
    if (s->first_row >= n)
        s->first_row = 0;
    /* the summary lists up to 4 errors, fewer when the page's rows would not all fit under it
     * (then it says how many, and each is at its field) */
    int need = 0;
    for (int r = s->first_row; r < n; r++) {
        struct form_field_info fi;
        form_field_info(f, s->page, idx[r], lang(a), &fi);
        need += row_height(a, s, &fi);
    }
    int rows_left = n - s->first_row, gap = t->pad / 2;
    need += rows_left * gap;
    for (s->summary_items = 4;; s->summary_items--) {
        s->summary_h = summary_height(a, s);
        if (s->summary_items == 0 || y + s->summary_h + t->pad + need <= bottom)
            break;
    }
    if (s->summary_h)
        y += s->summary_h + t->pad;
    /* closer rows rather than a second page of them */
    while (gap > 4 && rows_left > 0 && y + need > bottom) {
        gap -= 2;
        need -= 2 * rows_left;
    }
    int lx = t->pad * 4, cx = CONTROLS_X, cw = UI_W - CONTROLS_X - t->pad * 4;
    s->nrows = 0;
    for (int r = s->first_row; r < n && s->nrows < ROWS_MAX; r++) {
        int k = idx[r];
        struct form_field_info fi;
        form_field_info(f, s->page, k, lang(a), &fi);
        int h = row_height(a, s, &fi);
        if (y + h > bottom && s->nrows > 0)
            break;
        s->row_field[s->nrows] = k;
        s->row_y[s->nrows] = y;
        s->row_h[s->nrows++] = h;
        const char *v = joint_get(s->j, fi.id);
        char id[32];
        snprintf(id, sizeof id, "f_%s", fi.id);
        if (!strcmp(fi.type, "checkbox")) {
            /* a box and its label, the whole row wide; the box shows whether it is ticked */
            char text[UI_TEXT_MAX];
            snprintf(text, sizeof text, "%s  %s", !strcmp(v, "true") ? "☑" : "☐", fi.label);
            struct ui_widget *w = ui_add_button(
                &s->layer, id, (struct ui_rect){lx, y, UI_W - lx - 4 * t->pad, t->target_min},
                text, UI_STYLE_NORMAL, on_row, a);
            if (w) {
                w->tag = k;
                w->align = UI_LEFT;
            }
        } else if (inline_choice(a, &fi, cw)) {
            int nc = form_code_count(f, fi.codes), hg = t->pad / 2;
            int ow = (cw - (nc - 1) * hg) / nc;
            for (int i = 0; i < nc; i++) {
                const char *label, *code = form_code_at(f, fi.codes, i, lang(a), &label);
                char oid[32];
                snprintf(oid, sizeof oid, "o_%s_%d", fi.id, i);
                struct ui_widget *w = ui_add(&s->layer, UI_CHOICE, oid,
                                             (struct ui_rect){cx + i * (ow + hg), y, ow,
                                                              t->target_min},
                                             label);
                if (w) {
                    w->tag = k * 64 + i;
                    w->on_tap = on_option;
                    w->ctx = a;
                    if (!strcmp(code, v))
                        w->flags |= UI_F_SELECTED;
                }
            }
        } else {
            /* the value (a tap edits it), and 同男方… where the form offers it */
            const char *sa[4], *sl[4];
            int ns = 0;
            for (const char *src; ns < 4 && (src = form_field_same_as(f, s->page, k, ns, lang(a),
                                                                      &sl[ns]));)
                sa[ns++] = src;
            int shown = 0;
            for (int i = 0; i < ns; i++)
                shown += joint_get(s->j, sa[i])[0] != 0;
            int hg = t->pad / 2, sw = shown ? (cw - shown * hg) / (shown + 1) : 0;
            char text[JOINT_VALUE_BYTES + 32];
            int match = same_as_match(a, s, s->page, k, v), x = cx + sw + hg;
            if (match >= 0) /* the value is the chosen button's: this one types another */
                snprintf(text, sizeof text, "%s", app_tr(a, "joint.type_other"));
            else
                shown_value(a, s, s->page, k, &fi, v, text, sizeof text);
            struct ui_widget *w = ui_add_button(
                &s->layer, id, (struct ui_rect){cx, y, shown ? sw : cw, t->target_min}, text,
                s->editing == k ? UI_STYLE_PRIMARY : UI_STYLE_NORMAL, on_row, a);
            if (w) {
                w->tag = k;
                w->flags |= UI_F_PERSONAL;
            }
            for (int i = 0; i < ns; i++) {
                if (!joint_get(s->j, sa[i])[0])
                    continue; /* nothing to take yet */
                char sid[32];
                snprintf(sid, sizeof sid, "s_%s_%d", fi.id, i);
                struct ui_widget *b = ui_add(&s->layer, UI_CHOICE, sid,
                                             (struct ui_rect){x, y, sw, t->target_min}, sl[i]);
                if (b) {
                    b->tag = k * 64 + i;
                    b->on_tap = on_same_as;
                    b->ctx = a;
                    if (match == i)
                        b->flags |= UI_F_SELECTED;
                }
                x += sw + hg;
            }
        }
        y += h + gap;
    }
    s->rows_shown = s->nrows > 0 ? s->nrows : 1;
}

static void layout_editor(struct app *a, struct joint_screen *s) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (s->editing < 0 || !f || form_field_info(f, s->page, s->editing, lang(a), &fi) != 0)
        return;
    int top = content_top(a, s) + ui_line_height(a->ui, UI_FONT_HEADING) + t->pad;
    if (strcmp(fi.type, "choice") != 0) {
        /* the value in a box with its caret, 完成 beside it, the keys under them */
        int kh = kb_height(a->ui), fh = t->target_min * 5 / 4;
        struct ui_widget *in = ui_add(&s->layer, UI_FIELD, "input",
                                      (struct ui_rect){t->pad * 4, top, UI_W - 8 * t->pad, fh},
                                      "");
        for (int i = 0; in && i < s->j->v.n; i++)
            if (!strcmp(s->j->v.key[i], fi.id))
                in->value = s->j->vals[i];
        if (in) {
            in->flags |= UI_F_PERSONAL | UI_F_FOCUSED;
            in->font = UI_FONT_HEADING;
            in->group = !strcmp(fi.type, "phone")       ? UI_GROUP_PHONE
                        : !strcmp(fi.type, "id_number") ? UI_GROUP_ID
                        : !strcmp(fi.type, "date")      ? UI_GROUP_DATE
                                                        : UI_GROUP_NONE;
        }
        s->edit_len = in && in->value ? strlen(in->value) : 0;
        kb_layout(&a->kb, a->ui, (struct ui_rect){0, UI_H - kh, UI_W, kh});
        return;
    }
    /* the code table as a grid of buttons under the field's name, as many rows as fit, with
     * 取消 and paging below them */
    int total = form_code_count(f, fi.codes), bh = t->target_min;
    int gw = (UI_W - 3 * t->pad) / 2;
    int rows = (UI_H - top - t->pad - bh - t->pad / 2) / (bh + t->pad / 2);
    if (rows < 1)
        rows = 1;
    s->choices_per_view = rows * 2;
    for (int i = s->choice_first; i < total && i < s->choice_first + s->choices_per_view; i++) {
        const char *label, *code = form_code_at(f, fi.codes, i, lang(a), &label);
        int k = i - s->choice_first;
        char id[24];
        snprintf(id, sizeof id, "c_%d", i);
        struct ui_widget *w =
            ui_add(&s->layer, UI_CHOICE, id,
                   (struct ui_rect){t->pad + (k % 2) * (gw + t->pad),
                                    top + (k / 2) * (bh + t->pad / 2), gw, bh},
                   label);
        if (w) {
            w->tag = i;
            w->on_tap = on_choice;
            w->ctx = a;
            if (!strcmp(code, joint_get(s->j, fi.id)))
                w->flags |= UI_F_SELECTED;
        }
    }
    int by = UI_H - t->pad / 2 - bh;
    ui_add_button(&s->layer, "c_cancel", (struct ui_rect){(UI_W - gw / 2) / 2, by, gw / 2, bh},
                  app_tr(a, "joint.cancel"), UI_STYLE_NORMAL, on_choice_cancel, a);
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

/* --- the review --- */

static bool page_chosen(struct app *a, struct joint_screen *s, int p) {
    const struct form *f = joint_form(a);
    const char *svc[JOINT_SERVICES_MAX + 1];
    joint_service_ids(a, s->j, svc, JOINT_SERVICES_MAX + 1);
    bool on = !strcmp(form_page_service(f, p), "marriage");
    for (int k = 0; svc[k]; k++)
        on = on || !strcmp(form_page_service(f, p), svc[k]);
    return on;
}

/* The text of a review line: "label：value"; card values masked, typed ones in full. */
static void review_line(struct app *a, struct joint_screen *s, const struct review_item *it,
                        char *out, size_t cap) {
    const struct form *f = joint_form(a);
    const char *sep = !strcmp(lang(a), "en") ? ": " : "：";
    if (it->field == -2) { /* the services */
        const char *svc[JOINT_SERVICES_MAX + 1];
        joint_service_ids(a, s->j, svc, JOINT_SERVICES_MAX + 1);
        int n = snprintf(out, cap, "%s", app_tr(a, "joint.step_services"));
        const char *between = sep; /* before the first, then 、 or , */
        for (int i = 0; f && i < form_service_count(f) && i < JOINT_SERVICES_MAX && n < (int)cap; i++) {
            const char *label;
            bool always;
            form_service_at(f, i, lang(a), &label, &always);
            if (always || s->j->services[i]) {
                n += snprintf(out + n, cap - n, "%s%s", between, label);
                between = !strcmp(lang(a), "en") ? ", " : "、";
            }
        }
        return;
    }
    if (it->field == -3) { /* the 户主 is the spouse: from the spouse's card */
        char k[16], name[96];
        snprintf(k, sizeof k, "%s.name", joint_spouse_of_mover(s->j) ? joint_spouse_of_mover(s->j) : "b");
        mask_name(joint_get(s->j, k), name, sizeof name);
        const char *args[] = {"name", name, NULL};
        i18n_format(a->i18n, "joint.head_spouse", args, out, cap);
        return;
    }
    if (it->field == -4) { /* the card's fields of the page, masked, in one line */
        const char *pid = form_page_id(f, it->page);
        char p = !strcmp(pid, "party_b") ? 'b' : 'a';
        char k[24], name[96], id[48], addr[96], birth[48], valid[48];
#define VAL(field) (snprintf(k, sizeof k, "%c.%s", p, field), joint_get(s->j, k))
        mask_name(VAL("name"), name, sizeof name);
        mask_id_number(VAL("id_number"), id, sizeof id);
        mask_address(VAL("address"), addr, sizeof addr);
        form_date_text(VAL("birth"), lang(a), birth, sizeof birth);
        char until[48];
        form_date_text(VAL("valid_to"), lang(a), until, sizeof until);
        const char *uargs[] = {"d", until, NULL};
        if (!strcmp(VAL("valid_to"), "长期"))
            snprintf(valid, sizeof valid, "%s", app_tr(a, "joint.valid_long"));
        else
            i18n_format(a->i18n, "joint.valid_until", uargs, valid, sizeof valid);
        const char *sex = form_code_label(f, "sex", VAL("sex"), lang(a));
        const char *eth = form_code_label(f, "ethnicity", VAL("ethnicity"), lang(a));
#undef VAL
        const char *args[] = {"name", name,   "sex",     sex,  "ethnicity", eth,
                              "birth", birth, "id",      id,   "address",   addr,
                              "valid_to", valid, NULL};
        i18n_format(a->i18n, "joint.card_line", args, out, cap);
        return;
    }
    struct form_field_info fi;
    form_field_info(f, it->page, it->field, lang(a), &fi);
    const char *v = joint_get(s->j, fi.id);
    char shown[JOINT_VALUE_BYTES + 64];
    if (fi.from_card && strstr(fi.id, ".name"))
        mask_name(v, shown, sizeof shown);
    else if (fi.from_card && !strcmp(fi.type, "id_number"))
        mask_id_number(v, shown, sizeof shown);
    else if (fi.from_card && !strcmp(fi.type, "address"))
        mask_address(v, shown, sizeof shown);
    else if (!v[0])
        snprintf(shown, sizeof shown, "—");
    else
        shown_value(a, s, it->page, it->field, &fi, v, shown, sizeof shown);
    snprintf(out, cap, "%s%s%s", fi.label, sep, shown);
}

/* The review's lines into two columns and pages. */
static int review_cols(struct app *a) {
    (void)a;
    return 2;
}

/* The lines' size: 关怀版 a size down, which is still larger than the standard body text */
static enum ui_font_role review_font(struct app *a) {
    return ui_theme(a->ui)->text_scale_pct > 100 ? UI_FONT_SMALL : UI_FONT_BODY;
}

static int review_col_w(struct app *a) {
    const struct ui_theme *t = ui_theme(a->ui);
    return review_cols(a) == 1 ? UI_W - 8 * t->pad : (UI_W - 9 * t->pad) / 2;
}

static void review_place(struct app *a, struct joint_screen *s, int avail, int colw, int cols) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    s->nitems = 0;
    s->items[s->nitems++] = (struct review_item){.page = -1, .field = -2};
    for (int p = 0; f && p < form_page_count(f); p++) {
        if (!page_chosen(a, s, p))
            continue;
        if (s->nitems < REVIEW_ITEMS)
            s->items[s->nitems++] = (struct review_item){.page = p, .field = -1};
        bool card_line = false;
        for (int k = 0; k < form_field_count(f, p) && s->nitems < REVIEW_ITEMS; k++) {
            struct form_field_info fi;
            if (form_field_info(f, p, k, lang(a), &fi) != 0 ||
                !form_field_visible(f, p, k, &s->j->v))
                continue;
            if (fi.from_card) { /* all of the card's in one line, where its first field is */
                if (!card_line)
                    s->items[s->nitems++] = (struct review_item){.page = p, .field = -4};
                card_line = true;
                continue;
            }
            s->items[s->nitems++] = (struct review_item){.page = p, .field = k};
            if (!strcmp(fi.id, "h.head_is_spouse") && !strcmp(joint_get(s->j, fi.id), "true") &&
                s->nitems < REVIEW_ITEMS)
                s->items[s->nitems++] = (struct review_item){.page = p, .field = -3};
        }
    }
    int cbw = 200 * t->text_scale_pct / 100;
    for (int i = 0; i < s->nitems; i++) { /* the heights first */
        struct review_item *it = &s->items[i];
        if (it->field == -1) { /* the section's title beside its 修改 */
            int th = ui_text_box_height(a->ui, UI_FONT_HEADING, true,
                                        form_page_title(f, it->page, lang(a)), colw - cbw - t->pad);
            it->h = th > t->target_min ? th : t->target_min;
        } else {
            char line[600];
            review_line(a, s, it, line, sizeof line);
            it->h = ui_text_box_height(a->ui, review_font(a), false, line, colw);
            explicit_bzero(line, sizeof line);
        }
    }
    int y = 0, col = 0, pg = 0;
    for (int i = 0; i < s->nitems; i++) {
        struct review_item *it = &s->items[i];
        int need = it->h;
        if (it->field == -1 && i + 1 < s->nitems) /* a heading stays with its first line */
            need += t->pad / 3 + s->items[i + 1].h;
        if (y > 0 && y + need > avail) {
            y = 0;
            if (++col == cols) {
                col = 0;
                pg++;
            }
        }
        it->at_page = pg;
        it->col = col;
        it->y = y;
        y += it->h + (it->field == -1 ? t->pad / 3 : 4);
    }
    s->review_pages = pg + 1;
    if (s->review_page >= s->review_pages)
        s->review_page = s->review_pages - 1;
}

static int review_top(struct app *a, struct joint_screen *s) {
    const struct ui_theme *t = ui_theme(a->ui);
    int y = content_top(a, s);
    y += ui_text_box_height(a->ui, UI_FONT_BODY, false, app_tr(a, "joint.review"),
                            UI_W - 8 * t->pad) +
         t->pad;
    s->summary_items = 4;
    s->summary_h = summary_height(a, s);
    return y + (s->summary_h ? s->summary_h + t->pad : 0);
}

static void layout_review(struct app *a, struct joint_screen *s) {
    const struct ui_theme *t = ui_theme(a->ui);
    int bh = t->target_min * 3 / 2, top = review_top(a, s);
    int colw = review_col_w(a);
    review_place(a, s, UI_H - 2 * t->pad - bh - top, colw, review_cols(a));
    bool last = s->review_page + 1 >= s->review_pages;
    bottom_bar(a, s, app_tr(a, last ? "joint.to_confirm" : "common.next_page"),
               app_tr(a, s->review_page > 0 ? "common.prev_page" : "joint.back"));
    const struct form *f = joint_form(a);
    int cbw = 200 * t->text_scale_pct / 100;
    for (int i = 0; i < s->nitems; i++) {
        const struct review_item *it = &s->items[i];
        if (it->at_page != s->review_page || it->field != -1)
            continue;
        char id[32];
        snprintf(id, sizeof id, "change_%s", form_page_id(f, it->page));
        int x = 4 * t->pad + it->col * (colw + t->pad) + colw - cbw;
        struct ui_widget *w =
            ui_add_button(&s->layer, id, (struct ui_rect){x, top + it->y, cbw, t->target_min},
                          app_tr(a, "joint.change"), UI_STYLE_NORMAL, on_change, a);
        if (w)
            w->tag = it->page;
    }
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
    case JOINT_START:
        bottom_bar(a, s, app_tr(a, "joint.start"), app_tr(a, "joint.back"));
        break;
    case JOINT_CONSENT: {
        bottom_bar(a, s, app_tr(a, "joint.agree"), NULL);
        /* the notice in a view between the counter and the buttons; longer than it (关怀版,
         * English), it scrolls by finger or by 上一页 / 下一页 */
        int top = content_top(a, s);
        int bh = t->target_min * 3 / 2;
        s->consent.view = (struct ui_rect){t->pad * 4, top, UI_W - t->pad * 8,
                                           UI_H - t->pad - bh - t->pad - top};
        int w = s->consent.view.w;
        int content = ui_text_box_height(a->ui, UI_FONT_HEADING, true,
                                         app_tr(a, "joint.consent_title"), w) +
                      t->pad + ui_text_box_height(a->ui, UI_FONT_BODY, false, s->notice, w);
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
        } else {
            bottom_bar(a, s, NULL, app_tr(a, "joint.back"));
        }
        break;
    }
    case JOINT_CARD_A:
    case JOINT_CARD_B:
    case JOINT_CONFIRM:
        bottom_bar(a, s, NULL, app_tr(a, "joint.back"));
        break;
    case JOINT_FORM_A:
    case JOINT_FORM_B:
    case JOINT_PAGE:
        if (s->editing >= 0) {
            layout_editor(a, s);
        } else {
            layout_rows(a, s);
            int idx[ROWS_MAX], n = rows_of(a, s, idx, ROWS_MAX);
            bool more = s->first_row + s->rows_shown < n;
            const char *next = more ? app_tr(a, "common.next_page")
                               : s->from_review ? app_tr(a, "joint.back_to_review")
                                                : app_tr(a, "joint.next");
            bottom_bar(a, s, next,
                       s->first_row > 0   ? app_tr(a, "common.prev_page")
                       : s->from_review ? NULL
                                        : app_tr(a, "joint.back"));
        }
        break;
    case JOINT_SERVICES: {
        const struct form *f = joint_form(a);
        int bw = UI_W - 8 * t->pad, bh = t->target_min * 3 / 2;
        int n = f ? form_service_count(f) : 0;
        n = n < JOINT_SERVICES_MAX ? n : JOINT_SERVICES_MAX;
        /* the heading a size down when two columns of rows would not fit under it */
        const char *heading = app_tr(a, "joint.services");
        int bottom = UI_H - t->pad - t->target_min * 3 / 2 - t->pad;
        s->heading_font = UI_FONT_HEADING;
        int y = content_top(a, s) + t->pad +
                ui_text_box_height(a->ui, s->heading_font, true, heading, bw);
        if (bottom - y < ((n + 1) / 2) * (t->target_min + t->pad)) {
            s->heading_font = UI_FONT_BODY;
            y = content_top(a, s) + t->pad +
                ui_text_box_height(a->ui, s->heading_font, true, heading, bw);
        }
        /* every service's row between the heading and the bottom bar (关怀版: lower rows,
         * never under the touch-target size) */
        int room = bottom - y;
        int cols = n > 0 && room / n - t->pad < t->target_min ? 2 : 1; /* two columns else */
        int rows = cols == 2 ? (n + 1) / 2 : n;
        if (rows > 0 && room / rows - t->pad < bh)
            bh = room / rows - t->pad > t->target_min ? room / rows - t->pad : t->target_min;
        int cw = cols == 2 ? (bw - t->pad) / 2 : bw, y0 = y;
        for (int i = 0; f && i < form_service_count(f) && i < JOINT_SERVICES_MAX; i++) {
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
                w->align = UI_LEFT;
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
        bottom_bar(a, s, app_tr(a, "joint.next"), app_tr(a, "joint.back"));
        break;
    }
    case JOINT_REVIEW:
        layout_review(a, s);
        break;
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

static void draw_summary(struct app *a, struct joint_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    if (!s->summary_h)
        return;
    char text[2048];
    summary_text(a, s, text, sizeof text);
    struct ui_rect box = {t->pad * 4, y, UI_W - 8 * t->pad, s->summary_h};
    ui_fill_round_bordered(a->ui, box, t->radius / 2, t->panel, t->border * 2, t->danger);
    ui_text_box(a->ui, UI_FONT_BODY, false, t->danger, text,
                (struct ui_rect){box.x + t->pad, y + t->pad / 2, box.w - 2 * t->pad,
                                 s->summary_h - t->pad},
                UI_LEFT, UI_TOP);
}

static void draw_rows(struct app *a, struct joint_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    ui_text(a->ui, UI_FONT_HEADING, true, t->text, form_page_title(f, s->page, lang(a)), t->pad * 4,
            y, UI_LEFT, UI_TOP);
    draw_summary(a, s, y + ui_line_height(a->ui, UI_FONT_HEADING) + t->pad);
    for (int r = 0; r < s->nrows; r++) {
        struct form_field_info fi;
        form_field_info(f, s->page, s->row_field[r], lang(a), &fi);
        const struct form_error *e = error_of(s, fi.id);
        /* the label (a checkbox carries its own), and its error under it, in red */
        char label[200];
        snprintf(label, sizeof label, "%s%s", fi.label, fi.required ? " *" : "");
        int w = CONTROLS_X - 5 * t->pad;
        int lh = strcmp(fi.type, "checkbox") != 0
                     ? ui_text_box_height(a->ui, UI_FONT_BODY, e != NULL, label, w)
                     : 0;
        int eh = e ? ui_text_box_height(a->ui, UI_FONT_SMALL, false, error_text(a, e), w) : 0;
        int y0 = lh ? s->row_y[r] + (s->row_h[r] - lh - eh) / 2 : s->row_y[r] + t->target_min;
        if (lh)
            ui_text_box(a->ui, UI_FONT_BODY, e != NULL, e ? t->danger : t->text, label,
                        (struct ui_rect){t->pad * 4, y0, w, lh}, UI_LEFT, UI_TOP);
        if (e)
            ui_text_box(a->ui, UI_FONT_SMALL, false, t->danger, error_text(a, e),
                        (struct ui_rect){t->pad * 4, y0 + lh, w, eh}, UI_LEFT, UI_TOP);
    }
}

static void draw_editing(struct app *a, struct joint_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    struct form_field_info fi;
    if (form_field_info(f, s->page, s->editing, lang(a), &fi) != 0)
        return;
    ui_text(a->ui, UI_FONT_HEADING, true, t->text, fi.label, t->pad * 4, y, UI_LEFT, UI_TOP);
    if (strcmp(fi.type, "choice") == 0)
        return;
    /* the hint (dates) or the field's error, under the box where the keys leave room */
    const struct ui_widget *in = ui_layer_get(&s->layer, "input");
    /* the field's error until the value is changed */
    const struct form_error *e =
        in && in->value && strlen(in->value) == s->edit_len ? error_of(s, fi.id) : NULL;
    const char *hint = e ? error_text(a, e) : !strcmp(fi.type, "date") ? app_tr(a, "joint.date_hint") : NULL;
    if (hint && in) {
        int hy = in->r.y + in->r.h + t->pad / 3, room = UI_H - kb_height(a->ui) - hy;
        if (room >= ui_line_height(a->ui, UI_FONT_SMALL))
            ui_text_box(a->ui, ui_fit_font(a->ui, UI_FONT_BODY, false, hint, UI_W - 8 * t->pad, room),
                        false, e ? t->danger : t->muted, hint,
                        (struct ui_rect){t->pad * 4, hy, UI_W - 8 * t->pad, room}, UI_LEFT, UI_TOP);
    }
}

static void draw_review(struct app *a, struct joint_screen *s) {
    const struct ui_theme *t = ui_theme(a->ui);
    const struct form *f = joint_form(a);
    int y = content_top(a, s);
    y += text_box(a, UI_FONT_BODY, false, t->muted, app_tr(a, "joint.review"), y) + t->pad;
    draw_summary(a, s, y);
    int top = review_top(a, s), colw = review_col_w(a);
    for (int i = 0; i < s->nitems; i++) {
        const struct review_item *it = &s->items[i];
        if (it->at_page != s->review_page)
            continue;
        int x = 4 * t->pad + it->col * (colw + t->pad);
        if (it->field == -1) {
            int cbw = 200 * t->text_scale_pct / 100;
            ui_text_box(a->ui, UI_FONT_HEADING, true, t->primary, form_page_title(f, it->page, lang(a)),
                        (struct ui_rect){x, top + it->y, colw - cbw - t->pad, it->h}, UI_LEFT,
                        UI_MIDDLE);
            continue;
        }
        char line[600];
        review_line(a, s, it, line, sizeof line);
        ui_set_personal(a->ui, true);
        ui_text_box(a->ui, review_font(a), false, t->text, line,
                    (struct ui_rect){x, top + it->y, colw, it->h}, UI_LEFT, UI_TOP);
        ui_set_personal(a->ui, false);
    }
}

static int party_line(struct app *a, char p, bool confirmed, int y, enum ui_font_role role) {
    const struct ui_theme *t = ui_theme(a->ui);
    struct joint_screen *s = current(a);
    char k1[16], k2[16], n[96], i[32], line[200];
    snprintf(k1, sizeof k1, "%c.name", p);
    snprintf(k2, sizeof k2, "%c.id_number", p);
    mask_name(joint_get(s->j, k1), n, sizeof n);
    mask_id_number(joint_get(s->j, k2), i, sizeof i);
    snprintf(line, sizeof line, "%s  %s", n, i);
    ui_set_personal(a->ui, true);
    ui_text(a->ui, role, true, t->text, line, t->pad * 4, y, UI_LEFT, UI_TOP);
    ui_set_personal(a->ui, false);
    ui_text(a->ui, role, true, confirmed ? t->primary : t->danger,
            app_tr(a, confirmed ? "joint.confirmed" : "joint.confirm_card"), UI_W - t->pad * 4, y,
            UI_RIGHT, UI_TOP);
    return ui_line_height(a->ui, role) + t->pad;
}

static void draw_start(struct app *a, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    /* the three things to know, each a heading-sized line, a size down when they would not fit
     * above the buttons */
    const char *title = app_tr(a, "joint.start_title");
    char body[1600];
    snprintf(body, sizeof body, "%s\n%s\n%s", app_tr(a, "joint.start_who"),
             app_tr(a, "joint.start_bring"), app_tr(a, "joint.start_time"));
    y += text_box(a, t->text_scale_pct > 100 ? UI_FONT_HEADING : UI_FONT_TITLE, true, t->text,
                  title, y) +
         t->pad;
    int room = UI_H - 2 * t->pad - t->target_min * 3 / 2 - y;
    if (room < ui_line_height(a->ui, UI_FONT_SMALL))
        return;
    enum ui_font_role role = ui_fit_font(a->ui, UI_FONT_HEADING, false, body, UI_W - 8 * t->pad, room);
    ui_text_box(a->ui, role, false, t->text, body, (struct ui_rect){t->pad * 4, y, UI_W - 8 * t->pad, room},
                UI_LEFT, UI_TOP);
}

static void joint_draw(struct app *a, void *st) {
    struct joint_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_joint_title(a));
    char counter[160];
    step_counter(a, s, counter, sizeof counter);
    if (counter[0])
        ui_text(a->ui, UI_FONT_BODY, true, t->muted, counter, t->pad * 4,
                chrome_header_height(a) + t->pad / 2, UI_LEFT, UI_TOP);
    int y = content_top(a, s) + t->pad;
    switch (s->step) {
    case JOINT_HOME: /* not a step drawn: the flow has left */
    case JOINT_STEPS:
        break;
    case JOINT_START:
        draw_start(a, y);
        break;
    case JOINT_CONSENT: {
        struct ui_rect v = s->consent.view;
        int cy = v.y - s->consent.offset;
        ui_clip(a->ui, &v);
        cy += ui_text_box(a->ui, UI_FONT_HEADING, true, t->text, app_tr(a, "joint.consent_title"),
                          (struct ui_rect){v.x, cy, v.w, UI_H * 4}, UI_LEFT, UI_TOP) +
              t->pad;
        ui_text_box(a->ui, UI_FONT_BODY, false, t->text, s->notice,
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
        int w = UI_W - 8 * t->pad, top = y + (t->text_scale_pct > 100 ? 0 : 100);
        const char *who = app_tr(a, s->step == JOINT_CARD_A ? "joint.card_a" : "joint.card_b");
        /* one line of the title size, or two of the size below it; the size below when the
         * hint under it would not fit even in small type (关怀版) */
        const char *how = app_tr(a, a->reader_state == 0 ? "joint.reader_down" : "joint.card_hint");
        int bottom = UI_H - 2 * t->pad - t->target_min * 3 / 2 - t->pad;
        enum ui_font_role wf =
            ui_fit_font(a->ui, UI_FONT_TITLE, true, who, w, ui_line_height(a->ui, UI_FONT_TITLE));
        if (wf < UI_FONT_HEADING)
            wf = UI_FONT_HEADING;
        int hy = top + ui_text_box_height(a->ui, wf, true, who, w) + t->pad;
        while (wf > UI_FONT_BODY &&
               ui_text_box_height(a->ui, UI_FONT_SMALL, false, how, w) > bottom - hy) {
            wf--;
            hy = top + ui_text_box_height(a->ui, wf, true, who, w) + t->pad;
        }
        ui_text_box(a->ui, wf, true, t->text, who,
                    (struct ui_rect){t->pad * 4, top, w, hy - t->pad - top}, UI_CENTER, UI_TOP);
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
            draw_editing(a, s, y - t->pad);
        else
            draw_rows(a, s, y - t->pad);
        break;
    case JOINT_SERVICES:
        text_box(a, s->heading_font, true, t->text, app_tr(a, "joint.services"), y);
        break;
    case JOINT_CONFIRM: {
        /* the declaration a size smaller when both parties' lines would not fit under it,
         * and those lines a size smaller too when even that is not enough (关怀版, English) */
        const char *decl = app_tr(a, "joint.declaration");
        enum ui_font_role lf = UI_FONT_HEADING;
        int room = 0;
        for (;; lf = UI_FONT_BODY) {
            int lines = 2 * (ui_line_height(a->ui, lf) + t->pad);
            room = UI_H - t->pad - t->target_min * 3 / 2 - t->pad - y - lines - t->pad * 2;
            if (lf == UI_FONT_BODY ||
                ui_text_box_height(a->ui, UI_FONT_SMALL, false, decl, UI_W - t->pad * 8) <= room)
                break;
        }
        enum ui_font_role df =
            ui_fit_font(a->ui, UI_FONT_BODY, false, decl, UI_W - t->pad * 8, room);

        y += text_box(a, df, false, t->text, decl, y) + t->pad * 2;
        y += party_line(a, 'a', s->j->confirmed_a, y, lf);
        y += party_line(a, 'b', s->j->confirmed_b, y, lf);
        if (a->reader_state == 0)
            text_box(a, UI_FONT_HEADING, true, t->danger, app_tr(a, "joint.reader_down"), y);
        break;
    }
    case JOINT_REVIEW:
        draw_review(a, s);
        break;
    case JOINT_DONE: {
        y = chrome_header_height(a) + t->pad * 2;
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
        char ahead[200] = "";
        if (s->j->queue_known) { /* where it waits, once the registry said */
            char n[16], m[16];
            snprintf(n, sizeof n, "%d", s->j->ahead);
            snprintf(m, sizeof m, "%d", s->j->wait_min);
            const char *qargs[] = {"n", n, "m", m, NULL};
            i18n_format(a->i18n, s->j->ahead ? "checkin.ahead" : "checkin.ahead_none", qargs,
                        ahead, sizeof ahead);
        }
        char next[600];
        snprintf(next, sizeof next, "%s", app_tr(a, "joint.done_next"));
        if (t->text_scale_pct > 100 && ahead[0]) { /* 关怀版: one paragraph, one gap less */
            size_t len = strlen(next);
            snprintf(next + len, sizeof next - len, "%s", ahead);
            ahead[0] = 0;
        }
        const char *lines[] = {next, ahead[0] ? ahead : NULL, app_tr(a, pkey)};
        const bool bad[] = {false, false, a->receipt_printed == 0};
        chrome_receipt_texts(a, y, lines, bad, 3, cd);
        break;
    }
    }
    /* the marriage booking the application follows, until both cards are in */
    char booked[400] = "";
    bool waits = s->step == JOINT_START || s->step == JOINT_SERVICES || s->step == JOINT_CONSENT ||
                 s->step == JOINT_CARD_A || s->step == JOINT_CARD_B;
    if (!s->message[0] && s->j && s->j->appt_id[0] && waits) {
        char n0[96], n1[96], names[200];
        mask_name(s->j->booked_name[0], n0, sizeof n0);
        mask_name(s->j->booked_name[1], n1, sizeof n1);
        snprintf(names, sizeof names, "%s%s%s", n0, n1[0] ? "、" : "", n1);
        const char *args[] = {"b", s->j->booking_no, "n", names, NULL};
        i18n_format(a->i18n, "joint.booking_found", args, booked, sizeof booked);
    }
    const char *msg = s->message[0] ? s->message : booked;
    if (msg[0]) {
        /* where 下一步 would be on the steps that wait for a card; above the buttons else */
        int bh = t->target_min * 3 / 2, bw = 420 * t->text_scale_pct / 100;
        bool beside = !ui_layer_get(&s->layer, "next");
        struct ui_rect r =
            beside ? (struct ui_rect){t->pad * 3 + bw, UI_H - t->pad - bh, UI_W - bw - 7 * t->pad, bh}
                   : (struct ui_rect){t->pad * 4,
                                      UI_H - 2 * t->pad - bh - 2 * ui_line_height(a->ui, UI_FONT_BODY),
                                      UI_W - 8 * t->pad, 2 * ui_line_height(a->ui, UI_FONT_BODY)};
        ui_set_personal(a->ui, msg == booked); /* masked names, still personal */
        ui_text_box(a->ui, ui_fit_font(a->ui, UI_FONT_BODY, true, msg, r.w, r.h), true,
                    msg == booked ? t->primary : t->danger, msg, r, beside ? UI_RIGHT : UI_LEFT,
                    beside ? UI_MIDDLE : UI_TOP);
        ui_set_personal(a->ui, false);
    }
    ui_layer_draw(a->ui, &s->layer);
    if (s->editing >= 0 && ui_layer_get(&s->layer, "input") != NULL)
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
            submit(a, s); /* both declared: the application goes in */
        else
            ui_invalidate(a->ui);
    }
}

/* A booking's QR before the first card: the marriage booking the application follows. */
static void scanned(struct app *a, struct joint_screen *s) {
    if (!s->j)
        return;
    int rc = joint_booking_by_code(a, s->j, a->scan_code);
    s->message[0] = 0;
    if (rc != 0)
        snprintf(s->message, sizeof s->message, "%s",
                 app_tr(a, rc > 0 ? "joint.no_booking_code" : "joint.booking_failed"));
    log_info("joint", rc == 0 ? "the marriage booking found by its code" : "a code that is no marriage booking here");
    ui_invalidate(a->ui);
}

static bool typing(const struct joint_screen *s) {
    return s->editing >= 0 && ui_layer_get((struct ui_layer *)&s->layer, "input") != NULL;
}

static bool joint_event(struct app *a, void *st, const struct ui_event *ev) {
    struct joint_screen *s = st;
    if (ev->type == UI_EV_DEVICE) {
        const struct device_event *d = ev->device;
        if (d->kind == DEV_CARD_READ && a->card)
            card(a, s);
        else if (d->kind == DEV_SCAN && a->scan_code && s->step <= JOINT_CARD_A)
            scanned(a, s);
        else if (d->kind == DEV_STATUS && s->step == JOINT_DONE && s->j && s->j->queue_asked &&
                 office_queue_answer(d, s->j->record_id, &s->j->ahead, &s->j->wait_min)) {
            s->j->queue_known = true; /* 前面还有 N 位 */
            ui_invalidate(a->ui);
        } else if (d->kind == DEV_PRINT_DONE || d->kind == DEV_READER_STATE)
            ui_invalidate(a->ui);
        return true;
    }
    if (typing(s)) {
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
    s->step = JOINT_START;
    s->j = session_alloc(&a->session, sizeof *s->j);
    if (!joint_form(a) || !s->j) {
        app_out_of_service(a, "oos.reason_content");
        return;
    }
    s->j->form = joint_form(a);
    app_say(a, "joint.start_title", NULL);
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
    if (typing(s))
        app_keyboard_close(a);
}

static int joint_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    struct joint_screen *s = st;
    return screen_layers_kb(a, &s->layer, typing(s), out, max);
}

static const char *joint_step_id(struct app *a, void *st) {
    (void)a;
    struct joint_screen *s = st;
    static const char *const ids[] = {"joint",
                                      "joint.services",
                                      "joint.consent",
                                      "joint.party_a",
                                      "joint.party_a_form",
                                      "joint.party_b",
                                      "joint.party_b_form",
                                      NULL,
                                      "joint.review",
                                      "joint.confirm",
                                      "joint.done"};
    const char *base = s->step == JOINT_PAGE ? s->step_id
                       : (size_t)s->step < sizeof ids / sizeof *ids ? ids[s->step]
                                                                    : "joint";
    struct form_field_info fi;
    if (s->editing < 0 || !s->j || !s->j->form ||
        form_field_info(s->j->form, s->page, s->editing, "zh-CN", &fi) != 0)
        return base;
    /* a picker or the keyboard: the page's id and the field's */
    snprintf(s->edit_id, sizeof s->edit_id, "%s/%s", base, fi.id);
    return s->edit_id;
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
