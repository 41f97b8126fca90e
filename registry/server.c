/* server: TLS 1.3 (OpenSSL) with mutual TLS on the main listener and server authentication
 * only on the enrollment listener, the listeners (evhttp), and the peer's certificate. */
#include <errno.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "num.h"
#include "registry.h"

/* --- a refused handshake: the client must read why ---
 * In TLS 1.3 the client's certificate is checked after the client has finished its side of
 * the handshake, so a client like curl has already sent its request when the server's alert
 * ("certificate expired") goes out. Closing a socket with unread data makes the kernel send a
 * reset, which can overtake the alert: the kiosk would see "connection reset" instead of the
 * reason. So after a fatal alert the registry logs it, half-closes the socket (the alert, then
 * FIN) and keeps a duplicate of it open, reading and dropping what comes, until the client
 * closes or 3 s pass. */

#define LINGER_MAX 64
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

static void on_tls_info(const SSL *ssl, int where, int ret) {
    if (!(where & SSL_CB_WRITE_ALERT) || (ret >> 8) != SSL3_AL_FATAL)
        return;
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
    if (mutual)
        SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    SSL_CTX_set_info_callback(c, on_tls_info);
    return c;
}

struct bufferevent *make_bev(struct event_base *base, void *arg) {
    struct registry *r = arg;
    SSL *ssl = SSL_new(r->ssl);
    return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                          BEV_OPT_CLOSE_ON_FREE);
}

struct bufferevent *make_enroll_bev(struct event_base *base, void *arg) {
    struct registry *r = arg;
    SSL *ssl = SSL_new(r->enroll_ssl);
    return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                          BEV_OPT_CLOSE_ON_FREE);
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
    X509_free(cert);
    return 0;
}

/* An evhttp on HOST:PORT (spec) with the bufferevent and request callbacks; NULL when it
 * cannot listen. */
struct evhttp *listen_on(struct registry *r, const char *spec,
                         struct bufferevent *(*bevcb)(struct event_base *, void *),
                         void (*cb)(struct evhttp_request *, void *), char *bound_at, size_t cap) {
    const char *colon = strrchr(spec, ':');
    if (!colon)
        return NULL;
    char host[256];
    snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
    struct evhttp *http = evhttp_new(r->base);
    evhttp_set_bevcb(http, bevcb, r);
    evhttp_set_gencb(http, cb, r);
    evhttp_set_max_body_size(http, BODY_MAX);
    evhttp_set_timeout(http, 30);
    int port = 0;
    struct evhttp_bound_socket *bound =
        num_int(colon + 1, 0, 65535, &port) == 0
            ? evhttp_bind_socket_with_handle(http, host, (ev_uint16_t)port)
            : NULL;
    if (!bound) {
        fprintf(stderr, "registryd: cannot listen on %s\n", spec);
        evhttp_free(http);
        return NULL;
    }
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
    return http;
}
