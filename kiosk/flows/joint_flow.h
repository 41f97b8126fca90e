/* joint_flow: the steps of 婚育户一件事 as a pure table (DESIGN.md §2), so that the order the
 * couple goes through is data, checked by joint_flow_check_invariants() and unit-tested
 * without a screen.
 *
 *   start page → services → consent (the notice names the chosen services' recipients) →
 *   A's card → A's fields → B's card → B's fields → each chosen service's page → check your
 *   answers → both cards confirm the declarations, which submits → done
 *
 * 下一步 (NEXT) moves forward once the step's own checks passed (the screen runs them: a
 * page's fields, joint_page_check); 返回 (BACK) goes one step back, from the start page to
 * home; a card accepted (CARD) moves on from a card step; the record stored (SUBMITTED, once
 * both parties confirmed by card) from the confirmation. 修改 on the review jumps to a section
 * (a jump, not a move of the table); that section's NEXT and BACK are then TO_REVIEW, back to
 * the review. The service pages are the chosen services' pages of the form, in the form's
 * order (struct joint_route).
 *
 * This departs from the order of DESIGN.md §2.2 (consent → cards → services → declarations →
 * review) on purpose, for issue 14: the services come before the notice, because the notice
 * names the recipients of the chosen services (卫健, 公安) and a consent must know them; the
 * check-your-answers review comes before the declarations, which both cards confirm and which
 * then submit, so that nothing is declared that was not seen; the review shows what the
 * citizens typed in full (their own answers to check) and what came from a card masked.
 *
 * The citizen sees 第 N 步 / 共 M 步: the services, the consent, each party (card and fields
 * are one step), each chosen page, the review, the confirmation (joint_flow_step_number). */
#ifndef FLOWS_JOINT_FLOW_H
#define FLOWS_JOINT_FLOW_H

#include <stdbool.h>

enum joint_step { /* in the order of the flow */
    JOINT_START,
    JOINT_SERVICES,
    JOINT_CONSENT,
    JOINT_CARD_A,
    JOINT_FORM_A,
    JOINT_CARD_B,
    JOINT_FORM_B,
    JOINT_PAGE, /* a chosen service's page: joint_pos.page */
    JOINT_REVIEW,
    JOINT_CONFIRM,
    JOINT_DONE,
    JOINT_HOME, /* left: back to home */
    JOINT_STEPS
};

enum joint_input { JOINT_IN_NEXT, JOINT_IN_BACK, JOINT_IN_CARD, JOINT_IN_SUBMITTED,
                   JOINT_IN_TO_REVIEW, JOINT_INPUTS };

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
/* Step n of m for the position (the start, done and home have none: *n = 0). */
void joint_flow_step_number(struct joint_pos at, const struct joint_route *route, int *n, int *m);
/* The table's invariants: every step reachable from the start page, done reachable from every
 * step (no dead end), NEXT never backwards and BACK never forwards, cards only where a card is
 * asked, submission only from the confirmation, the step numbers 1..m without a gap along the
 * way, for any choice of services up to 3 pages. */
bool joint_flow_check_invariants(void);

#endif
