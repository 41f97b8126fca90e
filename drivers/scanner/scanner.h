/* scanner: 2D barcode scanners (booking QR codes on citizens' phones). Pure decoders for the
 * two ways a scanner delivers a code (PROTOCOLS.md §3):
 *
 *  - keyboard wedge: the scanner types the code as a fast burst of keys ending in Enter.
 *    wedge_key() tells it from a person typing by timing: every gap within max_gap_ms and at
 *    least min_len characters; anything slower is a person and is not taken as a scan.
 *  - serial (USB-CDC): bytes ending in CR or CR LF. lines_feed() cuts them into codes.
 *
 * Codes are capped (SCANNER_CODE_MAX); longer input is dropped whole, never cut. */
#ifndef DRIVERS_SCANNER_H
#define DRIVERS_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCANNER_CODE_MAX 512

struct wedge {
    char buf[SCANNER_CODE_MAX];
    size_t len;
    int64_t last_ms;
    int max_gap_ms;
    size_t min_len;
    bool overflow;
};

void wedge_init(struct wedge *w, int max_gap_ms, size_t min_len);
/* One key: text (UTF-8 of a printable key) or NULL for Enter, at now_ms. Returns 1 when Enter
 * completes a scan (the code, NUL-terminated, in out), else 0. */
int wedge_key(struct wedge *w, const char *text, int64_t now_ms, char *out, size_t cap);

struct lines {
    char buf[SCANNER_CODE_MAX];
    size_t len;
    bool overflow;
};

void lines_init(struct lines *l);
/* Feeds n bytes; calls fn for each complete, non-empty line. Returns the number of lines. */
int lines_feed(struct lines *l, const uint8_t *p, size_t n, void (*fn)(void *ctx, const char *code),
               void *ctx);

#endif
