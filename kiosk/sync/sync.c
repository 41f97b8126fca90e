/* sync: see sync.h. Every failure is logged here once, with the transport's or the registry's
 * own words; callers log only what they do next. */
#include "sync.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "crypto_pki.h"
#include "json.h"
#include "log.h"
#include "num.h"

#define BATCH_MAX 200 /* the registry takes at most 200 records a request (registry.h) */

const char *sync_strerror(int err) {
    switch (sync_layer_of(err)) {
    case SYNC_LAYER_NONE:
        return "ok";
    case SYNC_LAYER_STORE:
        return store_strerror(err);
    case SYNC_LAYER_NET:
        return net_strerror(err);
    case SYNC_LAYER_SYNC:
        break;
    }
    switch (err) {
    case SYNC_ERR_ANSWER:
        return "the registry's answer is not what the protocol promises";
    case SYNC_ERR_NOMEM:
        return "out of memory";
    default:
        return "unknown sync error";
    }
}

enum sync_layer sync_layer_of(int err) {
    if (err >= 0)
        return SYNC_LAYER_NONE;
    if (NET_IS_ERR(err))
        return SYNC_LAYER_NET;
    if (SYNC_IS_ERR(err))
        return SYNC_LAYER_SYNC;
    return SYNC_LAYER_STORE;
}

/* One registry call with the failure logged under what was being done. */
static int call(const struct net *n, const char *what, const char *path, const char *body,
                struct registry_call_opts o, cJSON **answer) {
    char detail[300];
    o.detail = detail;
    o.detailsize = sizeof detail;
    int rc = registry_call(n, path, body, &o, answer);
    if (rc != NET_OK && rc != NET_ERR_CANCELLED)
        log_warn("sync", "%s: %s (%s)", what, net_strerror(rc), detail);
    return rc;
}

/* The registry's answer to a batch, applied record by record; the acknowledged ones in one
 * transaction. A record sent but not named in the answer waits a minute, so that an answer
 * that forgets records (or names others) never makes the drain send them again at once. */
static int apply_results(struct store *s, const cJSON *ans, const struct store_outgoing *o,
                         int n, const char *kind, struct sync_stats *st) {
    int src = STORE_OK, nacks = 0;
    const char **acks = calloc((size_t)n + 1, sizeof *acks);
    bool *answered = calloc((size_t)n + 1, sizeof *answered);
    if (!acks || !answered) {
        free(acks);
        free(answered);
        return SYNC_ERR_NOMEM;
    }
    const cJSON *res;
    cJSON_ArrayForEach(res, cJSON_GetObjectItem(ans, "results")) {
        const char *id = json_str(res, "id"), *status = json_str(res, "status");
        int i = 0;
        while (id && i < n && (strcmp(o[i].kind, kind) || strcmp(o[i].id, id)))
            i++;
        if (!id || !status || i == n || answered[i])
            continue; /* not one this batch sent, or named twice */
        answered[i] = true;
        if (!strcmp(status, "accepted") || !strcmp(status, "duplicate")) {
            acks[nacks++] = o[i].id;
            if (*status == 'a')
                st->accepted++;
            else
                st->duplicate++;
        } else if (!strcmp(status, "rejected")) {
            src = store_outbox_reject(s, o[i].id, json_str_or(res, "reason", "rejected"));
            st->rejected++;
            log_warn("sync", "record %s rejected by the registry; marked for staff", o[i].id);
        } else {
            src = store_outbox_later(s, o[i].id, 60, status);
        }
        if (src != STORE_OK)
            break;
    }
    for (int i = 0; src == STORE_OK && i < n; i++)
        if (!strcmp(o[i].kind, kind) && !answered[i]) {
            log_warn("sync", "record %s: the registry's answer did not name it; again later",
                     o[i].id);
            src = store_outbox_later(s, o[i].id, 60, "not in the registry's answer");
        }
    if (src == STORE_OK && nacks)
        src = store_ack_many(s, acks, nacks);
    free(acks);
    free(answered);
    return src;
}

/* Sends the entries of one kind; applies the registry's answer. */
static int send_kind(struct store *s, const struct net *n, struct store_outgoing *o, int count_in,
                     const char *kind, struct sync_stats *st) {
    cJSON *body = cJSON_CreateObject(), *records = cJSON_AddArrayToObject(body, "records");
    int count = 0;
    for (int i = 0; records && i < count_in; i++) {
        if (strcmp(o[i].kind, kind))
            continue;
        cJSON *r = cJSON_CreateObject(), *payload = cJSON_Parse(o[i].json);
        cJSON_AddStringToObject(r, "id", o[i].id);
        cJSON_AddItemToObject(r, "payload", payload ? payload : cJSON_CreateObject());
        cJSON_AddItemToArray(records, r);
        count++;
    }
    char *text = count ? cJSON_PrintUnformatted(body) : NULL;
    json_wipe_delete(body); /* it held personal data */
    if (count == 0)
        return SYNC_OK;
    if (!text)
        return SYNC_ERR_NOMEM;
    cJSON *ans = NULL;
    st->sent += count;
    int rc = call(n, "records",
                  !strcmp(kind, "checkin")  ? "/v1/checkins"
                  : !strcmp(kind, "rating") ? "/v1/ratings"
                                            : "/v1/applications",
                  text, (struct registry_call_opts){0}, &ans);
    json_wipe_free(text);
    if (rc != NET_OK) {
        st->errors++;
        return rc;
    }
    rc = apply_results(s, ans, o, count_in, kind, st);
    cJSON_Delete(ans);
    return rc;
}

int sync_drain(struct store *s, const struct net *n, int batch, struct sync_stats *stats) {
    memset(stats, 0, sizeof *stats);
    if (batch < 1 || batch > BATCH_MAX)
        batch = BATCH_MAX;
    struct store_outgoing *o = calloc((size_t)batch, sizeof *o);
    if (!o)
        return SYNC_ERR_NOMEM;
    int rc = 0;
    for (;;) {
        int got = store_outbox_take(s, o, batch);
        if (got <= 0) {
            rc = got;
            break;
        }
        rc = send_kind(s, n, o, got, "application", stats);
        if (rc == 0)
            rc = send_kind(s, n, o, got, "checkin", stats);
        if (rc == 0)
            rc = send_kind(s, n, o, got, "rating", stats);
        store_outgoing_free(o, got);
        if (rc != 0)
            break;
    }
    free(o);
    return rc;
}

/* The epoch of a registry's answer compared with the one kept: 1 when the registry was
 * restored (the cursors start again and the records kept go again), 0, or a store code. */
static int epoch_seen(struct store *s, const cJSON *ans) {
    static const char *const cursors[] = {SYNC_APPOINTMENTS_CURSOR, SYNC_COMMANDS_CURSOR,
                                          SYNC_KEYS_CURSOR, NULL};
    const char *epoch = json_str(ans, "epoch");
    int again = -1, rc = store_registry_epoch(s, epoch, cursors, &again);
    if (rc != STORE_OK) {
        log_warn("sync", "the registry's epoch cannot be kept: %s", store_strerror(rc));
        return rc;
    }
    if (again < 0)
        return 0;
    log_warn("sync", "the registry was restored from a backup (epoch %s): appointments, "
             "commands and receipt keys are pulled again from the start, and %d records it may "
             "lack are sent again", epoch, again);
    return 1;
}

/* The registry's pins of a whoami answer into registry.pin, when they changed. */
static void pins_seen(const struct net *n, const cJSON *ans) {
    const char *pins = json_str(ans, "pins");
    if (!pins || !n->tls.dir[0])
        return;
    if (pki_pins_ok(pins) != 0) {
        log_warn("sync", "the registry's pins are malformed: kept the ones this kiosk has");
        return;
    }
    char path[600], tmp[620], now[256] = "";
    snprintf(path, sizeof path, "%s/registry.pin", n->tls.dir);
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(now, sizeof now, f))
            now[0] = 0;
        fclose(f);
    }
    now[strcspn(now, "\r\n")] = 0;
    if (!strcmp(now, pins))
        return;
    snprintf(tmp, sizeof tmp, "%s.new", path);
    f = fopen(tmp, "w");
    bool ok = f && fprintf(f, "%s\n", pins) > 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp, path) == 0)
        log_info("sync", "the registry's key pins are now %s", strchr(pins, ';') ? "two (its key "
                 "and the next one: a rotation is coming)" : "one");
    else
        log_warn("sync", "the registry's new pins cannot be written to %s", path);
}

int sync_renew(const struct net *n, int renew_days) {
    const char *dir = n->tls.dir;
    if (!dir[0])
        return NET_OK;
    int left = 0;
    if (pki_cert_days_left(n->tls.cert, &left) != 0 || left > renew_days)
        return NET_OK;
    char err[300];
    char *csr = pki_csr_new_key(dir, "kiosk.key.new", err, sizeof err);
    if (!csr) {
        log_warn("sync", "renewal: %s", err);
        return SYNC_ERR_ANSWER;
    }
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "csr", csr);
    free(csr);
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    cJSON *ans = NULL;
    int rc = body ? call(n, "renewal", "/v1/renew", body,
                         (struct registry_call_opts){.timeout_ms = 30000}, &ans)
                  : SYNC_ERR_NOMEM;
    free(body);
    const char *cert = rc == NET_OK ? json_str(ans, "certificate") : NULL;
    if (rc == NET_OK && (!cert || pki_renew_install(dir, cert, err, sizeof err) != 0)) {
        log_warn("sync", "renewal: %s", cert ? err : "the answer has no certificate");
        rc = SYNC_ERR_ANSWER;
    }
    if (rc == NET_OK)
        log_info("sync", "the kiosk's certificate (%d days left) was renewed", left);
    else
        pki_renew_recover(dir); /* the new key is forgotten; the old pair still holds */
    cJSON_Delete(ans);
    return rc;
}

int sync_ping(struct store *s, const struct net *n) {
    /* a renewal a crash cut short is finished before the certificate is used */
    if (n->tls.dir[0] && pki_renew_recover(n->tls.dir) == 1)
        log_info("sync", "a renewal cut short was finished: the new certificate is in place");
    cJSON *ans = NULL;
    int rc = call(n, "whoami", "/v1/whoami", NULL, (struct registry_call_opts){.timeout_ms = 10000},
                  &ans);
    if (rc == NET_OK && epoch_seen(s, ans) < 0)
        rc = SYNC_ERR_ANSWER;
    if (rc == NET_OK)
        pins_seen(n, ans);
    cJSON_Delete(ans);
    return rc;
}

#define CURSOR_KEY SYNC_APPOINTMENTS_CURSOR
#define PAGE 500

/* One page of pulled appointments applied with its cursor. Returns how many, or a code. */
static int apply_page(struct store *s, const cJSON *list, const char *next) {
    int n = cJSON_GetArraySize(list);
    struct store_appointment *items = calloc((size_t)(n ? n : 1), sizeof *items);
    char **texts = calloc((size_t)(n ? n : 1), sizeof *texts);
    int k = 0, rc = items && texts ? STORE_OK : SYNC_ERR_NOMEM;
    const cJSON *a;
    cJSON_ArrayForEach(a, list) {
        const char *id = json_str(a, "id"), *booking = json_str(a, "booking_no"),
                   *pa = json_str(a, "party_a_id");
        if (rc != STORE_OK || !id || !booking || !pa)
            continue; /* an appointment without what check-in needs is skipped */
        texts[k] = cJSON_PrintUnformatted(a);
        if (!texts[k]) {
            rc = SYNC_ERR_NOMEM;
            continue;
        }
        items[k] = (struct store_appointment){
            .id = id,
            .office = json_str_or(a, "office", ""),
            .booking_no = booking,
            .party_a_id = pa,
            .party_b_id = json_str(a, "party_b_id"),
            .json = texts[k],
            .slot_start = json_int(a, "slot_start", 0, INT64_C(1) << 53, 0),
            .slot_end = json_int(a, "slot_end", 0, INT64_C(1) << 53, 0),
        };
        k++;
    }
    if (rc == STORE_OK)
        rc = store_appointments_apply(s, items, k, CURSOR_KEY, next);
    for (int i = 0; texts && i < k; i++)
        json_wipe_free(texts[i]);
    free(texts);
    free(items);
    return rc == STORE_OK ? k : rc;
}

int sync_pull_appointments(struct store *s, const struct net *n) {
    int total = 0;
    for (int round = 0; round < 100; round++) {
        char *cursor = NULL;
        store_kv_get(s, CURSOR_KEY, &cursor);
        char path[300];
        snprintf(path, sizeof path, "/v1/appointments?since=%s", cursor ? cursor : "0");
        free(cursor);
        cJSON *ans = NULL;
        int rc = call(n, "appointments", path, NULL, (struct registry_call_opts){0}, &ans);
        if (rc != NET_OK)
            return rc;
        const cJSON *list = cJSON_GetObjectItem(ans, "appointments");
        const char *next = json_str(ans, "cursor");
        int got = cJSON_GetArraySize(list);
        if (!cJSON_IsArray(list) || !next) {
            json_wipe_delete(ans);
            log_warn("sync", "appointments: the answer has no list or no cursor");
            return SYNC_ERR_ANSWER;
        }
        rc = apply_page(s, list, next);
        json_wipe_delete(ans); /* names and ID numbers of the couples */
        if (rc < 0)
            return rc;
        total += rc;
        if (got < PAGE)
            break; /* a short page: up to date */
    }
    return total;
}

#define AUDIT_CHECK_KEY "audit.check"

/* The audit chain's head signed with the receipt key, and the hash of the row the registry
 * asked about (issue 13): a truncated or rewritten chain verifies alone, not against these. */
static void add_audit_anchor(struct store *s, cJSON *o, const uint8_t seed[32]) {
    int64_t seq = 0;
    uint8_t hash[32], sig[64];
    char text[120], hex[65], sig64[100];
    if (store_audit_head(s, &seq, hash) != STORE_OK)
        return;
    crypto_anchor_text(seq, hash, text);
    if (crypto_ed25519_sign(seed, text, strlen(text), sig) != 0)
        return;
    crypto_hex(hash, sizeof hash, hex);
    crypto_b64url_encode(sig, sizeof sig, sig64);
    cJSON *a = cJSON_AddObjectToObject(o, "audit");
    cJSON_AddNumberToObject(a, "seq", (double)seq);
    cJSON_AddStringToObject(a, "hash", hex);
    cJSON_AddStringToObject(a, "sig", sig64);
    char *want = NULL;
    int64_t check = 0;
    if (store_kv_get(s, AUDIT_CHECK_KEY, &want) == STORE_OK && want)
        check = num_i64_or(want, 1, INT64_C(1) << 53, 0);
    free(want);
    if (check > 0) {
        cJSON *c = cJSON_AddObjectToObject(a, "check");
        cJSON_AddNumberToObject(c, "seq", (double)check);
        if (store_audit_hash_at(s, check, hash) == STORE_OK) {
            crypto_hex(hash, sizeof hash, hex);
            cJSON_AddStringToObject(c, "hash", hex);
        } else {
            cJSON_AddTrueToObject(c, "missing");
        }
    }
}

int sync_heartbeat(struct store *s, const struct net *n, const char *version,
                   const char *last_error, const char *extra_json) {
    int backlog = 0;
    store_outbox_count(s, &backlog);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return SYNC_ERR_NOMEM;
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
        add_audit_anchor(s, o, seed);
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
    if (!body)
        return SYNC_ERR_NOMEM;
    cJSON *ans = NULL;
    int rc = call(n, "heartbeat", "/v1/heartbeat", body,
                  (struct registry_call_opts){.timeout_ms = 10000}, &ans);
    free(body);
    /* the row of the audit chain whose hash the registry asks for next time */
    int64_t check = json_int(ans, "audit_check", 1, INT64_C(1) << 53, 0);
    cJSON_Delete(ans);
    char *have = NULL, want[32];
    snprintf(want, sizeof want, "%lld", (long long)check);
    store_kv_get(s, AUDIT_CHECK_KEY, &have);
    if (rc == NET_OK && check > 0 && (!have || strcmp(have, want) != 0) &&
        store_kv_set(s, AUDIT_CHECK_KEY, want) != STORE_OK)
        log_warn("sync", "the audit check cannot be stored");
    free(have);
    return rc;
}

int sync_commands_poll(struct store *s, const struct net *n, long after, int wait_s,
                       const atomic_bool *cancel, struct sync_command *out, int max) {
    char path[200], *epoch = NULL;
    store_kv_get(s, "registry.epoch", &epoch);
    snprintf(path, sizeof path, "/v1/commands?after=%ld&wait=%d%s%.64s", after, wait_s,
             epoch ? "&epoch=" : "", epoch ? epoch : "");
    free(epoch);
    cJSON *ans = NULL;
    int rc = call(n, "commands", path, NULL,
                  (struct registry_call_opts){.timeout_ms = (wait_s + 20) * 1000, .cancel = cancel},
                  &ans);
    if (rc != NET_OK)
        return rc;
    if ((rc = epoch_seen(s, ans)) != 0) { /* restored: the caller's cursor starts again */
        cJSON_Delete(ans);
        return rc > 0 ? 0 : rc;
    }
    const cJSON *list = cJSON_GetObjectItem(ans, "commands");
    if (!cJSON_IsArray(list)) {
        cJSON_Delete(ans);
        log_warn("sync", "commands: the answer has no list");
        return SYNC_ERR_ANSWER;
    }
    int k = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, list) {
        int64_t seq = json_int(c, "seq", 1, INT64_C(1) << 53, 0);
        const char *cmd = json_str(c, "command");
        if (k >= max)
            break;
        if (seq <= after || !cmd)
            continue; /* not one of ours to act on */
        out[k].seq = (long)seq;
        snprintf(out[k].command, sizeof out[k].command, "%s", cmd);
        snprintf(out[k].arg, sizeof out[k].arg, "%s", json_str_or(c, "arg", ""));
        k++;
    }
    cJSON_Delete(ans);
    return k;
}

int sync_command_ack(const struct net *n, long seq, const char *result) {
    char path[100];
    snprintf(path, sizeof path, "/v1/commands/%ld/ack", seq);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "result", result);
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!body)
        return SYNC_ERR_NOMEM;
    /* 404: the registry no longer knows it; nothing more to say about it */
    int rc = call(n, "command result", path, body,
                  (struct registry_call_opts){.timeout_ms = 10000, .accept_404 = true}, NULL);
    free(body);
    return rc;
}

/* A key of the registry's answer as the kiosk keeps it ({"kiosk","office","key"}), or NULL
 * when it is not well-formed. */
static cJSON *kept_key(const cJSON *k) {
    const char *key = json_str(k, "key"), *kiosk = json_str(k, "kiosk");
    const char *office = json_str(k, "office");
    uint8_t pub[32];
    if (!key || !kiosk || strlen(kiosk) > 64 || !office || strlen(office) > 16 ||
        crypto_b64url_decode(key, pub, sizeof pub) != 32)
        return NULL;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "kiosk", kiosk);
    cJSON_AddStringToObject(e, "office", office);
    cJSON_AddStringToObject(e, "key", key);
    return e;
}

static bool has_key(const cJSON *list, const char *key) {
    const cJSON *k;
    cJSON_ArrayForEach(k, list) {
        if (!strcmp(json_str_or(k, "key", ""), key))
            return true;
    }
    return false;
}

#define KEYS_CURSOR SYNC_KEYS_CURSOR
#define KEYS_PAGES_MAX 50 /* pages of 1000 a sync: 50,000 keys */

int sync_receipt_keys(struct store *s, const struct net *n) {
    /* what the kiosk has, and the change it has them up to: it asks for what came after (a
     * store without keys asks from the start) */
    char *have = NULL, *cur = NULL;
    store_kv_get(s, SYNC_RECEIPT_KEYS, &have);
    store_kv_get(s, KEYS_CURSOR, &cur);
    cJSON *list = have ? cJSON_Parse(have) : NULL;
    if (!cJSON_IsArray(list)) {
        cJSON_Delete(list);
        list = cJSON_CreateArray();
    }
    long cursor = cJSON_GetArraySize(list) ? (long)num_i64_or(cur, 0, INT64_C(1) << 53, 0) : 0;
    free(cur);
    long start = cursor;
    int added = 0, rc = NET_OK;
    for (int page = 0; page < KEYS_PAGES_MAX; page++) {
        char path[64];
        snprintf(path, sizeof path, "/v1/receipt-keys?since=%ld", cursor);
        cJSON *in = NULL;
        rc = call(n, "receipt keys", path, NULL, (struct registry_call_opts){.timeout_ms = 10000},
                  &in);
        if (rc != NET_OK)
            break;
        const cJSON *next = cJSON_GetObjectItem(in, "next");
        if (!cJSON_IsNumber(next)) { /* a registry before change numbers: the whole list */
            cJSON_Delete(list);
            list = cJSON_CreateArray();
        }
        const cJSON *k;
        cJSON_ArrayForEach(k, cJSON_GetObjectItem(in, "keys")) {
            cJSON *e = kept_key(k);
            if (e && !has_key(list, json_str(e, "key"))) {
                cJSON_AddItemToArray(list, e);
                added++;
            } else {
                cJSON_Delete(e);
            }
        }
        bool more = cJSON_IsTrue(cJSON_GetObjectItem(in, "more")) && cJSON_IsNumber(next) &&
                    (long)next->valuedouble > cursor;
        if (cJSON_IsNumber(next) && next->valuedouble >= 0)
            cursor = (long)next->valuedouble;
        cJSON_Delete(in);
        if (!more)
            break;
    }
    /* written only when something came: each write is a transaction with an fsync */
    int src = STORE_OK;
    if (rc == NET_OK && (added || cursor != start || !have)) {
        char *text = cJSON_PrintUnformatted(list), num[24];
        snprintf(num, sizeof num, "%ld", cursor);
        src = text ? store_kv_set(s, SYNC_RECEIPT_KEYS, text) : STORE_ERR_IO;
        if (src == STORE_OK)
            src = store_kv_set(s, KEYS_CURSOR, num);
        free(text);
        if (src != STORE_OK)
            log_warn("sync", "the receipt keys cannot be stored: %s", store_strerror(src));
        else if (added)
            log_info("sync", "receipt keys: %d new (%d kept)", added, cJSON_GetArraySize(list));
    }
    free(have);
    cJSON_Delete(list);
    return rc != NET_OK ? rc : src;
}

int sync_status(const struct net *n, const char *ids, char *out, size_t cap) {
    char path[600];
    if ((size_t)snprintf(path, sizeof path, "/v1/status?ids=%s", ids) >= sizeof path)
        return SYNC_ERR_ANSWER;
    cJSON *ans = NULL;
    int rc = call(n, "status", path, NULL, (struct registry_call_opts){.timeout_ms = 8000}, &ans);
    if (rc != NET_OK)
        return rc;
    char *text = cJSON_PrintUnformatted(ans);
    cJSON_Delete(ans);
    rc = text && strlen(text) < cap ? SYNC_OK : SYNC_ERR_ANSWER;
    if (rc == SYNC_OK)
        snprintf(out, cap, "%s", text);
    else
        log_warn("sync", "status: the answer does not fit in %zu bytes", cap);
    free(text);
    return rc;
}
