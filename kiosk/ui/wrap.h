/* wrap: line breaking for Chinese and English text. Pure: no SDL, no allocation.
 *
 * SDL_ttf's own wrapping breaks only at spaces and ignores the Chinese rules, so the kiosk
 * breaks lines itself: between any two CJK characters, at spaces in Latin text, never
 * with a closing mark such as 。，、」） at the start of a line (the character before it
 * moves down with it) nor an opening mark such as 「（《 at the end of a line. A word wider than
 * the whole line is cut between characters. '\n' always breaks.
 *
 * The caller supplies the advance width of each code point, so the same code serves any font
 * and the tests can use a fake one. */
#ifndef UI_WRAP_H
#define UI_WRAP_H

#include <stddef.h>
#include <stdint.h>

/* One line: bytes [start, end) of the text, trailing spaces excluded. */
struct wrap_line {
    size_t start;
    size_t end;
};

typedef int (*wrap_advance_fn)(void *ctx, uint32_t cp);

/* Breaks s[0..len) into lines no wider than max_w (when a single character is wider, it stands
 * alone). Stores at most max_lines lines in out and returns how many lines the text needs,
 * which may be more than max_lines. */
size_t wrap_text(const char *s, size_t len, int max_w, wrap_advance_fn advance, void *ctx,
                 struct wrap_line *out, size_t max_lines);

/* Character classes used by the breaker, exposed for the tests. */
int wrap_is_cjk(uint32_t cp);
int wrap_no_line_start(uint32_t cp);
int wrap_no_line_end(uint32_t cp);

#endif
