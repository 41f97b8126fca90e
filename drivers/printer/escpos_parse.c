/* escpos_parse: see escpos_parse.h. */
#include "escpos_parse.h"

#include <string.h>

#define RASTER_MAX_W 256
#define RASTER_MAX_H 4096
#define QR_MAX 7089

static int is_control(uint8_t c) {
    return c < 0x20 || c == 0x7F;
}

static int simple(struct escpos_cmd *out, enum escpos_op op, int arg, int used) {
    out->op = op;
    out->arg = arg;
    return used;
}

int escpos_parse(const uint8_t *b, size_t len, struct escpos_cmd *out) {
    if (!b || !out)
        return -1;
    memset(out, 0, sizeof *out);
    if (len == 0)
        return 0;
    uint8_t c = b[0];
    if (!is_control(c)) {
        size_t n = 1;
        while (n < len && !is_control(b[n]))
            n++;
        /* do not split a double-byte character at the end of what has arrived */
        size_t lead = 0;
        for (size_t i = 0; i < n; i++) {
            if (b[i] >= 0x81 && i + 1 < n)
                i++;
            else if (b[i] >= 0x81)
                lead = 1;
        }
        if (lead && n == len) {
            if (n == 1)
                return 0;
            n--;
        }
        out->op = EP_TEXT;
        out->data = b;
        out->len = n;
        return (int)n;
    }
    switch (c) {
    case 0x0A:
        return simple(out, EP_LF, 0, 1);
    case 0x0D:
        return simple(out, EP_UNKNOWN, c, 1); /* CR: ignored by receipt printers */
    case 0x10:
        if (len < 3)
            return 0;
        if (b[1] == 0x04)
            return simple(out, EP_STATUS, b[2], 3);
        return simple(out, EP_UNKNOWN, c, 1);
    case 0x1B:
        if (len < 2)
            return 0;
        switch (b[1]) {
        case '@':
            return simple(out, EP_INIT, 0, 2);
        case '2':
            return simple(out, EP_SPACING, -1, 2);
        case 'E':
        case '!':
        case 'a':
        case 'd':
        case '3':
            if (len < 3)
                return 0;
            return simple(out,
                          b[1] == 'E'   ? EP_BOLD
                          : b[1] == '!' ? EP_MODE
                          : b[1] == 'a' ? EP_ALIGN
                          : b[1] == 'd' ? EP_FEED
                                        : EP_SPACING,
                          b[2], 3);
        default:
            return simple(out, EP_UNKNOWN, c, 1);
        }
    case 0x1C:
        if (len < 2)
            return 0;
        if (b[1] == '&')
            return simple(out, EP_CHINESE, 1, 2);
        if (b[1] == '.')
            return simple(out, EP_CHINESE, 0, 2);
        if ((b[1] == '!' || b[1] == 'W') && len >= 3)
            return simple(out, EP_UNKNOWN, c, 3); /* Chinese size: GS ! covers it */
        if (b[1] == '!' || b[1] == 'W')
            return 0;
        return simple(out, EP_UNKNOWN, c, 1);
    case 0x1D:
        if (len < 2)
            return 0;
        if (b[1] == '!') {
            if (len < 3)
                return 0;
            out->op = EP_SIZE;
            out->w = (b[2] >> 4) + 1;
            out->h = (b[2] & 0x0F) + 1;
            return 3;
        }
        if (b[1] == 'V') {
            if (len < 3)
                return 0;
            if (b[2] == 0x41 || b[2] == 0x42) {
                if (len < 4)
                    return 0;
                return simple(out, EP_CUT, b[3], 4);
            }
            return simple(out, EP_CUT, 0, 3);
        }
        if (b[1] == '(') {
            if (len < 5)
                return 0;
            if (b[2] != 'k')
                return simple(out, EP_UNKNOWN, c, 1);
            size_t pl = (size_t)b[3] | (size_t)b[4] << 8;
            if (pl < 2 || pl > QR_MAX + 3)
                return simple(out, EP_UNKNOWN, c, 1);
            if (len < 5 + pl)
                return 0;
            const uint8_t *f = b + 5; /* cn fn [m] ... */
            int used = (int)(5 + pl);
            if (f[0] != 0x31)
                return simple(out, EP_QR_OTHER, 0, used);
            switch (f[1]) {
            case 0x43:
                return simple(out, EP_QR_MODULE, pl >= 3 ? f[2] : 0, used);
            case 0x45:
                return simple(out, EP_QR_EC, pl >= 3 ? f[2] : 0, used);
            case 0x50:
                if (pl < 3) /* no room for m: not a store (found by fuzz_escpos) */
                    return simple(out, EP_QR_OTHER, 0, used);
                out->op = EP_QR_STORE;
                out->data = f + 3;
                out->len = pl - 3;
                return used;
            case 0x51:
                return simple(out, EP_QR_PRINT, 0, used);
            default:
                return simple(out, EP_QR_OTHER, 0, used);
            }
        }
        if (b[1] == 'v') {
            if (len < 8)
                return 0;
            if (b[2] != '0')
                return simple(out, EP_UNKNOWN, c, 1);
            int w = b[4] | b[5] << 8, h = b[6] | b[7] << 8;
            if (w < 1 || h < 1 || w > RASTER_MAX_W || h > RASTER_MAX_H)
                return simple(out, EP_UNKNOWN, c, 1);
            size_t total = 8 + (size_t)w * (size_t)h;
            if (len < total)
                return 0;
            out->op = EP_RASTER;
            out->w = w;
            out->h = h;
            out->data = b + 8;
            out->len = (size_t)w * (size_t)h;
            return (int)total;
        }
        return simple(out, EP_UNKNOWN, c, 1);
    default:
        return simple(out, EP_UNKNOWN, c, 1);
    }
}
