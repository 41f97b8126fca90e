/* widget: see widget.h. */
#include "widget.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

void ui_layer_clear(struct ui_layer *l) {
    l->n = 0;
    l->pressed = -1;
    l->press_ms = 0;
    l->hold_fired = false;
}

struct ui_widget *ui_add(struct ui_layer *l, enum ui_kind kind, const char *id, struct ui_rect r,
                         const char *text) {
    if (l->n >= UI_LAYER_MAX) {
        log_error("ui", "layer full, widget %s dropped", id ? id : "");
        return NULL;
    }
    struct ui_widget *w = &l->w[l->n++];
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->r = r;
    w->font = UI_FONT_BUTTON;
    w->align = UI_CENTER;
    snprintf(w->id, sizeof w->id, "%s", id ? id : "");
    snprintf(w->text, sizeof w->text, "%s", text ? text : "");
    return w;
}

struct ui_widget *ui_add_button(struct ui_layer *l, const char *id, struct ui_rect r,
                                const char *text, enum ui_style style, ui_tap_fn fn, void *ctx) {
    struct ui_widget *w = ui_add(l, UI_BUTTON, id, r, text);
    if (w) {
        w->style = style;
        w->on_tap = fn;
        w->ctx = ctx;
    }
    return w;
}

static bool hit(const struct ui_widget *w, int x, int y) {
    return x >= w->r.x && x < w->r.x + w->r.w && y >= w->r.y && y < w->r.y + w->r.h;
}

static bool takes_input(const struct ui_widget *w) {
    if (w->flags & (UI_F_HIDDEN | UI_F_DISABLED))
        return false;
    return w->kind == UI_BUTTON || w->kind == UI_TILE || w->kind == UI_FIELD ||
           w->kind == UI_CHOICE || w->kind == UI_HOTSPOT;
}

static void set_pressed(struct ui *ui, struct ui_layer *l, int i) {
    if (l->pressed >= 0 && l->pressed < l->n)
        l->w[l->pressed].flags &= ~(unsigned)UI_F_PRESSED;
    l->pressed = i;
    if (i >= 0)
        l->w[i].flags |= UI_F_PRESSED;
    ui_invalidate(ui);
}

bool ui_layer_event(struct ui *ui, struct ui_layer *l, const struct ui_event *ev, int64_t now_ms) {
    switch (ev->type) {
    case UI_EV_DOWN:
        /* topmost first: later widgets are drawn over earlier ones */
        for (int i = l->n - 1; i >= 0; i--) {
            if (takes_input(&l->w[i]) && hit(&l->w[i], ev->x, ev->y)) {
                set_pressed(ui, l, i);
                l->press_ms = now_ms;
                l->hold_fired = false;
                return true;
            }
        }
        return false;
    case UI_EV_MOVE:
        if (l->pressed < 0)
            return false;
        if (!hit(&l->w[l->pressed], ev->x, ev->y))
            set_pressed(ui, l, -1); /* slid off: the press is cancelled */
        return true;
    case UI_EV_UP: {
        if (l->pressed < 0)
            return false;
        int i = l->pressed;
        set_pressed(ui, l, -1);
        struct ui_widget *w = &l->w[i];
        if (!hit(w, ev->x, ev->y) || l->hold_fired)
            return true;
        if (w->hold_ms > 0 && now_ms - l->press_ms < w->hold_ms)
            return true; /* a hidden hold target: a short tap does nothing */
        if (w->on_tap)
            w->on_tap(w->ctx, w);
        return true;
    }
    default:
        return false;
    }
}

int64_t ui_layer_tick(struct ui *ui, struct ui_layer *l, int64_t now_ms) {
    (void)ui;
    if (l->pressed < 0 || l->hold_fired)
        return -1;
    struct ui_widget *w = &l->w[l->pressed];
    if (w->hold_ms <= 0)
        return -1;
    int64_t left = l->press_ms + w->hold_ms - now_ms;
    if (left > 0)
        return left;
    l->hold_fired = true;
    if (w->on_tap)
        w->on_tap(w->ctx, w);
    return -1;
}

struct ui_widget *ui_layer_find(struct ui_layer *l, const char *target) {
    bool by_id = target[0] == '@';
    for (int i = l->n - 1; i >= 0; i--) {
        struct ui_widget *w = &l->w[i];
        if (w->flags & UI_F_HIDDEN)
            continue;
        if (by_id ? strcmp(w->id, target + 1) == 0 : strcmp(w->text, target) == 0)
            return w;
    }
    return NULL;
}

struct ui_widget *ui_layer_get(struct ui_layer *l, const char *id) {
    for (int i = 0; i < l->n; i++) {
        if (strcmp(l->w[i].id, id) == 0)
            return &l->w[i];
    }
    return NULL;
}

static int longest_word(struct ui *ui, enum ui_font_role role, bool bold, const char *text);

/* ui_fit_font: see widget.h; a label never runs out of its widget. */
enum ui_font_role ui_fit_font(struct ui *ui, enum ui_font_role role, bool bold, const char *text,
                              int w, int h) {
    while (role > UI_FONT_SMALL && (ui_text_box_height(ui, role, bold, text, w) > h ||
                                    longest_word(ui, role, bold, text) > w))
        role--;
    return role;
}

/* The widest unbreakable run of text (a Latin word; CJK breaks anywhere), in pixels. */
static int longest_word(struct ui *ui, enum ui_font_role role, bool bold, const char *text) {
    int best = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && !((unsigned char)*e >= 0xE0))
            e++;
        if (e > p) {
            char word[UI_TEXT_MAX];
            size_t n = (size_t)(e - p) < sizeof word - 1 ? (size_t)(e - p) : sizeof word - 1;
            memcpy(word, p, n);
            word[n] = 0;
            int wpx = ui_text_width(ui, role, bold, word);
            if (wpx > best)
                best = wpx;
            p = e;
        } else if (*p) {
            p++; /* a CJK character's first byte: its run breaks anywhere */
            while (((unsigned char)*p & 0xC0) == 0x80)
                p++;
        }
    }
    return best;
}

static void draw_button(struct ui *ui, const struct ui_widget *w) {
    const struct ui_theme *t = ui_theme(ui);
    struct ui_color fill = t->button, fg = t->button_text, edge = t->border_color;
    bool pressed = w->flags & UI_F_PRESSED;
    bool selected = w->flags & UI_F_SELECTED;
    switch (w->style) {
    case UI_STYLE_PRIMARY:
        fill = t->primary, fg = t->primary_text, edge = t->primary;
        break;
    case UI_STYLE_HEADER:
        fill = t->header_bg, fg = t->header_text, edge = t->header_text;
        break;
    case UI_STYLE_QUIET:
        fill = t->bg, edge = t->bg;
        break;
    default:
        break;
    }
    if (selected && w->style == UI_STYLE_HEADER)
        fill = t->header_text, fg = t->header_bg, edge = t->header_text;
    else if (selected)
        fill = t->primary, fg = t->primary_text, edge = t->primary;
    if (pressed)
        fill = t->pressed, fg = t->button_text;
    if (w->flags & UI_F_DISABLED) /* grey whatever the style: it must not look pressable */
        fill = t->bg, fg = t->muted, edge = t->border_color;
    ui_fill_round_bordered(ui, w->r, t->radius, fill, t->border, edge);
    struct ui_rect in = {w->r.x + t->pad / 2, w->r.y, w->r.w - t->pad, w->r.h};
    bool bold = (w->flags & UI_F_BOLD) != 0;
    enum ui_font_role font = ui_fit_font(ui, w->font, bold, w->text, in.w, in.h - 2 * t->border);
    ui_text_box(ui, font, bold, fg, w->text, in, w->align, UI_MIDDLE);
}

static int tile_inner_w(struct ui *ui, const struct ui_widget *w) {
    return w->r.w - 2 * ui_theme(ui)->pad - 16;
}

bool ui_tile_fits_sub(struct ui *ui, const struct ui_widget *w) {
    const struct ui_theme *t = ui_theme(ui);
    int iw = tile_inner_w(ui, w);
    int need = ui_text_box_height(ui, UI_FONT_TITLE, true, w->text, iw) + t->pad / 2 +
               ui_text_box_height(ui, UI_FONT_BODY, false, w->sub, iw);
    return w->sub[0] && need <= w->r.h - t->pad;
}

static void draw_tile(struct ui *ui, const struct ui_widget *w) {
    const struct ui_theme *t = ui_theme(ui);
    bool pressed = w->flags & UI_F_PRESSED;
    struct ui_color fill = pressed ? t->pressed : t->panel;
    ui_fill_round_bordered(ui, w->r, t->radius, fill, t->border, t->border_color);
    /* a coloured band on the left edge tells the tiles apart at a glance */
    ui_fill_round(
        ui, (struct ui_rect){w->r.x + t->border, w->r.y + t->border, 16, w->r.h - 2 * t->border},
        t->radius / 2, w->tag % 2 ? t->accent : t->primary);
    /* The title wraps when it must (English in 关怀版); the subtitle is left out when the
     * tile cannot hold it, rather than drawn over the tile's edge. */
    int iw = tile_inner_w(ui, w);
    enum ui_font_role tf = ui_fit_font(ui, UI_FONT_TITLE, true, w->text, iw, w->r.h - 2 * t->border);
    int title_h = ui_text_box_height(ui, tf, true, w->text, iw);
    int sub_h = ui_text_box_height(ui, UI_FONT_BODY, false, w->sub, iw);
    bool with_sub = tf == UI_FONT_TITLE && ui_tile_fits_sub(ui, w);
    int total = with_sub ? title_h + t->pad / 2 + sub_h : title_h;
    int y = w->r.y + (w->r.h - total) / 2;
    int x = w->r.x + t->pad + 16;
    ui_text_box(ui, tf, true, t->text, w->text, (struct ui_rect){x, y, iw, title_h}, UI_LEFT,
                UI_TOP);
    if (with_sub)
        ui_text_box(ui, UI_FONT_BODY, false, t->muted, w->sub,
                    (struct ui_rect){x, y + title_h + t->pad / 2, iw, sub_h}, UI_LEFT, UI_TOP);
}

void ui_group_text(enum ui_group g, const char *in, char *out, size_t cap) {
    static const int phone[] = {3, 4, 4, 0}, id[] = {6, 8, 4, 0}, date[] = {4, 2, 2, 0},
                     fours[] = {4, 4, 4, 4, 4, 4, 4, 4, 0};
    size_t n = strlen(in);
    const int *sizes = g == UI_GROUP_PHONE  ? phone
                       : g == UI_GROUP_ID   ? id
                       : g == UI_GROUP_DATE ? date
                       : g == UI_GROUP_CODE ? (n == 17 || n == 18 ? id : fours)
                                            : NULL;
    size_t o = 0, i = 0;
    if (cap == 0)
        return;
    for (int k = 0; in[i] && o + 1 < cap; k++) {
        size_t take = sizes && sizes[k] ? (size_t)sizes[k] : n - i; /* the rest as it is */
        if (k > 0 && o + 2 < cap)
            out[o++] = ' ';
        for (size_t t = 0; t < take && in[i] && o + 1 < cap; t++)
            out[o++] = in[i++];
    }
    out[o] = 0;
}

static void draw_field(struct ui *ui, const struct ui_widget *w) {
    const struct ui_theme *t = ui_theme(ui);
    bool focused = w->flags & UI_F_FOCUSED;
    ui_fill_round_bordered(ui, w->r, t->radius / 2, t->panel, focused ? t->border * 2 : t->border,
                           focused ? t->focus : t->border_color);
    int x = w->r.x + t->pad / 2;
    int cy = w->r.y + w->r.h / 2;
    char grouped[2 * UI_TEXT_MAX];
    ui_group_text(w->group, w->value ? w->value : "", grouped, sizeof grouped);
    const char *v = grouped;
    int tw = 0, room = w->r.w - t->pad;
    if (v[0]) {
        /* what is typed last shows: the start gives way when it is longer than the field */
        const char *shown = v;
        while (shown[0] && ui_text_width(ui, w->font, false, shown) > room - 8) {
            shown++;
            while (((unsigned char)*shown & 0xC0) == 0x80)
                shown++;
        }
        ui_set_personal(ui, (w->flags & UI_F_PERSONAL) != 0);
        tw = ui_text(ui, w->font, false, t->text, shown, x, cy, UI_LEFT, UI_MIDDLE);
        ui_set_personal(ui, false);
    } else if (w->sub[0]) {
        /* the hint a size smaller when it is longer than the field, at worst cut with … */
        enum ui_font_role f = w->font;
        while (f > UI_FONT_SMALL && ui_text_width(ui, f, false, w->sub) > room)
            f--;
        char hint[UI_TEXT_MAX + 4];
        snprintf(hint, sizeof hint, "%s", w->sub);
        size_t n = strlen(hint);
        while (n > 0 && ui_text_width(ui, f, false, hint) > room) {
            do
                n--;
            while (n > 0 && ((unsigned char)hint[n] & 0xC0) == 0x80);
            memcpy(hint + n, "…", 4);
        }
        ui_text(ui, f, false, t->muted, hint, x, cy, UI_LEFT, UI_MIDDLE);
    }
    if (focused) {
        int lh = ui_line_height(ui, w->font);
        ui_fill(ui, (struct ui_rect){x + tw + 2, cy - lh / 2, 3, lh}, t->focus);
    }
}

void ui_layer_draw(struct ui *ui, struct ui_layer *l) {
    const struct ui_theme *t = ui_theme(ui);
    for (int i = 0; i < l->n; i++) {
        struct ui_widget *w = &l->w[i];
        if (w->flags & UI_F_HIDDEN)
            continue;
        ui_set_drawing(ui, l, i);
        switch (w->kind) {
        case UI_LABEL:
            ui_set_personal(ui, (w->flags & UI_F_PERSONAL) != 0);
            ui_text_box(ui, w->font, (w->flags & UI_F_BOLD) != 0, t->text, w->text, w->r, w->align,
                        UI_MIDDLE);
            ui_set_personal(ui, false);
            break;
        case UI_BUTTON:
        case UI_CHOICE:
            draw_button(ui, w);
            break;
        case UI_TILE:
            draw_tile(ui, w);
            break;
        case UI_FIELD:
            draw_field(ui, w);
            break;
        case UI_QR:
            ui_draw_qr(ui, w->text, w->r);
            break;
        case UI_SPINNER:
            ui_draw_spinner(ui, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2, w->r.w / 2, w->tag);
            break;
        case UI_HOTSPOT:
            break;
        }
    }
    ui_set_drawing(ui, NULL, -1);
}

/* --- scroll view --- */

static int scroll_max(const struct ui_scroll *s) {
    int m = s->content_h - s->view.h;
    return m > 0 ? m : 0;
}

void ui_scroll_set_content(struct ui_scroll *s, int content_h) {
    s->content_h = content_h;
    if (s->offset > scroll_max(s))
        s->offset = scroll_max(s);
    if (s->offset < 0)
        s->offset = 0;
}

bool ui_scroll_event(struct ui *ui, struct ui_scroll *s, const struct ui_event *ev) {
    const struct ui_rect *v = &s->view;
    switch (ev->type) {
    case UI_EV_DOWN:
        if (ev->x < v->x || ev->x >= v->x + v->w || ev->y < v->y || ev->y >= v->y + v->h)
            return false;
        s->dragging = true;
        s->drag_y = ev->y;
        s->drag_offset = s->offset;
        return true;
    case UI_EV_MOVE:
        if (!s->dragging)
            return false;
        s->offset = s->drag_offset - (ev->y - s->drag_y);
        ui_scroll_set_content(s, s->content_h);
        ui_invalidate(ui);
        return true;
    case UI_EV_UP:
        if (!s->dragging)
            return false;
        s->dragging = false;
        return true;
    default:
        return false;
    }
}

void ui_scroll_page(struct ui *ui, struct ui_scroll *s, int direction) {
    s->offset += direction * (s->view.h * 4 / 5);
    ui_scroll_set_content(s, s->content_h);
    ui_invalidate(ui);
}

bool ui_scroll_at_top(const struct ui_scroll *s) {
    return s->offset <= 0;
}

bool ui_scroll_at_end(const struct ui_scroll *s) {
    return s->offset >= scroll_max(s);
}

void ui_scroll_draw_bar(struct ui *ui, const struct ui_scroll *s) {
    if (s->content_h <= s->view.h)
        return;
    const struct ui_theme *t = ui_theme(ui);
    struct ui_rect track = {s->view.x + s->view.w + 8, s->view.y, 10, s->view.h};
    ui_fill_round(ui, track, 5, t->border_color);
    int h = s->view.h * s->view.h / s->content_h;
    if (h < 40)
        h = 40;
    int y = s->view.y + (s->view.h - h) * s->offset / (scroll_max(s) ? scroll_max(s) : 1);
    ui_fill_round(ui, (struct ui_rect){track.x, y, track.w, h}, 5, t->primary);
}

/* --- dialog --- */

void ui_dialog_open(struct ui *ui, struct ui_dialog *d, const char *title, const char *message) {
    const struct ui_theme *t = ui_theme(ui);
    d->shown = true;
    snprintf(d->title, sizeof d->title, "%s", title);
    snprintf(d->message, sizeof d->message, "%s", message);
    ui_layer_clear(&d->layer);
    int w = 1000 * t->text_scale_pct / 100;
    if (w > UI_W - 2 * t->pad)
        w = UI_W - 2 * t->pad;
    /* tall enough for its title, its message wrapped and a row of buttons, in this theme */
    int need = t->pad + ui_line_height(ui, UI_FONT_TITLE) + t->pad / 2 +
               ui_text_box_height(ui, UI_FONT_HEADING, false, d->message, w - 2 * t->pad) +
               t->pad + t->target_min + t->pad;
    int h = 520 * t->text_scale_pct / 100;
    if (h < need)
        h = need;
    if (h > UI_H - 2 * t->pad)
        h = UI_H - 2 * t->pad;
    d->panel = (struct ui_rect){(UI_W - w) / 2, (UI_H - h) / 2, w, h};
    ui_invalidate(ui);
}

struct ui_widget *ui_dialog_button(struct ui *ui, struct ui_dialog *d, const char *id,
                                   const char *text, enum ui_style style, ui_tap_fn fn, void *ctx) {
    const struct ui_theme *t = ui_theme(ui);
    struct ui_widget *b =
        ui_add_button(&d->layer, id, (struct ui_rect){0, 0, 0, 0}, text, style, fn, ctx);
    /* lay the buttons out again, evenly along the bottom edge */
    int n = d->layer.n;
    int bh = t->target_min;
    int gap = t->pad;
    int bw = (d->panel.w - gap * (n + 1)) / n;
    for (int i = 0; i < n; i++) {
        d->layer.w[i].r = (struct ui_rect){d->panel.x + gap + i * (bw + gap),
                                           d->panel.y + d->panel.h - gap - bh, bw, bh};
    }
    return b;
}

void ui_dialog_set_message(struct ui *ui, struct ui_dialog *d, const char *message) {
    if (strcmp(d->message, message) != 0) {
        snprintf(d->message, sizeof d->message, "%s", message);
        ui_invalidate(ui);
    }
}

void ui_dialog_close(struct ui *ui, struct ui_dialog *d) {
    if (d->shown)
        ui_invalidate(ui);
    d->shown = false;
    ui_layer_clear(&d->layer);
}

void ui_dialog_draw(struct ui *ui, struct ui_dialog *d) {
    if (!d->shown)
        return;
    const struct ui_theme *t = ui_theme(ui);
    ui_fill(ui, (struct ui_rect){0, 0, UI_W, UI_H}, t->backdrop);
    ui_marks_forget(ui); /* what lies under the backdrop takes no touch and is not read */
    ui_fill_round_bordered(ui, d->panel, t->radius, t->panel, t->border, t->border_color);
    int y = d->panel.y + t->pad;
    int th = ui_line_height(ui, UI_FONT_TITLE);
    ui_text(ui, UI_FONT_TITLE, true, t->text, d->title, d->panel.x + d->panel.w / 2, y, UI_CENTER,
            UI_TOP);
    y += th + t->pad / 2;
    int bottom = d->panel.y + d->panel.h - 2 * t->pad - t->target_min;
    ui_text_box(ui, UI_FONT_HEADING, false, t->muted, d->message,
                (struct ui_rect){d->panel.x + t->pad, y, d->panel.w - 2 * t->pad, bottom - y},
                UI_CENTER, UI_MIDDLE);
    ui_layer_draw(ui, &d->layer);
}
