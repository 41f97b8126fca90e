/* escpos-render: renders an ESC/POS byte stream to a PNG, as the paper would show it.
 *
 *   escpos-render IN.bin OUT.png [--fonts FILE] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escpos_parse.h"
#include "escpos_render.h"

int main(int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "--help")) {
        printf("usage: escpos-render IN.bin OUT.png [--fonts FILE]\n");
        return 0;
    }
    if (argc != 3 && !(argc == 5 && !strcmp(argv[3], "--fonts"))) {
        fprintf(stderr, "escpos-render: usage: escpos-render IN.bin OUT.png [--fonts FILE]\n");
        return 2;
    }
    char fonts[1100];
    if (argc == 5) {
        snprintf(fonts, sizeof fonts, "%s", argv[4]);
    } else {
        escpos_render_default_fonts(fonts, sizeof fonts);
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "escpos-render: cannot read %s\n", argv[1]);
        return 1;
    }
    size_t cap = 1 << 20, len = 0;
    unsigned char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            unsigned char *nb = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    struct escpos_render *rd = escpos_render_new(fonts);
    if (!buf || !rd)
        return 1;
    size_t off = 0;
    while (off < len) {
        struct escpos_cmd c;
        int used = escpos_parse(buf + off, len - off, &c);
        if (used <= 0)
            break; /* a command cut short at the end of the file */
        escpos_render_cmd(rd, &c);
        off += (size_t)used;
    }
    int rc = escpos_render_save(rd, argv[2]);
    if (rc != 0)
        fprintf(stderr, "escpos-render: cannot write %s\n", argv[2]);
    escpos_render_free(rd);
    free(buf);
    return rc == 0 ? 0 : 1;
}
