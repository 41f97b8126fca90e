/* updater (worker): release and content checks and installs (workers.h, update/agent.h), on
 * `update` / `content` commands and on a jittered period. Each step of an install goes to the
 * registry at once in a heartbeat (a download's progress at most every 2 s), so that an
 * operator watches a rollout kiosk by kiosk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "backoff.h"
#include "clock.h"
#include "log.h"
#include "sync.h"
#include "workers_int.h"

struct update_report {
    struct workers *w;
    struct store *s;
    const struct net *n;
    int64_t last;
};

static void on_update_step(void *ctx, const struct update_progress *p) {
    struct update_report *u = ctx;
    int64_t now = clock_wall_s(u->w->cfg.clock);
    if (!strcmp(p->step, "downloading") && p->done > 0 && p->done < p->total && now - u->last < 2)
        return;
    u->last = now;
    int rc = workers_heartbeat(u->w, u->s, u->n, "");
    if (rc != 0)
        log_info("update", "step %s not reported now (%s); the next heartbeat carries it", p->step,
                 sync_strerror(rc));
    else if (strcmp(p->step, "downloading") != 0)
        log_info("update", "step %s reported to the registry", p->step);
}

/* A check for a release or content bundle and its install; result says what happened ("ok:
 * ..." or "failed: ..."), as the command's acknowledgement. An installed bundle is taken up
 * at the next return to home (content) or by a restart there (release). */
static void run_update(struct workers *w, struct store *s, const struct net *n, const char *type,
                       char *result, size_t cap) {
    struct update_report rep = {.w = w, .s = s, .n = n};
    struct update_cfg u = {.state_dir = w->cfg.state_dir,
                           .net = *n,
                           .type = type,
                           .channel = w->cfg.update_channel,
                           .hardware = w->cfg.update_hardware,
                           .progress = on_update_step,
                           .progress_ctx = &rep,
                           .check = type[0] == 'c' ? w->cfg.content_check : NULL,
                           .cancel = &w->stop,
                           .clock = w->cfg.clock};
    if (!w->cfg.update_trust[0] ||
        trust_load(&u.trust, w->cfg.update_trust, w->cfg.update_threshold) != 0 || u.trust.n == 0) {
        snprintf(result, cap, "failed: no trusted keys configured ([update] trust)");
        return;
    }
    char version[64] = "", why[250] = "";
    enum update_result r = update_run(&u, version, sizeof version, why, sizeof why);
    if (r == UPDATE_INSTALLED)
        commands_post_installed(w, type[0] == 'c', version);
    snprintf(result, cap, "%s%s%s",
             r == UPDATE_INSTALLED     ? "ok: installed "
             : r == UPDATE_NOTHING_NEW ? "ok: nothing newer, "
             : r == UPDATE_FROZEN      ? "frozen: "
                                       : "failed: ",
             r == UPDATE_INSTALLED ? version : why,
             r == UPDATE_INSTALLED && type[0] == 'r' ? " (runs after the next restart)" : "");
}

void updater_request(struct workers *w, int content, long seq) {
    struct update_queue *q = &w->update;
    pthread_mutex_lock(&q->lock);
    q->req |= 1 << content;
    q->seq[content] = seq;
    pthread_cond_broadcast(&q->wake);
    pthread_mutex_unlock(&q->lock);
}

void *updater_main(void *arg) {
    struct workers *w = arg;
    struct update_queue *q = &w->update;
    struct registry_worker rw;
    int rc;
    if (registry_worker_init(w, &rw, 0x3c3c3c3cu, "update", &rc) != 0)
        return NULL;
    struct store *s = rw.s;
    const struct net *np = &rw.net;
    struct rand_seeded *rnd = &rw.rnd;
    const struct clock_src *clk = w->cfg.clock;
    /* the periodic check backs up the push channel: first within one period of the start,
     * then every period, each jittered by up to a fifth so that a fleet does not ask at once */
    int poll = w->cfg.update_poll_s;
    int64_t next_check = poll ? clock_mono_ms(clk) / 1000 + rand_between(&rnd->src, poll / 2, poll) : 0;
    pthread_mutex_lock(&q->lock);
    while (!workers_stopping(w)) {
        int64_t now = clock_mono_ms(clk) / 1000;
        bool periodic = poll && now >= next_check;
        if (!q->req && !periodic) {
            workers_wait(&q->wake, &q->lock, poll ? (int)(next_check > now ? next_check - now : 1)
                                                  : 3600);
            continue;
        }
        int req = q->req | (periodic ? 3 : 0);
        long seqs[2] = {q->seq[0], q->seq[1]};
        q->req = 0;
        q->seq[0] = q->seq[1] = 0;
        pthread_mutex_unlock(&q->lock);
        if (periodic)
            next_check = now + backoff_spread(&rnd->src, poll, 20);
        for (int i = 0; i < 2 && !workers_stopping(w); i++) {
            if (!(req & (1 << i)))
                continue;
            char result[300];
            run_update(w, s, np, i ? "content" : "release", result, sizeof result);
            rc = seqs[i] ? sync_command_ack(np, seqs[i], result) : 0;
            if (rc != 0)
                log_warn("update", "the result of command %ld was not delivered: %s", seqs[i],
                         sync_strerror(rc));
            else if (seqs[i])
                log_info("commands", "command %ld %s: %s", seqs[i], i ? "content" : "update",
                         result);
            else if (strncmp(result, "ok: nothing", 11) != 0)
                log_info("update", "periodic check of %s: %s", i ? "content" : "releases", result);
        }
        pthread_mutex_lock(&q->lock);
    }
    pthread_mutex_unlock(&q->lock);
    store_close(s);
    return NULL;
}
