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
#include <time.h>

#include "crypto.h"
#include "json.h"
#include "log.h"
#include "num.h"
#include "business.h"
#include "queue.h"
#include "registry.h"
#include "rstore.h"
#include "uuid.h"

/* Why the registry will not take a record with this id from kiosk cn, or NULL when it will:
 * an id must be a UUID as kiosks make them, and a tagged id (uuid.h) must be the posting
 * kiosk's own, so that no kiosk can take another's records by sending their ids first.
 * Untagged ids (kiosks that did not know their id yet, older releases) are taken unless made
 * after [registry] untagged_ids_until. */
static const char *id_refusal(const struct registry *r, const char *id, const char *cn) {
    int64_t ms = 0;
    switch (uuid_record_owner(id, cn, &ms)) {
    case UUID_MADE_BY:
        return NULL;
    case UUID_NOT_MADE_BY:
        return "the id was made by another kiosk: a kiosk sends only the records it made";
    case UUID_UNTAGGED:
        if (r->untagged_until_s > 0 && ms / 1000 >= r->untagged_until_s)
            return "an untagged id made after the registry's untagged_ids_until: a kiosk that "
                   "knows its id makes tagged ids";
        return NULL;
    default:
        return "a record needs a UUID id and a payload object";
    }
}
/* What a record of kind holds, checked where the registry counts it: a 好差评 rating names a
 * service the kiosk offers, a level from 1 (非常不满意) to 5 (非常满意) and at most 6 reasons
 * from the known list. NULL: fine. */
static const char *payload_refusal(const char *kind, const cJSON *payload) {
    enum business b;
    if (!strcmp(kind, "checkin") && business_from_code(json_str(payload, "business"), &b) != 0)
        return "a check-in's business is not one of the known types (domain/business.h)";
    if (strcmp(kind, "rating") != 0)
        return NULL;
    static const char *const services[] = {"checkin", "joint", "progress", "guide"};
    static const char *const reasons[] = {"wait", "steps", "device", "unclear", "staff", "other"};
    const char *svc = json_str(payload, "service");
    bool known = false;
    for (size_t i = 0; svc && i < sizeof services / sizeof services[0]; i++)
        known = known || !strcmp(svc, services[i]);
    if (!known || json_int(payload, "level", 1, 5, 0) == 0)
        return "a rating needs a known service and a level from 1 to 5";
    const cJSON *rs = cJSON_GetObjectItem(payload, "reasons"), *r;
    if (rs && (!cJSON_IsArray(rs) || cJSON_GetArraySize(rs) > 6))
        return "a rating's reasons are a list of at most 6";
    cJSON_ArrayForEach(r, rs) {
        bool ok = false;
        for (size_t i = 0; cJSON_IsString(r) && i < sizeof reasons / sizeof reasons[0]; i++)
            ok = ok || !strcmp(r->valuestring, reasons[i]);
        if (!ok)
            return "a rating's reason is not one of wait, steps, device, unclear, staff, other";
    }
    return NULL;
}

static const char *result_name(enum rstore_result rr) {
    switch (rr) {
    case RSTORE_ACCEPTED:
        return "accepted";
    case RSTORE_DUPLICATE:
        return "duplicate";
    default:
        return "error";
    }
}

static void post_records(struct registry *r, struct evhttp_request *req, const struct peer *p,
                         const char *kind) {
    cJSON *body = body_json_max(req, RECORDS_BODY_MAX);
    cJSON *records = cJSON_GetObjectItem(body, "records");
    if (!cJSON_IsArray(records) || cJSON_GetArraySize(records) > BATCH_MAX) {
        json_wipe_delete(body);
        reply_error(req, 400, "Bad Request",
                    "expected {\"records\":[...]} of at most 200, in UTF-8, at most 4 MiB");
        return;
    }
    int n = cJSON_GetArraySize(records), m = 0;
    struct rstore_record_in *in = calloc((size_t)n + 1, sizeof *in);
    enum rstore_result *res = calloc((size_t)n + 1, sizeof *res);
    char **texts = calloc((size_t)n + 1, sizeof *texts);
    int *slot = calloc((size_t)n + 1, sizeof *slot); /* the record's place in the batch, or -1 */
    if (!in || !res || !texts || !slot) {
        free(in), free(res), free(texts), free(slot);
        json_wipe_delete(body);
        reply_error(req, 503, "Service Unavailable", "out of memory");
        return;
    }
    const cJSON *rec;
    int i = 0, foreign = 0;
    cJSON_ArrayForEach(rec, records) {
        const char *id = json_str(rec, "id");
        const cJSON *payload = cJSON_GetObjectItem(rec, "payload");
        slot[i] = -1;
        const char *why = id_refusal(r, id, p->cn);
        if (why && uuid_record_owner(id, p->cn, NULL) == UUID_NOT_MADE_BY)
            foreign++;
        if (!why && cJSON_IsObject(payload))
            why = payload_refusal(kind, payload);
        if (!why && cJSON_IsObject(payload) && (texts[m] = cJSON_PrintUnformatted(payload))) {
            /* its type and queue number, for the office's lists (a walk-in's is marriage); a
             * rating's service and level, counted without opening the sealed payloads */
            bool rating = !strcmp(kind, "rating");
            const char *biz = json_str(payload, rating ? "service" : "business");
            in[m] = (struct rstore_record_in){id, kind, texts[m],
                                              !strcmp(kind, "checkin") && !biz ? "marriage" : biz,
                                              json_str(payload, "queue_no"),
                                              rating ? (int)json_int(payload, "level", 1, 5, 0) : 0};
            slot[i] = m++;
        }
        i++;
    }
    if (foreign)
        log_warn("registry", "%s (office %s) sent %d record ids another kiosk made: refused",
                 p->cn, p->org, foreign);
    rstore_put_batch(r->store, p->cn, p->org, in, m, res);
    /* the batch's queue tickets in one transaction (one commit, not one a record) */
    bool unit = rstore_unit_begin(r->store, true) == 0;
    cJSON *results = cJSON_CreateArray();
    i = 0;
    cJSON_ArrayForEach(rec, records) {
        cJSON *o = cJSON_CreateObject();
        const char *id = json_str(rec, "id");
        cJSON_AddStringToObject(o, "id", id && strlen(id) <= 64 ? id : "");
        if (slot[i] < 0) {
            const char *why = id_refusal(r, id, p->cn);
            const cJSON *payload = cJSON_GetObjectItem(rec, "payload");
            if (!why && cJSON_IsObject(payload))
                why = payload_refusal(kind, payload);
            cJSON_AddStringToObject(o, "status", "rejected");
            cJSON_AddStringToObject(o, "reason",
                                    why ? why : "a record needs a UUID id and a payload object");
        } else {
            cJSON_AddStringToObject(o, "status", result_name(res[slot[i]]));
            /* a check-in or an application stored: its ticket in the office's queue; also
             * when sent again (a duplicate), so that a ticket lost to a crash after the
             * records' commit comes with the kiosk's resend (one a record: idempotent) */
            if (res[slot[i]] != RSTORE_ERROR &&
                queue_ticket_from_record(r->store, p->cn, p->org, kind, id,
                                         cJSON_GetObjectItem(rec, "payload"), (long long)time(NULL)) < 0)
                log_error("registry", "record %s: its queue ticket cannot be stored", id);
        }
        cJSON_AddItemToArray(results, o);
        i++;
    }
    bool tickets_ok = !unit || rstore_unit_end(r->store, true) == 0;
    for (int k = 0; k < m; k++)
        json_wipe_free(texts[k]);
    free(in), free(res), free(texts), free(slot);
    json_wipe_delete(body);
    if (!tickets_ok) { /* the kiosk sends the batch again: its records are duplicates then */
        log_error("registry", "the queue tickets of a batch from %s cannot be committed: 503, "
                  "the kiosk sends it again", p->cn);
        cJSON_Delete(results);
        reply_error(req, 503, "Service Unavailable", "the queue cannot be stored; send again");
        return;
    }
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

void post_ratings(struct registry *r, struct evhttp_request *req, const struct peer *p,
                  const char *rest) {
    (void)rest;
    post_records(r, req, p, "rating");
}

/* The statuses of records of the asking kiosk's office only: an id from another office is
 * "unknown", as if it did not exist. */
void get_status(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
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
    char buf[8192], *save = NULL;
    snprintf(buf, sizeof buf, "%s", ids ? ids : "");
    int count = 0;
    for (char *id = strtok_r(buf, ",", &save); id && count < 100;
         id = strtok_r(NULL, ",", &save), count++) {
        if (strlen(id) > 64)
            continue;
        cJSON *o = cJSON_CreateObject();
        char st[32], why[RSTORE_REASON_MAX + 1] = "";
        if (uuid_record_owner(id, NULL, NULL) == UUID_MALFORMED ||
            rstore_status(r->store, p->org, p->cn, id, st, sizeof st, why, sizeof why) != 0)
            snprintf(st, sizeof st, "unknown");
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddStringToObject(o, "status", st);
        if (why[0]) /* the office's reason: what to bring or correct */
            cJSON_AddStringToObject(o, "reason", why);
        /* waiting in the office's queue: how many before it, about how long */
        int ahead = 0, wait = 0;
        if (!strcmp(st, "received") &&
            queue_position(r->store, p->org, queue_day((long long)time(NULL)), p->cn, id, &ahead,
                           &wait) == 0) {
            cJSON *qo = cJSON_AddObjectToObject(o, "queue");
            cJSON_AddNumberToObject(qo, "ahead", ahead);
            cJSON_AddNumberToObject(qo, "wait_min", wait);
        }
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

/* Whether key (base64url) is one the registry keeps for this kiosk. */
static bool kiosk_has_key(struct registry *r, const char *kiosk, const char *key) {
    char owner[128];
    return rstore_receipt_key_owner(r->store, key, owner, sizeof owner) == 0 &&
           !strcmp(owner, kiosk);
}

static bool hex64(const char *s) {
    return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* The audit anchor of a heartbeat: {"seq","hash","sig"} signed with the kiosk's receipt key,
 * and "check":{"seq","hash"} (or "missing":true), the kiosk's hash of the row the registry
 * asked about last time. A chain that went back or a row whose hash changed raises an alarm
 * (logged, kept, in the fleet view). Returns the seq to check next time (-1: none). */
static long long audit_anchor(struct registry *r, const struct peer *p, const cJSON *body,
                              const char *key) {
    const cJSON *a = cJSON_GetObjectItem(body, "audit");
    long long seq = json_int(a, "seq", 0, INT64_C(1) << 53, -1);
    const char *hash = json_str(a, "hash"), *sig = json_str(a, "sig");
    if (!a)
        return -1;
    uint8_t pub[32], sigb[64], hb[32];
    char text[120], alarm[300] = "";
    bool ok = seq >= 0 && hex64(hash) && sig && key && crypto_b64url_decode(key, pub, 32) == 32 &&
              crypto_b64url_decode(sig, sigb, 64) == 64 && kiosk_has_key(r, p->cn, key);
    if (ok) {
        for (int i = 0; i < 32; i++)
            sscanf(hash + 2 * i, "%2hhx", &hb[i]);
        crypto_anchor_text(seq, hb, text);
        ok = crypto_ed25519_verify(pub, text, strlen(text), sigb) == 0;
    }
    if (!ok) {
        log_warn("registry", "the audit anchor of %s is malformed or its signature does not hold",
                 p->cn);
        return -1;
    }
    long long last = 0;
    char last_hash[65];
    if (rstore_anchor_last(r->store, p->cn, &last, last_hash) != 0)
        return -1;
    const cJSON *chk = cJSON_GetObjectItem(a, "check");
    long long cseq = json_int(chk, "seq", 1, INT64_C(1) << 53, -1);
    char kept[65] = "";
    if (cseq > 0 && rstore_anchor_at(r->store, p->cn, cseq, kept) == 0 && kept[0]) {
        const char *chash = json_str(chk, "hash");
        if (json_bool(chk, "missing", false))
            snprintf(alarm, sizeof alarm, "audit chain truncated: row %lld is gone", cseq);
        else if (!chash || strcmp(chash, kept) != 0)
            snprintf(alarm, sizeof alarm, "audit chain rewritten: row %lld changed", cseq);
    }
    if (!alarm[0] && seq < last)
        snprintf(alarm, sizeof alarm, "audit chain truncated: its head went back from row %lld "
                 "to %lld", last, seq);
    else if (!alarm[0] && seq == last && strcmp(hash, last_hash) != 0)
        snprintf(alarm, sizeof alarm, "audit chain rewritten: row %lld changed", seq);
    if (alarm[0]) {
        log_warn("registry", "%s: %s", p->cn, alarm);
        if (rstore_audit_alarm(r->store, p->cn, alarm) != 0)
            log_error("registry", "the audit alarm of %s cannot be stored", p->cn);
    }
    if (seq > last && rstore_anchor_put(r->store, p->cn, seq, hash) != 0)
        log_warn("registry", "the audit anchor of %s cannot be stored", p->cn);
    return last > 0 ? last : (seq > 0 ? seq : -1);
}

void post_heartbeat(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    int rc = 0;
    cJSON *body = body_json_max(req, HEARTBEAT_MAX); /* kept whole, per kiosk */
    if (!cJSON_IsObject(body)) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request", "a heartbeat is a JSON object of at most 32 KiB");
        return;
    }
    /* one transaction for what a heartbeat writes; not waiting for the disk unless it brings
     * alerts (a call for staff is not sent again once answered) */
    bool durable = cJSON_GetArraySize(cJSON_GetObjectItem(body, "alerts")) > 0;
    bool unit = rstore_unit_begin(r->store, durable) == 0;
    const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(body, "receipt_key"));
    if (key && strlen(key) == 43 &&
        strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789-_") == 43 &&
        (rc = rstore_receipt_key_put(r->store, p->cn, p->org, key)) != 0)
        log_warn("registry", "the receipt key of %s %s", p->cn,
                 rc > 0 ? "is refused: the kiosk has reported 8 keys already (a store made anew "
                          "each time?)"
                        : "cannot be stored");
    /* the steps of updates under way, kept as the rollout's history */
    static const char *const types[] = {"release", "content"};
    for (int i = 0; i < 2; i++) {
        const cJSON *g = cJSON_GetObjectItem(cJSON_GetObjectItem(body, types[i]), "progress");
        const char *step = cJSON_GetStringValue(cJSON_GetObjectItem(g, "step"));
        const char *version = cJSON_GetStringValue(cJSON_GetObjectItem(g, "version"));
        const char *detail = cJSON_GetStringValue(cJSON_GetObjectItem(g, "detail"));
        long long serial = json_int(g, "serial", 0, INT64_C(1) << 53, -1);
        long long at = json_int(g, "at", 0, INT64_C(1) << 40, -1);
        if (!step || !version || serial < 0 || at < 0 || strlen(step) > 32 ||
            strlen(version) > 64 || (detail && strlen(detail) > 300))
            continue;
        if (rstore_update_event(r->store, p->cn, types[i], serial, version, step,
                                detail ? detail : "", at) != 0)
            log_warn("registry", "the update step of %s cannot be stored", p->cn);
    }
    const cJSON *rb = cJSON_GetObjectItem(body, "rollback");
    const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(rb, "reason"));
    long long rser = json_int(rb, "serial", 0, INT64_C(1) << 53, -1);
    long long rat = json_int(rb, "at", 0, INT64_C(1) << 40, -1);
    if (why && strlen(why) <= 300 && rser >= 0 && rat >= 0 &&
        rstore_update_event(r->store, p->cn, "release", rser, "", "rolled_back", why, rat) != 0)
        log_warn("registry", "the rollback of %s cannot be stored", p->cn);
    /* alerts from the kiosk (呼叫工作人员; a printer that stopped, with what it says), at most
     * 16 a heartbeat, each kept once */
    const cJSON *al;
    int nal = 0;
    cJSON_ArrayForEach(al, cJSON_GetObjectItem(body, "alerts")) {
        const char *kind = json_str(al, "kind"), *screen = json_str(al, "screen");
        long long at = json_int(al, "at", 1, INT64_C(1) << 40, 0);
        bool call = kind && !strcmp(kind, "call_staff"), printer = kind && !strcmp(kind, "printer");
        if (nal++ >= 16 || !(call || printer) || !screen || strlen(screen) > 48 || !at)
            continue;
        if (rstore_alert_put(r->store, p->cn, p->org, kind, screen, at) != 0)
            log_warn("registry", "an alert of %s cannot be stored", p->cn);
        else if (call)
            log_info("registry", "%s (office %s) calls staff, on screen %s", p->cn, p->org, screen);
        else
            log_warn("registry", "%s (office %s): the printer stopped (%s)", p->cn, p->org, screen);
    }
    long long check = audit_anchor(r, p, body, key);
    char *j = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    rc = j ? rstore_heartbeat(r->store, p->cn, p->org, j) : -1;
    free(j);
    if (unit && rstore_unit_end(r->store, rc == 0) != 0)
        rc = -1;
    if (rc != 0) {
        reply_error(req, 500, "Internal Server Error", "the heartbeat cannot be stored");
        return;
    }
    cJSON *ans = cJSON_CreateObject();
    if (check > 0) /* the row whose hash the next heartbeat brings */
        cJSON_AddNumberToObject(ans, "audit_check", (double)check);
    reply_json(req, 200, "OK", ans);
}

/* GET /v1/whoami: the certificate's kiosk id and office. */
void get_whoami(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kiosk", p->cn);
    cJSON_AddStringToObject(o, "office", p->org);
    /* a kiosk that saw another epoch starts again (DESIGN.md §5: a restored registry) */
    cJSON_AddStringToObject(o, "epoch", r->epoch);
    /* the registry's key pins: two while its key is being rotated (the kiosk keeps them) */
    cJSON_AddStringToObject(o, "pins", r->pins);
    reply_json(req, 200, "OK", o);
}

/* GET /v1/receipt-keys[?since=N] (kiosks) and /v1/admin/receipt-keys (operators): public
 * keys only, so that any kiosk verifies any kiosk's receipts offline. With since, the keys
 * added after change N, at most RECEIPT_KEYS_PAGE, and "next": the change to ask from next
 * time (a kiosk's sync fetches what changed, not every kiosk's key: 2.4 MB at 20,000 kiosks). */
#define RECEIPT_KEYS_PAGE 1000
void get_receipt_keys(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    (void)rest;
    char *s = query_param(req, "since");
    long since = s ? (long)num_i64_or(s, 0, INT64_C(1) << 53, 0) : 0;
    struct rstore_rows *list = rstore_receipt_keys(r->store, since, s ? RECEIPT_KEYS_PAGE : 0);
    free(s);
    if (!list) {
        reply_error(req, 500, "Internal Server Error", "the receipt keys cannot be read");
        return;
    }
    long next = since;
    for (int i = 0; i < list->nrows; i++) {
        long seq = (long)num_i64_or(rstore_cell(list, i, 4), 0, INT64_C(1) << 53, 0);
        next = seq > next ? seq : next;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "keys", rows_json(list));
    cJSON_AddNumberToObject(o, "next", (double)next);
    cJSON_AddBoolToObject(o, "more", list->nrows == RECEIPT_KEYS_PAGE);
    rstore_rows_free(list);
    reply_json(req, 200, "OK", o);
}
