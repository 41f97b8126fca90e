/* commands: the push channel. Operators queue commands; kiosks long-poll GET /v1/commands, held by evhttp until a command for them is queued or the wait ends, and acknowledge each with its result. */
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "num.h"
#include "registry.h"
#include "rstore.h"

/* A kiosk's GET /v1/commands held open until a command for it is queued or its wait ends. */
struct waiter {
    struct registry *r;
    struct evhttp_request *req;
    struct evhttp_connection *conn;
    struct event *timer;
    struct event *gone; /* the kiosk's side of the connection closed (EV_CLOSED) */
    char kiosk[128];
    long after;
    struct waiter *next;
};

/* The commands with the registry's epoch: a kiosk whose epoch differs starts its cursors
 * again (a restored registry numbers its commands from where its backup was). */
static void reply_commands(struct registry *r, struct evhttp_request *req,
                           const struct rstore_rows *list) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "commands", rows_json(list));
    cJSON_AddStringToObject(o, "epoch", r->epoch);
    reply_json(req, 200, "OK", o);
}

static void waiter_free(struct waiter *w) {
    struct waiter **pp = &w->r->waiters;
    while (*pp && *pp != w)
        pp = &(*pp)->next;
    if (*pp)
        *pp = w->next;
    listener_conn_watch(w->conn); /* its close callback back: close_notify */
    event_free(w->timer);
    if (w->gone)
        event_free(w->gone);
    free(w);
}

/* The wait ended, or a command came: answer with what there is (maybe nothing). */
static void waiter_answer(struct waiter *w) {
    int n = 0;
    struct rstore_rows *list = rstore_commands_after(w->r->store, w->kiosk, w->after, &n);
    struct evhttp_request *req = w->req;
    struct registry *r = w->r;
    waiter_free(w);
    reply_commands(r, req, list);
    rstore_rows_free(list);
}

static void on_waiter_timeout(evutil_socket_t fd, short ev, void *arg) {
    (void)fd;
    (void)ev;
    waiter_answer(arg);
}

/* The kiosk went away while it waited: libevent frees its request; we forget it. */
static void on_waiter_close(struct evhttp_connection *c, void *arg) {
    waiter_free(arg);
    listener_conn_closing(c);
}

/* The kiosk closed its side mid-wait (4G dropped, the kiosk restarted): evhttp reads nothing
 * while it holds a request, so without this the socket stayed for the rest of the wait (up
 * to 55 s). The connection is freed at once, the poll with it. */
static void on_waiter_gone(evutil_socket_t fd, short ev, void *arg) {
    (void)fd;
    (void)ev;
    struct waiter *w = arg;
    struct evhttp_connection *conn = w->conn;
    log_debug("registry", "%s went away during its long poll: its connection closed", w->kiosk);
    waiter_free(w);
    evhttp_connection_free(conn);
}

#define COMMAND_WAIT_MAX 55

void get_commands(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    char *a = query_param(req, "after"), *wt = query_param(req, "wait");
    char *ep = query_param(req, "epoch");
    long after = (long)num_i64_or(a, 0, INT64_C(1) << 53, 0);
    /* a wait past the limit is held to it; one that is not a number is none; a kiosk of
     * another epoch is answered at once, so that it starts again without waiting */
    int64_t asked = num_i64_or(wt, INT64_MIN, INT64_MAX, 0);
    int wait_s = asked < 0 ? 0 : asked > COMMAND_WAIT_MAX ? COMMAND_WAIT_MAX : (int)asked;
    if (ep && strcmp(ep, r->epoch) != 0)
        wait_s = 0;
    free(a);
    free(wt);
    free(ep);
    int n = 0;
    struct rstore_rows *list = rstore_commands_after(r->store, p->cn, after, &n);
    struct waiter *w = n == 0 && list && wait_s > 0 ? calloc(1, sizeof *w) : NULL;
    if (!w) {
        if (list)
            reply_commands(r, req, list);
        else
            reply_error(req, 500, "Internal Server Error", "the commands cannot be read");
        rstore_rows_free(list);
        return;
    }
    rstore_rows_free(list);
    w->r = r;
    w->req = req;
    w->conn = evhttp_request_get_connection(req);
    w->after = after;
    snprintf(w->kiosk, sizeof w->kiosk, "%s", p->cn);
    w->timer = evtimer_new(r->base, on_waiter_timeout, w);
    /* held up to a fifth less than asked, at random: kiosks that all polled at once (after a
     * registry restart, a network fault) do not all come back in the same second */
    uint8_t rnd[2] = {0, 0};
    crypto_random(rnd, sizeof rnd);
    long hold_ms = wait_s * 1000L - (long)((rnd[0] << 8 | rnd[1]) % (wait_s * 200L + 1));
    struct timeval tv = {hold_ms / 1000, (hold_ms % 1000) * 1000};
    evtimer_add(w->timer, &tv);
    /* the connection's read/write timeout must outlast the wait */
    evhttp_connection_set_timeout(w->conn, wait_s + 15);
    evhttp_connection_set_closecb(w->conn, on_waiter_close, w);
    struct bufferevent *bev = evhttp_connection_get_bufferevent(w->conn);
    evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
    if (fd >= 0 && (event_base_get_features(r->base) & EV_FEATURE_EARLY_CLOSE)) {
        w->gone = event_new(r->base, fd, EV_CLOSED, on_waiter_gone, w);
        if (w->gone)
            event_add(w->gone, NULL);
    }
    w->next = r->waiters;
    r->waiters = w;
}

/* The polls this process holds for kiosk hear at once. */
static void wake_kiosk(const char *kiosk, void *arg) {
    struct registry *r = arg;
    for (struct waiter *w = r->waiters, *next; w; w = next) {
        next = w->next;
        if (!strcmp(w->kiosk, kiosk))
            waiter_answer(w);
    }
}

/* --- wake-ups from the other processes on the database (PostgreSQL's NOTIFY) ---
 * When the backend has them, a command queued here also comes back through them, and the
 * polls are answered from there only (once). When the channel breaks, every held poll is
 * answered (a command may have been missed) and the channel is made again each second;
 * meanwhile this process answers its own commands' polls itself. */
static void wake_start(struct registry *r);

static void on_wake_retry(evutil_socket_t fd, short ev, void *arg) {
    (void)fd;
    (void)ev;
    wake_start(arg);
}

static void on_wake(evutil_socket_t fd, short ev, void *arg) {
    (void)fd;
    (void)ev;
    struct registry *r = arg;
    if (rstore_wakes(r->store, wake_kiosk, r) == 0)
        return;
    event_free(r->wake);
    r->wake = NULL;
    while (r->waiters)
        waiter_answer(r->waiters);
    struct timeval tv = {1, 0};
    event_base_once(r->base, -1, EV_TIMEOUT, on_wake_retry, r, &tv);
}

static void wake_start(struct registry *r) {
    int fd = rstore_wake_fd(r->store);
    if (fd < 0) {
        if (r->store->ops->wake_fd) { /* a backend of several processes, its channel down */
            struct timeval tv = {1, 0};
            event_base_once(r->base, -1, EV_TIMEOUT, on_wake_retry, r, &tv);
        }
        return;
    }
    r->wake = event_new(r->base, fd, EV_READ | EV_PERSIST, on_wake, r);
    if (!r->wake || event_add(r->wake, NULL) != 0) {
        event_free(r->wake);
        r->wake = NULL;
        return;
    }
    log_info("registry", "long polls hear of commands queued by other registry processes");
}

void commands_init(struct registry *r) {
    wake_start(r);
}

void commands_fini(struct registry *r) {
    if (r->wake)
        event_free(r->wake);
    r->wake = NULL;
}

long commands_push(struct registry *r, const char *kiosk, const char *cmd, const char *arg) {
    long seq = rstore_command_add(r->store, kiosk, cmd, arg);
    if (seq < 0)
        return -1;
    log_info("registry", "command %ld %s queued for %s", seq, cmd, kiosk);
    if (!r->wake)
        wake_kiosk(kiosk, r); /* else its wake-up comes back to this process too */
    return seq;
}

static bool command_known(const char *c) {
    static const char *const known[] = {"sync", "lock", "unlock", "notice", "update", "content"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(c, known[i]))
            return true;
    return false;
}

/* {"kiosk":"ID","command":"lock","arg":"..."} -> {"seq":N}; waiting kiosks hear at once. */
void post_command(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    (void)rest;
    cJSON *body = body_json(req);
    const char *kiosk = cJSON_GetStringValue(cJSON_GetObjectItem(body, "kiosk"));
    const char *cmd = cJSON_GetStringValue(cJSON_GetObjectItem(body, "command"));
    const cJSON *argj = cJSON_GetObjectItem(body, "arg");
    const char *arg = cJSON_IsString(argj) ? argj->valuestring : "";
    if (!kiosk || !*kiosk || strlen(kiosk) > 64 || !cmd || !command_known(cmd) ||
        (argj && !cJSON_IsString(argj)) || strlen(arg) > 600) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request",
                    "expected {\"kiosk\":ID,\"command\":\"sync|lock|unlock|notice|update|content\","
                    "\"arg\":TEXT} (TEXT at most 600 bytes)");
        return;
    }
    long seq = commands_push(r, kiosk, cmd, arg);
    if (seq < 0) {
        cJSON_Delete(body);
        reply_error(req, 500, "Internal Server Error", "the command cannot be stored");
        return;
    }
    cJSON_Delete(body);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "seq", (double)seq);
    reply_json(req, 200, "OK", o);
}

void get_command_list(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    (void)rest;
    char *kiosk = query_param(req, "kiosk");
    struct rstore_rows *list = rstore_commands_list(r->store, kiosk);
    free(kiosk);
    if (list)
        reply_commands(r, req, list);
    else
        reply_error(req, 500, "Internal Server Error", "the commands cannot be read");
    rstore_rows_free(list);
}

/* POST /v1/commands/SEQ/ack {"result":"ok"|reason} */
void post_ack(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    char *end = NULL;
    long seq = strtol(rest, &end, 10); /* rest: "SEQ/ack" */
    cJSON *body = body_json(req);
    const char *result = cJSON_GetStringValue(cJSON_GetObjectItem(body, "result"));
    if (!end || strcmp(end, "/ack") != 0 || seq <= 0 || !result || strlen(result) > 600) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request", "expected POST /v1/commands/SEQ/ack {\"result\":...}");
        return;
    }
    int rc = rstore_command_ack(r->store, p->cn, seq, result);
    cJSON_Delete(body);
    if (rc == 1)
        reply_error(req, 404, "Not Found",
                    "this kiosk has no such open command (unknown, or acknowledged already: an "
                    "acknowledgement is final)");
    else if (rc != 0)
        reply_error(req, 500, "Internal Server Error", "the acknowledgement cannot be stored");
    else
        reply_json(req, 200, "OK", cJSON_CreateObject());
}
