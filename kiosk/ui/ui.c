/* ui: see ui.h. The only file besides text.c and main.c that speaks SDL. */
#include "ui.h"

#include <SDL.h>
#include <png.h>
#include <zlib.h>
#include <math.h>
#include <qrencode.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include "log.h"
#include "text.h"
#include "utf8.h"
#include "wrap.h"

#define WRAP_MAX_LINES 256

struct ui {
    SDL_Window *win;
    SDL_Renderer *ren;
    struct text_engine *text;
    const struct ui_theme *theme;
    struct i18n *i18n;
    bool dirty;
    bool personal;
    bool headless;
    Uint32 device_event; /* the SDL user event type of device reports */
    /* every string drawn in the current frame, NUL-separated, for ui_text_visible() */
    char *seen;
    size_t seen_len, seen_cap;
    /* where the current frame drew texts and QR codes (the layout check) */
    struct ui_mark marks[UI_MARKS_MAX];
    int nmarks;
    const void *drawing_layer;
    int drawing_widget;
    bool has_clip;
    struct ui_rect clip;
};

static SDL_Color sdl_color(struct ui_color c) {
    SDL_Color s = {c.r, c.g, c.b, c.a};
    return s;
}

struct ui *ui_create(const struct ui_options *opt) {
    if (opt->headless)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (opt->headless || opt->software) {
        /* The kiosk redraws only on change and a full frame takes ~3.5 ms in software
         * (bench/startup.sh), while a GL driver costs tens of MiB: software is the default
         * ([ui] renderer = gpu for the other choice). Environment variables still win. */
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        /* Or SDL tries a GL renderer behind the window surface, loading Mesa through EGL:
         * slower to start, and Mesa's allocations show up as leaks under LeakSanitizer. */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    /* A touch must not also arrive as a mouse click, or every tap counts twice. */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        log_error("ui", "SDL_Init: %s", SDL_GetError());
        return NULL;
    }
    struct ui *ui = calloc(1, sizeof *ui);
    if (!ui)
        return NULL;
    ui->headless = opt->headless;
    ui->i18n = opt->i18n;
    ui->theme = theme_get(opt->theme);
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    int w = opt->window_w > 0 ? opt->window_w : UI_W;
    int h = opt->window_h > 0 ? opt->window_h : UI_H;
    if (opt->headless) {
        w = UI_W;
        h = UI_H;
    } else if (opt->fullscreen) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        /* the display's own size: under cage (Wayland), a window asked at 1920x1080 on a
         * smaller output stayed that size, its right and bottom cut off, while the canvas was
         * scaled to the output only when the sizes agreed from the start */
        SDL_DisplayMode dm;
        if (SDL_GetDesktopDisplayMode(0, &dm) == 0 && dm.w > 0 && dm.h > 0) {
            w = dm.w;
            h = dm.h;
        }
    }
    ui->win = SDL_CreateWindow("婚姻登记自助服务", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                               w, h, flags);
    if (!ui->win) {
        log_error("ui", "SDL_CreateWindow: %s", SDL_GetError());
        goto fail;
    }
    ui->ren = SDL_CreateRenderer(ui->win, -1, 0);
    if (!ui->ren) {
        log_error("ui", "SDL_CreateRenderer: %s", SDL_GetError());
        goto fail;
    }
    SDL_RenderSetLogicalSize(ui->ren, UI_W, UI_H);
    SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
    if (opt->fullscreen && !opt->headless)
        SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();
    ui->text = text_create(ui->ren, opt->fonts_file, opt->text_cache_bytes);
    if (!ui->text)
        goto fail;
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(ui->ren, &info) == 0)
        log_info("ui", "video %s, renderer %s, window %dx%d", SDL_GetCurrentVideoDriver(),
                 info.name, w, h);
    ui->device_event = SDL_RegisterEvents(1);
    ui->dirty = true;
    return ui;
fail:
    ui_destroy(ui);
    return NULL;
}

void ui_destroy(struct ui *ui) {
    if (!ui)
        return;
    text_destroy(ui->text);
    if (ui->ren)
        SDL_DestroyRenderer(ui->ren);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    free(ui->seen);
    free(ui);
    SDL_Quit();
}

const struct ui_theme *ui_theme(const struct ui *ui) {
    return ui->theme;
}

void ui_set_theme(struct ui *ui, const char *name) {
    ui->theme = theme_get(name);
    ui->dirty = true;
}

const char *ui_tr(const struct ui *ui, const char *key) {
    return i18n_get(ui->i18n, key);
}

struct i18n *ui_i18n(struct ui *ui) {
    return ui->i18n;
}

int ui_font_px(const struct ui *ui, enum ui_font_role role) {
    return ui->theme->font_px[role];
}

void ui_invalidate(struct ui *ui) {
    ui->dirty = true;
}

bool ui_needs_redraw(const struct ui *ui) {
    return ui->dirty;
}

/* Window pixels to canvas pixels (the canvas is letterboxed into the window). */
static void to_canvas(struct ui *ui, float wx, float wy, int *x, int *y) {
    float lx, ly;
    SDL_RenderWindowToLogical(ui->ren, (int)wx, (int)wy, &lx, &ly);
    *x = (int)lx;
    *y = (int)ly;
}

/* KIOSK_DEV_EXIT=1: the development exit (Ctrl+Shift+Q) is on. */
static bool ui_dev_exit(void) {
    const char *v = getenv("KIOSK_DEV_EXIT");
    return v && !strcmp(v, "1");
}

static bool translate(struct ui *ui, const SDL_Event *e, struct ui_event *ev, bool *quit) {
    memset(ev, 0, sizeof *ev);
    int ww, wh;
    switch (e->type) {
    case SDL_QUIT:
        *quit = true;
        return false;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
        SDL_GetWindowSize(ui->win, &ww, &wh);
        to_canvas(ui, e->tfinger.x * (float)ww, e->tfinger.y * (float)wh, &ev->x, &ev->y);
        ev->type = e->type == SDL_FINGERDOWN ? UI_EV_DOWN
                   : e->type == SDL_FINGERUP ? UI_EV_UP
                                             : UI_EV_MOVE;
        return true;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* SDL already scales mouse coordinates to the logical canvas. */
        if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT)
            return false;
        ev->type = e->type == SDL_MOUSEBUTTONDOWN ? UI_EV_DOWN : UI_EV_UP;
        ev->x = e->button.x;
        ev->y = e->button.y;
        return true;
    case SDL_MOUSEMOTION:
        if (e->motion.which == SDL_TOUCH_MOUSEID || !(e->motion.state & SDL_BUTTON_LMASK))
            return false;
        ev->type = UI_EV_MOVE;
        ev->x = e->motion.x;
        ev->y = e->motion.y;
        return true;
    case SDL_KEYDOWN:
        ev->type = UI_EV_KEY;
        switch (e->key.keysym.sym) {
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            ev->key = UI_KEY_ENTER;
            break;
        case SDLK_BACKSPACE:
            ev->key = UI_KEY_BACKSPACE;
            break;
        case SDLK_ESCAPE:
            ev->key = UI_KEY_ESCAPE;
            break;
        case SDLK_UP:
        case SDLK_PAGEUP:
            ev->key = UI_KEY_UP;
            break;
        case SDLK_DOWN:
        case SDLK_PAGEDOWN:
            ev->key = UI_KEY_DOWN;
            break;
        case SDLK_q:
            /* Development: Ctrl+Shift+Q leaves the kiosk (a citizen has no keyboard, and a
             * keyboard-wedge scanner sends no modifiers), only where KIOSK_DEV_EXIT=1 says so
             * (run.sh demo): the installed session has no way out by keyboard. */
            if ((e->key.keysym.mod & KMOD_CTRL) && (e->key.keysym.mod & KMOD_SHIFT) &&
                ui_dev_exit())
                *quit = true;
            return false;
        default:
            return false;
        }
        return true;
    case SDL_TEXTINPUT:
        ev->type = UI_EV_TEXT;
        snprintf(ev->text, sizeof ev->text, "%s", e->text.text);
        return true;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
            e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            e->window.event == SDL_WINDOWEVENT_RESTORED)
            ui->dirty = true;
        return false;
    default:
        if (e->type == ui->device_event && ui->device_event != (Uint32)-1) {
            ev->type = UI_EV_DEVICE;
            ev->device = e->user.data1;
            return true;
        }
        return false;
    }
}

void ui_drop_pending(struct ui *ui, void (*drop)(void *dev)) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (e.type == ui->device_event && e.user.data1)
            drop(e.user.data1);
    }
}

bool ui_post_device(struct ui *ui, void *dev) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = ui->device_event;
    e.user.data1 = dev;
    return ui->device_event != (Uint32)-1 && SDL_PushEvent(&e) == 1;
}

bool ui_wait_event(struct ui *ui, int timeout_ms, struct ui_event *ev, bool *quit) {
    SDL_Event e;
    int got = timeout_ms < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, timeout_ms);
    if (!got) {
        ev->type = UI_EV_NONE;
        return false;
    }
    return translate(ui, &e, ev, quit);
}

bool ui_poll_event(struct ui *ui, struct ui_event *ev, bool *quit) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (translate(ui, &e, ev, quit))
            return true;
        if (*quit)
            return false;
    }
    return false;
}

void ui_inject_tap(struct ui *ui, int x, int y, bool down, bool up) {
    int ww, wh;
    SDL_GetWindowSize(ui->win, &ww, &wh);
    /* canvas to window: the inverse of the logical-size scaling */
    int ox, oy;
    float fx, fy;
    SDL_RenderLogicalToWindow(ui->ren, (float)x, (float)y, &ox, &oy);
    fx = (float)ox / (float)ww;
    fy = (float)oy / (float)wh;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = 1;
    e.tfinger.x = fx;
    e.tfinger.y = fy;
    e.tfinger.pressure = 1.0f;
    e.tfinger.windowID = SDL_GetWindowID(ui->win);
    if (down) {
        e.type = SDL_FINGERDOWN;
        e.tfinger.timestamp = SDL_GetTicks();
        SDL_PushEvent(&e);
    }
    if (up) {
        e.type = SDL_FINGERUP;
        e.tfinger.timestamp = SDL_GetTicks();
        SDL_PushEvent(&e);
    }
}

void ui_begin_frame(struct ui *ui) {
    ui->seen_len = 0;
    ui->nmarks = 0;
    const struct ui_color bg = ui->theme->bg;
    SDL_SetRenderDrawColor(ui->ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(ui->ren);
}

void ui_end_frame(struct ui *ui) {
    SDL_RenderPresent(ui->ren);
    ui->dirty = false;
}

/* Opaque shapes are drawn without blending: the software renderer's blending fill costs
 * several times a plain fill, and most of a screen is opaque. */
static void set_color(struct ui *ui, struct ui_color c) {
    SDL_SetRenderDrawBlendMode(ui->ren, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
}

void ui_fill(struct ui *ui, struct ui_rect r, struct ui_color c) {
    SDL_Rect s = {r.x, r.y, r.w, r.h};
    set_color(ui, c);
    SDL_RenderFillRect(ui->ren, &s);
}

/* The four quarter discs of a rounded rectangle, as triangle fans. */
static void fill_corners(struct ui *ui, struct ui_rect r, int radius, struct ui_color c) {
    enum { SEG = 8 };
    SDL_Vertex v[4 * (SEG + 2)];
    int idx[4 * SEG * 3];
    int nv = 0, ni = 0;
    const float cx[4] = {(float)(r.x + radius), (float)(r.x + r.w - radius),
                         (float)(r.x + r.w - radius), (float)(r.x + radius)};
    const float cy[4] = {(float)(r.y + radius), (float)(r.y + radius), (float)(r.y + r.h - radius),
                         (float)(r.y + r.h - radius)};
    SDL_Color col = sdl_color(c);
    for (int k = 0; k < 4; k++) {
        int center = nv;
        v[nv++] = (SDL_Vertex){{cx[k], cy[k]}, col, {0, 0}};
        float a0 = (float)M_PI * (1.0f + 0.5f * (float)k);
        for (int i = 0; i <= SEG; i++) {
            float a = a0 + (float)M_PI * 0.5f * (float)i / SEG;
            v[nv++] = (SDL_Vertex){
                {cx[k] + cosf(a) * (float)radius, cy[k] + sinf(a) * (float)radius}, col, {0, 0}};
        }
        for (int i = 0; i < SEG; i++) {
            idx[ni++] = center;
            idx[ni++] = center + 1 + i;
            idx[ni++] = center + 2 + i;
        }
    }
    set_color(ui, c);
    SDL_RenderGeometry(ui->ren, NULL, v, nv, idx, ni);
}

static int clamp_radius(struct ui_rect r, int radius) {
    if (radius * 2 > r.w)
        radius = r.w / 2;
    if (radius * 2 > r.h)
        radius = r.h / 2;
    return radius;
}

/* Fills a rounded rectangle: the middle as rectangles, each corner as a triangle fan. */
void ui_fill_round(struct ui *ui, struct ui_rect r, int radius, struct ui_color c) {
    radius = clamp_radius(r, radius);
    if (radius <= 1) {
        ui_fill(ui, r, c);
        return;
    }
    /* The rectangles reach one pixel into the corners: the rasteriser leaves the seam
     * between a fan and its neighbours unfilled in places. */
    fill_corners(ui, r, radius, c);
    ui_fill(ui, (struct ui_rect){r.x + radius - 1, r.y, r.w - 2 * radius + 2, r.h}, c);
    ui_fill(ui, (struct ui_rect){r.x, r.y + radius - 1, radius, r.h - 2 * radius + 2}, c);
    ui_fill(ui,
            (struct ui_rect){r.x + r.w - radius, r.y + radius - 1, radius, r.h - 2 * radius + 2},
            c);
}

/* The border is drawn as its four edges and corners, not as a whole shape under the fill:
 * filling is most of the software renderer's work, and panels cover much of the screen. */
void ui_fill_round_bordered(struct ui *ui, struct ui_rect r, int radius, struct ui_color fill,
                            int border, struct ui_color edge) {
    radius = clamp_radius(r, radius);
    struct ui_rect in = {r.x + border, r.y + border, r.w - 2 * border, r.h - 2 * border};
    if (border <= 0) {
        ui_fill_round(ui, r, radius, fill);
        return;
    }
    if (radius <= border) {
        ui_fill_round(ui, r, radius, edge);
        ui_fill(ui, in, fill);
        return;
    }
    fill_corners(ui, r, radius, edge);
    ui_fill(ui, (struct ui_rect){r.x + radius - 1, r.y, r.w - 2 * radius + 2, border}, edge);
    ui_fill(ui,
            (struct ui_rect){r.x + radius - 1, r.y + r.h - border, r.w - 2 * radius + 2, border},
            edge);
    ui_fill(ui, (struct ui_rect){r.x, r.y + radius - 1, border, r.h - 2 * radius + 2}, edge);
    ui_fill(ui,
            (struct ui_rect){r.x + r.w - border, r.y + radius - 1, border, r.h - 2 * radius + 2},
            edge);
    ui_fill_round(ui, in, radius - border, fill);
}

static bool inside(struct ui_rect in, struct ui_rect out) {
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

static void mark(struct ui *ui, enum ui_mark_kind kind, struct ui_rect r, bool overflow,
                 const char *text, size_t len) {
    if (ui->nmarks == UI_MARKS_MAX || r.w <= 0 || r.h <= 0)
        return;
    struct ui_mark *m = &ui->marks[ui->nmarks++];
    m->kind = kind;
    m->r = r;
    m->clipped = ui->has_clip && !inside(r, ui->clip);
    m->overflow = overflow;
    m->layer = ui->drawing_layer;
    m->widget = ui->drawing_layer ? ui->drawing_widget : -1;
    m->text[0] = 0;
    if (text && !ui->personal) {
        size_t n = len < sizeof m->text - 1 ? len : sizeof m->text - 1;
        while (n > 0 && n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--; /* whole characters only */
        memcpy(m->text, text, n);
        m->text[n] = 0;
    }
}

const struct ui_mark *ui_marks(const struct ui *ui, int *n) {
    *n = ui->nmarks;
    return ui->marks;
}

void ui_marks_forget(struct ui *ui) {
    ui->nmarks = 0;
}

void ui_marks_cover(struct ui *ui, struct ui_rect r) {
    int k = 0;
    for (int i = 0; i < ui->nmarks; i++) {
        struct ui_rect m = ui->marks[i].r;
        bool covered = m.x < r.x + r.w && r.x < m.x + m.w && m.y < r.y + r.h && r.y < m.y + m.h;
        if (!covered)
            ui->marks[k++] = ui->marks[i];
    }
    ui->nmarks = k;
}

void ui_set_drawing(struct ui *ui, const void *layer, int widget) {
    ui->drawing_layer = layer;
    ui->drawing_widget = widget;
}

void ui_clip(struct ui *ui, const struct ui_rect *r) {
    ui->has_clip = r != NULL;
    if (r)
        ui->clip = *r;
    if (!r) {
        SDL_RenderSetClipRect(ui->ren, NULL);
        return;
    }
    SDL_Rect s = {r->x, r->y, r->w, r->h};
    SDL_RenderSetClipRect(ui->ren, &s);
}

static void remember(struct ui *ui, const char *s, size_t len) {
    if (ui->seen_len + len + 1 > ui->seen_cap) {
        size_t cap = (ui->seen_cap ? ui->seen_cap : 4096);
        while (cap < ui->seen_len + len + 1)
            cap *= 2;
        char *p = realloc(ui->seen, cap);
        if (!p)
            return;
        ui->seen = p;
        ui->seen_cap = cap;
    }
    memcpy(ui->seen + ui->seen_len, s, len);
    ui->seen_len += len;
    ui->seen[ui->seen_len++] = 0;
}

bool ui_text_visible(const struct ui *ui, const char *s) {
    size_t i = 0;
    while (i < ui->seen_len) {
        const char *str = ui->seen + i;
        if (strstr(str, s))
            return true;
        i += strlen(str) + 1;
    }
    return false;
}

void ui_set_personal(struct ui *ui, bool personal) {
    ui->personal = personal;
}

void ui_forget_personal(struct ui *ui) {
    text_purge_personal(ui->text);
    /* what was remembered for scripts may hold personal data too */
    if (ui->seen)
        explicit_bzero(ui->seen, ui->seen_cap);
    ui->seen_len = 0;
}

static int draw_line(struct ui *ui, int px, bool bold, struct ui_color c, const char *s, size_t len,
                     int x, int y, enum ui_align ha) {
    int w = 0, h = 0;
    SDL_Texture *t = text_line(ui->text, px, bold, sdl_color(c), s, len, ui->personal, &w, &h);
    if (!t)
        return 0;
    if (ha == UI_CENTER)
        x -= w / 2;
    else if (ha == UI_RIGHT)
        x -= w;
    SDL_Rect dst = {x, y, w, h};
    SDL_RenderCopy(ui->ren, t, NULL, &dst);
    return w;
}

int ui_text(struct ui *ui, enum ui_font_role role, bool bold, struct ui_color c, const char *s,
            int x, int y, enum ui_align ha, enum ui_valign va) {
    int px = ui->theme->font_px[role];
    int lh = text_line_height(ui->text, px, bold);
    if (va == UI_MIDDLE)
        y -= lh / 2;
    else if (va == UI_BOTTOM)
        y -= lh;
    size_t len = strlen(s);
    remember(ui, s, len);
    int w = draw_line(ui, px, bold, c, s, len, x, y, ha);
    int x0 = ha == UI_CENTER ? x - w / 2 : ha == UI_RIGHT ? x - w : x;
    mark(ui, UI_MARK_TEXT, (struct ui_rect){x0, y, w, lh}, false, s, len);
    return w;
}

struct adv_ctx {
    struct text_engine *t;
    int px;
    bool bold;
};

static int adv_cb(void *ctx, uint32_t cp) {
    struct adv_ctx *a = ctx;
    return text_advance(a->t, a->px, a->bold, cp);
}

static size_t layout_lines(struct ui *ui, int px, bool bold, const char *s, int w,
                           struct wrap_line *lines) {
    struct adv_ctx a = {ui->text, px, bold};
    size_t n = wrap_text(s, strlen(s), w, adv_cb, &a, lines, WRAP_MAX_LINES);
    return n < WRAP_MAX_LINES ? n : WRAP_MAX_LINES;
}

static int line_step(struct ui *ui, int px, bool bold) {
    /* CJK text reads best with about 1.4 em between lines */
    int lh = text_line_height(ui->text, px, bold);
    int step = px * 14 / 10;
    return step > lh ? step : lh;
}

int ui_text_box_height(struct ui *ui, enum ui_font_role role, bool bold, const char *s, int w) {
    int px = ui->theme->font_px[role];
    struct wrap_line lines[WRAP_MAX_LINES];
    size_t n = layout_lines(ui, px, bold, s, w, lines);
    return (int)n * line_step(ui, px, bold);
}

int ui_text_box(struct ui *ui, enum ui_font_role role, bool bold, struct ui_color c, const char *s,
                struct ui_rect r, enum ui_align ha, enum ui_valign va) {
    int px = ui->theme->font_px[role];
    struct wrap_line lines[WRAP_MAX_LINES];
    size_t n = layout_lines(ui, px, bold, s, r.w, lines);
    int step = line_step(ui, px, bold);
    int lh = text_line_height(ui->text, px, bold);
    int total = (int)n * step - (step - lh);
    int y = r.y;
    if (va == UI_MIDDLE)
        y = r.y + (r.h - total) / 2;
    else if (va == UI_BOTTOM)
        y = r.y + r.h - total;
    remember(ui, s, strlen(s));
    int x = ha == UI_CENTER ? r.x + r.w / 2 : ha == UI_RIGHT ? r.x + r.w : r.x;
    int left = INT_MAX, right = INT_MIN, top = y, bottom = y;
    for (size_t i = 0; i < n; i++, y += step) {
        if (y + lh < 0 || y > UI_H)
            continue;
        int w = draw_line(ui, px, bold, c, s + lines[i].start, lines[i].end - lines[i].start, x,
                          y, ha);
        int x0 = ha == UI_CENTER ? x - w / 2 : ha == UI_RIGHT ? x - w : x;
        if (x0 < left)
            left = x0;
        if (x0 + w > right)
            right = x0 + w;
        bottom = y + lh;
    }
    if (right > left)
        mark(ui, UI_MARK_TEXT, (struct ui_rect){left, top, right - left, bottom - top},
             top < r.y || bottom > r.y + r.h, s, strlen(s));
    return (int)n * step;
}

int ui_text_width(struct ui *ui, enum ui_font_role role, bool bold, const char *s) {
    int w = 0;
    text_measure(ui->text, ui->theme->font_px[role], bold, s, strlen(s), &w, NULL);
    return w;
}

int ui_line_height(struct ui *ui, enum ui_font_role role) {
    return text_line_height(ui->text, ui->theme->font_px[role], false);
}

int ui_draw_qr(struct ui *ui, const char *data, struct ui_rect r) {
    QRcode *q = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) {
        log_warn("ui", "QR encoding failed");
        return -1;
    }
    int modules = q->width + 8; /* 4 modules of quiet zone on each side */
    int side = r.w < r.h ? r.w : r.h;
    int m = side / modules;
    if (m < 1)
        m = 1;
    int size = m * modules;
    int x0 = r.x + (r.w - size) / 2, y0 = r.y + (r.h - size) / 2;
    ui_fill(ui, (struct ui_rect){x0, y0, size, size}, (struct ui_color){255, 255, 255, 255});
    set_color(ui, (struct ui_color){0, 0, 0, 255});
    for (int y = 0; y < q->width; y++) {
        for (int x = 0; x < q->width; x++) {
            if (q->data[y * q->width + x] & 1) {
                SDL_Rect c = {x0 + (x + 4) * m, y0 + (y + 4) * m, m, m};
                SDL_RenderFillRect(ui->ren, &c);
            }
        }
    }
    QRcode_free(q);
    mark(ui, UI_MARK_QR, (struct ui_rect){x0, y0, size, size}, false, NULL, 0);
    return 0;
}

void ui_draw_spinner(struct ui *ui, int cx, int cy, int radius, int64_t phase_ms) {
    int lead = (int)((phase_ms / 100) % 12);
    for (int i = 0; i < 12; i++) {
        float a = (float)i * (float)M_PI / 6.0f;
        int age = (lead - i + 12) % 12;
        struct ui_color c = ui->theme->primary;
        c.a = (uint8_t)(255 - age * 18);
        int d = radius / 5;
        int x = cx + (int)(cosf(a) * (float)radius) - d / 2;
        int y = cy + (int)(sinf(a) * (float)radius) - d / 2;
        ui_fill_round(ui, (struct ui_rect){x, y, d, d}, d / 2, c);
    }
}

/* PNG through libpng rather than IMG_SavePNG: a screen of flat colours and text compresses
 * well with run-length deflate at level 1, several times faster than the default settings,
 * which dominated the time to the first screenshot. */
/* The rows of the frame into png, a band at a time. A libpng error longjmps out of here to
 * write_png's setjmp, which is why this is a function of its own (no locals to clobber). */
static int write_rows(struct ui *ui, png_structp png, unsigned char *band, int w, int h) {
    enum { BAND = 32 }; /* rows read back at a time: no frame-sized buffer to fault in */
    for (int y = 0; y < h; y += BAND) {
        int rows = h - y < BAND ? h - y : BAND;
        if (ui_read_rgb(ui, (struct ui_rect){0, y, w, rows}, band) != 0)
            return -1;
        for (int i = 0; i < rows; i++)
            png_write_row(png, band + (size_t)i * (size_t)w * 3);
    }
    png_write_end(png, NULL);
    return 0;
}

static int write_png(struct ui *ui, const char *path, int w, int h) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    unsigned char *band = malloc((size_t)w * 3 * 32);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!band || !png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(band);
        fclose(f);
        return -1;
    }
    png_init_io(png, f);
    png_set_compression_level(png, 1);
    png_set_compression_strategy(png, Z_RLE);
    png_set_filter(png, 0, PNG_FILTER_SUB);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    int rc = write_rows(ui, png, band, w, h);
    png_destroy_write_struct(&png, &info);
    free(band);
    return fclose(f) == 0 && rc == 0 ? 0 : -1;
}

int ui_read_rgb(struct ui *ui, struct ui_rect r, uint8_t *rgb) {
    SDL_Rect sr = {r.x, r.y, r.w, r.h};
    return SDL_RenderReadPixels(ui->ren, &sr, SDL_PIXELFORMAT_RGB24, rgb, r.w * 3) == 0 ? 0 : -1;
}

int ui_save_png(struct ui *ui, const char *path) {
    /* Called between drawing and ui_end_frame(): the back buffer holds the frame. The read
     * rectangle is in canvas pixels, so the canvas is what is saved. */
    int rc = write_png(ui, path, UI_W, UI_H);
    if (rc != 0)
        log_error("ui", "cannot save the screen to %s", path);
    return rc;
}

size_t ui_text_cache_bytes(const struct ui *ui) {
    return text_cache_bytes(ui->text);
}

size_t ui_text_cache_entries(const struct ui *ui) {
    return text_cache_entries(ui->text);
}
