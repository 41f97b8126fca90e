/* escpos_render: draws what an ESC/POS stream prints onto 80 mm paper (576 dots), as a
 * picture to look at and to decode (zbarimg): text in the kiosk's font chain (fonts/fonts.ini)
 * at 24-dot characters times GS ! multipliers, alignment, bold, feeds, native QR codes
 * (re-encoded with libqrencode from the stored data, module size and error correction) and
 * raster images. Attributes that change within a line apply to the whole line (receipts set
 * them per line). Uses SDL surfaces and SDL_ttf without a window. */
#ifndef DRIVERS_ESCPOS_RENDER_H
#define DRIVERS_ESCPOS_RENDER_H

#include <stddef.h>

#include "escpos_parse.h"

#define ESCPOS_PAPER_DOTS 576

struct escpos_render;

/* The font chain beside the program: <dir of the executable>/../../fonts/fonts.ini in the
 * build tree. Writes it into out; returns out. */
char *escpos_render_default_fonts(char *out, size_t size);
/* NULL (with the reason on stderr) when the fonts cannot be opened. */
struct escpos_render *escpos_render_new(const char *fonts_file);
void escpos_render_free(struct escpos_render *r);
void escpos_render_cmd(struct escpos_render *r, const struct escpos_cmd *c);
/* True when something was printed since the last reset. */
int escpos_render_has_content(const struct escpos_render *r);
/* Writes the printed part of the paper to a PNG. Returns 0 or -1. */
int escpos_render_save(struct escpos_render *r, const char *png);
/* A fresh sheet (after a cut). */
void escpos_render_reset(struct escpos_render *r);

#endif
