/* api_kiosk: the kiosks' API (certificates with OU=kiosk): records, status, appointments, heartbeat, whoami, receipt keys. */
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "json.h"
#include "log.h"
#include "num.h"
#include "registry.h"
#include "rstore.h"

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
    explicit_bzero(text, len); /* names and ID numbers of the couples */
    free(text);
    cJSON *records = cJSON_GetObjectItem(body, "records");
    if (!cJSON_IsArray(records) || cJSON_GetArraySize(records) > BATCH_MAX) {
        json_wipe_delete(body);
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
            json_wipe_free(pl);
            cJSON_AddStringToObject(res, "status",
                                    rr == RSTORE_ACCEPTED    ? "accepted"
                                    : rr == RSTORE_DUPLICATE ? "duplicate"
                                                             : "error");
        }
        cJSON_AddItemToArray(results, res);
    }
    json_wipe_delete(body);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "results", results);
    reply_json(req, 200, "OK", out);
}

void post_applications(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    post_records(r, req, p, "application");
}

void post_checkins(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    post_records(r, req, p, "checkin");
}

void get_status(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    (void)rest;
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

/* A kiosk pulls its office's appointments changed since its cursor. */
void get_appointments(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    struct evkeyvalq q;
    const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
    long since = 0;
    if (query && evhttp_parse_query_str(query, &q) == 0) {
        const char *v = evhttp_find_header(&q, "since");
        since = (long)num_i64_or(v, 0, INT64_C(1) << 53, 0);
        evhttp_clear_headers(&q);
    }
    long next = since;
    struct rstore_rows *list = rstore_appointments_since(r->store, p->org, since, 500, &next);
    if (!list) {
        reply_error(req, 500, "Internal Server Error", "the appointments cannot be read");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "appointments", rows_values(list, 0));
    char cursor[32];
    snprintf(cursor, sizeof cursor, "%ld", next);
    cJSON_AddStringToObject(o, "cursor", cursor);
    rstore_rows_free(list);
    reply_json(req, 200, "OK", o);
}

void post_heartbeat(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
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

/* GET /v1/whoami: the certificate's kiosk id and office. */
void get_whoami(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)r;
    (void)rest;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kiosk", p->cn);
    cJSON_AddStringToObject(o, "office", p->org);
    reply_json(req, 200, "OK", o);
}

/* GET /v1/receipt-keys (kiosks) and /v1/admin/receipt-keys (operators): public keys only, so
 * that any kiosk verifies any kiosk's receipts offline. */
void get_receipt_keys(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    (void)rest;
    struct rstore_rows *list = rstore_receipt_keys(r->store);
    if (!list) {
        reply_error(req, 500, "Internal Server Error", "the receipt keys cannot be read");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "keys", rows_json(list));
    rstore_rows_free(list);
    reply_json(req, 200, "OK", o);
}
