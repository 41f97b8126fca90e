/* backoff: the one jittered exponential backoff of the kiosk's workers, and the jitter of their
 * periodic work, on an injected random source (so tests are deterministic).
 *
 * After a failure a worker waits backoff_next(): a uniform pick in [cur/2, cur] seconds, and
 * cur doubles up to max_s; a success resets cur to min_s. A fleet of kiosks that lost the
 * registry together therefore does not come back in step. Not thread-safe: one per worker. */
#ifndef WORKERS_BACKOFF_H
#define WORKERS_BACKOFF_H

/* A source of random numbers: next returns any unsigned value. */
struct rand_src {
    unsigned (*next)(void *ctx);
    void *ctx;
};

/* A rand_r-backed source with its own seed (seeded from the time and the address of seed). */
struct rand_seeded {
    unsigned seed;
    struct rand_src src;
};
void rand_seeded_init(struct rand_seeded *r, unsigned salt);

/* A uniform pick in [lo, hi] (lo when hi <= lo). */
int rand_between(const struct rand_src *r, int lo, int hi);

struct backoff {
    int min_s, max_s, cur_s;
    const struct rand_src *rand;
};

void backoff_init(struct backoff *b, int min_s, int max_s, const struct rand_src *rand);
/* The wait after a failure, in seconds (>= 1); then cur doubles up to max. */
int backoff_next(struct backoff *b);
/* After a success. */
void backoff_reset(struct backoff *b);
/* A period's wait with jitter: a pick in [period - period*pct/100, period + period*pct/100],
 * at least 1. */
int backoff_spread(const struct rand_src *r, int period_s, int pct);

#endif
