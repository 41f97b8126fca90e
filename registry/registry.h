/* registry: what registryd's parts share (DESIGN.md §1, §5, §11).
 *
 *   server.c     TLS (OpenSSL) and the listeners (libevent's evhttp), the peer's certificate
 *   router.c     the one route table {method, path, role, handler} and the reply helpers
 *   api_kiosk.c  the kiosks' API          api_admin.c  the operators' API
 *   commands.c   the push channel (long poll)
 *   enroll.c     enrollment tokens and POST /v1/enroll
 *   releases.c   blobs, manifests, staged rollouts
 *   main.c       options, configuration, start and stop
 * Every handler has one signature (route_fn): the registry, the request, the peer's
 * certificate names and the rest of the path after a prefix route's prefix (else ""). The
 * router has checked the method and the certificate's role before a handler runs. One thread:
 * everything runs on the event loop. */
#ifndef REGISTRY_REGISTRY_H
#define REGISTRY_REGISTRY_H

#include <cjson/cJSON.h>
#include <openssl/ssl.h>
#include <stdbool.h>

struct evhttp;
struct evhttp_request;
struct event_base;
struct event;
struct bufferevent;
struct rstore;

/* Limits (issue 13: every limit explicit). The main listener takes blobs (operators upload
 * releases), JSON requests are far smaller, a batch of records a few MB; the enrollment
 * listener, open to anyone who reaches it, a few KiB. */
#define BODY_MAX (64 << 20)        /* the main listener's largest body: a release blob */
#define JSON_BODY_MAX (1 << 20)    /* any JSON request but a batch of records */
#define RECORDS_BODY_MAX (4 << 20) /* a batch of records */
#define HEADERS_MAX (16 << 10)     /* request line and headers, each listener */
#define HEARTBEAT_MAX (32 << 10)   /* a heartbeat, kept whole for the fleet view */
#define ENROLL_BODY_MAX (16 << 10) /* a CSR and a token */
#define ENROLL_HEADERS_MAX (8 << 10)
#define LINGER_RESERVE 64          /* descriptors kept for refused handshakes' last words */
#define BATCH_MAX 200              /* records in one request, one transaction (the kiosk's
                                      sync BATCH_MAX is the same) */

struct waiter;
struct console;

struct registry {
    char blobs[600]; /* DATA/blobs: content-addressed files of releases and content */
    SSL_CTX *ssl;
    SSL_CTX *enroll_ssl; /* the enrollment listener: server authentication only */
    char pki[512];
    char *ca_pem; /* handed to enrolling kiosks */
    char pin[128];
    char pins[256]; /* the pin, and the next key's (registry-next.crt) after a ';' when there */
    bool can_sign;  /* the CA's key is in pki/: enrollment and renewal (else: an offline CA) */
    bool console_certs; /* [registry] console_client_certs: each clerk workstation its own */
    struct rstore *store;
    struct event_base *base;
    struct waiter *waiters; /* kiosks holding a long poll for commands */
    int64_t untagged_until_s; /* untagged record ids made from then on are refused; 0: none */
    SSL_CTX *console_ssl;     /* the clerk console's listener: server authentication only */
    struct console *console;  /* console.c */
    struct event *wake;       /* commands.c: other processes' commands (rstore_wake_fd) */
    struct seal *seal;        /* personal data sealed (seal.h), with the data key */
    char epoch[40];           /* rstore_epoch: kiosks start again when it changes */
    char data[512];           /* the data directory (backups/ under it) */
    int retention_days;       /* [registry] retention_days: payloads kept this long */
    struct event *purge;      /* main.c: retention, hourly */
    struct event *revocations_timer; /* enroll.c: the revocations read again */
};

/* The names of the client certificate's subject. */
struct peer {
    char cn[128], org[64], ou[64];
    bool revoked; /* its certificate was revoked (kioskctl pki revoke) since the handshake */
};

typedef void (*route_fn)(struct registry *r, struct evhttp_request *req, const struct peer *p,
                         const char *rest);

/* router.c */
/* The main listener's request callback: certificate, role, route, method. */
void router_handle(struct evhttp_request *req, void *arg);
/* The route table a line each: METHOD PATH ROLE (PATH* a prefix; the enrollment listener's
 * too), for the API description's test (docs/api/registry.yaml). */
#include <stdio.h>
void router_print(FILE *f);
/* Sends body (taken; NULL: {}) as JSON with code. */
void reply_json(struct evhttp_request *req, int code, const char *reason, cJSON *body);
/* Sends {"error": message}. */
void reply_error(struct evhttp_request *req, int code, const char *reason, const char *message);
/* The request's body as text (malloc'd), NULL when empty or too large. */
char *body_text(struct evhttp_request *req);
/* The request's body as JSON (strictly parsed, at most JSON_BODY_MAX or max bytes), NULL when
 * it is not. */
cJSON *body_json(struct evhttp_request *req);
cJSON *body_json_max(struct evhttp_request *req, size_t max);
/* Storage rows as the API answers them: an array of objects, each column by its name (INT as a
 * number, JSON as the value it holds, NULL as null); or one JSON column's values. */
struct rstore_rows;
cJSON *rows_json(const struct rstore_rows *rows);
cJSON *rows_values(const struct rstore_rows *rows, int col);
/* {name: rows as rows_json} (rows taken), or 500 "the WHAT cannot be read" when rows is NULL. */
void reply_rows(struct evhttp_request *req, const char *name, struct rstore_rows *rows,
                const char *what);
/* A query parameter (malloc'd), or NULL. */
char *query_param(struct evhttp_request *req, const char *name);

/* Operator certificates (issue 17): one whose O is an office code (6 digits) is that office's
 * operator, who reads and changes that office's records, appointments, queue, clerks, alerts,
 * ratings and kiosks only; any other (the province's: pki init's operator, O "Marriage
 * registry", or kioskctl pki operator --province) is the province's. */
const char *operator_office(const struct peer *p); /* NULL: the province */
/* Whether the operator may act on office (NULL: none named); false when 403 was sent. */
bool operator_may(struct evhttp_request *req, const struct peer *p, const char *office);
/* The ?office= of a list: an office's operator gets their own (403 sent and *refused when
 * they asked for another's); the province's what they asked (NULL: every office). */
char *operator_office_param(struct evhttp_request *req, const struct peer *p, bool *refused);

/* server.c */
extern struct event_base *linger_base;
SSL_CTX *make_ssl(const char *pki, bool mutual);
/* Session tickets made and opened alike by every registry process with this data key (the
 * keys derived from it, a new one each hour): a kiosk resumes on whichever process it
 * reaches. */
struct seal;
void server_share_tickets(SSL_CTX *ctx, const struct seal *s);
int peer_of(struct evhttp_request *req, struct peer *p);
/* Revocation (issue 18): fn says whether a client certificate is revoked. It is asked at each
 * full handshake (the handshake fails: certificate_revoked), at each resumption (a revoked
 * certificate's ticket is not taken: a full handshake, which fails) and at each request (403,
 * and the connection closed), so a revocation reaches the kiosks already connected too. */
void server_set_revocation_check(bool (*fn)(X509 *cert));
/* What one listener allows (see server.c). */
struct listener_limits {
    const char *name;    /* for the log: "main listener", "enrollment" */
    int max_conns;       /* open at once: accepting pauses at the limit */
    int per_ip;          /* open at once from one client address (0: no limit) */
    int first_request_s; /* from accept to the first request read whole */
    int idle_s;          /* a kept connection's silence */
    long max_body, max_headers;
    int rate_per_min; /* requests a minute from one address (0: no limit) */
    int backlog;      /* the listen queue (0: 4096) */
    bool reuse_port;  /* SO_REUSEPORT: several processes on one port */
};
struct listener;
/* A TLS listener on HOST:PORT (PORT 0: any free one) with ssl and the request callback cb
 * (its argument: r); bound_at receives the HOST:PORT bound. NULL when it cannot listen. */
struct listener *listen_on(struct registry *r, const char *spec, SSL_CTX *ssl,
                           void (*cb)(struct evhttp_request *, void *),
                           const struct listener_limits *lim, char *bound_at, size_t cap);
struct evhttp *listener_http(struct listener *l);
void listener_free(struct listener *l);
/* Marks the request's connection as having sent a whole request (its deadline is over);
 * false when its client address is over the listener's rate: the caller answers 429. */
bool listener_admit(struct evhttp_request *req);
/* A connection the registry closes ends its TLS with close_notify: listener_admit sets this
 * on every connection (listener_conn_watch); a part that sets a close callback of its own
 * (commands.c) calls listener_conn_closing from it and gives the watch back after. */
void listener_conn_watch(struct evhttp_connection *ec);
void listener_conn_closing(struct evhttp_connection *ec);

/* The handlers (route_fn), by file. */
void post_applications(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest);
void post_checkins(struct registry *r, struct evhttp_request *req, const struct peer *p,
                   const char *rest);
void get_status(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest);
void get_appointments(struct registry *r, struct evhttp_request *req, const struct peer *p,
                      const char *rest);
void post_heartbeat(struct registry *r, struct evhttp_request *req, const struct peer *p,
                    const char *rest);
void get_whoami(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest);
void get_receipt_keys(struct registry *r, struct evhttp_request *req, const struct peer *p,
                      const char *rest);
void get_queue(struct registry *r, struct evhttp_request *req, const struct peer *p,
               const char *rest);
void post_queue_window(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest);
void post_queue_call(struct registry *r, struct evhttp_request *req, const struct peer *p,
                     const char *rest);
void post_backup(struct registry *r, struct evhttp_request *req, const struct peer *p,
                 const char *rest);
void post_appointments(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest);
void get_fleet(struct registry *r, struct evhttp_request *req, const struct peer *p,
               const char *rest);
void get_update_events(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest);
void get_records(struct registry *r, struct evhttp_request *req, const struct peer *p,
                 const char *rest);
void get_record(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest);
void get_audit_anchors(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest);
void get_audit_alarms(struct registry *r, struct evhttp_request *req, const struct peer *p,
                      const char *rest);
void get_ratings(struct registry *r, struct evhttp_request *req, const struct peer *p,
                 const char *rest);
void get_alerts(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest);
void post_ratings(struct registry *r, struct evhttp_request *req, const struct peer *p,
                  const char *rest);
void post_record_status(struct registry *r, struct evhttp_request *req, const struct peer *p,
                        const char *rest);
/* api_admin.c: a divorce application the office accepted: its 受理 date kept for the couple's
 * later bookings (rstore_divorce_accepted_put). */
void record_divorce_accepted(struct registry *r, const char *id, const char *kiosk);
/* api_admin.c: an office's queue action, for the admin API and the console alike: "call"
 * (window's next: its id in *ticket), or recall, no_show, done, transfer (to "window:ID" or
 * "room:NAME") of *ticket; a call or recall is announced on the office's displays. An enum
 * queue_result (queue.h). */
int office_queue_do(struct registry *r, const char *office, const char *action,
                    const char *window, long long *ticket, const char *to);
void post_clerk(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest);
void get_clerks(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest);
void post_clerk_change(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest);
void get_clerk_audit(struct registry *r, struct evhttp_request *req, const struct peer *p,
                     const char *rest);
/* The push channel's wake-ups from other registry processes (rstore_wake_fd), set up on the
 * event loop and taken down. */
void commands_init(struct registry *r);
void commands_fini(struct registry *r);
/* Queues a command for a kiosk and answers the long poll it holds (in whichever registry
 * process it is): its sequence number, or -1. */
long commands_push(struct registry *r, const char *kiosk, const char *cmd, const char *arg);
void get_commands(struct registry *r, struct evhttp_request *req, const struct peer *p,
                  const char *rest);
void post_command(struct registry *r, struct evhttp_request *req, const struct peer *p,
                  const char *rest);
void get_command_list(struct registry *r, struct evhttp_request *req, const struct peer *p,
                      const char *rest);
void post_ack(struct registry *r, struct evhttp_request *req, const struct peer *p,
              const char *rest);
void post_enroll_token(struct registry *r, struct evhttp_request *req, const struct peer *p,
                       const char *rest);
void put_blob(struct registry *r, struct evhttp_request *req, const struct peer *p,
              const char *rest);
void post_manifest(struct registry *r, struct evhttp_request *req, const struct peer *p,
                   const char *rest);
void post_rollout(struct registry *r, struct evhttp_request *req, const struct peer *p,
                  const char *rest);
void get_release(struct registry *r, struct evhttp_request *req, const struct peer *p,
                 const char *rest);
void get_content(struct registry *r, struct evhttp_request *req, const struct peer *p,
                 const char *rest);
void get_root(struct registry *r, struct evhttp_request *req, const struct peer *p,
              const char *rest);
void get_blob(struct registry *r, struct evhttp_request *req, const struct peer *p,
              const char *rest);
/* console.c: the clerk console. init reads the joint form of assets (the record view and the
 * 声明书); a kiosk silent for offline_after_s is shown offline. 0 or -1 (logged). */
int console_init(struct registry *r, const char *assets, int offline_after_s);
void console_free(struct registry *r);
/* The console listener's request callback. */
void console_handle(struct evhttp_request *req, void *arg);
/* metrics.c: GET /metrics (Prometheus' text format) on its own listener; each answered
 * request of the main listener counted with its time. */
void metrics_handle(struct evhttp_request *req, void *arg);
void metrics_request_done(int code, double seconds);
/* The enrollment listener's request callback (POST /v1/enroll only). */
void handle_enroll(struct evhttp_request *req, void *arg);
/* enroll.c, the certificates' lifecycle: POST /v1/renew (a kiosk's new certificate for a CSR
 * of a new key, before its own ends), POST and GET /v1/admin/revocations; the revocations
 * read again from the store (at start and every REVOCATIONS_RELOAD_S: a revocation made
 * through another registryd reaches this one within it) for server_set_revocation_check. */
#define REVOCATIONS_RELOAD_S 15
void post_renew(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest);
void post_revocation(struct registry *r, struct evhttp_request *req, const struct peer *p,
                     const char *rest);
void get_revocations(struct registry *r, struct evhttp_request *req, const struct peer *p,
                     const char *rest);
int revocations_load(struct registry *r);
/* The check set with the server, the revocations loaded and their reload timer started. */
int revocations_start(struct registry *r);

#endif
