/* server: TLS 1.3 (OpenSSL) with mutual TLS on the main listener and server authentication
 * only on the enrollment listener, the listeners (evhttp), and the peer's certificate. */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "num.h"
#include "registry.h"
#include "seal.h"

/* --- a refused handshake: the client must read why ---
 * In TLS 1.3 the client's certificate is checked after the client has finished its side of
 * the handshake, so a client like curl has already sent its request when the server's alert
 * ("certificate expired") goes out. Closing a socket with unread data makes the kernel send a
 * reset, which can overtake the alert: the kiosk would see "connection reset" instead of the
 * reason. So after a fatal alert the registry logs it, half-closes the socket (the alert, then
 * FIN) and keeps a duplicate of it open, reading and dropping what comes, until the client
 * closes or 3 s pass.
 *
 * --- every listener bounded (issue 13) ---
 * Each listener has its limits (struct listener_limits): open connections at once (accepting
 * pauses at the limit and resumes when one closes, so a flood waits in the kernel's queue
 * instead of taking the process's descriptors), connections of one client address (refused
 * in the TLS handshake), a deadline from accept to the first request read whole (a client
 * that trickles its handshake or headers is cut off: slowloris), the idle timeout, body and
 * header sizes, and requests a minute from one address. Out of descriptors, accepting pauses
 * for a moment instead of spinning on accept(). Refusals are logged at most once a second per
 * listener, with the count of those not logged. */

#define LINGER_MAX LINGER_RESERVE
struct event_base *linger_base;
static int lingering;

static void on_linger(evutil_socket_t fd, short what, void *arg) {
    char buf[4096];
    if (what & EV_READ) {
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
            return; /* more to drop; the event stays */
    }
    event_free(arg);
    close(fd);
    lingering--;
}

struct conn;
static struct conn *conn_of_ssl(const SSL *ssl);
static void log_refusal(struct listener *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static struct listener *listener_of_conn(const struct conn *c);

static void on_tls_info(const SSL *ssl, int where, int ret) {
    if (!(where & SSL_CB_WRITE_ALERT) || (ret >> 8) != SSL3_AL_FATAL)
        return;
    struct conn *c = conn_of_ssl(ssl);
    if (c)
        log_refusal(listener_of_conn(c), "TLS handshake refused: %s",
                    SSL_alert_desc_string_long(ret));
    else
        log_warn("registry", "TLS handshake refused: %s", SSL_alert_desc_string_long(ret));
    int fd = SSL_get_fd(ssl);
    if (fd < 0 || !linger_base || lingering >= LINGER_MAX)
        return;
    int dupfd = dup(fd);
    if (dupfd < 0)
        return;
    shutdown(dupfd, SHUT_WR);
    struct event *ev =
        event_new(linger_base, dupfd, EV_READ | EV_PERSIST, on_linger, event_self_cbarg());
    struct timeval tv = {3, 0};
    if (!ev || event_add(ev, &tv) != 0) {
        if (ev)
            event_free(ev);
        close(dupfd);
        return;
    }
    lingering++;
}

/* --- listeners and their connections --- */

#define RATE_SLOTS 512 /* client addresses whose request rate is tracked (least recent goes) */

struct rate_slot {
    uint8_t ip[16];
    double tokens;
    struct timespec at;
    bool used;
};

struct listener {
    struct listener_limits lim;
    struct registry *r;
    SSL_CTX *ssl;
    struct evhttp *http;
    struct evconnlistener *evl;
    struct event *resume; /* accepting again after running out of descriptors */
    int conns;
    bool full, starved; /* accepting paused: at the connection limit / out of descriptors */
    struct conn *head;
    time_t log_at; /* the last refusal logged (monotonic s) and those not logged since */
    long unlogged;
    struct rate_slot rates[RATE_SLOTS];
};

struct conn {
    struct listener *l;
    struct conn *prev, *next;
    struct event *deadline;
    SSL *ssl;
    bool served, ip_known;
    uint8_t ip[16]; /* IPv4 as ::ffff:a.b.c.d */
    char ip_text[INET6_ADDRSTRLEN];
};

static int conn_idx = -1; /* the SSL ex_data slot holding a connection's struct conn */

static time_t mono_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

static void log_refusal(struct listener *l, const char *fmt, ...) {
    time_t now = mono_s();
    if (l->log_at == now) {
        l->unlogged++;
        return;
    }
    char line[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (l->unlogged)
        log_warn("registry", "%s: %s (and %ld more refusals not logged)", l->lim.name, line,
                 l->unlogged);
    else
        log_warn("registry", "%s: %s", l->lim.name, line);
    l->log_at = now;
    l->unlogged = 0;
}

static struct conn *conn_of_ssl(const SSL *ssl) {
    return conn_idx >= 0 ? SSL_get_ex_data(ssl, conn_idx) : NULL;
}

static struct listener *listener_of_conn(const struct conn *c) {
    return c->l;
}

static void accept_resume(struct listener *l) {
    if (!l->full && !l->starved && l->evl)
        evconnlistener_enable(l->evl);
}

/* Called by OpenSSL when the connection's SSL is freed (with its bufferevent). */
static void conn_ex_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
                         void *argp) {
    (void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
    struct conn *c = ptr;
    if (!c)
        return;
    struct listener *l = c->l;
    if (c->prev)
        c->prev->next = c->next;
    else
        l->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    if (c->deadline)
        event_free(c->deadline);
    free(c);
    l->conns--;
    if (l->full && l->conns < l->lim.max_conns) {
        l->full = false;
        accept_resume(l);
    }
}

/* The first request did not arrive whole in time: the socket is shut, and evhttp, reading its
 * end, frees the connection as it does any closed one. */
static void on_deadline(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    struct conn *c = arg;
    if (c->served)
        return;
    int sock = SSL_get_fd(c->ssl);
    log_refusal(c->l, "%s sent no whole request within %d s: closed",
                c->ip_known ? c->ip_text : "a client", c->l->lim.first_request_s);
    if (sock >= 0)
        shutdown(sock, SHUT_RDWR);
}

/* Where the peer of the connection's socket is (IPv4 mapped into IPv6). */
static void conn_learn_ip(struct conn *c) {
    if (c->ip_known)
        return;
    int fd = SSL_get_fd(c->ssl);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
        return;
    memset(c->ip, 0, sizeof c->ip);
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
        c->ip[10] = c->ip[11] = 0xff;
        memcpy(c->ip + 12, &in->sin_addr, 4);
        inet_ntop(AF_INET, &in->sin_addr, c->ip_text, sizeof c->ip_text);
    } else if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
        memcpy(c->ip, &in6->sin6_addr, 16);
        inet_ntop(AF_INET6, &in6->sin6_addr, c->ip_text, sizeof c->ip_text);
    } else {
        return;
    }
    c->ip_known = true;
}

/* The first thing a client sends: refused when its address has too many connections open. */
static int on_client_hello(SSL *ssl, int *al, void *arg) {
    (void)arg;
    struct conn *c = conn_of_ssl(ssl);
    if (!c)
        return SSL_CLIENT_HELLO_SUCCESS;
    conn_learn_ip(c);
    if (!c->ip_known || c->l->lim.per_ip <= 0)
        return SSL_CLIENT_HELLO_SUCCESS;
    int same = 0;
    for (const struct conn *o = c->l->head; o; o = o->next)
        same += o->ip_known && !memcmp(o->ip, c->ip, 16);
    if (same <= c->l->lim.per_ip)
        return SSL_CLIENT_HELLO_SUCCESS;
    log_refusal(c->l, "%s has %d connections open (at most %d): refused", c->ip_text, same - 1,
                c->l->lim.per_ip);
    *al = SSL_AD_HANDSHAKE_FAILURE;
    return SSL_CLIENT_HELLO_ERROR;
}

static struct bufferevent *make_conn_bev(struct event_base *base, void *arg) {
    struct listener *l = arg;
    SSL *ssl = SSL_new(l->ssl);
    struct conn *c = calloc(1, sizeof *c);
    if (!ssl || !c) {
        SSL_free(ssl);
        free(c);
        return NULL; /* evhttp drops the connection */
    }
    c->l = l;
    c->ssl = ssl;
    c->next = l->head;
    if (l->head)
        l->head->prev = c;
    l->head = c;
    l->conns++;
    SSL_set_ex_data(ssl, conn_idx, c); /* freed with the SSL: conn_ex_free */
    if (l->lim.first_request_s > 0) {
        c->deadline = evtimer_new(base, on_deadline, c);
        struct timeval tv = {l->lim.first_request_s, 0};
        if (c->deadline)
            evtimer_add(c->deadline, &tv);
    }
    if (l->conns >= l->lim.max_conns && !l->full) {
        l->full = true;
        evconnlistener_disable(l->evl);
        log_refusal(l, "%d connections open: accepting paused until one closes", l->conns);
    }
    return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                          BEV_OPT_CLOSE_ON_FREE);
}

static void on_resume(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    struct listener *l = arg;
    l->starved = false;
    accept_resume(l);
}

#define LISTENERS_MAX 8
static struct listener *listeners[LISTENERS_MAX];

/* accept() failed: out of descriptors (or memory) pauses accepting for a quarter second. */
static void on_accept_error(struct evconnlistener *evl, void *arg) {
    (void)arg;
    int e = EVUTIL_SOCKET_ERROR();
    struct listener *l = NULL;
    for (int i = 0; i < LISTENERS_MAX && !l; i++)
        if (listeners[i] && listeners[i]->evl == evl)
            l = listeners[i];
    if (!l) {
        log_warn("registry", "accept: %s", strerror(e));
        return;
    }
    log_refusal(l, "accept: %s; accepting paused for 250 ms", strerror(e));
    l->starved = true;
    evconnlistener_disable(l->evl);
    struct timeval tv = {0, 250000};
    evtimer_add(l->resume, &tv);
}

void listener_conn_closing(struct evhttp_connection *ec) {
    struct bufferevent *bev = evhttp_connection_get_bufferevent(ec);
    SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;
    if (ssl && SSL_is_init_finished(ssl))
        SSL_shutdown(ssl); /* close_notify, written at once; no answer awaited */
}

static void on_conn_close(struct evhttp_connection *ec, void *arg) {
    (void)arg;
    listener_conn_closing(ec);
}

void listener_conn_watch(struct evhttp_connection *ec) {
    evhttp_connection_set_closecb(ec, on_conn_close, NULL);
}

bool listener_admit(struct evhttp_request *req) {
    struct evhttp_connection *ec = evhttp_request_get_connection(req);
    struct bufferevent *bev = ec ? evhttp_connection_get_bufferevent(ec) : NULL;
    SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;
    struct conn *c = ssl ? conn_of_ssl(ssl) : NULL;
    if (!c)
        return true;
    if (!c->served) {
        c->served = true;
        /* closed by the registry (idle, or done): with close_notify. Without it a TLS 1.3
         * client takes the close for an attack on the connection and strikes off the session
         * it would resume next time (OpenSSL 3: "unexpected eof"): every kiosk's next sync
         * was a full mutual handshake. */
        listener_conn_watch(ec);
        if (c->deadline)
            evtimer_del(c->deadline);
    }
    struct listener *l = c->l;
    if (l->lim.rate_per_min <= 0)
        return true;
    conn_learn_ip(c);
    if (!c->ip_known)
        return true;
    /* a token bucket per address: rate_per_min a minute, as many at once */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct rate_slot *slot = NULL, *oldest = &l->rates[0];
    for (int i = 0; i < RATE_SLOTS && !slot; i++) {
        struct rate_slot *s = &l->rates[i];
        if (s->used && !memcmp(s->ip, c->ip, 16))
            slot = s;
        else if (!s->used || (oldest->used && (s->at.tv_sec < oldest->at.tv_sec)))
            oldest = s;
    }
    if (!slot) {
        slot = oldest;
        memcpy(slot->ip, c->ip, 16);
        slot->tokens = l->lim.rate_per_min;
        slot->at = now;
        slot->used = true;
    }
    double dt = (double)(now.tv_sec - slot->at.tv_sec) + (double)(now.tv_nsec - slot->at.tv_nsec) / 1e9;
    slot->tokens += dt * l->lim.rate_per_min / 60.0;
    if (slot->tokens > l->lim.rate_per_min)
        slot->tokens = l->lim.rate_per_min;
    slot->at = now;
    if (slot->tokens < 1) {
        log_refusal(l, "%s is over %d requests a minute: 429", c->ip_text, l->lim.rate_per_min);
        return false;
    }
    slot->tokens -= 1;
    return true;
}

static bool (*revoked_fn)(X509 *cert);

void server_set_revocation_check(bool (*fn)(X509 *cert)) {
    revoked_fn = fn;
}

static bool cert_revoked(X509 *cert) {
    return cert && revoked_fn && revoked_fn(cert);
}

/* The client's certificate, once the chain holds: refused when revoked. */
static int on_verify(int ok, X509_STORE_CTX *x) {
    if (!ok || X509_STORE_CTX_get_error_depth(x) != 0)
        return ok;
    X509 *cert = X509_STORE_CTX_get_current_cert(x);
    if (!cert_revoked(cert))
        return 1;
    char cn[128] = "";
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
    log_event(LOG_WARN, "registry", LOG_MSGID_CERT_REVOKED, cn, NULL,
              "a revoked certificate (CN %s) was refused at the handshake", cn);
    X509_STORE_CTX_set_error(x, X509_V_ERR_CERT_REVOKED);
    return 0;
}

/* A ticket being resumed: its session's certificate must not have been revoked since. */
static SSL_TICKET_RETURN on_ticket_opened(SSL *s, SSL_SESSION *ss, const unsigned char *name,
                                          size_t name_len, SSL_TICKET_STATUS status, void *arg) {
    (void)s;
    (void)name;
    (void)name_len;
    (void)arg;
    switch (status) {
    case SSL_TICKET_SUCCESS:
    case SSL_TICKET_SUCCESS_RENEW:
        if (cert_revoked(SSL_SESSION_get0_peer(ss))) {
            log_warn("registry", "a revoked certificate's session was not resumed");
            return SSL_TICKET_RETURN_IGNORE;
        }
        return status == SSL_TICKET_SUCCESS ? SSL_TICKET_RETURN_USE : SSL_TICKET_RETURN_USE_RENEW;
    case SSL_TICKET_EMPTY:
    case SSL_TICKET_NO_DECRYPT:
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    default:
        return SSL_TICKET_RETURN_ABORT;
    }
}

/* TLS 1.3 with the registry's certificate; mutual: client certificates of the CA required. */
SSL_CTX *make_ssl(const char *pki, bool mutual) {
    SSL_CTX *c = SSL_CTX_new(TLS_server_method());
    char crt[1024], key[1024], ca[1024];
    snprintf(crt, sizeof crt, "%s/registry.crt", pki);
    snprintf(key, sizeof key, "%s/registry.key", pki);
    snprintf(ca, sizeof ca, "%s/ca.crt", pki);
    if (!c || !SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION) ||
        SSL_CTX_use_certificate_file(c, crt, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(c, key, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_load_verify_locations(c, ca, NULL) != 1) {
        fprintf(stderr, "registryd: cannot load the certificates of %s\n", pki);
        SSL_CTX_free(c);
        return NULL;
    }
    if (mutual) {
        SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, on_verify);
        SSL_CTX_set_session_ticket_cb(c, NULL, on_ticket_opened, NULL);
    }
    /* resumed sessions (issue 17: a kiosk on 4G resumes instead of a full mutual handshake,
     * 1.8 ms of CPU here against 0.065): with client verification OpenSSL refuses to resume
     * without a session id context ("internal error" alerts), and a resumed session keeps
     * the client certificate it was made with, which peer_of reads. At most an hour. */
    static const unsigned char sid_ctx[] = "registryd";
    SSL_CTX_set_session_id_context(c, sid_ctx, sizeof sid_ctx - 1);
    SSL_CTX_set_timeout(c, 3600);
    SSL_CTX_set_info_callback(c, on_tls_info);
    SSL_CTX_set_client_hello_cb(c, on_client_hello, NULL);
    return c;
}

/* --- session tickets every registry process opens (issue 17) ---
 * A kiosk reconnecting (after the registry closed its idle connection) lands on any process
 * behind SO_REUSEPORT or HAProxy; with each process's own random ticket key, half of the
 * resumptions failed into full mutual handshakes. The ticket keys are derived from the data
 * key and the hour instead, so every process sharing the data key makes and opens the same
 * tickets: this hour's are made, last hour's opened too (and renewed). */
static const struct seal *ticket_seal;

struct ticket_key {
    long long hour;
    unsigned char name[16], aes[32], hmac[32];
};

static int ticket_key_of(long long hour, struct ticket_key *k) {
    char purpose[64];
    uint8_t raw[80];
    snprintf(purpose, sizeof purpose, "tls-ticket:%lld", hour);
    if (seal_derive(ticket_seal, purpose, raw, sizeof raw) != 0)
        return -1;
    k->hour = hour;
    memcpy(k->name, raw, 16);
    memcpy(k->aes, raw + 16, 32);
    memcpy(k->hmac, raw + 48, 32);
    explicit_bzero(raw, sizeof raw);
    return 0;
}

static int on_ticket_key(SSL *s, unsigned char name[16], unsigned char *iv, EVP_CIPHER_CTX *ctx,
                         EVP_MAC_CTX *hctx, int enc) {
    (void)s;
    static struct ticket_key keys[2]; /* this hour's, last hour's */
    long long hour = (long long)time(NULL) / 3600;
    if (keys[0].hour != hour &&
        (ticket_key_of(hour, &keys[0]) != 0 || ticket_key_of(hour - 1, &keys[1]) != 0))
        return -1;
    const struct ticket_key *k = &keys[0];
    /* 1 made, 2 opened: and a new ticket sent (a TLS 1.3 client uses each ticket once; with 1,
     * OpenSSL sends none after a resumption, and the kiosk's next connection is a full
     * handshake) */
    int rc = enc ? 1 : 2;
    if (enc) {
        memcpy(name, k->name, 16);
        if (RAND_bytes(iv, EVP_CIPHER_iv_length(EVP_aes_256_cbc())) != 1 ||
            EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, k->aes, iv) != 1)
            return -1;
    } else {
        if (memcmp(name, keys[0].name, 16) != 0) {
            if (memcmp(name, keys[1].name, 16) != 0)
                return 0; /* not ours, or too old: a full handshake */
            k = &keys[1];
        }
        if (EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, k->aes, iv) != 1)
            return -1;
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, (void *)k->hmac, sizeof k->hmac),
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_end()};
    return EVP_MAC_CTX_set_params(hctx, params) == 1 ? rc : -1;
}

void server_share_tickets(SSL_CTX *ctx, const struct seal *s) {
    ticket_seal = s;
    if (ctx && SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, on_ticket_key) != 1)
        log_warn("registry", "the shared session ticket keys cannot be set: each process its own");
}

int peer_of(struct evhttp_request *req, struct peer *p) {
    memset(p, 0, sizeof *p);
    struct evhttp_connection *c = evhttp_request_get_connection(req);
    struct bufferevent *bev = c ? evhttp_connection_get_bufferevent(c) : NULL;
    SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;
    X509 *cert = ssl ? SSL_get1_peer_certificate(ssl) : NULL;
    if (!cert)
        return -1;
    X509_NAME *n = X509_get_subject_name(cert);
    X509_NAME_get_text_by_NID(n, NID_commonName, p->cn, sizeof p->cn);
    X509_NAME_get_text_by_NID(n, NID_organizationName, p->org, sizeof p->org);
    X509_NAME_get_text_by_NID(n, NID_organizationalUnitName, p->ou, sizeof p->ou);
    p->revoked = cert_revoked(cert);
    X509_free(cert);
    return 0;
}

/* A listening socket on host:port: SO_REUSEADDR; SO_REUSEPORT when asked (several registryd
 * on one port, the kernel spreading the connections: packaging/registry-two.ini); a listen
 * backlog of backlog (a reconnect storm of thousands of kiosks overflows the default 128;
 * the kernel caps it at net.core.somaxconn). The socket, or -1 (said on stderr). */
static evutil_socket_t bind_socket(const char *host, int port, bool reuse_port, int backlog) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    int gai = getaddrinfo(host[0] ? host : NULL, service, &hints, &ai);
    if (gai != 0) {
        fprintf(stderr, "registryd: %s: %s\n", host, gai_strerror(gai));
        return -1;
    }
    evutil_socket_t fd = -1;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
            log_warn("registry", "SO_REUSEPORT: %s", strerror(errno));
        if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, backlog) != 0) {
            fprintf(stderr, "registryd: %s:%d: %s\n", host, port, strerror(errno));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    return fd;
}

struct listener *listen_on(struct registry *r, const char *spec, SSL_CTX *ssl,
                           void (*cb)(struct evhttp_request *, void *),
                           const struct listener_limits *lim, char *bound_at, size_t cap) {
    const char *colon = strrchr(spec, ':');
    if (!colon)
        return NULL;
    if (conn_idx < 0)
        conn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, conn_ex_free);
    char host[256];
    snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
    struct listener *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->lim = *lim;
    l->r = r;
    l->ssl = ssl;
    l->http = evhttp_new(r->base);
    l->resume = evtimer_new(r->base, on_resume, l);
    evhttp_set_bevcb(l->http, make_conn_bev, l);
    evhttp_set_gencb(l->http, cb, r);
    evhttp_set_max_body_size(l->http, lim->max_body);
    evhttp_set_max_headers_size(l->http, lim->max_headers);
    evhttp_set_timeout(l->http, lim->idle_s);
    int port = 0;
    evutil_socket_t sock = num_int(colon + 1, 0, 65535, &port) == 0
                               ? bind_socket(host, port, lim->reuse_port,
                                             lim->backlog > 0 ? lim->backlog : 4096)
                               : -1;
    struct evhttp_bound_socket *bound =
        sock >= 0 ? evhttp_accept_socket_with_handle(l->http, sock) : NULL;
    if (sock >= 0 && !bound)
        evutil_closesocket(sock);
    if (!bound) {
        fprintf(stderr, "registryd: cannot listen on %s\n", spec);
        listener_free(l);
        return NULL;
    }
    l->evl = evhttp_bound_socket_get_listener(bound);
    /* the error callback gets the evconnlistener's argument, which is evhttp's: ours is found
     * by the evconnlistener in a table of the few listeners there are */
    for (int i = 0; i < LISTENERS_MAX; i++)
        if (!listeners[i]) {
            listeners[i] = l;
            break;
        }
    evconnlistener_set_error_cb(l->evl, on_accept_error);
    /* Without TCP_NODELAY an answer written in two TLS records waits for the client's delayed
     * ACK: 40 ms a request (measured with bench/update.sh). Linux hands the option down to
     * the accepted connections. */
    int one = 1;
    evutil_socket_t fd = evhttp_bound_socket_get_fd(bound);
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
        log_warn("registry", "TCP_NODELAY: %s", strerror(errno));
    /* port 0 takes any free port (tests run in parallel): the one bound is logged */
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int port_bound = port;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        port_bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                    : ((struct sockaddr_in *)&ss)->sin_port);
    snprintf(bound_at, cap, "%s:%d", host, port_bound);
    return l;
}

struct evhttp *listener_http(struct listener *l) {
    return l->http;
}

void listener_free(struct listener *l) {
    if (!l)
        return;
    for (int i = 0; i < LISTENERS_MAX; i++)
        if (listeners[i] == l)
            listeners[i] = NULL;
    if (l->http)
        evhttp_free(l->http); /* frees the connections: their struct conn go with them */
    if (l->resume)
        event_free(l->resume);
    free(l);
}
