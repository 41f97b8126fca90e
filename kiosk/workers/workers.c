/* workers: see workers.h. Start, stop and the helpers the worker files share. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "workers_int.h"

void workers_note(struct workers *w, int which, const char *state) {
    atomic_store(&w->state[which], state);
}

void workers_nap(struct workers *w, int ms) {
    for (int t = 0; t < ms && !workers_stopping(w); t += 50) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

void workers_lock_init(pthread_mutex_t *lock, pthread_cond_t *cond) {
    pthread_mutex_init(lock, NULL);
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC); /* a wall clock set back waits no longer */
    pthread_cond_init(cond, &a);
    pthread_condattr_destroy(&a);
}

int workers_wait(pthread_cond_t *cond, pthread_mutex_t *lock, int seconds) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += seconds > 0 ? seconds : 1;
    return pthread_cond_timedwait(cond, lock, &until) == ETIMEDOUT ? 1 : 0;
}

static void wake(pthread_mutex_t *lock, pthread_cond_t *cond) {
    pthread_mutex_lock(lock);
    pthread_cond_broadcast(cond);
    pthread_mutex_unlock(lock);
}

int registry_worker_init(struct workers *w, struct registry_worker *rw, unsigned salt,
                         const char *name, int *rc) {
    memset(rw, 0, sizeof *rw);
    *rc = store_open(&rw->s, w->cfg.state_dir, w->cfg.clock);
    if (*rc != STORE_OK) {
        log_error(name, "the local store cannot be opened (%s); this thread stops",
                  store_strerror(*rc));
        return -1;
    }
    net_init(&rw->net, w->cfg.registry, w->cfg.sync_tls);
    rand_seeded_init(&rw->rnd, salt);
    backoff_init(&rw->backoff, 1, w->cfg.retry_max_s > 0 ? w->cfg.retry_max_s : 300,
                 &rw->rnd.src);
    return 0;
}

int workers_start(struct workers *w, const struct workers_config *cfg, bus_post_fn post,
                  void *ctx) {
    memset(w, 0, sizeof *w);
    w->cfg = *cfg;
    if (!w->cfg.clock)
        w->cfg.clock = clock_system();
    w->bus = (struct bus){post, ctx};
    atomic_init(&w->stop, false);
    for (int i = 0; i < 3; i++)
        atomic_init(&w->state[i], NULL);
    workers_lock_init(&w->print.lock, &w->print.wake);
    workers_lock_init(&w->sync.lock, &w->sync.wake);
    workers_lock_init(&w->update.lock, &w->update.wake);
    workers_lock_init(&w->commands.lock, &w->commands.wake);
    bool reg = cfg->registry[0] != 0;
    w->updater_on = reg && cfg->update_trust[0];
    struct {
        bool want;
        void *(*main)(void *);
    } t[6] = {
        [W_READER] = {cfg->idcard[0] != 0, reader_main},
        [W_SCANNER] = {cfg->scanner[0] != 0, scanner_main},
        [W_PRINTER] = {cfg->printer[0] != 0, printer_main},
        [W_SYNC] = {reg, sync_main},
        [W_COMMANDS] = {reg && cfg->command_wait_s > 0, commands_main},
        [W_UPDATER] = {w->updater_on, updater_main},
    };
    for (int i = 0; i < 6; i++) {
        if (!t[i].want)
            continue;
        w->running[i] = pthread_create(&w->threads[i], NULL, t[i].main, w) == 0;
        if (!w->running[i])
            log_error("workers", "thread %d cannot be started", i);
    }
    return 0;
}

void workers_stop(struct workers *w) {
    atomic_store(&w->stop, true);
    wake(&w->print.lock, &w->print.wake);
    wake(&w->sync.lock, &w->sync.wake);
    wake(&w->update.lock, &w->update.wake);
    wake(&w->commands.lock, &w->commands.wake);
    for (int i = 0; i < 6; i++)
        if (w->running[i])
            pthread_join(w->threads[i], NULL);
    memset(w->running, 0, sizeof w->running);
    pthread_mutex_destroy(&w->print.lock);
    pthread_cond_destroy(&w->print.wake);
    pthread_mutex_destroy(&w->sync.lock);
    pthread_cond_destroy(&w->sync.wake);
    pthread_mutex_destroy(&w->update.lock);
    pthread_cond_destroy(&w->update.wake);
    pthread_mutex_destroy(&w->commands.lock);
    pthread_cond_destroy(&w->commands.wake);
}
