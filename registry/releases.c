/* releases: release and content bundles: blobs by SHA-256 (PUT by operators, GET with Range by kiosks), signed manifests by type and channel, staged rollouts by each kiosk's fixed bucket. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "num.h"
#include "crypto.h"
#include "log.h"
#include "registry.h"
#include "rstore.h"

static bool sha_ok(const char *s) {
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* PUT /v1/admin/blobs/SHA256: the body must hash to SHA256. */
void put_blob(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    const char *sha = rest;
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    unsigned char *data = len ? evbuffer_pullup(in, (ev_ssize_t)len) : NULL;
    uint8_t md[32];
    char hex[65], path[800], tmp[820];
    if (!sha_ok(sha) || !data || crypto_sha256(data, len, md) != 0) {
        reply_error(req, 400, "Bad Request", "expected PUT /v1/admin/blobs/SHA256 with the bytes");
        return;
    }
    crypto_hex(md, sizeof md, hex);
    if (strcmp(hex, sha) != 0) {
        reply_error(req, 400, "Bad Request", "the body does not hash to the name");
        return;
    }
    snprintf(path, sizeof path, "%s/%s", r->blobs, sha);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        reply_error(req, 500, "Internal Server Error", "the blob cannot be stored");
        return;
    }
    reply_json(req, 200, "OK", cJSON_CreateObject());
}

/* POST /v1/admin/manifests: published once every file it names is here. The registry does
 * not judge signatures: kiosks do, against their own trust directory. */
/* A share of kiosks, 0 to 100, from text; -1 when it is not one. */
static int percent_of(const char *text) {
    char *end;
    long v = text ? strtol(text, &end, 10) : -1;
    return text && end != text && !*end && v >= 0 && v <= 100 ? (int)v : -1;
}

/* The kiosk's fixed place among 100 buckets: a rollout of N % reaches buckets 0..N-1, so the
 * same kiosks go first every time (canaries) and widening never takes a release away. */
static int rollout_bucket(const char *kiosk) {
    uint8_t md[32];
    if (crypto_sha256(kiosk, strlen(kiosk), md) != 0)
        return 99;
    return ((md[0] << 8) | md[1]) % 100;
}

void post_manifest(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    (void)rest;
    char *share = query_param(req, "rollout");
    int rollout = share ? percent_of(share) : 100;
    free(share);
    char *text = body_text(req);
    cJSON *m = text ? cJSON_Parse(text) : NULL;
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(m, "type"));
    const char *channel = cJSON_GetStringValue(cJSON_GetObjectItem(m, "channel"));
    const cJSON *serial = cJSON_GetObjectItem(m, "serial"), *f;
    long sv = (long)json_int(m, "serial", 0, INT64_C(1) << 53, -1);
    /* a root of trust (its version its serial): kept under the channel "vN", every version,
     * so that a kiosk several versions behind walks the chain one step at a time */
    char root_channel[32];
    if (type && !strcmp(type, "root")) {
        sv = (long)json_int(m, "version", 1, INT64_C(1) << 53, -1);
        snprintf(root_channel, sizeof root_channel, "v%ld", sv);
        channel = root_channel;
        serial = cJSON_GetObjectItem(m, "version");
    }
    const char *missing = NULL;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(m, "files")) {
        const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(f, "sha256"));
        char path[800];
        snprintf(path, sizeof path, "%s/%s", r->blobs, sha && sha_ok(sha) ? sha : "-");
        if (!missing && access(path, R_OK) != 0)
            missing = sha ? sha : "?";
    }
    if (!type || (strcmp(type, "release") && strcmp(type, "content") && strcmp(type, "root")) ||
        !channel ||
        !cJSON_IsNumber(serial) || !cJSON_IsArray(cJSON_GetObjectItem(m, "signatures"))) {
        reply_error(req, 400, "Bad Request", "expected a signed manifest");
    } else if (missing) {
        char why[200];
        snprintf(why, sizeof why, "blob %.64s has not been uploaded", missing);
        reply_error(req, 409, "Conflict", why);
    } else if (rollout < 0) {
        reply_error(req, 400, "Bad Request", "rollout is a share of the kiosks, 0 to 100");
    } else if (sv < 0) {
        reply_error(req, 400, "Bad Request", "the serial is a whole number from 0 to 2^53");
    } else if (rstore_manifest_put(r->store, type, channel, sv, text, rollout) != 0) {
        reply_error(req, 500, "Internal Server Error", "the manifest cannot be stored");
    } else {
        log_info("registry", "%s serial %ld published on channel %s to %d %% of its kiosks", type,
                 sv, channel, rollout);
        reply_json(req, 200, "OK", cJSON_CreateObject());
    }
    cJSON_Delete(m);
    free(text);
}

/* POST /v1/admin/rollout {"type","channel","serial","percent"}: widen (or narrow, or stop
 * with 0) a staged rollout. */
void post_rollout(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    (void)rest;
    cJSON *b = body_json(req);
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(b, "type"));
    const char *channel = cJSON_GetStringValue(cJSON_GetObjectItem(b, "channel"));
    const cJSON *serial = cJSON_GetObjectItem(b, "serial"), *pc = cJSON_GetObjectItem(b, "percent");
    int rc = -2;
    long sv = (long)json_int(b, "serial", 0, INT64_C(1) << 53, -1);
    int percent = (int)json_int(b, "percent", 0, 100, -1);
    if (type && channel && cJSON_IsNumber(serial) && cJSON_IsNumber(pc) && sv >= 0 && percent >= 0)
        rc = rstore_manifest_rollout(r->store, type, channel, sv, percent);
    if (rc == -2)
        reply_error(req, 400, "Bad Request", "expected type, channel, serial and percent (0-100)");
    else if (rc < 0)
        reply_error(req, 500, "Internal Server Error", "the rollout cannot be stored");
    else if (rc == 0)
        reply_error(req, 404, "Not Found", "no such manifest on this channel");
    else {
        log_info("registry", "%s serial %ld on channel %s now goes to %d %% of its kiosks", type,
                 sv, channel, percent);
        reply_json(req, 200, "OK", cJSON_CreateObject());
    }
    cJSON_Delete(b);
}

/* GET /v1/releases/CHANNEL, /v1/content/CHANNEL: the newest manifest whose rollout reaches
 * the asking kiosk. */
static void get_manifest(struct registry *r, struct evhttp_request *req, const char *type,
                         const char *channel, const char *kiosk) {
    char *json = rstore_manifest_latest(r->store, type, channel, rollout_bucket(kiosk));
    if (!json) {
        reply_error(req, 404, "Not Found", "nothing published on this channel");
        return;
    }
    struct evbuffer *out = evbuffer_new();
    evbuffer_add(out, json, strlen(json));
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evhttp_send_reply(req, 200, "OK", out);
    evbuffer_free(out);
    free(json);
}

void get_release(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    get_manifest(r, req, "release", rest, p->cn);
}

void get_content(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    get_manifest(r, req, "content", rest, p->cn);
}

/* GET /v1/roots/N: version N of the root of trust (404 when there is none). */
void get_root(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    char channel[32];
    long v = (long)num_i64_or(rest, 1, INT64_C(1) << 53, -1);
    snprintf(channel, sizeof channel, "v%ld", v);
    if (v < 0) {
        reply_error(req, 404, "Not Found", "no such root version");
        return;
    }
    get_manifest(r, req, "root", channel, p->cn);
}

/* A Range header of one range, "bytes=A-" or "bytes=A-B", against a file of size bytes: 1
 * with [*from, *to] (inclusive) set, 0 when there is none, -1 when it cannot be served. */
static int parse_range(const char *range, long long size, long long *from, long long *to) {
    *from = 0;
    *to = size - 1;
    if (!range)
        return 0;
    long long a = -1, b = -1;
    int end = 0;
    if (sscanf(range, "bytes=%lld-%n", &a, &end) != 1 || a < 0 || !end)
        return -1;
    const char *rest = range + end;
    if (*rest) {
        int e2 = 0;
        if (sscanf(rest, "%lld%n", &b, &e2) != 1 || rest[e2] || b < a)
            return -1;
        if (b < *to)
            *to = b;
    }
    if (a > *to && !(a == size && !*rest)) /* "bytes=SIZE-": nothing left, an empty answer */
        return -1;
    *from = a;
    return 1;
}

/* GET /v1/blobs/SHA256, with "Range: bytes=N-" (or N-M) to resume. */
void get_blob(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)p;
    const char *sha = rest;
    char path[800];
    snprintf(path, sizeof path, "%s/%s", r->blobs, sha);
    int fd = sha_ok(sha) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        reply_error(req, 404, "Not Found", "no such blob");
        return;
    }
    const char *range = evhttp_find_header(evhttp_request_get_input_headers(req), "Range");
    long long from = 0, to = 0;
    int ranged = parse_range(range, (long long)st.st_size, &from, &to);
    if (ranged < 0) {
        close(fd);
        reply_error(req, 416, "Range Not Satisfiable",
                    "one range, bytes=A- or bytes=A-B, within the file");
        return;
    }
    struct evbuffer *out = evbuffer_new();
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", "application/octet-stream");
    if (to >= from)
        evbuffer_add_file(out, fd, from, to - from + 1); /* takes the descriptor */
    else
        close(fd);
    if (ranged > 0) {
        char cr[96];
        snprintf(cr, sizeof cr, "bytes %lld-%lld/%lld", from, to, (long long)st.st_size);
        evhttp_add_header(h, "Content-Range", cr);
        evhttp_send_reply(req, 206, "Partial Content", out);
    } else {
        evhttp_send_reply(req, 200, "OK", out);
    }
    evbuffer_free(out);
}
