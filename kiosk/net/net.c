/* net: see net.h. The transport-independent half: codes, TLS file names, registry_call. */
#include "net.h"
#include "json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *net_strerror(int err) {
    switch (err) {
    case NET_OK:
        return "ok";
    case NET_ERR_NOMEM:
        return "out of memory";
    case NET_ERR_RESOLVE:
        return "the registry's name is not known";
    case NET_ERR_REFUSED:
        return "the registry cannot be reached (no route, or nothing listens)";
    case NET_ERR_TIMEOUT:
        return "the registry did not answer in time";
    case NET_ERR_CUT:
        return "the connection to the registry broke";
    case NET_ERR_CERT_EXPIRED:
        return "this kiosk's certificate has expired";
    case NET_ERR_CERT_REFUSED:
        return "the registry refused this kiosk's certificate";
    case NET_ERR_PIN:
        return "the registry's key is not the pinned one";
    case NET_ERR_UNKNOWN_CA:
        return "the registry's certificate is not from the registry CA";
    case NET_ERR_OWN_FILES:
        return "this kiosk's certificate, key or CA file cannot be used";
    case NET_ERR_CANCELLED:
        return "cancelled";
    case NET_ERR_TOO_LARGE:
        return "the registry's answer is too large";
    case NET_ERR_FILE:
        return "the download cannot be written";
    case NET_ERR_NO_RESUME:
        return "the registry did not resume the download";
    case NET_ERR_STATUS:
        return "the registry answered an error";
    case NET_ERR_MALFORMED:
        return "the registry's answer is malformed";
    case NET_ERR_OTHER:
        return "the request to the registry failed";
    default:
        return "unknown network error";
    }
}

bool net_err_needs_staff(int err) {
    return err == NET_ERR_CERT_EXPIRED || err == NET_ERR_CERT_REFUSED || err == NET_ERR_PIN ||
           err == NET_ERR_UNKNOWN_CA || err == NET_ERR_OWN_FILES;
}

static void read_pin(struct net_tls *t) {
    t->pin[0] = 0;
    char path[600];
    snprintf(path, sizeof path, "%s/registry.pin", t->dir);
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(t->pin, sizeof t->pin, f))
            t->pin[0] = 0;
        t->pin[strcspn(t->pin, "\r\n")] = 0;
        fclose(f);
    }
}

void net_tls_from_dir(struct net_tls *t, const char *dir) {
    snprintf(t->cert, sizeof t->cert, "%s/kiosk.crt", dir);
    snprintf(t->key, sizeof t->key, "%s/kiosk.key", dir);
    snprintf(t->ca, sizeof t->ca, "%s/ca.crt", dir);
    snprintf(t->dir, sizeof t->dir, "%s", dir);
    read_pin(t);
}

void net_tls_operator(struct net_tls *t, const char *pki_dir) {
    snprintf(t->cert, sizeof t->cert, "%s/operator.crt", pki_dir);
    snprintf(t->key, sizeof t->key, "%s/operator.key", pki_dir);
    snprintf(t->ca, sizeof t->ca, "%s/ca.crt", pki_dir);
    t->pin[0] = 0;
    t->dir[0] = 0;
}

void net_init(struct net *n, const char *base_url, const char *tls_dir) {
    memset(n, 0, sizeof *n);
    n->ops = &net_curl_ops;
    snprintf(n->base, sizeof n->base, "%s", base_url ? base_url : "");
    if (tls_dir)
        net_tls_from_dir(&n->tls, tls_dir);
}

/* The TLS files of n, the pin read again (a sync may have learnt the registry's next key). */
static void current_tls(const struct net *n, struct net_tls *t) {
    *t = n->tls;
    if (t->dir[0])
        read_pin(t);
}

int net_send(const struct net *n, const struct net_req *q, struct net_reply *r) {
    memset(r, 0, sizeof *r);
    struct net_tls t;
    current_tls(n, &t);
    return n->ops->send(n->ctx, &t, q, r);
}

int net_download(const struct net *n, const char *url, const char *path, int timeout_ms,
                 const struct net_xfer *x, char *detail, size_t detailsize) {
    if (detailsize)
        detail[0] = 0;
    struct net_tls t;
    current_tls(n, &t);
    return n->ops->download(n->ctx, &t, url, path, timeout_ms, x, detail, detailsize);
}

void net_reply_free(struct net_reply *r) {
    free(r->body);
    r->body = NULL;
}

int registry_call(const struct net *n, const char *path, const char *body,
                  const struct registry_call_opts *o, struct cJSON **answer) {
    static const struct registry_call_opts none;
    if (!o)
        o = &none;
    if (answer)
        *answer = NULL;
    if (o->detailsize)
        o->detail[0] = 0;
    if (o->status)
        *o->status = 0;
    char url[1200];
    if ((size_t)snprintf(url, sizeof url, "%s%s", n->base, path) >= sizeof url)
        return NET_ERR_OTHER; /* a path that long is a caller's fault, not the network's */
    struct net_req q = {.url = url,
                        .body = body,
                        .method = o->method,
                        .timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 30000,
                        .cancel = o->cancel};
    struct net_reply r;
    int rc = net_send(n, &q, &r);
    if (o->status)
        *o->status = r.status;
    if (rc != NET_OK) {
        if (o->detailsize)
            snprintf(o->detail, o->detailsize, "%s", r.detail);
        net_reply_free(&r);
        return rc;
    }
    if (r.status == 404 && o->accept_404) {
        net_reply_free(&r);
        return NET_OK;
    }
    if (r.status != 200) {
        /* the registry says why in {"error": "..."}; kept for the log and the tools */
        cJSON *e = r.body ? json_parse_strict(r.body, strlen(r.body)) : NULL;
        const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(e, "error"));
        if (o->detailsize)
            snprintf(o->detail, o->detailsize, "HTTP %ld%s%s", r.status, why ? ": " : "",
                     why ? why : "");
        cJSON_Delete(e);
        net_reply_free(&r);
        return NET_ERR_STATUS;
    }
    if (!answer) {
        net_reply_free(&r);
        return NET_OK;
    }
    cJSON *a = r.body ? json_parse_strict(r.body, strlen(r.body)) : NULL;
    if (r.body)
        explicit_bzero(r.body, strlen(r.body)); /* answers may hold personal data */
    net_reply_free(&r);
    if (!cJSON_IsObject(a)) {
        cJSON_Delete(a);
        if (o->detailsize)
            snprintf(o->detail, o->detailsize, "the answer is not a JSON object");
        return NET_ERR_MALFORMED;
    }
    *answer = a;
    return NET_OK;
}
