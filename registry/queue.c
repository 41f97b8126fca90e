/* queue: see queue.h. */
#include "queue.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "log.h"

int queue_day(long long t) {
    time_t cst = (time_t)(t + 8 * 3600);
    struct tm tm;
    gmtime_r(&cst, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int queue_ticket_from_record(struct rstore *r, const char *kiosk, const char *office,
                             const char *kind, const char *id, const cJSON *payload, long long now) {
    bool checkin = !strcmp(kind, "checkin"), joint = !strcmp(kind, "application");
    const char *queue_no = json_str(payload, "queue_no");
    if ((!checkin && !joint) || !queue_no || !*queue_no)
        return 1;
    long long at = json_int(payload, checkin ? "checked_in_at" : "submitted_at", 1, 1LL << 40, now);
    const char *business = checkin ? json_str_or(payload, "business", "marriage") : "joint";
    struct rstore_ticket t = {.office = office,
                              .kiosk = kiosk,
                              .record = id,
                              .kind = kind,
                              .queue_no = queue_no,
                              .business = business,
                              .room = json_str_or(payload, "room", ""),
                              .slot_start = json_int(payload, "slot_start", 0, 1LL << 40, 0),
                              .created = at,
                              /* the day it reached the registry: the office serves today's */
                              .day = queue_day(now)};
    int rc = rstore_ticket_add(r, &t);
    if (rc == 0)
        log_info("queue", "office %s: ticket %s (%s) waiting", office, queue_no, business);
    /* two kiosks of the office that give the same numbers: the display would call two
     * couples at once */
    char other[128];
    if (rc == 0 &&
        rstore_ticket_number_other(r, office, t.day, queue_no, kiosk, other, sizeof other) == 0)
        log_warn("queue", "office %s: kiosks %s and %s both gave %s today: set their [kiosk] "
                 "queue_start apart (0 and 500)", office, other, kiosk, queue_no);
    return rc;
}

enum { T_ID, T_KIOSK, T_RECORD, T_KIND, T_QUEUE, T_BUSINESS, T_ROOM, T_SLOT, T_CREATED, T_STATUS,
       T_WINDOW, T_CALLS, T_ANY, T_CALLED, T_DONE };
enum { W_ID, W_NAME, W_ROOM, W_TYPES, W_EVERY, W_SINCE };

static const char *cell(const struct rstore_rows *rows, int row, int col) {
    const char *c = rstore_cell(rows, row, col);
    return c ? c : "";
}

static long long num(const struct rstore_rows *rows, int row, int col) {
    return atoll(cell(rows, row, col));
}

/* Whether code is one of the comma-separated types. */
static bool serves(const char *types, const char *code) {
    size_t n = strlen(code);
    for (const char *p = types; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, code, n))
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

static int window_row(const struct rstore_rows *w, const char *id) {
    for (int i = 0; w && i < w->nrows; i++)
        if (!strcmp(cell(w, i, W_ID), id))
            return i;
    return -1;
}

/* A waiting ticket window row wr may call: transferred to it, or of its types (or, moved to a
 * room, of that room). 2 transferred to it, 1 of its own, 0 not for it. */
static int eligible(const struct rstore_rows *t, int i, const struct rstore_rows *w, int wr) {
    if (strcmp(cell(t, i, T_STATUS), "waiting") != 0)
        return 0;
    const char *hint = cell(t, i, T_WINDOW);
    if (hint[0])
        return !strcmp(hint, cell(w, wr, W_ID)) ? 2 : 0;
    if (num(t, i, T_ANY))
        return !strcmp(cell(t, i, T_ROOM), cell(w, wr, W_ROOM));
    return serves(cell(w, wr, W_TYPES), cell(t, i, T_BUSINESS));
}

/* Of the eligible tickets, the next one: transferred first (in the order they came), then the
 * appointment of the earliest slot, a walk-in when the window has taken `every` appointments
 * since its last walk-in (or when no appointment waits). -1 when none. */
static int pick(const struct rstore_rows *t, const struct rstore_rows *w, int wr, bool *walk_in) {
    int hinted = -1, appt = -1, walk = -1;
    for (int i = 0; i < t->nrows; i++) {
        int e = eligible(t, i, w, wr);
        if (e == 2 && hinted < 0)
            hinted = i;
        if (e != 1)
            continue;
        if (num(t, i, T_SLOT) == 0) {
            if (walk < 0)
                walk = i;
        } else if (appt < 0 || num(t, i, T_SLOT) < num(t, appt, T_SLOT)) {
            appt = i;
        }
    }
    if (hinted >= 0) {
        *walk_in = false;
        return hinted;
    }
    long long every = num(w, wr, W_EVERY), since = num(w, wr, W_SINCE);
    bool walk_turn = walk >= 0 && (appt < 0 || (every > 0 && since >= every));
    *walk_in = walk_turn;
    return walk_turn ? walk : appt;
}

enum queue_result queue_call_next(struct rstore *r, const char *office, const char *window, int day,
                                  long long now, long long *ticket) {
    struct rstore_rows *w = rstore_windows(r, office), *t = w ? rstore_tickets(r, office, day) : NULL;
    enum queue_result res = QUEUE_ERROR;
    int wr = w ? window_row(w, window) : -1;
    if (w && t && wr < 0) {
        res = QUEUE_NOT_FOUND;
    } else if (w && t) {
        bool walk_in = false;
        int i = pick(t, w, wr, &walk_in);
        if (i < 0) {
            res = QUEUE_EMPTY;
        } else if (rstore_ticket_set(r, office, num(t, i, T_ID), "called", window, NULL, 1,
                                     (int)num(t, i, T_ANY), now) == 0 &&
                   rstore_window_count(r, office, window,
                                       walk_in ? 0 : (int)num(w, wr, W_SINCE) + 1) == 0) {
            *ticket = num(t, i, T_ID);
            log_info("queue", "office %s: window %s calls %s", office, window, cell(t, i, T_QUEUE));
            res = QUEUE_OK;
        }
    }
    rstore_rows_free(t);
    rstore_rows_free(w);
    return res;
}

enum queue_result queue_act(struct rstore *r, const char *office, int day, long long ticket,
                            const char *action, const char *arg, long long now) {
    struct rstore_rows *t = rstore_tickets(r, office, day);
    if (!t)
        return QUEUE_ERROR;
    int i = -1;
    for (int k = 0; k < t->nrows; k++)
        if (num(t, k, T_ID) == ticket)
            i = k;
    enum queue_result res = QUEUE_NOT_FOUND;
    if (i >= 0) {
        bool called = !strcmp(cell(t, i, T_STATUS), "called");
        int calls = (int)num(t, i, T_CALLS), any = (int)num(t, i, T_ANY), rc = -2;
        const char *status = cell(t, i, T_STATUS);
        if (!strcmp(action, "recall") && called)
            rc = rstore_ticket_set(r, office, ticket, status, NULL, NULL, calls + 1, any, now);
        else if (!strcmp(action, "no_show") && called && calls >= QUEUE_NO_SHOW_CALLS)
            rc = rstore_ticket_set(r, office, ticket, "no_show", NULL, NULL, calls, any, now);
        else if (!strcmp(action, "done") && called)
            rc = rstore_ticket_set(r, office, ticket, "done", NULL, NULL, calls, any, now);
        else if (!strcmp(action, "transfer") && arg && !strncmp(arg, "window:", 7) && arg[7])
            rc = rstore_ticket_set(r, office, ticket, "waiting", arg + 7, NULL, 0, 0, now);
        else if (!strcmp(action, "transfer") && arg && !strncmp(arg, "room:", 5) && arg[5])
            rc = rstore_ticket_set(r, office, ticket, "waiting", "", arg + 5, 0, 1, now);
        res = rc == 0 ? QUEUE_OK : rc == -2 ? QUEUE_REFUSED : rc == 1 ? QUEUE_NOT_FOUND : QUEUE_ERROR;
        if (res == QUEUE_OK)
            log_info("queue", "office %s: %s %s%s%s", office, cell(t, i, T_QUEUE), action,
                     arg ? " " : "", arg ? arg : "");
    }
    rstore_rows_free(t);
    return res;
}

/* The order windows call a type's tickets in: appointments by slot, then walk-ins, each by
 * arrival. */
static bool before(const struct rstore_rows *t, int a, int b) {
    long long sa = num(t, a, T_SLOT), sb = num(t, b, T_SLOT);
    if ((sa == 0) != (sb == 0))
        return sa != 0;
    if (sa != sb)
        return sa < sb;
    if (num(t, a, T_CREATED) != num(t, b, T_CREATED))
        return num(t, a, T_CREATED) < num(t, b, T_CREATED);
    return num(t, a, T_ID) < num(t, b, T_ID);
}

int queue_position(struct rstore *r, const char *office, int day, const char *kiosk,
                   const char *record, int *ahead, int *wait_min) {
    struct rstore_rows *t = rstore_tickets(r, office, day), *w = t ? rstore_windows(r, office) : NULL;
    if (!t || !w) {
        rstore_rows_free(t);
        rstore_rows_free(w);
        return -1;
    }
    int me = -1;
    for (int i = 0; i < t->nrows; i++)
        if (!strcmp(cell(t, i, T_KIOSK), kiosk) && !strcmp(cell(t, i, T_RECORD), record))
            me = i;
    int rc = 1;
    if (me >= 0 && !strcmp(cell(t, me, T_STATUS), "waiting")) {
        const char *type = cell(t, me, T_BUSINESS);
        int n = 0, served = 0;
        long long spent = 0;
        for (int i = 0; i < t->nrows; i++) {
            if (strcmp(cell(t, i, T_BUSINESS), type) != 0)
                continue;
            if (!strcmp(cell(t, i, T_STATUS), "waiting") && i != me && before(t, i, me))
                n++;
            if (!strcmp(cell(t, i, T_STATUS), "done") && num(t, i, T_DONE) > num(t, i, T_CALLED)) {
                spent += num(t, i, T_DONE) - num(t, i, T_CALLED);
                served++;
            }
        }
        int windows = 0;
        for (int i = 0; i < w->nrows; i++)
            windows += serves(cell(w, i, W_TYPES), type);
        long long each = served ? spent / served : QUEUE_SERVICE_MIN * 60;
        *ahead = n;
        *wait_min = (int)((n * each / (windows ? windows : 1) + 59) / 60);
        rc = 0;
    }
    rstore_rows_free(t);
    rstore_rows_free(w);
    return rc;
}

cJSON *queue_view(struct rstore *r, const char *office, int day) {
    struct rstore_rows *w = rstore_windows(r, office), *t = w ? rstore_tickets(r, office, day) : NULL;
    if (!w || !t) {
        rstore_rows_free(w);
        rstore_rows_free(t);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject(), *wins = cJSON_AddArrayToObject(o, "windows");
    cJSON *tix = cJSON_AddArrayToObject(o, "tickets");
    for (int i = 0; i < w->nrows; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", cell(w, i, W_ID));
        cJSON_AddStringToObject(x, "name", cell(w, i, W_NAME));
        cJSON_AddStringToObject(x, "room", cell(w, i, W_ROOM));
        cJSON_AddStringToObject(x, "types", cell(w, i, W_TYPES));
        cJSON_AddNumberToObject(x, "every", (double)num(w, i, W_EVERY));
        cJSON_AddItemToArray(wins, x);
    }
    int waiting = 0;
    static const char *const names[] = {"id",   "kiosk",  "record", "kind",     "queue_no",
                                        "business", "room", "slot_start", "created", "status",
                                        "window", "calls", "any_type", "called_at", "done_at"};
    for (int i = 0; i < t->nrows; i++) {
        cJSON *x = cJSON_CreateObject();
        for (int c = 0; c < t->ncols && c < (int)(sizeof names / sizeof names[0]); c++) {
            const char *v = rstore_cell(t, i, c);
            if (t->cols[c].type == RSTORE_INT)
                cJSON_AddNumberToObject(x, names[c], v ? (double)atoll(v) : 0);
            else
                cJSON_AddStringToObject(x, names[c], v ? v : "");
        }
        waiting += !strcmp(cell(t, i, T_STATUS), "waiting");
        /* the same number from another kiosk of the office today */
        for (int j = 0; j < t->nrows; j++)
            if (j != i && !strcmp(cell(t, j, T_QUEUE), cell(t, i, T_QUEUE)) &&
                strcmp(cell(t, j, T_KIOSK), cell(t, i, T_KIOSK)) != 0) {
                cJSON_AddStringToObject(x, "same_number_as", cell(t, j, T_KIOSK));
                break;
            }
        cJSON_AddItemToArray(tix, x);
    }
    cJSON_AddNumberToObject(o, "waiting", waiting);
    rstore_rows_free(w);
    rstore_rows_free(t);
    return o;
}
