/* net: the kiosk's HTTPS client for the registry (DESIGN.md §1, §5).
 *
 * Every request goes through a transport behind struct net_ops: net_curl.c (libcurl, the only
 * libcurl user of the project) in the kiosk and the tools, a scripted one in the unit tests of
 * sync and update. What the transport held to: mutual TLS 1.3 with the kiosk's certificate
 * (none only to enroll), the registry CA alone and its pinned key, HTTPS only, no redirects,
 * a connect and an overall timeout.
 *
 * Failures are codes (enum net_err), mapped once from curl's codes and the TLS verify result,
 * so that callers and screens never read English text to tell an expired certificate from a
 * missing route. The codes are -100 and below: they never collide with the store's (-1..-9),
 * sync's (-200..) or any other layer's.
 *
 * registry_call() is the one request/status/JSON pattern: a URL made from the registry's base
 * and a path, a JSON body or none, an answer parsed as JSON when the status is one the caller
 * accepts. A struct net_reply is always initialised by the call that fills it, on every path,
 * so net_reply_free() is safe after any call. Threads: a struct net may be used by one thread
 * at a time; the curl transport keeps no state between calls. */
#ifndef NET_NET_H
#define NET_NET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct cJSON;

enum net_err {
    NET_OK = 0,
    NET_ERR_NOMEM = -100,
    NET_ERR_RESOLVE = -101,      /* the registry's name is not known */
    NET_ERR_REFUSED = -102,      /* no route, or nothing listens there */
    NET_ERR_TIMEOUT = -103,      /* no answer in time */
    NET_ERR_CUT = -104,          /* the connection broke during the request or the answer */
    NET_ERR_CERT_EXPIRED = -105, /* this kiosk's own certificate has expired */
    NET_ERR_CERT_REFUSED = -106, /* the registry refused this kiosk's certificate */
    NET_ERR_PIN = -107,          /* the registry's key is not the pinned one */
    NET_ERR_UNKNOWN_CA = -108,   /* the registry's certificate is not from our CA */
    NET_ERR_OWN_FILES = -109,    /* this kiosk's certificate, key or CA file cannot be used */
    NET_ERR_CANCELLED = -110,    /* the caller's cancel flag turned true */
    NET_ERR_TOO_LARGE = -111,    /* the answer passed NET_ANSWER_MAX */
    NET_ERR_FILE = -112,         /* a download cannot be written */
    NET_ERR_NO_RESUME = -113,    /* the registry sent a resumed download whole */
    NET_ERR_STATUS = -114,       /* the registry answered with a status the caller refuses */
    NET_ERR_MALFORMED = -115,    /* its answer is not the JSON the caller expects */
    NET_ERR_OTHER = -116,        /* any other transport failure (detail says which) */
};
#define NET_ERR_FIRST (-100)
#define NET_ERR_LAST (-116)
/* A code of this layer (as opposed to another layer's or success). */
#define NET_IS_ERR(e) ((e) <= NET_ERR_FIRST && (e) >= NET_ERR_LAST)

/* The English text of a code, for logs and the command line. */
const char *net_strerror(int err);
/* The failures that staff must act on (a certificate or the registry's identity), against
 * those that pass by themselves (a link that is down). */
bool net_err_needs_staff(int err);

/* The largest answer kept in memory. */
#define NET_ANSWER_MAX (16u << 20)

struct net_tls {
    char cert[512], key[512], ca[512];
    /* "sha256//..." of the registry's public key, or two joined by ';' (its key and the next
     * one, while the registry's key is rotated); empty: not pinned */
    char pin[192];
    char dir[512]; /* the directory of registry.pin, read again at each request (a sync learns
                    * the next key's pin); "": the pin as set */
};

struct net_reply {
    long status;       /* HTTP status; 0 when no answer came */
    char *body;        /* malloc'd, NUL-terminated; NULL when none */
    char detail[256];  /* the transport's own words on a failure (logs only) */
};

struct net_req {
    const char *url, *body, *content_type; /* content_type NULL: application/json */
    size_t body_len;                       /* 0: strlen(body) */
    const char *method;                    /* NULL: GET, or POST with a body; else e.g. PUT */
    int timeout_ms;
    const atomic_bool *cancel; /* the transfer ends early once it turns true (long polls) */
};

/* What a download may be told and tell as it goes (all optional): cancel as above (what came
 * stays for the resume); progress hears the bytes of the file so far (the resumed part
 * included), a few times a second. */
struct net_xfer {
    const atomic_bool *cancel;
    void (*progress)(void *ctx, long long have);
    void *ctx;
    /* the file is never allowed to grow past this many bytes (0: no limit): a download
     * listed at N bytes that keeps coming is cut at N (NET_ERR_TOO_LARGE), not left to fill
     * the disk the store shares */
    long long max_bytes;
};

/* A transport. send: one request; fills r (always), returns NET_OK when an HTTP answer came
 * (whatever its status) or a code. download: GETs url into the file path, appending (a file
 * already there is resumed with a Range request from its size); NET_OK when the rest came
 * (200/206), else a code with detail filled. */
struct net_ops {
    int (*send)(void *ctx, const struct net_tls *t, const struct net_req *q, struct net_reply *r);
    int (*download)(void *ctx, const struct net_tls *t, const char *url, const char *path,
                    int timeout_ms, const struct net_xfer *x, char *detail, size_t detailsize);
};

/* Once per process, before any thread sends (libcurl's global set-up), and at its end. A
 * program that never calls net_global_init still works: libcurl then sets itself up at the
 * first request, which is not thread-safe. */
int net_global_init(void);
void net_global_cleanup(void);

/* The libcurl transport (net_curl.c). Its ctx is unused. */
extern const struct net_ops net_curl_ops;

/* A registry as the kiosk reaches it. */
struct net {
    const struct net_ops *ops;
    void *ctx;
    struct net_tls tls;
    char base[256]; /* https://host:port, no trailing slash */
};

/* Fills the file names from a directory holding kiosk.crt, kiosk.key and ca.crt, and the
 * registry's key pin from registry.pin when it is there (kioskctl pki enroll writes it). */
void net_tls_from_dir(struct net_tls *t, const char *dir);
/* The same with the operator's certificate of a PKI directory (operator.crt/.key, ca.crt). */
void net_tls_operator(struct net_tls *t, const char *pki_dir);
/* A registry reached over libcurl with the TLS files of tls_dir (NULL: t as given). */
void net_init(struct net *n, const char *base_url, const char *tls_dir);

/* One request through n's transport; see struct net_ops. */
int net_send(const struct net *n, const struct net_req *q, struct net_reply *r);
int net_download(const struct net *n, const char *url, const char *path, int timeout_ms,
                 const struct net_xfer *x, char *detail, size_t detailsize);
void net_reply_free(struct net_reply *r);

/* One call of the registry: METHOD base+path with a JSON body (NULL: none; method NULL: GET
 * without a body, POST with one). The answer's status must be 200 or, when accept_404, 404
 * (then *answer is NULL and *status says so); anything else is NET_ERR_STATUS. The answer is
 * parsed into *answer (the caller deletes it; NULL when answer is NULL); one that is not a
 * JSON object is NET_ERR_MALFORMED. status (optional) receives the HTTP status, detail
 * (optional, detailsize > 0) the transport's or the registry's own words. */
struct registry_call_opts {
    const char *method;
    int timeout_ms; /* 0: 30 s */
    bool accept_404;
    const atomic_bool *cancel;
    long *status;
    char *detail;
    size_t detailsize;
};
int registry_call(const struct net *n, const char *path, const char *body,
                  const struct registry_call_opts *o, struct cJSON **answer);

#endif
