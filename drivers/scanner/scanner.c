/* scanner: see scanner.h. */
#include "scanner.h"

#include <stdio.h>
#include <string.h>

void wedge_init(struct wedge *w, int max_gap_ms, size_t min_len) {
    memset(w, 0, sizeof *w);
    w->max_gap_ms = max_gap_ms;
    w->min_len = min_len;
}

int wedge_key(struct wedge *w, const char *text, int64_t now_ms, char *out, size_t cap) {
    if (w->len > 0 && now_ms - w->last_ms > w->max_gap_ms) {
        /* too slow for a scanner: what came before was a person typing */
        w->len = 0;
        w->overflow = false;
    }
    w->last_ms = now_ms;
    if (text) {
        size_t n = strlen(text);
        if (w->len + n >= sizeof w->buf)
            w->overflow = true;
        else {
            memcpy(w->buf + w->len, text, n);
            w->len += n;
        }
        return 0;
    }
    int done = w->len >= w->min_len && !w->overflow && w->len < cap;
    if (done) {
        memcpy(out, w->buf, w->len);
        out[w->len] = 0;
    }
    w->len = 0;
    w->overflow = false;
    return done;
}

void lines_init(struct lines *l) {
    memset(l, 0, sizeof *l);
}

int lines_feed(struct lines *l, const uint8_t *p, size_t n, void (*fn)(void *ctx, const char *code),
               void *ctx) {
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r' || p[i] == '\n') {
            if (l->len > 0 && !l->overflow) {
                l->buf[l->len] = 0;
                fn(ctx, l->buf);
                count++;
            }
            l->len = 0;
            l->overflow = false;
        } else if (l->len + 1 >= sizeof l->buf) {
            l->overflow = true;
        } else if (!l->overflow) {
            l->buf[l->len++] = (char)p[i];
        }
    }
    return count;
}
