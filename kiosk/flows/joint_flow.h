/* joint_flow: the steps of 婚育户一件事 as a pure table (DESIGN.md §2), so that the order the
 * couple goes through is data, checked by joint_flow_check_invariants() and unit-tested
 * without a screen.
 *
 *   consent → A's card → A's fields → B's card → B's fields → services → each chosen
 *   service's pages → both cards confirm the declarations → review → done
 *
 * 下一步 (NEXT) moves forward once the step's own checks passed (the screen runs them: a
 * page's fields, joint_page_check); 返回 (BACK) goes one step back, from the consent to home;
 * a card accepted (CARD) moves on from a card step; both confirmations (CONFIRMED) from the
 * confirmation; the record stored (SUBMITTED) from the review. The service pages are the
 * chosen services' pages of the form, in the form's order (struct joint_route). */
#ifndef FLOWS_JOINT_FLOW_H
#define FLOWS_JOINT_FLOW_H

#include <stdbool.h>

enum joint_step {
    JOINT_CONSENT,
    JOINT_CARD_A,
    JOINT_FORM_A,
    JOINT_CARD_B,
    JOINT_FORM_B,
    JOINT_SERVICES,
    JOINT_PAGE, /* a chosen service's page: joint_pos.page */
    JOINT_CONFIRM,
    JOINT_REVIEW,
    JOINT_DONE,
    JOINT_HOME, /* left: back to home */
    JOINT_STEPS
};

enum joint_input { JOINT_IN_NEXT, JOINT_IN_BACK, JOINT_IN_CARD, JOINT_IN_CONFIRMED,
                   JOINT_IN_SUBMITTED, JOINT_INPUTS };

struct joint_pos {
    enum joint_step step;
    int page; /* the form page of JOINT_PAGE; -1 otherwise */
};

/* The chosen services' pages, in order (form page indexes). */
#define JOINT_ROUTE_MAX 16
struct joint_route {
    int pages[JOINT_ROUTE_MAX];
    int n;
};

/* Where an input leads from at; an input a step does not take leaves it where it is. */
struct joint_pos joint_flow_next(struct joint_pos at, enum joint_input in,
                                 const struct joint_route *route);
/* Whether the step takes the input at all (the screen shows only the buttons that do). */
bool joint_flow_takes(enum joint_step step, enum joint_input in);
/* The table's invariants: every step reachable from the consent, done reachable from every
 * step (no dead end), NEXT never backwards and BACK never forwards, cards only where a card is
 * asked, submission only from the review, for any choice of services up to 3 pages. */
bool joint_flow_check_invariants(void);

#endif
