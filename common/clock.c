/* clock: see clock.h. */
#include "clock.h"

#include <time.h>

static int64_t system_mono_ms(void *ctx) {
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t system_wall_s(void *ctx) {
    (void)ctx;
    return (int64_t)time(NULL);
}

static const struct clock_src system_clock = {system_mono_ms, system_wall_s, 0};

const struct clock_src *clock_system(void) {
    return &system_clock;
}

static int64_t manual_mono_ms(void *ctx) {
    struct clock_manual *m = ctx;
    return clock_mono_ms(m->base) + m->offset_ms;
}

static int64_t manual_wall_s(void *ctx) {
    struct clock_manual *m = ctx;
    if (m->wall_pinned)
        return m->wall_pinned + (manual_mono_ms(m) - m->wall_pinned_at_ms) / 1000;
    return clock_wall_s(m->base) + m->offset_ms / 1000;
}

void clock_manual_init(struct clock_manual *m, const struct clock_src *base) {
    m->base = base;
    m->offset_ms = 0;
    m->wall_pinned = 0;
    m->wall_pinned_at_ms = 0;
    m->src.mono_ms = manual_mono_ms;
    m->src.wall_s = manual_wall_s;
    m->src.ctx = m;
}

void clock_manual_advance(struct clock_manual *m, int64_t ms) {
    if (ms > 0)
        m->offset_ms += ms;
}

void clock_manual_take_back(struct clock_manual *m, int64_t ms) {
    if (ms > 0)
        m->offset_ms -= ms;
}

void clock_manual_pin_wall(struct clock_manual *m, int64_t wall_s) {
    m->wall_pinned = wall_s;
    m->wall_pinned_at_ms = manual_mono_ms(m);
}
