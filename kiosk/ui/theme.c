/* theme: see theme.h. */
#include "theme.h"

#include <string.h>

#define RGB(x)                                                                                     \
    { (uint8_t)((x) >> 16), (uint8_t)(((x) >> 8) & 0xFF), (uint8_t)((x)&0xFF), 255 }

/* Civil-affairs red on warm white, the colours citizens know from the registry's own signs. */
static const struct ui_theme standard = {
    .name = "standard",
    .text_scale_pct = 100,
    .font_px = {26, 32, 36, 44, 56, 120},
    .target_min = 96,
    .pad = 32,
    .radius = 20,
    .border = 2,
    .bg = RGB(0xFBF7F2),
    .header_bg = RGB(0xB3261E),
    .header_text = RGB(0xFFFFFF),
    .panel = RGB(0xFFFFFF),
    .text = RGB(0x1F1F1F),
    .muted = RGB(0x5F5A55),
    .primary = RGB(0xB3261E),
    .primary_text = RGB(0xFFFFFF),
    .button = RGB(0xFFFFFF),
    .button_text = RGB(0x1F1F1F),
    .pressed = RGB(0xF2D6D3),
    .accent = RGB(0xC8912E),
    .border_color = RGB(0xD9CFC6),
    .focus = RGB(0x1565C0),
    .danger = RGB(0xB3261E),
    .backdrop = {0, 0, 0, 150},
};

static const struct ui_theme care = {
    .name = "care",
    .text_scale_pct = 150,
    .font_px = {39, 48, 54, 66, 84, 150},
    .target_min = 144,
    .pad = 36,
    .radius = 24,
    .border = 3,
    .bg = RGB(0xFBF7F2),
    .header_bg = RGB(0xB3261E),
    .header_text = RGB(0xFFFFFF),
    .panel = RGB(0xFFFFFF),
    .text = RGB(0x000000),
    .muted = RGB(0x3A3631),
    .primary = RGB(0xB3261E),
    .primary_text = RGB(0xFFFFFF),
    .button = RGB(0xFFFFFF),
    .button_text = RGB(0x000000),
    .pressed = RGB(0xF2D6D3),
    .accent = RGB(0xC8912E),
    .border_color = RGB(0x9E948A),
    .focus = RGB(0x1565C0),
    .danger = RGB(0xB3261E),
    .backdrop = {0, 0, 0, 170},
};

static const struct ui_theme contrast = {
    .name = "contrast",
    .text_scale_pct = 100,
    .font_px = {28, 34, 38, 46, 58, 120},
    .target_min = 96,
    .pad = 32,
    .radius = 8,
    .border = 4,
    .bg = RGB(0x000000),
    .header_bg = RGB(0x000000),
    .header_text = RGB(0xFFFF00),
    .panel = RGB(0x000000),
    .text = RGB(0xFFFFFF),
    .muted = RGB(0xFFFF00),
    .primary = RGB(0xFFFF00),
    .primary_text = RGB(0x000000),
    .button = RGB(0x000000),
    .button_text = RGB(0xFFFFFF),
    .pressed = RGB(0x404040),
    .accent = RGB(0xFFFF00),
    .border_color = RGB(0xFFFFFF),
    .focus = RGB(0x00FFFF),
    .danger = RGB(0xFF5050),
    .backdrop = {0, 0, 0, 200},
};

/* 关怀版 in high contrast: care's sizes (every screen is laid out for them), contrast's colours */
static struct ui_theme care_contrast;

const struct ui_theme *theme_get(const char *name) {
    if (name && strcmp(name, "care") == 0)
        return &care;
    if (name && strcmp(name, "contrast") == 0)
        return &contrast;
    if (name && strcmp(name, "care-contrast") == 0) {
        if (!care_contrast.name) { /* main thread only, like every theme call */
            care_contrast = contrast;
            care_contrast.name = "care-contrast";
            care_contrast.text_scale_pct = care.text_scale_pct;
            for (int i = 0; i < UI_FONT_COUNT; i++)
                care_contrast.font_px[i] = care.font_px[i];
            care_contrast.target_min = care.target_min;
            care_contrast.pad = care.pad;
        }
        return &care_contrast;
    }
    return &standard;
}

bool theme_known(const char *name) {
    return name && (!strcmp(name, "standard") || !strcmp(name, "care") ||
                    !strcmp(name, "contrast") || !strcmp(name, "care-contrast"));
}

bool theme_is_care(const char *name) {
    return name && !strncmp(name, "care", 4);
}

bool theme_is_contrast(const char *name) {
    return name && strstr(name, "contrast") != NULL;
}

const char *theme_name(bool large, bool high_contrast) {
    return large && high_contrast ? "care-contrast"
           : large                ? "care"
           : high_contrast        ? "contrast"
                                  : "standard";
}
