/* http: see http.h. */
#include "http.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void http_tls_from_dir(struct http_tls *t, const char *dir) {
    snprintf(t->cert, sizeof t->cert, "%s/kiosk.crt", dir);
    snprintf(t->key, sizeof t->key, "%s/kiosk.key", dir);
    snprintf(t->ca, sizeof t->ca, "%s/ca.crt", dir);
    t->pin[0] = 0;
    char path[600];
    snprintf(path, sizeof path, "%s/registry.pin", dir);
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(t->pin, sizeof t->pin, f))
            t->pin[0] = 0;
        t->pin[strcspn(t->pin, "\r\n")] = 0;
        fclose(f);
    }
}

struct sink {
    char *p;
    size_t len;
};

static size_t on_data(char *ptr, size_t size, size_t n, void *ud) {
    struct sink *s = ud;
    size_t add = size * n;
    if (s->len + add > (16u << 20))
        return 0; /* an answer that large is not the registry's */
    char *np = realloc(s->p, s->len + add + 1);
    if (!np)
        return 0;
    memcpy(np + s->len, ptr, add);
    s->p = np;
    s->len += add;
    s->p[s->len] = 0;
    return add;
}

static int on_progress(void *ud, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln) {
    (void)dlt;
    (void)dln;
    (void)ult;
    (void)uln;
    const volatile bool *cancel = ud;
    return *cancel ? 1 : 0; /* non-zero aborts the transfer */
}

/* What every request to the registry is held to: mutual TLS 1.3 with the kiosk's certificate
 * (none only to enroll, when the kiosk has none yet), the registry CA alone and its pinned
 * key, HTTPS only, no redirects, a 5 s connect and an overall timeout. */
static void connection(CURL *c, const struct http_tls *t, const char *url, int timeout_ms) {
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (t->cert[0]) {
        curl_easy_setopt(c, CURLOPT_SSLCERT, t->cert);
        curl_easy_setopt(c, CURLOPT_SSLKEY, t->key);
    }
    curl_easy_setopt(c, CURLOPT_CAINFO, t->ca);
    curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(c, CURLOPT_SSLVERSION,
                     (long)(CURL_SSLVERSION_TLSv1_3 | CURL_SSLVERSION_MAX_DEFAULT));
    if (t->pin[0])
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, t->pin);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout_ms < 5000 ? timeout_ms : 5000));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
}

int http_request(const struct http_tls *t, const char *url, const char *body, int timeout_ms,
                 struct http_reply *reply) {
    struct http_req q = {.url = url, .body = body, .timeout_ms = timeout_ms};
    return http_send(t, &q, reply);
}

int http_send(const struct http_tls *t, const struct http_req *q, struct http_reply *reply) {
    const char *url = q->url, *body = q->body;
    int timeout_ms = q->timeout_ms;
    memset(reply, 0, sizeof *reply);
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(reply->error, sizeof reply->error, "cannot start libcurl");
        return -1;
    }
    struct sink sink = {0};
    char type[128];
    snprintf(type, sizeof type, "Content-Type: %s",
             q->content_type ? q->content_type : "application/json");
    struct curl_slist *headers = curl_slist_append(NULL, type);
    char errbuf[CURL_ERROR_SIZE] = "";
    connection(c, t, url, timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (q->method)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
    if (q->cancel) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)q->cancel);
    }
    if (body) {
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(q->body_len ? q->body_len : strlen(body)));
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply->status);
        reply->body = sink.p;
    } else {
        snprintf(reply->error, sizeof reply->error, "%s",
                 errbuf[0] ? errbuf : curl_easy_strerror(rc));
        free(sink.p);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? 0 : -1;
}

void http_reply_free(struct http_reply *r) {
    free(r->body);
    r->body = NULL;
}

static size_t on_file(char *ptr, size_t size, size_t n, void *ud) {
    return fwrite(ptr, size, n, ud) * size;
}

struct download {
    const struct http_xfer *x;
    long long before; /* bytes already in the file */
};

static int on_download(void *ud, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln) {
    (void)dlt;
    (void)ult;
    (void)uln;
    const struct download *d = ud;
    if (d->x->progress)
        d->x->progress(d->x->ctx, d->before + (long long)dln);
    return d->x->cancel && *d->x->cancel ? 1 : 0; /* non-zero aborts the transfer */
}

int http_download(const struct http_tls *t, const char *url, const char *path, int timeout_ms,
                  const struct http_xfer *x, char *error, size_t errsize) {
    FILE *f = fopen(path, "ab");
    CURL *c = f ? curl_easy_init() : NULL;
    if (!c) {
        snprintf(error, errsize, "cannot write %s", path);
        if (f)
            fclose(f);
        return -1;
    }
    long have = ftell(f);
    char errbuf[CURL_ERROR_SIZE] = "";
    connection(c, t, url, timeout_ms);
    curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)(have > 0 ? have : 0));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_file);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    struct download dl = {.x = x, .before = have > 0 ? have : 0};
    if (x) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_download);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &dl);
    }
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (rc != CURLE_OK || (status != 200 && status != 206) || !ok) {
        snprintf(error, errsize, "%s",
                 rc != CURLE_OK ? (errbuf[0] ? errbuf : curl_easy_strerror(rc))
                 : !ok          ? "cannot write the download"
                                : "the registry answered an error");
        return -1;
    }
    if (have > 0 && status == 200) {
        /* the server sent it whole: what was appended follows the old part */
        snprintf(error, errsize, "the registry did not resume; start again");
        truncate(path, 0);
        return -1;
    }
    return 0;
}
