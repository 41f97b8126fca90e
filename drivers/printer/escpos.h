/* escpos: builds the byte stream of a receipt for an ESC/POS printer (PROTOCOLS.md §2).
 *
 * Pure: commands are appended to a buffer the caller owns; nothing is sent. Text is converted
 * from UTF-8 to GB18030 (iconv) for the printer's Chinese mode; a character the printer's
 * code page cannot hold makes escpos_text() fail, so the caller prints that line as a raster
 * image instead (a rare name character). QR codes go out natively (GS ( k: model 2, module
 * size, error correction) or, for printers without it, as a raster image made with
 * libqrencode (GS v 0). A buffer that runs out of room stays consistent and says so
 * (b->overflow): nothing half-written is ever sent. */
#ifndef DRIVERS_ESCPOS_H
#define DRIVERS_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct escpos_buf {
    uint8_t *data;
    size_t len, cap;
    bool overflow;
};

enum escpos_align { ESCPOS_LEFT = 0, ESCPOS_CENTER = 1, ESCPOS_RIGHT = 2 };
enum escpos_qr_ec {
    ESCPOS_QR_L = 0x30,
    ESCPOS_QR_M = 0x31,
    ESCPOS_QR_Q = 0x32,
    ESCPOS_QR_H = 0x33
};

void escpos_begin(struct escpos_buf *b, uint8_t *mem, size_t cap);
/* ESC @ and Chinese mode on (FS &). */
void escpos_init(struct escpos_buf *b);
void escpos_chinese(struct escpos_buf *b, bool on);
void escpos_bold(struct escpos_buf *b, bool on);
/* Character size: width and height multipliers 1-8 (GS !), Chinese included. */
void escpos_size(struct escpos_buf *b, int w, int h);
void escpos_align(struct escpos_buf *b, enum escpos_align a);
void escpos_feed(struct escpos_buf *b, int lines);
/* Feeds `feed` lines and cuts (GS V 66 n): a bare cut would slice the last line. */
void escpos_cut(struct escpos_buf *b, int feed);
/* UTF-8 text in GB18030. Returns 0, or -1 (nothing appended) when a character cannot be
 * encoded or the text is not valid UTF-8. '\n' ends a line. */
int escpos_text(struct escpos_buf *b, const char *utf8);
/* A native QR code of data: model 2, module size 1-16 dots, error correction ec. It starts on
 * a new line (the printer prints a blank code otherwise). Returns 0 or -1 (too long). */
int escpos_qr_native(struct escpos_buf *b, const char *data, int module, enum escpos_qr_ec ec);
/* The same QR code as a raster image, for printers without GS ( k. Returns 0 or -1. */
int escpos_qr_raster(struct escpos_buf *b, const char *data, int module, enum escpos_qr_ec ec);
/* A raster image: width_bytes * 8 dots wide, height dots high, 1 = black, rows of
 * width_bytes bytes (GS v 0). */
void escpos_raster(struct escpos_buf *b, const uint8_t *bits, int width_bytes, int height);

/* The test receipt staff print to check a printer: Chinese text in several sizes, a masked
 * ID number, a full-width ￥, a QR code of qr (raster when the printer has no GS ( k), a cut. */
void escpos_test_receipt(struct escpos_buf *b, const char *qr, bool raster_qr);

/* Real-time status requests (DLE EOT n, n = 1..4) and what the answers mean. */
enum escpos_status_flag {
    ESCPOS_ST_OFFLINE = 1 << 0,
    ESCPOS_ST_COVER_OPEN = 1 << 1,
    ESCPOS_ST_PAPER_NEAR_END = 1 << 2,
    ESCPOS_ST_PAPER_OUT = 1 << 3,
    ESCPOS_ST_ERROR = 1 << 4,
};
void escpos_status_request(struct escpos_buf *b, int n);
/* Folds the answer byte to DLE EOT n into flags. Returns -1 for a byte that cannot be an
 * answer (bits 1 and 4 must be 1, bit 7 0): a printer answering garbage. */
int escpos_status_parse(int n, uint8_t answer, unsigned *flags);

#endif
