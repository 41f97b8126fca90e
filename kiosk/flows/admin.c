/* admin: see admin.h. */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "caltime.h"
#include "checkin.h"
#include "clock.h"
#include "joint.h"
#include "crypto.h"
#include "file.h"
#include "log.h"
#include "num.h"
#include "paper.h"
#include "pin.h"
#include "remote.h"
#include "store.h"
#include "slots.h"
#include "sync.h"

#define FAILURES_KEY "staff.failures"
#define LOCKED_UNTIL_KEY "staff.locked_until"

static long kv_long(struct app *a, const char *key) {
    char *v = NULL;
    long n = 0;
    if (a->store && store_kv_get(a->store, key, &v) == STORE_OK && v &&
        num_long(v, 0, INT64_C(1) << 53, &n) != 0)
        log_warn("admin", "%s is not a number; taken as 0", key);
    free(v);
    return n;
}

static void kv_set_long(struct app *a, const char *key, long n) {
    char v[32];
    snprintf(v, sizeof v, "%ld", n);
    if (a->store && store_kv_set(a->store, key, v) != STORE_OK)
        app_store_failed(a, STORE_ERR_IO);
}

/* The staff pepper ([paths] staff_pepper: one base64url line, 0600): 0, 1 when none is
 * configured, -1 when it is configured but unusable (logged). */
static int load_pepper(const struct app *a, uint8_t out[PIN_PEPPER_LEN]) {
    if (!a->cfg.staff_pepper[0])
        return 1;
    struct stat st;
    int rc = stat(a->cfg.staff_pepper, &st) == 0 && !(st.st_mode & 077)
                 ? crypto_key_file(a->cfg.staff_pepper, out, PIN_PEPPER_LEN)
                 : -1;
    if (rc != 0)
        log_error("admin", "the staff pepper %s is missing, readable by others, or not 32 bytes",
                  a->cfg.staff_pepper);
    return rc;
}

enum admin_login admin_login(struct app *a, const char *number, const char *pin, int *left,
                             int64_t *until) {
    int64_t now = clock_wall_s(a->clock), mono = clock_mono_ms(a->clock);
    *left = 0;
    *until = kv_long(a, LOCKED_UNTIL_KEY);
    if (a->cfg.nstaff == 0) {
        app_audit(a, "staff", "login.refused", "no staff accounts configured");
        return ADMIN_NO_ACCOUNTS;
    }
    /* lockouts run on the monotonic clock while the kiosk runs: setting the wall clock back
     * (or forward) neither prolongs nor ends one. The wall-clock end kept in the store covers
     * a restart, and is never taken as more than one lockout from now. */
    if (*until > now + ADMIN_LOCKOUT_S) {
        *until = now + ADMIN_LOCKOUT_S;
        a->staff_locked_mono_ms = mono + ADMIN_LOCKOUT_S * 1000;
        kv_set_long(a, LOCKED_UNTIL_KEY, (long)*until);
    }
    if (a->staff_locked_mono_ms > mono) {
        *until = now + (a->staff_locked_mono_ms - mono + 999) / 1000;
        app_audit(a, "staff", "login.locked", number);
        return ADMIN_LOCKED;
    }
    if (*until > now && !a->staff_locked_mono_ms) {
        a->staff_locked_mono_ms = mono + (*until - now) * 1000; /* after a restart */
        app_audit(a, "staff", "login.locked", number);
        return ADMIN_LOCKED;
    }
    uint8_t pepper[PIN_PEPPER_LEN];
    int pep = load_pepper(a, pepper);
    /* every account is checked, so that the time taken does not tell which numbers exist */
    bool ok = false;
    for (int i = 0; i < a->cfg.nstaff; i++) {
        bool match = pin_check(pin, a->cfg.staff[i].hash, pep == 0 ? pepper : NULL);
        ok = ok || (match && !strcmp(a->cfg.staff[i].number, number));
    }
    explicit_bzero(pepper, sizeof pepper);
    if (ok) {
        kv_set_long(a, FAILURES_KEY, 0);
        snprintf(a->staff_number, sizeof a->staff_number, "%s", number);
        app_audit(a, "staff", "login.ok", number);
        log_info("admin", "staff %s logged in", number);
        return ADMIN_OK;
    }
    long failures = kv_long(a, FAILURES_KEY) + 1;
    app_audit(a, "staff", "login.failed", number);
    if (failures >= ADMIN_MAX_FAILURES) {
        *until = now + ADMIN_LOCKOUT_S;
        kv_set_long(a, LOCKED_UNTIL_KEY, (long)*until);
        kv_set_long(a, FAILURES_KEY, 0);
        app_audit(a, "staff", "login.lockout", "5 failures: 5 minutes");
        log_warn("admin", "staff login locked for 5 minutes after 5 failures");
        return ADMIN_LOCKED;
    }
    kv_set_long(a, FAILURES_KEY, failures);
    *left = ADMIN_MAX_FAILURES - (int)failures;
    return ADMIN_BAD;
}

void admin_logout(struct app *a) {
    if (a->staff_number[0])
        admin_audit(a, "logout", "");
    a->staff_number[0] = 0;
}

void admin_audit(struct app *a, const char *action, const char *detail) {
    char actor[32];
    snprintf(actor, sizeof actor, "staff:%s", a->staff_number[0] ? a->staff_number : "?");
    app_audit(a, actor, action, detail);
}

int admin_verify(struct app *a, const char *token, struct receipt *r, char *signer, size_t cap) {
    int rc = paper_verify(a, token, r, signer, cap);
    admin_audit(a, "receipt.verify", rc == 0 ? r->record_id : "invalid");
    return rc;
}

void admin_set_locked(struct app *a, bool locked) {
    admin_audit(a, locked ? "kiosk.lock" : "kiosk.unlock", "");
    if (remote_lock_set(a->state_dir, locked) != 0)
        log_error("admin", "the lock file cannot be written");
    if (locked)
        app_out_of_service(a, "oos.reason_locked");
}

/* Whether the kiosk may stand at point p: one of its office's, and listed in [roving] when
 * that lists any. */
static bool may_stand_at(const struct app *a, const struct cal_roving *p) {
    if (strcmp(p->office, a->cfg.office_code) != 0)
        return false;
    for (int i = 0; i < a->cfg.nroving; i++)
        if (!strcmp(a->cfg.roving[i], p->id))
            return true;
    return a->cfg.nroving == 0;
}

int admin_roving_count(const struct app *a) {
    const struct calendar *c = content_calendar(&a->content);
    int n = 0;
    for (int i = 0; i < c->nroving; i++)
        n += may_stand_at(a, &c->roving[i]);
    return n;
}

void admin_next_roving(struct app *a) {
    const struct calendar *c = content_calendar(&a->content);
    int at = -1, first = -1, next = -1;
    for (int i = 0; i < c->nroving; i++) {
        if (!may_stand_at(a, &c->roving[i]))
            continue;
        if (first < 0)
            first = i;
        if (at >= 0 && next < 0)
            next = i;
        if (!strcmp(c->roving[i].id, a->roving_point))
            at = i;
    }
    /* the office, then each point in turn, then the office again */
    const char *id = at < 0 ? (first >= 0 ? c->roving[first].id : "") : next >= 0 ? c->roving[next].id : "";
    admin_audit(a, "roving.point", id[0] ? id : "office");
    snprintf(a->roving_point, sizeof a->roving_point, "%s", id);
    if (a->store && store_kv_set(a->store, "roving.point", id) != STORE_OK)
        app_store_failed(a, STORE_ERR_IO);
}

const char *admin_sync_reason_key(int code) {
    switch (code) {
    case NET_ERR_CERT_EXPIRED:
        return "sync.reason_expired";
    case NET_ERR_PIN:
    case NET_ERR_UNKNOWN_CA:
        return "sync.reason_identity";
    case NET_ERR_CERT_REFUSED:
    case NET_ERR_OWN_FILES:
        return "sync.reason_refused";
    default:
        return sync_layer_of(code) == SYNC_LAYER_STORE ? "sync.reason_store"
                                                       : "sync.reason_unreachable";
    }
}

void admin_dashboard_read(struct app *a, struct admin_dashboard *d) {
    memset(d, 0, sizeof *d);
    if (!a->store)
        return;
    store_outbox_count(a->store, &d->backlog);
    store_count_since(a->store, checkin_day_start(clock_wall_s(a->clock)), &d->checkins,
                      &d->applications);
    char *last = NULL;
    if (store_kv_get(a->store, SYNC_LAST_OK, &last) == STORE_OK && last)
        d->last_sync = num_i64_or(last, 0, INT64_C(1) << 40, 0);
    free(last);
}

bool admin_locked(const struct app *a) {
    return remote_locked(a->state_dir);
}

bool admin_sync_now(struct app *a) {
    admin_audit(a, "sync.now", "");
    if (a->workers_running && a->cfg.registry[0])
        workers_sync_now(&a->workers);
    return a->cfg.registry[0] != 0;
}

const char *admin_rollback_key(int code) {
    switch (code) {
    case SLOTS_CRASHED:
        return "admin.rollback_crashed";
    case SLOTS_SILENT:
        return "admin.rollback_silent";
    case SLOTS_DEVICES:
        return "admin.rollback_devices";
    case SLOTS_STAFF:
        return "admin.rollback_staff";
    default:
        return NULL;
    }
}

int admin_receipts_today(struct app *a, struct admin_receipt *out, int max) {
    struct store_receipt rs[ADMIN_RECEIPTS_MAX];
    int n = a->store ? store_receipts_since(a->store, caltime_day_start(clock_wall_s(a->clock)),
                                            rs, max < ADMIN_RECEIPTS_MAX ? max : ADMIN_RECEIPTS_MAX)
                     : 0;
    for (int i = 0; i < n; i++) {
        out[i] = (struct admin_receipt){.kind = rs[i].kind, .at = rs[i].created};
        snprintf(out[i].record_id, sizeof out[i].record_id, "%s", rs[i].id);
        snprintf(out[i].queue, sizeof out[i].queue, "%s", rs[i].queue_no);
        snprintf(out[i].appointment_id, sizeof out[i].appointment_id, "%s", rs[i].appointment_id);
    }
    return n > 0 ? n : 0;
}

int admin_reprint(struct app *a, const struct admin_receipt *r) {
    struct store_receipt sr = {.kind = r->kind, .created = r->at};
    snprintf(sr.id, sizeof sr.id, "%s", r->record_id);
    snprintf(sr.queue_no, sizeof sr.queue_no, "%s", r->queue);
    snprintf(sr.appointment_id, sizeof sr.appointment_id, "%s", r->appointment_id);
    int rc = -1;
    if (r->kind == 'C') {
        struct checkin *c = session_alloc(&a->session, sizeof *c);
        rc = c ? checkin_reprint(a, c, &sr) : -1;
        if (c)
            explicit_bzero(c, sizeof *c);
    } else if (r->kind == 'J') {
        rc = joint_reprint(a, &sr);
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%s %s", r->queue, rc == 0 ? "sent" : "cannot be rebuilt");
    admin_audit(a, "receipt.reprint", detail);
    return rc;
}
