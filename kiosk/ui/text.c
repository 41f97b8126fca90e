/* text: see text.h. */
#include "text.h"

#include <SDL_ttf.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "log.h"
#include "utf8.h"
#include "file.h"

#define CHAIN_MAX 6
#define BUCKETS 512
#define ADV_SLOTS 4096

struct face {
    char path[512];
    long index;
    const void *map; /* the font file, mapped once and shared by every size */
    size_t size;
    bool map_failed;
};

/* A size and weight asked for. One TTF_Font per font of the chain and weight serves every
 * size (TTF_SetFontSize): each open face costs FreeType about a megabyte of tables for a CJK
 * font, so a face per size would cost more than everything else the kiosk holds. */
struct sized {
    int px;
    bool bold;
};

/* Advances of code points, cached: line breaking asks for every character of every wrapped
 * text on every redraw, and a size switch empties SDL_ttf's own glyph cache. */
struct adv_slot {
    uint32_t cp;
    int16_t px;
    int16_t adv; /* 0: empty slot */
    bool bold;
};

struct entry {
    struct entry *hnext;       /* hash chain */
    struct entry *prev, *next; /* LRU list, most recent first */
    uint32_t hash;
    int px;
    bool bold, personal;
    SDL_Color color;
    SDL_Texture *tex;
    int w, h;
    size_t bytes;
    size_t len;
    char text[]; /* not NUL-terminated */
};

struct text_engine {
    SDL_Renderer *ren;
    struct face chain[2][CHAIN_MAX]; /* [0] regular, [1] bold */
    int nchain[2];
    TTF_Font *font[2][CHAIN_MAX];
    int font_px[2][CHAIN_MAX];
    bool failed[2][CHAIN_MAX];
    struct adv_slot adv[ADV_SLOTS];
    struct entry *bucket[BUCKETS];
    struct entry *lru_head, *lru_tail;
    size_t bytes, cap, entries;
};

static int on_font(void *user, const char *section, const char *name, const char *value) {
    struct text_engine *t = user;
    if (strcmp(name, "font") != 0)
        return 1;
    int b = strcmp(section, "bold") == 0 ? 1 : strcmp(section, "regular") == 0 ? 0 : -1;
    if (b < 0 || t->nchain[b] >= CHAIN_MAX)
        return 1;
    struct face *f = &t->chain[b][t->nchain[b]];
    snprintf(f->path, sizeof f->path, "%s", value);
    f->index = 0;
    char *colon = strrchr(f->path, ':');
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        f->index = strtol(colon + 1, NULL, 10);
        *colon = 0;
    }
    t->nchain[b]++;
    return 1;
}

struct text_engine *text_create(SDL_Renderer *ren, const char *fonts_file, size_t cache_bytes) {
    if (!TTF_WasInit() && TTF_Init() != 0) {
        log_error("text", "TTF_Init: %s", TTF_GetError());
        return NULL;
    }
    struct text_engine *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ren = ren;
    t->cap = cache_bytes;
    if (file_ini(fonts_file, 16 << 10, on_font, t) != 0 || t->nchain[0] == 0) {
        log_error("text", "no fonts in %s", fonts_file);
        free(t);
        return NULL;
    }
    if (t->nchain[1] == 0) {
        memcpy(t->chain[1], t->chain[0], sizeof t->chain[0]);
        t->nchain[1] = t->nchain[0];
    }
    return t;
}

static void entry_unlink(struct text_engine *t, struct entry *e) {
    if (e->prev)
        e->prev->next = e->next;
    else
        t->lru_head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        t->lru_tail = e->prev;
    e->prev = e->next = NULL;
}

static void entry_push_front(struct text_engine *t, struct entry *e) {
    e->prev = NULL;
    e->next = t->lru_head;
    if (t->lru_head)
        t->lru_head->prev = e;
    t->lru_head = e;
    if (!t->lru_tail)
        t->lru_tail = e;
}

static void entry_destroy(struct text_engine *t, struct entry *e) {
    struct entry **pp = &t->bucket[e->hash % BUCKETS];
    while (*pp && *pp != e)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = e->hnext;
    entry_unlink(t, e);
    t->bytes -= e->bytes;
    t->entries--;
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    if (e->personal)
        explicit_bzero(e->text, e->len);
    free(e);
}

void text_purge_personal(struct text_engine *t) {
    struct entry *e = t->lru_head;
    while (e) {
        struct entry *n = e->next;
        if (e->personal)
            entry_destroy(t, e);
        e = n;
    }
}

void text_purge_all(struct text_engine *t) {
    while (t->lru_head)
        entry_destroy(t, t->lru_head);
}

void text_destroy(struct text_engine *t) {
    if (!t)
        return;
    text_purge_all(t);
    for (int b = 0; b < 2; b++) {
        for (int j = 0; j < CHAIN_MAX; j++) {
            if (t->font[b][j])
                TTF_CloseFont(t->font[b][j]);
        }
    }
    for (int b = 0; b < 2; b++) {
        for (int i = 0; i < t->nchain[b]; i++) {
            struct face *f = &t->chain[b][i];
            if (f->map)
                munmap((void *)f->map, f->size);
        }
    }
    free(t);
    TTF_Quit();
}

size_t text_cache_bytes(const struct text_engine *t) {
    return t->bytes;
}

size_t text_cache_entries(const struct text_engine *t) {
    return t->entries;
}

/* Maps a font file once. FreeType then reads the tables in place: no copies per size, and
 * the pages are the page cache's, shared with every other process that uses the font. */
static const void *face_map(struct face *f) {
    if (f->map || f->map_failed)
        return f->map;
    int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block */
    struct stat st;
    /* a regular file only: a device or FIFO named as a font is refused, never read */
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        st.st_size < (64 << 20)) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            f->map = m;
            f->size = (size_t)st.st_size;
        }
    }
    if (fd >= 0)
        close(fd);
    f->map_failed = f->map == NULL;
    return f->map;
}

/* The font at chain position i, opened on first use and set to the size asked for. */
static TTF_Font *chain_font(struct text_engine *t, const struct sized *s, int i) {
    int b = s->bold ? 1 : 0;
    if (i >= t->nchain[b] || t->failed[b][i])
        return NULL;
    TTF_Font *font = t->font[b][i];
    if (!font) {
        struct face *f = &t->chain[b][i];
        const void *m = face_map(f);
        SDL_RWops *rw = m ? SDL_RWFromConstMem(m, (int)f->size) : NULL;
        font = rw ? TTF_OpenFontIndexRW(rw, 1, s->px, f->index) : NULL;
        if (!font) {
            log_warn("text", "cannot open font %s: %s", f->path, TTF_GetError());
            t->failed[b][i] = true;
            return NULL;
        }
        TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
        /* The fallback fonts carry no bold face: embolden them so a bold line stays even. */
        if (s->bold && i > 0)
            TTF_SetFontStyle(font, TTF_STYLE_BOLD);
        t->font[b][i] = font;
        t->font_px[b][i] = s->px;
    } else if (t->font_px[b][i] != s->px) {
        TTF_SetFontSize(font, s->px);
        t->font_px[b][i] = s->px;
    }
    return font;
}

/* Index in the chain of the first font that has cp; 0 when none has it (it shows as a box). */
static int font_for(struct text_engine *t, const struct sized *s, uint32_t cp) {
    if (cp < 0x80)
        return 0;
    int n = t->nchain[s->bold ? 1 : 0];
    for (int i = 0; i < n; i++) {
        TTF_Font *f = chain_font(t, s, i);
        if (f && TTF_GlyphIsProvided32(f, cp))
            return i;
    }
    return 0;
}

/* Calls fn for each run of s[0..len) that one font renders, as a NUL-terminated string (runs
 * longer than a line ever is are split at a character boundary). */
typedef int (*run_fn)(void *ctx, TTF_Font *f, const char *run);
#define RUN_MAX 1024

static int for_each_run(struct text_engine *t, const struct sized *s, const char *str, size_t len,
                        run_fn fn, void *ctx) {
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(str + i, len - i, &cp);
        int fi = font_for(t, s, cp);
        size_t j = i + n;
        while (j < len) {
            size_t m = utf8_decode(str + j, len - j, &cp);
            if (font_for(t, s, cp) != fi || j + m - i >= RUN_MAX)
                break;
            j += m;
        }
        TTF_Font *f = chain_font(t, s, fi);
        if (!f)
            f = chain_font(t, s, 0);
        if (!f)
            return -1;
        char run[RUN_MAX];
        memcpy(run, str + i, j - i);
        run[j - i] = 0;
        if (fn(ctx, f, run) != 0)
            return -1;
        i = j;
    }
    return 0;
}

struct measure_ctx {
    int w, h, ascent;
};

static int measure_run(void *ctx, TTF_Font *f, const char *run) {
    struct measure_ctx *m = ctx;
    int w = 0, h = 0;
    TTF_SizeUTF8(f, run, &w, &h);
    m->w += w;
    if (TTF_FontHeight(f) > m->h)
        m->h = TTF_FontHeight(f);
    if (TTF_FontAscent(f) > m->ascent)
        m->ascent = TTF_FontAscent(f);
    return 0;
}

void text_measure(struct text_engine *t, int px, bool bold, const char *s, size_t len, int *w,
                  int *h) {
    struct sized sz = {px, bold};
    struct measure_ctx m = {0, 0, 0};
    for_each_run(t, &sz, s, len, measure_run, &m);
    if (m.h == 0) {
        TTF_Font *f = chain_font(t, &sz, 0);
        m.h = f ? TTF_FontHeight(f) : px;
    }
    if (w)
        *w = m.w;
    if (h)
        *h = m.h;
}

int text_line_height(struct text_engine *t, int px, bool bold) {
    struct sized sz = {px, bold};
    TTF_Font *f = chain_font(t, &sz, 0);
    return f ? TTF_FontHeight(f) : px;
}

int text_advance(struct text_engine *t, int px, bool bold, uint32_t cp) {
    uint32_t h = (cp * 2654435761u) ^ ((uint32_t)px * 40503u) ^ (bold ? 0x5bd1e995u : 0);
    struct adv_slot *slot = &t->adv[h % ADV_SLOTS];
    if (slot->adv && slot->cp == cp && slot->px == px && slot->bold == bold)
        return slot->adv;
    struct sized s = {px, bold};
    TTF_Font *f = chain_font(t, &s, font_for(t, &s, cp));
    int adv = 0;
    if (!f || TTF_GlyphMetrics32(f, cp, NULL, NULL, NULL, NULL, &adv) != 0)
        adv = px;
    if (adv > 0 && adv < INT16_MAX && px < INT16_MAX)
        *slot = (struct adv_slot){cp, (int16_t)px, (int16_t)adv, bold};
    return adv;
}

static uint32_t hash_key(const char *s, size_t len, int px, bool bold, SDL_Color c) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    h ^= (uint32_t)px * 2654435761u;
    h ^= bold ? 0x9E3779B9u : 0;
    h ^= ((uint32_t)c.r << 24) | ((uint32_t)c.g << 16) | ((uint32_t)c.b << 8) | c.a;
    return h;
}

struct compose_ctx {
    SDL_Surface *dst;
    int x, ascent;
    SDL_Color color;
};

static int compose_run(void *ctx, TTF_Font *f, const char *run) {
    struct compose_ctx *c = ctx;
    SDL_Surface *s = TTF_RenderUTF8_Blended(f, run, c->color);
    if (!s)
        return 0; /* e.g. only spaces: nothing to draw */
    SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
    SDL_Rect at = {c->x, c->ascent - TTF_FontAscent(f), s->w, s->h};
    SDL_BlitSurface(s, NULL, c->dst, &at);
    c->x += s->w;
    SDL_FreeSurface(s);
    return 0;
}

static SDL_Texture *render_line(struct text_engine *t, const struct sized *sz, SDL_Color color,
                                const char *s, size_t len, int *w, int *h) {
    struct measure_ctx m = {0, 0, 0};
    if (for_each_run(t, sz, s, len, measure_run, &m) != 0 || m.w <= 0 || m.h <= 0)
        return NULL;
    /* Runs of another font may reach lower than the first font's descent. */
    int height = m.h + sz->px / 4;
    SDL_Surface *line =
        SDL_CreateRGBSurfaceWithFormat(0, m.w + 2, height, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!line)
        return NULL;
    SDL_FillRect(line, NULL, 0);
    struct compose_ctx c = {line, 0, m.ascent, color};
    for_each_run(t, sz, s, len, compose_run, &c);
    SDL_Texture *tex = SDL_CreateTextureFromSurface(t->ren, line);
    if (tex)
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    *w = line->w;
    *h = line->h;
    SDL_FreeSurface(line);
    return tex;
}

SDL_Texture *text_line(struct text_engine *t, int px, bool bold, SDL_Color color, const char *s,
                       size_t len, bool personal, int *w, int *h) {
    if (len == 0)
        return NULL;
    uint32_t hash = hash_key(s, len, px, bold, color);
    for (struct entry *e = t->bucket[hash % BUCKETS]; e; e = e->hnext) {
        if (e->hash == hash && e->px == px && e->bold == bold && e->len == len &&
            memcmp(&e->color, &color, sizeof color) == 0 && memcmp(e->text, s, len) == 0) {
            entry_unlink(t, e);
            entry_push_front(t, e);
            e->personal = e->personal || personal;
            *w = e->w;
            *h = e->h;
            return e->tex;
        }
    }
    struct sized sz = {px, bold};
    int tw = 0, th = 0;
    SDL_Texture *tex = render_line(t, &sz, color, s, len, &tw, &th);
    if (!tex)
        return NULL;
    struct entry *e = calloc(1, sizeof *e + len);
    if (!e) {
        SDL_DestroyTexture(tex);
        return NULL;
    }
    e->hash = hash;
    e->px = px;
    e->bold = bold;
    e->personal = personal;
    e->color = color;
    e->tex = tex;
    e->w = tw;
    e->h = th;
    e->bytes = (size_t)tw * (size_t)th * 4;
    e->len = len;
    memcpy(e->text, s, len);
    e->hnext = t->bucket[hash % BUCKETS];
    t->bucket[hash % BUCKETS] = e;
    entry_push_front(t, e);
    t->bytes += e->bytes;
    t->entries++;
    /* Keep under the cap, but never evict the texture being returned. */
    while (t->bytes > t->cap && t->lru_tail && t->lru_tail != e)
        entry_destroy(t, t->lru_tail);
    *w = tw;
    *h = th;
    return tex;
}
