/* escpos_render: see escpos_render.h. */
#include "escpos_render.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <iconv.h>
#include <ini.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utf8.h"
#include "file.h"

#define PAPER_MAX 8000
#define BASE_PX 24
#define CHAIN_MAX 4

struct escpos_render {
    SDL_Surface *paper;
    int y; /* next line's top, in dots */
    int align, bold, w, h, spacing;
    int qr_module, qr_ec;
    uint8_t qr[7100];
    size_t qr_len;
    char line[2048]; /* the current line's bytes, as received */
    size_t line_len;
    char font_path[CHAIN_MAX][512];
    long font_index[CHAIN_MAX];
    int nfonts;
    TTF_Font *font[CHAIN_MAX];
    int font_px;
    int content;
};

static int on_font(void *user, const char *section, const char *name, const char *value) {
    struct escpos_render *r = user;
    if (strcmp(section, "regular") || strcmp(name, "font") || r->nfonts == CHAIN_MAX)
        return 1;
    snprintf(r->font_path[r->nfonts], sizeof r->font_path[0], "%s", value);
    char *colon = strrchr(r->font_path[r->nfonts], ':');
    r->font_index[r->nfonts] = 0;
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        r->font_index[r->nfonts] = strtol(colon + 1, NULL, 10);
        *colon = 0;
    }
    r->nfonts++;
    return 1;
}

static void defaults(struct escpos_render *r) {
    r->align = 0;
    r->bold = 0;
    r->w = r->h = 1;
    r->spacing = 30;
    r->qr_module = 3;
    r->qr_ec = 0x31;
}

void escpos_render_reset(struct escpos_render *r) {
    SDL_FillRect(r->paper, NULL, SDL_MapRGB(r->paper->format, 255, 255, 255));
    r->y = 8;
    r->line_len = 0;
    r->qr_len = 0;
    r->content = 0;
    defaults(r);
}

char *escpos_render_default_fonts(char *out, size_t size) {
    char exe[1024];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = 0;
    snprintf(out, size, "%s/../../fonts/fonts.ini", exe);
    return out;
}

struct escpos_render *escpos_render_new(const char *fonts_file) {
    struct escpos_render *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (file_ini(fonts_file, 16 << 10, on_font, r) != 0 || r->nfonts == 0 ||
        (!TTF_WasInit() && TTF_Init() != 0)) {
        fprintf(stderr, "escpos: cannot read the fonts in %s\n", fonts_file);
        free(r);
        return NULL;
    }
    r->paper = SDL_CreateRGBSurfaceWithFormat(0, ESCPOS_PAPER_DOTS, PAPER_MAX, 32,
                                              SDL_PIXELFORMAT_ARGB8888);
    if (!r->paper) {
        free(r);
        return NULL;
    }
    escpos_render_reset(r);
    return r;
}

void escpos_render_free(struct escpos_render *r) {
    if (!r)
        return;
    for (int i = 0; i < r->nfonts; i++) {
        if (r->font[i])
            TTF_CloseFont(r->font[i]);
    }
    SDL_FreeSurface(r->paper);
    free(r);
    TTF_Quit();
}

int escpos_render_has_content(const struct escpos_render *r) {
    return r->content;
}

static TTF_Font *font_at(struct escpos_render *r, int i, int px) {
    if (r->font_px != px) {
        for (int k = 0; k < r->nfonts; k++) {
            if (r->font[k])
                TTF_CloseFont(r->font[k]);
            r->font[k] = NULL;
        }
        r->font_px = px;
    }
    if (!r->font[i])
        r->font[i] = TTF_OpenFontIndex(r->font_path[i], px, r->font_index[i]);
    return r->font[i];
}

/* The line's bytes as UTF-8: GB18030 in Chinese mode covers ASCII too. */
static void line_utf8(const struct escpos_render *r, char *out, size_t size) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    char *in = (char *)r->line, *o = out;
    size_t inlen = r->line_len, left = size - 1;
    if (cd != (iconv_t)-1) {
        while (inlen > 0 && left > 0) {
            if (iconv(cd, &in, &inlen, &o, &left) == (size_t)-1) {
                in++; /* an undecodable byte prints as nothing, as on paper */
                inlen--;
            }
        }
        iconv_close(cd);
    }
    *o = 0;
}

static void advance(struct escpos_render *r, int dots) {
    r->y += dots;
    if (r->y > PAPER_MAX - 200)
        r->y = PAPER_MAX - 200; /* an endless job keeps overwriting the last stretch */
}

static void blit_aligned(struct escpos_render *r, SDL_Surface *s, int w, int h) {
    int x = r->align == 1 ? (ESCPOS_PAPER_DOTS - w) / 2 : r->align == 2 ? ESCPOS_PAPER_DOTS - w : 0;
    if (x < 0)
        x = 0;
    SDL_Rect dst = {x, r->y, w, h};
    SDL_BlitScaled(s, NULL, r->paper, &dst);
}

static void flush_line(struct escpos_render *r) {
    int px = BASE_PX * r->h;
    if (r->line_len == 0) {
        advance(r, r->spacing * r->h);
        return;
    }
    char text[4096];
    line_utf8(r, text, sizeof text);
    r->line_len = 0;
    SDL_Color black = {0, 0, 0, 255};
    /* runs by the first font that has the glyph */
    SDL_Surface *runs[64];
    int nruns = 0, total_w = 0;
    size_t i = 0, len = strlen(text);
    while (i < len && nruns < 64) {
        uint32_t cp;
        size_t n = utf8_decode(text + i, len - i, &cp);
        int fi = 0;
        for (int k = 0; k < r->nfonts; k++) {
            TTF_Font *f = font_at(r, k, px);
            if (f && TTF_GlyphIsProvided32(f, cp)) {
                fi = k;
                break;
            }
        }
        size_t j = i + n;
        while (j < len) {
            uint32_t c2;
            size_t m = utf8_decode(text + j, len - j, &c2);
            TTF_Font *f = font_at(r, fi, px);
            if (c2 >= 0x80 && !(f && TTF_GlyphIsProvided32(f, c2)))
                break;
            j += m;
        }
        char run[4096];
        memcpy(run, text + i, j - i);
        run[j - i] = 0;
        TTF_Font *f = font_at(r, fi, px);
        if (f) {
            TTF_SetFontStyle(f, r->bold ? TTF_STYLE_BOLD : TTF_STYLE_NORMAL);
            SDL_Surface *s = TTF_RenderUTF8_Blended(f, run, black);
            if (s) {
                runs[nruns++] = s;
                total_w += s->w * r->w / r->h;
            }
        }
        i = j;
    }
    int x = r->align == 1   ? (ESCPOS_PAPER_DOTS - total_w) / 2
            : r->align == 2 ? ESCPOS_PAPER_DOTS - total_w
                            : 0;
    if (x < 0)
        x = 0;
    for (int k = 0; k < nruns; k++) {
        int w = runs[k]->w * r->w / r->h;
        SDL_Rect dst = {x, r->y, w, runs[k]->h};
        SDL_BlitScaled(runs[k], NULL, r->paper, &dst);
        x += w;
        SDL_FreeSurface(runs[k]);
    }
    r->content = 1;
    advance(r, r->spacing * r->h > px ? r->spacing * r->h : px + 6);
}

static void draw_bits(struct escpos_render *r, const uint8_t *bits, int wb, int h) {
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, wb * 8, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return;
    SDL_FillRect(s, NULL, SDL_MapRGB(s->format, 255, 255, 255));
    Uint32 black = SDL_MapRGB(s->format, 0, 0, 0);
    for (int y = 0; y < h; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < wb * 8; x++) {
            if (bits[y * wb + x / 8] & (0x80 >> (x % 8)))
                row[x] = black;
        }
    }
    blit_aligned(r, s, s->w, s->h);
    SDL_FreeSurface(s);
    r->content = 1;
    advance(r, h);
}

static void print_qr(struct escpos_render *r) {
    if (r->qr_len == 0)
        return;
    char data[7100];
    memcpy(data, r->qr, r->qr_len);
    data[r->qr_len] = 0;
    static const QRecLevel lv[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
    int ec = r->qr_ec >= 0x30 && r->qr_ec <= 0x33 ? r->qr_ec - 0x30 : 1;
    QRcode *q = QRcode_encodeData((int)r->qr_len, (const unsigned char *)data, 0, lv[ec]);
    if (!q)
        return;
    /* with the 4-module quiet zone a printer leaves blank around the code */
    int m = r->qr_module, quiet = 4, dots = (q->width + 2 * quiet) * m, wb = (dots + 7) / 8;
    uint8_t *bits = calloc((size_t)wb * (size_t)dots, 1);
    if (bits) {
        for (int y = 0; y < dots; y++) {
            int my = y / m - quiet;
            for (int x = 0; x < dots; x++) {
                int mx = x / m - quiet;
                if (mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
                    (q->data[my * q->width + mx] & 1))
                    bits[y * wb + x / 8] |= (uint8_t)(0x80 >> (x % 8));
            }
        }
        draw_bits(r, bits, wb, dots);
        free(bits);
    }
    QRcode_free(q);
}

void escpos_render_cmd(struct escpos_render *r, const struct escpos_cmd *c) {
    switch (c->op) {
    case EP_TEXT:
        if (r->line_len + c->len < sizeof r->line) {
            memcpy(r->line + r->line_len, c->data, c->len);
            r->line_len += c->len;
        }
        break;
    case EP_LF:
        flush_line(r);
        break;
    case EP_INIT:
        if (r->line_len)
            flush_line(r);
        defaults(r);
        break;
    case EP_BOLD:
        r->bold = c->arg & 1;
        break;
    case EP_MODE:
        r->bold = (c->arg & 0x08) != 0;
        r->h = c->arg & 0x10 ? 2 : 1;
        r->w = c->arg & 0x20 ? 2 : 1;
        break;
    case EP_SIZE:
        r->w = c->w;
        r->h = c->h;
        break;
    case EP_ALIGN:
        r->align = c->arg <= 2 ? c->arg : c->arg - '0';
        break;
    case EP_FEED:
        if (r->line_len)
            flush_line(r);
        advance(r, c->arg * r->spacing);
        break;
    case EP_SPACING:
        r->spacing = c->arg < 0 ? 30 : c->arg;
        break;
    case EP_CUT:
        if (r->line_len)
            flush_line(r);
        advance(r, c->arg * r->spacing);
        break;
    case EP_QR_MODULE:
        r->qr_module = c->arg >= 1 && c->arg <= 16 ? c->arg : 3;
        break;
    case EP_QR_EC:
        r->qr_ec = c->arg;
        break;
    case EP_QR_STORE:
        r->qr_len = c->len < sizeof r->qr ? c->len : 0;
        memcpy(r->qr, c->data, r->qr_len);
        break;
    case EP_QR_PRINT:
        if (r->line_len)
            flush_line(r);
        print_qr(r);
        break;
    case EP_RASTER:
        if (r->line_len)
            flush_line(r);
        draw_bits(r, c->data, c->w, c->h);
        break;
    default:
        break;
    }
}

int escpos_render_save(struct escpos_render *r, const char *png) {
    if (r->line_len)
        flush_line(r);
    int h = r->y + 24;
    if (h > PAPER_MAX)
        h = PAPER_MAX;
    SDL_Surface *out =
        SDL_CreateRGBSurfaceWithFormat(0, ESCPOS_PAPER_DOTS, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!out)
        return -1;
    SDL_Rect src = {0, 0, ESCPOS_PAPER_DOTS, h};
    SDL_SetSurfaceBlendMode(r->paper, SDL_BLENDMODE_NONE);
    SDL_BlitSurface(r->paper, &src, out, NULL);
    int rc = IMG_SavePNG(out, png);
    SDL_FreeSurface(out);
    return rc == 0 ? 0 : -1;
}
