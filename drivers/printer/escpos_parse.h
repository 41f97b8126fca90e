/* escpos_parse: reads an ESC/POS byte stream back into commands (escpos-sim, escpos-render).
 * Pure and incremental, like ga467_parse: returns the bytes used (> 0) with *out describing
 * them, 0 when more are needed, -1 for NULL arguments. Lengths are capped (a raster of at most
 * 256 bytes x 4096 dots, QR data of at most 7089 bytes); what does not fit a known command is
 * reported as one unknown byte, so garbage never stops the stream. */
#ifndef DRIVERS_ESCPOS_PARSE_H
#define DRIVERS_ESCPOS_PARSE_H

#include <stddef.h>
#include <stdint.h>

enum escpos_op {
    EP_TEXT,      /* data/len: printable bytes (GB18030 in Chinese mode) */
    EP_LF,        /* end of line */
    EP_INIT,      /* ESC @ */
    EP_CHINESE,   /* FS & (arg 1) or FS . (arg 0) */
    EP_BOLD,      /* ESC E n */
    EP_MODE,      /* ESC ! n */
    EP_SIZE,      /* GS ! n: w, h */
    EP_ALIGN,     /* ESC a n */
    EP_FEED,      /* ESC d n */
    EP_SPACING,   /* ESC 3 n (arg) or ESC 2 (arg -1) */
    EP_CUT,       /* GS V m [n]: arg = lines fed first */
    EP_QR_MODULE, /* GS ( k ... 43 n */
    EP_QR_EC,     /* GS ( k ... 45 n */
    EP_QR_STORE,  /* GS ( k ... 50 30 d...: data/len */
    EP_QR_PRINT,  /* GS ( k ... 51 30 */
    EP_QR_OTHER,  /* any other GS ( k function (model...) */
    EP_RASTER,    /* GS v 0 m xL xH yL yH d...: w (bytes), h (dots), data */
    EP_STATUS,    /* DLE EOT n */
    EP_UNKNOWN,   /* one byte nobody understood */
};

struct escpos_cmd {
    enum escpos_op op;
    int arg;
    int w, h;
    const uint8_t *data;
    size_t len;
};

int escpos_parse(const uint8_t *buf, size_t len, struct escpos_cmd *out);

#endif
