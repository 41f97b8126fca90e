/* http: the kiosk's HTTPS client for the registry, on libcurl (the only libcurl user).
 * Mutual TLS with the kiosk's certificate; the registry CA only; TLS 1.3; no redirects;
 * timeouts on connect and on the whole request. */
#ifndef SYNC_HTTP_H
#define SYNC_HTTP_H

#include <stdbool.h>
#include <stddef.h>

struct http_tls {
    char cert[512], key[512], ca[512];
    char pin[128]; /* "sha256//..." of the registry's public key; empty: not pinned */
};

struct http_reply {
    long status; /* HTTP status; 0 when no answer came */
    char *body;  /* malloc'd, NUL-terminated; NULL when none */
    char error[256];
};

/* Fills the file names from a directory holding kiosk.crt, kiosk.key and ca.crt, and the
 * registry's key pin from registry.pin when it is there (kioskctl pki enroll writes it). */
void http_tls_from_dir(struct http_tls *t, const char *dir);
/* One request. body NULL: GET; else POST with content_type (default application/json). A
 * transfer ends early (-1, "cancelled") once *cancel turns true: for long polls that a
 * stopping kiosk must not wait out. */
struct http_req {
    const char *url, *body, *content_type;
    size_t body_len;    /* 0: strlen(body) */
    const char *method; /* NULL: GET, or POST with a body; else e.g. "PUT" */
    int timeout_ms;
    const volatile bool *cancel;
};

/* Returns 0 when an HTTP answer came (see reply->status), -1 on a transport or TLS failure
 * (reply->error says which). */
int http_send(const struct http_tls *t, const struct http_req *q, struct http_reply *reply);
/* http_send of a JSON body (or a GET when body is NULL). */
int http_request(const struct http_tls *t, const char *url, const char *body, int timeout_ms,
                 struct http_reply *reply);
void http_reply_free(struct http_reply *r);
/* What a download may be told and tell as it goes (all optional): cancel ends it early as in
 * http_send (what came stays for the resume); progress hears the bytes of the file so far
 * (the resumed part included), a few times a second. */
struct http_xfer {
    const volatile bool *cancel;
    void (*progress)(void *ctx, long long have);
    void *ctx;
};
/* GETs url into the file path, appending: a file already there is resumed with a Range
 * request from its size. Returns 0 when the rest came (HTTP 200/206), -1 with the reason. */
int http_download(const struct http_tls *t, const char *url, const char *path, int timeout_ms,
                  const struct http_xfer *x, char *error, size_t errsize);

#endif
