/* screens: one file per screen; each exports its struct screen_ops. Screens reach devices,
 * storage and the network only through app/ and flows/ (and receive their results as events); they draw
 * through ui/. chrome.c holds what several screens share: the header bar. */
#ifndef SCREENS_SCREENS_H
#define SCREENS_SCREENS_H

#include "app.h"

extern const struct screen_ops screen_home;
extern const struct screen_ops screen_guide;
extern const struct screen_ops screen_out_of_service;
extern const struct screen_ops screen_unavailable;
extern const struct screen_ops screen_checkin;
extern const struct screen_ops screen_progress;
extern const struct screen_ops screen_joint;
extern const struct screen_ops screen_admin;

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

/* Height of the red header bar in the current theme. */
int chrome_header_height(struct app *a);
/* Adds the header's buttons to l: 返回首页 and the language switch (any screen can switch). */
void chrome_header_layout(struct app *a, struct ui_layer *l);
/* Adds one more header button, left of those already in l. */
struct ui_widget *chrome_header_button(struct app *a, struct ui_layer *l, const char *id,
                                       const char *label, ui_tap_fn fn);
/* Draws the header bar with title on the left. */
void chrome_header_draw(struct app *a, const char *title);

#endif
