/* joint_flow: see joint_flow.h. */
#include "joint_flow.h"

#include <stddef.h>

/* Targets that depend on the chosen services. */
enum {
    T_STAY = -1,
    T_FIRST_PAGE_OR_CONFIRM = -2, /* the first chosen page, else the confirmation */
    T_NEXT_PAGE_OR_CONFIRM = -3,  /* the page after this one, else the confirmation */
    T_PREV_PAGE_OR_SERVICES = -4, /* the page before this one, else the services */
    T_LAST_PAGE_OR_SERVICES = -5, /* the last chosen page, else the services */
};

static const int table[JOINT_STEPS][JOINT_INPUTS] = {
    /*                  NEXT                     BACK                     CARD           CONFIRMED      SUBMITTED */
    [JOINT_CONSENT] = {JOINT_CARD_A, JOINT_HOME, T_STAY, T_STAY, T_STAY},
    [JOINT_CARD_A] = {T_STAY, JOINT_CONSENT, JOINT_FORM_A, T_STAY, T_STAY},
    [JOINT_FORM_A] = {JOINT_CARD_B, JOINT_CARD_A, T_STAY, T_STAY, T_STAY},
    [JOINT_CARD_B] = {T_STAY, JOINT_FORM_A, JOINT_FORM_B, T_STAY, T_STAY},
    [JOINT_FORM_B] = {JOINT_SERVICES, JOINT_CARD_B, T_STAY, T_STAY, T_STAY},
    [JOINT_SERVICES] = {T_FIRST_PAGE_OR_CONFIRM, JOINT_FORM_B, T_STAY, T_STAY, T_STAY},
    [JOINT_PAGE] = {T_NEXT_PAGE_OR_CONFIRM, T_PREV_PAGE_OR_SERVICES, T_STAY, T_STAY, T_STAY},
    [JOINT_CONFIRM] = {T_STAY, T_LAST_PAGE_OR_SERVICES, T_STAY, JOINT_REVIEW, T_STAY},
    [JOINT_REVIEW] = {T_STAY, T_LAST_PAGE_OR_SERVICES, T_STAY, T_STAY, JOINT_DONE},
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
    case T_FIRST_PAGE_OR_CONFIRM:
        return page_or(route, 0, JOINT_CONFIRM);
    case T_NEXT_PAGE_OR_CONFIRM:
        return page_or(route, i < 0 ? route ? route->n : 0 : i + 1, JOINT_CONFIRM);
    case T_PREV_PAGE_OR_SERVICES:
        return page_or(route, i - 1, JOINT_SERVICES);
    case T_LAST_PAGE_OR_SERVICES:
        return page_or(route, route ? route->n - 1 : -1, JOINT_SERVICES);
    default:
        return at_step((enum joint_step)t);
    }
}

bool joint_flow_takes(enum joint_step step, enum joint_input in) {
    return (unsigned)step < JOINT_STEPS && (unsigned)in < JOINT_INPUTS &&
           table[step][in] != T_STAY;
}

/* The order of a position along the flow: pages between the services and the confirmation. */
static int order(struct joint_pos p, const struct joint_route *r) {
    if (p.step == JOINT_PAGE)
        return JOINT_SERVICES * 100 + 1 + index_of(r, p.page);
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
    reach[find(ps, n, at_step(JOINT_CONSENT))] = true;
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
        bool card_step = ps[i].step == JOINT_CARD_A || ps[i].step == JOINT_CARD_B;
        if (joint_flow_takes(ps[i].step, JOINT_IN_CARD) != card_step)
            return false;
        if (joint_flow_takes(ps[i].step, JOINT_IN_SUBMITTED) != (ps[i].step == JOINT_REVIEW))
            return false;
        if (joint_flow_takes(ps[i].step, JOINT_IN_CONFIRMED) != (ps[i].step == JOINT_CONFIRM))
            return false;
    }
    return true;
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
