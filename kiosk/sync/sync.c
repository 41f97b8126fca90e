/* sync: see sync.h. */
#include "sync.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"

#define BATCH_MAX 500

/* Sends the entries of one kind; applies the registry's answer record by record. */
static int send_kind(struct store *s, const struct http_tls *tls, const char *base_url,
                     struct store_outgoing *o, int n, const char *kind, struct sync_stats *st,
                     char *error, size_t errsize) {
    cJSON *body = cJSON_CreateObject(), *records = cJSON_AddArrayToObject(body, "records");
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(o[i].kind, kind))
            continue;
        cJSON *r = cJSON_CreateObject(), *payload = cJSON_Parse(o[i].json);
        cJSON_AddStringToObject(r, "id", o[i].id);
        cJSON_AddItemToObject(r, "payload", payload ? payload : cJSON_CreateObject());
        cJSON_AddItemToArray(records, r);
        count++;
    }
    if (count == 0) {
        cJSON_Delete(body);
        return 0;
    }
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    char url[600];
    snprintf(url, sizeof url, "%s/v1/%s", base_url,
             !strcmp(kind, "checkin") ? "checkins" : "applications");
    struct http_reply reply;
    int rc = text ? http_request(tls, url, text, 30000, &reply) : -1;
    if (text) {
        explicit_bzero(text, strlen(text)); /* it held personal data */
        free(text);
    }
    st->sent += count;
    if (rc != 0 || reply.status != 200) {
        snprintf(error, errsize, "%s", rc != 0 ? reply.error : "the registry answered an error");
        if (rc == 0)
            log_warn("sync", "registry answered %ld", reply.status);
        http_reply_free(&reply);
        st->errors++;
        return -1;
    }
    cJSON *ans = cJSON_Parse(reply.body);
    http_reply_free(&reply);
    const cJSON *res;
    int src = 0, nacks = 0;
    const char **acks = calloc((size_t)count, sizeof *acks);
    cJSON_ArrayForEach(res, cJSON_GetObjectItem(ans, "results")) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(res, "id"));
        const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(res, "status"));
        if (!id || !status)
            continue;
        if (!strcmp(status, "accepted") || !strcmp(status, "duplicate")) {
            /* acknowledged together below: one transaction for the batch */
            if (acks && nacks < count)
                acks[nacks++] = id;
            if (*status == 'a')
                st->accepted++;
            else
                st->duplicate++;
        } else if (!strcmp(status, "rejected")) {
            const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(res, "reason"));
            src = store_outbox_reject(s, id, why ? why : "rejected");
            st->rejected++;
            log_warn("sync", "record %s rejected by the registry; marked for staff", id);
        } else {
            src = store_outbox_later(s, id, 60, status);
        }
        if (src != STORE_OK)
            break;
    }
    if (src == STORE_OK && nacks)
        src = store_ack_many(s, acks, nacks);
    free(acks);
    cJSON_Delete(ans);
    return src;
}

int sync_drain(struct store *s, const struct http_tls *tls, const char *base_url, int batch,
               struct sync_stats *stats, char *error, size_t errsize) {
    memset(stats, 0, sizeof *stats);
    if (batch < 1 || batch > BATCH_MAX)
        batch = BATCH_MAX;
    struct store_outgoing *o = calloc((size_t)batch, sizeof *o);
    if (!o)
        return STORE_ERR_IO;
    int rc = 0;
    for (;;) {
        int n = store_outbox_take(s, o, batch);
        if (n <= 0) {
            rc = n;
            break;
        }
        rc = send_kind(s, tls, base_url, o, n, "application", stats, error, errsize);
        if (rc == 0)
            rc = send_kind(s, tls, base_url, o, n, "checkin", stats, error, errsize);
        store_outgoing_free(o, n);
        if (rc != 0)
            break;
    }
    free(o);
    return rc;
}

int sync_ping(const struct http_tls *tls, const char *base_url, char *error, size_t errsize) {
    char url[600];
    snprintf(url, sizeof url, "%s/v1/whoami", base_url);
    struct http_reply r;
    int rc = http_request(tls, url, NULL, 10000, &r);
    if (rc != 0 || r.status != 200) {
        snprintf(error, errsize, "%s", rc != 0 ? r.error : "the registry refused this kiosk");
        http_reply_free(&r);
        return -1;
    }
    http_reply_free(&r);
    return 0;
}

#define CURSOR_KEY "appointments.cursor"

int sync_pull_appointments(struct store *s, const struct http_tls *tls, const char *base_url,
                           char *error, size_t errsize) {
    int total = 0;
    for (int round = 0; round < 100; round++) {
        char *cursor = NULL;
        store_kv_get(s, CURSOR_KEY, &cursor);
        char url[700];
        snprintf(url, sizeof url, "%s/v1/appointments?since=%s", base_url, cursor ? cursor : "0");
        free(cursor);
        struct http_reply r;
        if (http_request(tls, url, NULL, 30000, &r) != 0 || r.status != 200) {
            snprintf(error, errsize, "%s", r.status ? "the registry answered an error" : r.error);
            http_reply_free(&r);
            return -1;
        }
        cJSON *ans = cJSON_Parse(r.body);
        http_reply_free(&r);
        const cJSON *list = cJSON_GetObjectItem(ans, "appointments");
        const char *next = cJSON_GetStringValue(cJSON_GetObjectItem(ans, "cursor"));
        int n = cJSON_GetArraySize(list);
        if (!cJSON_IsArray(list) || !next) {
            cJSON_Delete(ans);
            snprintf(error, errsize, "the registry's appointments answer is malformed");
            return -1;
        }
        struct store_appointment *items = calloc((size_t)(n ? n : 1), sizeof *items);
        char **texts = calloc((size_t)(n ? n : 1), sizeof *texts);
        int k = 0;
        const cJSON *a;
        cJSON_ArrayForEach(a, list) {
            const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(a, "id"));
            const char *booking = cJSON_GetStringValue(cJSON_GetObjectItem(a, "booking_no"));
            const char *pa = cJSON_GetStringValue(cJSON_GetObjectItem(a, "party_a_id"));
            if (!items || !texts || !id || !booking || !pa)
                continue; /* an appointment without what check-in needs is skipped */
            texts[k] = cJSON_PrintUnformatted(a);
            items[k] = (struct store_appointment){
                id,
                cJSON_GetStringValue(cJSON_GetObjectItem(a, "office")),
                booking,
                pa,
                cJSON_GetStringValue(cJSON_GetObjectItem(a, "party_b_id")),
                texts[k],
                (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "slot_start")),
                (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "slot_end")),
            };
            if (!items[k].office)
                items[k].office = "";
            k++;
        }
        int rc =
            items && texts ? store_appointments_apply(s, items, k, CURSOR_KEY, next) : STORE_ERR_IO;
        for (int i = 0; texts && i < k; i++) {
            explicit_bzero(texts[i], strlen(texts[i]));
            free(texts[i]);
        }
        free(texts);
        free(items);
        cJSON_Delete(ans);
        if (rc != STORE_OK)
            return rc;
        total += k;
        if (n < 500)
            break; /* a short page: up to date */
    }
    return total;
}

int sync_heartbeat(struct store *s, const struct http_tls *tls, const char *base_url,
                   const char *version, const char *last_error, char *error, size_t errsize) {
    return sync_heartbeat_with(s, tls, base_url, version, last_error, NULL, error, errsize);
}

int sync_heartbeat_with(struct store *s, const struct http_tls *tls, const char *base_url,
                        const char *version, const char *last_error, const char *extra_json,
                        char *error, size_t errsize) {
    int backlog = 0;
    store_outbox_count(s, &backlog);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "version", version);
    cJSON_AddNumberToObject(o, "backlog", backlog);
    cJSON_AddStringToObject(o, "last_error", last_error ? last_error : "");
    /* the receipt signing key's public half: the registry keeps it so that any office can
     * verify this kiosk's receipts */
    uint8_t seed[32], pub[32];
    char pub64[48];
    if (store_signing_seed(s, seed) == STORE_OK && crypto_ed25519_public(seed, pub) == 0) {
        crypto_b64url_encode(pub, sizeof pub, pub64);
        cJSON_AddStringToObject(o, "receipt_key", pub64);
    }
    explicit_bzero(seed, sizeof seed);
    cJSON *extra = extra_json ? cJSON_Parse(extra_json) : NULL, *e, *next;
    for (e = extra ? extra->child : NULL; e; e = next) {
        next = e->next;
        cJSON_AddItemToObject(o, e->string, cJSON_DetachItemViaPointer(extra, e));
    }
    cJSON_Delete(extra);
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    char url[600];
    snprintf(url, sizeof url, "%s/v1/heartbeat", base_url);
    struct http_reply r;
    int rc = body ? http_request(tls, url, body, 10000, &r) : -1;
    free(body);
    if (rc != 0 || r.status != 200) {
        snprintf(error, errsize, "%s", rc != 0 ? r.error : "the registry refused the heartbeat");
        http_reply_free(&r);
        return -1;
    }
    http_reply_free(&r);
    return 0;
}

int sync_commands_poll(const struct http_tls *tls, const char *base_url, long after, int wait_s,
                       const volatile bool *cancel, struct sync_command *out, int max, char *error,
                       size_t errsize) {
    char url[700];
    snprintf(url, sizeof url, "%s/v1/commands?after=%ld&wait=%d", base_url, after, wait_s);
    struct http_reply r;
    struct http_req q = {.url = url, .timeout_ms = (wait_s + 20) * 1000, .cancel = cancel};
    if (http_send(tls, &q, &r) != 0 || r.status != 200) {
        snprintf(error, errsize, "%s", r.status ? "the registry answered an error" : r.error);
        http_reply_free(&r);
        return -1;
    }
    cJSON *ans = cJSON_Parse(r.body);
    http_reply_free(&r);
    const cJSON *list = cJSON_GetObjectItem(ans, "commands");
    if (!cJSON_IsArray(list)) {
        cJSON_Delete(ans);
        snprintf(error, errsize, "the registry's commands answer is malformed");
        return -1;
    }
    int n = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, list) {
        const cJSON *seq = cJSON_GetObjectItem(c, "seq");
        const char *cmd = cJSON_GetStringValue(cJSON_GetObjectItem(c, "command"));
        const char *arg = cJSON_GetStringValue(cJSON_GetObjectItem(c, "arg"));
        if (n >= max)
            break;
        if (!cJSON_IsNumber(seq) || seq->valuedouble <= after || !cmd)
            continue; /* not one of ours to act on */
        out[n].seq = (long)seq->valuedouble;
        snprintf(out[n].command, sizeof out[n].command, "%s", cmd);
        snprintf(out[n].arg, sizeof out[n].arg, "%s", arg ? arg : "");
        n++;
    }
    cJSON_Delete(ans);
    return n;
}

int sync_command_ack(const struct http_tls *tls, const char *base_url, long seq, const char *result,
                     char *error, size_t errsize) {
    char url[700];
    snprintf(url, sizeof url, "%s/v1/commands/%ld/ack", base_url, seq);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "result", result);
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    struct http_reply r;
    int rc = body ? http_request(tls, url, body, 10000, &r) : -1;
    free(body);
    /* 404: the registry no longer knows it; nothing more to say about it */
    if (rc != 0 || (r.status != 200 && r.status != 404)) {
        snprintf(error, errsize, "%s", rc != 0 ? r.error : "the registry refused the result");
        http_reply_free(&r);
        return -1;
    }
    http_reply_free(&r);
    return 0;
}

int sync_receipt_keys(struct store *s, const struct http_tls *tls, const char *base_url,
                      char *error, size_t errsize) {
    char url[700];
    snprintf(url, sizeof url, "%s/v1/receipt-keys", base_url);
    struct http_reply r;
    if (http_request(tls, url, NULL, 10000, &r) != 0 || r.status != 200) {
        snprintf(error, errsize, "%s", r.status ? "the registry answered an error" : r.error);
        http_reply_free(&r);
        return -1;
    }
    /* kept: each well-formed key with its kiosk, nothing else of the answer */
    cJSON *in = cJSON_Parse(r.body), *out = cJSON_CreateArray();
    http_reply_free(&r);
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItem(in, "keys")) {
        const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(k, "key"));
        const char *kiosk = cJSON_GetStringValue(cJSON_GetObjectItem(k, "kiosk"));
        uint8_t pub[32];
        if (!key || !kiosk || strlen(kiosk) > 64 ||
            crypto_b64url_decode(key, pub, sizeof pub) != 32)
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "kiosk", kiosk);
        cJSON_AddStringToObject(e, "key", key);
        cJSON_AddItemToArray(out, e);
    }
    bool ok = cJSON_IsObject(in);
    cJSON_Delete(in);
    char *text = cJSON_PrintUnformatted(out);
    cJSON_Delete(out);
    /* written only when it changed: each write is a transaction with an fsync */
    char *have = NULL;
    store_kv_get(s, SYNC_RECEIPT_KEYS, &have);
    bool same = have && text && !strcmp(have, text);
    free(have);
    int rc = ok && text && (same || store_kv_set(s, SYNC_RECEIPT_KEYS, text) == STORE_OK) ? 0 : -1;
    free(text);
    if (rc != 0)
        snprintf(error, errsize, "%s",
                 ok ? "the receipt keys cannot be stored"
                    : "the registry's receipt keys are not JSON");
    return rc;
}

int sync_status(const struct http_tls *tls, const char *base_url, const char *ids, char *out,
                size_t cap, char *error, size_t errsize) {
    char url[900];
    snprintf(url, sizeof url, "%s/v1/status?ids=%s", base_url, ids);
    struct http_reply r;
    if (http_request(tls, url, NULL, 8000, &r) != 0 || r.status != 200 || !r.body ||
        strlen(r.body) >= cap) {
        snprintf(error, errsize, "%s", r.status ? "the registry answered an error" : r.error);
        http_reply_free(&r);
        return -1;
    }
    snprintf(out, cap, "%s", r.body);
    http_reply_free(&r);
    return 0;
}
