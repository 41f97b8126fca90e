/* layout_check: what a citizen would find wrong with a drawn screen, found by a program rather
 * than by eye: two touch targets overlapping, a widget leaving the window, a text cut off at its
 * widget's edge or running out of its box, a text running over another or under a touch target,
 * a touch target under the minimum size at a screen's real size, a QR code covered.
 *
 * Input: the widget layers of the screen (an overlay, the on-screen keyboard, is checked on its
 * own: it covers the screen on purpose) and the marks the frame drew (ui.h). The canvas is the
 * 1920x1080 of ui.h that SDL scales, letterboxed, into each physical resolution; a target's
 * size in mm is its logical size times that scale times the panel's pixel pitch. Pure. */
#ifndef UI_LAYOUT_CHECK_H
#define UI_LAYOUT_CHECK_H

#include "widget.h"

struct layout_screen {
    int w, h;         /* physical pixels, 1080x1920 for a portrait panel */
    double diagonal_in; /* the panel's diagonal */
};

struct layout_layer {
    struct ui_layer *layer;
    bool overlay; /* drawn over the others on purpose (the keyboard) */
};

#define LAYOUT_MIN_TARGET_MM 9.0
#define LAYOUT_PROBLEM_LEN 240

/* Writes up to max problems, one sentence each, and returns how many were found (possibly
 * more than max). */
int layout_check(const struct layout_layer *layers, int nlayers, const struct ui_mark *marks,
                 int nmarks, const struct layout_screen *screens, int nscreens,
                 char (*out)[LAYOUT_PROBLEM_LEN], int max);

/* The size in mm of n logical pixels on screen s. */
double layout_mm(const struct layout_screen *s, int n);

#endif
