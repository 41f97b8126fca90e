/* workers_int: what the worker files share among themselves (not for the rest of the kiosk). */
#ifndef WORKERS_INT_H
#define WORKERS_INT_H

#include <time.h>

#include "backoff.h"
#include "net.h"
#include "store.h"
#include "workers.h"

enum { W_READER, W_SCANNER, W_PRINTER, W_SYNC, W_COMMANDS, W_UPDATER };

void *reader_main(void *arg);
void *scanner_main(void *arg);
void *printer_main(void *arg);
void *sync_main(void *arg);
void *commands_main(void *arg);
void *updater_main(void *arg);

static inline bool workers_stopping(struct workers *w) {
    return atomic_load(&w->stop);
}
/* Records a device's state for the heartbeat. */
void workers_note(struct workers *w, int which, const char *state);
/* Sleeps ms in steps of 50 ms, returning early once the workers stop. */
void workers_nap(struct workers *w, int ms);
/* Waits on cond (lock held) until CLOCK_MONOTONIC passes now + seconds. */
int workers_wait(pthread_cond_t *cond, pthread_mutex_t *lock, int seconds);
/* Initialises a lock and a wake-up whose timed waits run on CLOCK_MONOTONIC. */
void workers_lock_init(pthread_mutex_t *lock, pthread_cond_t *cond);

/* What each of the registry's threads (sync, commands, updater) starts with: its own store
 * connection, its registry, its random source and backoff. */
struct registry_worker {
    struct store *s;
    struct net net;
    struct rand_seeded rnd;
    struct backoff backoff;
};
/* 0, or -1 when the store cannot be opened (its code in *rc; logged under name). */
int registry_worker_init(struct workers *w, struct registry_worker *rw, unsigned salt,
                         const char *name, int *rc);

/* The heartbeat (DESIGN §5) with the update state, the release slot, each device's state and
 * the state directory's free disk space (sync.c; the updater reports its steps with it). */
int workers_heartbeat(struct workers *w, struct store *s, const struct net *n,
                      const char *last_error);
/* Hands a release (0) or content (1) check to the updater; seq: the command to acknowledge
 * with its result (0: none). */
void updater_request(struct workers *w, int content, long seq);
/* Tells the main thread that the updater installed a content bundle or a release (commands.c,
 * with the other DEV_COMMAND events). */
void commands_post_installed(struct workers *w, bool content, const char *version);

#endif
