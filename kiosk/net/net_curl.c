/* net_curl: the libcurl transport of net.h, and the one place where curl's codes become
 * enum net_err. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto_pki.h"
#include "net.h"

struct sink {
    char *p;
    size_t len;
    bool too_large;
};

static size_t on_data(char *ptr, size_t size, size_t n, void *ud) {
    struct sink *s = ud;
    size_t add = size * n;
    if (s->len + add > NET_ANSWER_MAX) {
        s->too_large = true; /* an answer that large is not the registry's */
        return 0;
    }
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
    const atomic_bool *cancel = ud;
    return atomic_load(cancel) ? 1 : 0; /* non-zero aborts the transfer */
}

/* curl's result as a code of ours. A TLS session that the registry ends (a fatal alert during
 * the handshake or at the first read, as TLS 1.3 sends it after the client's Finished) does not
 * say why in any code curl gives; the kiosk's own certificate does: past its notAfter, the
 * registry refused it as expired. */
static int map(CURLcode rc, const struct net_tls *t) {
    switch (rc) {
    case CURLE_OK:
        return NET_OK;
    case CURLE_OUT_OF_MEMORY:
        return NET_ERR_NOMEM;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return NET_ERR_RESOLVE;
    case CURLE_COULDNT_CONNECT:
        return NET_ERR_REFUSED;
    case CURLE_OPERATION_TIMEDOUT:
        return NET_ERR_TIMEOUT;
    case CURLE_ABORTED_BY_CALLBACK:
        return NET_ERR_CANCELLED;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return NET_ERR_PIN;
    case CURLE_PEER_FAILED_VERIFICATION:
        return NET_ERR_UNKNOWN_CA;
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
        return NET_ERR_OWN_FILES;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
        if (t->cert[0] && pki_cert_expired(t->cert) == 1)
            return NET_ERR_CERT_EXPIRED;
        return rc == CURLE_SSL_CONNECT_ERROR ? NET_ERR_CERT_REFUSED : NET_ERR_CUT;
    case CURLE_PARTIAL_FILE:
        return NET_ERR_CUT;
    default:
        return NET_ERR_OTHER;
    }
}

/* --- kept connections and resumed TLS sessions (issue 17: a kiosk on 4G) ---
 * Each thread (sync, commands, updater) keeps one easy handle, and with it its connection to
 * the registry open between requests (libcurl does not support sharing connections between
 * threads); the threads share the TLS sessions and DNS answers, so a new connection resumes
 * the session instead of a full mutual handshake. A handle goes with its thread. */
static pthread_once_t share_once = PTHREAD_ONCE_INIT;
static pthread_key_t handle_key;
static CURLSH *share;
static pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];

static void share_lock(CURL *h, curl_lock_data d, curl_lock_access a, void *u) {
    (void)h;
    (void)a;
    (void)u;
    pthread_mutex_lock(&share_locks[d]);
}

static void share_unlock(CURL *h, curl_lock_data d, void *u) {
    (void)h;
    (void)u;
    pthread_mutex_unlock(&share_locks[d]);
}

static void handle_free(void *h) {
    curl_easy_cleanup(h);
}

static void share_init(void) {
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&share_locks[i], NULL);
    pthread_key_create(&handle_key, handle_free);
    share = curl_share_init();
    if (share) {
        curl_share_setopt(share, CURLSHOPT_LOCKFUNC, share_lock);
        curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, share_unlock);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    }
}

/* This thread's handle, its options cleared but its connections kept; NULL without memory. */
static CURL *thread_handle(void) {
    pthread_once(&share_once, share_init);
    CURL *c = pthread_getspecific(handle_key);
    if (c) {
        curl_easy_reset(c);
    } else if ((c = curl_easy_init()) != NULL) {
        pthread_setspecific(handle_key, c);
    }
    if (c && share)
        curl_easy_setopt(c, CURLOPT_SHARE, share);
    return c;
}

/* What every request to the registry is held to: mutual TLS 1.3 with the kiosk's certificate
 * (none only to enroll, when the kiosk has none yet), the registry CA alone and its pinned
 * key, HTTPS only, no redirects, a 5 s connect and an overall timeout. */
static void connection(CURL *c, const struct net_tls *t, const char *url, int timeout_ms) {
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

static int curl_send(void *ctx, const struct net_tls *t, const struct net_req *q,
                     struct net_reply *reply) {
    (void)ctx;
    memset(reply, 0, sizeof *reply);
    CURL *c = thread_handle();
    if (!c) {
        snprintf(reply->detail, sizeof reply->detail, "cannot start libcurl");
        return NET_ERR_NOMEM;
    }
    struct sink sink = {0};
    char type[128];
    snprintf(type, sizeof type, "Content-Type: %s",
             q->content_type ? q->content_type : "application/json");
    struct curl_slist *headers = curl_slist_append(NULL, type);
    char errbuf[CURL_ERROR_SIZE] = "";
    connection(c, t, q->url, q->timeout_ms);
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
    if (q->body) {
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(q->body_len ? q->body_len : strlen(q->body)));
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body);
    }
    CURLcode rc = curl_easy_perform(c);
    int result = sink.too_large ? NET_ERR_TOO_LARGE : map(rc, t);
    if (result == NET_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply->status);
        reply->body = sink.p;
    } else {
        snprintf(reply->detail, sizeof reply->detail, "%s",
                 errbuf[0] ? errbuf : curl_easy_strerror(rc));
        free(sink.p);
    }
    curl_slist_free_all(headers);
    return result; /* the handle, and its connection, stay for the thread's next request */
}

struct download {
    const struct net_xfer *x;
    long long before; /* bytes already in the file */
    long long written; /* this time */
    bool too_large;
    FILE *f;
};

static size_t on_file(char *ptr, size_t size, size_t n, void *ud) {
    struct download *d = ud;
    size_t len = size * n;
    if (d->x && d->x->max_bytes > 0 && d->before + d->written + (long long)len > d->x->max_bytes) {
        d->too_large = true;
        return 0; /* curl stops: CURLE_WRITE_ERROR */
    }
    size_t w = fwrite(ptr, 1, len, d->f);
    d->written += (long long)w;
    return w;
}

static int on_download(void *ud, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln) {
    (void)dlt;
    (void)ult;
    (void)uln;
    const struct download *d = ud;
    if (d->x->progress)
        d->x->progress(d->x->ctx, d->before + (long long)dln);
    return d->x->cancel && atomic_load(d->x->cancel) ? 1 : 0; /* non-zero aborts the transfer */
}

static int curl_download(void *ctx, const struct net_tls *t, const char *url, const char *path,
                         int timeout_ms, const struct net_xfer *x, char *detail,
                         size_t detailsize) {
    (void)ctx;
    FILE *f = fopen(path, "ab");
    CURL *c = f ? curl_easy_init() : NULL;
    if (!c) {
        snprintf(detail, detailsize, "cannot write %s", path);
        if (f)
            fclose(f);
        return f ? NET_ERR_NOMEM : NET_ERR_FILE;
    }
    long have = ftell(f);
    char errbuf[CURL_ERROR_SIZE] = "";
    connection(c, t, url, timeout_ms);
    curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)(have > 0 ? have : 0));
    struct download dl = {.x = x, .before = have > 0 ? have : 0, .f = f};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_file);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &dl);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (x && x->max_bytes > 0)
        curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_bytes);
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
    if (dl.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        snprintf(detail, detailsize, "more than the %lld bytes the manifest lists: cut off",
                 x ? x->max_bytes : 0);
        truncate(path, 0); /* never resumed: what came is not the file */
        return NET_ERR_TOO_LARGE;
    }
    int result = rc == CURLE_WRITE_ERROR || !ok ? NET_ERR_FILE
                 : rc != CURLE_OK               ? map(rc, t)
                 : status != 200 && status != 206 ? NET_ERR_STATUS
                                                  : NET_OK;
    if (result != NET_OK) {
        snprintf(detail, detailsize, "%s",
                 rc != CURLE_OK ? (errbuf[0] ? errbuf : curl_easy_strerror(rc))
                 : !ok          ? "cannot write the download"
                                : "the registry answered an error");
        return result;
    }
    if (have > 0 && status == 200) {
        /* the server sent it whole: what was appended follows the old part */
        snprintf(detail, detailsize, "the registry did not resume; start again");
        truncate(path, 0);
        return NET_ERR_NO_RESUME;
    }
    return NET_OK;
}

const struct net_ops net_curl_ops = {.send = curl_send, .download = curl_download};

int net_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? NET_OK : NET_ERR_NOMEM;
}

void net_global_cleanup(void) {
    curl_global_cleanup();
}
