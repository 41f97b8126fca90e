/* metrics: the registry in Prometheus' text format (issue 18), GET /metrics on [registry]
 * metrics_listen (plain HTTP; loopback by default: counts and kiosk ids, no personal data).
 * What an operator alerts on (packaging/alerts.yml): kiosks seen and silent (no heartbeat for
 * two of the intervals the kiosk reports), their outbox backlogs and certificates' days left,
 * this registry's certificates' expiry, update failures, request counts and latencies (this
 * process's, since it started), queue lengths and revocations. */
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "queue.h"
#include "crypto_pki.h"
#include "log.h"
#include "registry.h"
#include "rstore.h"

static const double bounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])
static struct {
    unsigned long long bucket[NBOUNDS + 1], count, by_class[6];
    double sum;
} req_stats;

void metrics_request_done(int code, double seconds) {
    size_t b = 0;
    while (b < NBOUNDS && seconds > bounds[b])
        b++;
    req_stats.bucket[b]++;
    req_stats.count++;
    req_stats.sum += seconds;
    req_stats.by_class[code >= 100 && code < 600 ? code / 100 : 0]++;
}

/* A label value: kiosk ids and office codes are letters, digits and -_. by the registry's
 * checks; anything else is dropped rather than escaped. */
static const char *label(const char *s, char *buf, size_t cap) {
    size_t n = 0;
    for (; s && *s && n + 1 < cap; s++)
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
            *s == '-' || *s == '_' || *s == '.')
            buf[n++] = *s;
    buf[n] = 0;
    return buf;
}

static void cert_expiry(struct evbuffer *o, const char *pki, const char *name) {
    char path[700];
    snprintf(path, sizeof path, "%s/%s.crt", pki, name);
    int days;
    if (pki_cert_days_left(path, &days) == 0)
        evbuffer_add_printf(o, "registry_certificate_expiry_days{cert=\"%s\"} %d\n", name, days);
}

static void kiosks(struct registry *r, struct evbuffer *o) {
    struct rstore_rows *f = rstore_fleet(r->store);
    if (!f) {
        log_error("registry", "metrics: the fleet cannot be read");
        return;
    }
    int silent = 0;
    evbuffer_add_printf(o, "# HELP registry_kiosk_silent 1 when the kiosk sent no heartbeat for "
                           "two of its intervals\n# TYPE registry_kiosk_silent gauge\n");
    struct evbuffer *age = evbuffer_new(), *backlog = evbuffer_new(), *cert = evbuffer_new();
    for (int i = 0; i < f->nrows; i++) {
        char k[80], off[16];
        label(rstore_cell(f, i, 0), k, sizeof k);
        label(rstore_cell(f, i, 1), off, sizeof off);
        long long a = strtoll(rstore_cell(f, i, 2) ? rstore_cell(f, i, 2) : "0", NULL, 10);
        cJSON *last = cJSON_Parse(rstore_cell(f, i, 3) ? rstore_cell(f, i, 3) : "{}");
        const cJSON *iv = cJSON_GetObjectItem(last, "interval_s"),
                    *bl = cJSON_GetObjectItem(last, "backlog"),
                    *cd = cJSON_GetObjectItem(last, "cert_days_left");
        double interval = cJSON_IsNumber(iv) && iv->valuedouble >= 1 ? iv->valuedouble : 600;
        bool quiet = (double)a > 2 * interval;
        silent += quiet;
        evbuffer_add_printf(o, "registry_kiosk_silent{kiosk=\"%s\",office=\"%s\"} %d\n", k, off,
                            quiet);
        evbuffer_add_printf(age, "registry_kiosk_last_seen_seconds{kiosk=\"%s\",office=\"%s\"} %lld\n",
                            k, off, a);
        if (cJSON_IsNumber(bl))
            evbuffer_add_printf(backlog, "registry_kiosk_backlog{kiosk=\"%s\",office=\"%s\"} %.0f\n",
                                k, off, bl->valuedouble);
        if (cJSON_IsNumber(cd))
            evbuffer_add_printf(cert, "registry_kiosk_certificate_expiry_days{kiosk=\"%s\",office=\"%s\"} %.0f\n",
                                k, off, cd->valuedouble);
        cJSON_Delete(last);
    }
    evbuffer_add_printf(o, "# HELP registry_kiosks Kiosks that sent a heartbeat, and those silent\n"
                           "# TYPE registry_kiosks gauge\nregistry_kiosks{state=\"seen\"} %d\n"
                           "registry_kiosks{state=\"silent\"} %d\n", f->nrows, silent);
    evbuffer_add_printf(o, "# HELP registry_kiosk_last_seen_seconds Seconds since the kiosk's last heartbeat\n"
                           "# TYPE registry_kiosk_last_seen_seconds gauge\n");
    evbuffer_add_buffer(o, age);
    evbuffer_add_printf(o, "# HELP registry_kiosk_backlog Records waiting in the kiosk's outbox\n"
                           "# TYPE registry_kiosk_backlog gauge\n");
    evbuffer_add_buffer(o, backlog);
    evbuffer_add_printf(o, "# HELP registry_kiosk_certificate_expiry_days Days the kiosk's certificate has left\n"
                           "# TYPE registry_kiosk_certificate_expiry_days gauge\n");
    evbuffer_add_buffer(o, cert);
    evbuffer_free(age);
    evbuffer_free(backlog);
    evbuffer_free(cert);

    /* the queues: today's waiting tickets of each office that has kiosks */
    evbuffer_add_printf(o, "# HELP registry_queue_waiting Tickets waiting to be called today\n"
                           "# TYPE registry_queue_waiting gauge\n");
    int day = queue_day((long long)time(NULL));
    for (int i = 0; i < f->nrows; i++) {
        const char *office = rstore_cell(f, i, 1);
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = !strcmp(rstore_cell(f, j, 1), office);
        struct rstore_rows *t = seen ? NULL : rstore_tickets(r->store, office, day);
        if (!t)
            continue;
        int waiting = 0;
        for (int j = 0; j < t->nrows; j++)
            waiting += rstore_cell(t, j, 9) && !strcmp(rstore_cell(t, j, 9), "waiting");
        char off[16];
        evbuffer_add_printf(o, "registry_queue_waiting{office=\"%s\"} %d\n",
                            label(office, off, sizeof off), waiting);
        rstore_rows_free(t);
    }
    rstore_rows_free(f);
}

static void updates(struct registry *r, struct evbuffer *o) {
    struct rstore_rows *e = rstore_update_events(r->store, NULL, 1000);
    if (!e)
        return;
    int failed = 0, rolled = 0, rejected = 0;
    for (int i = 0; i < e->nrows; i++) {
        const char *step = rstore_cell(e, i, 4);
        failed += step && !strcmp(step, "failed");
        rolled += step && !strcmp(step, "rolled_back");
        rejected += step && !strcmp(step, "rejected");
    }
    evbuffer_add_printf(o, "# HELP registry_update_failures Of the last 1000 update steps kiosks "
                           "reported, those that failed\n# TYPE registry_update_failures gauge\n"
                           "registry_update_failures{step=\"failed\"} %d\n"
                           "registry_update_failures{step=\"rolled_back\"} %d\n"
                           "registry_update_failures{step=\"rejected\"} %d\n", failed, rolled,
                        rejected);
    rstore_rows_free(e);
}

static void requests(struct evbuffer *o) {
    evbuffer_add_printf(o, "# HELP registry_requests_total Requests answered by this process, by "
                           "class of status\n# TYPE registry_requests_total counter\n");
    for (int c = 1; c < 6; c++)
        evbuffer_add_printf(o, "registry_requests_total{code=\"%dxx\"} %llu\n", c,
                            req_stats.by_class[c]);
    evbuffer_add_printf(o, "# HELP registry_request_duration_seconds Time to answer a request "
                           "(the long poll for commands left out)\n"
                           "# TYPE registry_request_duration_seconds histogram\n");
    unsigned long long cum = 0;
    for (size_t b = 0; b < NBOUNDS; b++) {
        cum += req_stats.bucket[b];
        evbuffer_add_printf(o, "registry_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                            bounds[b], cum);
    }
    evbuffer_add_printf(o, "registry_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
                           "registry_request_duration_seconds_sum %.6f\n"
                           "registry_request_duration_seconds_count %llu\n", req_stats.count,
                        req_stats.sum, req_stats.count);
}

void metrics_handle(struct evhttp_request *req, void *arg) {
    struct registry *r = arg;
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    if (!path || strcmp(path, "/metrics") != 0 ||
        evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
        evhttp_send_error(req, 404, "this listener serves GET /metrics only");
        return;
    }
    struct evbuffer *o = evbuffer_new();
    evbuffer_add_printf(o, "# HELP registry_up 1 while registryd serves\n# TYPE registry_up gauge\n"
                           "registry_up 1\n");
    kiosks(r, o);
    updates(r, o);
    requests(o);
    evbuffer_add_printf(o, "# HELP registry_certificate_expiry_days Days this registry's "
                           "certificates have left\n# TYPE registry_certificate_expiry_days gauge\n");
    cert_expiry(o, r->pki, "ca");
    cert_expiry(o, r->pki, "registry");
    cert_expiry(o, r->pki, "registry-next");
    struct rstore_rows *rv = rstore_revocations(r->store);
    evbuffer_add_printf(o, "# HELP registry_revocations Revocations in force\n"
                           "# TYPE registry_revocations gauge\nregistry_revocations %d\n",
                        rv ? rv->nrows : 0);
    rstore_rows_free(rv);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                      "text/plain; version=0.0.4");
    evhttp_send_reply(req, 200, "OK", o);
    evbuffer_free(o);
}
