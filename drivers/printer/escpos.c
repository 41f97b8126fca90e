/* escpos: see escpos.h. */
#include "escpos.h"

#include <errno.h>
#include <iconv.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

void escpos_begin(struct escpos_buf *b, uint8_t *mem, size_t cap) {
    b->data = mem;
    b->len = 0;
    b->cap = cap;
    b->overflow = false;
}

static void put(struct escpos_buf *b, const void *p, size_t n) {
    if (b->overflow || n > b->cap - b->len) {
        b->overflow = true;
        return;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

#define PUT(b, ...)                                                                                \
    do {                                                                                           \
        const uint8_t bytes_[] = {__VA_ARGS__};                                                    \
        put(b, bytes_, sizeof bytes_);                                                             \
    } while (0)

void escpos_init(struct escpos_buf *b) {
    PUT(b, 0x1B, 0x40);
    escpos_chinese(b, true);
}

void escpos_chinese(struct escpos_buf *b, bool on) {
    if (on)
        PUT(b, 0x1C, 0x26);
    else
        PUT(b, 0x1C, 0x2E);
}

void escpos_bold(struct escpos_buf *b, bool on) {
    PUT(b, 0x1B, 0x45, on ? 1 : 0);
}

void escpos_size(struct escpos_buf *b, int w, int h) {
    w = w < 1 ? 1 : w > 8 ? 8 : w;
    h = h < 1 ? 1 : h > 8 ? 8 : h;
    PUT(b, 0x1D, 0x21, (uint8_t)(16 * (w - 1) + (h - 1)));
}

void escpos_align(struct escpos_buf *b, enum escpos_align a) {
    PUT(b, 0x1B, 0x61, (uint8_t)a);
}

void escpos_feed(struct escpos_buf *b, int lines) {
    PUT(b, 0x1B, 0x64, (uint8_t)(lines < 0 ? 0 : lines > 255 ? 255 : lines));
}

void escpos_cut(struct escpos_buf *b, int feed) {
    PUT(b, 0x1D, 0x56, 0x42, (uint8_t)(feed < 0 ? 0 : feed > 255 ? 255 : feed));
}

int escpos_text(struct escpos_buf *b, const char *utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1)
        return -1;
    size_t inlen = strlen(utf8), outcap = inlen * 2 + 8;
    char *out = malloc(outcap);
    if (!out) {
        iconv_close(cd);
        return -1;
    }
    char *in = (char *)utf8, *o = out;
    size_t left = outcap;
    size_t r = iconv(cd, &in, &inlen, &o, &left);
    iconv_close(cd);
    int rc = -1;
    if (r != (size_t)-1 && inlen == 0) {
        /* GB18030 reaches every code point, but printers' fonts stop at GBK: a four-byte
         * sequence would print as garbage, so it counts as not encodable. */
        const unsigned char *p = (const unsigned char *)out, *end = (const unsigned char *)o;
        rc = 0;
        while (p < end && rc == 0) {
            if (*p < 0x80) {
                p++;
            } else if (end - p >= 2 && p[1] >= 0x30 && p[1] <= 0x39) {
                rc = -1; /* a four-byte GB18030 sequence */
            } else {
                p += 2;
            }
        }
        if (rc == 0) {
            size_t before = b->len;
            put(b, out, (size_t)(o - out));
            if (b->overflow)
                b->len = before;
        }
    }
    explicit_bzero(out, outcap);
    free(out);
    return rc;
}

int escpos_qr_native(struct escpos_buf *b, const char *data, int module, enum escpos_qr_ec ec) {
    size_t n = strlen(data);
    if (n == 0 || n > 7089)
        return -1;
    module = module < 1 ? 1 : module > 16 ? 16 : module;
    PUT(b, 0x0A);                                                 /* at the start of a line */
    PUT(b, 0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00); /* model 2 */
    PUT(b, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, (uint8_t)module);
    PUT(b, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, (uint8_t)ec);
    size_t pl = n + 3;
    PUT(b, 0x1D, 0x28, 0x6B, (uint8_t)(pl & 0xFF), (uint8_t)(pl >> 8), 0x31, 0x50, 0x30);
    put(b, data, n);
    PUT(b, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30); /* print */
    return b->overflow ? -1 : 0;
}

void escpos_raster(struct escpos_buf *b, const uint8_t *bits, int width_bytes, int height) {
    PUT(b, 0x1D, 0x76, 0x30, 0x00, (uint8_t)(width_bytes & 0xFF), (uint8_t)(width_bytes >> 8),
        (uint8_t)(height & 0xFF), (uint8_t)(height >> 8));
    put(b, bits, (size_t)width_bytes * (size_t)height);
}

int escpos_qr_raster(struct escpos_buf *b, const char *data, int module, enum escpos_qr_ec ec) {
    static const QRecLevel levels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
    QRcode *q = QRcode_encodeString(data, 0, levels[ec - ESCPOS_QR_L], QR_MODE_8, 1);
    if (!q)
        return -1;
    module = module < 1 ? 1 : module > 16 ? 16 : module;
    int quiet = 4;
    int dots = (q->width + 2 * quiet) * module;
    int wb = (dots + 7) / 8;
    uint8_t *bits = calloc((size_t)wb * (size_t)dots, 1);
    if (!bits) {
        QRcode_free(q);
        return -1;
    }
    for (int y = 0; y < dots; y++) {
        int my = y / module - quiet;
        for (int x = 0; x < dots; x++) {
            int mx = x / module - quiet;
            if (mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
                (q->data[my * q->width + mx] & 1))
                bits[y * wb + x / 8] |= (uint8_t)(0x80 >> (x % 8));
        }
    }
    PUT(b, 0x0A);
    escpos_raster(b, bits, wb, dots);
    free(bits);
    QRcode_free(q);
    return b->overflow ? -1 : 0;
}

void escpos_status_request(struct escpos_buf *b, int n) {
    PUT(b, 0x10, 0x04, (uint8_t)(n < 1 ? 1 : n > 4 ? 4 : n));
}

int escpos_status_parse(int n, uint8_t a, unsigned *flags) {
    if ((a & 0x12) != 0x12 || (a & 0x80))
        return -1;
    switch (n) {
    case 1:
        if (a & 0x08)
            *flags |= ESCPOS_ST_OFFLINE;
        break;
    case 2:
        if (a & 0x04)
            *flags |= ESCPOS_ST_COVER_OPEN;
        if (a & 0x20)
            *flags |= ESCPOS_ST_PAPER_OUT;
        if (a & 0x40)
            *flags |= ESCPOS_ST_ERROR;
        break;
    case 3:
        if (a & 0x68)
            *flags |= ESCPOS_ST_ERROR;
        break;
    case 4:
        if (a & 0x0C)
            *flags |= ESCPOS_ST_PAPER_NEAR_END;
        if (a & 0x60)
            *flags |= ESCPOS_ST_PAPER_OUT;
        break;
    default:
        return -1;
    }
    return 0;
}

void escpos_test_receipt(struct escpos_buf *b, const char *qr, bool raster_qr) {
    escpos_init(b);
    escpos_align(b, ESCPOS_CENTER);
    escpos_size(b, 2, 2);
    escpos_bold(b, true);
    escpos_text(b, "打印测试\n");
    escpos_size(b, 1, 1);
    escpos_bold(b, false);
    escpos_text(b, "婚姻登记自助服务终端\n");
    escpos_align(b, ESCPOS_LEFT);
    escpos_text(b, "身份证号：370602********3011\n");
    escpos_text(b, "金额：￥0.00\n");
    escpos_align(b, ESCPOS_CENTER);
    if (raster_qr)
        escpos_qr_raster(b, qr, 6, ESCPOS_QR_M);
    else
        escpos_qr_native(b, qr, 6, ESCPOS_QR_M);
    escpos_text(b, "\n请妥善保管本回执\n");
    escpos_cut(b, 3);
}
