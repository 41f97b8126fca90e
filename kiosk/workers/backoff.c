/* backoff: see backoff.h. */
#include "backoff.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static unsigned seeded_next(void *ctx) {
    return (unsigned)rand_r(ctx);
}

void rand_seeded_init(struct rand_seeded *r, unsigned salt) {
    r->seed = (unsigned)time(NULL) ^ salt ^ (unsigned)(uintptr_t)r;
    r->src = (struct rand_src){seeded_next, &r->seed};
}

int rand_between(const struct rand_src *r, int lo, int hi) {
    if (hi <= lo)
        return lo;
    return lo + (int)(r->next(r->ctx) % (unsigned)(hi - lo + 1));
}

void backoff_init(struct backoff *b, int min_s, int max_s, const struct rand_src *rand) {
    b->min_s = min_s > 0 ? min_s : 1;
    b->max_s = max_s > b->min_s ? max_s : b->min_s;
    b->cur_s = b->min_s;
    b->rand = rand;
}

int backoff_next(struct backoff *b) {
    int wait = rand_between(b->rand, b->cur_s / 2, b->cur_s);
    b->cur_s = b->cur_s > b->max_s / 2 ? b->max_s : b->cur_s * 2;
    return wait > 0 ? wait : 1;
}

void backoff_reset(struct backoff *b) {
    b->cur_s = b->min_s;
}

int backoff_spread(const struct rand_src *r, int period_s, int pct) {
    int d = period_s * pct / 100;
    int wait = rand_between(r, period_s - d, period_s + d);
    return wait > 0 ? wait : 1;
}
