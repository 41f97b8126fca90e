/* layout_check: see layout_check.h. */
#include "layout_check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct report {
    char (*out)[LAYOUT_PROBLEM_LEN];
    int max, n;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void problem(struct report *r, const char *fmt, ...) {
    if (r->n < r->max) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->out[r->n], LAYOUT_PROBLEM_LEN, fmt, ap);
        va_end(ap);
    }
    r->n++;
}

static bool interactive(const struct ui_widget *w) {
    return !(w->flags & UI_F_HIDDEN) && (w->kind == UI_BUTTON || w->kind == UI_TILE ||
                                         w->kind == UI_FIELD || w->kind == UI_CHOICE);
}

static int overlap_area(struct ui_rect a, struct ui_rect b) {
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    return x1 > x0 && y1 > y0 ? (x1 - x0) * (y1 - y0) : 0;
}

/* in lies within out, give or take tol pixels */
static bool within(struct ui_rect in, struct ui_rect out, int tol) {
    return in.x >= out.x - tol && in.y >= out.y - tol && in.x + in.w <= out.x + out.w + tol &&
           in.y + in.h <= out.y + out.h + tol;
}

static const struct ui_rect canvas = {0, 0, UI_W, UI_H};

/* A widget as the report names it: its id and the start of its label. */
static const char *wname(const struct ui_widget *w, char *buf, size_t cap) {
    char t[40];
    size_t n = strlen(w->text) < sizeof t - 1 ? strlen(w->text) : sizeof t - 1;
    while (n > 0 && n < strlen(w->text) && ((unsigned char)w->text[n] & 0xC0) == 0x80)
        n--;
    memcpy(t, w->text, n);
    t[n] = 0;
    snprintf(buf, cap, "%s%s%s%s", w->id[0] ? "@" : "", w->id, t[0] ? " 「" : "",
             t[0] ? t : "");
    if (t[0])
        snprintf(buf + strlen(buf), cap - strlen(buf), "」");
    return buf;
}

static const char *mname(const struct ui_mark *m) {
    return m->text[0] ? m->text : "(personal data)";
}

double layout_mm(const struct layout_screen *s, int n) {
    double scale_x = (double)s->w / UI_W, scale_y = (double)s->h / UI_H;
    double scale = scale_x < scale_y ? scale_x : scale_y; /* letterboxed */
    double pitch_mm = s->diagonal_in * 25.4 / sqrt((double)s->w * s->w + (double)s->h * s->h);
    return n * scale * pitch_mm;
}

/* The widget that drew mark m, or NULL. */
static const struct ui_widget *owner(const struct layout_layer *layers, int nlayers,
                                     const struct ui_mark *m) {
    for (int i = 0; i < nlayers; i++)
        if (m->layer == layers[i].layer && m->widget >= 0 && m->widget < layers[i].layer->n)
            return &layers[i].layer->w[m->widget];
    return NULL;
}

static bool from_overlay(const struct layout_layer *layers, int nlayers, const void *layer) {
    for (int i = 0; i < nlayers; i++)
        if (layers[i].layer == layer)
            return layers[i].overlay;
    return false;
}

static void check_widgets(const struct layout_layer *layers, int nlayers,
                          const struct layout_screen *screens, int nscreens, struct report *r) {
    char a[96], b[96];
    for (int i = 0; i < nlayers; i++) {
        const struct ui_layer *li = layers[i].layer;
        for (int k = 0; k < li->n; k++) {
            const struct ui_widget *w = &li->w[k];
            if (w->flags & UI_F_HIDDEN)
                continue;
            if (!within(w->r, canvas, 0))
                problem(r, "%s leaves the window (%d,%d %dx%d)", wname(w, a, sizeof a), w->r.x,
                        w->r.y, w->r.w, w->r.h);
            if (!interactive(w))
                continue;
            /* the smallest it gets, at the screen where it is smallest */
            int side = w->r.w < w->r.h ? w->r.w : w->r.h;
            for (int s = 0; s < nscreens; s++) {
                double mm = layout_mm(&screens[s], side);
                if (mm < LAYOUT_MIN_TARGET_MM) {
                    problem(r, "%s is %.1f mm at %dx%d (%.1f in): touch targets need %.0f mm",
                            wname(w, a, sizeof a), mm, screens[s].w, screens[s].h,
                            screens[s].diagonal_in, LAYOUT_MIN_TARGET_MM);
                    break;
                }
            }
            /* overlaps: the screen's layers with each other, an overlay with itself only */
            for (int j = i; j < nlayers; j++) {
                if (j != i && (layers[i].overlay || layers[j].overlay))
                    continue;
                const struct ui_layer *lj = layers[j].layer;
                for (int m = j == i ? k + 1 : 0; m < lj->n; m++) {
                    const struct ui_widget *v = &lj->w[m];
                    if (!interactive(v))
                        continue;
                    int area = overlap_area(w->r, v->r);
                    if (area > 0)
                        problem(r, "%s and %s overlap (%d px²)", wname(w, a, sizeof a),
                                wname(v, b, sizeof b), area);
                }
            }
        }
    }
}

static void check_marks(const struct layout_layer *layers, int nlayers, const struct ui_mark *marks,
                        int nmarks, struct report *r) {
    char a[96];
    for (int i = 0; i < nmarks; i++) {
        const struct ui_mark *m = &marks[i];
        const struct ui_widget *own = owner(layers, nlayers, m);
        bool overlay = from_overlay(layers, nlayers, m->layer);
        if (m->kind == UI_MARK_QR) {
            if (!within(m->r, canvas, 0))
                problem(r, "a QR code leaves the window");
            for (int l = 0; l < nlayers; l++)
                for (int k = 0; k < layers[l].layer->n; k++) {
                    const struct ui_widget *w = &layers[l].layer->w[k];
                    if (w != own && interactive(w) && overlap_area(w->r, m->r) > 0)
                        problem(r, "%s covers a QR code", wname(w, a, sizeof a));
                }
            for (int k = 0; k < nmarks; k++)
                if (marks[k].kind == UI_MARK_TEXT && !marks[k].clipped &&
                    overlap_area(marks[k].r, m->r) > 0)
                    problem(r, "the text 「%s」 covers a QR code", mname(&marks[k]));
            continue;
        }
        if (m->clipped)
            continue; /* a scroll view shows part of it on purpose */
        if (!within(m->r, canvas, 0))
            problem(r, "the text 「%s」 leaves the window", mname(m));
        if (own && !within(m->r, own->r, 1)) {
            problem(r, "the text 「%s」 of %s is cut off at its edge (text %d,%d %dx%d in %d,%d %dx%d)",
                    mname(m), wname(own, a, sizeof a), m->r.x, m->r.y, m->r.w, m->r.h, own->r.x,
                    own->r.y, own->r.w, own->r.h);
            continue;
        }
        if (m->overflow)
            problem(r, "the text 「%s」 runs out of its box", mname(m));
        if (overlay || (own && own->kind != UI_LABEL))
            continue; /* a widget's own text: checked against its widget above */
        /* the screen's own texts (and labels'): under no touch target, over no other text */
        for (int l = 0; l < nlayers; l++) {
            if (layers[l].overlay)
                continue;
            for (int k = 0; k < layers[l].layer->n; k++) {
                const struct ui_widget *w = &layers[l].layer->w[k];
                if (w != own && interactive(w) && overlap_area(w->r, m->r) > 0)
                    problem(r, "the text 「%s」 (%d,%d %dx%d) runs under %s (%d,%d %dx%d)",
                            mname(m), m->r.x, m->r.y, m->r.w, m->r.h, wname(w, a, sizeof a),
                            w->r.x, w->r.y, w->r.w, w->r.h);
            }
        }
        for (int k = i + 1; k < nmarks; k++) {
            const struct ui_mark *o = &marks[k];
            if (o->kind != UI_MARK_TEXT || o->clipped || from_overlay(layers, nlayers, o->layer))
                continue;
            const struct ui_widget *oo = owner(layers, nlayers, o);
            if (oo && oo->kind != UI_LABEL)
                continue;
            if (overlap_area(m->r, o->r) > 0)
                problem(r, "the texts 「%s」 and 「%s」 overlap", mname(m), mname(o));
        }
    }
}

int layout_check(const struct layout_layer *layers, int nlayers, const struct ui_mark *marks,
                 int nmarks, const struct layout_screen *screens, int nscreens,
                 char (*out)[LAYOUT_PROBLEM_LEN], int max) {
    struct report r = {out, max, 0};
    check_widgets(layers, nlayers, screens, nscreens, &r);
    check_marks(layers, nlayers, marks, nmarks, &r);
    return r.n;
}
