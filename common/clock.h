/* clock: time as an injected dependency.
 *
 * Everything that waits or expires (idle timer, countdowns, retries, manifest expiry) asks a
 * struct clock_src instead of the system, so that tests and UI scripts can move time forward
 * without waiting. clock_system() is the real one; struct clock_manual wraps another clock and
 * adds an offset (UI scripts' "idle N") and an optional fixed wall time ("clock ..."). */
#ifndef COMMON_CLOCK_H
#define COMMON_CLOCK_H

#include <stdint.h>

struct clock_src {
    int64_t (*mono_ms)(void *ctx); /* monotonic milliseconds, for intervals */
    int64_t (*wall_s)(void *ctx);  /* seconds since the epoch, for display and expiry */
    void *ctx;
};

/* The system clock: CLOCK_MONOTONIC and time(). */
const struct clock_src *clock_system(void);

static inline int64_t clock_mono_ms(const struct clock_src *c) {
    return c->mono_ms(c->ctx);
}
static inline int64_t clock_wall_s(const struct clock_src *c) {
    return c->wall_s(c->ctx);
}

/* A clock that follows `base` plus an offset; wall time can be pinned. advance() only moves
 * it on; take_back() stops it for the base's ms just past (they are subtracted from the
 * offset), which the caller may do only for time in which nobody read the clock. */
struct clock_manual {
    const struct clock_src *base;
    int64_t offset_ms;
    int64_t wall_pinned; /* 0: follow base; else the wall time at the moment it was pinned */
    int64_t wall_pinned_at_ms;
    struct clock_src src;
};

void clock_manual_init(struct clock_manual *m, const struct clock_src *base);
void clock_manual_advance(struct clock_manual *m, int64_t ms);
void clock_manual_take_back(struct clock_manual *m, int64_t ms);
void clock_manual_pin_wall(struct clock_manual *m, int64_t wall_s);

#endif
