/* widget: retained widgets in layers.
 *
 * A screen builds its widgets into a struct ui_layer in its layout() (again after a language
 * or theme change) and hands input to ui_layer_event(); the toolkit draws them, keeps the
 * pressed state and calls on_tap when a press is released over the same widget (or, for a
 * widget with hold_ms, when it was held that long: the hidden staff entry).
 *
 * Kinds: label (text, wrapped), button (large touch target, pressed state; styles below),
 * tile (a big service button with a subtitle), field (a text field with caret; its value is a
 * buffer the screen owns, in the session arena when it holds personal data), choice (one of a
 * group of mutually exclusive buttons, shown selected), hotspot (invisible), qr (QR view),
 * spinner. A scroll view and a dialog are composites built from these.
 *
 * A widget's text is copied into the widget (setters copy); a field's value is borrowed. */
#ifndef UI_WIDGET_H
#define UI_WIDGET_H

#include "ui.h"

#define UI_LAYER_MAX 96
#define UI_TEXT_MAX 192

enum ui_kind { UI_LABEL, UI_BUTTON, UI_TILE, UI_FIELD, UI_CHOICE, UI_HOTSPOT, UI_QR, UI_SPINNER };

enum ui_style { UI_STYLE_NORMAL, UI_STYLE_PRIMARY, UI_STYLE_QUIET, UI_STYLE_HEADER, UI_STYLE_KEY };

enum ui_flag {
    UI_F_PRESSED = 1 << 0,
    UI_F_FOCUSED = 1 << 1,
    UI_F_SELECTED = 1 << 2,
    UI_F_DISABLED = 1 << 3,
    UI_F_HIDDEN = 1 << 4,
    UI_F_PERSONAL = 1 << 5, /* shows personal data: masked where needed, textures purged */
    UI_F_BOLD = 1 << 6,
};

struct ui_widget;
typedef void (*ui_tap_fn)(void *ctx, struct ui_widget *w);

/* How a field shows its digits while they are typed: a phone 138 0000 0001, an ID number
 * 370602 19950312 3011, a date 1995 01 28, a booking code in fours (an ID number, 17 or 18
 * characters, as an ID number). The value itself stays as typed. */
enum ui_group { UI_GROUP_NONE, UI_GROUP_PHONE, UI_GROUP_ID, UI_GROUP_DATE, UI_GROUP_CODE };
/* The value with a space between its groups, into out (always terminated). */
void ui_group_text(enum ui_group g, const char *in, char *out, size_t cap);

struct ui_widget {
    enum ui_kind kind;
    enum ui_style style;
    unsigned flags;
    char id[32];
    struct ui_rect r;
    char text[UI_TEXT_MAX];
    char sub[UI_TEXT_MAX]; /* tile subtitle, field placeholder */
    enum ui_font_role font;
    enum ui_align align;
    int hold_ms; /* > 0: fires after being held this long */
    ui_tap_fn on_tap;
    void *ctx;
    int tag;           /* free for the screen (e.g. an index) */
    const char *value; /* field: borrowed current value */
    enum ui_group group; /* field: how its value is shown (ui_group_text) */
};

struct ui_layer {
    struct ui_widget w[UI_LAYER_MAX];
    int n;
    int pressed; /* index of the pressed widget, -1 none */
    int64_t press_ms;
    bool hold_fired;
};

void ui_layer_clear(struct ui_layer *l);
/* Appends a widget; returns NULL (logged) when the layer is full. */
struct ui_widget *ui_add(struct ui_layer *l, enum ui_kind kind, const char *id, struct ui_rect r,
                         const char *text);
struct ui_widget *ui_add_button(struct ui_layer *l, const char *id, struct ui_rect r,
                                const char *text, enum ui_style style, ui_tap_fn fn, void *ctx);
/* Routes ev; returns true when a widget of the layer took it. now_ms drives hold_ms. */
bool ui_layer_event(struct ui *ui, struct ui_layer *l, const struct ui_event *ev, int64_t now_ms);
/* For widgets with hold_ms: call on each tick while pressed; returns ms to the next check. */
int64_t ui_layer_tick(struct ui *ui, struct ui_layer *l, int64_t now_ms);
void ui_layer_draw(struct ui *ui, struct ui_layer *l);
/* The visible widget whose text is exactly `text`, or, for "@ID", whose id is ID. */
struct ui_widget *ui_layer_find(struct ui_layer *l, const char *target);
struct ui_widget *ui_layer_get(struct ui_layer *l, const char *id);
/* The largest font from role down to UI_FONT_SMALL that sets text, wrapped into width w,
 * within height h (English in 关怀版, a long label from a content push). */
enum ui_font_role ui_fit_font(struct ui *ui, enum ui_font_role role, bool bold, const char *text,
                              int w, int h);
/* Does a tile hold its subtitle under its (possibly wrapped) title? */
bool ui_tile_fits_sub(struct ui *ui, const struct ui_widget *w);

/* Scroll view: content taller than its viewport, moved by dragging or by page buttons. */
struct ui_scroll {
    struct ui_rect view;
    int content_h;
    int offset;
    bool dragging;
    int drag_y, drag_offset;
};
void ui_scroll_set_content(struct ui_scroll *s, int content_h);
/* Returns true when the view took the event (a drag inside it). */
bool ui_scroll_event(struct ui *ui, struct ui_scroll *s, const struct ui_event *ev);
void ui_scroll_page(struct ui *ui, struct ui_scroll *s, int direction);
bool ui_scroll_at_top(const struct ui_scroll *s);
bool ui_scroll_at_end(const struct ui_scroll *s);
void ui_scroll_draw_bar(struct ui *ui, const struct ui_scroll *s);

/* Dialog: a modal panel with a title, a message and up to three buttons, over a dimmed screen.
 * Its buttons live in its own layer, so the screen beneath takes no input while it shows. */
struct ui_dialog {
    bool shown;
    char title[UI_TEXT_MAX];
    char message[UI_TEXT_MAX * 2];
    struct ui_layer layer;
    struct ui_rect panel;
};
void ui_dialog_open(struct ui *ui, struct ui_dialog *d, const char *title, const char *message);
/* Adds a button along the panel's bottom edge (call after ui_dialog_open). */
struct ui_widget *ui_dialog_button(struct ui *ui, struct ui_dialog *d, const char *id,
                                   const char *text, enum ui_style style, ui_tap_fn fn, void *ctx);
void ui_dialog_set_message(struct ui *ui, struct ui_dialog *d, const char *message);
void ui_dialog_close(struct ui *ui, struct ui_dialog *d);
void ui_dialog_draw(struct ui *ui, struct ui_dialog *d);

#endif
