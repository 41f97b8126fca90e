/* theme: colours, font sizes and touch-target sizes of the themes.
 *
 *   standard       the default look
 *   care           关怀版: every text 1.5x larger and larger touch targets; screens lay out
 *                  from these metrics, so the same layouts hold without clipping
 *   contrast       high contrast: white and yellow on black, thick borders
 *   care-contrast  both: the sizes of care in the colours of contrast
 *
 * Sizes are in logical pixels of the 1920x1080 canvas. */
#ifndef UI_THEME_H
#define UI_THEME_H

#include <stdbool.h>
#include <stdint.h>

enum ui_font_role {
    UI_FONT_SMALL,
    UI_FONT_BODY,
    UI_FONT_BUTTON,
    UI_FONT_HEADING,
    UI_FONT_TITLE,
    UI_FONT_HUGE,
    UI_FONT_COUNT
};

struct ui_color {
    uint8_t r, g, b, a;
};

struct ui_theme {
    const char *name;
    int text_scale_pct;         /* 100, or 150 for care */
    int font_px[UI_FONT_COUNT]; /* final pixel sizes, scale included */
    int target_min;             /* smallest touch target edge */
    int pad;                    /* standard spacing */
    int radius;                 /* corner radius of buttons and panels */
    int border;                 /* border width of buttons and fields */
    struct ui_color bg, header_bg, header_text, panel, text, muted, primary, primary_text, button,
        button_text, pressed, accent, border_color, focus, danger, backdrop;
};

/* The theme called name, or the standard theme for an unknown name. Never NULL. */
const struct ui_theme *theme_get(const char *name);
/* Whether name is one of the themes above. */
bool theme_known(const char *name);
/* The parts of a theme's name, and the name of a combination. */
bool theme_is_care(const char *name);
bool theme_is_contrast(const char *name);
const char *theme_name(bool large, bool high_contrast);

#endif
