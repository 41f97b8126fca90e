/* registryd: the reference central registry (DESIGN.md §5): HTTPS with TLS 1.3 only and
 * mutual TLS; the kiosk's identity (CN) and office (O) come from its client certificate.
 *
 *   registryd --config FILE | --listen HOST:PORT --data DIR --pki DIR [--enroll-listen HOST:PORT]
 *
 * Kiosks (certificates with OU=kiosk):
 *   POST /v1/applications, /v1/checkins  {"records":[{"id","payload"}]} -> per record accepted,
 *                                        duplicate or rejected with a reason (idempotent by id)
 *   GET  /v1/status?ids=ID,ID            the records' status
 *   GET  /v1/appointments?since=N        the office's changed appointments and the next cursor
 *   POST /v1/heartbeat                   version, backlog, last error, update state and step
 *   GET  /v1/commands?after=SEQ&wait=S   long poll (S <= 55): commands not yet acknowledged
 *   POST /v1/commands/SEQ/ack            {"result":...}
 *   GET  /v1/whoami                      the certificate's kiosk id and office
 *   GET  /v1/receipt-keys                every kiosk's receipt public key, to verify any
 *                                        kiosk's receipts offline
 *   GET  /v1/releases/CHANNEL, /v1/content/CHANNEL   the newest signed manifest whose staged
 *                                        rollout reaches this kiosk
 *   GET  /v1/blobs/SHA256                a bundle's file (Range: bytes=N- resumes)
 * Operators (OU=operator), the admin API:
 *   POST /v1/admin/appointments          JSON {"appointments":[...]} or text/csv
 *   GET  /v1/admin/records?kiosk=&office=&limit=   received records, without payloads
 *   POST /v1/admin/records/status        {"id","status"}: the office's progress on a record
 *   GET  /v1/admin/records/ID            one record with its payload (the clerk's declaration)
 *   GET  /v1/admin/fleet                 every kiosk's last heartbeat
 *   GET  /v1/admin/update-events?kiosk=  the steps kiosks reported of their updates (newest
 *                                        first): verified, downloading, installing, installed,
 *                                        rejected, failed, rolled_back
 *   POST /v1/admin/commands              {"kiosk","command","arg"}; GET lists them with results
 *   POST /v1/admin/enroll-tokens         {"kiosk","office","hours"} -> a one-time token
 *   GET  /v1/admin/receipt-keys          every kiosk's receipt signing keys (from heartbeats)
 *   PUT  /v1/admin/blobs/SHA256, POST /v1/admin/manifests[?rollout=PERCENT]   publish a
 *                                        release or content, to a share of the channel's kiosks
 *   POST /v1/admin/rollout               {"type","channel","serial","percent"}: widen it
 * The enrollment listener (server certificate only: the kiosk has none yet):
 *   POST /v1/enroll                      {"token","csr"} -> certificate, CA, the registry's pin
 *
 * Anything without a certificate of pki/ca.crt fails the TLS handshake on the main listener;
 * the wrong kind of certificate gets 403. Bad input gets a 4xx with a JSON reason. The CA key
 * sits in the pki directory for enrollment: fine for the reference registry; a deployment
 * would keep it in an HSM or a separate signing service. */
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <getopt.h>
#include <ini.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "appt_csv.h"
#include "crypto.h"
#include "crypto_pki.h"
#include "file.h"
#include "log.h"
#include "rstore.h"

#define BODY_MAX (64 << 20) /* release blobs; records are far smaller */
#define BATCH_MAX 1000

struct waiter;

struct registry {
    char blobs[600]; /* DATA/blobs: content-addressed files of releases and content */
    SSL_CTX *ssl;
    SSL_CTX *enroll_ssl; /* the enrollment listener: server authentication only */
    char pki[512];
    char *ca_pem; /* handed to enrolling kiosks */
    char pin[128];
    struct rstore *store;
    struct event_base *base;
    struct waiter *waiters; /* kiosks holding a long poll for commands */
};

/* A kiosk's GET /v1/commands held open until a command for it is queued or its wait ends. */
struct waiter {
    struct registry *r;
    struct evhttp_request *req;
    struct evhttp_connection *conn;
    struct event *timer;
    char kiosk[128];
    long after;
    struct waiter *next;
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

static struct bufferevent *make_enroll_bev(struct event_base *base, void *arg) {
    struct registry *r = arg;
    SSL *ssl = SSL_new(r->enroll_ssl);
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
        char st[32];
        if (rstore_status(r->store, id, st, sizeof st) != 0)
            snprintf(st, sizeof st, "unknown");
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddStringToObject(o, "status", st);
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

/* The request's body parsed as JSON; NULL when there is none or it does not parse. */
static cJSON *body_json(struct evhttp_request *req) {
    char *text = body_text(req);
    cJSON *body = text ? cJSON_Parse(text) : NULL;
    free(text);
    return body;
}

/* Operators import appointments: {"appointments":[{"id":...,"office":...,...}]}, or CSV
 * (Content-Type: text/csv; see appt_csv.h). All or nothing for a CSV that does not parse. */
static void post_appointments(struct registry *r, struct evhttp_request *req) {
    const char *type = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
    char *text = body_text(req);
    cJSON *body = NULL, *list = NULL;
    if (text && type && !strncmp(type, "text/csv", 8)) {
        char err[200];
        list = appt_csv_parse(text, strlen(text), err, sizeof err);
        if (!list) {
            free(text);
            log_warn("registry", "appointments CSV refused: %s", err);
            reply_error(req, 400, "Bad Request", err);
            return;
        }
        body = cJSON_CreateObject();
        cJSON_AddItemToObject(body, "appointments", list);
    } else {
        body = text ? cJSON_Parse(text) : NULL;
        list = cJSON_GetObjectItem(body, "appointments");
    }
    free(text);
    if (!cJSON_IsArray(list)) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request",
                    "expected {\"appointments\":[...]} or text/csv with a header row");
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
    log_info("registry", "appointments imported: %d stored, %d refused", stored, refused);
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
    cJSON *body = body_json(req);
    if (!cJSON_IsObject(body)) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request", "a heartbeat is a JSON object");
        return;
    }
    const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(body, "receipt_key"));
    if (key && strlen(key) == 43 &&
        strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789-_") == 43 &&
        rstore_receipt_key_put(r->store, p->cn, p->org, key) != 0)
        log_warn("registry", "the receipt key of %s cannot be stored", p->cn);
    /* the steps of updates under way, kept as the rollout's history */
    static const char *const types[] = {"release", "content"};
    for (int i = 0; i < 2; i++) {
        const cJSON *g = cJSON_GetObjectItem(cJSON_GetObjectItem(body, types[i]), "progress");
        const char *step = cJSON_GetStringValue(cJSON_GetObjectItem(g, "step"));
        const char *version = cJSON_GetStringValue(cJSON_GetObjectItem(g, "version"));
        const char *detail = cJSON_GetStringValue(cJSON_GetObjectItem(g, "detail"));
        const cJSON *serial = cJSON_GetObjectItem(g, "serial"), *at = cJSON_GetObjectItem(g, "at");
        if (!step || !version || !cJSON_IsNumber(serial) || !cJSON_IsNumber(at))
            continue;
        if (rstore_update_event(r->store, p->cn, types[i], (long long)serial->valuedouble, version,
                                step, detail ? detail : "", (long long)at->valuedouble) != 0)
            log_warn("registry", "the update step of %s cannot be stored", p->cn);
    }
    const cJSON *rb = cJSON_GetObjectItem(body, "rollback");
    const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(rb, "reason"));
    const cJSON *rser = cJSON_GetObjectItem(rb, "serial"), *rat = cJSON_GetObjectItem(rb, "at");
    if (why && cJSON_IsNumber(rser) && cJSON_IsNumber(rat) &&
        rstore_update_event(r->store, p->cn, "release", (long long)rser->valuedouble, "",
                            "rolled_back", why, (long long)rat->valuedouble) != 0)
        log_warn("registry", "the rollback of %s cannot be stored", p->cn);
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

/* The value of one query parameter (malloc'd), or NULL. */
static char *query_param(struct evhttp_request *req, const char *name) {
    const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
    struct evkeyvalq q;
    if (!query || evhttp_parse_query_str(query, &q) != 0)
        return NULL;
    const char *v = evhttp_find_header(&q, name);
    char *out = v ? strdup(v) : NULL;
    evhttp_clear_headers(&q);
    return out;
}

static void get_update_events(struct registry *r, struct evhttp_request *req) {
    char *kiosk = query_param(req, "kiosk");
    char *list = rstore_update_events(r->store, kiosk, 200);
    free(kiosk);
    if (!list) {
        reply_error(req, 500, "Internal Server Error", "the update steps cannot be read");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "events", cJSON_Parse(list));
    free(list);
    reply_json(req, 200, "OK", o);
}

static void get_records(struct registry *r, struct evhttp_request *req) {
    char *kiosk = query_param(req, "kiosk"), *office = query_param(req, "office");
    char *lim = query_param(req, "limit");
    int limit = lim ? atoi(lim) : 100;
    if (limit < 1 || limit > 10000)
        limit = 100;
    char *list = rstore_records_list(r->store, kiosk, office, limit);
    free(kiosk);
    free(office);
    free(lim);
    if (!list) {
        reply_error(req, 500, "Internal Server Error", "the records cannot be read");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "records", cJSON_Parse(list));
    free(list);
    reply_json(req, 200, "OK", o);
}

/* {"id":..., "status":"accepted|reviewing|completed|returned|received"}: the office's progress
 * on a record, which kiosks show in the progress query. */
static void post_record_status(struct registry *r, struct evhttp_request *req) {
    static const char *const known[] = {"received", "accepted", "reviewing", "completed",
                                        "returned"};
    cJSON *body = body_json(req);
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(body, "id"));
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(body, "status"));
    bool ok = false;
    for (size_t i = 0; st && i < sizeof known / sizeof known[0]; i++)
        ok = ok || !strcmp(st, known[i]);
    int rc = id && ok ? rstore_set_status(r->store, id, st) : -2;
    cJSON_Delete(body);
    if (rc == -2)
        reply_error(req, 400, "Bad Request",
                    "expected {\"id\":..., \"status\":\"received|accepted|reviewing|completed|"
                    "returned\"}");
    else if (rc == 1)
        reply_error(req, 404, "Not Found", "no such record");
    else if (rc != 0)
        reply_error(req, 500, "Internal Server Error", "the status cannot be stored");
    else
        reply_json(req, 200, "OK", cJSON_CreateObject());
}

/* --- commands: queued by operators, long-polled by kiosks --- */

static void reply_commands(struct evhttp_request *req, const char *list) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "commands", list ? cJSON_Parse(list) : cJSON_CreateArray());
    reply_json(req, 200, "OK", o);
}

static void waiter_free(struct waiter *w) {
    struct waiter **pp = &w->r->waiters;
    while (*pp && *pp != w)
        pp = &(*pp)->next;
    if (*pp)
        *pp = w->next;
    evhttp_connection_set_closecb(w->conn, NULL, NULL);
    event_free(w->timer);
    free(w);
}

/* The wait ended, or a command came: answer with what there is (maybe nothing). */
static void waiter_answer(struct waiter *w) {
    int n = 0;
    char *list = rstore_commands_after(w->r->store, w->kiosk, w->after, &n);
    struct evhttp_request *req = w->req;
    waiter_free(w);
    reply_commands(req, list);
    free(list);
}

static void on_waiter_timeout(evutil_socket_t fd, short ev, void *arg) {
    (void)fd;
    (void)ev;
    waiter_answer(arg);
}

/* The kiosk went away while it waited: libevent frees its request; we forget it. */
static void on_waiter_close(struct evhttp_connection *c, void *arg) {
    (void)c;
    waiter_free(arg);
}

#define COMMAND_WAIT_MAX 55

static void get_commands(struct registry *r, struct evhttp_request *req, const struct peer *p) {
    char *a = query_param(req, "after"), *wt = query_param(req, "wait");
    long after = a ? atol(a) : 0;
    int wait_s = wt ? atoi(wt) : 0;
    free(a);
    free(wt);
    if (wait_s < 0)
        wait_s = 0;
    if (wait_s > COMMAND_WAIT_MAX)
        wait_s = COMMAND_WAIT_MAX;
    int n = 0;
    char *list = rstore_commands_after(r->store, p->cn, after, &n);
    struct waiter *w = n == 0 && list && wait_s > 0 ? calloc(1, sizeof *w) : NULL;
    if (!w) {
        if (list)
            reply_commands(req, list);
        else
            reply_error(req, 500, "Internal Server Error", "the commands cannot be read");
        free(list);
        return;
    }
    free(list);
    w->r = r;
    w->req = req;
    w->conn = evhttp_request_get_connection(req);
    w->after = after;
    snprintf(w->kiosk, sizeof w->kiosk, "%s", p->cn);
    w->timer = evtimer_new(r->base, on_waiter_timeout, w);
    struct timeval tv = {wait_s, 0};
    evtimer_add(w->timer, &tv);
    /* the connection's read/write timeout must outlast the wait */
    evhttp_connection_set_timeout(w->conn, wait_s + 15);
    evhttp_connection_set_closecb(w->conn, on_waiter_close, w);
    w->next = r->waiters;
    r->waiters = w;
}

static bool command_known(const char *c) {
    static const char *const known[] = {"sync", "lock", "unlock", "notice", "update", "content"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(c, known[i]))
            return true;
    return false;
}

/* {"kiosk":"ID","command":"lock","arg":"..."} -> {"seq":N}; waiting kiosks hear at once. */
static void post_command(struct registry *r, struct evhttp_request *req) {
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
    long seq = rstore_command_add(r->store, kiosk, cmd, arg);
    if (seq < 0) {
        cJSON_Delete(body);
        reply_error(req, 500, "Internal Server Error", "the command cannot be stored");
        return;
    }
    log_info("registry", "command %ld %s queued for %s", seq, cmd, kiosk);
    for (struct waiter *w = r->waiters, *next; w; w = next) {
        next = w->next;
        if (!strcmp(w->kiosk, kiosk))
            waiter_answer(w);
    }
    cJSON_Delete(body);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "seq", (double)seq);
    reply_json(req, 200, "OK", o);
}

static void get_command_list(struct registry *r, struct evhttp_request *req) {
    char *kiosk = query_param(req, "kiosk");
    char *list = rstore_commands_list(r->store, kiosk);
    free(kiosk);
    reply_commands(req, list);
    free(list);
}

/* POST /v1/commands/SEQ/ack {"result":"ok"|reason} */
static void post_ack(struct registry *r, struct evhttp_request *req, const struct peer *p,
                     const char *path) {
    char *end = NULL;
    long seq = strtol(path + strlen("/v1/commands/"), &end, 10);
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
        reply_error(req, 404, "Not Found", "this kiosk has no such command");
    else if (rc != 0)
        reply_error(req, 500, "Internal Server Error", "the acknowledgement cannot be stored");
    else
        reply_json(req, 200, "OK", cJSON_CreateObject());
}

/* --- enrollment: an operator makes a one-time token; the kiosk trades it and a CSR for its
 * certificate on the enrollment listener (it has no certificate yet) --- */

#define TOKEN_HOURS_MAX (24 * 14)

static void token_hash(const char *token, char hex[65]) {
    uint8_t md[32];
    crypto_sha256(token, strlen(token), md);
    crypto_hex(md, sizeof md, hex);
}

static bool office_ok(const char *o) {
    return o && strlen(o) == 6 && strspn(o, "0123456789") == 6;
}

static void post_enroll_token(struct registry *r, struct evhttp_request *req) {
    cJSON *body = body_json(req);
    const char *kiosk = cJSON_GetStringValue(cJSON_GetObjectItem(body, "kiosk"));
    const char *office = cJSON_GetStringValue(cJSON_GetObjectItem(body, "office"));
    const cJSON *hours = cJSON_GetObjectItem(body, "hours");
    int h = cJSON_IsNumber(hours) ? hours->valueint : 24;
    if (!kiosk || !*kiosk || strlen(kiosk) > 64 ||
        strspn(kiosk, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "abcdefghijklmnopqrstuvwxyz"
                      "0123456789-_.") != strlen(kiosk) ||
        !office_ok(office) || h < 1 || h > TOKEN_HOURS_MAX) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request",
                    "expected {\"kiosk\":ID (letters, digits, -_.),\"office\":6 digits,"
                    "\"hours\":1-336}");
        return;
    }
    uint8_t raw[16];
    char token[33], hash[65];
    crypto_random(raw, sizeof raw);
    crypto_hex(raw, sizeof raw, token);
    token_hash(token, hash);
    long expires = (long)time(NULL) + h * 3600L;
    if (rstore_enroll_token_add(r->store, hash, kiosk, office, expires) != 0) {
        cJSON_Delete(body);
        reply_error(req, 500, "Internal Server Error", "the token cannot be stored");
        return;
    }
    log_info("registry", "enrollment token made for kiosk %s of office %s", kiosk, office);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "token", token);
    cJSON_AddStringToObject(o, "kiosk", kiosk);
    cJSON_AddStringToObject(o, "office", office);
    cJSON_AddNumberToObject(o, "expires", (double)expires);
    cJSON_Delete(body);
    reply_json(req, 200, "OK", o);
}

/* POST /v1/enroll {"token":..., "csr":PEM} -> {"certificate":PEM, "ca":PEM, "pin":...} */
static void handle_enroll(struct evhttp_request *req, void *arg) {
    struct registry *r = arg;
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    if (!path || strcmp(path, "/v1/enroll") != 0) {
        reply_error(req, 404, "Not Found", "this listener serves POST /v1/enroll only");
        return;
    }
    if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
        reply_error(req, 405, "Method Not Allowed", "use POST");
        return;
    }
    cJSON *body = body_json(req);
    const char *token = cJSON_GetStringValue(cJSON_GetObjectItem(body, "token"));
    const char *csr = cJSON_GetStringValue(cJSON_GetObjectItem(body, "csr"));
    char kiosk[128], office[16], hash[65], err[200];
    int rc;
    if (!token || strlen(token) > 128 || !csr || pki_csr_check(csr) != 0) {
        reply_error(req, 400, "Bad Request",
                    "expected {\"token\":..., \"csr\":PEM} with a CSR signed by its own key");
    } else if (token_hash(token, hash),
               (rc = rstore_enroll_token_take(r->store, hash, kiosk, sizeof kiosk, office,
                                              sizeof office)) != 0) {
        log_warn("registry", "enrollment refused: %s token",
                 rc > 0 ? "unknown, used or expired" : "unreadable");
        reply_error(req, rc > 0 ? 403 : 500, rc > 0 ? "Forbidden" : "Internal Server Error",
                    rc > 0 ? "the token is unknown, used or expired: ask the operator for a new one"
                           : "the token cannot be checked");
    } else {
        char *cert = pki_sign_csr(r->pki, csr, kiosk, office, 825, err, sizeof err);
        if (!cert) {
            log_error("registry", "enrollment of %s: %s", kiosk, err);
            reply_error(req, 500, "Internal Server Error", err);
        } else {
            log_info("registry", "kiosk %s of office %s enrolled", kiosk, office);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "certificate", cert);
            cJSON_AddStringToObject(o, "ca", r->ca_pem);
            cJSON_AddStringToObject(o, "pin", r->pin);
            cJSON_AddStringToObject(o, "kiosk", kiosk);
            cJSON_AddStringToObject(o, "office", office);
            free(cert);
            reply_json(req, 200, "OK", o);
        }
    }
    cJSON_Delete(body);
}

/* --- releases and content: blobs by SHA-256, manifests by type and channel --- */

static bool sha_ok(const char *s) {
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* PUT /v1/admin/blobs/SHA256: the body must hash to SHA256. */
static void put_blob(struct registry *r, struct evhttp_request *req, const char *sha) {
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    unsigned char *data = len ? evbuffer_pullup(in, (ev_ssize_t)len) : NULL;
    uint8_t md[32];
    char hex[65], path[800], tmp[820];
    if (!sha_ok(sha) || !data || crypto_sha256(data, len, md) != 0) {
        reply_error(req, 400, "Bad Request", "expected PUT /v1/admin/blobs/SHA256 with the bytes");
        return;
    }
    crypto_hex(md, sizeof md, hex);
    if (strcmp(hex, sha) != 0) {
        reply_error(req, 400, "Bad Request", "the body does not hash to the name");
        return;
    }
    snprintf(path, sizeof path, "%s/%s", r->blobs, sha);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        reply_error(req, 500, "Internal Server Error", "the blob cannot be stored");
        return;
    }
    reply_json(req, 200, "OK", cJSON_CreateObject());
}

/* POST /v1/admin/manifests: published once every file it names is here. The registry does
 * not judge signatures: kiosks do, against their own trust directory. */
/* A share of kiosks, 0 to 100, from text; -1 when it is not one. */
static int percent_of(const char *text) {
    char *end;
    long v = text ? strtol(text, &end, 10) : -1;
    return text && end != text && !*end && v >= 0 && v <= 100 ? (int)v : -1;
}

/* The kiosk's fixed place among 100 buckets: a rollout of N % reaches buckets 0..N-1, so the
 * same kiosks go first every time (canaries) and widening never takes a release away. */
static int rollout_bucket(const char *kiosk) {
    uint8_t md[32];
    if (crypto_sha256(kiosk, strlen(kiosk), md) != 0)
        return 99;
    return ((md[0] << 8) | md[1]) % 100;
}

static void post_manifest(struct registry *r, struct evhttp_request *req) {
    char *share = query_param(req, "rollout");
    int rollout = share ? percent_of(share) : 100;
    free(share);
    char *text = body_text(req);
    cJSON *m = text ? cJSON_Parse(text) : NULL;
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(m, "type"));
    const char *channel = cJSON_GetStringValue(cJSON_GetObjectItem(m, "channel"));
    const cJSON *serial = cJSON_GetObjectItem(m, "serial"), *f;
    const char *missing = NULL;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(m, "files")) {
        const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(f, "sha256"));
        char path[800];
        snprintf(path, sizeof path, "%s/%s", r->blobs, sha && sha_ok(sha) ? sha : "-");
        if (!missing && access(path, R_OK) != 0)
            missing = sha ? sha : "?";
    }
    if (!type || (strcmp(type, "release") && strcmp(type, "content")) || !channel ||
        !cJSON_IsNumber(serial) || !cJSON_IsArray(cJSON_GetObjectItem(m, "signatures"))) {
        reply_error(req, 400, "Bad Request", "expected a signed manifest");
    } else if (missing) {
        char why[200];
        snprintf(why, sizeof why, "blob %.64s has not been uploaded", missing);
        reply_error(req, 409, "Conflict", why);
    } else if (rollout < 0) {
        reply_error(req, 400, "Bad Request", "rollout is a share of the kiosks, 0 to 100");
    } else if (rstore_manifest_put(r->store, type, channel, (long)serial->valuedouble, text,
                                   rollout) != 0) {
        reply_error(req, 500, "Internal Server Error", "the manifest cannot be stored");
    } else {
        log_info("registry", "%s serial %ld published on channel %s to %d %% of its kiosks", type,
                 (long)serial->valuedouble, channel, rollout);
        reply_json(req, 200, "OK", cJSON_CreateObject());
    }
    cJSON_Delete(m);
    free(text);
}

/* POST /v1/admin/rollout {"type","channel","serial","percent"}: widen (or narrow, or stop
 * with 0) a staged rollout. */
static void post_rollout(struct registry *r, struct evhttp_request *req) {
    cJSON *b = body_json(req);
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(b, "type"));
    const char *channel = cJSON_GetStringValue(cJSON_GetObjectItem(b, "channel"));
    const cJSON *serial = cJSON_GetObjectItem(b, "serial"), *pc = cJSON_GetObjectItem(b, "percent");
    int rc = -2;
    if (type && channel && cJSON_IsNumber(serial) && cJSON_IsNumber(pc) && pc->valuedouble >= 0 &&
        pc->valuedouble <= 100)
        rc = rstore_manifest_rollout(r->store, type, channel, (long)serial->valuedouble,
                                     (int)pc->valuedouble);
    if (rc == -2)
        reply_error(req, 400, "Bad Request", "expected type, channel, serial and percent (0-100)");
    else if (rc < 0)
        reply_error(req, 500, "Internal Server Error", "the rollout cannot be stored");
    else if (rc == 0)
        reply_error(req, 404, "Not Found", "no such manifest on this channel");
    else {
        log_info("registry", "%s serial %ld on channel %s now goes to %d %% of its kiosks", type,
                 (long)serial->valuedouble, channel, (int)pc->valuedouble);
        reply_json(req, 200, "OK", cJSON_CreateObject());
    }
    cJSON_Delete(b);
}

/* GET /v1/releases/CHANNEL, /v1/content/CHANNEL: the newest manifest whose rollout reaches
 * the asking kiosk. */
static void get_manifest(struct registry *r, struct evhttp_request *req, const char *type,
                         const char *channel, const char *kiosk) {
    char *json = rstore_manifest_latest(r->store, type, channel, rollout_bucket(kiosk));
    if (!json) {
        reply_error(req, 404, "Not Found", "nothing published on this channel");
        return;
    }
    struct evbuffer *out = evbuffer_new();
    evbuffer_add(out, json, strlen(json));
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evhttp_send_reply(req, 200, "OK", out);
    evbuffer_free(out);
    free(json);
}

/* GET /v1/blobs/SHA256, with "Range: bytes=N-" to resume. */
static void get_blob(struct registry *r, struct evhttp_request *req, const char *sha) {
    char path[800];
    snprintf(path, sizeof path, "%s/%s", r->blobs, sha);
    int fd = sha_ok(sha) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        reply_error(req, 404, "Not Found", "no such blob");
        return;
    }
    const char *range = evhttp_find_header(evhttp_request_get_input_headers(req), "Range");
    long long from = 0;
    if (range && sscanf(range, "bytes=%lld-", &from) == 1 && (from < 0 || from > st.st_size)) {
        close(fd);
        reply_error(req, 416, "Range Not Satisfiable", "the range starts past the end");
        return;
    }
    struct evbuffer *out = evbuffer_new();
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", "application/octet-stream");
    evbuffer_add_file(out, fd, from, st.st_size - from); /* takes the descriptor */
    if (range && from >= 0) {
        char cr[96];
        snprintf(cr, sizeof cr, "bytes %lld-%lld/%lld", from, (long long)st.st_size - 1,
                 (long long)st.st_size);
        evhttp_add_header(h, "Content-Range", cr);
        evhttp_send_reply(req, 206, "Partial Content", out);
    } else {
        evhttp_send_reply(req, 200, "OK", out);
    }
    evbuffer_free(out);
}

/* The admin API: operator certificates only. */
static void handle_admin(struct registry *r, struct evhttp_request *req, const char *path,
                         enum evhttp_cmd_type m) {
    bool post = m == EVHTTP_REQ_POST, get = m == EVHTTP_REQ_GET;
    if (!strcmp(path, "/v1/admin/appointments") && post)
        post_appointments(r, req);
    else if (!strcmp(path, "/v1/admin/fleet") && get)
        get_fleet(r, req);
    else if (!strcmp(path, "/v1/admin/records") && get)
        get_records(r, req);
    else if (!strcmp(path, "/v1/admin/update-events") && get)
        get_update_events(r, req);
    else if (!strcmp(path, "/v1/admin/commands") && post)
        post_command(r, req);
    else if (!strcmp(path, "/v1/admin/commands") && get)
        get_command_list(r, req);
    else if (!strcmp(path, "/v1/admin/enroll-tokens") && post)
        post_enroll_token(r, req);
    else if (!strcmp(path, "/v1/admin/records/status") && post)
        post_record_status(r, req);
    else if (!strncmp(path, "/v1/admin/records/", 18) && strcmp(path + 18, "status") && get) {
        char *rec = rstore_record(r->store, path + 18);
        if (!rec) {
            reply_error(req, 404, "Not Found", "no such record");
        } else {
            log_info("registry", "record %.40s read whole by an operator", path + 18);
            reply_json(req, 200, "OK", cJSON_Parse(rec));
            free(rec);
        }
    } else if (!strncmp(path, "/v1/admin/blobs/", 16) && m == EVHTTP_REQ_PUT) {
        put_blob(r, req, path + 16);
    } else if (!strcmp(path, "/v1/admin/manifests") && post) {
        post_manifest(r, req);
    } else if (!strcmp(path, "/v1/admin/rollout") && post) {
        post_rollout(r, req);
    } else if (!strcmp(path, "/v1/admin/receipt-keys") && get) {
        char *list = rstore_receipt_keys(r->store);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "keys", list ? cJSON_Parse(list) : cJSON_CreateArray());
        free(list);
        reply_json(req, 200, "OK", o);
    } else if (!strcmp(path, "/v1/admin/appointments") || !strcmp(path, "/v1/admin/fleet") ||
               !strcmp(path, "/v1/admin/records") || !strcmp(path, "/v1/admin/commands") ||
               !strcmp(path, "/v1/admin/enroll-tokens"))
        reply_error(req, 405, "Method Not Allowed", "wrong method for this API");
    else
        reply_error(req, 404, "Not Found", "no such admin API");
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
    } else if (!strncmp(path, "/v1/admin/", 10)) {
        if (strcmp(p.ou, "operator") != 0)
            reply_error(req, 403, "Forbidden", "the admin API is for operator certificates");
        else
            handle_admin(r, req, path, m);
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
    } else if (!strncmp(path, "/v1/releases/", 13) && m == EVHTTP_REQ_GET) {
        get_manifest(r, req, "release", path + 13, p.cn);
    } else if (!strncmp(path, "/v1/content/", 12) && m == EVHTTP_REQ_GET) {
        get_manifest(r, req, "content", path + 12, p.cn);
    } else if (!strncmp(path, "/v1/blobs/", 10) && m == EVHTTP_REQ_GET) {
        get_blob(r, req, path + 10);
    } else if (!strcmp(path, "/v1/commands") && m == EVHTTP_REQ_GET) {
        get_commands(r, req, &p);
    } else if (!strncmp(path, "/v1/commands/", 13) && m == EVHTTP_REQ_POST) {
        post_ack(r, req, &p, path);
    } else if (!strcmp(path, "/v1/status") && m == EVHTTP_REQ_GET) {
        get_status(r, req);
    } else if (!strcmp(path, "/v1/receipt-keys") && m == EVHTTP_REQ_GET) {
        /* public keys only: any kiosk verifies any kiosk's receipts offline */
        char *list = rstore_receipt_keys(r->store);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "keys", list ? cJSON_Parse(list) : cJSON_CreateArray());
        free(list);
        reply_json(req, 200, "OK", o);
    } else {
        reply_error(req, 404, "Not Found", "no such API");
    }
}

/* --- a refused handshake: the client must read why ---
 * In TLS 1.3 the client's certificate is checked after the client has finished its side of
 * the handshake, so a client like curl has already sent its request when the server's alert
 * ("certificate expired") goes out. Closing a socket with unread data makes the kernel send a
 * reset, which can overtake the alert: the kiosk would see "connection reset" instead of the
 * reason. So after a fatal alert the registry logs it, half-closes the socket (the alert, then
 * FIN) and keeps a duplicate of it open, reading and dropping what comes, until the client
 * closes or 3 s pass. */

#define LINGER_MAX 64
static struct event_base *linger_base;
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
static SSL_CTX *make_ssl(const char *pki, bool mutual) {
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

static void on_signal(evutil_socket_t fd, short ev, void *arg) {
    (void)fd;
    (void)ev;
    event_base_loopexit(arg, NULL);
}

struct options {
    char listen[256], enroll_listen[256], data[512], pki[512];
};

/* [registry] listen = HOST:PORT, data = DIR, pki = DIR; relative directories are taken from
 * the directory the file is in. */
static int on_config(void *ud, const char *section, const char *name, const char *value) {
    struct options *o = ud;
    if (strcmp(section, "registry") != 0)
        return 1; /* other sections belong to others */
    if (!strcmp(name, "listen"))
        snprintf(o->listen, sizeof o->listen, "%s", value);
    else if (!strcmp(name, "enroll_listen"))
        snprintf(o->enroll_listen, sizeof o->enroll_listen, "%s", value);
    else if (!strcmp(name, "data"))
        snprintf(o->data, sizeof o->data, "%s", value);
    else if (!strcmp(name, "pki"))
        snprintf(o->pki, sizeof o->pki, "%s", value);
    else {
        fprintf(stderr, "registryd: unknown setting [registry] %s\n", name);
        return 0;
    }
    return 1;
}

static void relative_to(char *path, size_t cap, const char *file) {
    const char *slash = strrchr(file, '/');
    if (!path[0] || path[0] == '/' || !slash)
        return;
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%.*s/%s", (int)(slash - file), file, path);
    if ((size_t)snprintf(path, cap, "%s", tmp) >= cap)
        log_warn("registry", "a path of %s is too long and was cut", file);
}

static int read_config(struct options *o, const char *file) {
    int rc = ini_parse(file, on_config, o);
    if (rc != 0) {
        if (rc < 0)
            fprintf(stderr, "registryd: cannot read %s\n", file);
        else
            fprintf(stderr, "registryd: %s: error on line %d\n", file, rc);
        return -1;
    }
    relative_to(o->data, sizeof o->data, file);
    relative_to(o->pki, sizeof o->pki, file);
    return 0;
}

/* An evhttp on HOST:PORT (spec) with the bufferevent and request callbacks; NULL when it
 * cannot listen. */
static struct evhttp *listen_on(struct registry *r, const char *spec,
                                struct bufferevent *(*bevcb)(struct event_base *, void *),
                                void (*cb)(struct evhttp_request *, void *)) {
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
    struct evhttp_bound_socket *bound =
        evhttp_bind_socket_with_handle(http, host, (ev_uint16_t)atoi(colon + 1));
    if (!bound) {
        fprintf(stderr, "registryd: cannot listen on %s\n", spec);
        evhttp_free(http);
        return NULL;
    }
    /* Without TCP_NODELAY an answer written in two TLS records waits for the client's delayed
     * ACK: 40 ms a request (measured with bench/update.sh). Linux hands the option down to
     * the accepted connections. */
    int one = 1;
    if (setsockopt(evhttp_bound_socket_get_fd(bound), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) !=
        0)
        log_warn("registry", "TCP_NODELAY: %s", strerror(errno));
    return http;
}

int main(int argc, char **argv) {
    log_init("registryd", LOG_INFO);
    static const struct option opts[] = {{"config", required_argument, 0, 'c'},
                                         {"listen", required_argument, 0, 'l'},
                                         {"data", required_argument, 0, 'd'},
                                         {"pki", required_argument, 0, 'p'},
                                         {"enroll-listen", required_argument, 0, 'e'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    struct options o = {0};
    const char *listen_at = NULL, *data = NULL, *pki = NULL, *enroll_at = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (read_config(&o, optarg) != 0)
                return 2;
            break;
        case 'l':
            listen_at = optarg;
            break;
        case 'd':
            data = optarg;
            break;
        case 'p':
            pki = optarg;
            break;
        case 'e':
            enroll_at = optarg;
            break;
        case 'h':
            printf("usage: registryd --config FILE | --listen HOST:PORT --data DIR --pki DIR "
                   "[--enroll-listen HOST:PORT]\n"
                   "  FILE: [registry] listen = HOST:PORT, data = DIR, pki = DIR, "
                   "enroll_listen = HOST:PORT (flags override it)\n"
                   "  --enroll-listen: where kiosks without a certificate trade a one-time token "
                   "and a CSR for one (POST /v1/enroll; TLS 1.3, server certificate only)\n");
            return 0;
        default:
            fprintf(stderr, "registryd: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    /* flags override the file */
    if (!listen_at && o.listen[0])
        listen_at = o.listen;
    if (!data && o.data[0])
        data = o.data;
    if (!pki && o.pki[0])
        pki = o.pki;
    if (!enroll_at && o.enroll_listen[0])
        enroll_at = o.enroll_listen;
    if (!listen_at || !strrchr(listen_at, ':') || !data || !pki ||
        (enroll_at && !strrchr(enroll_at, ':'))) {
        fprintf(stderr, "registryd: --listen HOST:PORT, --data DIR and --pki DIR (or --config "
                        "FILE with them) are required\n");
        return 2;
    }
    struct registry r = {0};
    snprintf(r.pki, sizeof r.pki, "%s", pki);
    snprintf(r.blobs, sizeof r.blobs, "%s/blobs", data);
    mkdir(r.blobs, 0755);
    char path[1100];
    snprintf(path, sizeof path, "%s/ca.crt", pki);
    r.ca_pem = file_read(path, 65536, NULL);
    snprintf(path, sizeof path, "%s/registry.crt", pki);
    if (!r.ca_pem || pki_pin_of(path, r.pin, sizeof r.pin) != 0) {
        fprintf(stderr, "registryd: cannot read the certificates of %s\n", pki);
        return 1;
    }
    r.ssl = make_ssl(pki, true);
    r.enroll_ssl = enroll_at && r.ssl ? make_ssl(pki, false) : NULL;
    r.store = r.ssl && (!enroll_at || r.enroll_ssl) ? rstore_open(data) : NULL;
    if (!r.store)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    r.base = event_base_new();
    linger_base = r.base;
    struct evhttp *http = listen_on(&r, listen_at, make_bev, handle);
    struct evhttp *enroll =
        enroll_at ? listen_on(&r, enroll_at, make_enroll_bev, handle_enroll) : NULL;
    if (!http || (enroll_at && !enroll))
        return 1;
    struct event *term = evsignal_new(r.base, SIGTERM, on_signal, r.base);
    struct event *intr = evsignal_new(r.base, SIGINT, on_signal, r.base);
    event_add(term, NULL);
    event_add(intr, NULL);
    log_info("registry", "listening on %s (TLS 1.3, client certificates of %s/ca.crt)", listen_at,
             pki);
    if (enroll)
        log_info("registry", "enrollment on %s (one-time tokens)", enroll_at);
    event_base_dispatch(r.base);
    event_free(term);
    event_free(intr);
    evhttp_free(http);
    if (enroll)
        evhttp_free(enroll);
    event_base_free(r.base);
    rstore_close(r.store);
    SSL_CTX_free(r.ssl);
    SSL_CTX_free(r.enroll_ssl);
    free(r.ca_pem);
    return 0;
}
