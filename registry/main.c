/* registryd: the reference central registry (DESIGN.md §5): HTTPS with TLS 1.3 only and
 * mutual TLS; the kiosk's identity (CN) and office (O) come from its client certificate.
 *
 *   registryd --config FILE | --listen HOST:PORT --data DIR --pki DIR [--enroll-listen HOST:PORT]
 *
 * Kiosks (certificates with OU=kiosk):
 *   POST /v1/applications, /v1/checkins  {"records":[{"id","payload"}]} -> per record accepted,
 *                                        duplicate or rejected with a reason (idempotent by id)
 *   GET  /v1/status?ids=ID,ID            the records' status
 *   GET  /v1/appointments?since=N        the office's changed appointments and the next cursor
 *   POST /v1/heartbeat                   version, backlog, last error, update state and step
 *   GET  /v1/commands?after=SEQ&wait=S   long poll (S <= 55): commands not yet acknowledged
 *   POST /v1/commands/SEQ/ack            {"result":...}
 *   GET  /v1/whoami                      the certificate's kiosk id, office and the registry's
 *                                        epoch (new after a restore: kiosks start again)
 *   GET  /v1/receipt-keys                every kiosk's receipt public key, to verify any
 *                                        kiosk's receipts offline
 *   GET  /v1/releases/CHANNEL, /v1/content/CHANNEL   the newest signed manifest whose staged
 *                                        rollout reaches this kiosk
 *   GET  /v1/blobs/SHA256                a bundle's file (Range: bytes=N- resumes)
 * Operators (OU=operator), the admin API:
 *   POST /v1/admin/appointments          JSON {"appointments":[...]} or text/csv
 *   GET  /v1/admin/records?kiosk=&office=&limit=   received records, without payloads
 *   POST /v1/admin/records/status        {"id","status"}: the office's progress on a record
 *   GET  /v1/admin/records/ID            one record with its payload (the clerk's declaration)
 *   GET  /v1/admin/fleet                 every kiosk's last heartbeat
 *   GET  /v1/admin/update-events?kiosk=  the steps kiosks reported of their updates (newest
 *                                        first): verified, downloading, installing, installed,
 *                                        rejected, failed, rolled_back
 *   POST /v1/admin/commands              {"kiosk","command","arg"}; GET lists them with results
 *   POST /v1/admin/enroll-tokens         {"kiosk","office","hours"} -> a one-time token
 *   GET  /v1/admin/receipt-keys          every kiosk's receipt signing keys (from heartbeats)
 *   PUT  /v1/admin/blobs/SHA256, POST /v1/admin/manifests[?rollout=PERCENT]   publish a
 *                                        release or content, to a share of the channel's kiosks
 *   POST /v1/admin/rollout               {"type","channel","serial","percent"}: widen it
 * The enrollment listener (server certificate only: the kiosk has none yet):
 *   POST /v1/enroll                      {"token","csr"} -> certificate, CA, the registry's pin
 *
 * Anything without a certificate of pki/ca.crt fails the TLS handshake on the main listener;
 * the wrong kind of certificate gets 403. Bad input gets a 4xx with a JSON reason. The CA key
 * sits in the pki directory for enrollment: fine for the reference registry; a deployment
 * would keep it in an HSM or a separate signing service.
 *
 * The parts are described in registry.h. */
#include <event2/event.h>
#include <event2/http.h>
#include <getopt.h>
#include <ini.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "caltime.h"
#include "crypto_pki.h"
#include "file.h"
#include "log.h"
#include "num.h"
#include "console_http.h"
#include "seal.h"
#include "registry.h"
#include "rstore.h"

/* The watchdog (WatchdogSec of registryd.service): pinged from the event loop, so a loop
 * stuck in a handler is restarted. */
static void on_watchdog(evutil_socket_t fd, short ev, void *arg) {
    (void)fd;
    (void)ev;
    (void)arg;
    sd_notify(0, "WATCHDOG=1");
}

static void on_signal(evutil_socket_t fd, short ev, void *arg) {
    (void)fd;
    (void)ev;
    event_base_loopexit(arg, NULL);
}

/* Retention: the payloads the offices are done with, and appointments long past, purged
 * (rstore_purge), at start and every hour. */
static void on_purge(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    struct registry *r = arg;
    long long now = (long long)time(NULL), keep = (long long)r->retention_days * 86400;
    long n = rstore_purge(r->store, now - keep, now - keep);
    if (n < 0)
        log_error("registry", "retention: the purge failed; again in an hour");
    else if (n > 0)
        log_info("registry", "retention: %ld payloads and appointments older than %d days "
                 "purged", n, r->retention_days);
}

struct options {
    char listen[256], enroll_listen[256], data[512], pki[512];
    char console_listen[256], assets[512]; /* the clerk console's listener, the forms it shows */
    char database[512]; /* a PostgreSQL connection string; empty: SQLite in the data folder */
    bool reuse_port;    /* the main listener shared with other registryd on the host */
    int backlog;        /* its listen queue */
    int console_offline_after_s;           /* a kiosk silent this long shows as offline */
    int max_connections; /* the main listener's; 0: from the descriptors the process may open */
    int64_t untagged_until_s; /* [registry] untagged_ids_until, local midnight; 0: none */
    char data_key[512];       /* the data key's file; default PKI/data.key */
    char names[1024];         /* [registry] names: hostnames and addresses of its certificate */
    char metrics_listen[256]; /* [registry] metrics_listen: GET /metrics, plain HTTP */
    bool console_certs;       /* [registry] console_client_certs = on: workstations' certificates */
    int retention_days;       /* 0: the default, 90 */
};

/* [registry] listen = HOST:PORT, data = DIR, pki = DIR; relative directories are taken from
 * the directory the file is in. */
static int on_config(void *ud, const char *section, const char *name, const char *value) {
    struct options *o = ud;
    if (strcmp(section, "registry") != 0)
        return 1; /* other sections belong to others */
    if (!strcmp(name, "listen"))
        snprintf(o->listen, sizeof o->listen, "%s", value);
    else if (!strcmp(name, "enroll_listen"))
        snprintf(o->enroll_listen, sizeof o->enroll_listen, "%s", value);
    else if (!strcmp(name, "data"))
        snprintf(o->data, sizeof o->data, "%s", value);
    else if (!strcmp(name, "pki"))
        snprintf(o->pki, sizeof o->pki, "%s", value);
    else if (!strcmp(name, "database"))
        snprintf(o->database, sizeof o->database, "%s", value);
    else if (!strcmp(name, "data_key"))
        snprintf(o->data_key, sizeof o->data_key, "%s", value);
    else if (!strcmp(name, "names")) {
        char san[2048], why[200];
        if (pki_san_of(value, san, sizeof san, why, sizeof why) != 0) {
            fprintf(stderr, "registryd: [registry] names: %s\n", why);
            return 0;
        }
        snprintf(o->names, sizeof o->names, "%s", value);
    }
    else if (!strcmp(name, "retention_days")) {
        if (num_int(value, 1, 3650, &o->retention_days) != 0) {
            fprintf(stderr, "registryd: [registry] retention_days takes 1 to 3650\n");
            return 0;
        }
    }
    else if (!strcmp(name, "reuse_port")) {
        if (strcmp(value, "on") && strcmp(value, "off")) {
            fprintf(stderr, "registryd: [registry] reuse_port takes on or off\n");
            return 0;
        }
        o->reuse_port = !strcmp(value, "on");
    } else if (!strcmp(name, "backlog")) {
        if (num_int(value, 16, 65535, &o->backlog) != 0) {
            fprintf(stderr, "registryd: [registry] backlog takes 16 to 65535\n");
            return 0;
        }
    }
    else if (!strcmp(name, "console_client_certs")) {
        if (strcmp(value, "on") && strcmp(value, "off")) {
            fprintf(stderr, "registryd: [registry] console_client_certs takes on or off\n");
            return 0;
        }
        o->console_certs = !strcmp(value, "on");
    } else if (!strcmp(name, "metrics_listen"))
        snprintf(o->metrics_listen, sizeof o->metrics_listen, "%s", value);
    else if (!strcmp(name, "console_listen"))
        snprintf(o->console_listen, sizeof o->console_listen, "%s", value);
    else if (!strcmp(name, "assets"))
        snprintf(o->assets, sizeof o->assets, "%s", value);
    else if (!strcmp(name, "console_offline_after")) {
        if (num_int(value, 30, 86400, &o->console_offline_after_s) != 0) {
            fprintf(stderr, "registryd: [registry] console_offline_after takes 30 to 86400 (seconds)\n");
            return 0;
        }
    }
    else if (!strcmp(name, "max_connections")) {
        if (num_int(value, 16, 1 << 20, &o->max_connections) != 0) {
            fprintf(stderr, "registryd: [registry] max_connections takes 16 to 1048576\n");
            return 0;
        }
    } else if (!strcmp(name, "untagged_ids_until")) {
        /* once every kiosk runs a release that tags its record ids (uuid.h) and is enrolled,
         * untagged ids made after this day are refused: none can then be taken over */
        char when[32];
        snprintf(when, sizeof when, "%.10sT00:00", value);
        if (strlen(value) != 10 || caltime_parse_local(when, &o->untagged_until_s) != 0) {
            fprintf(stderr, "registryd: [registry] untagged_ids_until takes a date YYYY-MM-DD\n");
            return 0;
        }
    } else {
        fprintf(stderr, "registryd: unknown setting [registry] %s\n", name);
        return 0;
    }
    return 1;
}

static void relative_to(char *path, size_t cap, const char *file) {
    const char *slash = strrchr(file, '/');
    if (!path[0] || path[0] == '/' || !slash)
        return;
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%.*s/%s", (int)(slash - file), file, path);
    if ((size_t)snprintf(path, cap, "%s", tmp) >= cap)
        log_warn("registry", "a path of %s is too long and was cut", file);
}

static int read_config(struct options *o, const char *file) {
    int rc = file_ini(file, 64 << 10, on_config, o);
    if (rc != 0) {
        if (rc < 0)
            fprintf(stderr, "registryd: cannot read %s\n", file);
        else
            fprintf(stderr, "registryd: %s: error on line %d\n", file, rc);
        return -1;
    }
    relative_to(o->data, sizeof o->data, file);
    relative_to(o->pki, sizeof o->pki, file);
    relative_to(o->assets, sizeof o->assets, file);
    relative_to(o->data_key, sizeof o->data_key, file);
    return 0;
}

/* The listeners' limits from the descriptors the process may open (its soft limit raised to
 * the hard one first): the enrollment listener, open to anyone who reaches it, gets a small
 * share; the kiosks' listener the rest but a reserve for the store, blobs and logs. */
static void listener_limits_for(struct listener_limits *main_lim,
                                struct listener_limits *enroll_lim) {
    struct rlimit rl;
    long fds = 1024;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        fds = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1 << 20 ? 1 << 20 : (long)rl.rlim_cur;
    }
    /* each connection can take two descriptors for a moment (the refusal's linger) */
    long usable = (fds - 64 - LINGER_RESERVE) > 32 ? fds - 64 - LINGER_RESERVE : 32;
    int enroll_max = (int)(usable / 8 < 128 ? (usable / 8 > 4 ? usable / 8 : 4) : 128);
    *enroll_lim = (struct listener_limits){.name = "enrollment",
                                           .max_conns = enroll_max,
                                           .per_ip = 4,
                                           .first_request_s = 10,
                                           .idle_s = 10,
                                           .max_body = ENROLL_BODY_MAX,
                                           .max_headers = ENROLL_HEADERS_MAX,
                                           .rate_per_min = 10};
    *main_lim = (struct listener_limits){.name = "main listener",
                                         .max_conns = (int)(usable - enroll_max),
                                         .per_ip = 0, /* kiosks behind one NAT share an address */
                                         .first_request_s = 30,
                                         .idle_s = 30,
                                         .max_body = BODY_MAX,
                                         .max_headers = HEADERS_MAX,
                                         .rate_per_min = 0};
}

/* [registry] metrics_listen = HOST:PORT: GET /metrics in plain HTTP (Prometheus scrapes it;
 * counts and kiosk ids, no personal data: keep it on loopback or the operators' network). */
static struct evhttp *metrics_listen(struct registry *r, const char *spec) {
    const char *colon = strrchr(spec, ':');
    int port = 0;
    struct evhttp *h = colon && num_int(colon + 1, 0, 65535, &port) == 0 ? evhttp_new(r->base) : NULL;
    char host[256];
    snprintf(host, sizeof host, "%.*s", colon ? (int)(colon - spec) : 0, spec);
    struct evhttp_bound_socket *b = h ? evhttp_bind_socket_with_handle(h, host, (ev_uint16_t)port) : NULL;
    if (!b) {
        fprintf(stderr, "registryd: cannot listen for metrics on %s\n", spec);
        if (h)
            evhttp_free(h);
        return NULL;
    }
    evhttp_set_gencb(h, metrics_handle, r);
    evhttp_set_timeout(h, 10);
    evhttp_set_max_headers_size(h, 8192);
    evhttp_set_max_body_size(h, 0);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int bound = port;
    if (getsockname(evhttp_bound_socket_get_fd(b), (struct sockaddr *)&ss, &sl) == 0)
        bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                               : ((struct sockaddr_in *)&ss)->sin_port);
    log_info("registry", "metrics on http://%s:%d/metrics", host, bound);
    return h;
}

/* --init-pki: the first start of an installed registry makes its PKI; later starts keep it. */
static int init_pki(const char *pki, const char *names) {
    char probe[600], err[300];
    snprintf(probe, sizeof probe, "%s/ca.crt", pki);
    if (access(probe, F_OK) == 0) {
        log_info("registry", "the PKI of %s is there: kept", pki);
        return 0;
    }
    if (pki_init(pki, names[0] ? names : NULL, err, sizeof err) != 0) {
        log_error("registry", "cannot make the PKI: %s", err);
        return 1;
    }
    log_warn("registry", "a new PKI was made in %s (CA, the registry's certificate for localhost%s%s, "
             "an operator's): back up ca.key apart from this host", pki, names[0] ? ", " : "",
             names);
    return 0;
}

int main(int argc, char **argv) {
    log_init("registryd", LOG_INFO);
    static const struct option opts[] = {{"config", required_argument, 0, 'c'},
                                         {"listen", required_argument, 0, 'l'},
                                         {"data", required_argument, 0, 'd'},
                                         {"pki", required_argument, 0, 'p'},
                                         {"enroll-listen", required_argument, 0, 'e'},
                                         {"console-listen", required_argument, 0, 'C'},
                                         {"assets", required_argument, 0, 'a'},
                                         {"database", required_argument, 0, 'D'},
                                         {"data-key", required_argument, 0, 'k'},
                                         {"new-epoch", no_argument, 0, 'E'},
                                         {"routes", no_argument, 0, 'R'},
                                         {"init-pki", no_argument, 0, 'I'},
                                         {"metrics-listen", required_argument, 0, 'M'},
                                         {"console-client-certs", no_argument, 0, 'W'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    struct options o = {0};
    const char *listen_at = NULL, *data = NULL, *pki = NULL, *enroll_at = NULL;
    const char *console_at = NULL, *assets = NULL, *database = NULL, *data_key = NULL;
    bool new_epoch = false, init_only = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (read_config(&o, optarg) != 0)
                return 2;
            break;
        case 'l':
            listen_at = optarg;
            break;
        case 'd':
            data = optarg;
            break;
        case 'p':
            pki = optarg;
            break;
        case 'e':
            enroll_at = optarg;
            break;
        case 'C':
            console_at = optarg;
            break;
        case 'a':
            assets = optarg;
            break;
        case 'D':
            database = optarg;
            break;
        case 'k':
            data_key = optarg;
            break;
        case 'E':
            new_epoch = true;
            break;
        case 'I':
            init_only = true;
            break;
        case 'M':
            snprintf(o.metrics_listen, sizeof o.metrics_listen, "%s", optarg);
            break;
        case 'W':
            o.console_certs = true;
            break;
        case 'R': /* the route table, for tests/unit/api_spec.py */
            router_print(stdout);
            return 0;
        case 'h':
            printf("usage: registryd --config FILE | --listen HOST:PORT --data DIR --pki DIR "
                   "[--enroll-listen HOST:PORT] [--console-listen HOST:PORT [--assets DIR]] "
                   "[--database CONNINFO]\n"
                   "  --database: PostgreSQL (a libpq connection string or postgresql:// URI; "
                   "[registry] database) instead of SQLite in DIR/registry.db; DIR keeps the "
                   "blobs either way\n"
                   "  --data-key FILE: the key personal data is sealed under ([registry] "
                   "data_key; default PKI/data.key, made when missing): keep it apart from the "
                   "database and its backups, and back it up on its own\n"
                   "  --metrics-listen HOST:PORT: Prometheus' GET /metrics, plain HTTP "
                   "([registry] metrics_listen)\n"
                   "  --console-client-certs: the console only for clerk workstations with "
                   "their certificate (kioskctl pki workstation), each for its office's clerks "
                   "([registry] console_client_certs = on)\n"
                   "  --init-pki: make the PKI (a CA, the registry's certificate for localhost "
                   "and [registry] names = HOST, IP..., an operator's) when --pki DIR has none, "
                   "then exit (the unit's ExecStartPre)\n"
                   "  --new-epoch: after restoring the database by other means than a backup of "
                   "kioskctl registry backup (a pg_dump with the meta table's rows): kiosks "
                   "start again from it\n"
                   "  [registry] retention_days = N (90): how long the payloads of records the "
                   "office is done with are kept\n"
                   "  FILE: [registry] listen = HOST:PORT, data = DIR, pki = DIR, "
                   "enroll_listen = HOST:PORT, max_connections = N, backlog = N (4096), reuse_port = on|off, untagged_ids_until = YYYY-MM-DD "
                   "(flags override it)\n"
                   "  --enroll-listen: where kiosks without a certificate trade a one-time token "
                   "and a CSR for one (POST /v1/enroll; TLS 1.3, server certificate only)\n"
                   "  --console-listen: the clerk console's web pages for the office LAN (HTTPS, "
                   "server certificate only; clerks log in with kioskctl clerk accounts); "
                   "--assets DIR: the forms it shows (forms/joint.json, codes/codes.json; default "
                   "/usr/share/kiosk/assets), [registry] console_listen, assets, "
                   "console_offline_after = SECONDS (1500)\n");
            return 0;
        default:
            fprintf(stderr, "registryd: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    /* flags override the file */
    if (!listen_at && o.listen[0])
        listen_at = o.listen;
    if (!data && o.data[0])
        data = o.data;
    if (!pki && o.pki[0])
        pki = o.pki;
    if (!enroll_at && o.enroll_listen[0])
        enroll_at = o.enroll_listen;
    if (!console_at && o.console_listen[0])
        console_at = o.console_listen;
    if (!assets)
        assets = o.assets[0] ? o.assets : "/usr/share/kiosk/assets";
    if (!database && o.database[0])
        database = o.database;
    if (!listen_at || !strrchr(listen_at, ':') || !data || !pki ||
        (enroll_at && !strrchr(enroll_at, ':')) || (console_at && !strrchr(console_at, ':'))) {
        fprintf(stderr, "registryd: --listen HOST:PORT, --data DIR and --pki DIR (or --config "
                        "FILE with them) are required\n");
        return 2;
    }
    /* the registry's files hold personal data and keys: its own only (0600 files, 0700
     * folders), whatever the caller's umask; an older data directory is tightened too */
    umask(077);
    if (init_only)
        return init_pki(pki, o.names);
    if (chmod(data, 0700) != 0)
        log_warn("registry", "cannot make %s 0700", data);
    struct registry r = {0};
    r.untagged_until_s = o.untagged_until_s;
    snprintf(r.pki, sizeof r.pki, "%s", pki);
    snprintf(r.blobs, sizeof r.blobs, "%s/blobs", data);
    mkdir(r.blobs, 0700);
    char path[1100];
    snprintf(path, sizeof path, "%s/ca.crt", pki);
    r.ca_pem = file_read(path, 65536, NULL);
    snprintf(path, sizeof path, "%s/registry.crt", pki);
    if (!r.ca_pem || pki_pin_of(path, r.pin, sizeof r.pin) != 0) {
        fprintf(stderr, "registryd: cannot read the certificates of %s\n", pki);
        return 1;
    }
    /* the next key's pin too, while the registry's key is rotated (kioskctl pki next-key):
     * kiosks keep both, and still reach the registry once it serves with the next key */
    char next_pin[128];
    snprintf(path, sizeof path, "%s/registry-next.crt", pki);
    if (access(path, F_OK) == 0 && pki_pin_of(path, next_pin, sizeof next_pin) == 0) {
        snprintf(r.pins, sizeof r.pins, "%s;%s", r.pin, next_pin);
        log_info("registry", "the next key (registry-next.crt) is handed to the kiosks with the "
                 "current one");
    } else {
        snprintf(r.pins, sizeof r.pins, "%s", r.pin);
    }
    snprintf(path, sizeof path, "%s/ca.key", pki);
    r.can_sign = access(path, R_OK) == 0;
    if (!r.can_sign)
        log_warn("registry", "no CA key in %s (an offline CA): enrollment and renewal are "
                 "refused; certificates are signed at the CA (kioskctl pki sign)", pki);
    r.ssl = make_ssl(pki, true);
    r.enroll_ssl = enroll_at && r.ssl ? make_ssl(pki, false) : NULL;
    /* the console: with console_client_certs, only workstations with a certificate of the CA
     * (kioskctl pki workstation) get in, each for its own office's clerks */
    r.console_certs = o.console_certs;
    r.console_ssl = console_at && r.ssl ? make_ssl(pki, o.console_certs) : NULL;
    r.store = r.ssl && (!enroll_at || r.enroll_ssl) && (!console_at || r.console_ssl)
                  ? (database ? rstore_open_pg(database) : rstore_open(data))
                  : NULL;
    if (!r.store)
        return 1;
    snprintf(r.data, sizeof r.data, "%s", data);
    r.retention_days = o.retention_days ? o.retention_days : 90;
    if (!data_key && o.data_key[0])
        data_key = o.data_key;
    char key_path[1100];
    snprintf(key_path, sizeof key_path, "%s/data.key", pki);
    bool made = false;
    r.seal = seal_load(data_key ? data_key : key_path, true, &made);
    if (!r.seal)
        return 1;
    if (made)
        log_warn("registry", "a new data key was made in %s: back it up apart from the database; "
                 "without it the personal data in the database cannot be read",
                 data_key ? data_key : key_path);
    rstore_set_seal(r.store, r.seal);
    server_share_tickets(r.ssl, r.seal);
    server_share_tickets(r.console_ssl, r.seal);
    long sealed = rstore_seal_legacy(r.store);
    if (sealed < 0)
        return 1;
    if (sealed > 0)
        log_info("registry", "%ld payloads stored in clear before are now sealed", sealed);
    if (rstore_epoch(r.store, r.epoch, new_epoch) != 0) {
        fprintf(stderr, "registryd: the registry's epoch cannot be read\n");
        return 1;
    }
    log_info("registry", "epoch %s%s", r.epoch, new_epoch ? " (new: kiosks start again)" : "");
    if (console_at &&
        console_init(&r, assets, o.console_offline_after_s ? o.console_offline_after_s : 1500) != 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    r.base = event_base_new();
    linger_base = r.base;
    char bound[300] = "", enroll_bound[300] = "";
    struct listener_limits main_lim, enroll_lim;
    listener_limits_for(&main_lim, &enroll_lim);
    if (o.max_connections) {
        if (o.max_connections > main_lim.max_conns)
            log_warn("registry", "max_connections %d is more than the %d descriptors allow: past "
                     "them accepting pauses until some close", o.max_connections,
                     main_lim.max_conns);
        main_lim.max_conns = o.max_connections;
    }
    main_lim.reuse_port = enroll_lim.reuse_port = o.reuse_port;
    main_lim.backlog = o.backlog;
    struct listener *http =
        listen_on(&r, listen_at, r.ssl, router_handle, &main_lim, bound, sizeof bound);
    struct listener *enroll = enroll_at ? listen_on(&r, enroll_at, r.enroll_ssl, handle_enroll,
                                                    &enroll_lim, enroll_bound,
                                                    sizeof enroll_bound)
                                        : NULL;
    /* the console: browsers of the office LAN, a few each, a human's pace */
    struct listener_limits console_lim = {.name = "console",
                                          .max_conns = 256,
                                          .per_ip = 16,
                                          .first_request_s = 20,
                                          .idle_s = 60,
                                          .max_body = CONSOLE_FORM_MAX,
                                          .max_headers = HEADERS_MAX,
                                          .rate_per_min = 600,
                                          .reuse_port = o.reuse_port};
    char console_bound[300] = "";
    struct listener *console = console_at ? listen_on(&r, console_at, r.console_ssl,
                                                      console_handle, &console_lim,
                                                      console_bound, sizeof console_bound)
                                          : NULL;
    if (!http || (enroll_at && !enroll) || (console_at && !console))
        return 1;
    struct evhttp *metrics = o.metrics_listen[0] ? metrics_listen(&r, o.metrics_listen) : NULL;
    if (o.metrics_listen[0] && !metrics)
        return 1;
    struct event *term = evsignal_new(r.base, SIGTERM, on_signal, r.base);
    struct event *intr = evsignal_new(r.base, SIGINT, on_signal, r.base);
    event_add(term, NULL);
    event_add(intr, NULL);
    log_info("registry", "listening on %s (TLS 1.3, client certificates of %s/ca.crt; at most %d "
             "connections)", bound, pki, main_lim.max_conns);
    if (enroll)
        log_info("registry", "enrollment on %s (one-time tokens; at most %d connections, %d an "
                 "address, %d requests a minute an address)", enroll_bound, enroll_lim.max_conns,
                 enroll_lim.per_ip, enroll_lim.rate_per_min);
    if (console)
        log_info("registry", "clerk console on https://%s/ (forms of %s)", console_bound, assets);
    commands_init(&r);
    if (revocations_start(&r) != 0)
        return 1;
    r.purge = event_new(r.base, -1, EV_PERSIST, on_purge, &r);
    struct timeval hourly = {3600, 0};
    event_add(r.purge, &hourly);
    on_purge(-1, 0, &r);
    /* under systemd (Type=notify): ready once every listener is bound */
    uint64_t wd_usec = 0;
    struct event *watchdog = NULL;
    if (sd_watchdog_enabled(0, &wd_usec) > 0 && wd_usec > 0) {
        watchdog = event_new(r.base, -1, EV_PERSIST, on_watchdog, NULL);
        struct timeval half = {(time_t)(wd_usec / 2000000), (suseconds_t)(wd_usec / 2 % 1000000)};
        event_add(watchdog, &half);
    }
    sd_notifyf(0, "READY=1\nSTATUS=listening on %s", bound);
    event_base_dispatch(r.base);
    sd_notify(0, "STOPPING=1");
    if (watchdog)
        event_free(watchdog);
    event_free(r.purge);
    event_free(r.revocations_timer);
    commands_fini(&r);
    event_free(term);
    event_free(intr);
    listener_free(http);
    listener_free(enroll);
    listener_free(console);
    if (metrics)
        evhttp_free(metrics);
    console_free(&r);
    SSL_CTX_free(r.console_ssl);
    event_base_free(r.base);
    rstore_close(r.store);
    SSL_CTX_free(r.ssl);
    SSL_CTX_free(r.enroll_ssl);
    free(r.ca_pem);
    seal_free(r.seal);
    return 0;
}
