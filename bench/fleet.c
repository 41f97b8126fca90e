/* fleet: a fleet of simulated kiosks against one or more registryd (issue 17), each kiosk with
 * its own client certificate, doing what a kiosk does on the wire: a long poll for commands
 * held open on its own connection, heartbeats on a second connection that is reopened (TLS
 * session resumed) when the registry closed it idle, acknowledgements of the commands it gets,
 * and, with --records, batches of check-ins sent until the registry answered each record
 * (accepted or duplicate), retried on any failure. An operator (this process) posts commands
 * to random kiosks through the admin API; a command's delivery time is from its post to its
 * arrival in the kiosk's poll answer.
 *
 *   fleet --pki DIR --target HOST:PORT [--target HOST:PORT ...] --kiosks N [--procs P]
 *         [--offices K] [--heartbeat S] [--duration S] [--ramp PER_S] [--records R]
 *         [--batch B] [--commands PER_S] [--wait S]
 *
 * --heartbeat 0: none (with --records: each worker ends when its kiosks sent every record,
 * or at --duration);
 * Kiosk i is YT-BENCH-i of office 37BBxx (K offices); kiosks are spread over the targets and
 * over P worker processes (each binds to its own loopback address, 127.0.0.(10+w), so that the
 * connections do not run out of ports). Prints one JSON object on stdout: the counts, and the
 * heartbeat latencies after the ramp (p50, p99, max) and the command deliveries. The caller
 * (bench/fleet.sh) adds the registry processes' RSS and CPU and counts records at the
 * database. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crypto_pki.h"

#define TARGETS_MAX 8
#define PROCS_MAX 16
#define IDLE_REOPEN_S 25 /* the registry closes a kept connection after 30 s idle */

struct opts {
    const char *pki;
    char host[TARGETS_MAX][64];
    int port[TARGETS_MAX], ntargets;
    int kiosks, procs, offices, heartbeat_s, duration_s, ramp, records, batch, wait_s;
    double commands;
};

/* What a worker tells the parent at the end. */
struct counts {
    long hb_ok, hb_err, polls, poll_err, cmds, acks, rec_accepted, rec_duplicate, rec_err;
    long connects, connect_err, resumed, kiosks_done;
};

struct sample {
    double at, ms; /* at: seconds since the start */
};

struct samples {
    struct sample *v;
    size_t n, cap;
};

static void add(struct samples *s, double at, double ms) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            abort();
    }
    s->v[s->n++] = (struct sample){at, ms};
}

static double mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long long wall_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* --- one worker's kiosks --- */

struct worker;
struct kiosk {
    struct worker *w;
    int idx, target;
    char id[40], office[16], key64[48];
    X509 *cert;
    EVP_PKEY *key;
    SSL_SESSION *sess;
    struct evhttp_connection *poll, *sync;
    double sync_used;
    long after;       /* the last command seq handled */
    long next_record; /* records sent and answered */
    struct event *hb, *retry, *repoll;
    bool started;
};

struct worker {
    const struct opts *o;
    struct event_base *base;
    SSL_CTX *ctx;
    struct kiosk *k;
    int first, n, started;
    char local[32];
    double t0;
    struct counts c;
    struct samples hb, cmd;
    struct event *ramp, *stop;
};

static int kiosk_idx = -1, counted_idx = -1; /* SSL ex_data: its kiosk; resumption counted */

static struct evhttp_connection *connect_to(struct kiosk *k) {
    struct worker *w = k->w;
    SSL *ssl = SSL_new(w->ctx);
    if (!ssl || SSL_use_certificate(ssl, k->cert) != 1 || SSL_use_PrivateKey(ssl, k->key) != 1) {
        SSL_free(ssl);
        w->c.connect_err++;
        return NULL;
    }
    SSL_set_ex_data(ssl, kiosk_idx, k);
    if (k->sess)
        SSL_set_session(ssl, k->sess);
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        w->base, -1, ssl, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
    if (!bev) {
        w->c.connect_err++;
        return NULL;
    }
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    struct evhttp_connection *c = evhttp_connection_base_bufferevent_new(
        w->base, NULL, bev, w->o->host[k->target], (unsigned short)w->o->port[k->target]);
    if (!c) {
        bufferevent_free(bev);
        w->c.connect_err++;
        return NULL;
    }
    evhttp_connection_set_local_address(c, w->local);
    evhttp_connection_set_timeout(c, w->o->wait_s + 30);
    evhttp_connection_set_retries(c, 0);
    w->c.connects++;
    return c;
}

/* After a request on c finished: counted when its connection resumed a session. */
static void keep_session(struct kiosk *k, struct evhttp_connection *c) {
    struct bufferevent *bev = evhttp_connection_get_bufferevent(c);
    SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;
    if (ssl && SSL_session_reused(ssl) && !SSL_get_ex_data(ssl, counted_idx)) {
        SSL_set_ex_data(ssl, counted_idx, (void *)1);
        k->w->c.resumed++;
    }
}

/* A session ticket the registry sent (TLS 1.3 sends them after the handshake, a new one after
 * each resumption, each good once): the kiosk's next connection resumes with it, as curl's
 * session cache does. */
static int on_new_session(SSL *ssl, SSL_SESSION *s) {
    struct kiosk *k = SSL_get_ex_data(ssl, kiosk_idx);
    if (!k)
        return 0;
    SSL_SESSION_free(k->sess);
    k->sess = s;
    return 1; /* kept */
}

/* Frees a connection as curl closes one: its TLS session marked shut down, so that OpenSSL
 * keeps the session's ticket resumable (one freed mid-session is struck off, and the kiosk's
 * next connection would be a full handshake). */
static void conn_free(struct evhttp_connection *c) {
    struct bufferevent *bev = evhttp_connection_get_bufferevent(c);
    SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;
    if (ssl)
        SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    evhttp_connection_free(c);
}

static void free_later_cb(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    conn_free(arg);
}

/* A connection that failed: freed once its callback returned. */
static void drop(struct worker *w, struct evhttp_connection **c) {
    if (*c) {
        struct timeval now = {0, 0};
        event_base_once(w->base, -1, EV_TIMEOUT, free_later_cb, *c, &now);
        *c = NULL;
    }
}

static bool ok_response(struct evhttp_request *req) {
    return req && evhttp_request_get_response_code(req) == 200;
}

static char *body_of(struct evhttp_request *req) {
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t n = evbuffer_get_length(in);
    char *t = malloc(n + 1);
    if (t) {
        evbuffer_remove(in, t, n);
        t[n] = 0;
    }
    return t;
}

/* TCP_NODELAY on a connection's socket (made by the request just queued), as curl sets it on
 * the kiosk's: a request in two TLS records does not wait for the delayed ACK. */
static void nodelay(struct evhttp_connection *c) {
    struct bufferevent *bev = evhttp_connection_get_bufferevent(c);
    evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static bool send_request(struct kiosk *k, struct evhttp_connection **c, enum evhttp_cmd_type m,
                         const char *path, const char *body,
                         void (*cb)(struct evhttp_request *, void *), void *arg) {
    if (!*c && !(*c = connect_to(k)))
        return false;
    struct evhttp_request *req = evhttp_request_new(cb, arg);
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Host", "registry");
    if (body) {
        evhttp_add_header(h, "Content-Type", "application/json");
        evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
    }
    if (evhttp_make_request(*c, req, m, path) != 0) {
        drop(k->w, c);
        return false;
    }
    nodelay(*c);
    return true;
}

static void poll_once(struct kiosk *k);
static void send_records(struct kiosk *k);

static void retry_cb(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    struct kiosk *k = arg;
    if (k->w->o->records && k->next_record < k->w->o->records)
        send_records(k);
}

static void later(struct kiosk *k, double s) {
    struct timeval tv = {(time_t)s, (suseconds_t)((s - floor(s)) * 1e6)};
    evtimer_add(k->retry, &tv);
}

static void ack_done(struct evhttp_request *req, void *arg) {
    struct kiosk *k = arg;
    if (ok_response(req))
        k->w->c.acks++;
    else
        drop(k->w, &k->sync);
}

static void poll_done(struct evhttp_request *req, void *arg) {
    struct kiosk *k = arg;
    struct worker *w = k->w;
    if (!ok_response(req)) {
        w->c.poll_err++;
        drop(w, &k->poll);
        struct timeval tv = {1, (suseconds_t)(rand() % 1000000)}; /* again in 1 to 2 s */
        evtimer_add(k->repoll, &tv);
        return;
    }
    w->c.polls++;
    keep_session(k, k->poll);
    char *text = body_of(req);
    cJSON *ans = text ? cJSON_Parse(text) : NULL, *c;
    free(text);
    long long now = wall_ms();
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(ans, "commands")) {
        long seq = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "seq"));
        const char *arg_ = cJSON_GetStringValue(cJSON_GetObjectItem(c, "arg"));
        if (seq <= k->after)
            continue;
        k->after = seq;
        w->c.cmds++;
        if (arg_)
            add(&w->cmd, mono() - w->t0, (double)(now - atoll(arg_)));
        char path[64];
        snprintf(path, sizeof path, "/v1/commands/%ld/ack", seq);
        if (!send_request(k, &k->sync, EVHTTP_REQ_POST, path, "{\"result\":\"ok\"}", ack_done, k))
            w->c.connect_err++;
        k->sync_used = mono();
    }
    cJSON_Delete(ans);
    poll_once(k);
}

static void poll_once(struct kiosk *k) {
    char path[96];
    snprintf(path, sizeof path, "/v1/commands?after=%ld&wait=%d", k->after, k->w->o->wait_s);
    if (!send_request(k, &k->poll, EVHTTP_REQ_GET, path, NULL, poll_done, k)) {
        k->w->c.poll_err++;
        struct timeval tv = {1, (suseconds_t)(rand() % 1000000)};
        evtimer_add(k->repoll, &tv);
    }
}

static void repoll_cb(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    poll_once(arg);
}

struct hb_ctx {
    struct kiosk *k;
    double start;
};

static void hb_done(struct evhttp_request *req, void *arg) {
    struct hb_ctx *h = arg;
    struct kiosk *k = h->k;
    struct worker *w = k->w;
    if (ok_response(req)) {
        w->c.hb_ok++;
        add(&w->hb, h->start - w->t0, (mono() - h->start) * 1000);
        keep_session(k, k->sync);
    } else {
        w->c.hb_err++;
        drop(w, &k->sync);
    }
    free(h);
}

static void hb_cb(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    struct kiosk *k = arg;
    struct worker *w = k->w;
    double now = mono();
    if (k->sync && now - k->sync_used > IDLE_REOPEN_S) { /* closed by the registry by now */
        conn_free(k->sync);
        k->sync = NULL;
    }
    char body[600];
    snprintf(body, sizeof body,
             "{\"version\":\"1.0.0-bench\",\"backlog\":0,\"last_error\":\"\",\"receipt_key\":"
             "\"%s\",\"role\":\"kiosk\",\"devices\":{\"reader\":\"ok\",\"printer\":\"ok\","
             "\"scanner\":\"ok\"},\"disk_free_mb\":12000,\"screen\":\"home\",\"update\":"
             "{\"state\":\"idle\",\"release\":\"1.0.0\"}}",
             k->key64);
    struct hb_ctx *h = malloc(sizeof *h);
    *h = (struct hb_ctx){k, now};
    if (!send_request(k, &k->sync, EVHTTP_REQ_POST, "/v1/heartbeat", body, hb_done, h)) {
        w->c.hb_err++;
        free(h);
    }
    k->sync_used = now;
    /* the next in heartbeat seconds, ±10 % */
    double s = w->o->heartbeat_s * (0.9 + 0.2 * (double)rand() / RAND_MAX);
    struct timeval tv = {(time_t)s, (suseconds_t)((s - floor(s)) * 1e6)};
    evtimer_add(k->hb, &tv);
}

static void records_done(struct evhttp_request *req, void *arg) {
    struct kiosk *k = arg;
    struct worker *w = k->w;
    char *text = ok_response(req) ? body_of(req) : NULL;
    cJSON *ans = text ? cJSON_Parse(text) : NULL, *r;
    free(text);
    int answered = 0;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(ans, "results")) {
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(r, "status"));
        if (st && !strcmp(st, "accepted"))
            w->c.rec_accepted++, answered++;
        else if (st && !strcmp(st, "duplicate"))
            w->c.rec_duplicate++, answered++;
    }
    cJSON_Delete(ans);
    int want = w->o->records - (int)k->next_record < w->o->batch
                   ? w->o->records - (int)k->next_record
                   : w->o->batch;
    if (answered != want) { /* not answered whole: the same batch again shortly */
        w->c.rec_err++;
        drop(w, &k->sync);
        later(k, 0.2 + 0.3 * (double)rand() / RAND_MAX);
        return;
    }
    keep_session(k, k->sync);
    k->next_record += answered;
    if (k->next_record < w->o->records)
        send_records(k);
    else if (++w->c.kiosks_done == w->n && !w->o->heartbeat_s)
        event_base_loopexit(w->base, NULL); /* records only: this worker is done */
}

static void send_records(struct kiosk *k) {
    struct worker *w = k->w;
    int n = w->o->records - (int)k->next_record < w->o->batch ? w->o->records - (int)k->next_record
                                                                 : w->o->batch;
    size_t cap = (size_t)n * 200 + 32;
    char *body = malloc(cap);
    size_t len = (size_t)snprintf(body, cap, "{\"records\":[");
    for (int i = 0; i < n; i++) {
        long r = k->next_record + i;
        len += (size_t)snprintf(body + len, cap - len,
                                "%s{\"id\":\"%08x-0000-7000-8000-%012lx\",\"payload\":{\"business\":"
                                "\"marriage\",\"walk_in\":true,\"queue_no\":\"A%03ld\"}}",
                                i ? "," : "", (unsigned)k->idx, r, r % 1000);
    }
    snprintf(body + len, cap - len, "]}");
    if (!send_request(k, &k->sync, EVHTTP_REQ_POST, "/v1/checkins", body, records_done, k)) {
        w->c.rec_err++;
        later(k, 0.5);
    }
    k->sync_used = mono();
    free(body);
}

static void start_kiosk(struct kiosk *k) {
    struct worker *w = k->w;
    k->started = true;
    k->hb = evtimer_new(w->base, hb_cb, k);
    k->retry = evtimer_new(w->base, retry_cb, k);
    k->repoll = evtimer_new(w->base, repoll_cb, k);
    poll_once(k);
    double s = w->o->heartbeat_s * (double)rand() / RAND_MAX;
    struct timeval tv = {(time_t)s, (suseconds_t)((s - floor(s)) * 1e6)};
    if (w->o->heartbeat_s)
        evtimer_add(k->hb, &tv);
    if (w->o->records)
        send_records(k);
}

/* Starts this worker's share of the ramp every 10 ms. */
static void ramp_cb(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    struct worker *w = arg;
    double due = (mono() - w->t0) * w->o->ramp / w->o->procs;
    while (w->started < w->n && w->started < due)
        start_kiosk(&w->k[w->started++]);
    if (w->started >= w->n)
        event_del(w->ramp);
}

static void stop_cb(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    event_base_loopexit(((struct worker *)arg)->base, NULL);
}

/* The registry's close_notify (it closed an idle connection): answered as curl answers it,
 * with the kiosk's own (marked here: evhttp closes the socket itself), so that OpenSSL keeps
 * the session resumable instead of striking it off as a connection cut short. */
static void on_client_info(const SSL *ssl, int where, int ret) {
    if ((where & SSL_CB_READ_ALERT) && (ret & 0xff) == SSL_AD_CLOSE_NOTIFY)
        SSL_set_shutdown((SSL *)ssl, SSL_get_shutdown(ssl) | SSL_SENT_SHUTDOWN);
}

static SSL_CTX *client_ctx(const char *pki, const char *cert, const char *key) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    char ca[600];
    snprintf(ca, sizeof ca, "%s/ca.crt", pki);
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_load_verify_locations(ctx, ca, NULL);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_sess_set_new_cb(ctx, on_new_session);
    SSL_CTX_set_info_callback(ctx, on_client_info);
    if (cert && (SSL_CTX_use_certificate_file(ctx, cert, SSL_FILETYPE_PEM) != 1 ||
                 SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

static int pem_pair(const char *cert_pem, const char *key_pem, X509 **c, EVP_PKEY **k) {
    BIO *b = BIO_new_mem_buf(cert_pem, -1);
    *c = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    b = BIO_new_mem_buf(key_pem, -1);
    *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
    BIO_free(b);
    return *c && *k ? 0 : -1;
}

static void write_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w <= 0 && errno != EINTR)
            return;
        if (w > 0)
            c += w, n -= (size_t)w;
    }
}

static int run_worker(const struct opts *o, int wi, struct pki_issuer *is, int out) {
    struct worker w = {.o = o};
    w.first = (int)((long)o->kiosks * wi / o->procs);
    w.n = (int)((long)o->kiosks * (wi + 1) / o->procs) - w.first;
    snprintf(w.local, sizeof w.local, "127.0.0.%d", 10 + wi);
    srand((unsigned)(getpid() ^ time(NULL)));
    w.k = calloc((size_t)w.n, sizeof *w.k);
    for (int i = 0; i < w.n; i++) {
        struct kiosk *k = &w.k[i];
        k->w = &w;
        k->idx = w.first + i;
        k->target = k->idx % o->ntargets;
        snprintf(k->id, sizeof k->id, "YT-BENCH-%05d", k->idx);
        snprintf(k->office, sizeof k->office, "37%04d", 9000 + k->idx % o->offices);
        char *cp = NULL, *kp = NULL;
        uint8_t raw[32];
        RAND_bytes(raw, sizeof raw);
        static const char b64[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int j = 0; j < 43; j++) /* 43 base64url digits: 32 bytes, the last 2 bits 0 */
            k->key64[j] = b64[j < 42 ? raw[j % 32] & 63 : (raw[31] & 15) << 2];
        k->key64[43] = 0;
        if (pki_issuer_kiosk(is, k->id, k->office, 30, &cp, &kp) != 0 ||
            pem_pair(cp, kp, &k->cert, &k->key) != 0) {
            fprintf(stderr, "fleet: cannot make the certificate of %s\n", k->id);
            return 1;
        }
        free(cp);
        free(kp);
    }
    w.base = event_base_new();
    kiosk_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    counted_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    w.ctx = client_ctx(o->pki, NULL, NULL);
    w.t0 = mono();
    w.ramp = event_new(w.base, -1, EV_PERSIST, ramp_cb, &w);
    struct timeval tick = {0, 10000}, end = {o->duration_s, 0};
    event_add(w.ramp, &tick);
    w.stop = evtimer_new(w.base, stop_cb, &w);
    evtimer_add(w.stop, &end);
    event_base_dispatch(w.base);
    write_all(out, &w.c, sizeof w.c);
    write_all(out, &w.hb.n, sizeof w.hb.n);
    write_all(out, w.hb.v, w.hb.n * sizeof *w.hb.v);
    write_all(out, &w.cmd.n, sizeof w.cmd.n);
    write_all(out, w.cmd.v, w.cmd.n * sizeof *w.cmd.v);
    close(out);
    return 0;
}

/* --- the operator: commands to random kiosks --- */

struct commander {
    const struct opts *o;
    struct event_base *base;
    SSL_CTX *ctx;
    struct evhttp_connection *c;
    double t0, ramp_end;
    long posted, post_err;
    struct event *tick;
};

static void post_done(struct evhttp_request *req, void *arg) {
    struct commander *m = arg;
    if (ok_response(req))
        m->posted++;
    else {
        m->post_err++;
        struct timeval now = {0, 0};
        if (m->c)
            event_base_once(m->base, -1, EV_TIMEOUT, free_later_cb, m->c, &now);
        m->c = NULL;
    }
}

static void command_cb(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    struct commander *m = arg;
    double t = mono() - m->t0;
    if (t < m->ramp_end || t > m->o->duration_s - 10)
        return;
    if (!m->c) {
        SSL *ssl = SSL_new(m->ctx);
        struct bufferevent *bev = bufferevent_openssl_socket_new(
            m->base, -1, ssl, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
        m->c = evhttp_connection_base_bufferevent_new(m->base, NULL, bev, m->o->host[0],
                                                      (unsigned short)m->o->port[0]);
        evhttp_connection_set_retries(m->c, 0);
        evhttp_connection_set_timeout(m->c, 20);
    }
    char body[200];
    snprintf(body, sizeof body, "{\"kiosk\":\"YT-BENCH-%05d\",\"command\":\"notice\",\"arg\":"
             "\"%lld\"}", rand() % m->o->kiosks, wall_ms());
    struct evhttp_request *req = evhttp_request_new(post_done, m);
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Host", "registry");
    evhttp_add_header(h, "Content-Type", "application/json");
    evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
    if (evhttp_make_request(m->c, req, EVHTTP_REQ_POST, "/v1/admin/commands") != 0)
        m->post_err++;
    else
        nodelay(m->c);
}

static void commander_stop(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    event_base_loopexit(arg, NULL);
}

/* --- the report --- */

static int by_ms(const void *a, const void *b) {
    double x = ((const struct sample *)a)->ms, y = ((const struct sample *)b)->ms;
    return x < y ? -1 : x > y;
}

static void stats(cJSON *o, const char *name, struct samples *s, double from) {
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].at >= from)
            s->v[k++] = s->v[i];
    s->n = k;
    qsort(s->v, s->n, sizeof *s->v, by_ms);
    cJSON *x = cJSON_AddObjectToObject(o, name);
    cJSON_AddNumberToObject(x, "n", (double)s->n);
    if (!s->n)
        return;
    cJSON_AddNumberToObject(x, "p50_ms", round(s->v[s->n / 2].ms));
    cJSON_AddNumberToObject(x, "p99_ms", round(s->v[(size_t)((double)s->n * 0.99)].ms));
    cJSON_AddNumberToObject(x, "max_ms", round(s->v[s->n - 1].ms));
}

static int usage(void) {
    fprintf(stderr, "usage: fleet --pki DIR --target HOST:PORT [--target ...] --kiosks N "
                    "[--procs P] [--offices K] [--heartbeat S] [--duration S] [--ramp PER_S] "
                    "[--records R --batch B] [--commands PER_S] [--wait S]\n");
    return 2;
}

int main(int argc, char **argv) {
    struct opts o = {.procs = 2, .offices = 13, .heartbeat_s = 60, .duration_s = 120,
                     .ramp = 500, .batch = 100, .wait_s = 50};
    static const struct option lo[] = {
        {"pki", 1, 0, 'p'},       {"target", 1, 0, 't'},   {"kiosks", 1, 0, 'n'},
        {"procs", 1, 0, 'P'},     {"offices", 1, 0, 'o'},  {"heartbeat", 1, 0, 'h'},
        {"duration", 1, 0, 'd'},  {"ramp", 1, 0, 'r'},     {"records", 1, 0, 'R'},
        {"batch", 1, 0, 'b'},     {"commands", 1, 0, 'c'}, {"wait", 1, 0, 'w'},
        {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (ch) {
        case 'p': o.pki = optarg; break;
        case 't': {
            const char *colon = strrchr(optarg, ':');
            if (!colon || o.ntargets == TARGETS_MAX)
                return usage();
            snprintf(o.host[o.ntargets], sizeof o.host[0], "%.*s", (int)(colon - optarg), optarg);
            o.port[o.ntargets++] = atoi(colon + 1);
            break;
        }
        case 'n': o.kiosks = atoi(optarg); break;
        case 'P': o.procs = atoi(optarg); break;
        case 'o': o.offices = atoi(optarg); break;
        case 'h': o.heartbeat_s = atoi(optarg); break;
        case 'd': o.duration_s = atoi(optarg); break;
        case 'r': o.ramp = atoi(optarg); break;
        case 'R': o.records = atoi(optarg); break;
        case 'b': o.batch = atoi(optarg); break;
        case 'c': o.commands = atof(optarg); break;
        case 'w': o.wait_s = atoi(optarg); break;
        default: return usage();
        }
    }
    if (!o.pki || !o.ntargets || o.kiosks < 1 || o.procs < 1 || o.procs > PROCS_MAX ||
        o.offices < 1 || o.heartbeat_s < 0 || o.duration_s < 5 || o.ramp < 1 || o.batch < 1 ||
        o.batch > 200 || o.wait_s < 1)
        return usage();
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    char err[300];
    struct pki_issuer *is = pki_issuer_open(o.pki, err, sizeof err);
    if (!is) {
        fprintf(stderr, "fleet: %s\n", err);
        return 1;
    }
    int fds[PROCS_MAX];
    pid_t pids[PROCS_MAX];
    for (int i = 0; i < o.procs; i++) {
        int p[2];
        if (pipe(p) != 0)
            return 1;
        pids[i] = fork();
        if (pids[i] == 0) {
            close(p[0]);
            _exit(run_worker(&o, i, is, p[1]));
        }
        close(p[1]);
        fds[i] = p[0];
    }
    double ramp_end = (double)o.kiosks / o.ramp + 5;
    struct commander m = {.o = &o, .t0 = mono(), .ramp_end = ramp_end};
    if (o.commands > 0) {
        char cert[600], key[600];
        snprintf(cert, sizeof cert, "%s/operator.crt", o.pki);
        snprintf(key, sizeof key, "%s/operator.key", o.pki);
        m.base = event_base_new();
        m.ctx = client_ctx(o.pki, cert, key);
        m.tick = event_new(m.base, -1, EV_PERSIST, command_cb, &m);
        double every = 1.0 / o.commands;
        struct timeval tv = {(time_t)every, (suseconds_t)((every - floor(every)) * 1e6)};
        event_add(m.tick, &tv);
        struct timeval end = {o.duration_s, 0};
        event_base_once(m.base, -1, EV_TIMEOUT, commander_stop, m.base, &end);
        event_base_dispatch(m.base);
        if (m.c)
            evhttp_connection_free(m.c);
        event_free(m.tick);
        event_base_free(m.base);
        SSL_CTX_free(m.ctx);
    }
    struct counts all = {0};
    struct samples hb = {0}, cmd = {0};
    for (int i = 0; i < o.procs; i++) {
        FILE *f = fdopen(fds[i], "rb");
        struct counts c;
        size_t n = 0;
        if (!f || fread(&c, sizeof c, 1, f) != 1) {
            fprintf(stderr, "fleet: worker %d gave no report\n", i);
            return 1;
        }
        long *a = (long *)&all, *b = (long *)&c;
        for (size_t j = 0; j < sizeof c / sizeof(long); j++)
            a[j] += b[j];
        for (struct samples *s = &hb; s; s = s == &hb ? &cmd : NULL) {
            if (fread(&n, sizeof n, 1, f) != 1)
                return 1;
            for (size_t j = 0; j < n; j++) {
                struct sample x;
                if (fread(&x, sizeof x, 1, f) != 1)
                    return 1;
                add(s, x.at, x.ms);
            }
        }
        fclose(f);
        int st;
        waitpid(pids[i], &st, 0);
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "kiosks", o.kiosks);
    cJSON_AddNumberToObject(out, "targets", o.ntargets);
    cJSON_AddNumberToObject(out, "heartbeat_s", o.heartbeat_s);
    cJSON_AddNumberToObject(out, "duration_s", o.duration_s);
    cJSON_AddNumberToObject(out, "ramp_s", round(ramp_end));
    cJSON_AddNumberToObject(out, "connects", (double)all.connects);
    cJSON_AddNumberToObject(out, "connect_errors", (double)all.connect_err);
    cJSON_AddNumberToObject(out, "resumed", (double)all.resumed);
    cJSON_AddNumberToObject(out, "heartbeats", (double)all.hb_ok);
    cJSON_AddNumberToObject(out, "heartbeat_errors", (double)all.hb_err);
    cJSON_AddNumberToObject(out, "polls", (double)all.polls);
    cJSON_AddNumberToObject(out, "poll_errors", (double)all.poll_err);
    cJSON_AddNumberToObject(out, "commands_posted", (double)m.posted);
    cJSON_AddNumberToObject(out, "command_post_errors", (double)m.post_err);
    cJSON_AddNumberToObject(out, "commands_received", (double)all.cmds);
    cJSON_AddNumberToObject(out, "acks", (double)all.acks);
    cJSON_AddNumberToObject(out, "records_accepted", (double)all.rec_accepted);
    cJSON_AddNumberToObject(out, "records_duplicate", (double)all.rec_duplicate);
    cJSON_AddNumberToObject(out, "record_batch_errors", (double)all.rec_err);
    cJSON_AddNumberToObject(out, "kiosks_all_records_sent", (double)all.kiosks_done);
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru); /* the workers: the kiosks' side of the handshakes */
    cJSON_AddNumberToObject(out, "fleet_cpu_s",
                            round((double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                                  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6));
    struct samples last = {0};
    for (size_t i = 0; i < hb.n; i++)
        add(&last, hb.v[i].at, hb.v[i].ms);
    stats(out, "heartbeat_last_60s", &last, o.duration_s - 60);
    free(last.v);
    stats(out, "heartbeat_after_ramp", &hb, ramp_end);
    stats(out, "command_delivery", &cmd, 0);
    char *text = cJSON_PrintUnformatted(out);
    printf("%s\n", text);
    free(text);
    cJSON_Delete(out);
    pki_issuer_free(is);
    free(hb.v);
    free(cmd.v);
    return 0;
}
