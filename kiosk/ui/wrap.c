/* wrap: see wrap.h. */
#include "wrap.h"

#include "utf8.h"

int wrap_is_cjk(uint32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static int in_set(uint32_t cp, const uint32_t *set) {
    for (; *set; set++) {
        if (*set == cp)
            return 1;
    }
    return 0;
}

/* 行首禁则: marks that must not begin a line. */
static const uint32_t no_start[] = {0xFF0C /* ， */,
                                    0x3002 /* 。 */,
                                    0x3001 /* 、 */,
                                    0xFF1B /* ； */,
                                    0xFF1A /* ： */,
                                    0xFF1F /* ？ */,
                                    0xFF01 /* ！ */,
                                    0xFF09 /* ） */,
                                    0x300D /* 」 */,
                                    0x300F /* 』 */,
                                    0x3011 /* 】 */,
                                    0x300B /* 》 */,
                                    0x3009 /* 〉 */,
                                    0x3015 /* 〕 */,
                                    0x3017 /* 〗 */,
                                    0x201D /* ” */,
                                    0x2019 /* ’ */,
                                    0x2026 /* … */,
                                    0x2014 /* — */,
                                    0xFF5E /* ～ */,
                                    0x00B7 /* · */,
                                    0xFF05 /* ％ */,
                                    0x30FC /* ー */,
                                    0xFF0E /* ． */,
                                    ',',
                                    '.',
                                    ';',
                                    ':',
                                    '?',
                                    '!',
                                    ')',
                                    ']',
                                    '}',
                                    '%',
                                    0};

/* 行尾禁则: marks that must not end a line. */
static const uint32_t no_end[] = {0xFF08 /* （ */,
                                  0x300C /* 「 */,
                                  0x300E /* 『 */,
                                  0x3010 /* 【 */,
                                  0x300A /* 《 */,
                                  0x3008 /* 〈 */,
                                  0x3014 /* 〔 */,
                                  0x3016 /* 〖 */,
                                  0x201C /* “ */,
                                  0x2018 /* ‘ */,
                                  0xFFE5 /* ￥ */,
                                  '(',
                                  '[',
                                  '{',
                                  '$',
                                  0};

int wrap_no_line_start(uint32_t cp) {
    return in_set(cp, no_start);
}

int wrap_no_line_end(uint32_t cp) {
    return in_set(cp, no_end);
}

static int is_space(uint32_t cp) {
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* May a line end between prev and next? */
static int can_break(uint32_t prev, uint32_t next) {
    if (wrap_no_line_start(next) || wrap_no_line_end(prev))
        return 0;
    if (is_space(next) || is_space(prev))
        return 1;
    if (wrap_is_cjk(prev) || wrap_is_cjk(next))
        return 1;
    /* after a hyphen or slash, but not inside a number (UAX #14's HY × NU): a booking number
     * 370602-20261123-01 or a landline 0535-6601234 stays whole */
    if ((prev == '-' || prev == '/') && next != '-' && next != '/' &&
        !(prev == '-' && next >= '0' && next <= '9'))
        return 1;
    return 0;
}

static size_t trim_end(const char *s, size_t start, size_t end) {
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    /* U+3000 ideographic space, 3 bytes */
    while (end >= start + 3 && (unsigned char)s[end - 3] == 0xE3 &&
           (unsigned char)s[end - 2] == 0x80 && (unsigned char)s[end - 1] == 0x80)
        end -= 3;
    return end;
}

static size_t skip_spaces(const char *s, size_t len, size_t i) {
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

size_t wrap_text(const char *s, size_t len, int max_w, wrap_advance_fn advance, void *ctx,
                 struct wrap_line *out, size_t max_lines) {
    size_t nlines = 0;
    size_t pos = 0;
    int soft = 0; /* the current line follows a soft break: its leading spaces are dropped */

    while (pos < len) {
        if (soft)
            pos = skip_spaces(s, len, pos);
        if (pos >= len)
            break;
        int w = 0;
        size_t i = pos;
        size_t best_end = 0, best_next = 0;
        int have_best = 0;
        uint32_t prev = 0;
        size_t line_end = len, next = len;
        int hard = 0;

        while (i < len) {
            uint32_t cp;
            size_t n = utf8_decode(s + i, len - i, &cp);
            if (cp == '\n') {
                line_end = i;
                next = i + n;
                hard = 1;
                break;
            }
            int a = advance(ctx, cp);
            if (i > pos && can_break(prev, cp)) {
                have_best = 1;
                best_end = i;
                best_next = i;
            }
            if (w + a > max_w && i > pos && !is_space(cp)) {
                if (have_best) {
                    line_end = best_end;
                    next = best_next;
                } else {
                    line_end = i; /* a word wider than the line: cut it */
                    next = i;
                }
                break;
            }
            w += a;
            prev = cp;
            i += n;
        }
        if (nlines < max_lines) {
            out[nlines].start = pos;
            out[nlines].end = trim_end(s, pos, line_end);
        }
        nlines++;
        soft = !hard;
        pos = next;
        if (hard && pos >= len) {
            /* a trailing newline ends the text; it does not open an empty line */
            break;
        }
    }
    return nlines;
}
