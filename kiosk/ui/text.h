/* text: rendering UTF-8 text with SDL_ttf (HarfBuzz shaping) through a font fallback chain,
 * and a cache of rendered strings as textures.
 *
 * SDL_ttf has no fallback of its own, so each string is cut into runs by the first font of the
 * chain (fonts/fonts.ini) that has the glyph, and the runs are composed on one baseline. Fonts
 * are opened lazily per pixel size. Rendered lines are cached as textures under a memory cap
 * (least recently used out first); lines that show personal data are marked so that
 * text_purge_personal() destroys them when a session is wiped.
 * Main thread only (SDL_Renderer). */
#ifndef UI_TEXT_H
#define UI_TEXT_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct text_engine;

/* Reads the chain from fonts_file. Returns NULL (logged) when no usable font is found. */
struct text_engine *text_create(SDL_Renderer *ren, const char *fonts_file, size_t cache_bytes);
void text_destroy(struct text_engine *t);

/* Width and height of s[0..len) in one line. */
void text_measure(struct text_engine *t, int px, bool bold, const char *s, size_t len, int *w,
                  int *h);
/* The advance of one code point (for line breaking). */
int text_advance(struct text_engine *t, int px, bool bold, uint32_t cp);
int text_line_height(struct text_engine *t, int px, bool bold);

/* A texture of s[0..len) in color, from the cache or rendered now. NULL for empty text or an
 * error (logged). The texture stays owned by the cache and valid until the next call. */
SDL_Texture *text_line(struct text_engine *t, int px, bool bold, SDL_Color color, const char *s,
                       size_t len, bool personal, int *w, int *h);

/* Destroys every cached texture made with personal = true. */
void text_purge_personal(struct text_engine *t);
/* Destroys every cached texture (e.g. after a theme change). */
void text_purge_all(struct text_engine *t);
size_t text_cache_bytes(const struct text_engine *t);
size_t text_cache_entries(const struct text_engine *t);

#endif
