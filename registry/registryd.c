/* registryd: the reference central registry (DESIGN.md §5) — the first slice: HTTPS with
 * TLS 1.3 only and mutual TLS, the kiosk's identity (CN) and office (O) taken from its client
 * certificate, idempotent batches of records, and their status.
 *
 *   registryd --listen HOST:PORT --data DIR --pki DIR
 *
 *   POST /v1/applications, POST /v1/checkins   {"records":[{"id":..., "payload":{...}}]}
 *       -> {"results":[{"id":..., "status":"accepted"|"duplicate"|"rejected", "reason":...}]}
 *   GET  /v1/status?ids=ID,ID                  -> {"statuses":[{"id":..., "status":...}]}
 *   GET  /v1/whoami                            -> the certificate's kiosk id and office
 *
 * Clients must present a certificate of the registry CA (pki/ca.crt) with OU=kiosk; anything
 * else fails the TLS handshake or gets 403. Bad input gets a 4xx with a JSON reason. */
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <getopt.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rstore.h"

#define BODY_MAX (8 << 20)
#define BATCH_MAX 1000

struct registry {
    SSL_CTX *ssl;
    struct rstore *store;
    struct event_base *base;
};

struct peer {
    char cn[128], org[64], ou[64];
};

static struct bufferevent *make_bev(struct event_base *base, void *arg) {
    struct registry *r = arg;
    SSL *ssl = SSL_new(r->ssl);
    return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                          BEV_OPT_CLOSE_ON_FREE);
}

static int peer_of(struct evhttp_request *req, struct peer *p) {
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

static void reply_json(struct evhttp_request *req, int code, const char *reason, cJSON *body) {
    char *text = cJSON_PrintUnformatted(body);
    struct evbuffer *out = evbuffer_new();
    evbuffer_add(out, text, strlen(text));
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evhttp_send_reply(req, code, reason, out);
    evbuffer_free(out);
    free(text);
    cJSON_Delete(body);
}

static void reply_error(struct evhttp_request *req, int code, const char *reason,
                        const char *message) {
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "error", message);
    reply_json(req, code, reason, b);
}

static void post_records(struct registry *r, struct evhttp_request *req, const struct peer *p,
                         const char *kind) {
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    if (len == 0 || len > BODY_MAX) {
        reply_error(req, 400, "Bad Request", "the body must be a JSON object of records");
        return;
    }
    char *text = malloc(len + 1);
    evbuffer_remove(in, text, len);
    text[len] = 0;
    cJSON *body = cJSON_Parse(text);
    free(text);
    cJSON *records = cJSON_GetObjectItem(body, "records");
    if (!cJSON_IsArray(records) || cJSON_GetArraySize(records) > BATCH_MAX) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request", "expected {\"records\":[...]} of at most 1000");
        return;
    }
    cJSON *results = cJSON_CreateArray();
    const cJSON *rec;
    cJSON_ArrayForEach(rec, records) {
        cJSON *res = cJSON_CreateObject();
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "id"));
        const cJSON *payload = cJSON_GetObjectItem(rec, "payload");
        cJSON_AddStringToObject(res, "id", id ? id : "");
        if (!id || strlen(id) != 36 || !cJSON_IsObject(payload)) {
            cJSON_AddStringToObject(res, "status", "rejected");
            cJSON_AddStringToObject(res, "reason",
                                    "a record needs a 36-character id and a "
                                    "payload object");
        } else {
            char *pl = cJSON_PrintUnformatted(payload);
            enum rstore_result rr = rstore_put(r->store, id, kind, p->cn, p->org, pl);
            free(pl);
            cJSON_AddStringToObject(res, "status",
                                    rr == RSTORE_ACCEPTED    ? "accepted"
                                    : rr == RSTORE_DUPLICATE ? "duplicate"
                                                             : "error");
        }
        cJSON_AddItemToArray(results, res);
    }
    cJSON_Delete(body);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "results", results);
    reply_json(req, 200, "OK", out);
}

static void get_status(struct registry *r, struct evhttp_request *req) {
    struct evkeyvalq q;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *query = evhttp_uri_get_query(uri);
    if (!query || evhttp_parse_query_str(query, &q) != 0) {
        reply_error(req, 400, "Bad Request", "expected ?ids=ID,ID");
        return;
    }
    const char *ids = evhttp_find_header(&q, "ids");
    cJSON *list = cJSON_CreateArray();
    char buf[8192];
    snprintf(buf, sizeof buf, "%s", ids ? ids : "");
    for (char *id = strtok(buf, ","); id; id = strtok(NULL, ",")) {
        cJSON *o = cJSON_CreateObject();
        const char *st = rstore_status(r->store, id);
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddStringToObject(o, "status", st ? st : "unknown");
        cJSON_AddItemToArray(list, o);
    }
    evhttp_clear_headers(&q);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "statuses", list);
    reply_json(req, 200, "OK", out);
}

static char *body_text(struct evhttp_request *req) {
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    if (len == 0 || len > BODY_MAX)
        return NULL;
    char *text = malloc(len + 1);
    if (text) {
        evbuffer_remove(in, text, len);
        text[len] = 0;
    }
    return text;
}

/* Operators import appointments: {"appointments":[{"id":...,"office":...,...}]}. */
static void post_appointments(struct registry *r, struct evhttp_request *req) {
    char *text = body_text(req);
    cJSON *body = text ? cJSON_Parse(text) : NULL;
    free(text);
    cJSON *list = cJSON_GetObjectItem(body, "appointments");
    if (!cJSON_IsArray(list)) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request", "expected {\"appointments\":[...]}");
        return;
    }
    int stored = 0, refused = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, list) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(a, "id"));
        const char *office = cJSON_GetStringValue(cJSON_GetObjectItem(a, "office"));
        char *j = cJSON_PrintUnformatted(a);
        if (id && office && strlen(office) == 6 && j &&
            rstore_appointment_put(r->store, id, office, j) == 0)
            stored++;
        else
            refused++;
        free(j);
    }
    cJSON_Delete(body);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "stored", stored);
    cJSON_AddNumberToObject(o, "refused", refused);
    reply_json(req, 200, "OK", o);
}

/* A kiosk pulls its office's appointments changed since its cursor. */
static void get_appointments(struct registry *r, struct evhttp_request *req, const struct peer *p) {
    struct evkeyvalq q;
    const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
    long since = 0;
    if (query && evhttp_parse_query_str(query, &q) == 0) {
        const char *v = evhttp_find_header(&q, "since");
        since = v ? atol(v) : 0;
        evhttp_clear_headers(&q);
    }
    long next = since;
    char *list = rstore_appointments_since(r->store, p->org, since, 500, &next);
    if (!list) {
        reply_error(req, 500, "Internal Server Error", "the appointments cannot be read");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "appointments", cJSON_Parse(list));
    char cursor[32];
    snprintf(cursor, sizeof cursor, "%ld", next);
    cJSON_AddStringToObject(o, "cursor", cursor);
    free(list);
    reply_json(req, 200, "OK", o);
}

static void post_heartbeat(struct registry *r, struct evhttp_request *req, const struct peer *p) {
    char *text = body_text(req);
    cJSON *body = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!cJSON_IsObject(body)) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request", "a heartbeat is a JSON object");
        return;
    }
    char *j = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    int rc = j ? rstore_heartbeat(r->store, p->cn, p->org, j) : -1;
    free(j);
    if (rc != 0) {
        reply_error(req, 500, "Internal Server Error", "the heartbeat cannot be stored");
        return;
    }
    reply_json(req, 200, "OK", cJSON_CreateObject());
}

static void get_fleet(struct registry *r, struct evhttp_request *req) {
    char *list = rstore_fleet(r->store);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "kiosks", list ? cJSON_Parse(list) : cJSON_CreateArray());
    free(list);
    reply_json(req, 200, "OK", o);
}

static void handle(struct evhttp_request *req, void *arg) {
    struct registry *r = arg;
    struct peer p;
    if (peer_of(req, &p) != 0) {
        reply_error(req, 403, "Forbidden", "a client certificate is required");
        return;
    }
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    enum evhttp_cmd_type m = evhttp_request_get_command(req);
    if (!path) {
        reply_error(req, 400, "Bad Request", "no path");
    } else if (!strcmp(path, "/v1/admin/appointments")) {
        if (strcmp(p.ou, "operator") != 0)
            reply_error(req, 403, "Forbidden", "the admin API is for operator certificates");
        else if (m != EVHTTP_REQ_POST)
            reply_error(req, 405, "Method Not Allowed", "use POST");
        else
            post_appointments(r, req);
    } else if (!strcmp(path, "/v1/admin/fleet")) {
        if (strcmp(p.ou, "operator") != 0)
            reply_error(req, 403, "Forbidden", "the admin API is for operator certificates");
        else
            get_fleet(r, req);
    } else if (strcmp(p.ou, "kiosk") != 0) {
        reply_error(req, 403, "Forbidden", "this API is for kiosk certificates");
    } else if (!strcmp(path, "/v1/whoami") && m == EVHTTP_REQ_GET) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kiosk", p.cn);
        cJSON_AddStringToObject(o, "office", p.org);
        reply_json(req, 200, "OK", o);
    } else if ((!strcmp(path, "/v1/applications") || !strcmp(path, "/v1/checkins"))) {
        if (m != EVHTTP_REQ_POST)
            reply_error(req, 405, "Method Not Allowed", "use POST");
        else
            post_records(r, req, &p, path[4] == 'a' ? "application" : "checkin");
    } else if (!strcmp(path, "/v1/heartbeat") && m == EVHTTP_REQ_POST) {
        post_heartbeat(r, req, &p);
    } else if (!strcmp(path, "/v1/appointments") && m == EVHTTP_REQ_GET) {
        get_appointments(r, req, &p);
    } else if (!strcmp(path, "/v1/status") && m == EVHTTP_REQ_GET) {
        get_status(r, req);
    } else {
        reply_error(req, 404, "Not Found", "no such API");
    }
}

static SSL_CTX *make_ssl(const char *pki) {
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
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    return c;
}

static void on_signal(evutil_socket_t fd, short ev, void *arg) {
    (void)fd;
    (void)ev;
    event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv) {
    log_init("registryd", LOG_INFO);
    static const struct option opts[] = {{"listen", required_argument, 0, 'l'},
                                         {"data", required_argument, 0, 'd'},
                                         {"pki", required_argument, 0, 'p'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *listen_at = NULL, *data = NULL, *pki = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            listen_at = optarg;
            break;
        case 'd':
            data = optarg;
            break;
        case 'p':
            pki = optarg;
            break;
        case 'h':
            printf("usage: registryd --listen HOST:PORT --data DIR --pki DIR\n");
            return 0;
        default:
            fprintf(stderr, "registryd: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    const char *colon = listen_at ? strrchr(listen_at, ':') : NULL;
    if (!colon || !data || !pki) {
        fprintf(stderr, "registryd: --listen HOST:PORT, --data DIR and --pki DIR are required\n");
        return 2;
    }
    char host[256];
    snprintf(host, sizeof host, "%.*s", (int)(colon - listen_at), listen_at);
    struct registry r = {0};
    r.ssl = make_ssl(pki);
    r.store = r.ssl ? rstore_open(data) : NULL;
    if (!r.store)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    r.base = event_base_new();
    struct evhttp *http = evhttp_new(r.base);
    evhttp_set_bevcb(http, make_bev, &r);
    evhttp_set_gencb(http, handle, &r);
    evhttp_set_max_body_size(http, BODY_MAX);
    evhttp_set_timeout(http, 30);
    if (evhttp_bind_socket(http, host, (ev_uint16_t)atoi(colon + 1)) != 0) {
        fprintf(stderr, "registryd: cannot listen on %s\n", listen_at);
        return 1;
    }
    struct event *term = evsignal_new(r.base, SIGTERM, on_signal, r.base);
    struct event *intr = evsignal_new(r.base, SIGINT, on_signal, r.base);
    event_add(term, NULL);
    event_add(intr, NULL);
    log_info("registry", "listening on %s (TLS 1.3, client certificates of %s/ca.crt)", listen_at,
             pki);
    event_base_dispatch(r.base);
    event_free(term);
    event_free(intr);
    evhttp_free(http);
    event_base_free(r.base);
    rstore_close(r.store);
    SSL_CTX_free(r.ssl);
    return 0;
}
