/* ui: the kiosk's toolkit on SDL2, seen from screens and app/ without SDL types.
 *
 * One struct ui per window holds the renderer, the text engine, the theme and the i18n
 * catalogs. Drawing happens in logical pixels of a 1920x1080 canvas that SDL scales to any
 * screen. Input arrives as struct ui_event (touch and mouse alike, already in canvas pixels).
 *
 * Widgets are retained in a struct ui_layer that a screen fills in its layout() and that the
 * toolkit draws and hit-tests; a screen draws anything else itself with the ui_draw_* calls.
 * Every string drawn in a frame is remembered until the next frame begins, so that UI scripts
 * can ask whether a text is visible (ui_text_visible).
 * Main thread only. */
#ifndef UI_UI_H
#define UI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "i18n.h"
#include "theme.h"

#define UI_W 1920
#define UI_H 1080

struct ui;

struct ui_rect {
    int x, y, w, h;
};

enum ui_event_type {
    UI_EV_NONE,
    UI_EV_DOWN,   /* finger or left button down at x, y */
    UI_EV_MOVE,   /* finger or mouse moved while down */
    UI_EV_UP,     /* released at x, y */
    UI_EV_KEY,    /* a key of a physical keyboard (or a keyboard-wedge scanner): key */
    UI_EV_TEXT,   /* text committed by a physical keyboard: text */
    UI_EV_DEVICE, /* a device thread reported something: device (workers/bus.h) */
};

enum ui_key { UI_KEY_NONE, UI_KEY_ENTER, UI_KEY_BACKSPACE, UI_KEY_ESCAPE, UI_KEY_UP, UI_KEY_DOWN };

struct ui_event {
    enum ui_event_type type;
    int x, y;
    enum ui_key key;
    char text[256];
    void *device; /* UI_EV_DEVICE: a struct device_event, owned by whoever receives it */
};

enum ui_align { UI_LEFT = 0, UI_CENTER = 1, UI_RIGHT = 2 };
enum ui_valign { UI_TOP = 0, UI_MIDDLE = 1, UI_BOTTOM = 2 };

struct ui_options {
    bool headless; /* offscreen video driver + software renderer */
    bool software; /* SDL's software renderer on the real display too */
    bool fullscreen;
    int window_w, window_h;
    const char *fonts_file;
    size_t text_cache_bytes;
    const char *theme;
    struct i18n *i18n;
};

/* Creates the window and renderer. Returns NULL with the reason logged. */
struct ui *ui_create(const struct ui_options *opt);
void ui_destroy(struct ui *ui);

const struct ui_theme *ui_theme(const struct ui *ui);
void ui_set_theme(struct ui *ui, const char *name);
const char *ui_tr(const struct ui *ui, const char *key); /* i18n_get of the current language */
struct i18n *ui_i18n(struct ui *ui);
int ui_font_px(const struct ui *ui, enum ui_font_role role);

/* Something on screen changed: the main loop redraws once. */
void ui_invalidate(struct ui *ui);
bool ui_needs_redraw(const struct ui *ui);

/* Waits up to timeout_ms (-1: for ever) for input or a wake-up and returns it translated, or
 * UI_EV_NONE. Quit requests set *quit. */
bool ui_wait_event(struct ui *ui, int timeout_ms, struct ui_event *ev, bool *quit);
/* Returns the next pending input without waiting; false when none. */
bool ui_poll_event(struct ui *ui, struct ui_event *ev, bool *quit);
/* Hands ev (a struct device_event) from any thread to the main loop, where it arrives as
 * UI_EV_DEVICE. Returns false when it could not be queued (the caller still owns it).
 * Thread-safe. */
bool ui_post_device(struct ui *ui, void *ev);
/* Discards every pending event, handing device reports to drop (at exit). */
void ui_drop_pending(struct ui *ui, void (*drop)(void *dev));
/* Queues a tap at canvas point (x, y) as the touch screen would deliver it. */
void ui_inject_tap(struct ui *ui, int x, int y, bool down, bool up);

/* Frame: begin clears and forgets the texts seen; end presents. */
void ui_begin_frame(struct ui *ui);
void ui_end_frame(struct ui *ui);

void ui_fill(struct ui *ui, struct ui_rect r, struct ui_color c);
void ui_fill_round(struct ui *ui, struct ui_rect r, int radius, struct ui_color c);
/* A rounded rectangle filled with fill inside a border of width border in edge. */
void ui_fill_round_bordered(struct ui *ui, struct ui_rect r, int radius, struct ui_color fill,
                            int border, struct ui_color edge);
void ui_clip(struct ui *ui, const struct ui_rect *r); /* NULL: no clip */

/* One line of text at (x, y) aligned as asked around that point; returns its width. */
int ui_text(struct ui *ui, enum ui_font_role role, bool bold, struct ui_color c, const char *s,
            int x, int y, enum ui_align ha, enum ui_valign va);
/* Text wrapped into r's width, aligned in r; returns the height used. Lines below r are cut. */
int ui_text_box(struct ui *ui, enum ui_font_role role, bool bold, struct ui_color c, const char *s,
                struct ui_rect r, enum ui_align ha, enum ui_valign va);
/* The height ui_text_box would use for width w. */
int ui_text_box_height(struct ui *ui, enum ui_font_role role, bool bold, const char *s, int w);
int ui_text_width(struct ui *ui, enum ui_font_role role, bool bold, const char *s);
int ui_line_height(struct ui *ui, enum ui_font_role role);
/* Marks the next texts drawn as personal data (cached textures purged on session wipe). */
void ui_set_personal(struct ui *ui, bool personal);
/* Destroys every texture that shows personal data. */
void ui_forget_personal(struct ui *ui);

/* A QR code of data (libqrencode, level M) in r, with its quiet zone. Returns -1 on error. */
int ui_draw_qr(struct ui *ui, const char *data, struct ui_rect r);
/* A busy indicator at phase_ms; redraw every 100 ms while it shows. */
void ui_draw_spinner(struct ui *ui, int cx, int cy, int radius, int64_t phase_ms);

/* Reads the canvas pixels of r from the frame drawn so far (before ui_end_frame) into rgb,
 * 3 bytes a pixel, r.w * 3 bytes a row. Returns 0 or -1. */
int ui_read_rgb(struct ui *ui, struct ui_rect r, uint8_t *rgb);
/* Did the last frame draw text containing s? */
bool ui_text_visible(const struct ui *ui, const char *s);

/* What the frame drawn so far put where, for the layout check (ui/layout_check.h): each text
 * (a line, or a wrapped box as one) and each QR code, with the widget that drew it. A dialog's
 * backdrop forgets what lies under it. Texts of personal data keep no text. */
enum ui_mark_kind { UI_MARK_TEXT, UI_MARK_QR };
#define UI_MARKS_MAX 512
struct ui_mark {
    enum ui_mark_kind kind;
    struct ui_rect r;
    bool clipped;         /* drawn under a clip rectangle it does not fit (a scroll view) */
    bool overflow;        /* a text box whose lines run out of the box it was given */
    const void *layer;    /* the widget layer whose widget drew it, NULL: the screen itself */
    int widget;           /* that widget's index in it, -1 */
    char text[64];        /* its start ("" for personal data) */
};
const struct ui_mark *ui_marks(const struct ui *ui, int *n);
void ui_marks_forget(struct ui *ui);
/* Forgets the marks that r, drawn over them, covers (the on-screen keyboard's panel). */
void ui_marks_cover(struct ui *ui, struct ui_rect r);
/* The widget now drawing (widget.c): its marks are its own. layer NULL: none. */
void ui_set_drawing(struct ui *ui, const void *layer, int widget);
/* Writes the frame drawn so far to a PNG file; call it before ui_end_frame().
 * Returns 0 or -1 (logged). */
int ui_save_png(struct ui *ui, const char *path);
/* Text cache figures, for the benchmark and the admin screen. */
size_t ui_text_cache_bytes(const struct ui *ui);
size_t ui_text_cache_entries(const struct ui *ui);

#endif
