/* progress: see progress.h. */
#include "progress.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "crypto.h"
#include "log.h"
#include "paper.h"
#include "receipt.h"
#include "store.h"

/* src into dst, cut to fit (ids, kinds and queue numbers always fit). */
static void put(char *dst, size_t cap, const char *src) {
    size_t n = 0;
    for (; n + 1 < cap && src[n]; n++)
        dst[n] = src[n];
    dst[n] = 0;
}

static void fill(struct progress *p, const struct store_record_info *r, int n) {
    p->n = 0;
    for (int i = 0; i < n && i < PROGRESS_MAX; i++) {
        struct progress_item *it = &p->items[p->n++];
        put(it->id, sizeof it->id, r[i].id);
        put(it->kind, sizeof it->kind, r[i].kind);
        put(it->queue, sizeof it->queue, r[i].queue_no);
        it->created = r[i].created;
        it->local_state = r[i].state;
    }
}

static void ask(struct app *a, struct progress *p) {
    if (!p->n || !a->cfg.registry[0] || !a->workers_running)
        return;
    char ids[400] = "";
    for (int i = 0; i < p->n; i++) {
        size_t len = strlen(ids);
        snprintf(ids + len, sizeof ids - len, "%s%s", i ? "," : "", p->items[i].id);
    }
    p->asked = true;
    workers_status_query(&a->workers, ids);
}

void progress_by_card(struct app *a, const char *id_number, struct progress *p) {
    memset(p, 0, sizeof *p);
    struct store_record_info r[PROGRESS_MAX];
    int n = a->store ? store_records_for(a->store, id_number, r, PROGRESS_MAX) : -1;
    if (n < 0) {
        log_warn("progress", "the store cannot be read");
        return;
    }
    fill(p, r, n);
    ask(a, p);
}

void progress_by_token(struct app *a, const char *token, struct progress *p) {
    memset(p, 0, sizeof *p);
    struct receipt rc;
    char signer[72];
    if (paper_verify(a, token, &rc, signer, sizeof signer) != RECEIPT_OK) {
        p->bad_token = true;
        log_info("progress", "a code that is not a receipt of this registry's kiosks was scanned");
        return;
    }
    struct store_record_info r;
    if (!signer[0] && store_record_info(a->store, rc.record_id, &r) == 1) {
        fill(p, &r, 1);
    } else {
        /* made at another kiosk: what the receipt says, and the registry's status */
        struct progress_item *it = &p->items[p->n++];
        put(it->id, sizeof it->id, rc.record_id);
        put(it->kind, sizeof it->kind, rc.kind == 'C' ? "checkin" : "joint");
        put(it->queue, sizeof it->queue, rc.queue);
        it->created = rc.time;
        it->local_state = PROGRESS_ELSEWHERE;
    }
    ask(a, p);
}

void progress_answer(struct progress *p, const struct device_event *ev) {
    if (!p->asked)
        return;
    p->answered = true;
    cJSON *o = ev->ok ? cJSON_Parse(ev->text) : NULL;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(o, "statuses")) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(s, "id"));
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(s, "status"));
        const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(s, "reason"));
        for (int i = 0; id && st && i < p->n; i++)
            if (!strcmp(p->items[i].id, id)) {
                snprintf(p->items[i].remote, sizeof p->items[i].remote, "%s", st);
                /* the office's words, shown as they are; a cut one ends on a whole character */
                size_t n = why ? strlen(why) : 0;
                if (n >= sizeof p->items[i].reason)
                    for (n = sizeof p->items[i].reason - 1; n > 0 && (why[n] & 0xC0) == 0x80;)
                        n--;
                snprintf(p->items[i].reason, sizeof p->items[i].reason, "%.*s", (int)n,
                         why ? why : "");
                p->remote_ok = true;
            }
    }
    cJSON_Delete(o);
}

const char *progress_status_key(const struct progress *p, const struct progress_item *it) {
    (void)p;
    static const char *const remote[][2] = {
        {"received", "progress.st_received"},   {"accepted", "progress.st_accepted"},
        {"reviewing", "progress.st_reviewing"}, {"completed", "progress.st_completed"},
        {"returned", "progress.st_returned"},
    };
    for (size_t i = 0; it->remote[0] && i < sizeof remote / sizeof remote[0]; i++)
        if (!strcmp(it->remote, remote[i][0]))
            return remote[i][1];
    return it->local_state == 1                    ? "progress.st_received"
           : it->local_state == 2                  ? "progress.st_refused"
           : it->local_state == PROGRESS_ELSEWHERE ? "progress.st_elsewhere"
                                                   : "progress.st_waiting";
}
