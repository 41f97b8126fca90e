/* api_admin: the operators' API (certificates with OU=operator): appointments, fleet, update events, records. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "appt_csv.h"
#include "business.h"
#include "clerks.h"
#include "queue.h"
#include "crypto.h"
#include "json.h"
#include "log.h"
#include "num.h"
#include "registry.h"
#include "rstore.h"
#include "seal.h"
#include "utf8.h"

/* The pair key of a divorce's two parties (rstore_divorce_accepted_put): a tag of their ID
 * numbers in order, an x as X, under the data key (seal_tag: a plain hash of two ID numbers
 * can be tested against guesses); legacy: the SHA-256 a registry before sealing kept. -1 when
 * either is missing. */
static int divorce_pair(const struct seal *s, bool legacy, const char *a, const char *b,
                        char out[65]) {
    if (!a || !b || !*a || !*b || strlen(a) > 40 || strlen(b) > 40)
        return -1;
    char x[48], y[48], both[100];
    snprintf(x, sizeof x, "%s", a);
    snprintf(y, sizeof y, "%s", b);
    for (char *c = x; *c; c++)
        *c = *c == 'x' ? 'X' : *c;
    for (char *c = y; *c; c++)
        *c = *c == 'x' ? 'X' : *c;
    snprintf(both, sizeof both, "%s|%s", strcmp(x, y) < 0 ? x : y, strcmp(x, y) < 0 ? y : x);
    uint8_t h[32];
    int rc = -1;
    if (s && !legacy)
        rc = seal_tag(s, "divorce-pair", both, out);
    else if (crypto_sha256(both, strlen(both), h) == 0) {
        crypto_hex(h, sizeof h, out);
        rc = 0;
    }
    explicit_bzero(both, sizeof both);
    return rc;
}

/* Whether an office's operator may see and change record id (of kiosk, or any kiosk): every
 * row of that id is of their office. The province's operators may any. Another office's
 * record is "no such record" to them. */
static bool record_of_operator(struct registry *r, const struct peer *p, const char *id,
                               const char *kiosk) {
    const char *mine = operator_office(p);
    if (!mine)
        return true;
    struct rstore_rows *rec = rstore_record(r->store, id, kiosk);
    bool ok = rec && rec->nrows > 0;
    for (int i = 0; ok && i < rec->nrows; i++)
        ok = !strcmp(rstore_cell(rec, i, 3), mine);
    rstore_rows_free(rec);
    if (!ok)
        log_warn("registry", "operator %s of office %s: record %.40s is not theirs", p->cn, mine,
                 id);
    return ok;
}

/* A withdrawal or second-visit booking without its 受理 date gets the one the registry
 * recorded when the office accepted the couple's application. NULL, or why not. */
static const char *fill_accepted(struct registry *r, cJSON *a) {
    enum business b;
    if (!cJSON_IsObject(a) || cJSON_GetObjectItem(a, "accepted_on") ||
        business_from_code(cJSON_GetStringValue(cJSON_GetObjectItem(a, "type")), &b) != 0 ||
        !business_info(b)->needs_accepted)
        return NULL;
    char pair[65], date[16];
    const char *pa = cJSON_GetStringValue(cJSON_GetObjectItem(a, "party_a_id"));
    const char *pb = cJSON_GetStringValue(cJSON_GetObjectItem(a, "party_b_id"));
    if (divorce_pair(r->seal, false, pa, pb, pair) != 0)
        return NULL; /* appt_refusal says what is missing */
    int rc = rstore_divorce_accepted_get(r->store, pair, date);
    if (rc == 1 && divorce_pair(r->seal, true, pa, pb, pair) == 0) /* kept before sealing */
        rc = rstore_divorce_accepted_get(r->store, pair, date);
    if (rc < 0)
        return "cannot be stored";
    if (rc > 0)
        return "no accepted_on, and the registry has no accepted divorce application of these "
               "two parties";
    cJSON_AddStringToObject(a, "accepted_on", date);
    return NULL;
}

/* A divorce application the office accepted (its check-in's status set to accepted): its 受理
 * date is today in China Standard Time. Logged and skipped when it cannot be recorded. */
void record_divorce_accepted(struct registry *r, const char *id, const char *kiosk) {
    struct rstore_rows *rows = rstore_record(r->store, id, kiosk);
    if (!rows || rows->nrows != 1 || strcmp(rstore_cell(rows, 0, 1), "checkin") != 0) {
        rstore_rows_free(rows);
        return;
    }
    cJSON *pl = cJSON_Parse(rstore_cell(rows, 0, 6));
    const char *office = rstore_cell(rows, 0, 3);
    char pair[65], date[16];
    time_t cst = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&cst, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    if (pl && !strcmp(json_str(pl, "business") ? json_str(pl, "business") : "", "divorce_apply")) {
        if (divorce_pair(r->seal, false, json_str(pl, "party_a_id"), json_str(pl, "party_b_id"),
                         pair) != 0 ||
            rstore_divorce_accepted_put(r->store, pair, office ? office : "", id, date) != 0)
            log_error("registry", "record %s: the divorce application's 受理 date cannot be "
                      "recorded", id);
        else
            log_info("registry", "record %s: divorce application accepted on %s", id, date);
    }
    json_wipe_delete(pl);
    rstore_rows_free(rows);
}

/* Operators import appointments: {"appointments":[{"id":...,"office":...,...}]}, or CSV
 * (Content-Type: text/csv; see appt_csv.h). All or nothing for a CSV that does not parse. */
void post_appointments(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
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
    json_wipe_free(text);
    if (!cJSON_IsArray(list)) {
        json_wipe_delete(body);
        reply_error(req, 400, "Bad Request",
                    "expected {\"appointments\":[...]} or text/csv with a header row");
        return;
    }
    int stored = 0, refused = 0;
    cJSON *a, *errors = cJSON_CreateArray();
    cJSON_ArrayForEach(a, list) {
        const char *why = fill_accepted(r, a);
        if (!why)
            why = appt_refusal(a, false);
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(a, "id"));
        const char *office = cJSON_GetStringValue(cJSON_GetObjectItem(a, "office"));
        const char *mine = operator_office(p);
        if (!why && mine && strcmp(office ? office : "", mine) != 0)
            why = "of another office than this operator certificate's";
        char *j = why ? NULL : cJSON_PrintUnformatted(a);
        if (!why && (!j || rstore_appointment_put(r->store, id, office, j) != 0))
            why = "cannot be stored";
        if (why) {
            refused++;
            if (cJSON_GetArraySize(errors) < 20) { /* the first few, to correct the file */
                cJSON *e = cJSON_CreateObject();
                cJSON_AddStringToObject(e, "id", id ? id : "");
                cJSON_AddStringToObject(e, "why", why);
                cJSON_AddItemToArray(errors, e);
            }
        } else {
            stored++;
        }
        json_wipe_free(j);
    }
    json_wipe_delete(body);
    log_info("registry", "appointments imported: %d stored, %d refused", stored, refused);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "stored", stored);
    cJSON_AddNumberToObject(o, "refused", refused);
    cJSON_AddItemToObject(o, "errors", errors);
    reply_json(req, 200, "OK", o);
}

void get_fleet(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    struct rstore_rows *list = rstore_fleet(r->store);
    const char *mine = operator_office(p);
    if (list && mine) { /* an office's operator sees its own kiosks */
        struct rstore_rows *own = rstore_rows_new(list->cols, list->ncols);
        for (int i = 0; own && i < list->nrows; i++)
            if (!strcmp(rstore_cell(list, i, 1), mine) &&
                rstore_rows_add(own, (const char *const *)&list->cells[i * list->ncols]) != 0) {
                rstore_rows_free(own);
                own = NULL;
            }
        rstore_rows_free(list);
        list = own;
    }
    reply_rows(req, "kiosks", list, "fleet");
}

void get_update_events(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    (void)rest;
    char *kiosk = query_param(req, "kiosk");
    struct rstore_rows *list = rstore_update_events(r->store, kiosk, 200);
    free(kiosk);
    reply_rows(req, "events", list, "update steps");
}

void get_records(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    bool refused;
    char *office = operator_office_param(req, p, &refused);
    if (refused)
        return;
    char *kiosk = query_param(req, "kiosk"), *lim = query_param(req, "limit");
    int limit = (int)num_i64_or(lim, 1, 10000, 100); /* out of range or not a number: 100 */
    struct rstore_rows *list = rstore_records_list(r->store, kiosk, office, limit);
    free(kiosk);
    free(office);
    free(lim);
    reply_rows(req, "records", list, "records");
}

/* {"id":..., "status":"accepted|reviewing|completed|returned|received"}: the office's progress
 * on a record, which kiosks show in the progress query. */
void post_record_status(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    static const char *const known[] = {"received", "accepted", "reviewing", "completed",
                                        "returned"};
    cJSON *body = body_json(req);
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(body, "id"));
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(body, "status"));
    const char *kiosk = json_str(body, "kiosk"); /* optional: the id of several kiosks */
    const char *reason = json_str(body, "reason"); /* shown in the citizen's 办理进度 */
    bool ok = false;
    for (size_t i = 0; st && i < sizeof known / sizeof known[0]; i++)
        ok = ok || !strcmp(st, known[i]);
    if (reason && (strlen(reason) > RSTORE_REASON_MAX || !utf8_valid(reason, strlen(reason))))
        ok = false;
    int rc = id && ok ? (record_of_operator(r, p, id, kiosk) ? rstore_set_status(r->store, id,
                                                                                 kiosk, st, reason)
                                                             : 1)
                      : -2;
    if (rc == 0 && !strcmp(st, "accepted"))
        record_divorce_accepted(r, id, kiosk);
    cJSON_Delete(body);
    if (rc == -2)
        reply_error(req, 400, "Bad Request",
                    "expected {\"id\":..., \"status\":\"received|accepted|reviewing|completed|"
                    "returned\", \"kiosk\":... (optional), \"reason\": at most 300 bytes of "
                    "UTF-8 (optional)}");
    else if (rc == 1)
        reply_error(req, 404, "Not Found", "no such record");
    else if (rc == 2)
        reply_error(req, 409, "Conflict", "several kiosks sent this id: name the kiosk");
    else if (rc != 0)
        reply_error(req, 500, "Internal Server Error", "the status cannot be stored");
    else
        reply_json(req, 200, "OK", cJSON_CreateObject());
}

/* GET /v1/admin/records/ID[?kiosk=K]: one record with its payload (the clerk's declaration).
 * When several kiosks sent the id, the operator names the kiosk. */
void get_record(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    char *kiosk = query_param(req, "kiosk");
    struct rstore_rows *rec = rstore_record(r->store, rest, kiosk);
    free(kiosk);
    const char *mine = operator_office(p);
    if (rec && mine && rec->nrows == 1 && strcmp(rstore_cell(rec, 0, 3), mine) != 0) {
        log_warn("registry", "operator %s of office %s asked for record %.40s of office %s: "
                 "refused", p->cn, mine, rest, rstore_cell(rec, 0, 3));
        rstore_rows_free(rec); /* another office's: no such record to this operator */
        reply_error(req, 404, "Not Found", "no such record");
        return;
    }
    if (!rec || rec->nrows != 1) {
        if (rec && rec->nrows > 1)
            reply_error(req, 409, "Conflict", "several kiosks sent this id: add ?kiosk=KIOSK");
        else if (rec)
            reply_error(req, 404, "Not Found", "no such record");
        else
            reply_error(req, 500, "Internal Server Error", "the record cannot be read");
        rstore_rows_free(rec);
        return;
    }
    log_info("registry", "record %.40s read whole by an operator", rest);
    cJSON *all = rows_json(rec);
    rstore_rows_free(rec);
    reply_json(req, 200, "OK", cJSON_DetachItemFromArray(all, 0));
    json_wipe_delete(all);
}

/* GET /v1/admin/audit-alarms[?kiosk=K]: kiosks whose audit chain went back or changed. */
void get_audit_alarms(struct registry *r, struct evhttp_request *req, const struct peer *p,
                      const char *rest) {
    (void)p;
    (void)rest;
    char *kiosk = query_param(req, "kiosk");
    struct rstore_rows *list = rstore_audit_alarms(r->store, kiosk);
    free(kiosk);
    reply_rows(req, "alarms", list, "audit alarms");
}

/* GET /v1/admin/alerts[?office=O]: kiosks' calls for staff, newest first. */
void get_alerts(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest) {
    (void)rest;
    bool refused;
    char *office = operator_office_param(req, p, &refused);
    if (refused)
        return;
    struct rstore_rows *list = rstore_alerts(r->store, office);
    free(office);
    reply_rows(req, "alerts", list, "alerts");
}

/* GET /v1/admin/ratings[?office=O]: 好差评 received, counted by office, service and level. */
void get_ratings(struct registry *r, struct evhttp_request *req, const struct peer *p,
                 const char *rest) {
    (void)rest;
    bool refused;
    char *office = operator_office_param(req, p, &refused);
    if (refused)
        return;
    struct rstore_rows *list = rstore_ratings(r->store, office);
    free(office);
    reply_rows(req, "ratings", list, "ratings");
}

/* GET /v1/admin/audit-anchors?kiosk=K: the heads of K's audit chain the registry holds, for
 * kioskctl audit verify --registry. */
void get_audit_anchors(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest) {
    (void)p;
    (void)rest;
    char *kiosk = query_param(req, "kiosk");
    if (!kiosk) {
        reply_error(req, 400, "Bad Request", "expected ?kiosk=KIOSK");
        return;
    }
    struct rstore_rows *list = rstore_anchors(r->store, kiosk);
    free(kiosk);
    reply_rows(req, "anchors", list, "anchors");
}

/* GET /v1/admin/queue?office=O[&day=YYYYMMDD]: the office's windows and today's tickets. */
void get_queue(struct registry *r, struct evhttp_request *req, const struct peer *p,
               const char *rest) {
    (void)rest;
    bool refused;
    char *office = operator_office_param(req, p, &refused), *day = NULL;
    if (refused)
        return;
    day = query_param(req, "day");
    int d = day ? (int)num_i64_or(day, 20000101, 22001231, 0) : queue_day((long long)time(NULL));
    cJSON *v = office && d ? queue_view(r->store, office, d) : NULL;
    if (!office || !d)
        reply_error(req, 400, "Bad Request", "expected ?office=CODE[&day=YYYYMMDD]");
    else if (!v)
        reply_error(req, 500, "Internal Server Error", "the queue cannot be read");
    else
        reply_json(req, 200, "OK", v);
    free(office);
    free(day);
}

/* POST /v1/admin/queue/windows {"office","id","name","room","types":"a,b","every":N}. */
void post_queue_window(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest) {
    (void)rest;
    cJSON *b = body_json(req);
    const char *office = json_str(b, "office"), *id = json_str(b, "id"), *types = json_str(b, "types");
    if (office && !operator_may(req, p, office)) {
        cJSON_Delete(b);
        return;
    }
    const char *name = json_str_or(b, "name", id ? id : ""), *room = json_str_or(b, "room", "");
    int every = (int)json_int(b, "every", 0, 100, 3);
    bool ok = office && strlen(office) == 6 && id && *id && strlen(id) < 32 && types && *types &&
              strlen(types) < 300 && strlen(name) < 96 && strlen(room) < 96;
    int rc = ok ? rstore_window_put(r->store, office, id, name, room, types, every) : -2;
    cJSON_Delete(b);
    if (rc == -2)
        reply_error(req, 400, "Bad Request",
                    "expected {\"office\":CODE, \"id\":..., \"types\":\"marriage,joint\", "
                    "\"name\", \"room\", \"every\" (walk-in after every N appointments)}");
    else if (rc != 0)
        reply_error(req, 500, "Internal Server Error", "the window cannot be stored");
    else
        reply_json(req, 200, "OK", cJSON_CreateObject());
}

/* A call (or recall) told to the office's waiting-room displays (the kiosks whose last
 * heartbeat says role display), through their push channel: {"queue_no","window",
 * "window_name"}. */
static void announce(struct registry *r, const char *office, long long ticket, int day) {
    cJSON *v = queue_view(r->store, office, day), *t, *w;
    const char *number = NULL, *window = NULL, *name = NULL;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(v, "tickets")) {
        if ((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(t, "id")) == ticket) {
            number = json_str(t, "queue_no");
            window = json_str(t, "window");
        }
    }
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(v, "windows")) {
        if (window && !strcmp(json_str_or(w, "id", ""), window))
            name = json_str(w, "name");
    }
    struct rstore_rows *fleet = number && window ? rstore_fleet(r->store) : NULL;
    cJSON *arg = cJSON_CreateObject();
    cJSON_AddStringToObject(arg, "queue_no", number ? number : "");
    cJSON_AddStringToObject(arg, "window", window ? window : "");
    cJSON_AddStringToObject(arg, "window_name", name ? name : window ? window : "");
    char *text = cJSON_PrintUnformatted(arg);
    for (int i = 0; fleet && text && i < fleet->nrows; i++) {
        const char *office_i = rstore_cell(fleet, i, 1), *last = rstore_cell(fleet, i, 3);
        cJSON *hb = last ? cJSON_Parse(last) : NULL;
        if (office_i && !strcmp(office_i, office) && !strcmp(json_str_or(hb, "role", ""), "display"))
            commands_push(r, rstore_cell(fleet, i, 0), "call", text);
        cJSON_Delete(hb);
    }
    free(text);
    cJSON_Delete(arg);
    rstore_rows_free(fleet);
    cJSON_Delete(v);
}

/* POST /v1/admin/queue/call {"office","window"}: the window calls its next ticket;
 * POST /v1/admin/queue/ticket {"office","ticket","action":"recall|no_show|done|transfer",
 * "to":"window:ID|room:NAME"}. */
int office_queue_do(struct registry *r, const char *office, const char *action,
                    const char *window, long long *ticket, const char *to) {
    long long now = (long long)time(NULL);
    bool call = !strcmp(action, "call");
    enum queue_result res =
        call && window ? queue_call_next(r->store, office, window, queue_day(now), now, ticket)
        : !call        ? queue_act(r->store, office, queue_day(now), *ticket, action, to, now)
                       : QUEUE_REFUSED;
    if (res == QUEUE_OK && (call || !strcmp(action, "recall")))
        announce(r, office, *ticket, queue_day(now));
    return res;
}

void post_queue_call(struct registry *r, struct evhttp_request *req, const struct peer *p,
                     const char *rest) {
    cJSON *b = body_json(req);
    const char *office = json_str(b, "office");
    if (office && !operator_may(req, p, office)) {
        cJSON_Delete(b);
        return;
    }
    long long ticket = 0;
    enum queue_result res = QUEUE_REFUSED;
    bool call = !strcmp(rest ? rest : "", "call");
    const char *action = call ? "call" : json_str_or(b, "action", "");
    if (!call)
        ticket = json_int(b, "ticket", 1, 1LL << 53, 0);
    if (office && action[0])
        res = office_queue_do(r, office, action, json_str(b, "window"), &ticket, json_str(b, "to"));
    cJSON_Delete(b);
    cJSON *o = cJSON_CreateObject();
    switch (res) {
    case QUEUE_OK:
        cJSON_AddNumberToObject(o, "ticket", (double)ticket);
        reply_json(req, 200, "OK", o);
        return;
    case QUEUE_EMPTY:
        cJSON_AddNullToObject(o, "ticket");
        cJSON_AddStringToObject(o, "note", "nothing waiting for this window");
        reply_json(req, 200, "OK", o);
        return;
    case QUEUE_NOT_FOUND:
        cJSON_Delete(o);
        reply_error(req, 404, "Not Found", "no such window or ticket in this office today");
        return;
    case QUEUE_REFUSED:
        cJSON_Delete(o);
        reply_error(req, 409, "Conflict",
                    "not now: a ticket is marked no-show after 3 calls; recall, no_show and done "
                    "take a called ticket; transfer takes to=window:ID or to=room:NAME");
        return;
    case QUEUE_ERROR:
        break;
    }
    cJSON_Delete(o);
    reply_error(req, 500, "Internal Server Error", "the queue cannot be stored");
}

/* --- the clerk console's accounts (operators create and mend them; registry/clerks.c) --- */

/* POST /v1/admin/clerks {"id","office","name","password"}: a new clerk of an office. */
void post_clerk(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest) {
    (void)rest;
    cJSON *b = body_json(req);
    const char *id = json_str(b, "id"), *office = json_str(b, "office");
    const char *name = json_str(b, "name"), *pw = json_str(b, "password");
    char why[200] = "";
    if (office && !operator_may(req, p, office)) {
        json_wipe_delete(b);
        return;
    }
    enum clerk_result rc = id && office && name && pw
                               ? clerk_add(r->store, id, office, name, pw, (long long)time(NULL),
                                           why, sizeof why)
                               : CLERK_INVALID;
    if (!id || !office || !name || !pw)
        snprintf(why, sizeof why,
                 "expected {\"id\", \"office\", \"name\", \"password\"}");
    if (rc == CLERK_OK) {
        log_info("registry", "operator %s made clerk %s of office %s", p->cn, id, office);
        rstore_clerk_audit(r->store, p->cn, office, "clerk_add", id, "by an operator",
                           (long long)time(NULL));
    }
    json_wipe_delete(b); /* it held a password */
    if (rc == CLERK_OK)
        reply_json(req, 200, "OK", cJSON_CreateObject());
    else if (rc == CLERK_EXISTS)
        reply_error(req, 409, "Conflict", "a clerk has this id already");
    else if (rc == CLERK_INVALID)
        reply_error(req, 400, "Bad Request", why);
    else
        reply_error(req, 500, "Internal Server Error", "the clerk cannot be stored");
}

/* GET /v1/admin/clerks[?office=O]: the clerks, without their password hashes. */
void get_clerks(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest) {
    (void)rest;
    bool refused;
    char *office = operator_office_param(req, p, &refused);
    if (refused)
        return;
    struct rstore_rows *list = rstore_clerks(r->store, office);
    free(office);
    reply_rows(req, "clerks", list, "clerks");
}

/* POST /v1/admin/clerks/ID {"password"} | {"unlock":true} | {"disabled":true|false}. */
void post_clerk_change(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest) {
    struct rstore_rows *who = rstore_clerk(r->store, rest);
    bool theirs = who && who->nrows == 1 && operator_may(req, p, rstore_cell(who, 0, 1));
    bool unknown = who && who->nrows == 0;
    rstore_rows_free(who);
    if (!theirs && !unknown) {
        if (!who)
            reply_error(req, 500, "Internal Server Error", "the clerk cannot be read");
        return; /* another office's: 403 sent */
    }
    cJSON *b = body_json(req);
    const char *pw = json_str(b, "password");
    const cJSON *dis = cJSON_GetObjectItem(b, "disabled");
    bool unlock = cJSON_IsTrue(cJSON_GetObjectItem(b, "unlock"));
    char why[200] = "expected {\"password\"}, {\"unlock\": true} or {\"disabled\": true|false}";
    enum clerk_result rc = CLERK_INVALID;
    if (b && (pw || unlock || cJSON_IsBool(dis)))
        rc = clerk_change(r->store, rest, pw, cJSON_IsBool(dis) ? cJSON_IsTrue(dis) : -1, why,
                          sizeof why);
    const char *what = pw ? "clerk_password" : cJSON_IsTrue(dis) ? "clerk_disable"
                       : cJSON_IsBool(dis)                         ? "clerk_enable"
                                                                   : "clerk_unlock";
    json_wipe_delete(b); /* it held a password */
    if (rc == CLERK_OK) {
        struct rstore_rows *c = rstore_clerk(r->store, rest);
        log_info("registry", "operator %s: %s %s", p->cn, what, rest);
        rstore_clerk_audit(r->store, p->cn, c ? rstore_cell(c, 0, 1) : "", what, rest,
                           "by an operator", (long long)time(NULL));
        rstore_rows_free(c);
        reply_json(req, 200, "OK", cJSON_CreateObject());
    } else if (rc == CLERK_BAD) {
        reply_error(req, 404, "Not Found", "no such clerk");
    } else if (rc == CLERK_INVALID) {
        reply_error(req, 400, "Bad Request", why);
    } else {
        reply_error(req, 500, "Internal Server Error", "the clerk cannot be stored");
    }
}

/* GET /v1/admin/clerk-audit[?office=O&limit=N]: the console's audit log, newest first. */
void get_clerk_audit(struct registry *r, struct evhttp_request *req, const struct peer *p,
                     const char *rest) {
    (void)rest;
    bool refused;
    char *office = operator_office_param(req, p, &refused), *limit = NULL;
    if (refused)
        return;
    limit = query_param(req, "limit");
    struct rstore_rows *list =
        rstore_clerk_audits(r->store, office, (int)num_i64_or(limit, 1, 10000, 200));
    free(office);
    free(limit);
    reply_rows(req, "audit", list, "audit log");
}

/* POST /v1/admin/backup: a consistent copy of the database while serving, in DATA/backups/
 * (rstore_backup; SQLite). Its payloads are sealed, and the data key is not in it: keep the
 * key's own backup apart. A copy restored opens under a new epoch. PostgreSQL: 501, with
 * what to run instead (docs/operations.md). Province operators only. */
void post_backup(struct registry *r, struct evhttp_request *req, const struct peer *p,
                 const char *rest) {
    (void)rest;
    char dir[600], path[700], stamp[32];
    snprintf(dir, sizeof dir, "%s/backups", r->data);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        reply_error(req, 500, "Internal Server Error", "the backups folder cannot be made");
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(path, sizeof path, "%s/registry-%s.db", dir, stamp);
    for (int i = 2; access(path, F_OK) == 0 && i < 100; i++)
        snprintf(path, sizeof path, "%s/registry-%s-%d.db", dir, stamp, i);
    int rc = rstore_backup(r->store, path);
    if (rc == 1) {
        reply_error(req, 501, "Not Implemented",
                    "this registry is on PostgreSQL: back it up with pg_dump "
                    "--exclude-table-data=meta (docs/operations.md)");
        return;
    }
    struct stat st;
    if (rc != 0 || stat(path, &st) != 0) {
        reply_error(req, 500, "Internal Server Error", "the backup failed (see the log)");
        return;
    }
    log_info("registry", "operator %s made a backup: %s (%lld bytes, epoch %s)", p->cn, path,
             (long long)st.st_size, r->epoch);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", path);
    cJSON_AddNumberToObject(o, "bytes", (double)st.st_size);
    cJSON_AddStringToObject(o, "epoch", r->epoch);
    reply_json(req, 200, "OK", o);
}
