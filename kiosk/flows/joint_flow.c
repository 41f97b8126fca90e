/* joint_flow: see joint_flow.h. */
#include "joint_flow.h"

#include <stddef.h>

/* Targets that depend on the chosen services. */
enum {
    T_STAY = -1,
    T_FIRST_PAGE_OR_REVIEW = -2, /* the first chosen page, else the review */
    T_NEXT_PAGE_OR_REVIEW = -3,  /* the page after this one, else the review */
    T_PREV_PAGE_OR_FORM_B = -4,  /* the page before this one, else B's fields */
    T_LAST_PAGE_OR_FORM_B = -5,  /* the last chosen page, else B's fields */
};

static const int table[JOINT_STEPS][JOINT_INPUTS] = {
    /*                  NEXT                    BACK                   CARD          SUBMITTED   TO_REVIEW */
    [JOINT_START] = {JOINT_SERVICES, JOINT_HOME, T_STAY, T_STAY, T_STAY},
    [JOINT_SERVICES] = {JOINT_CONSENT, JOINT_START, T_STAY, T_STAY, T_STAY},
    [JOINT_CONSENT] = {JOINT_CARD_A, JOINT_SERVICES, T_STAY, T_STAY, T_STAY},
    [JOINT_CARD_A] = {T_STAY, JOINT_CONSENT, JOINT_FORM_A, T_STAY, T_STAY},
    [JOINT_FORM_A] = {JOINT_CARD_B, JOINT_CARD_A, T_STAY, T_STAY, JOINT_REVIEW},
    [JOINT_CARD_B] = {T_STAY, JOINT_FORM_A, JOINT_FORM_B, T_STAY, T_STAY},
    [JOINT_FORM_B] = {T_FIRST_PAGE_OR_REVIEW, JOINT_CARD_B, T_STAY, T_STAY, JOINT_REVIEW},
    [JOINT_PAGE] = {T_NEXT_PAGE_OR_REVIEW, T_PREV_PAGE_OR_FORM_B, T_STAY, T_STAY, JOINT_REVIEW},
    [JOINT_REVIEW] = {JOINT_CONFIRM, T_LAST_PAGE_OR_FORM_B, T_STAY, T_STAY, T_STAY},
    [JOINT_CONFIRM] = {T_STAY, JOINT_REVIEW, T_STAY, JOINT_DONE, T_STAY},
    [JOINT_DONE] = {JOINT_HOME, JOINT_HOME, T_STAY, T_STAY, T_STAY},
    [JOINT_HOME] = {T_STAY, T_STAY, T_STAY, T_STAY, T_STAY},
};

static struct joint_pos at_step(enum joint_step s) {
    return (struct joint_pos){s, -1};
}

static struct joint_pos page_or(const struct joint_route *r, int i, enum joint_step otherwise) {
    if (r && i >= 0 && i < r->n)
        return (struct joint_pos){JOINT_PAGE, r->pages[i]};
    return at_step(otherwise);
}

static int index_of(const struct joint_route *r, int page) {
    for (int i = 0; r && i < r->n; i++)
        if (r->pages[i] == page)
            return i;
    return -1;
}

struct joint_pos joint_flow_next(struct joint_pos at, enum joint_input in,
                                 const struct joint_route *route) {
    if ((unsigned)at.step >= JOINT_STEPS || (unsigned)in >= JOINT_INPUTS)
        return at;
    int t = table[at.step][in];
    int i = index_of(route, at.page);
    switch (t) {
    case T_STAY:
        return at;
    case T_FIRST_PAGE_OR_REVIEW:
        return page_or(route, 0, JOINT_REVIEW);
    case T_NEXT_PAGE_OR_REVIEW:
        return page_or(route, i < 0 ? route ? route->n : 0 : i + 1, JOINT_REVIEW);
    case T_PREV_PAGE_OR_FORM_B:
        return page_or(route, i - 1, JOINT_FORM_B);
    case T_LAST_PAGE_OR_FORM_B:
        return page_or(route, route ? route->n - 1 : -1, JOINT_FORM_B);
    default:
        return at_step((enum joint_step)t);
    }
}

bool joint_flow_takes(enum joint_step step, enum joint_input in) {
    return (unsigned)step < JOINT_STEPS && (unsigned)in < JOINT_INPUTS &&
           table[step][in] != T_STAY;
}

void joint_flow_step_number(struct joint_pos at, const struct joint_route *route, int *n, int *m) {
    int pages = route ? route->n : 0;
    *m = 6 + pages; /* services, consent, A, B, the pages, review, confirmation */
    switch (at.step) {
    case JOINT_SERVICES:
    case JOINT_CONSENT:
        *n = at.step - JOINT_SERVICES + 1;
        break;
    case JOINT_CARD_A:
    case JOINT_FORM_A:
        *n = 3;
        break;
    case JOINT_CARD_B:
    case JOINT_FORM_B:
        *n = 4;
        break;
    case JOINT_PAGE:
        *n = 5 + index_of(route, at.page);
        if (*n < 5)
            *n = 0; /* not a page of the route */
        break;
    case JOINT_REVIEW:
    case JOINT_CONFIRM:
        *n = 5 + pages + (at.step == JOINT_CONFIRM);
        break;
    default:
        *n = 0;
    }
}

/* The order of a position along the flow: pages between B's fields and the review. */
static int order(struct joint_pos p, const struct joint_route *r) {
    if (p.step == JOINT_PAGE)
        return JOINT_FORM_B * 100 + 1 + index_of(r, p.page);
    if (p.step == JOINT_HOME)
        return -1;
    return (int)p.step * 100 + (p.step > JOINT_PAGE ? 50 : 0);
}

/* All positions of a route: the steps, and JOINT_PAGE at each chosen page. */
static int positions(const struct joint_route *r, struct joint_pos *out) {
    int n = 0;
    for (int s = 0; s < JOINT_STEPS; s++) {
        if (s == JOINT_PAGE) {
            for (int i = 0; i < r->n; i++)
                out[n++] = (struct joint_pos){JOINT_PAGE, r->pages[i]};
        } else {
            out[n++] = at_step((enum joint_step)s);
        }
    }
    return n;
}

static bool same(struct joint_pos a, struct joint_pos b) {
    return a.step == b.step && (a.step != JOINT_PAGE || a.page == b.page);
}

static int find(const struct joint_pos *ps, int n, struct joint_pos p) {
    for (int i = 0; i < n; i++)
        if (same(ps[i], p))
            return i;
    return -1;
}

static bool check_route(const struct joint_route *r) {
    struct joint_pos ps[JOINT_STEPS + JOINT_ROUTE_MAX];
    int n = positions(r, ps);
    /* reachable from the consent, and done reachable from each: a closure over the table */
    bool reach[JOINT_STEPS + JOINT_ROUTE_MAX] = {false};
    reach[find(ps, n, at_step(JOINT_START))] = true;
    for (bool grew = true; grew;) {
        grew = false;
        for (int i = 0; i < n; i++)
            for (int in = 0; reach[i] && in < JOINT_INPUTS; in++) {
                int k = find(ps, n, joint_flow_next(ps[i], (enum joint_input)in, r));
                if (k < 0)
                    return false; /* leads somewhere that is not a position */
                if (!reach[k])
                    reach[k] = grew = true;
            }
    }
    for (int i = 0; i < n; i++)
        if (!reach[i] && ps[i].step != JOINT_HOME)
            return false;
    int done = find(ps, n, at_step(JOINT_DONE));
    bool to_done[JOINT_STEPS + JOINT_ROUTE_MAX] = {false};
    to_done[done] = true;
    for (bool grew = true; grew;) {
        grew = false;
        for (int i = 0; i < n; i++)
            for (int in = 0; !to_done[i] && in < JOINT_INPUTS; in++)
                if (to_done[find(ps, n, joint_flow_next(ps[i], (enum joint_input)in, r))])
                    to_done[i] = grew = true;
    }
    for (int i = 0; i < n; i++) {
        if (!to_done[i] && ps[i].step != JOINT_HOME)
            return false; /* a dead end */
        struct joint_pos nx = joint_flow_next(ps[i], JOINT_IN_NEXT, r),
                         bk = joint_flow_next(ps[i], JOINT_IN_BACK, r);
        if (ps[i].step != JOINT_DONE && order(nx, r) < order(ps[i], r))
            return false; /* NEXT went backwards */
        if (!same(bk, ps[i]) && bk.step != JOINT_HOME && order(bk, r) > order(ps[i], r))
            return false; /* BACK went forwards */
        struct joint_pos tr = joint_flow_next(ps[i], JOINT_IN_TO_REVIEW, r);
        if (!same(tr, ps[i]) && tr.step != JOINT_REVIEW)
            return false; /* back to the review leads to the review only */
        bool card_step = ps[i].step == JOINT_CARD_A || ps[i].step == JOINT_CARD_B;
        if (joint_flow_takes(ps[i].step, JOINT_IN_CARD) != card_step)
            return false;
        if (joint_flow_takes(ps[i].step, JOINT_IN_SUBMITTED) != (ps[i].step == JOINT_CONFIRM))
            return false;
    }
    /* along NEXT (cards count as NEXT): step numbers 1, 2, ... m, each at least once, none
     * skipped, never down */
    struct joint_pos p = at_step(JOINT_START);
    int last = 0, m = 0;
    for (int guard = 0; p.step != JOINT_DONE && guard < 2 * n; guard++) {
        int k, mm;
        joint_flow_step_number(p, r, &k, &mm);
        if (k) {
            if (k != last && k != last + 1)
                return false;
            last = k;
            m = mm;
        }
        struct joint_pos nx = joint_flow_next(p, JOINT_IN_NEXT, r);
        if (same(nx, p))
            nx = joint_flow_next(p, p.step == JOINT_CONFIRM ? JOINT_IN_SUBMITTED : JOINT_IN_CARD, r);
        p = nx;
    }
    return p.step == JOINT_DONE && last == m && m > 0;
}

bool joint_flow_check_invariants(void) {
    /* no service page, one, and every choice of up to 3 of pages 4, 5, 6 in order */
    for (int mask = 0; mask < 8; mask++) {
        struct joint_route r = {.n = 0};
        for (int b = 0; b < 3; b++)
            if (mask & (1 << b))
                r.pages[r.n++] = 4 + b;
        if (!check_route(&r))
            return false;
    }
    return true;
}
