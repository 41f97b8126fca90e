/* rstore_pg: the PostgreSQL backend of rstore.h (libpq), for a province: several registryd
 * processes may serve one database. The same tables as rstore_sqlite.c, the same answers
 * (rstore_cols.h).
 *
 * Change cursors (appointments, commands) are commit-ordered with no gaps and no duplicates
 * under concurrent writers: a plain sequence is not (a later commit can take a lower number,
 * and a kiosk that pulled past it never sees the earlier one). Each change takes its number
 * from a row of the counters table in the same statement as the change; the row stays locked
 * until that transaction commits, so numbers are handed out in commit order and a rolled-back
 * change gives its number back. A batch of records is one transaction with each record's own
 * answer.
 *
 * One connection, used from the event loop's thread like the SQLite handle; when the server
 * went away the connection is reset and the statement tried once more (outside a
 * transaction). Parameters go as text with the types cast in the SQL. */
#include "rstore.h"

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "rstore_cols.h"

struct pq {
    struct rstore base; /* first: a struct rstore * is a struct pq * */
    PGconn *c;
    PGconn *listen; /* LISTEN kiosk_commands: other processes' commands */
    char conninfo[600];
    bool in_tx;
    bool unit, unit_failed; /* a unit of work (rstore_unit_begin) is open; one of its parts failed */
};
#define PQ(r) ((struct pq *)(r))

static const struct rstore_ops pg_ops;

#define PARAMS_MAX 16

/* Runs sql with the parameters types names: 's' text (NULL: SQL NULL), 'i' int, 'l' long
 * long. The result when it is a command's or rows, else NULL (logged). */
static PGresult *vrun(struct rstore *r, const char *sql, const char *types, va_list ap) {
    const char *vals[PARAMS_MAX];
    char nums[PARAMS_MAX][24];
    int n = 0;
    for (const char *t = types; *t && n < PARAMS_MAX; t++, n++) {
        if (*t == 's') {
            vals[n] = va_arg(ap, const char *);
        } else if (*t == 'i') {
            snprintf(nums[n], sizeof nums[n], "%d", va_arg(ap, int));
            vals[n] = nums[n];
        } else {
            snprintf(nums[n], sizeof nums[n], "%lld", va_arg(ap, long long));
            vals[n] = nums[n];
        }
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        PGresult *res = PQexecParams(PQ(r)->c, sql, n, NULL, vals, NULL, NULL, 0);
        ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
            return res;
        PQclear(res);
        if (PQstatus(PQ(r)->c) == CONNECTION_BAD && !PQ(r)->in_tx && attempt == 0) {
            log_warn("rstore", "the PostgreSQL connection was lost: connecting again");
            PQreset(PQ(r)->c);
            continue;
        }
        log_error("rstore", "PostgreSQL: %s", PQerrorMessage(PQ(r)->c));
        return NULL;
    }
    return NULL;
}

static PGresult *run(struct rstore *r, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    PGresult *res = vrun(r, sql, types, ap);
    va_end(ap);
    return res;
}

/* A command: the rows it changed, or -1. */
static long vdone(struct rstore *r, const char *sql, const char *types, va_list ap) {
    PGresult *res = vrun(r, sql, types, ap);
    if (!res)
        return -1;
    long n = atol(PQcmdTuples(res));
    PQclear(res);
    return n;
}

static long done(struct rstore *r, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    long n = vdone(r, sql, types, ap);
    va_end(ap);
    return n;
}

/* A command whose count does not matter: 0, or -1. */
static int exec_ok(struct rstore *r, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    long n = vdone(r, sql, types, ap);
    va_end(ap);
    return n < 0 ? -1 : 0;
}

/* A query's rows as cols describe them (it selects them in that order); NULL on an error. */
static struct rstore_rows *rows(struct rstore *r, const struct rstore_col *cols, int ncols,
                                const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    PGresult *res = vrun(r, sql, types, ap);
    va_end(ap);
    if (!res)
        return NULL;
    struct rstore_rows *out = rstore_rows_new(cols, ncols);
    for (int i = 0; out && i < PQntuples(res); i++) {
        const char *cells[PARAMS_MAX];
        for (int c = 0; c < ncols && c < PARAMS_MAX; c++)
            cells[c] = PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
        if (rstore_rows_add(out, cells) != 0) {
            rstore_rows_free(out);
            out = NULL;
        }
    }
    PQclear(res);
    return out;
}

/* The first column of the first row into out (cap bytes): 0, 1 when no row, -1. */
static int one(struct rstore *r, char *out, size_t cap, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    PGresult *res = vrun(r, sql, types, ap);
    va_end(ap);
    if (!res)
        return -1;
    int rc = PQntuples(res) > 0 ? 0 : 1;
    if (rc == 0)
        snprintf(out, cap, "%s", PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

/* BEGIN, COMMIT or ROLLBACK; inside a unit of work (pg_unit_begin) they are the unit's: an
 * inner BEGIN and COMMIT do nothing, an inner ROLLBACK makes the unit roll back. */
static int tx(struct rstore *r, const char *what) {
    struct pq *q = PQ(r);
    if (q->unit) {
        if (!strcmp(what, "ROLLBACK"))
            q->unit_failed = true;
        return 0;
    }
    int rc = done(r, what, "") < 0 ? -1 : 0;
    q->in_tx = rc == 0 && !strcmp(what, "BEGIN");
    return rc;
}

static int pg_unit_begin(struct rstore *r, bool durable) {
    if (tx(r, "BEGIN") != 0)
        return -1;
    /* soft state (heartbeats): its commit need not wait for the disk; a crash loses at most
     * the last moments' heartbeats, which the kiosks send again (PostgreSQL: the database
     * stays consistent) */
    if (!durable && exec_ok(r, "SET LOCAL synchronous_commit = off", "") != 0) {
        tx(r, "ROLLBACK");
        return -1;
    }
    PQ(r)->unit = true;
    PQ(r)->unit_failed = false;
    return 0;
}

static int pg_unit_end(struct rstore *r, bool ok) {
    struct pq *q = PQ(r);
    q->unit = false;
    if (!ok || q->unit_failed) {
        tx(r, "ROLLBACK");
        return -1;
    }
    return tx(r, "COMMIT");
}

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS records(id TEXT NOT NULL, kind TEXT NOT NULL,"
    " kiosk TEXT NOT NULL, office TEXT NOT NULL, payload TEXT NOT NULL,"
    " received BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'received',"
    " status_reason TEXT NOT NULL DEFAULT '', business TEXT, queue_no TEXT,"
    " PRIMARY KEY(kiosk, id));"
    /* sealed payloads (issue 17): a rating's level beside it; an appointment's end */
    "ALTER TABLE records ADD COLUMN IF NOT EXISTS level INT;"
    "UPDATE records SET business = payload::json->>'service', level = (payload::json->>"
    "'level')::int WHERE kind = 'rating' AND level IS NULL AND payload LIKE '{%';"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS records_received ON records(received);"
    "CREATE INDEX IF NOT EXISTS records_id ON records(id, office);"
    "CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, n BIGINT NOT NULL);"
    "INSERT INTO counters VALUES ('appointments', 0), ('commands', 0), ('receipt_keys', 0) ON "
    "CONFLICT DO NOTHING;"
    "CREATE TABLE IF NOT EXISTS appointments(id TEXT PRIMARY KEY, office TEXT NOT NULL,"
    " json TEXT NOT NULL, seq BIGINT NOT NULL UNIQUE);"
    "CREATE INDEX IF NOT EXISTS appointments_office ON appointments(office, seq);"
    "ALTER TABLE appointments ADD COLUMN IF NOT EXISTS slot_end BIGINT NOT NULL DEFAULT 0;"
    "CREATE TABLE IF NOT EXISTS fleet(kiosk TEXT PRIMARY KEY, office TEXT NOT NULL,"
    " json TEXT NOT NULL, seen BIGINT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS commands(seq BIGINT PRIMARY KEY, kiosk TEXT NOT NULL,"
    " command TEXT NOT NULL, arg TEXT NOT NULL, created BIGINT NOT NULL, acked BIGINT,"
    " result TEXT);"
    "CREATE INDEX IF NOT EXISTS commands_kiosk ON commands(kiosk, seq);"
    "CREATE TABLE IF NOT EXISTS manifests(type TEXT NOT NULL, channel TEXT NOT NULL,"
    " serial BIGINT NOT NULL, json TEXT NOT NULL, published BIGINT NOT NULL,"
    " rollout INT NOT NULL DEFAULT 100, PRIMARY KEY(type, channel, serial));"
    "CREATE TABLE IF NOT EXISTS receipt_keys(key TEXT PRIMARY KEY, kiosk TEXT NOT NULL,"
    " office TEXT NOT NULL, first_seen BIGINT NOT NULL, seq BIGINT);"
    "ALTER TABLE receipt_keys ADD COLUMN IF NOT EXISTS seq BIGINT;"
    "CREATE INDEX IF NOT EXISTS receipt_keys_seq ON receipt_keys(seq);"
    "CREATE TABLE IF NOT EXISTS enroll_tokens(hash TEXT PRIMARY KEY, kiosk TEXT NOT NULL,"
    " office TEXT NOT NULL, expires BIGINT NOT NULL, used BIGINT);"
    "CREATE TABLE IF NOT EXISTS update_events(seq BIGSERIAL PRIMARY KEY, kiosk TEXT NOT NULL,"
    " type TEXT NOT NULL, serial BIGINT NOT NULL, version TEXT NOT NULL, step TEXT NOT NULL,"
    " detail TEXT NOT NULL, at BIGINT NOT NULL, received BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS update_events_kiosk ON update_events(kiosk, type, serial);"
    "CREATE TABLE IF NOT EXISTS audit_anchors(kiosk TEXT NOT NULL, seq BIGINT NOT NULL,"
    " hash TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY(kiosk, seq));"
    "CREATE TABLE IF NOT EXISTS audit_alarms(id BIGSERIAL PRIMARY KEY, kiosk TEXT NOT NULL,"
    " at BIGINT NOT NULL, detail TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS revocations(kind TEXT NOT NULL, id TEXT NOT NULL,"
    " at BIGINT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY(kind, id));"
    "CREATE TABLE IF NOT EXISTS tickets(id BIGSERIAL PRIMARY KEY, office TEXT NOT NULL,"
    " day INT NOT NULL, kiosk TEXT NOT NULL, record TEXT NOT NULL, kind TEXT NOT NULL,"
    " queue_no TEXT NOT NULL, business TEXT NOT NULL, room TEXT NOT NULL,"
    " slot_start BIGINT NOT NULL, created BIGINT NOT NULL, status TEXT NOT NULL DEFAULT"
    " 'waiting', \"window\" TEXT NOT NULL DEFAULT '', calls INT NOT NULL DEFAULT 0,"
    " any_type INT NOT NULL DEFAULT 0, called_at BIGINT, done_at BIGINT, UNIQUE(kiosk, record));"
    "CREATE INDEX IF NOT EXISTS tickets_day ON tickets(office, day);"
    "CREATE INDEX IF NOT EXISTS tickets_number ON tickets(office, day, queue_no);"
    "CREATE TABLE IF NOT EXISTS windows(office TEXT NOT NULL, id TEXT NOT NULL,"
    " name TEXT NOT NULL, room TEXT NOT NULL, types TEXT NOT NULL, every INT NOT NULL,"
    " since_walk_in INT NOT NULL DEFAULT 0, PRIMARY KEY(office, id));"
    "CREATE TABLE IF NOT EXISTS divorce_accepted(pair TEXT PRIMARY KEY, office TEXT NOT NULL,"
    " record TEXT NOT NULL, date TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS alerts(id BIGSERIAL PRIMARY KEY, kiosk TEXT NOT NULL,"
    " office TEXT NOT NULL, kind TEXT NOT NULL, screen TEXT NOT NULL, at BIGINT NOT NULL,"
    " received BIGINT NOT NULL, UNIQUE(kiosk, kind, at));"
    "CREATE TABLE IF NOT EXISTS clerks(id TEXT PRIMARY KEY, office TEXT NOT NULL,"
    " name TEXT NOT NULL, hash TEXT NOT NULL, failures INT NOT NULL DEFAULT 0,"
    " locked_until BIGINT NOT NULL DEFAULT 0, disabled INT NOT NULL DEFAULT 0,"
    " created BIGINT NOT NULL, last_login BIGINT NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS clerk_sessions(hash TEXT PRIMARY KEY, clerk TEXT NOT NULL,"
    " csrf TEXT NOT NULL, created BIGINT NOT NULL, expires BIGINT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS clerk_audit(id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL,"
    " clerk TEXT NOT NULL, office TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,"
    " detail TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS clerk_audit_office ON clerk_audit(office, id);";

static void pg_close(struct rstore *r) {
    if (!r)
        return;
    PQfinish(PQ(r)->c);
    PQfinish(PQ(r)->listen);
    free(r);
}

/* The listening connection, made (again) when there is none: its socket, or -1. */
static int pg_wake_fd(struct rstore *r) {
    struct pq *q = PQ(r);
    if (q->listen && PQstatus(q->listen) != CONNECTION_OK) {
        PQfinish(q->listen);
        q->listen = NULL;
    }
    if (!q->listen) {
        q->listen = PQconnectdb(q->conninfo);
        PGresult *res = PQstatus(q->listen) == CONNECTION_OK
                            ? PQexec(q->listen, "LISTEN kiosk_commands")
                            : NULL;
        bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        PQclear(res);
        if (!ok) {
            log_warn("rstore", "cannot listen for other processes' commands: %s",
                     PQerrorMessage(q->listen));
            PQfinish(q->listen);
            q->listen = NULL;
            return -1;
        }
        PQsetnonblocking(q->listen, 1);
    }
    return PQsocket(q->listen);
}

static int pg_wakes(struct rstore *r, void (*cb)(const char *kiosk, void *arg), void *arg) {
    struct pq *q = PQ(r);
    if (!q->listen || !PQconsumeInput(q->listen)) {
        log_warn("rstore", "the channel of other processes' commands broke: %s",
                 q->listen ? PQerrorMessage(q->listen) : "not connected");
        return -1;
    }
    PGnotify *n;
    while ((n = PQnotifies(q->listen)) != NULL) {
        cb(n->extra, arg);
        PQfreemem(n);
    }
    return 0;
}

static void on_notice(void *arg, const char *message) {
    (void)arg;
    (void)message; /* "relation already exists, skipping": the schema's IF NOT EXISTS */
}

struct rstore *rstore_open_pg(const char *conninfo) {
    struct pq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->base.ops = &pg_ops;
    snprintf(q->conninfo, sizeof q->conninfo, "%s", conninfo);
    q->c = PQconnectdb(conninfo);
    if (PQstatus(q->c) != CONNECTION_OK) {
        log_error("rstore", "cannot connect to PostgreSQL: %s", PQerrorMessage(q->c));
        pg_close(&q->base);
        return NULL;
    }
    PQsetNoticeProcessor(q->c, on_notice, NULL);
    /* the schema once, whoever starts first: an advisory lock keeps two processes' CREATEs
     * apart */
    PGresult *res = PQexec(q->c, "SELECT pg_advisory_lock(7294001)");
    PQclear(res);
    res = PQexec(q->c, schema);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        log_error("rstore", "the PostgreSQL schema: %s", PQerrorMessage(q->c));
    PQclear(res);
    PQclear(PQexec(q->c, "SELECT pg_advisory_unlock(7294001)"));
    if (!ok) {
        pg_close(&q->base);
        return NULL;
    }
    log_info("rstore", "PostgreSQL %d on %s:%s, database %s", PQserverVersion(q->c), PQhost(q->c),
             PQport(q->c), PQdb(q->c));
    return &q->base;
}

/* --- records --- */

static void pg_put_batch(struct rstore *r, const char *kiosk, const char *office,
                         const struct rstore_record_in *recs, int n, enum rstore_result *results) {
    for (int i = 0; i < n; i++)
        results[i] = RSTORE_ERROR;
    if (tx(r, "BEGIN") != 0)
        return;
    long long now = (long long)time(NULL);
    int shared = 0;
    bool failed = false;
    for (int i = 0; i < n && !failed; i++) {
        const struct rstore_record_in *rec = &recs[i];
        long changed = done(r,
                            "INSERT INTO records(id, kind, kiosk, office, payload, received, "
                            "business, queue_no, level) VALUES($1::text, $2::text, $3::text, "
                            "$4::text, $5::text, $6::bigint, $7::text, $8::text, "
                            "nullif($9::int, 0)) ON CONFLICT DO NOTHING",
                            "ssssslssi", rec->id, rec->kind, kiosk, office, rec->payload, now,
                            rec->business, rec->queue_no, rec->level);
        failed = changed < 0;
        results[i] = changed == 1 ? RSTORE_ACCEPTED : RSTORE_DUPLICATE;
        char x[8];
        if (changed == 1 && one(r, x, sizeof x,
                                "SELECT 1 FROM records WHERE id = $1::text AND "
                                "kiosk <> $2::text LIMIT 1",
                                "ss", rec->id, kiosk) == 0)
            shared++;
    }
    if (failed || tx(r, "COMMIT") != 0) {
        log_error("rstore", "a batch of %d records cannot be committed", n);
        tx(r, "ROLLBACK");
        for (int i = 0; i < n; i++)
            results[i] = RSTORE_ERROR;
    } else if (shared) {
        log_warn("rstore",
                 "%s sent %d record id(s) another kiosk also sent: each kept as its "
                 "own kiosk's (records list: shared_id)",
                 kiosk, shared);
    }
    if (!PQ(r)->unit)
        PQ(r)->in_tx = false;
}

static int pg_status(struct rstore *r, const char *office, const char *kiosk, const char *id,
                     char *status, size_t cap, char *reason, size_t rcap) {
    PGresult *res = run(r,
                        "SELECT status, status_reason FROM records WHERE id = $1::text AND "
                        "office = $2::text ORDER BY (kiosk = $3::text) DESC, received LIMIT 1",
                        "sss", id, office, kiosk);
    if (!res)
        return -1;
    int rc = PQntuples(res) ? 0 : 1;
    if (rc == 0) {
        snprintf(status, cap, "%s", PQgetvalue(res, 0, 0));
        snprintf(reason, rcap, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return rc;
}

static int pg_set_status(struct rstore *r, const char *id, const char *kiosk, const char *status,
                         const char *reason) {
    char n[24];
    if (one(r, n, sizeof n,
            "SELECT count(*) FROM records WHERE id = $1::text AND "
            "($2::text IS NULL OR kiosk = $2::text)",
            "ss", id, kiosk) != 0)
        return -1;
    if (!strcmp(n, "0"))
        return 1;
    if (strcmp(n, "1") != 0)
        return 2; /* several kiosks sent this id: the operator names one */
    return exec_ok(r,
                   "UPDATE records SET status = $1::text, status_reason = $4::text WHERE id = "
                   "$2::text AND ($3::text IS NULL OR kiosk = $3::text)",
                   "ssss", status, id, kiosk, reason ? reason : "");
}

static long pg_count(struct rstore *r) {
    char n[24];
    return one(r, n, sizeof n, "SELECT count(*) FROM records", "") == 0 ? atol(n) : -1;
}

static struct rstore_rows *pg_record(struct rstore *r, const char *id, const char *kiosk) {
    return rows(r, record_cols, NCOLS(record_cols),
                "SELECT id, kind, kiosk, office, received, status, payload FROM records WHERE id = "
                "$1::text AND ($2::text IS NULL OR kiosk = $2::text) ORDER BY received",
                "ss", id, kiosk);
}

static struct rstore_rows *pg_records_list(struct rstore *r, const char *kiosk, const char *office,
                                           int limit) {
    return rows(
        r, record_list_cols, NCOLS(record_list_cols),
        "SELECT id, kind, kiosk, office, received, status, (EXISTS (SELECT 1 FROM records o "
        "WHERE o.id = records.id AND o.kiosk <> records.kiosk))::int, business, queue_no "
        "FROM records WHERE ($1::text IS NULL OR kiosk = $1::text) AND ($2::text IS NULL "
        "OR office = $2::text) ORDER BY received DESC, id DESC LIMIT $3::int",
        "ssi", kiosk, office, limit);
}

static struct rstore_rows *pg_ratings(struct rstore *r, const char *office) {
    return rows(r, rating_cols, NCOLS(rating_cols),
                "SELECT office, business AS service, level, count(*) FROM records WHERE kind = "
                "'rating' AND ($1::text IS NULL OR office = $1::text) GROUP BY office, service, "
                "level ORDER BY office, service, level DESC LIMIT 2000",
                "s", office);
}

/* --- appointments: a change cursor --- */

static int pg_appointment_put(struct rstore *r, const char *id, const char *office,
                              const char *json, long long slot_end) {
    return done(r,
                "WITH c AS (UPDATE counters SET n = n + 1 WHERE name = 'appointments' "
                "RETURNING n) INSERT INTO appointments(id, office, json, seq, slot_end) SELECT "
                "$1::text, $2::text, $3::text, n, $4::bigint FROM c ON CONFLICT (id) DO UPDATE "
                "SET office = EXCLUDED.office, json = EXCLUDED.json, seq = EXCLUDED.seq, "
                "slot_end = EXCLUDED.slot_end",
                "sssl", id, office, json, slot_end) == 1
               ? 0
               : -1;
}

static struct rstore_rows *pg_appointments_since(struct rstore *r, const char *office, long since,
                                                 int limit, long *next) {
    *next = since;
    struct rstore_rows *out =
        rows(r, appointment_cols, NCOLS(appointment_cols),
             "SELECT json, seq, id FROM appointments WHERE office = $1::text AND seq > $2::bigint "
             "ORDER BY seq LIMIT $3::int",
             "sli", office, (long long)since, limit);
    if (out && out->nrows) /* the page's last change: where the next pull starts */
        *next = strtol(rstore_cell(out, out->nrows - 1, 1), NULL, 10);
    return out;
}

static int pg_divorce_accepted_put(struct rstore *r, const char *pair, const char *office,
                                   const char *record, const char *date) {
    return exec_ok(r,
                   "INSERT INTO divorce_accepted(pair, office, record, date) VALUES($1::text, "
                   "$2::text, $3::text, $4::text) ON CONFLICT (pair) DO UPDATE SET office = "
                   "EXCLUDED.office, record = EXCLUDED.record, date = EXCLUDED.date WHERE "
                   "divorce_accepted.record <> EXCLUDED.record AND divorce_accepted.date < "
                   "EXCLUDED.date",
                   "ssss", pair, office, record, date);
}

static int pg_divorce_accepted_get(struct rstore *r, const char *pair, char date[16]) {
    return one(r, date, 16, "SELECT date FROM divorce_accepted WHERE pair = $1::text", "s", pair);
}

/* --- the office queue --- */

static int pg_ticket_add(struct rstore *r, const struct rstore_ticket *t) {
    long n = done(r,
                  "INSERT INTO tickets(office, day, kiosk, record, kind, queue_no, business, "
                  "room, slot_start, created) VALUES($1::text, $2::int, $3::text, $4::text, "
                  "$5::text, $6::text, $7::text, $8::text, $9::bigint, $10::bigint) ON "
                  "CONFLICT DO NOTHING",
                  "sissssssll", t->office, t->day, t->kiosk, t->record, t->kind, t->queue_no,
                  t->business, t->room ? t->room : "", t->slot_start, t->created);
    return n < 0 ? -1 : n == 1 ? 0 : 1;
}

static int pg_ticket_number_other(struct rstore *r, const char *office, int day,
                                  const char *queue_no, const char *kiosk, char *other,
                                  size_t cap) {
    return one(r, other, cap,
               "SELECT kiosk FROM tickets WHERE office = $1::text AND day = $2::int AND queue_no "
               "= $3::text AND kiosk <> $4::text LIMIT 1",
               "siss", office, day, queue_no, kiosk);
}

static struct rstore_rows *pg_tickets(struct rstore *r, const char *office, int day) {
    return rows(r, ticket_cols, NCOLS(ticket_cols),
                "SELECT id, kiosk, record, kind, queue_no, business, room, slot_start, created, "
                "status, \"window\", calls, any_type, called_at, done_at FROM tickets WHERE office "
                "= $1::text AND day = $2::int ORDER BY created, id",
                "si", office, day);
}

static int pg_ticket_set(struct rstore *r, const char *office, long long id, const char *status,
                         const char *window, const char *room, int calls, int any_type,
                         long long at) {
    long n = done(r,
                  "UPDATE tickets SET status = $1::text, \"window\" = coalesce($2::text, "
                  "\"window\"), room = coalesce($3::text, room), calls = $4::int, any_type = "
                  "$5::int, called_at = CASE WHEN $1::text = 'called' THEN $6::bigint ELSE "
                  "called_at END, done_at = CASE WHEN $1::text IN ('done', 'no_show') THEN "
                  "$6::bigint ELSE done_at END WHERE id = $7::bigint AND office = $8::text",
                  "sssiills", status, window, room, calls, any_type, at, id, office);
    return n < 0 ? -1 : n == 1 ? 0 : 1;
}

static int pg_window_put(struct rstore *r, const char *office, const char *id, const char *name,
                         const char *room, const char *types, int every) {
    return exec_ok(r,
                   "INSERT INTO windows(office, id, name, room, types, every) VALUES($1::text, "
                   "$2::text, $3::text, $4::text, $5::text, $6::int) ON CONFLICT (office, id) DO "
                   "UPDATE SET name = EXCLUDED.name, room = EXCLUDED.room, types = EXCLUDED.types, "
                   "every = EXCLUDED.every",
                   "sssssi", office, id, name, room, types, every);
}

static struct rstore_rows *pg_windows(struct rstore *r, const char *office) {
    return rows(r, window_cols, NCOLS(window_cols),
                "SELECT id, name, room, types, every, since_walk_in FROM windows WHERE office = "
                "$1::text ORDER BY id",
                "s", office);
}

static int pg_window_count(struct rstore *r, const char *office, const char *id, int since) {
    return exec_ok(r,
                   "UPDATE windows SET since_walk_in = $1::int WHERE office = $2::text AND id = "
                   "$3::text",
                   "iss", since, office, id);
}

/* --- the fleet --- */

static int pg_heartbeat(struct rstore *r, const char *kiosk, const char *office, const char *json) {
    return exec_ok(r,
                   "INSERT INTO fleet(kiosk, office, json, seen) VALUES($1::text, $2::text, "
                   "$3::text, $4::bigint) ON CONFLICT (kiosk) DO UPDATE SET office = "
                   "EXCLUDED.office, json = EXCLUDED.json, seen = EXCLUDED.seen",
                   "sssl", kiosk, office, json, (long long)time(NULL));
}

static struct rstore_rows *pg_fleet(struct rstore *r) {
    return rows(r, fleet_cols, NCOLS(fleet_cols),
                "SELECT kiosk, office, $1::bigint - seen, json FROM fleet ORDER BY kiosk", "l",
                (long long)time(NULL));
}

static int pg_update_event(struct rstore *r, const char *kiosk, const char *type, long long serial,
                           const char *version, const char *step, const char *detail,
                           long long at) {
    /* a step is kept once: heartbeats repeat the latest one (a download's progress is one) */
    long n =
        done(r,
             "INSERT INTO update_events(kiosk, type, serial, version, step, detail, at, "
             "received) SELECT $1::text, $2::text, $3::bigint, $4::text, $5::text, "
             "$6::text, $7::bigint, $8::bigint WHERE NOT EXISTS (SELECT 1 FROM "
             "update_events WHERE kiosk = $1::text AND type = $2::text AND serial = "
             "$3::bigint AND step = $5::text AND (step = 'downloading' OR at = "
             "$7::bigint))",
             "sslsssll", kiosk, type, serial, version, step, detail, at, (long long)time(NULL));
    if (n <= 0)
        return (int)n;
    /* the kiosk's quota: its latest steps only */
    return exec_ok(r,
                   "DELETE FROM update_events WHERE kiosk = $1::text AND seq <= (SELECT seq FROM "
                   "update_events WHERE kiosk = $1::text ORDER BY seq DESC LIMIT 1 OFFSET $2::int)",
                   "si", kiosk, RSTORE_EVENTS_PER_KIOSK);
}

static struct rstore_rows *pg_update_events(struct rstore *r, const char *kiosk, int limit) {
    return rows(r, update_event_cols, NCOLS(update_event_cols),
                "SELECT kiosk, type, serial, version, step, detail, at FROM update_events WHERE "
                "$1::text IS NULL OR kiosk = $1::text ORDER BY seq DESC LIMIT $2::int",
                "si", kiosk, limit);
}

/* --- commands: a change cursor --- */

static long pg_command_add(struct rstore *r, const char *kiosk, const char *command,
                           const char *arg) {
    /* every process's long polls hear of it when it commits: NOTIFY in its transaction */
    char seq[24];
    return one(r, seq, sizeof seq,
               "WITH c AS (UPDATE counters SET n = n + 1 WHERE name = 'commands' RETURNING n), "
               "i AS (INSERT INTO commands(seq, kiosk, command, arg, created) SELECT n, $1::text, "
               "$2::text, $3::text, $4::bigint FROM c RETURNING seq) SELECT seq, "
               "pg_notify('kiosk_commands', $1::text) FROM i",
               "sssl", kiosk, command, arg ? arg : "", (long long)time(NULL)) == 0
               ? atol(seq)
               : -1;
}

static struct rstore_rows *pg_commands_after(struct rstore *r, const char *kiosk, long after,
                                             int *count) {
    struct rstore_rows *out =
        rows(r, command_cols, NCOLS(command_cols),
             "SELECT seq, command, arg FROM commands WHERE kiosk = $1::text AND seq > $2::bigint "
             "AND acked IS NULL ORDER BY seq LIMIT 100",
             "sl", kiosk, (long long)after);
    *count = out ? out->nrows : 0;
    return out;
}

static int pg_command_ack(struct rstore *r, const char *kiosk, long seq, const char *result) {
    /* an ack is final, but for the interim "ok: started" of an update or content command */
    long n = done(r,
                  "UPDATE commands SET acked = $1::bigint, result = $2::text WHERE seq = "
                  "$3::bigint AND kiosk = $4::text AND (acked IS NULL OR result LIKE 'ok: "
                  "started%')",
                  "lsls", (long long)time(NULL), result, (long long)seq, kiosk);
    return n < 0 ? -1 : n == 1 ? 0 : 1;
}

static struct rstore_rows *pg_commands_list(struct rstore *r, const char *kiosk) {
    return rows(r, command_list_cols, NCOLS(command_list_cols),
                "SELECT seq, kiosk, command, arg, created, acked, result FROM commands WHERE "
                "$1::text IS NULL OR kiosk = $1::text ORDER BY seq DESC LIMIT 200",
                "s", kiosk);
}

/* --- keys, releases, enrollment --- */

static int pg_receipt_key_put(struct rstore *r, const char *kiosk, const char *office,
                              const char *key) {
    PGresult *res = run(r,
                        "SELECT EXISTS (SELECT 1 FROM receipt_keys WHERE key = $1::text), "
                        "(SELECT count(*) FROM receipt_keys WHERE kiosk = $2::text)",
                        "ss", key, kiosk);
    if (!res)
        return -1;
    bool known = !strcmp(PQgetvalue(res, 0, 0), "t");
    long count = atol(PQgetvalue(res, 0, 1));
    PQclear(res);
    if (known)
        return 0;
    if (count >= RSTORE_KEYS_PER_KIOSK)
        return 1;
    /* numbered from the counter, in commit order, like the appointments */
    return exec_ok(r,
                   "WITH c AS (UPDATE counters SET n = n + 1 WHERE name = 'receipt_keys' "
                   "RETURNING n) INSERT INTO receipt_keys(key, kiosk, office, first_seen, seq) "
                   "SELECT $1::text, $2::text, $3::text, $4::bigint, n FROM c ON CONFLICT DO "
                   "NOTHING",
                   "sssl", key, kiosk, office, (long long)time(NULL));
}

static int pg_receipt_key_owner(struct rstore *r, const char *key, char *kiosk, size_t cap) {
    return one(r, kiosk, cap, "SELECT kiosk FROM receipt_keys WHERE key = $1::text", "s", key);
}

static struct rstore_rows *pg_receipt_keys(struct rstore *r, long since, int limit) {
    return rows(r, receipt_key_cols, NCOLS(receipt_key_cols),
                "SELECT kiosk, office, key, first_seen, seq FROM receipt_keys WHERE seq > "
                "$1::bigint ORDER BY seq LIMIT $2::bigint",
                "ll", (long long)since, limit > 0 ? (long long)limit : (long long)INT64_MAX);
}

static int pg_manifest_put(struct rstore *r, const char *type, const char *channel, long serial,
                           const char *json, int rollout) {
    return exec_ok(r,
                   "INSERT INTO manifests(type, channel, serial, json, published, rollout) "
                   "VALUES($1::text, $2::text, $3::bigint, $4::text, $5::bigint, $6::int) ON "
                   "CONFLICT (type, channel, serial) DO UPDATE SET json = EXCLUDED.json, "
                   "published = EXCLUDED.published, rollout = EXCLUDED.rollout",
                   "sslsli", type, channel, (long long)serial, json, (long long)time(NULL),
                   rollout);
}

static int pg_manifest_rollout(struct rstore *r, const char *type, const char *channel, long serial,
                               int rollout) {
    long n = done(r,
                  "UPDATE manifests SET rollout = $1::int WHERE type = $2::text AND channel = "
                  "$3::text AND serial = $4::bigint",
                  "issl", rollout, type, channel, (long long)serial);
    return n < 0 ? -1 : n == 1 ? 1 : 0;
}

static char *pg_manifest_latest(struct rstore *r, const char *type, const char *channel,
                                int bucket) {
    PGresult *res = run(r,
                        "SELECT json FROM manifests WHERE type = $1::text AND channel = "
                        "$2::text AND rollout > $3::int ORDER BY serial DESC LIMIT 1",
                        "ssi", type, channel, bucket);
    char *out = res && PQntuples(res) ? strdup(PQgetvalue(res, 0, 0)) : NULL;
    PQclear(res);
    return out;
}

static int pg_enroll_token_add(struct rstore *r, const char *hash_hex, const char *kiosk,
                               const char *office, long expires) {
    return exec_ok(r,
                   "INSERT INTO enroll_tokens(hash, kiosk, office, expires) VALUES($1::text, "
                   "$2::text, $3::text, $4::bigint)",
                   "sssl", hash_hex, kiosk, office, (long long)expires);
}

static int pg_enroll_token_take(struct rstore *r, const char *hash_hex, char *kiosk, size_t ksize,
                                char *office, size_t osize) {
    /* one statement: marked used and read back together, so a token works once */
    PGresult *res = run(r,
                        "UPDATE enroll_tokens SET used = $1::bigint WHERE hash = $2::text AND "
                        "used IS NULL AND expires > $1::bigint RETURNING kiosk, office",
                        "ls", (long long)time(NULL), hash_hex);
    if (!res)
        return -1;
    int rc = PQntuples(res) == 1 ? 0 : 1;
    if (rc == 0) {
        snprintf(kiosk, ksize, "%s", PQgetvalue(res, 0, 0));
        snprintf(office, osize, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return rc;
}

/* --- audit anchors and alarms, alerts --- */

static int pg_anchor_put(struct rstore *r, const char *kiosk, long long seq, const char *hash) {
    if (done(r,
             "INSERT INTO audit_anchors(kiosk, seq, hash, at) VALUES($1::text, $2::bigint, "
             "$3::text, $4::bigint) ON CONFLICT (kiosk, seq) DO UPDATE SET hash = "
             "EXCLUDED.hash, at = EXCLUDED.at",
             "slsl", kiosk, seq, hash, (long long)time(NULL)) < 0)
        return -1;
    return exec_ok(r,
                   "DELETE FROM audit_anchors WHERE kiosk = $1::text AND seq <= (SELECT seq FROM "
                   "audit_anchors WHERE kiosk = $1::text ORDER BY seq DESC LIMIT 1 OFFSET $2::int)",
                   "si", kiosk, RSTORE_ANCHORS_PER_KIOSK);
}

static int anchor_get(struct rstore *r, const char *kiosk, long long seq, long long *seq_out,
                      char hash[65]) {
    hash[0] = 0;
    if (seq_out)
        *seq_out = 0;
    PGresult *res = seq < 0 ? run(r,
                                  "SELECT seq, hash FROM audit_anchors WHERE kiosk = $1::text "
                                  "ORDER BY seq DESC LIMIT 1",
                                  "s", kiosk)
                            : run(r,
                                  "SELECT seq, hash FROM audit_anchors WHERE kiosk = $1::text "
                                  "AND seq = $2::bigint",
                                  "sl", kiosk, seq);
    if (!res)
        return -1;
    if (PQntuples(res)) {
        if (seq_out)
            *seq_out = atoll(PQgetvalue(res, 0, 0));
        snprintf(hash, 65, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return 0;
}

static int pg_anchor_last(struct rstore *r, const char *kiosk, long long *seq, char hash[65]) {
    return anchor_get(r, kiosk, -1, seq, hash);
}

static int pg_anchor_at(struct rstore *r, const char *kiosk, long long seq, char hash[65]) {
    return anchor_get(r, kiosk, seq, NULL, hash);
}

static int pg_audit_alarm(struct rstore *r, const char *kiosk, const char *detail) {
    return exec_ok(r,
                   "INSERT INTO audit_alarms(kiosk, at, detail) VALUES($1::text, $2::bigint, "
                   "$3::text)",
                   "sls", kiosk, (long long)time(NULL), detail);
}

static struct rstore_rows *pg_anchors(struct rstore *r, const char *kiosk) {
    return rows(r, anchor_cols, NCOLS(anchor_cols),
                "SELECT seq, hash, at FROM audit_anchors WHERE kiosk = $1::text ORDER BY seq", "s",
                kiosk);
}

static int pg_revoke(struct rstore *r, const char *kind, const char *id, const char *reason) {
    return exec_ok(r,
                   "INSERT INTO revocations(kind, id, at, reason) VALUES($1::text, $2::text,"
                   " $3::bigint, $4::text) ON CONFLICT(kind, id) DO UPDATE SET at = excluded.at,"
                   " reason = excluded.reason",
                   "ssls", kind, id, (long long)time(NULL), reason);
}

static struct rstore_rows *pg_revocations(struct rstore *r) {
    return rows(r, revocation_cols, NCOLS(revocation_cols),
                "SELECT kind, id, at, reason FROM revocations ORDER BY at", "");
}

static struct rstore_rows *pg_audit_alarms(struct rstore *r, const char *kiosk) {
    return rows(r, alarm_cols, NCOLS(alarm_cols),
                "SELECT kiosk, at, detail FROM audit_alarms WHERE $1::text IS NULL OR kiosk = "
                "$1::text ORDER BY id DESC LIMIT 200",
                "s", kiosk);
}

static int pg_alert_put(struct rstore *r, const char *kiosk, const char *office, const char *kind,
                        const char *screen, long long at) {
    return exec_ok(r,
                   "INSERT INTO alerts(kiosk, office, kind, screen, at, received) VALUES($1::text,"
                   " $2::text, $3::text, $4::text, $5::bigint, $6::bigint) ON CONFLICT DO NOTHING",
                   "ssssll", kiosk, office, kind, screen, at, (long long)time(NULL));
}

static struct rstore_rows *pg_alerts(struct rstore *r, const char *office) {
    return rows(r, alert_cols, NCOLS(alert_cols),
                "SELECT kiosk, office, kind, screen, at, received FROM alerts WHERE $1::text IS "
                "NULL OR office = $1::text ORDER BY id DESC LIMIT 200",
                "s", office);
}

/* --- the clerk console --- */

static int pg_clerk_put(struct rstore *r, const char *id, const char *office, const char *name,
                        const char *hash, long long now) {
    long n = done(r,
                  "INSERT INTO clerks(id, office, name, hash, created) VALUES($1::text, "
                  "$2::text, $3::text, $4::text, $5::bigint) ON CONFLICT DO NOTHING",
                  "ssssl", id, office, name, hash, now);
    return n < 0 ? -1 : n == 1 ? 0 : 1;
}

static struct rstore_rows *pg_clerk(struct rstore *r, const char *id) {
    return rows(r, clerk_cols, NCOLS(clerk_cols),
                "SELECT id, office, name, hash, failures, locked_until, disabled, created, "
                "last_login FROM clerks WHERE id = $1::text",
                "s", id);
}

static struct rstore_rows *pg_clerks(struct rstore *r, const char *office) {
    return rows(r, clerk_list_cols, NCOLS(clerk_list_cols),
                "SELECT id, office, name, failures, locked_until, disabled, created, last_login "
                "FROM clerks WHERE $1::text IS NULL OR office = $1::text ORDER BY office, id "
                "LIMIT 1000",
                "s", office);
}

static int pg_clerk_set(struct rstore *r, const char *id, const char *hash, int failures,
                        long long locked_until, int disabled, long long last_login) {
    long n = done(r,
                  "UPDATE clerks SET hash = coalesce($2::text, hash), failures = CASE WHEN "
                  "$3::int < 0 THEN failures ELSE $3::int END, locked_until = CASE WHEN "
                  "$4::bigint < 0 THEN locked_until ELSE $4::bigint END, disabled = CASE WHEN "
                  "$5::int < 0 THEN disabled ELSE $5::int END, last_login = CASE WHEN "
                  "$6::bigint < 0 THEN last_login ELSE $6::bigint END WHERE id = $1::text",
                  "ssilil", id, hash, failures, locked_until, disabled, last_login);
    return n < 0 ? -1 : n == 1 ? 0 : 1;
}

static int pg_session_put(struct rstore *r, const char *hash, const char *clerk, const char *csrf,
                          long long created, long long expires) {
    return exec_ok(r,
                   "INSERT INTO clerk_sessions(hash, clerk, csrf, created, expires) VALUES("
                   "$1::text, $2::text, $3::text, $4::bigint, $5::bigint)",
                   "sssll", hash, clerk, csrf, created, expires);
}

static struct rstore_rows *pg_session(struct rstore *r, const char *hash) {
    return rows(r, session_cols, NCOLS(session_cols),
                "SELECT s.clerk, c.office, c.name, c.disabled, s.csrf, s.created, s.expires FROM "
                "clerk_sessions s JOIN clerks c ON c.id = s.clerk WHERE s.hash = $1::text",
                "s", hash);
}

static int pg_session_touch(struct rstore *r, const char *hash, long long expires) {
    return exec_ok(r, "UPDATE clerk_sessions SET expires = $1::bigint WHERE hash = $2::text", "ls",
                   expires, hash);
}

static int pg_session_drop(struct rstore *r, const char *hash, const char *clerk, long long now) {
    return exec_ok(r,
                   "DELETE FROM clerk_sessions WHERE hash = $1::text OR ($1::text IS NULL AND "
                   "clerk = $2::text) OR expires < $3::bigint",
                   "ssl", hash, clerk, now);
}

static int pg_clerk_audit(struct rstore *r, const char *clerk, const char *office,
                          const char *action, const char *target, const char *detail,
                          long long at) {
    return exec_ok(r,
                   "INSERT INTO clerk_audit(at, clerk, office, action, target, detail) VALUES("
                   "$1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text)",
                   "lsssss", at, clerk ? clerk : "", office ? office : "", action ? action : "",
                   target ? target : "", detail ? detail : "");
}

static struct rstore_rows *pg_clerk_audits(struct rstore *r, const char *office, int limit) {
    return rows(r, clerk_audit_cols, NCOLS(clerk_audit_cols),
                "SELECT at, clerk, office, action, target, detail FROM clerk_audit WHERE $1::text "
                "IS NULL OR office = $1::text ORDER BY id DESC LIMIT $2::int",
                "si", office, limit);
}

/* --- issue 17: sealing what was in clear, retention, the epoch --- */

static long pg_seal_table(struct rstore *r, bool records,
                          int (*fn)(void *, const char *, const char *, const char *,
                                    const char *, const char *, char **),
                          void *ctx) {
    long total = 0;
    for (;;) {
        PGresult *res = run(r, records ? "SELECT kiosk, id, office, payload FROM records WHERE "
                                         "payload <> '' AND payload NOT LIKE 's1:%' LIMIT 500"
                                       : "SELECT '', id, office, json FROM appointments WHERE "
                                         "json NOT LIKE 's1:%' LIMIT 500",
                            "");
        if (!res)
            return -1;
        int n = PQntuples(res);
        bool ok = tx(r, "BEGIN") == 0;
        for (int i = 0; ok && i < n; i++) {
            char *sealed = NULL;
            const char *k = PQgetvalue(res, i, 0), *id = PQgetvalue(res, i, 1);
            ok = fn(ctx, records ? "records" : "appointments", PQgetvalue(res, i, 2), k, id,
                    PQgetvalue(res, i, 3), &sealed) == 0 &&
                 (records ? exec_ok(r, "UPDATE records SET payload = $1::text WHERE kiosk = "
                                       "$2::text AND id = $3::text", "sss", sealed, k, id)
                          : exec_ok(r, "UPDATE appointments SET json = $1::text WHERE id = "
                                       "$2::text", "ss", sealed, id)) == 0;
            free(sealed);
        }
        PQclear(res);
        if (!ok || tx(r, "COMMIT") != 0) {
            log_error("rstore", "the %s in clear cannot be sealed",
                      records ? "records" : "appointments");
            tx(r, "ROLLBACK");
            return -1;
        }
        total += n;
        if (n == 0)
            return total;
    }
}

static long pg_seal_legacy(struct rstore *r,
                           int (*fn)(void *, const char *, const char *, const char *,
                                     const char *, const char *, char **),
                           void *ctx) {
    long a = pg_seal_table(r, true, fn, ctx);
    long b = a < 0 ? -1 : pg_seal_table(r, false, fn, ctx);
    if (b > 0 || a > 0) /* the old row versions with the clear texts */
        exec_ok(r, "VACUUM records, appointments", "");
    return b < 0 ? -1 : a + b;
}

static long pg_purge(struct rstore *r, long long before, long long appts_before) {
    long a = done(r, "UPDATE records SET payload = '' WHERE received < $1::bigint AND payload "
                     "<> '' AND status NOT IN ('accepted', 'reviewing')", "l", before);
    long b = a < 0 ? -1 : done(r, "DELETE FROM appointments WHERE slot_end > 0 AND slot_end < "
                                  "$1::bigint", "l", appts_before);
    return b < 0 ? -1 : a + b;
}

/* The epoch: made by whichever process opens a database without one (a new one, or one
 * restored from a dump without the meta table's rows: docs/operations.md). */
static int pg_epoch(struct rstore *r, char out[RSTORE_EPOCH_LEN], int renew) {
    const char *sql = renew ? "INSERT INTO meta VALUES('epoch', replace(gen_random_uuid()::text, "
                              "'-', '')) ON CONFLICT (key) DO UPDATE SET value "
                              "= EXCLUDED.value RETURNING value"
                            : "WITH n AS (INSERT INTO meta VALUES('epoch', replace(gen_random_uuid()::text, "
                              "'-', '')) ON CONFLICT DO NOTHING RETURNING "
                              "value) SELECT value FROM n UNION ALL SELECT value FROM meta "
                              "WHERE key = 'epoch'";
    return one(r, out, RSTORE_EPOCH_LEN, sql, "") == 0 && out[0] ? 0 : -1;
}

static const struct rstore_ops pg_ops = {
    .unit_begin = pg_unit_begin,
    .ticket_number_other = pg_ticket_number_other,
    .unit_end = pg_unit_end,
    .seal_legacy = pg_seal_legacy,
    .purge = pg_purge,
    .epoch = pg_epoch,
    .name = "postgresql",
    .close = pg_close,
    .put_batch = pg_put_batch,
    .status = pg_status,
    .record = pg_record,
    .set_status = pg_set_status,
    .count = pg_count,
    .appointment_put = pg_appointment_put,
    .divorce_accepted_put = pg_divorce_accepted_put,
    .divorce_accepted_get = pg_divorce_accepted_get,
    .ticket_add = pg_ticket_add,
    .tickets = pg_tickets,
    .ticket_set = pg_ticket_set,
    .window_put = pg_window_put,
    .windows = pg_windows,
    .window_count = pg_window_count,
    .appointments_since = pg_appointments_since,
    .heartbeat = pg_heartbeat,
    .fleet = pg_fleet,
    .update_event = pg_update_event,
    .update_events = pg_update_events,
    .command_add = pg_command_add,
    .commands_after = pg_commands_after,
    .command_ack = pg_command_ack,
    .commands_list = pg_commands_list,
    .receipt_key_put = pg_receipt_key_put,
    .receipt_keys = pg_receipt_keys,
    .receipt_key_owner = pg_receipt_key_owner,
    .manifest_put = pg_manifest_put,
    .manifest_rollout = pg_manifest_rollout,
    .manifest_latest = pg_manifest_latest,
    .enroll_token_add = pg_enroll_token_add,
    .enroll_token_take = pg_enroll_token_take,
    .records_list = pg_records_list,
    .anchor_put = pg_anchor_put,
    .anchor_last = pg_anchor_last,
    .anchor_at = pg_anchor_at,
    .audit_alarm = pg_audit_alarm,
    .anchors = pg_anchors,
    .audit_alarms = pg_audit_alarms,
    .revoke = pg_revoke,
    .revocations = pg_revocations,
    .ratings = pg_ratings,
    .alert_put = pg_alert_put,
    .alerts = pg_alerts,
    .clerk_put = pg_clerk_put,
    .clerk = pg_clerk,
    .clerks = pg_clerks,
    .clerk_set = pg_clerk_set,
    .session_put = pg_session_put,
    .session = pg_session,
    .session_touch = pg_session_touch,
    .session_drop = pg_session_drop,
    .clerk_audit = pg_clerk_audit,
    .clerk_audits = pg_clerk_audits,
    .wake_fd = pg_wake_fd,
    .wakes = pg_wakes,
};
