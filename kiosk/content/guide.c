/* guide: see guide.h. */
#include "guide.h"

#include <cmark.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "log.h"

struct textbuf {
    char *s;
    size_t len, cap;
};

static void tb_add(struct textbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p)
            return;
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

/* The plain text under node: text, code and line breaks; emphasis is dropped. */
static void collect_text(cmark_node *node, struct textbuf *b) {
    cmark_iter *it = cmark_iter_new(node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
            const char *lit = cmark_node_get_literal(n);
            if (lit)
                tb_add(b, lit, strlen(lit));
            break;
        }
        case CMARK_NODE_SOFTBREAK: {
            /* a soft break joins lines: no space between Chinese characters, one in English */
            unsigned char last = b->len ? (unsigned char)b->s[b->len - 1] : 0;
            if (last && last < 0x80)
                tb_add(b, " ", 1);
            break;
        }
        case CMARK_NODE_LINEBREAK:
            tb_add(b, "\n", 1);
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
}

static int add_block(struct guide_topic *t, enum guide_block_kind kind, int level, int number,
                     cmark_node *node) {
    struct textbuf b = {0};
    collect_text(node, &b);
    if (!b.s)
        return 0;
    struct guide_block *nb = realloc(t->blocks, (t->nblocks + 1) * sizeof *nb);
    if (!nb) {
        free(b.s);
        return -1;
    }
    t->blocks = nb;
    t->blocks[t->nblocks++] = (struct guide_block){kind, level, number, b.s};
    if (kind == GUIDE_HEADING && !t->title)
        t->title = strdup(b.s);
    return 0;
}

static int list_depth(cmark_node *n) {
    int d = 0;
    for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p)) {
        if (cmark_node_get_type(p) == CMARK_NODE_LIST)
            d++;
    }
    return d;
}

static void topic_free(struct guide_topic *t);

static int refuse(char *why, size_t cap, const char *what) {
    if (why)
        snprintf(why, cap, "%s", what);
    return -1;
}

static bool container(cmark_node_type type) {
    return type == CMARK_NODE_LIST || type == CMARK_NODE_ITEM || type == CMARK_NODE_BLOCK_QUOTE;
}

int guide_parse(struct guide_topic *t, const char *markdown, size_t len, char *why, size_t cap) {
    memset(t, 0, sizeof *t);
    if (len > GUIDE_PAGE_MAX)
        return refuse(why, cap, "a page is larger than 64 KiB");
    cmark_node *doc = cmark_parse_document(markdown, len, CMARK_OPT_DEFAULT);
    if (!doc)
        return refuse(why, cap, "a page cannot be parsed");
    int rc = 0, depth = 0, nodes = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (container(cmark_node_get_type(n)))
            depth += ev == CMARK_EVENT_ENTER ? 1 : ev == CMARK_EVENT_EXIT ? -1 : 0;
        if (depth > GUIDE_DEPTH_MAX) {
            rc = refuse(why, cap, "a page nests lists or quotes more than 6 deep");
            break;
        }
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (++nodes > GUIDE_NODES_MAX) {
            rc = refuse(why, cap, "a page has more than 2000 elements");
            break;
        }
        if (t->nblocks >= GUIDE_BLOCKS_MAX) {
            rc = refuse(why, cap, "a page has more than 400 headings, paragraphs and items");
            break;
        }
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HEADING:
            rc = add_block(t, GUIDE_HEADING, cmark_node_get_heading_level(n), 0, n);
            break;
        case CMARK_NODE_PARAGRAPH: {
            cmark_node *parent = cmark_node_parent(n);
            if (parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM) {
                /* the first paragraph of an item is the item; later ones are its text too */
                cmark_node *list = cmark_node_parent(parent);
                int number = 0;
                if (cmark_node_previous(n) == NULL && list &&
                    cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
                    number = cmark_node_get_list_start(list);
                    for (cmark_node *s = cmark_node_previous(parent); s; s = cmark_node_previous(s))
                        number++;
                }
                rc = add_block(t, GUIDE_ITEM, list_depth(n), number, n);
            } else {
                rc = add_block(t, GUIDE_PARAGRAPH, 0, 0, n);
            }
            break;
        }
        default:
            break;
        }
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    for (size_t i = 0; rc == 0 && i < t->nblocks; i++)
        if (strlen(t->blocks[i].text) > GUIDE_TEXT_MAX)
            rc = refuse(why, cap, "a paragraph is longer than 4096 bytes");
    if (rc == 0 && !t->title && !(t->title = strdup("")))
        rc = refuse(why, cap, "out of memory");
    if (rc != 0)
        topic_free(t);
    return rc;
}

static void topic_free(struct guide_topic *t) {
    for (size_t i = 0; i < t->nblocks; i++)
        free(t->blocks[i].text);
    free(t->blocks);
    free(t->title);
    memset(t, 0, sizeof *t);
}

static int name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int guide_load(struct guide *g, const char *dir, char *why, size_t cap) {
    memset(g, 0, sizeof *g);
    snprintf(why, cap, "%s", "");
    DIR *d = opendir(dir);
    if (!d) {
        log_error("guide", "cannot open %s", dir);
        snprintf(why, cap, "the folder cannot be read");
        return -1;
    }
    char *names[GUIDE_PAGES_MAX];
    size_t nn = 0;
    bool too_many = false;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= 3 || strcmp(e->d_name + l - 3, ".md") != 0 || e->d_name[0] == '.')
            continue;
        if (nn == GUIDE_PAGES_MAX) {
            too_many = true;
            break;
        }
        names[nn] = strdup(e->d_name);
        if (names[nn])
            nn++;
    }
    closedir(d);
    if (too_many) {
        for (size_t i = 0; i < nn; i++)
            free(names[i]);
        log_error("guide", "%s holds more than %d pages", dir, GUIDE_PAGES_MAX);
        snprintf(why, cap, "more than %d pages", GUIDE_PAGES_MAX);
        return -1;
    }
    qsort(names, nn, sizeof *names, name_cmp);
    g->topics = calloc(nn ? nn : 1, sizeof *g->topics);
    bool bad = !g->topics;
    for (size_t i = 0; i < nn; i++) {
        char path[1024], err[160] = "it cannot be read, or is larger than 64 KiB";
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = 0;
        char *md = bad ? NULL : file_read(path, GUIDE_PAGE_MAX, &len);
        if (!bad && (!md || guide_parse(&g->topics[g->ntopics], md, len, err, sizeof err) != 0)) {
            /* one bad page refuses the guide: a push must not ship half a guide */
            log_error("guide", "%s: %s", path, err);
            snprintf(why, cap, "%s: %s", names[i], err);
            bad = true;
        } else if (!bad) {
            g->ntopics++;
        }
        free(md);
        free(names[i]);
    }
    if (bad) {
        guide_free(g);
        return -1;
    }
    if (g->ntopics == 0) {
        snprintf(why, cap, "no pages");
        log_error("guide", "no guide topics in %s", dir);
        guide_free(g);
        return -1;
    }
    return 0;
}

void guide_free(struct guide *g) {
    for (size_t i = 0; i < g->ntopics; i++)
        topic_free(&g->topics[i]);
    free(g->topics);
    memset(g, 0, sizeof *g);
}
