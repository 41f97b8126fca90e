/* idle: see idle.h. */
#include "idle.h"

#include <assert.h>

void idle_set(struct idle_timer *t, int64_t timeout_ms, int64_t countdown_ms) {
    t->timeout_ms = timeout_ms > 0 ? timeout_ms : 1000;
    t->countdown_ms = countdown_ms >= 0 ? countdown_ms : 0;
}

void idle_init(struct idle_timer *t, int64_t timeout_ms, int64_t countdown_ms) {
    idle_set(t, timeout_ms, countdown_ms);
    t->last_input_ms = 0;
    t->armed = false;
}

void idle_arm(struct idle_timer *t, int64_t now_ms) {
    t->armed = true;
    t->last_input_ms = now_ms;
}

void idle_disarm(struct idle_timer *t) {
    t->armed = false;
}

void idle_touch(struct idle_timer *t, int64_t now_ms) {
    if (now_ms > t->last_input_ms)
        t->last_input_ms = now_ms;
}

enum idle_state idle_state(const struct idle_timer *t, int64_t now_ms, int *seconds_left) {
    if (!t->armed)
        return IDLE_OFF;
    int64_t idle = now_ms - t->last_input_ms;
    if (idle < t->timeout_ms)
        return IDLE_ACTIVE;
    int64_t left = t->timeout_ms + t->countdown_ms - idle;
    if (left <= 0)
        return IDLE_EXPIRED;
    if (seconds_left)
        *seconds_left = (int)((left + 999) / 1000);
    return IDLE_WARNING;
}

int64_t idle_next_change(const struct idle_timer *t, int64_t now_ms) {
    if (!t->armed)
        return -1;
    int64_t idle = now_ms - t->last_input_ms;
    if (idle < t->timeout_ms)
        return t->timeout_ms - idle;
    int64_t left = t->timeout_ms + t->countdown_ms - idle;
    if (left <= 0)
        return 0;
    /* the next whole second of the countdown */
    int64_t r = left % 1000;
    return r ? r : 1000;
}

void idle_check_invariants(const struct idle_timer *t) {
    assert(t->timeout_ms > 0);
    assert(t->countdown_ms >= 0);
    (void)t;
}
