/* devices: see devices.h. */
#include "devices.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <sys/statvfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "escpos.h"
#include "idcard_reader.h"
#include "log.h"
#include "printer.h"
#include "remote.h"
#include "scanner.h"
#include "serial.h"
#include "agent.h"
#include "app.h"
#include "store.h"
#include "slots.h"
#include "sync.h"

void device_event_free(struct device_event *ev) {
    if (!ev)
        return;
    explicit_bzero(ev, sizeof *ev);
    free(ev);
}

static void note(struct devices *d, int which, const char *state) {
    __atomic_store_n(&d->state[which], state, __ATOMIC_RELEASE);
}

static void post(struct devices *d, enum device_event_kind kind, bool ok, const char *text) {
    if (kind == DEV_READER_STATE || kind == DEV_SCANNER_STATE)
        note(d, kind == DEV_READER_STATE ? DEVICE_READER : DEVICE_SCANNER,
             ok ? "ok" : "unreachable");
    struct device_event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return;
    ev->kind = kind;
    ev->ok = ok;
    if (text)
        snprintf(ev->text, sizeof ev->text, "%s", text);
    d->post(d->post_ctx, ev);
}

static void nap(struct devices *d, int ms) {
    for (int t = 0; t < ms && !d->stop; t += 50) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* --- ID card reader --- */

static void *reader_main(void *arg) {
    struct devices *d = arg;
    struct idcard_reader r;
    bool reachable = idcard_reader_open(&r, d->cfg.idcard, 115200) == 0;
    post(d, DEV_READER_STATE, reachable, reachable ? "" : r.error);
    bool card_on = false;
    while (!d->stop) {
        struct device_event *ev = calloc(1, sizeof *ev);
        int rc = ev ? idcard_reader_poll(&r, &ev->card, NULL) : IDCARD_ERR_DEVICE;
        bool now = rc == IDCARD_OK || rc == IDCARD_NO_CARD;
        if (now != reachable) {
            reachable = now;
            post(d, DEV_READER_STATE, reachable, reachable ? "" : r.error);
        }
        if (rc == IDCARD_OK) {
            ev->kind = DEV_CARD_READ;
            ev->ok = true;
            d->post(d->post_ctx, ev); /* the main thread owns it now */
            ev = NULL;
            card_on = true;
            log_info("devices", "card read");
        } else if (rc == IDCARD_ERR_PROTOCOL) {
            log_warn("devices", "card reader: %s", r.error);
        } else if (rc == IDCARD_NO_CARD && card_on && idcard_reader_card_present(&r) == 0) {
            /* a card that was read is not found again until lifted; select still sees it
             * while it lies there, so select failing means it is gone */
            card_on = false;
            post(d, DEV_CARD_REMOVED, true, NULL);
        }
        device_event_free(ev);
        /* a find every 150 ms: a card laid down is seen within 75 ms on average, for a few
         * bytes a poll on the line */
        nap(d, 150);
    }
    idcard_reader_close(&r);
    return NULL;
}

/* --- scanner --- */

static void on_code(void *ctx, const char *code) {
    post(ctx, DEV_SCAN, true, code);
}

static void *scanner_main(void *arg) {
    struct devices *d = arg;
    struct lines l;
    lines_init(&l);
    int fd = -1, reported = -1; /* what the main loop was last told: 1 open, 0 not */
    while (!d->stop) {
        if (fd < 0) {
            fd = serial_open(d->cfg.scanner, 115200);
            if ((fd >= 0) != reported) {
                reported = fd >= 0;
                post(d, DEV_SCANNER_STATE, fd >= 0, fd >= 0 ? "" : serial_strerror(fd));
            }
            if (fd < 0) {
                nap(d, 1000);
                continue;
            }
            log_info("devices", "scanner %s opened", d->cfg.scanner);
        }
        uint8_t buf[256];
        ssize_t n = serial_read(fd, buf, sizeof buf, 500);
        if (n > 0)
            lines_feed(&l, buf, (size_t)n, on_code, d);
        else if (n != SERIAL_ERR_TIMEOUT) {
            log_warn("devices", "scanner %s: %s", d->cfg.scanner, serial_strerror((int)n));
            serial_close(fd);
            fd = -1;
            nap(d, 1000);
        }
    }
    serial_close(fd);
    return NULL;
}

/* --- printer --- */

static void post_status(struct devices *d, struct printer *p) {
    unsigned flags = 0;
    enum printer_status_kind k = printer_status(p, &flags, 500);
    struct device_event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return;
    ev->kind = DEV_PRINTER_STATE;
    ev->status = k == PRINTER_STATUS_OK ? 0 : k == PRINTER_STATUS_PROBLEM ? 1 : 2;
    note(d, DEVICE_PRINTER, ev->status == 0 ? "ok" : ev->status == 1 ? "problem" : "unreachable");
    ev->flags = flags;
    if (k == PRINTER_STATUS_UNKNOWN)
        snprintf(ev->text, sizeof ev->text, "%s", p->error);
    else
        printer_flags_text(flags, ev->text, sizeof ev->text);
    d->post(d->post_ctx, ev);
}

static int build_test(struct devices *d, struct print_job *job) {
    static uint8_t mem[1 << 16];
    struct escpos_buf b;
    escpos_begin(&b, mem, sizeof mem);
    escpos_test_receipt(&b, "KIOSK-TEST-RECEIPT", d->cfg.printer_raster_qr);
    job->data = b.overflow ? NULL : malloc(b.len);
    if (!job->data)
        return -1;
    memcpy(job->data, b.data, b.len);
    job->len = b.len;
    return 0;
}

/* Sends one job unless the printer says it cannot print; the reason in why. */
static int print_job(struct printer *p, const struct print_job *job, char *why, size_t cap) {
    unsigned flags = 0;
    enum printer_status_kind k = printer_status(p, &flags, 500);
    if (k == PRINTER_STATUS_PROBLEM && (flags & (ESCPOS_ST_PAPER_OUT | ESCPOS_ST_COVER_OPEN |
                                                 ESCPOS_ST_OFFLINE | ESCPOS_ST_ERROR))) {
        printer_flags_text(flags, why, cap);
        return -1;
    }
    if (printer_send(p, job->data, job->len, 5000) != 0) {
        snprintf(why, cap, "%s", p->error);
        return -1;
    }
    return 0;
}

static void job_free(struct print_job *j) {
    if (j->data)
        explicit_bzero(j->data, j->len); /* a receipt holds masked personal data */
    free(j->data);
    j->data = NULL;
}

static void *printer_main(void *arg) {
    struct devices *d = arg;
    struct printer p = {.fd = -1};
    time_t last_status = 0;
    while (!d->stop) {
        if (p.fd < 0 && printer_open(&p, d->cfg.printer, 2000) != 0) {
            struct device_event *ev = calloc(1, sizeof *ev);
            if (ev) {
                ev->kind = DEV_PRINTER_STATE;
                ev->status = 2;
                note(d, DEVICE_PRINTER, "unreachable");
                snprintf(ev->text, sizeof ev->text, "%s", p.error);
                d->post(d->post_ctx, ev);
            }
        }
        pthread_mutex_lock(&d->lock);
        struct print_job jobs[DEVICES_JOBS_MAX];
        int n = d->njobs;
        memcpy(jobs, d->jobs, sizeof jobs);
        d->njobs = 0;
        pthread_mutex_unlock(&d->lock);
        for (int i = 0; i < n; i++) {
            char why[600] = "";
            int rc = p.fd >= 0 ? print_job(&p, &jobs[i], why, sizeof why) : -1;
            if (p.fd < 0)
                snprintf(why, sizeof why, "%s", p.error);
            struct device_event *ev = calloc(1, sizeof *ev);
            if (ev) {
                ev->kind = DEV_PRINT_DONE;
                ev->ok = rc == 0;
                ev->status = jobs[i].tag;
                snprintf(ev->text, sizeof ev->text, "%s", why);
                d->post(d->post_ctx, ev);
            }
            if (rc != 0 && p.fd >= 0 && !why[0])
                printer_close(&p);
            job_free(&jobs[i]);
        }
        if (p.fd >= 0 && (n || time(NULL) - last_status >= 30)) {
            post_status(d, &p);
            last_status = time(NULL);
        }
        pthread_mutex_lock(&d->lock);
        if (!d->stop && d->njobs == 0) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += p.fd >= 0 ? 30 : 2;
            pthread_cond_timedwait(&d->wake, &d->lock, &until);
        }
        pthread_mutex_unlock(&d->lock);
    }
    printer_close(&p);
    pthread_mutex_lock(&d->lock);
    for (int i = 0; i < d->njobs; i++)
        job_free(&d->jobs[i]);
    d->njobs = 0;
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

/* --- sync with the registry: its own store connection, backoff with jitter --- */

/* The registry's status of some records, for the progress screen (DEV_STATUS). */
static void answer_status(struct devices *d, const struct http_tls *tls, const char *ids) {
    struct device_event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return;
    ev->kind = DEV_STATUS;
    char error[300];
    ev->ok =
        sync_status(tls, d->cfg.registry, ids, ev->text, sizeof ev->text, error, sizeof error) == 0;
    if (!ev->ok)
        snprintf(ev->text, sizeof ev->text, "%s", error);
    d->post(d->post_ctx, ev);
}

/* The heartbeat (DESIGN §5): version, backlog and last error (sync_heartbeat_with), the
 * update state with the release slot, each device's state, and the state directory's free
 * disk space. */
static int heartbeat(struct devices *d, struct store *s, const struct http_tls *tls,
                     const char *last_error, char *error, size_t errsize) {
    char *state = update_state_json(d->cfg.state_dir);
    cJSON *o = state ? cJSON_Parse(state) : NULL;
    free(state);
    if (!o)
        o = cJSON_CreateObject();
    char base[600], slot[64];
    snprintf(base, sizeof base, "%s/release", d->cfg.state_dir);
    slots_current(base, slot, sizeof slot);
    cJSON_AddStringToObject(o, "slot", slot[0] ? slot : "packaged");
    cJSON *dev = cJSON_AddObjectToObject(o, "devices");
    static const char *const names[] = {"reader", "printer", "scanner"};
    const char *configured[] = {d->cfg.idcard, d->cfg.printer, d->cfg.scanner};
    for (int i = 0; i < 3; i++) {
        const char *st = __atomic_load_n(&d->state[i], __ATOMIC_ACQUIRE);
        cJSON_AddStringToObject(dev, names[i], !configured[i][0] ? "absent" : st ? st : "probing");
    }
    struct statvfs vfs;
    if (statvfs(d->cfg.state_dir, &vfs) == 0)
        cJSON_AddNumberToObject(o, "disk_free_mib",
                                (double)((uint64_t)vfs.f_bavail * vfs.f_frsize >> 20));
    char *extra = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    int rc = sync_heartbeat_with(s, tls, d->cfg.registry, KIOSK_VERSION, last_error, extra, error,
                                 errsize);
    free(extra);
    return rc;
}

static void *sync_main(void *arg) {
    struct devices *d = arg;
    struct store *s = NULL;
    if (store_open(&s, d->cfg.state_dir, clock_system()) != STORE_OK) {
        post(d, DEV_SYNC_STATE, false, "the local store cannot be opened");
        return NULL;
    }
    struct http_tls tls;
    http_tls_from_dir(&tls, d->cfg.sync_tls);
    int backoff = 1;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)d;
    char last_error[300] = "";
    while (!d->stop) {
        char error[300] = "";
        struct sync_stats st;
        int rc = sync_ping(&tls, d->cfg.registry, error, sizeof error);
        if (rc == 0)
            rc = sync_drain(s, &tls, d->cfg.registry, 200, &st, error, sizeof error);
        if (rc == 0 && sync_pull_appointments(s, &tls, d->cfg.registry, error, sizeof error) < 0)
            rc = -1;
        if (rc == 0 && heartbeat(d, s, &tls, last_error, error, sizeof error) != 0)
            rc = -1;
        if (rc == 0 && sync_receipt_keys(s, &tls, d->cfg.registry, error, sizeof error) != 0)
            rc = -1;
        if (rc != 0)
            log_warn("sync", "registry: %s; next try in about %d s", error, backoff);
        /* the registry hears of a failure in the next heartbeat that gets through */
        snprintf(last_error, sizeof last_error, "%s", rc != 0 ? error : "");
        if (rc == 0) {
            char now[24];
            snprintf(now, sizeof now, "%lld", (long long)time(NULL));
            if (store_kv_set(s, SYNC_LAST_OK, now) != STORE_OK)
                log_warn("sync", "the time of the last sync cannot be kept");
        }
        struct device_event *ev = calloc(1, sizeof *ev);
        if (ev) {
            ev->kind = DEV_SYNC_STATE;
            ev->ok = rc == 0;
            snprintf(ev->text, sizeof ev->text, "%s", rc == 0 ? "" : error);
            d->post(d->post_ctx, ev);
        }
        /* ok: the jittered poll interval; failing: exponential backoff with jitter, 5 min cap */
        int wait_s = rc == 0 ? d->cfg.sync_interval_s : backoff;
        wait_s = wait_s / 2 + (int)(rand_r(&seed) % (unsigned)(wait_s / 2 + 1));
        backoff = rc == 0 ? 1 : (backoff * 2 > 300 ? 300 : backoff * 2);
        /* wait for the next cycle: its time, "sync now", or stop; status queries (the
         * progress screen) are answered meanwhile without a cycle */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += wait_s > 0 ? wait_s : 1;
        pthread_mutex_lock(&d->lock);
        for (;;) {
            if (d->stop || d->sync_requests)
                break;
            if (d->status_ids[0]) {
                char ids[sizeof d->status_ids];
                snprintf(ids, sizeof ids, "%s", d->status_ids);
                d->status_ids[0] = 0;
                pthread_mutex_unlock(&d->lock);
                answer_status(d, &tls, ids);
                pthread_mutex_lock(&d->lock);
                continue;
            }
            if (pthread_cond_timedwait(&d->wake, &d->lock, &until) == ETIMEDOUT)
                break;
        }
        d->sync_requests = 0;
        pthread_mutex_unlock(&d->lock);
    }
    store_close(s);
    return NULL;
}

void devices_status_query(struct devices *d, const char *ids) {
    pthread_mutex_lock(&d->lock);
    snprintf(d->status_ids, sizeof d->status_ids, "%s", ids);
    pthread_cond_broadcast(&d->wake);
    pthread_mutex_unlock(&d->lock);
}

/* --- the registry's commands: a long poll, each command made durable, then acknowledged --- */

#define COMMANDS_CURSOR "commands.cursor"

static void post_command(struct devices *d, enum device_command c, const char *text) {
    struct device_event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return;
    ev->kind = DEV_COMMAND;
    ev->ok = true;
    ev->status = c;
    if ((size_t)snprintf(ev->text, sizeof ev->text, "%s", text ? text : "") >= sizeof ev->text)
        log_warn("commands", "a command's text was cut to %zu bytes", sizeof ev->text - 1);
    d->post(d->post_ctx, ev);
}

/* Each step of an install goes to the registry at once in a heartbeat (a download's
 * progress at most every 2 s), so that an operator watches a rollout kiosk by kiosk. */
struct update_report {
    struct devices *d;
    struct store *s;
    struct http_tls tls;
    time_t last;
};

static void on_update_step(void *ctx, const struct update_progress *p) {
    struct update_report *u = ctx;
    time_t now = time(NULL);
    if (!strcmp(p->step, "downloading") && p->done > 0 && p->done < p->total && now - u->last < 2)
        return;
    u->last = now;
    char error[300];
    if (heartbeat(u->d, u->s, &u->tls, "", error, sizeof error) != 0)
        log_info("update", "step %s not reported now (%s); the next heartbeat carries it", p->step,
                 error);
    else if (strcmp(p->step, "downloading") != 0)
        log_info("update", "step %s reported to the registry", p->step);
}

/* A check for a release or content bundle and its install; result says what happened ("ok:
 * ..." or "failed: ..."), as the command's acknowledgement. An installed bundle is taken up
 * at the next return to home (content) or by a restart there (release). */
static void run_update(struct devices *d, struct store *s, const char *type, char *result,
                       size_t cap) {
    struct update_report rep = {.d = d, .s = s};
    http_tls_from_dir(&rep.tls, d->cfg.sync_tls);
    struct update_cfg u = {.state_dir = d->cfg.state_dir,
                           .registry = d->cfg.registry,
                           .type = type,
                           .channel = d->cfg.update_channel,
                           .hardware = d->cfg.update_hardware,
                           .tls = rep.tls,
                           .progress = on_update_step,
                           .progress_ctx = &rep,
                           .check = type[0] == 'c' ? app_content_check : NULL,
                           .cancel = &d->stop};
    if (!d->cfg.update_trust[0] ||
        trust_load(&u.trust, d->cfg.update_trust, d->cfg.update_threshold) != 0 || u.trust.n == 0) {
        snprintf(result, cap, "failed: no trusted keys configured ([update] trust)");
        return;
    }
    char version[64] = "", why[250] = "";
    enum update_result r = update_run(&u, version, sizeof version, why, sizeof why);
    if (r == UPDATE_INSTALLED)
        post_command(d, type[0] == 'c' ? CMD_CONTENT : CMD_RESTART, version);
    snprintf(result, cap, "%s%s%s",
             r == UPDATE_INSTALLED     ? "ok: installed "
             : r == UPDATE_NOTHING_NEW ? "ok: nothing newer, "
                                       : "failed: ",
             r == UPDATE_INSTALLED ? version : why,
             r == UPDATE_INSTALLED && type[0] == 'r' ? " (runs after the next restart)" : "");
}

/* Carries out one command; returns the result the registry is told ("ok" or why not). */
static const char *run_command(struct devices *d, struct store *s, const struct sync_command *c) {
    if (!strcmp(c->command, "sync")) {
        devices_sync_now(d);
        return "ok";
    }
    if (!strcmp(c->command, "lock") || !strcmp(c->command, "unlock")) {
        bool lock = c->command[0] == 'l';
        if (remote_lock_set(d->cfg.state_dir, lock) != 0)
            return "the lock file cannot be written";
        post_command(d, lock ? CMD_LOCK : CMD_UNLOCK, "");
        return "ok";
    }
    if (!strcmp(c->command, "notice")) {
        char text[sizeof c->arg];
        remote_notice_clean(text, sizeof text, c->arg);
        if (store_kv_set(s, REMOTE_NOTICE_KEY, text) != STORE_OK)
            return "the notice cannot be stored";
        post_command(d, CMD_NOTICE, text);
        return "ok";
    }
    if (!strcmp(c->command, "content") || !strcmp(c->command, "update"))
        return d->updater_on
                   ? "ok: started (its steps follow in heartbeats; the result replaces this)"
                   : "failed: no trusted keys configured ([update] trust)";
    return "unknown command";
}

/* Hands a release (0) or content (1) check to the updater; seq: the command to acknowledge
 * with its result (0: none). */
static void update_request(struct devices *d, int content, long seq) {
    pthread_mutex_lock(&d->lock);
    d->update_req |= 1 << content;
    d->update_seq[content] = seq;
    pthread_cond_broadcast(&d->wake);
    pthread_mutex_unlock(&d->lock);
}

static void *updater_main(void *arg) {
    struct devices *d = arg;
    struct store *s = NULL;
    if (store_open(&s, d->cfg.state_dir, clock_system()) != STORE_OK) {
        log_error("update", "the local store cannot be opened; no updates");
        return NULL;
    }
    struct http_tls tls;
    http_tls_from_dir(&tls, d->cfg.sync_tls);
    unsigned seed = (unsigned)time(NULL) ^ 0x3c3c3c3cu ^ (unsigned)(uintptr_t)s;
    /* the periodic check backs up the push channel: first within one period of the start,
     * then every period, each jittered by up to a fifth so that a fleet does not ask at once */
    int poll = d->cfg.update_poll_s;
    time_t next_check =
        poll ? time(NULL) + poll / 2 + (int)(rand_r(&seed) % (unsigned)(poll / 2 + 1)) : 0;
    pthread_mutex_lock(&d->lock);
    while (!d->stop) {
        bool periodic = poll && time(NULL) >= next_check;
        if (!d->update_req && !periodic) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += poll ? (next_check > time(NULL) ? next_check - time(NULL) : 1) : 3600;
            pthread_cond_timedwait(&d->wake, &d->lock, &until);
            continue;
        }
        int req = d->update_req | (periodic ? 3 : 0);
        long seqs[2] = {d->update_seq[0], d->update_seq[1]};
        d->update_req = 0;
        d->update_seq[0] = d->update_seq[1] = 0;
        pthread_mutex_unlock(&d->lock);
        if (periodic)
            next_check = time(NULL) + poll - poll / 5 +
                         (int)(rand_r(&seed) % (unsigned)(2 * (poll / 5) + 1));
        for (int i = 0; i < 2 && !d->stop; i++) {
            if (!(req & (1 << i)))
                continue;
            char result[300], error[300];
            run_update(d, s, i ? "content" : "release", result, sizeof result);
            if (seqs[i] &&
                sync_command_ack(&tls, d->cfg.registry, seqs[i], result, error, sizeof error) != 0)
                log_warn("update", "the result of command %ld was not delivered: %s", seqs[i],
                         error);
            else if (seqs[i])
                log_info("commands", "command %ld %s: %s", seqs[i], i ? "content" : "update",
                         result);
            else if (strncmp(result, "ok: nothing", 11) != 0)
                log_info("update", "periodic check of %s: %s", i ? "content" : "releases", result);
        }
        pthread_mutex_lock(&d->lock);
    }
    pthread_mutex_unlock(&d->lock);
    store_close(s);
    return NULL;
}

static void *commands_main(void *arg) {
    struct devices *d = arg;
    struct store *s = NULL;
    if (store_open(&s, d->cfg.state_dir, clock_system()) != STORE_OK) {
        log_error("commands", "the local store cannot be opened; no commands");
        return NULL;
    }
    struct http_tls tls;
    http_tls_from_dir(&tls, d->cfg.sync_tls);
    unsigned seed = (unsigned)time(NULL) ^ 0x5a5a5a5au ^ (unsigned)(uintptr_t)s;
    int backoff = 1;
    struct sync_command cmds[16];
    while (!d->stop) {
        char *cur = NULL, error[300] = "";
        store_kv_get(s, COMMANDS_CURSOR, &cur);
        long after = cur ? atol(cur) : 0;
        free(cur);
        int n = sync_commands_poll(&tls, d->cfg.registry, after, d->cfg.command_wait_s, &d->stop,
                                   cmds, 16, error, sizeof error);
        int i = 0;
        for (; i < n && !d->stop; i++) {
            const char *result = run_command(d, s, &cmds[i]);
            log_info("commands", "command %ld %s: %s", cmds[i].seq, cmds[i].command, result);
            char seq[32];
            snprintf(seq, sizeof seq, "%ld", cmds[i].seq);
            /* acknowledged, then the cursor moves: a crash in between repeats the command,
             * which every command allows (lock twice is locked) */
            if (sync_command_ack(&tls, d->cfg.registry, cmds[i].seq, result, error, sizeof error) !=
                    0 ||
                store_kv_set(s, COMMANDS_CURSOR, seq) != STORE_OK)
                break;
            /* an update goes to the updater once acknowledged: its result acknowledges again */
            if (d->updater_on &&
                (!strcmp(cmds[i].command, "update") || !strcmp(cmds[i].command, "content")))
                update_request(d, cmds[i].command[0] == 'c', cmds[i].seq);
        }
        if (n >= 0 && i == n) {
            backoff = 1;
            continue; /* straight back to waiting */
        }
        if (!d->stop)
            log_warn("commands", "push channel: %s; again in about %d s", error, backoff);
        int wait_s = backoff / 2 + (int)(rand_r(&seed) % (unsigned)(backoff / 2 + 1));
        backoff = backoff * 2 > 300 ? 300 : backoff * 2;
        pthread_mutex_lock(&d->lock);
        if (!d->stop) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += wait_s > 0 ? wait_s : 1;
            pthread_cond_timedwait(&d->wake, &d->lock, &until);
        }
        pthread_mutex_unlock(&d->lock);
    }
    store_close(s);
    return NULL;
}

void devices_sync_now(struct devices *d) {
    pthread_mutex_lock(&d->lock);
    d->sync_requests++;
    pthread_cond_broadcast(&d->wake);
    pthread_mutex_unlock(&d->lock);
}

int devices_start(struct devices *d, const struct devices_config *cfg, device_post_fn postfn,
                  void *ctx) {
    memset(d, 0, sizeof *d);
    d->cfg = *cfg;
    d->post = postfn;
    d->post_ctx = ctx;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->wake, NULL);
    if (cfg->idcard[0])
        d->reader_on = pthread_create(&d->reader, NULL, reader_main, d) == 0;
    if (cfg->scanner[0])
        d->scanner_on = pthread_create(&d->scanner, NULL, scanner_main, d) == 0;
    if (cfg->printer[0])
        d->printer_on = pthread_create(&d->printer, NULL, printer_main, d) == 0;
    if (cfg->registry[0])
        d->sync_on = pthread_create(&d->sync, NULL, sync_main, d) == 0;
    if (cfg->registry[0] && cfg->command_wait_s > 0)
        d->commands_on = pthread_create(&d->commands, NULL, commands_main, d) == 0;
    if (cfg->registry[0] && cfg->update_trust[0])
        d->updater_on = pthread_create(&d->updater, NULL, updater_main, d) == 0;
    return 0;
}

void devices_stop(struct devices *d) {
    pthread_mutex_lock(&d->lock);
    d->stop = true;
    pthread_cond_broadcast(&d->wake);
    pthread_mutex_unlock(&d->lock);
    if (d->reader_on)
        pthread_join(d->reader, NULL);
    if (d->scanner_on)
        pthread_join(d->scanner, NULL);
    if (d->printer_on)
        pthread_join(d->printer, NULL);
    if (d->sync_on)
        pthread_join(d->sync, NULL);
    if (d->commands_on)
        pthread_join(d->commands, NULL);
    if (d->updater_on)
        pthread_join(d->updater, NULL);
    d->reader_on = d->scanner_on = d->printer_on = d->sync_on = d->commands_on = false;
    d->updater_on = false;
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->wake);
}

int devices_print(struct devices *d, const uint8_t *data, size_t len, int tag) {
    uint8_t *copy = malloc(len);
    if (!copy)
        return -1;
    memcpy(copy, data, len);
    pthread_mutex_lock(&d->lock);
    int rc = -1;
    if (d->njobs < DEVICES_JOBS_MAX) {
        d->jobs[d->njobs++] = (struct print_job){copy, len, tag};
        rc = 0;
        pthread_cond_broadcast(&d->wake);
    }
    pthread_mutex_unlock(&d->lock);
    if (rc != 0) {
        explicit_bzero(copy, len);
        free(copy);
    }
    return rc;
}

void devices_print_test(struct devices *d) {
    struct print_job j = {0};
    if (build_test(d, &j) == 0 && devices_print(d, j.data, j.len, PRINT_TAG_TEST) != 0)
        log_warn("devices", "print queue full: test receipt dropped");
    job_free(&j);
}
