/* screens: one file per screen; each exports its struct screen_ops. Screens reach devices,
 * storage and the network only through app/ and flows/ (and receive their results as events); they draw
 * through ui/. chrome.c holds what several screens share: the header bar. */
#ifndef SCREENS_SCREENS_H
#define SCREENS_SCREENS_H

#include "app.h"

extern const struct screen_ops screen_home;
extern const struct screen_ops screen_display; /* [kiosk] role = display, in place of home */
extern const struct screen_ops screen_guide;
extern const struct screen_ops screen_out_of_service;
extern const struct screen_ops screen_unavailable;
extern const struct screen_ops screen_checkin;
extern const struct screen_ops screen_progress;
extern const struct screen_ops screen_joint;
extern const struct screen_ops screen_admin;
extern const struct screen_ops screen_rating;

/* The session's branded screen under the kiosk (splash.c): until the compositor closes it;
 * with shot, drawn once into that PNG. Returns the exit status. */
int screen_splash_run(struct ui *ui, const char *office, const char *shot);

/* 好差评 of service ("checkin", "joint") at the end of it: the rating screen. */
void screen_rating_open(struct app *a, const char *service);

/* The layers op of a screen with one layer of widgets. */
int screen_one_layer(struct ui_layer *l, struct ui_layer **out, int max);

/* The layers of a screen that lends the on-screen keyboard: the keyboard's first while it
 * shows, then the screen's own. */
int screen_layers_kb(struct app *a, struct ui_layer *own, bool keyboard, struct ui_layer **out,
                     int max);

/* Input to the lent keyboard; redraws when the text changed. KB_NONE: not the keyboard's. */
enum kb_result screen_keyboard_event(struct app *a, const struct ui_event *ev);

/* A countdown back to home (a receipt on screen): the seconds it shows, redrawn each second. */
struct countdown {
    int64_t at_ms;
    int shown;
};
void countdown_start(struct countdown *c, struct app *a, int seconds);
int64_t countdown_next_change(const struct countdown *c, int64_t now_ms);
/* Updates the seconds shown; true when it has run out. */
bool countdown_tick(struct countdown *c, struct app *a, int64_t now_ms);

/* The top of the row of large buttons along the bottom edge (上一步, 返回首页, ...), and their
 * height: what a screen's texts must stay above. */
int chrome_bottom_row_top(struct app *a);
int chrome_bottom_row_height(struct app *a);
/* A receipt on screen (check-in, joint application): the QR code in the right column with
 * 完成 (on to 好差评) under it, sized from the theme so that nothing covers the code; the left column's
 * width is what is left of it. chrome_receipt_layout adds both widgets to l (the QR hidden when
 * token is empty). chrome_receipt_texts draws the texts of the left column from y, each a size
 * smaller where they would not fit above the bottom edge: lines[0..n) (a NULL line is skipped;
 * bad[i]: in the danger colour), then the countdown in small type. */
struct ui_rect chrome_receipt_qr(struct app *a);
void chrome_receipt_layout(struct app *a, struct ui_layer *l, const char *token, ui_tap_fn done);
void chrome_receipt_texts(struct app *a, int y, const char *const *lines, const bool *bad, int n,
                          const char *countdown);
/* Height of the red header bar in the current theme. */
int chrome_header_height(struct app *a);
/* Adds the header's buttons to l: 返回首页 and the language switch (any screen can switch). */
void chrome_header_layout(struct app *a, struct ui_layer *l);
/* The hidden staff entry: a long press ([kiosk] staff_hold_ms) on the top-left corner, height
 * tall, opens admin mode. */
void chrome_staff_corner(struct app *a, struct ui_layer *l, int height);
/* Adds one more header button, left of those already in l. */
struct ui_widget *chrome_header_button(struct app *a, struct ui_layer *l, const char *id,
                                       const char *label, ui_tap_fn fn);
/* Draws the header bar with title on the left. */
void chrome_header_draw(struct app *a, const char *title);

#endif
