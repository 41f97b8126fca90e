/* idle: the idle timer that sends an unattended citizen session back home. Pure; time comes in
 * as arguments (milliseconds of an injected monotonic clock).
 *
 * After `timeout_ms` without input the kiosk asks "还在吗?" and counts down `countdown_ms`;
 * if nobody answers, the session expires and the caller wipes it and shows home. The timer is
 * armed only while a citizen is away from the home screen. */
#ifndef APP_IDLE_H
#define APP_IDLE_H

#include <stdbool.h>
#include <stdint.h>

enum idle_state {
    IDLE_OFF,     /* not armed (home screen) */
    IDLE_ACTIVE,  /* someone is using the kiosk */
    IDLE_WARNING, /* the "还在吗?" countdown is running */
    IDLE_EXPIRED, /* time is up: wipe the session, go home */
};

struct idle_timer {
    int64_t timeout_ms;
    int64_t countdown_ms;
    int64_t last_input_ms;
    bool armed;
};

void idle_init(struct idle_timer *t, int64_t timeout_ms, int64_t countdown_ms);
/* New durations (关怀版 on or off), keeping the timer's state. */
void idle_set(struct idle_timer *t, int64_t timeout_ms, int64_t countdown_ms);
void idle_arm(struct idle_timer *t, int64_t now_ms);
void idle_disarm(struct idle_timer *t);
/* Input from the citizen: restarts the timeout (also ends a running countdown). */
void idle_touch(struct idle_timer *t, int64_t now_ms);
/* The state at now_ms; during IDLE_WARNING *seconds_left (may be NULL) is the countdown shown. */
enum idle_state idle_state(const struct idle_timer *t, int64_t now_ms, int *seconds_left);
/* Milliseconds from now_ms until the state or the countdown shown next changes; -1 for never. */
int64_t idle_next_change(const struct idle_timer *t, int64_t now_ms);
/* Asserts the timer's invariants (for tests). */
void idle_check_invariants(const struct idle_timer *t);

#endif
