/* router: the one route table of the main listener and the reply helpers every handler uses.
 * A request is matched by path (exact, or a prefix whose rest goes to the handler); a path
 * that exists with another method is 405, none is 404; the certificate's role (OU) must be
 * the route's. */
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "log.h"
#include "num.h"
#include "registry.h"
#include "rstore.h"

void reply_json(struct evhttp_request *req, int code, const char *reason, cJSON *body) {
    /* answers carry appointments and records: the tree and its text are wiped after use */
    char *text = cJSON_PrintUnformatted(body ? body : cJSON_CreateObject());
    struct evbuffer *out = evbuffer_new();
    evbuffer_add(out, text ? text : "{}", text ? strlen(text) : 2);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evhttp_send_reply(req, code, reason, out);
    evbuffer_free(out);
    json_wipe_free(text);
    json_wipe_delete(body);
}

void reply_error(struct evhttp_request *req, int code, const char *reason,
                        const char *message) {
    if (code >= 500) { /* the registry's own failure: logged with its cause */
        const char *uri = evhttp_request_get_uri(req);
        log_event(LOG_ERROR, "registry", LOG_MSGID_SERVER_ERROR, NULL, NULL, "%d %s: %s", code,
                  uri ? uri : "?", message);
    }
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "error", message);
    reply_json(req, code, reason, b);
}

char *body_text(struct evhttp_request *req) {
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

/* The request's body parsed as JSON; NULL when there is none, it is larger than max, or it
 * does not parse (strictly: UTF-8, no escaped NUL). The text is wiped: bodies carry personal
 * data. */
cJSON *body_json_max(struct evhttp_request *req, size_t max) {
    size_t len = evbuffer_get_length(evhttp_request_get_input_buffer(req));
    if (len > max)
        return NULL;
    char *text = body_text(req);
    cJSON *body = text ? json_parse_strict(text, len) : NULL;
    if (text)
        explicit_bzero(text, len);
    free(text);
    return body;
}

cJSON *body_json(struct evhttp_request *req) {
    return body_json_max(req, JSON_BODY_MAX);
}

/* The value of one query parameter (malloc'd), or NULL. */
char *query_param(struct evhttp_request *req, const char *name) {
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
    struct evkeyvalq q;
    if (!query || evhttp_parse_query_str(query, &q) != 0)
        return NULL;
    const char *v = evhttp_find_header(&q, name);
    char *out = v ? strdup(v) : NULL;
    evhttp_clear_headers(&q);
    return out;
}

cJSON *rows_json(const struct rstore_rows *rows) {
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; rows && a && i < rows->nrows; i++) {
        cJSON *o = cJSON_CreateObject();
        for (int c = 0; o && c < rows->ncols; c++) {
            const char *v = rstore_cell(rows, i, c);
            const char *name = rows->cols[c].name;
            if (!v)
                cJSON_AddNullToObject(o, name);
            else if (rows->cols[c].type == RSTORE_INT)
                cJSON_AddNumberToObject(o, name, (double)num_i64_or(v, INT64_MIN, INT64_MAX, 0));
            else if (rows->cols[c].type == RSTORE_JSON) {
                cJSON *j = cJSON_Parse(v); /* stored as the kiosk or operator sent it */
                cJSON_AddItemToObject(o, name, j ? j : cJSON_CreateNull());
            }
            else
                cJSON_AddStringToObject(o, name, v);
        }
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

void reply_rows(struct evhttp_request *req, const char *name, struct rstore_rows *rows,
                const char *what) {
    if (!rows) {
        char msg[160];
        snprintf(msg, sizeof msg, "the %s cannot be read", what);
        reply_error(req, 500, "Internal Server Error", msg);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, name, rows_json(rows));
    rstore_rows_free(rows);
    reply_json(req, 200, "OK", o);
}

cJSON *rows_values(const struct rstore_rows *rows, int col) {
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; rows && a && i < rows->nrows; i++) {
        const char *v = rstore_cell(rows, i, col);
        cJSON *item = v ? cJSON_Parse(v) : NULL;
        cJSON_AddItemToArray(a, item ? item : cJSON_CreateNull());
    }
    return a;
}

/* ROLE_OPERATOR: any operator, the handler keeping an office's operator to its office
 * (operator_office); ROLE_PROVINCE: the province's operators only (releases, every kiosk's
 * commands and audit, backups). */
enum role { ROLE_KIOSK, ROLE_OPERATOR, ROLE_PROVINCE };

struct route {
    enum evhttp_cmd_type method;
    const char *path;
    bool prefix; /* path is a prefix; the rest goes to the handler */
    enum role role;
    route_fn fn;
};

const char *operator_office(const struct peer *p) {
    size_t n = strlen(p->org);
    return n == 6 && strspn(p->org, "0123456789") == n ? p->org : NULL;
}

bool operator_may(struct evhttp_request *req, const struct peer *p, const char *office) {
    const char *mine = operator_office(p);
    if (!mine || (office && !strcmp(office, mine)))
        return true;
    log_warn("registry", "operator %s of office %s was refused office %.16s", p->cn, mine,
             office ? office : "(none)");
    reply_error(req, 403, "Forbidden", "this operator certificate is for another office");
    return false;
}

char *operator_office_param(struct evhttp_request *req, const struct peer *p, bool *refused) {
    char *office = query_param(req, "office");
    const char *mine = operator_office(p);
    *refused = false;
    if (!mine)
        return office;
    if (office && !operator_may(req, p, office)) {
        *refused = true;
        free(office);
        return NULL;
    }
    free(office);
    return strdup(mine);
}

static const struct route routes[] = {
    /* kiosks */
    {EVHTTP_REQ_POST, "/v1/applications", false, ROLE_KIOSK, post_applications},
    {EVHTTP_REQ_POST, "/v1/checkins", false, ROLE_KIOSK, post_checkins},
    {EVHTTP_REQ_POST, "/v1/ratings", false, ROLE_KIOSK, post_ratings},
    {EVHTTP_REQ_GET, "/v1/status", false, ROLE_KIOSK, get_status},
    {EVHTTP_REQ_GET, "/v1/appointments", false, ROLE_KIOSK, get_appointments},
    {EVHTTP_REQ_POST, "/v1/heartbeat", false, ROLE_KIOSK, post_heartbeat},
    {EVHTTP_REQ_GET, "/v1/commands", false, ROLE_KIOSK, get_commands},
    {EVHTTP_REQ_POST, "/v1/commands/", true, ROLE_KIOSK, post_ack},
    {EVHTTP_REQ_GET, "/v1/whoami", false, ROLE_KIOSK, get_whoami},
    {EVHTTP_REQ_POST, "/v1/renew", false, ROLE_KIOSK, post_renew},
    {EVHTTP_REQ_GET, "/v1/receipt-keys", false, ROLE_KIOSK, get_receipt_keys},
    {EVHTTP_REQ_GET, "/v1/releases/", true, ROLE_KIOSK, get_release},
    {EVHTTP_REQ_GET, "/v1/content/", true, ROLE_KIOSK, get_content},
    {EVHTTP_REQ_GET, "/v1/roots/", true, ROLE_KIOSK, get_root},
    {EVHTTP_REQ_GET, "/v1/blobs/", true, ROLE_KIOSK, get_blob},
    /* operators: the admin API */
    {EVHTTP_REQ_POST, "/v1/admin/appointments", false, ROLE_OPERATOR, post_appointments},
    {EVHTTP_REQ_GET, "/v1/admin/fleet", false, ROLE_OPERATOR, get_fleet},
    {EVHTTP_REQ_GET, "/v1/admin/records", false, ROLE_OPERATOR, get_records},
    {EVHTTP_REQ_POST, "/v1/admin/records/status", false, ROLE_OPERATOR, post_record_status},
    {EVHTTP_REQ_GET, "/v1/admin/records/", true, ROLE_OPERATOR, get_record},
    {EVHTTP_REQ_GET, "/v1/admin/update-events", false, ROLE_PROVINCE, get_update_events},
    {EVHTTP_REQ_POST, "/v1/admin/commands", false, ROLE_PROVINCE, post_command},
    {EVHTTP_REQ_GET, "/v1/admin/commands", false, ROLE_PROVINCE, get_command_list},
    {EVHTTP_REQ_POST, "/v1/admin/enroll-tokens", false, ROLE_OPERATOR, post_enroll_token},
    {EVHTTP_REQ_POST, "/v1/admin/revocations", false, ROLE_PROVINCE, post_revocation},
    {EVHTTP_REQ_GET, "/v1/admin/revocations", false, ROLE_PROVINCE, get_revocations},
    {EVHTTP_REQ_GET, "/v1/admin/receipt-keys", false, ROLE_OPERATOR, get_receipt_keys},
    {EVHTTP_REQ_GET, "/v1/admin/audit-alarms", false, ROLE_PROVINCE, get_audit_alarms},
    {EVHTTP_REQ_GET, "/v1/admin/ratings", false, ROLE_OPERATOR, get_ratings},
    {EVHTTP_REQ_GET, "/v1/admin/alerts", false, ROLE_OPERATOR, get_alerts},
    {EVHTTP_REQ_GET, "/v1/admin/queue", false, ROLE_OPERATOR, get_queue},
    {EVHTTP_REQ_POST, "/v1/admin/queue/windows", false, ROLE_OPERATOR, post_queue_window},
    {EVHTTP_REQ_POST, "/v1/admin/queue/", true, ROLE_OPERATOR, post_queue_call},
    {EVHTTP_REQ_GET, "/v1/admin/audit-anchors", false, ROLE_PROVINCE, get_audit_anchors},
    {EVHTTP_REQ_POST, "/v1/admin/clerks", false, ROLE_OPERATOR, post_clerk},
    {EVHTTP_REQ_GET, "/v1/admin/clerks", false, ROLE_OPERATOR, get_clerks},
    {EVHTTP_REQ_POST, "/v1/admin/clerks/", true, ROLE_OPERATOR, post_clerk_change},
    {EVHTTP_REQ_GET, "/v1/admin/clerk-audit", false, ROLE_OPERATOR, get_clerk_audit},
    {EVHTTP_REQ_PUT, "/v1/admin/blobs/", true, ROLE_PROVINCE, put_blob},
    {EVHTTP_REQ_POST, "/v1/admin/manifests", false, ROLE_PROVINCE, post_manifest},
    {EVHTTP_REQ_POST, "/v1/admin/rollout", false, ROLE_PROVINCE, post_rollout},
    {EVHTTP_REQ_POST, "/v1/admin/backup", false, ROLE_PROVINCE, post_backup},
};
#define NROUTES (sizeof routes / sizeof routes[0])

void router_print(FILE *f) {
    static const char *const roles[] = {"kiosk", "operator", "province"};
    for (size_t i = 0; i < NROUTES; i++)
        fprintf(f, "%s %s%s %s\n",
                routes[i].method == EVHTTP_REQ_GET    ? "GET"
                : routes[i].method == EVHTTP_REQ_POST ? "POST"
                : routes[i].method == EVHTTP_REQ_PUT  ? "PUT"
                                                      : "?",
                routes[i].path,
                routes[i].prefix ? "*" : "", roles[routes[i].role]);
    fprintf(f, "POST /v1/enroll enrollment\n"); /* enroll.c, its own listener */
}

/* The rest of path after the route's, or NULL when it does not match. A prefix route needs a
 * non-empty rest. */
static const char *match(const struct route *rt, const char *path) {
    size_t n = strlen(rt->path);
    if (!rt->prefix)
        return strcmp(path, rt->path) ? NULL : "";
    return !strncmp(path, rt->path, n) && path[n] ? path + n : NULL;
}

/* Each answered request: its time for /metrics, and its outcome in the log (DEBUG; every
 * refusal and failure is logged where it happens at WARN or ERROR). */
/* Start times by request, in a table without allocation (a request whose connection dies
 * before the answer never completes: nothing of it must leak); a slot taken over by another
 * request only loses that one timing. */
#define TIMINGS 4096
static struct {
    const struct evhttp_request *req;
    struct timespec t0;
} timings[TIMINGS];

static size_t timing_slot(const struct evhttp_request *req) {
    return ((uintptr_t)req >> 4) % TIMINGS;
}

static void on_request_done(struct evhttp_request *req, void *arg) {
    (void)arg;
    size_t i = timing_slot(req);
    if (timings[i].req != req)
        return;
    timings[i].req = NULL;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - timings[i].t0.tv_sec) +
               (double)(t1.tv_nsec - timings[i].t0.tv_nsec) / 1e9;
    int code = evhttp_request_get_response_code(req);
    const char *uri = evhttp_request_get_uri(req);
    /* the long poll waits by design: its time is not the registry's speed */
    if (!uri || strncmp(uri, "/v1/commands?", 13) != 0)
        metrics_request_done(code, s);
    log_debug("registry", "%s %.80s %d %.1f ms",
              evhttp_request_get_command(req) == EVHTTP_REQ_GET ? "GET" : "POST/PUT",
              uri ? uri : "?", code, s * 1000);
}

void router_handle(struct evhttp_request *req, void *arg) {
    struct registry *r = arg;
    struct peer p;
    listener_admit(req); /* no rate on this listener: every kiosk has its certificate */
    size_t slot = timing_slot(req);
    timings[slot].req = req;
    clock_gettime(CLOCK_MONOTONIC, &timings[slot].t0);
    evhttp_request_set_on_complete_cb(req, on_request_done, NULL);
    if (peer_of(req, &p) != 0) {
        reply_error(req, 403, "Forbidden", "a client certificate is required");
        return;
    }
    if (p.revoked) {
        log_event(LOG_WARN, "registry", LOG_MSGID_CERT_REVOKED, p.cn, p.org,
                  "%s: a request with a revoked certificate refused, its connection closed", p.cn);
        evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
        reply_error(req, 403, "Forbidden", "this certificate is revoked");
        return;
    }
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    if (!path) {
        reply_error(req, 400, "Bad Request", "no path");
        return;
    }
    bool admin = !strncmp(path, "/v1/admin/", 10);
    enum role role = !strcmp(p.ou, "operator") ? ROLE_OPERATOR
                     : !strcmp(p.ou, "kiosk")  ? ROLE_KIOSK
                                               : (enum role)-1;
    if (admin && role != ROLE_OPERATOR) {
        reply_error(req, 403, "Forbidden", "the admin API is for operator certificates");
        return;
    }
    if (!admin && role != ROLE_KIOSK) {
        reply_error(req, 403, "Forbidden", "this API is for kiosk certificates");
        return;
    }
    enum evhttp_cmd_type m = evhttp_request_get_command(req);
    bool path_known = false;
    for (size_t i = 0; i < NROUTES; i++) {
        const char *rest = match(&routes[i], path);
        if (!rest)
            continue;
        /* a prefix route that also matches an exact one's path (records/status) yields to it */
        if (routes[i].prefix) {
            bool exact = false;
            for (size_t k = 0; k < NROUTES && !exact; k++)
                exact = !routes[k].prefix && !strcmp(routes[k].path, path);
            if (exact)
                continue;
        }
        path_known = true;
        if (routes[i].method == m && routes[i].role == ROLE_PROVINCE && operator_office(&p)) {
            reply_error(req, 403, "Forbidden",
                        "this is for the province's operators; this certificate is an office's");
            return;
        }
        if (routes[i].method == m) {
            routes[i].fn(r, req, &p, rest);
            return;
        }
    }
    if (path_known)
        reply_error(req, 405, "Method Not Allowed", "wrong method for this API");
    else
        reply_error(req, 404, "Not Found", admin ? "no such admin API" : "no such API");
}
