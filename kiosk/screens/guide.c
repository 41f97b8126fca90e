/* guide: 办事指南. Topics on the left (one per Markdown file of assets/guide/<lang>/), the
 * chosen topic on the right in a scroll view that follows a finger or the 上一页/下一页
 * buttons (many citizens do not know to swipe). 搜索 opens the on-screen keyboard (pinyin,
 * letters, digits) and narrows the topics to those that mention what was typed; the query
 * lives in the session arena like anything else a citizen types. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guide.h"
#include "keyboard.h"
#include "log.h"
#include "office.h"
#include "screens.h"

#define GUIDE_TOPICS_MAX 32

struct block_pos {
    int y, h, indent;
};

#define QUERY_BYTES 96

struct guide_screen {
    struct ui_layer layer;
    bool searching;     /* the keyboard is open */
    char *query;        /* in the session arena */
    unsigned query_gen; /* the session generation query belongs to */
    size_t shown[GUIDE_TOPICS_MAX];
    size_t nshown;
    size_t first;                  /* the first topic shown when they do not all fit */
    size_t nvisible;               /* how many fit from there */
    int topic_h[GUIDE_TOPICS_MAX]; /* each shown topic's button height, and the gap */
    int topic_gap;
    int list_h; /* the height the topic buttons may take */
    struct guide guide; /* the content's guide as this office shows it (flows/office.c) */
    bool loaded, own;
    char loaded_lang[16];
    size_t topic;
    struct ui_scroll scroll;
    struct block_pos *pos;
    size_t npos;
};

static void load(struct app *a, struct guide_screen *g) {
    const char *lang = i18n_lang(a->i18n);
    if (g->loaded && strcmp(g->loaded_lang, lang) == 0)
        return;
    const struct guide *cg = content_guide(&a->content, lang);
    if (g->own)
        guide_free(&g->guide);
    /* the office's hours, coming holidays and designations in place of their marker; the
     * content's own pages when that cannot be built */
    g->own = cg && office_guide(a, cg, &g->guide) == 0;
    if (!g->own)
        g->guide = cg ? *cg : (struct guide){0};
    g->loaded = cg != NULL;
    snprintf(g->loaded_lang, sizeof g->loaded_lang, "%s", lang);
    if (g->topic >= g->guide.ntopics)
        g->topic = 0;
}

static enum ui_font_role block_font(const struct guide_block *b) {
    if (b->kind != GUIDE_HEADING)
        return UI_FONT_BODY;
    return b->level <= 1 ? UI_FONT_TITLE : UI_FONT_HEADING;
}

/* Positions every block of the current topic for the current width and theme. */
static void measure(struct app *a, struct guide_screen *g) {
    const struct ui_theme *t = ui_theme(a->ui);
    free(g->pos);
    g->pos = NULL;
    g->npos = 0;
    int y = 0;
    if (g->loaded && g->topic < g->guide.ntopics) {
        const struct guide_topic *tp = &g->guide.topics[g->topic];
        g->pos = calloc(tp->nblocks ? tp->nblocks : 1, sizeof *g->pos);
        if (!g->pos)
            return;
        g->npos = tp->nblocks;
        for (size_t i = 0; i < tp->nblocks; i++) {
            const struct guide_block *b = &tp->blocks[i];
            int indent = b->kind == GUIDE_ITEM ? b->level * t->pad * 3 / 2 : 0;
            if (b->kind == GUIDE_HEADING && i > 0)
                y += t->pad / 2;
            int h = ui_text_box_height(a->ui, block_font(b), b->kind == GUIDE_HEADING, b->text,
                                       g->scroll.view.w - indent);
            g->pos[i] = (struct block_pos){y, h, indent};
            y += h + t->pad / 3;
        }
    }
    ui_scroll_set_content(&g->scroll, y);
}

static void on_topic(void *ctx, struct ui_widget *w);
static void on_page(void *ctx, struct ui_widget *w);
static void on_search(void *ctx, struct ui_widget *w);
static void on_topics_page(void *ctx, struct ui_widget *w);

static bool topic_matches(const struct guide_topic *tp, const char *q) {
    if (!q || !q[0])
        return true;
    if (strcasestr(tp->title, q))
        return true;
    for (size_t i = 0; i < tp->nblocks; i++) {
        if (strcasestr(tp->blocks[i].text, q))
            return true;
    }
    return false;
}

static const char *query_of(struct app *a, struct guide_screen *g) {
    /* a wiped session took the query with it */
    return g->query && g->query_gen == a->session.generation ? g->query : "";
}

static void filter(struct app *a, struct guide_screen *g) {
    g->nshown = 0;
    const char *q = query_of(a, g);
    for (size_t i = 0; g->loaded && i < g->guide.ntopics && g->nshown < GUIDE_TOPICS_MAX; i++) {
        if (topic_matches(&g->guide.topics[i], q))
            g->shown[g->nshown++] = i;
    }
}

/* The guide's state, for widget callbacks (their ctx is the app). */
static struct guide_screen *current(struct app *a) {
    return a->stack[a->depth - 1].st;
}

static void update_page_buttons(struct guide_screen *g) {
    struct ui_widget *prev = ui_layer_get(&g->layer, "prev");
    struct ui_widget *next = ui_layer_get(&g->layer, "next");
    if (prev) {
        prev->flags &= ~(unsigned)UI_F_DISABLED;
        if (ui_scroll_at_top(&g->scroll))
            prev->flags |= UI_F_DISABLED;
    }
    if (next) {
        next->flags &= ~(unsigned)UI_F_DISABLED;
        if (ui_scroll_at_end(&g->scroll))
            next->flags |= UI_F_DISABLED;
    }
}

/* done reading: 好差评 (one touch skips it there) */
static void on_rate(void *ctx, struct ui_widget *w) {
    (void)w;
    screen_rating_open(ctx, "guide");
}

static void guide_layout(struct app *a, void *st) {
    struct guide_screen *g = st;
    const struct ui_theme *t = ui_theme(a->ui);
    load(a, g);
    struct ui_layer *l = &g->layer;
    ui_layer_clear(l);
    chrome_header_layout(a, l);
    int hh = chrome_header_height(a);
    struct ui_widget *sb =
        chrome_header_button(a, l, "search", app_tr(a, "guide.search"), on_search);
    if (sb && g->searching)
        sb->flags |= UI_F_SELECTED;
    int top = hh + t->pad;
    int left_w = 520 * t->text_scale_pct / 100;
    if (left_w > 720)
        left_w = 720;
    int y = top;
    filter(a, g);
    if (g->searching || query_of(a, g)[0]) {
        struct ui_widget *f =
            ui_add(l, UI_FIELD, "query", (struct ui_rect){t->pad, y, left_w, t->target_min}, "");
        if (f) {
            f->value = query_of(a, g);
            f->font = UI_FONT_HEADING;
            /* what a citizen types is treated as personal: it may be a name */
            f->flags |= UI_F_PERSONAL | (g->searching ? UI_F_FOCUSED : 0);
            f->on_tap = on_search;
            f->ctx = a;
            snprintf(f->sub, sizeof f->sub, "%s", app_tr(a, "guide.search_hint"));
        }
        y += t->target_min + t->pad / 2;
    }
    /* The topics, paged with ▲ ▼ when a content push brings more than fit (关怀版 fits
     * fewer): no topic may become unreachable. */
    int *th = g->topic_h, total = 0;
    g->topic_gap = t->pad / 2;
    for (size_t k = 0; k < g->nshown; k++) {
        const char *title = g->guide.topics[g->shown[k]].title;
        th[k] = ui_text_box_height(a->ui, UI_FONT_BUTTON, true, title, left_w - t->pad) + t->pad;
        if (th[k] < t->target_min)
            th[k] = t->target_min;
        total += th[k] + t->pad / 2;
    }
    /* 评价本服务 under the topics, the list above it */
    int list_bottom = UI_H - t->pad - t->target_min - t->pad / 2;
    ui_add_button(l, "rate", (struct ui_rect){t->pad, list_bottom + t->pad / 2, left_w, t->target_min},
                  app_tr(a, "guide.rate"), UI_STYLE_NORMAL, on_rate, a);
    bool paged = y + total > list_bottom;
    if (!paged)
        g->first = 0;
    if (g->first >= g->nshown)
        g->first = 0;
    if (paged)
        list_bottom -= t->target_min + t->pad / 2;
    g->list_h = list_bottom - y;
    g->nvisible = 0;
    for (size_t k = g->first; k < g->nshown; k++) {
        if (y + th[k] > list_bottom && g->nvisible > 0)
            break;
        size_t i = g->shown[k];
        char id[16];
        snprintf(id, sizeof id, "topic%zu", i);
        struct ui_widget *w = ui_add(l, UI_CHOICE, id, (struct ui_rect){t->pad, y, left_w, th[k]},
                                     g->guide.topics[i].title);
        if (w) {
            w->tag = (int)i;
            w->on_tap = on_topic;
            w->ctx = a;
            w->align = UI_LEFT;
            w->flags |= UI_F_BOLD | (i == g->topic ? UI_F_SELECTED : 0);
        }
        y += th[k] + t->pad / 2;
        g->nvisible++;
    }
    if (paged) {
        int hw = (left_w - t->pad / 2) / 2;
        struct ui_rect ur = {t->pad, list_bottom + t->pad / 2, hw, t->target_min};
        struct ui_widget *up =
            ui_add_button(l, "topics_up", ur, "▲", UI_STYLE_NORMAL, on_topics_page, a);
        ur.x += hw + t->pad / 2;
        struct ui_widget *down =
            ui_add_button(l, "topics_down", ur, "▼", UI_STYLE_NORMAL, on_topics_page, a);
        if (up) {
            up->tag = -1;
            if (g->first == 0)
                up->flags |= UI_F_DISABLED;
        }
        if (down) {
            down->tag = 1;
            if (g->first + g->nvisible >= g->nshown)
                down->flags |= UI_F_DISABLED;
        }
    }

    int cx = t->pad * 2 + left_w;
    int cw = UI_W - cx - t->pad;
    int bh = t->target_min;
    int bottom = UI_H - t->pad - bh - t->pad;
    /* the text sits inside a panel with a margin; the scroll bar goes in the margin */
    g->scroll.view = (struct ui_rect){cx + t->pad, top + t->pad / 2, cw - 2 * t->pad - 24,
                                      bottom - top - t->pad};
    measure(a, g);

    int pw = 300 * t->text_scale_pct / 100;
    ui_add_button(l, "prev",
                  (struct ui_rect){UI_W - t->pad - 2 * pw - t->pad, UI_H - t->pad - bh, pw, bh},
                  app_tr(a, "common.prev_page"), UI_STYLE_NORMAL, on_page, a)
        ->tag = -1;
    ui_add_button(l, "next", (struct ui_rect){UI_W - t->pad - pw, UI_H - t->pad - bh, pw, bh},
                  app_tr(a, "common.next_page"), UI_STYLE_PRIMARY, on_page, a)
        ->tag = 1;
    update_page_buttons(g);
    if (g->searching) {
        int kh = kb_height(a->ui);
        kb_layout(&a->kb, a->ui, (struct ui_rect){0, UI_H - kh, UI_W, kh});
    }
}


static void close_search(struct app *a, struct guide_screen *g) {
    g->searching = false;
    app_keyboard_close(a);
    guide_layout(a, g);
    ui_invalidate(a->ui);
}

static void on_topic(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct guide_screen *g = current(a);
    g->topic = (size_t)w->tag;
    g->scroll.offset = 0;
    if (g->searching)
        close_search(a, g);
    guide_layout(a, g);
    ui_invalidate(a->ui);
}

static void on_search(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct guide_screen *g = current(a);
    if (g->searching) {
        close_search(a, g);
        return;
    }
    if (!g->query || g->query_gen != a->session.generation) {
        g->query = session_alloc(&a->session, QUERY_BYTES);
        g->query_gen = a->session.generation;
        if (!g->query)
            return;
    }
    g->searching = true;
    app_keyboard_open(a, g->query, QUERY_BYTES, KB_PINYIN, KB_KEYS_ALL);
    guide_layout(a, g);
    ui_invalidate(a->ui);
}

static void on_topics_page(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct guide_screen *g = current(a);
    if (w->tag > 0) {
        if (g->first + g->nvisible < g->nshown)
            g->first += g->nvisible ? g->nvisible : 1;
    } else {
        /* back by as many as fit above the current first one */
        int used = 0;
        size_t k = g->first;
        while (k > 0 && (used + g->topic_h[k - 1] <= g->list_h || k == g->first)) {
            used += g->topic_h[k - 1] + g->topic_gap;
            k--;
        }
        g->first = k;
    }
    guide_layout(a, g);
    ui_invalidate(a->ui);
}

static void on_page(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct guide_screen *g = current(a);
    ui_scroll_page(a->ui, &g->scroll, w->tag);
    update_page_buttons(g);
}

static void guide_leave(struct app *a, void *st) {
    struct guide_screen *g = st;
    if (g->searching)
        app_keyboard_close(a);
    free(g->pos);
    if (g->own)
        guide_free(&g->guide);
    g->own = g->loaded = false;
}

static bool guide_event(struct app *a, void *st, const struct ui_event *ev) {
    struct guide_screen *g = st;
    if (g->searching) {
        enum kb_result r = kb_event(&a->kb, a->ui, ev, app_now(a));
        if (r == KB_DONE) {
            close_search(a, g);
            return true;
        }
        if (r == KB_CHANGED) {
            g->first = 0;
            g->topic = g->nshown ? g->shown[0] : 0;
            filter(a, g);
            if (g->nshown && g->topic != g->shown[0]) {
                g->topic = g->shown[0];
                g->scroll.offset = 0;
            }
            guide_layout(a, g);
            ui_invalidate(a->ui);
            return true;
        }
        if (r == KB_TOOK)
            return true;
    }
    if (ui_layer_event(a->ui, &g->layer, ev, app_now(a)))
        return true;
    if (ev->type == UI_EV_KEY && (ev->key == UI_KEY_DOWN || ev->key == UI_KEY_UP)) {
        ui_scroll_page(a->ui, &g->scroll, ev->key == UI_KEY_DOWN ? 1 : -1);
        update_page_buttons(g);
        return true;
    }
    bool took = ui_scroll_event(a->ui, &g->scroll, ev);
    if (took)
        update_page_buttons(g);
    return took;
}

static void guide_draw(struct app *a, void *st) {
    struct guide_screen *g = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_tr(a, "guide.title"));
    struct ui_rect v = g->scroll.view;
    ui_fill_round_bordered(
        a->ui,
        (struct ui_rect){v.x - t->pad, v.y - t->pad / 2, v.w + 2 * t->pad + 24, v.h + t->pad},
        t->radius, t->panel, t->border, t->border_color);
    if (!g->loaded) {
        ui_text_box(a->ui, UI_FONT_HEADING, false, t->muted, app_tr(a, "guide.missing"), v,
                    UI_CENTER, UI_MIDDLE);
    } else if (g->nshown == 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", app_tr(a, "guide.no_match"));
        /* at the top: the keyboard may cover the lower part of the view */
        ui_text_box(a->ui, UI_FONT_HEADING, false, t->muted, msg, v, UI_CENTER, UI_TOP);
    } else if (g->topic < g->guide.ntopics) {
        const struct guide_topic *tp = &g->guide.topics[g->topic];
        ui_clip(a->ui, &v);
        for (size_t i = 0; i < tp->nblocks && i < g->npos; i++) {
            const struct guide_block *b = &tp->blocks[i];
            const struct block_pos *p = &g->pos[i];
            int y = v.y + p->y - g->scroll.offset;
            if (y + p->h < v.y || y > v.y + v.h)
                continue;
            struct ui_rect r = {v.x + p->indent, y, v.w - p->indent, p->h};
            if (b->kind == GUIDE_ITEM) {
                char mark[16];
                if (b->number)
                    snprintf(mark, sizeof mark, "%d.", b->number);
                else
                    snprintf(mark, sizeof mark, "•");
                ui_text(a->ui, UI_FONT_BODY, true, t->primary, mark, r.x - t->pad / 4, y, UI_RIGHT,
                        UI_TOP);
            }
            ui_text_box(a->ui, block_font(b), b->kind == GUIDE_HEADING,
                        b->kind == GUIDE_HEADING ? t->primary : t->text, b->text, r, UI_LEFT,
                        UI_TOP);
        }
        ui_clip(a->ui, NULL);
        ui_scroll_draw_bar(a->ui, &g->scroll);
    }
    ui_layer_draw(a->ui, &g->layer);
    if (g->searching)
        kb_draw(&a->kb, a->ui);
}

static int guide_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    struct guide_screen *g = st;
    return screen_layers_kb(a, &g->layer, g->searching, out, max);
}

const struct screen_ops screen_guide = {
    .id = "guide",
    .state_size = sizeof(struct guide_screen),
    .citizen = true,
    .leave = guide_leave,
    .layout = guide_layout,
    .event = guide_event,
    .draw = guide_draw,
    .layers = guide_layers,
};
