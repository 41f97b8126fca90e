/* guide: the service guide's content, read from assets/guide/<lang>/ (one .md file a topic).
 *
 * Each Markdown file is one topic; its first heading is the topic's title. The files are
 * parsed with cmark and flattened into blocks (heading, paragraph, list item) that the guide
 * screen lays out. Files are taken in name order (01-..., 02-...), so content editors decide
 * the order. A content push replaces the files; content.c loads it once per content version. */
#ifndef CONTENT_GUIDE_H
#define CONTENT_GUIDE_H

#include <stddef.h>

enum guide_block_kind { GUIDE_HEADING, GUIDE_PARAGRAPH, GUIDE_ITEM };

struct guide_block {
    enum guide_block_kind kind;
    int level;  /* heading level, or list nesting depth for items */
    int number; /* ordered list item number; 0 for a bullet */
    char *text;
};

struct guide_topic {
    char *title;
    struct guide_block *blocks;
    size_t nblocks;
};

struct guide {
    struct guide_topic *topics;
    size_t ntopics;
};

/* Limits of a guide (a content push brings it: a page past them refuses the whole bundle). */
#define GUIDE_PAGES_MAX 64          /* topics a language */
#define GUIDE_PAGE_MAX (64 << 10)   /* bytes of one page's Markdown */
#define GUIDE_BLOCKS_MAX 400        /* headings, paragraphs and items a page */
#define GUIDE_TEXT_MAX 4096         /* bytes of one block's text */
#define GUIDE_DEPTH_MAX 6           /* lists, items and quotes inside one another */
#define GUIDE_NODES_MAX 2000        /* Markdown elements of any kind a page */

/* Loads every *.md of dir. Returns 0, or -1 when the folder cannot be read, holds no topic,
 * or a page cannot be read or breaks a limit (why says which; logged). */
int guide_load(struct guide *g, const char *dir, char *why, size_t cap);
/* Parses one Markdown text into a topic (exposed for tests and the fuzz target). Returns 0, or
 * -1 with the reason in why (NULL: not wanted). */
int guide_parse(struct guide_topic *t, const char *markdown, size_t len, char *why, size_t cap);
void guide_free(struct guide *g);

#endif
