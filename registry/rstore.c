/* rstore: see rstore.h. Every call goes to the backend's table; rows are built here. */
#include "rstore.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "seal.h"

const char *rstore_cell(const struct rstore_rows *rows, int row, int col) {
    if (!rows || row < 0 || row >= rows->nrows || col < 0 || col >= rows->ncols)
        return NULL;
    return rows->cells[row * rows->ncols + col];
}

void rstore_rows_free(struct rstore_rows *rows) {
    if (!rows)
        return;
    for (int i = 0; i < rows->nrows * rows->ncols; i++)
        if (rows->cells[i]) {
            explicit_bzero(rows->cells[i], strlen(rows->cells[i]));
            free(rows->cells[i]);
        }
    free(rows->cells);
    free(rows);
}

struct rstore_rows *rstore_rows_new(const struct rstore_col *cols, int ncols) {
    struct rstore_rows *rows = calloc(1, sizeof *rows);
    if (rows) {
        rows->cols = cols;
        rows->ncols = ncols;
    }
    return rows;
}

int rstore_rows_add(struct rstore_rows *rows, const char *const *cells) {
    size_t n = (size_t)(rows->nrows + 1) * (size_t)rows->ncols;
    char **grown = realloc(rows->cells, n * sizeof *grown);
    if (!grown)
        return -1;
    rows->cells = grown;
    char **row = grown + (size_t)rows->nrows * (size_t)rows->ncols;
    int rc = 0;
    for (int c = 0; c < rows->ncols; c++) {
        row[c] = cells[c] ? strdup(cells[c]) : NULL;
        if (cells[c] && !row[c])
            rc = -1;
    }
    rows->nrows++;
    return rc;
}

void rstore_close(struct rstore *r) {
    if (r)
        r->ops->close(r);
}

void rstore_set_seal(struct rstore *r, const struct seal *s) {
    r->seal = s;
}

/* What binds a sealed text to its row: the kind of row and its key. */
static void record_aad(char *aad, size_t cap, const char *kiosk, const char *id) {
    snprintf(aad, cap, "record\x1f%s\x1f%s", kiosk ? kiosk : "", id ? id : "");
}

static void appointment_aad(char *aad, size_t cap, const char *id) {
    snprintf(aad, cap, "appointment\x1f%s", id ? id : "");
}

/* Cell (row, col) of rows opened in place: NULL when it does not open (logged), or was
 * purged (""). */
static void open_cell(const struct rstore *r, struct rstore_rows *rows, int row, int col,
                      const char *office, const char *aad, const char *what) {
    char **cell = &rows->cells[row * rows->ncols + col];
    if (!r->seal || !*cell)
        return;
    char *clear = **cell ? seal_open_text(r->seal, office, aad, *cell) : NULL;
    if (**cell && !clear)
        log_error("rstore", "%s cannot be opened: another data key, or altered", what);
    free(*cell); /* ciphertext: nothing to wipe */
    *cell = clear;
}

void rstore_put_batch(struct rstore *r, const char *kiosk, const char *office,
                      const struct rstore_record_in *recs, int n, enum rstore_result *results) {
    if (!r->seal || n <= 0) {
        r->ops->put_batch(r, kiosk, office, recs, n, results);
        return;
    }
    struct rstore_record_in *sealed = calloc((size_t)n, sizeof *sealed);
    bool ok = sealed != NULL;
    for (int i = 0; ok && i < n; i++) {
        char aad[300];
        record_aad(aad, sizeof aad, kiosk, recs[i].id);
        sealed[i] = recs[i];
        ok = (sealed[i].payload = seal_text(r->seal, office, aad, recs[i].payload)) != NULL;
    }
    if (ok)
        r->ops->put_batch(r, kiosk, office, sealed, n, results);
    else {
        log_error("rstore", "a batch of %d records cannot be sealed", n);
        for (int i = 0; i < n; i++)
            results[i] = RSTORE_ERROR;
    }
    for (int i = 0; sealed && i < n; i++)
        free((char *)sealed[i].payload);
    free(sealed);
}

enum rstore_result rstore_put(struct rstore *r, const char *id, const char *kind, const char *kiosk,
                              const char *office, const char *payload) {
    struct rstore_record_in one = {id, kind, payload, NULL, NULL, 0};
    enum rstore_result res = RSTORE_ERROR;
    rstore_put_batch(r, kiosk, office, &one, 1, &res);
    return res;
}

int rstore_status(struct rstore *r, const char *office, const char *kiosk, const char *id,
                  char *status, size_t cap, char *reason, size_t rcap) {
    return r->ops->status(r, office, kiosk, id, status, cap, reason, rcap);
}

struct rstore_rows *rstore_record(struct rstore *r, const char *id, const char *kiosk) {
    struct rstore_rows *rows = r->ops->record(r, id, kiosk);
    for (int i = 0; rows && i < rows->nrows; i++) {
        char aad[300], what[200];
        record_aad(aad, sizeof aad, rstore_cell(rows, i, 2), rstore_cell(rows, i, 0));
        snprintf(what, sizeof what, "the payload of record %.64s of %.64s",
                 rstore_cell(rows, i, 0), rstore_cell(rows, i, 2));
        open_cell(r, rows, i, 6, rstore_cell(rows, i, 3), aad, what);
    }
    return rows;
}

int rstore_set_status(struct rstore *r, const char *id, const char *kiosk, const char *status,
                      const char *reason) {
    return r->ops->set_status(r, id, kiosk, status, reason);
}

long rstore_count(struct rstore *r) {
    return r->ops->count(r);
}

int rstore_divorce_accepted_put(struct rstore *r, const char *pair, const char *office,
                                const char *record, const char *date) {
    return r->ops->divorce_accepted_put(r, pair, office, record, date);
}

int rstore_divorce_accepted_get(struct rstore *r, const char *pair, char date[16]) {
    return r->ops->divorce_accepted_get(r, pair, date);
}

int rstore_ticket_add(struct rstore *r, const struct rstore_ticket *t) {
    return r->ops->ticket_add(r, t);
}

struct rstore_rows *rstore_tickets(struct rstore *r, const char *office, int day) {
    return r->ops->tickets(r, office, day);
}

int rstore_ticket_set(struct rstore *r, const char *office, long long id, const char *status,
                      const char *window, const char *room, int calls, int any_type, long long at) {
    return r->ops->ticket_set(r, office, id, status, window, room, calls, any_type, at);
}

int rstore_window_put(struct rstore *r, const char *office, const char *id, const char *name,
                      const char *room, const char *types, int every) {
    return r->ops->window_put(r, office, id, name, room, types, every);
}

struct rstore_rows *rstore_windows(struct rstore *r, const char *office) {
    return r->ops->windows(r, office);
}

int rstore_window_count(struct rstore *r, const char *office, const char *id, int since_walk_in) {
    return r->ops->window_count(r, office, id, since_walk_in);
}

int rstore_appointment_put(struct rstore *r, const char *id, const char *office, const char *json) {
    /* its slot's end, kept in clear beside it for retention */
    cJSON *a = cJSON_Parse(json);
    const cJSON *end = cJSON_GetObjectItem(a, "slot_end");
    long long slot_end = cJSON_IsNumber(end) ? (long long)end->valuedouble : 0;
    cJSON_Delete(a);
    if (!r->seal)
        return r->ops->appointment_put(r, id, office, json, slot_end);
    char aad[200];
    appointment_aad(aad, sizeof aad, id);
    char *sealed = seal_text(r->seal, office, aad, json);
    int rc = sealed ? r->ops->appointment_put(r, id, office, sealed, slot_end) : -1;
    free(sealed);
    return rc;
}

struct rstore_rows *rstore_appointments_since(struct rstore *r, const char *office, long since, int limit,
                                long *next) {
    struct rstore_rows *rows = r->ops->appointments_since(r, office, since, limit, next);
    for (int i = 0; rows && i < rows->nrows; i++) {
        char aad[200], what[160];
        appointment_aad(aad, sizeof aad, rstore_cell(rows, i, 2));
        snprintf(what, sizeof what, "appointment %.64s", rstore_cell(rows, i, 2));
        open_cell(r, rows, i, 0, office, aad, what);
    }
    return rows;
}

int rstore_heartbeat(struct rstore *r, const char *kiosk, const char *office, const char *json) {
    return r->ops->heartbeat(r, kiosk, office, json);
}

struct rstore_rows *rstore_fleet(struct rstore *r) {
    return r->ops->fleet(r);
}

int rstore_update_event(struct rstore *r, const char *kiosk, const char *type, long long serial,
                        const char *version, const char *step, const char *detail, long long at) {
    return r->ops->update_event(r, kiosk, type, serial, version, step, detail, at);
}

struct rstore_rows *rstore_update_events(struct rstore *r, const char *kiosk, int limit) {
    return r->ops->update_events(r, kiosk, limit);
}

long rstore_command_add(struct rstore *r, const char *kiosk, const char *command, const char *arg) {
    return r->ops->command_add(r, kiosk, command, arg);
}

struct rstore_rows *rstore_commands_after(struct rstore *r, const char *kiosk, long after, int *count) {
    return r->ops->commands_after(r, kiosk, after, count);
}

int rstore_command_ack(struct rstore *r, const char *kiosk, long seq, const char *result) {
    return r->ops->command_ack(r, kiosk, seq, result);
}

struct rstore_rows *rstore_commands_list(struct rstore *r, const char *kiosk) {
    return r->ops->commands_list(r, kiosk);
}

int rstore_receipt_key_put(struct rstore *r, const char *kiosk, const char *office,
                           const char *key) {
    return r->ops->receipt_key_put(r, kiosk, office, key);
}

struct rstore_rows *rstore_receipt_keys(struct rstore *r, long since, int limit) {
    return r->ops->receipt_keys(r, since, limit);
}

int rstore_manifest_put(struct rstore *r, const char *type, const char *channel, long serial,
                        const char *json, int rollout) {
    return r->ops->manifest_put(r, type, channel, serial, json, rollout);
}

int rstore_manifest_rollout(struct rstore *r, const char *type, const char *channel, long serial,
                            int rollout) {
    return r->ops->manifest_rollout(r, type, channel, serial, rollout);
}

char *rstore_manifest_latest(struct rstore *r, const char *type, const char *channel, int bucket) {
    return r->ops->manifest_latest(r, type, channel, bucket);
}

int rstore_enroll_token_add(struct rstore *r, const char *hash_hex, const char *kiosk,
                            const char *office, long expires) {
    return r->ops->enroll_token_add(r, hash_hex, kiosk, office, expires);
}

int rstore_enroll_token_take(struct rstore *r, const char *hash_hex, char *kiosk, size_t ksize,
                             char *office, size_t osize) {
    return r->ops->enroll_token_take(r, hash_hex, kiosk, ksize, office, osize);
}

struct rstore_rows *rstore_records_list(struct rstore *r, const char *kiosk, const char *office, int limit) {
    return r->ops->records_list(r, kiosk, office, limit);
}

int rstore_anchor_put(struct rstore *r, const char *kiosk, long long seq, const char *hash) {
    return r->ops->anchor_put(r, kiosk, seq, hash);
}

int rstore_anchor_last(struct rstore *r, const char *kiosk, long long *seq, char hash[65]) {
    return r->ops->anchor_last(r, kiosk, seq, hash);
}

int rstore_anchor_at(struct rstore *r, const char *kiosk, long long seq, char hash[65]) {
    return r->ops->anchor_at(r, kiosk, seq, hash);
}

int rstore_audit_alarm(struct rstore *r, const char *kiosk, const char *detail) {
    return r->ops->audit_alarm(r, kiosk, detail);
}

struct rstore_rows *rstore_audit_alarms(struct rstore *r, const char *kiosk) {
    return r->ops->audit_alarms(r, kiosk);
}

int rstore_revoke(struct rstore *r, const char *kind, const char *id, const char *reason) {
    return r->ops->revoke(r, kind, id, reason);
}

struct rstore_rows *rstore_revocations(struct rstore *r) {
    return r->ops->revocations(r);
}

struct rstore_rows *rstore_ratings(struct rstore *r, const char *office) {
    return r->ops->ratings(r, office);
}

struct rstore_rows *rstore_anchors(struct rstore *r, const char *kiosk) {
    return r->ops->anchors(r, kiosk);
}

int rstore_alert_put(struct rstore *r, const char *kiosk, const char *office, const char *kind,
                     const char *screen, long long at) {
    return r->ops->alert_put(r, kiosk, office, kind, screen, at);
}

struct rstore_rows *rstore_alerts(struct rstore *r, const char *office) {
    return r->ops->alerts(r, office);
}

int rstore_clerk_put(struct rstore *r, const char *id, const char *office, const char *name,
                     const char *hash, long long now) {
    return r->ops->clerk_put(r, id, office, name, hash, now);
}

struct rstore_rows *rstore_clerk(struct rstore *r, const char *id) {
    return r->ops->clerk(r, id);
}

struct rstore_rows *rstore_clerks(struct rstore *r, const char *office) {
    return r->ops->clerks(r, office);
}

int rstore_clerk_set(struct rstore *r, const char *id, const char *hash, int failures,
                     long long locked_until, int disabled, long long last_login) {
    return r->ops->clerk_set(r, id, hash, failures, locked_until, disabled, last_login);
}

int rstore_session_put(struct rstore *r, const char *hash, const char *clerk, const char *csrf,
                       long long created, long long expires) {
    return r->ops->session_put(r, hash, clerk, csrf, created, expires);
}

struct rstore_rows *rstore_session(struct rstore *r, const char *hash) {
    return r->ops->session(r, hash);
}

int rstore_session_touch(struct rstore *r, const char *hash, long long expires) {
    return r->ops->session_touch(r, hash, expires);
}

int rstore_session_drop(struct rstore *r, const char *hash, const char *clerk, long long now) {
    return r->ops->session_drop(r, hash, clerk, now);
}

int rstore_clerk_audit(struct rstore *r, const char *clerk, const char *office,
                       const char *action, const char *target, const char *detail, long long at) {
    return r->ops->clerk_audit(r, clerk, office, action, target, detail, at);
}

struct rstore_rows *rstore_clerk_audits(struct rstore *r, const char *office, int limit) {
    return r->ops->clerk_audits(r, office, limit);
}

int rstore_wake_fd(struct rstore *r) {
    return r->ops->wake_fd ? r->ops->wake_fd(r) : -1;
}

int rstore_wakes(struct rstore *r, void (*cb)(const char *kiosk, void *arg), void *arg) {
    return r->ops->wakes ? r->ops->wakes(r, cb, arg) : 0;
}

int rstore_receipt_key_owner(struct rstore *r, const char *key, char *kiosk, size_t cap) {
    return r->ops->receipt_key_owner(r, key, kiosk, cap);
}

/* rstore_seal_legacy's sealing of one text */
static int seal_one(void *ctx, const char *table, const char *office, const char *kiosk,
                    const char *id, const char *clear, char **sealed) {
    const struct seal *s = ctx;
    char aad[300];
    if (!strcmp(table, "records"))
        record_aad(aad, sizeof aad, kiosk, id);
    else
        appointment_aad(aad, sizeof aad, id);
    *sealed = seal_text(s, office, aad, clear);
    return *sealed ? 0 : -1;
}

long rstore_seal_legacy(struct rstore *r) {
    if (!r->seal)
        return 0;
    return r->ops->seal_legacy(r, seal_one, (void *)r->seal);
}

long rstore_purge(struct rstore *r, long long before, long long appts_before) {
    return r->ops->purge(r, before, appts_before);
}

int rstore_epoch(struct rstore *r, char out[RSTORE_EPOCH_LEN], int renew) {
    return r->ops->epoch(r, out, renew);
}

int rstore_backup(struct rstore *r, const char *path) {
    return r->ops->backup ? r->ops->backup(r, path) : 1;
}

int rstore_unit_begin(struct rstore *r, bool durable) {
    return r->ops->unit_begin(r, durable);
}

int rstore_unit_end(struct rstore *r, bool ok) {
    return r->ops->unit_end(r, ok);
}

int rstore_ticket_number_other(struct rstore *r, const char *office, int day,
                               const char *queue_no, const char *kiosk, char *other, size_t cap) {
    return r->ops->ticket_number_other(r, office, day, queue_no, kiosk, other, cap);
}
