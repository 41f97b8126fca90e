/* sync (worker): the sync thread of workers.h, on its own store connection. A cycle: whoami,
 * outbox drain, appointment pull, heartbeat, receipt keys; its result goes to the main thread
 * as DEV_SYNC_STATE with the failure's code, so that screens say why from the code. Between
 * cycles: the interval (jittered) or, failing, the backoff; "sync now" and status queries of
 * the progress screen wake it. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "agent.h"
#include "backoff.h"
#include "clock.h"
#include "log.h"
#include "remote.h"
#include "slots.h"
#include "crypto_pki.h"
#include "sync.h"
#include "workers_int.h"

/* The registry's status of some records, for the progress screen (DEV_STATUS). */
static void answer_status(struct workers *w, const struct net *n, const char *ids) {
    struct device_event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return;
    ev->kind = DEV_STATUS;
    int rc = sync_status(n, ids, ev->text, sizeof ev->text);
    ev->ok = rc == SYNC_OK;
    ev->status = rc;
    if (!ev->ok)
        snprintf(ev->text, sizeof ev->text, "%s", sync_strerror(rc));
    bus_post(&w->bus, ev);
}

int workers_heartbeat(struct workers *w, struct store *s, const struct net *n,
                      const char *last_error) {
    char *state = update_state_json(w->cfg.state_dir);
    cJSON *o = state ? cJSON_Parse(state) : NULL;
    free(state);
    if (!o)
        o = cJSON_CreateObject();
    char base[600], slot[64];
    snprintf(base, sizeof base, "%s/release", w->cfg.state_dir);
    slots_current(base, slot, sizeof slot);
    cJSON_AddStringToObject(o, "slot", slot[0] ? slot : "packaged");
    cJSON *dev = cJSON_AddObjectToObject(o, "devices");
    static const char *const names[] = {"reader", "printer", "scanner"};
    const char *configured[] = {w->cfg.idcard, w->cfg.printer, w->cfg.scanner};
    for (int i = 0; i < 3; i++) {
        const char *st = atomic_load(&w->state[i]);
        cJSON_AddStringToObject(dev, names[i], !configured[i][0] ? "absent" : st ? st : "probing");
    }
    struct statvfs vfs;
    if (statvfs(w->cfg.state_dir, &vfs) == 0)
        cJSON_AddNumberToObject(o, "disk_free_mib",
                                (double)((uint64_t)vfs.f_bavail * vfs.f_frsize >> 20));
    cJSON_AddStringToObject(o, "role", w->cfg.display ? "display" : "kiosk"); /* calls go to displays */
    /* for the registry's metrics: silent after two of these, and the certificate's days */
    cJSON_AddNumberToObject(o, "interval_s", w->cfg.sync_interval_s > 0 ? w->cfg.sync_interval_s : 600);
    int days = 0;
    if (pki_cert_days_left(n->tls.cert, &days) == 0)
        cJSON_AddNumberToObject(o, "cert_days_left", days);
    /* a citizen's call for staff, a printer that stopped: each waits in the store until a
     * heartbeat carried it */
    static const char *const keys[] = {REMOTE_ALERT_KEY, REMOTE_ALERT_PRINTER_KEY};
    char *alert[2] = {NULL, NULL};
    cJSON *list = NULL;
    for (int i = 0; i < 2; i++) {
        cJSON *al = NULL;
        if (store_kv_get(s, keys[i], &alert[i]) == STORE_OK && alert[i] && alert[i][0] &&
            (al = cJSON_Parse(alert[i])) != NULL) {
            if (!list)
                list = cJSON_AddArrayToObject(o, "alerts");
            cJSON_AddItemToArray(list, al);
        } else {
            free(alert[i]);
            alert[i] = NULL;
        }
    }
    char *extra = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    int rc = sync_heartbeat(s, n, KIOSK_VERSION, last_error, extra);
    free(extra);
    for (int i = 0; i < 2; i++) {
        if (rc == 0 && alert[i]) { /* sent: cleared, unless another came meanwhile */
            char *now = NULL;
            if (store_kv_get(s, keys[i], &now) == STORE_OK && now && !strcmp(now, alert[i]))
                store_kv_set(s, keys[i], "");
            free(now);
            log_info("sync", "%s reached the registry",
                     i == 0 ? "the call for staff" : "the printer's alert");
        }
        free(alert[i]);
    }
    return rc;
}

/* One cycle; 0 or the code of what failed first. */
static int cycle(struct workers *w, struct store *s, const struct net *n,
                 const char *last_error) {
    struct sync_stats st;
    int rc = sync_ping(s, n);
    if (rc == 0)
        rc = sync_drain(s, n, 200, &st);
    if (rc == 0) {
        int pulled = sync_pull_appointments(s, n);
        rc = pulled < 0 ? pulled : 0;
        if (pulled > 0)
            log_info("sync", "appointments: %d pulled", pulled);
    }
    if (rc == 0)
        rc = workers_heartbeat(w, s, n, last_error);
    if (rc == 0)
        rc = sync_receipt_keys(s, n);
    /* a renewal that fails (an offline CA's registry, a refusal) is tried again at the next
     * cycle; it does not make the sync a failure: the certificate still holds */
    if (rc == 0 && sync_renew(n, w->cfg.renew_days) != 0)
        log_warn("sync", "the certificate's renewal failed: tried again at the next sync");
    return rc;
}

void *sync_main(void *arg) {
    struct workers *w = arg;
    struct sync_queue *q = &w->sync;
    struct registry_worker rw;
    int rc;
    if (registry_worker_init(w, &rw, 0x1234u, "sync", &rc) != 0) {
        bus_post_new(&w->bus, DEV_SYNC_STATE, false, rc, "the local store cannot be opened");
        return NULL;
    }
    struct store *s = rw.s;
    const struct net *np = &rw.net;
    struct backoff *b = &rw.backoff;
    char last_error[300] = "";
    while (!workers_stopping(w)) {
        rc = cycle(w, s, np, last_error);
        int wait_s;
        if (rc != 0) {
            wait_s = backoff_next(b);
            log_warn("sync", "registry: %s; next try in about %d s", sync_strerror(rc), wait_s);
        } else {
            backoff_reset(b);
            wait_s = rand_between(&rw.rnd.src, w->cfg.sync_interval_s / 2, w->cfg.sync_interval_s);
            char now[24];
            snprintf(now, sizeof now, "%lld", (long long)clock_wall_s(w->cfg.clock));
            if (store_kv_set(s, SYNC_LAST_OK, now) != STORE_OK)
                log_warn("sync", "the time of the last sync cannot be kept");
            log_debug("sync", "a cycle done; the next in %d s", wait_s); /* bench/idle_traffic.sh */
        }
        /* the registry hears of a failure in the next heartbeat that gets through */
        snprintf(last_error, sizeof last_error, "%s", rc != 0 ? sync_strerror(rc) : "");
        bus_post_new(&w->bus, DEV_SYNC_STATE, rc == 0, rc, rc == 0 ? "" : sync_strerror(rc));
        /* wait for the next cycle: its time, "sync now", or stop; status queries (the
         * progress screen) are answered meanwhile without a cycle */
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += wait_s > 0 ? wait_s : 1;
        pthread_mutex_lock(&q->lock);
        for (;;) {
            if (workers_stopping(w) || q->requests)
                break;
            if (q->status_ids[0]) {
                char ids[sizeof q->status_ids];
                snprintf(ids, sizeof ids, "%s", q->status_ids);
                q->status_ids[0] = 0;
                pthread_mutex_unlock(&q->lock);
                answer_status(w, np, ids);
                pthread_mutex_lock(&q->lock);
                continue;
            }
            if (pthread_cond_timedwait(&q->wake, &q->lock, &until) != 0)
                break;
        }
        q->requests = 0;
        pthread_mutex_unlock(&q->lock);
    }
    store_close(s);
    return NULL;
}

void workers_status_query(struct workers *w, const char *ids) {
    pthread_mutex_lock(&w->sync.lock);
    snprintf(w->sync.status_ids, sizeof w->sync.status_ids, "%s", ids);
    pthread_cond_broadcast(&w->sync.wake);
    pthread_mutex_unlock(&w->sync.lock);
}

void workers_sync_now(struct workers *w) {
    pthread_mutex_lock(&w->sync.lock);
    w->sync.requests++;
    pthread_cond_broadcast(&w->sync.wake);
    pthread_mutex_unlock(&w->sync.lock);
}
