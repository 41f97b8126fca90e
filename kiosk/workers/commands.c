/* commands (worker): the registry's push channel (workers.h). A long poll; each command is
 * carried out and made durable, then acknowledged, then the cursor moves; failures back off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "clock.h"
#include "log.h"
#include "num.h"
#include "remote.h"
#include "sync.h"
#include "workers_int.h"

#define COMMANDS_CURSOR SYNC_COMMANDS_CURSOR

static void post_command(struct workers *w, enum device_command c, const char *text) {
    bus_post_new(&w->bus, DEV_COMMAND, true, (int)c, text ? text : "");
}

/* Carries out one command; returns the result the registry is told ("ok" or why not). */
static const char *run_command(struct workers *w, struct store *s, const struct sync_command *c) {
    if (!strcmp(c->command, "sync")) {
        workers_sync_now(w);
        return "ok";
    }
    if (!strcmp(c->command, "lock") || !strcmp(c->command, "unlock")) {
        bool lock = c->command[0] == 'l';
        if (remote_lock_set(w->cfg.state_dir, lock) != 0)
            return "the lock file cannot be written";
        post_command(w, lock ? CMD_LOCK : CMD_UNLOCK, "");
        return "ok";
    }
    if (!strcmp(c->command, "notice")) {
        char text[sizeof c->arg];
        remote_notice_clean(text, sizeof text, c->arg);
        if (store_kv_set(s, REMOTE_NOTICE_KEY, text) != STORE_OK)
            return "the notice cannot be stored";
        post_command(w, CMD_NOTICE, text);
        return "ok";
    }
    if (!strcmp(c->command, "call")) { /* a window called a ticket: the display shows it */
        if (!w->cfg.display)
            return "ignored: not a display";
        post_command(w, CMD_CALL, c->arg);
        return "ok";
    }
    if (!strcmp(c->command, "content") || !strcmp(c->command, "update"))
        return w->updater_on
                   ? "ok: started (its steps follow in heartbeats; the result replaces this)"
                   : "failed: no trusted keys configured ([update] trust)";
    return "unknown command";
}

/* Posts a content push or a new release to the main thread (the updater installed it). */
void commands_post_installed(struct workers *w, bool content, const char *version) {
    post_command(w, content ? CMD_CONTENT : CMD_RESTART, version);
}

void *commands_main(void *arg) {
    struct workers *w = arg;
    struct registry_worker rw;
    int rc;
    if (registry_worker_init(w, &rw, 0x5a5a5a5au, "commands", &rc) != 0)
        return NULL;
    struct store *s = rw.s;
    const struct net *np = &rw.net;
    struct sync_command cmds[16];
    int reachable = -1; /* the push channel's last state told: -1 none yet */
    bool failing = false; /* the last poll failed */
    while (!workers_stopping(w)) {
        char *cur = NULL;
        store_kv_get(s, COMMANDS_CURSOR, &cur);
        long after = 0;
        if (cur && num_long(cur, 0, INT64_C(1) << 53, &after) != 0)
            log_warn("commands", "the stored cursor is not a number; starting from 0");
        free(cur);
        int got = sync_commands_poll(s, np, after, w->cfg.command_wait_s, &w->stop, cmds, 16);
        int i = 0;
        rc = got < 0 ? got : 0;
        /* a display's push channel lost or back: said at once (it stops showing calls that
         * may be stale), not at the next sync cycle; a kiosk's state stays the sync's */
        if (w->cfg.display && (got >= 0) != (reachable == 1) && !workers_stopping(w)) {
            reachable = got >= 0;
            bus_post_new(&w->bus, DEV_SYNC_STATE, got >= 0, rc, got >= 0 ? "" : sync_strerror(rc));
        }
        for (; i < got && !workers_stopping(w); i++) {
            const char *result = run_command(w, s, &cmds[i]);
            log_info("commands", "command %ld %s: %s", cmds[i].seq, cmds[i].command, result);
            char seq[32];
            snprintf(seq, sizeof seq, "%ld", cmds[i].seq);
            /* acknowledged, then the cursor moves: a crash in between repeats the command,
             * which every command allows (lock twice is locked) */
            rc = sync_command_ack(np, cmds[i].seq, result);
            if (rc == 0)
                rc = store_kv_set(s, COMMANDS_CURSOR, seq);
            if (rc != 0)
                break;
            /* an update goes to the updater once acknowledged: its result acknowledges again */
            if (w->updater_on &&
                (!strcmp(cmds[i].command, "update") || !strcmp(cmds[i].command, "content")))
                updater_request(w, cmds[i].command[0] == 'c', cmds[i].seq);
        }
        if (got >= 0 && i == got) {
            /* the registry back after the channel failed (a restart, an outage): a sync now,
             * rather than when the sync's own backoff ends (what queued meanwhile, or what a
             * restored registry lacks, goes at once) */
            if (failing && !workers_stopping(w))
                workers_sync_now(w);
            failing = false;
            backoff_reset(&rw.backoff);
            continue; /* straight back to waiting */
        }
        failing = true;
        int wait_s = backoff_next(&rw.backoff);
        if (!workers_stopping(w))
            log_warn("commands", "push channel: %s; again in about %d s", sync_strerror(rc),
                     wait_s);
        pthread_mutex_lock(&w->commands.lock);
        if (!workers_stopping(w))
            workers_wait(&w->commands.wake, &w->commands.lock, wait_s);
        pthread_mutex_unlock(&w->commands.lock);
    }
    store_close(s);
    return NULL;
}
