/* kioskctl: the operator's tool (DESIGN.md §8). What exists so far:
 *
 *   kioskctl audit verify --state-dir DIR   checks the audit chain; names the first broken row
 *   kioskctl store stats --state-dir DIR    counts by table and sync state, as JSON
 *   kioskctl pki init DIR                   a CA, the registry's and an operator's certificate
 *   kioskctl pki enroll DIR --kiosk ID --office CODE --out DIR2 [--days N]
 *                                           a kiosk's client certificate (key 0600) and the CA
 *   kioskctl pki verify CA.crt CERT.crt     chain and dates; prints the kiosk id and office
 *   kioskctl fleet [--json] --registry URL --pki DIR   every kiosk's last heartbeat (a table)
 *   kioskctl fleet updates [--kiosk ID] [--json] --registry URL --pki DIR   the update steps
 *   kioskctl appointments import FILE --registry URL --pki DIR
 *                                           sends {"appointments":[...]}, or a .csv file
 *                                           (see registry/appt_csv.h), with the operator
 *                                           certificate of DIR
 *   kioskctl records list [--json] [--kiosk ID] [--office CODE] [--limit N] --registry URL --pki
 * DIR what the registry received (no personal data) kioskctl command send KIOSK CMD [TEXT]
 * --registry URL --pki DIR queues sync, lock, unlock or notice TEXT (an empty notice clears it) for
 * a kiosk kioskctl command list [--kiosk ID] --registry URL --pki DIR the commands and what the
 * kiosks answered
 *
 *   kioskctl receipt verify TOKEN (--state-dir DIR | --pub BASE64URL | --registry URL --pki DIR)
 *                                           checks a receipt QR's token against the kiosk's
 *                                           key (its state directory, the key itself, or the
 *                                           keys the registry keeps from heartbeats); prints
 *                                           what it says (exit 1: forged or unknown)
 *   kioskctl declaration print RECORD (--out FILE.pdf | --printer NAME) [--assets DIR]
 *            --registry URL --pki DIR       the clerk's pre-filled 申请结婚登记声明书 of a joint
 *                                           application, one page per party (PDF, or CUPS)
 *   kioskctl keys new DIR NAME              an Ed25519 key for signing releases and content
 *   kioskctl release|content build SRC --out DIR --version V --serial N --channel C
 *            --hardware H [--days D] --sign KEY...   a bundle: signed manifest.json + blobs/
 *   kioskctl release|content publish DIR [--rollout PERCENT] --registry URL --pki DIR
 *                                                    its blobs, then its manifest (to a share of
 *                                                    the channel's kiosks: a staged rollout)
 *   kioskctl release|content rollout SERIAL PERCENT --channel C --registry URL --pki DIR
 *                                                    widen (or stop, 0) a staged rollout
 *   kioskctl staff hash NUMBER < PIN        the [staff] line of the kiosk's configuration
 *                                           (PBKDF2-SHA256; the PIN is read from stdin)
 *
 * Exit 0 when all is well, 1 when the chain is broken, 2 for bad arguments, 3 when the store
 * cannot be opened. (release and content arrive with the update issue.) */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caltime.h"
#include "clock.h"
#include "crypto.h"
#include "crypto_pki.h"
#include "declaration.h"
#include "file.h"
#include "form.h"
#include "json.h"
#include "manifest.h"
#include "net.h"
#include "log.h"
#include "pin.h"
#include "receipt.h"
#include "store.h"

static int usage(void) {
    fprintf(
        stderr,
        "usage: kioskctl audit verify --state-dir DIR\n"
        "       kioskctl store stats --state-dir DIR\n"
        "       kioskctl pki init DIR\n"
        "       kioskctl pki enroll DIR --kiosk ID --office CODE --out DIR2 [--days N]\n"
        "       kioskctl pki verify CA.crt CERT.crt\n"
        "       kioskctl appointments import FILE --registry URL --pki DIR\n"
        "       kioskctl fleet [--json] --registry URL --pki DIR\n"
        "       kioskctl fleet updates [--kiosk ID] [--json] --registry URL --pki DIR\n"
        "       kioskctl records list [--json] [--kiosk ID] [--office CODE] [--limit N] "
        "--registry URL --pki DIR\n"
        "       kioskctl records status RECORD received|accepted|reviewing|completed|returned "
        "--registry URL --pki DIR\n"
        "       kioskctl command send KIOSK sync|lock|unlock|notice [TEXT] --registry URL "
        "--pki DIR\n"
        "       kioskctl command list [--kiosk ID] --registry URL --pki DIR\n"
        "       kioskctl enroll token KIOSK OFFICE [--hours N] --registry URL --pki DIR\n"
        "       kioskctl enroll kiosk --token T --ca CA.crt --out DIR --registry URL\n"
        "       kioskctl receipt verify TOKEN (--state-dir DIR | --pub BASE64URL | --registry "
        "URL --pki DIR)\n"
        "       kioskctl staff hash NUMBER < PIN\n"
        "       kioskctl keys new DIR NAME\n"
        "       kioskctl release|content build SRC --out DIR --version V --serial N --channel C "
        "--hardware H [--days D] --sign KEY...\n"
        "       kioskctl release|content publish DIR [--rollout PERCENT] --registry URL --pki DIR\n"
        "       kioskctl release|content rollout SERIAL PERCENT --channel C --registry URL --pki "
        "DIR\n"
        "       kioskctl declaration print RECORD (--out FILE.pdf | --printer NAME) "
        "[--assets DIR] --registry URL --pki DIR\n");
    return 2;
}

static int pki(int argc, char **argv) {
    char err[512];
    if (argc == 4 && !strcmp(argv[2], "init")) {
        if (pki_init(argv[3], err, sizeof err) != 0) {
            fprintf(stderr, "kioskctl: %s\n", err);
            return 1;
        }
        printf("PKI created in %s: ca.crt, registry.crt, operator.crt (keys 0600)\n", argv[3]);
        return 0;
    }
    if (argc == 5 && !strcmp(argv[2], "verify")) {
        char cn[128] = "", org[128] = "";
        if (pki_verify(argv[3], argv[4], cn, sizeof cn, org, sizeof org, err, sizeof err) != 0) {
            printf("refused: %s\n", err);
            return 1;
        }
        printf("ok: CN=%s O=%s\n", cn, org);
        return 0;
    }
    if (argc >= 4 && !strcmp(argv[2], "enroll")) {
        const char *id = NULL, *office = NULL, *out = NULL;
        int days = 825;
        for (int i = 4; i + 1 < argc; i += 2) {
            if (!strcmp(argv[i], "--kiosk"))
                id = argv[i + 1];
            else if (!strcmp(argv[i], "--office"))
                office = argv[i + 1];
            else if (!strcmp(argv[i], "--out"))
                out = argv[i + 1];
            else if (!strcmp(argv[i], "--days"))
                days = atoi(argv[i + 1]);
            else
                return usage();
        }
        if (!id || !office || !out || (argc - 4) % 2 || strlen(office) != 6 ||
            strspn(office, "0123456789") != 6 || !id[0] || strlen(id) > 64)
            return usage();
        if (pki_enroll(argv[3], id, office, out, days, err, sizeof err) != 0) {
            fprintf(stderr, "kioskctl: %s\n", err);
            return 1;
        }
        printf("kiosk %s of office %s enrolled: %s/kiosk.crt, kiosk.key (0600), ca.crt\n", id,
               office, out);
        return 0;
    }
    return usage();
}

/* The options of the admin calls: --registry URL --pki DIR and a few filters; what is not an
 * option is positional. */
struct admin_args {
    const char *registry, *pki, *kiosk, *office, *limit, *hours, *token, *ca, *out, *rollout,
        *channel;
    bool json;
    const char *pos[4];
    int npos;
};

static int admin_args(struct admin_args *o, int argc, char **argv, int first) {
    memset(o, 0, sizeof *o);
    for (int i = first; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--registry")  ? &o->registry
                            : !strcmp(argv[i], "--pki")     ? &o->pki
                            : !strcmp(argv[i], "--kiosk")   ? &o->kiosk
                            : !strcmp(argv[i], "--office")  ? &o->office
                            : !strcmp(argv[i], "--limit")   ? &o->limit
                            : !strcmp(argv[i], "--hours")   ? &o->hours
                            : !strcmp(argv[i], "--token")   ? &o->token
                            : !strcmp(argv[i], "--ca")      ? &o->ca
                            : !strcmp(argv[i], "--out")     ? &o->out
                            : !strcmp(argv[i], "--rollout") ? &o->rollout
                            : !strcmp(argv[i], "--channel") ? &o->channel
                                                            : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (!strcmp(argv[i], "--json"))
            o->json = true;
        else if (!strncmp(argv[i], "--", 2) || o->npos == 4)
            return -1;
        else
            o->pos[o->npos++] = argv[i];
    }
    return o->registry && (o->pki || o->token) ? 0 : -1;
}

/* One call of the registry's admin API with the operator certificate of pki_dir. The answer
 * goes to *answer (malloc'd) or, when answer is NULL, to stdout. body NULL: GET. */
static int admin_call(const struct admin_args *o, const char *api, const char *body,
                      const char *content_type, char **answer) {
    struct net n;
    net_init(&n, o->registry, NULL);
    net_tls_operator(&n.tls, o->pki);
    char url[1200];
    snprintf(url, sizeof url, "%s%s", o->registry, api);
    struct net_reply r;
    struct net_req q = {
        .url = url, .body = body, .content_type = content_type, .timeout_ms = 30000};
    int nrc = net_send(&n, &q, &r);
    if (nrc != NET_OK) {
        fprintf(stderr, "kioskctl: %s (%s)\n", net_strerror(nrc), r.detail);
        return 1;
    }
    int rc = r.status == 200 ? 0 : 1;
    if (rc != 0)
        fprintf(stderr, "kioskctl: the registry answered %ld: %s\n", r.status,
                r.body ? r.body : "");
    else if (answer)
        *answer = r.body ? strdup(r.body) : NULL;
    else
        printf("%s\n", r.body ? r.body : "");
    net_reply_free(&r);
    return rc;
}

/* A GET of the admin API parsed as JSON into *out (NULL when the answer is not JSON; the caller
 * deletes it). 0, or non-zero when the call failed (already said on stderr). */
static int admin_get(const struct admin_args *o, const char *api, cJSON **out) {
    char *answer = NULL;
    *out = NULL;
    int rc = admin_call(o, api, NULL, NULL, &answer);
    if (rc == 0)
        *out = cJSON_Parse(answer);
    free(answer);
    return rc;
}

static int appointments_import(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 1)
        return usage();
    FILE *f = fopen(o.pos[0], "rb");
    if (!f) {
        fprintf(stderr, "kioskctl: cannot read %s\n", o.pos[0]);
        return 1;
    }
    static char body[1 << 22];
    size_t n = fread(body, 1, sizeof body - 1, f);
    bool whole = feof(f);
    fclose(f);
    if (!whole) {
        fprintf(stderr, "kioskctl: %s is larger than 4 MiB; split it\n", o.pos[0]);
        return 1;
    }
    body[n] = 0;
    size_t len = strlen(o.pos[0]);
    bool csv = len > 4 && !strcasecmp(o.pos[0] + len - 4, ".csv");
    return admin_call(&o, "/v1/admin/appointments", body, csv ? "text/csv" : NULL, NULL);
}

/* Appends "&name=value" (URL-escaped) when value is set. */
static void add_param(char *q, size_t cap, const char *name, const char *value) {
    if (!value)
        return;
    size_t len = strlen(q);
    snprintf(q + len, cap - len, "%s%s=", strchr(q, '?') ? "&" : "?", name);
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        len = strlen(q);
        if (isalnum(*p) || strchr("-_.~", *p))
            snprintf(q + len, cap - len, "%c", *p);
        else
            snprintf(q + len, cap - len, "%%%02X", *p);
    }
}

/* A string of a JSON object, or "-". */
static const char *str_of(const cJSON *o, const char *key) {
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return v && v[0] ? v : "-";
}

/* kioskctl fleet [--json]: every kiosk's last heartbeat, as a table an operator reads at a
 * glance (--json: the registry's answer as it is). */
static int fleet(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 2) != 0 || o.npos != 0)
        return usage();
    if (o.json)
        return admin_call(&o, "/v1/admin/fleet", NULL, NULL, NULL);
    cJSON *root;
    if (admin_get(&o, "/v1/admin/fleet", &root) != 0)
        return 1;
    printf("%-16s %-6s %-8s %-8s %-10s %-10s %-7s %-27s %s\n", "kiosk", "office", "seen", "version",
           "release", "content", "backlog", "reader/printer/scanner", "update");
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItem(root, "kiosks")) {
        const cJSON *last = cJSON_GetObjectItem(k, "last"),
                    *dev = cJSON_GetObjectItem(last, "devices");
        double age = cJSON_GetNumberValue(cJSON_GetObjectItem(k, "age_s"));
        char seen[16], devices[64], update[160] = "-";
        snprintf(seen, sizeof seen,
                 age < 120    ? "%.0fs ago"
                 : age < 7200 ? "%.0fm ago"
                              : "%.0fh ago",
                 age < 120    ? age
                 : age < 7200 ? age / 60
                              : age / 3600);
        snprintf(devices, sizeof devices, "%s/%s/%s", str_of(dev, "reader"), str_of(dev, "printer"),
                 str_of(dev, "scanner"));
        /* the latest step of an update, else the last rollback */
        for (int i = 0; i < 2; i++) {
            const cJSON *p = cJSON_GetObjectItem(
                cJSON_GetObjectItem(last, i ? "content" : "release"), "progress");
            const char *step = cJSON_GetStringValue(cJSON_GetObjectItem(p, "step"));
            if (!step || !strcmp(step, "installed"))
                continue;
            double done = cJSON_GetNumberValue(cJSON_GetObjectItem(p, "done")),
                   total = cJSON_GetNumberValue(cJSON_GetObjectItem(p, "total"));
            snprintf(update, sizeof update, "%s %s %s", i ? "content" : "release",
                     str_of(p, "version"), step);
            if (!strcmp(step, "downloading") && total > 0)
                snprintf(update + strlen(update), sizeof update - strlen(update), " %.0f%%",
                         done * 100 / total);
            else if (strcmp(str_of(p, "detail"), "-"))
                snprintf(update + strlen(update), sizeof update - strlen(update), ": %s",
                         str_of(p, "detail"));
        }
        const cJSON *rb = cJSON_GetObjectItem(last, "rollback");
        if (!strcmp(update, "-") && rb)
            snprintf(update, sizeof update, "rolled back serial %.0f: %s",
                     cJSON_GetNumberValue(cJSON_GetObjectItem(rb, "serial")), str_of(rb, "reason"));
        printf("%-16s %-6s %-8s %-8s %-10s %-10s %-7.0f %-27s %s\n", str_of(k, "kiosk"),
               str_of(k, "office"), seen, str_of(last, "version"),
               str_of(cJSON_GetObjectItem(last, "release"), "version"),
               str_of(cJSON_GetObjectItem(last, "content"), "version"),
               cJSON_GetNumberValue(cJSON_GetObjectItem(last, "backlog")), devices, update);
    }
    cJSON_Delete(root);
    return 0;
}

/* kioskctl fleet updates [--kiosk ID] [--json]: the steps kiosks reported of their updates,
 * newest first, as a table (--json: the registry's answer). */
static int fleet_updates(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 0)
        return usage();
    char api[400] = "/v1/admin/update-events";
    add_param(api, sizeof api, "kiosk", o.kiosk);
    if (o.json)
        return admin_call(&o, api, NULL, NULL, NULL);
    cJSON *root;
    if (admin_get(&o, api, &root) != 0)
        return 1;
    printf("%-19s  %-16s %-8s %-8s %-9s %-12s %s\n", "time (kiosk's)", "kiosk", "type", "serial",
           "version", "step", "detail");
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(root, "events")) {
        char when[32];
        caltime_format(json_int(e, "at", 0, INT64_C(1) << 40, 0), "%Y-%m-%d %H:%M:%S", when,
                       sizeof when);
        printf("%-19s  %-16s %-8s %-8.0f %-9s %-12s %s\n", when, str_of(e, "kiosk"),
               str_of(e, "type"), cJSON_GetNumberValue(cJSON_GetObjectItem(e, "serial")),
               str_of(e, "version"), str_of(e, "step"), str_of(e, "detail"));
    }
    cJSON_Delete(root);
    return 0;
}

static int records_list(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 0)
        return usage();
    char api[600] = "/v1/admin/records";
    add_param(api, sizeof api, "kiosk", o.kiosk);
    add_param(api, sizeof api, "office", o.office);
    add_param(api, sizeof api, "limit", o.limit);
    if (o.json)
        return admin_call(&o, api, NULL, NULL, NULL);
    cJSON *root;
    if (admin_get(&o, api, &root) != 0)
        return 1;
    const cJSON *rec;
    printf("%-36s  %-11s  %-16s  %-6s  %s\n", "id", "kind", "kiosk", "office", "received");
    cJSON_ArrayForEach(rec, cJSON_GetObjectItem(root, "records")) {
        char when[32];
        caltime_format(json_int(rec, "received", 0, INT64_C(1) << 40, 0), "%Y-%m-%d %H:%M:%S",
                       when, sizeof when);
        printf("%-36s  %-11s  %-16s  %-6s  %s\n",
               cJSON_GetStringValue(cJSON_GetObjectItem(rec, "id")),
               cJSON_GetStringValue(cJSON_GetObjectItem(rec, "kind")),
               cJSON_GetStringValue(cJSON_GetObjectItem(rec, "kiosk")),
               cJSON_GetStringValue(cJSON_GetObjectItem(rec, "office")), when);
    }
    cJSON_Delete(root);
    return 0;
}

/* Operator: kioskctl enroll token KIOSK OFFICE [--hours N]; on the kiosk: kioskctl enroll
 * kiosk --token T --ca CA.crt --out DIR --registry URL (the enrollment listener). */
static int enroll(int argc, char **argv) {
    struct admin_args o;
    char err[300];
    if (admin_args(&o, argc, argv, 3) != 0)
        return usage();
    if (!strcmp(argv[2], "token") && o.npos == 2 && o.pki) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "kiosk", o.pos[0]);
        cJSON_AddStringToObject(c, "office", o.pos[1]);
        cJSON_AddNumberToObject(c, "hours", o.hours ? atoi(o.hours) : 24);
        char *body = cJSON_PrintUnformatted(c);
        cJSON_Delete(c);
        int rc = admin_call(&o, "/v1/admin/enroll-tokens", body, NULL, NULL);
        free(body);
        return rc;
    }
    if (strcmp(argv[2], "kiosk") != 0 || o.npos || !o.token || !o.ca || !o.out)
        return usage();
    char *csr = pki_csr_new(o.out, err, sizeof err);
    if (!csr) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return 1;
    }
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "token", o.token);
    cJSON_AddStringToObject(c, "csr", csr);
    free(csr);
    char *body = cJSON_PrintUnformatted(c);
    cJSON_Delete(c);
    struct net n;
    net_init(&n, o.registry, NULL);
    snprintf(n.tls.ca, sizeof n.tls.ca, "%s", o.ca);
    char detail[300];
    cJSON *a = NULL;
    int rc = body ? registry_call(&n, "/v1/enroll", body,
                                  &(struct registry_call_opts){.detail = detail,
                                                               .detailsize = sizeof detail},
                                  &a)
                  : NET_ERR_NOMEM;
    free(body);
    if (rc != NET_OK) {
        fprintf(stderr, "kioskctl: enrollment refused: %s (%s)\n", net_strerror(rc),
                body ? detail : "out of memory");
        return 1;
    }
    const char *cert = cJSON_GetStringValue(cJSON_GetObjectItem(a, "certificate"));
    const char *ca = cJSON_GetStringValue(cJSON_GetObjectItem(a, "ca"));
    const char *pin = cJSON_GetStringValue(cJSON_GetObjectItem(a, "pin"));
    rc = cert && ca && pin && pki_install(o.out, cert, ca, pin, err, sizeof err) == 0 ? 0 : 1;
    if (rc != 0)
        fprintf(stderr, "kioskctl: %s\n", cert && ca && pin ? err : "the answer is malformed");
    else
        printf("enrolled as kiosk %s of office %s: %s/kiosk.crt, kiosk.key (0600), ca.crt, "
               "registry.pin\n",
               cJSON_GetStringValue(cJSON_GetObjectItem(a, "kiosk")),
               cJSON_GetStringValue(cJSON_GetObjectItem(a, "office")), o.out);
    cJSON_Delete(a);
    return rc;
}

/* kioskctl receipt verify TOKEN (--state-dir DIR | --pub BASE64URL): offline, with the
 * kiosk's public key (its state directory holds the seed; --pub takes the key itself). */
/* The key of the kiosk that signed token, from the registry's list: 0, or -1. */
static int key_from_registry(const char *token, const struct admin_args *o, uint8_t pub[32]) {
    struct receipt r;
    cJSON *root = NULL;
    if (receipt_parse(token, &r) != RECEIPT_OK ||
        admin_get(o, "/v1/admin/receipt-keys", &root) != 0)
        return -1;
    const cJSON *k;
    int rc = -1;
    cJSON_ArrayForEach(k, cJSON_GetObjectItem(root, "keys")) {
        const char *b64 = cJSON_GetStringValue(cJSON_GetObjectItem(k, "key"));
        uint8_t cand[32], id[4];
        if (!b64 || crypto_b64url_decode(b64, cand, sizeof cand) != 32)
            continue;
        receipt_key_id(cand, id);
        if (!memcmp(id, r.key_id, 4)) {
            memcpy(pub, cand, 32);
            rc = 0;
            break;
        }
    }
    cJSON_Delete(root);
    return rc;
}

static int receipt_verify_cmd(int argc, char **argv) {
    if (argc < 6 || strcmp(argv[2], "verify") != 0)
        return usage();
    const char *token = argv[3];
    uint8_t pub[32];
    struct admin_args o;
    if (!strcmp(argv[4], "--registry")) {
        if (admin_args(&o, argc, argv, 4) != 0 || o.npos != 0 || !o.pki)
            return usage();
        if (key_from_registry(token, &o, pub) != 0) {
            printf("{\"valid\":false,\"reason\":\"no kiosk of the registry has this key\"}\n");
            return 1;
        }
    } else if (argc != 6) {
        return usage();
    } else if (!strcmp(argv[4], "--pub")) {
        if (crypto_b64url_decode(argv[5], pub, sizeof pub) != 32)
            return usage();
    } else if (!strcmp(argv[4], "--state-dir")) {
        struct store *s;
        uint8_t seed[32];
        if (store_open(&s, argv[5], clock_system()) != STORE_OK) {
            fprintf(stderr, "kioskctl: %s: the store cannot be opened\n", argv[5]);
            return 3;
        }
        int rc = store_signing_seed(s, seed) == STORE_OK ? crypto_ed25519_public(seed, pub) : -1;
        explicit_bzero(seed, sizeof seed);
        store_close(s);
        if (rc != 0) {
            fprintf(stderr, "kioskctl: no receipt key in %s\n", argv[5]);
            return 3;
        }
    } else {
        return usage();
    }
    struct receipt r;
    int rc = receipt_verify(token, pub, &r);
    if (rc != RECEIPT_OK) {
        printf("{\"valid\":false,\"reason\":\"%s\"}\n",
               rc == RECEIPT_MALFORMED ? "not a receipt token" : "the signature does not hold");
        return 1;
    }
    char when[32];
    caltime_format(r.time, "%Y-%m-%dT%H:%M:%S%z", when, sizeof when);
    printf("{\"valid\":true,\"kind\":\"%s\",\"office\":\"%s\",\"record\":\"%s\","
           "\"queue\":\"%s\",\"time\":\"%s\"}\n",
           r.kind == 'C' ? "checkin" : "application", r.office, r.record_id, r.queue, when);
    return 0;
}

/* kioskctl declaration print RECORD (--out FILE.pdf | --printer NAME) [--assets DIR]
 * --registry URL --pki DIR */
static int declaration_cmd(int argc, char **argv) {
    const char *out = NULL, *printer = NULL, *assets = "assets";
    char *rest[16];
    int n = 0;
    for (int i = 0; i < argc && n < 16; i++) {
        if (i >= 4 && i + 1 < argc && !strcmp(argv[i], "--printer"))
            printer = argv[++i];
        else if (i >= 4 && i + 1 < argc && !strcmp(argv[i], "--assets"))
            assets = argv[++i];
        else
            rest[n++] = argv[i];
    }
    struct admin_args o;
    if (n < 4 || strcmp(rest[2], "print") != 0 || admin_args(&o, n, rest, 3) != 0 || o.npos != 1 ||
        !o.pki)
        return usage();
    out = o.out;
    if (!out && !printer)
        return usage();
    char api[200], err[300], fp[700], cp[700];
    snprintf(api, sizeof api, "/v1/admin/records/%s", o.pos[0]);
    char *answer = NULL;
    if (admin_call(&o, api, NULL, NULL, &answer) != 0)
        return 1;
    snprintf(fp, sizeof fp, "%s/forms/joint.json", assets);
    snprintf(cp, sizeof cp, "%s/codes/codes.json", assets);
    char *fj = file_read(fp, 1 << 20, NULL), *cj = file_read(cp, 1 << 20, NULL);
    struct form *f = fj && cj ? form_load(fj, cj, err, sizeof err) : NULL;
    free(fj);
    free(cj);
    if (!f) {
        fprintf(stderr, "kioskctl: the form of %s cannot be read (--assets DIR)\n", assets);
        free(answer);
        return 1;
    }
    char tmp[] = "/tmp/declaration-XXXXXX.pdf";
    const char *pdf = out;
    if (!pdf) {
        int fd = mkstemps(tmp, 4);
        if (fd >= 0)
            close(fd);
        pdf = tmp;
    }
    int rc = declaration_pdf(answer, f, pdf, err, sizeof err);
    if (rc == 0 && printer)
        rc = declaration_cups(pdf, printer, err, sizeof err);
    if (!out)
        unlink(tmp);
    if (answer)
        explicit_bzero(answer, strlen(answer)); /* it held the couple's data */
    free(answer);
    form_free(f);
    if (rc != 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return 1;
    }
    printf("declaration of %s: %s\n", o.pos[0], printer ? printer : out);
    return 0;
}

/* kioskctl keys new DIR NAME: an Ed25519 signing key for releases and content (NAME.key,
 * 0600: the seed; NAME.pub: what kiosks put in their trust directory). */
static int keys_new(int argc, char **argv) {
    if (argc != 5 || strcmp(argv[2], "new") != 0)
        return usage();
    uint8_t seed[32], pub[32];
    char b64[64], path[1100];
    if (crypto_random(seed, sizeof seed) != 0 || crypto_ed25519_public(seed, pub) != 0)
        return 1;
    mkdir(argv[3], 0700);
    snprintf(path, sizeof path, "%s/%s.key", argv[3], argv[4]);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    crypto_b64url_encode(seed, sizeof seed, b64);
    explicit_bzero(seed, sizeof seed);
    bool ok = fd >= 0 && dprintf(fd, "%s\n", b64) > 0;
    explicit_bzero(b64, sizeof b64);
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "kioskctl: cannot create %s (it must not exist yet)\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s.pub", argv[3], argv[4]);
    FILE *f = fopen(path, "w");
    crypto_b64url_encode(pub, sizeof pub, b64);
    ok = f && fprintf(f, "%s\n", b64) > 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    char id[9];
    manifest_key_id(pub, id);
    printf("key %s: %s/%s.key (0600), %s.pub\n", id, argv[3], argv[4], argv[4]);
    return ok ? 0 : 1;
}

static int read_seed(const char *path, uint8_t seed[32]) {
    char *text = file_read(path, 256, NULL);
    int rc = -1;
    if (text) {
        text[strcspn(text, "\r\n")] = 0;
        rc = crypto_b64url_decode(text, seed, 32) == 32 ? 0 : -1;
        explicit_bzero(text, strlen(text));
        free(text);
    }
    return rc;
}

/* Adds the files under root/rel to the manifest's list and copies each to out/blobs/SHA256. */
static int add_tree(const char *root, const char *rel, const char *out, cJSON *files) {
    char dir[1100];
    snprintf(dir, sizeof dir, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[1100], path[2300];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(path, sizeof path, "%s/%s", root, sub);
        struct stat st;
        if (stat(path, &st) != 0) {
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = add_tree(root, sub, out, files);
        } else if (S_ISREG(st.st_mode)) {
            size_t len = 0;
            char *data = file_read(path, 256u << 20, &len);
            uint8_t md[32];
            char hex[65], blob[1200];
            if (!data || crypto_sha256(data, len, md) != 0) {
                free(data);
                rc = -1;
                break;
            }
            crypto_hex(md, sizeof md, hex);
            snprintf(blob, sizeof blob, "%s/blobs/%s", out, hex);
            FILE *f = fopen(blob, "wb");
            bool ok = f && fwrite(data, 1, len, f) == len;
            if (f)
                ok = fclose(f) == 0 && ok;
            free(data);
            if (!ok) {
                rc = -1;
                break;
            }
            cJSON *fo = cJSON_CreateObject();
            cJSON_AddStringToObject(fo, "path", sub);
            cJSON_AddStringToObject(fo, "sha256", hex);
            cJSON_AddNumberToObject(fo, "size", (double)len);
            cJSON_AddItemToArray(files, fo);
        }
    }
    closedir(d);
    return rc;
}

/* kioskctl release|content build SRC --out DIR --version V --serial N --channel C
 *     --hardware H [--days D] --sign KEY [--sign KEY ...]
 * DIR gets manifest.json (signed) and blobs/SHA256 for every file of SRC. */
static int bundle_build(int argc, char **argv) {
    const char *type = argv[1], *out = NULL, *version = NULL, *channel = NULL, *hw = NULL;
    long long serial = 0, days = 30;
    const char *keys[8];
    int nkeys = 0;
    if (argc < 4 || strcmp(argv[2], "build") != 0)
        return usage();
    for (int i = 4; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--out"))
            out = argv[i + 1];
        else if (!strcmp(argv[i], "--version"))
            version = argv[i + 1];
        else if (!strcmp(argv[i], "--serial"))
            serial = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--channel"))
            channel = argv[i + 1];
        else if (!strcmp(argv[i], "--hardware"))
            hw = argv[i + 1];
        else if (!strcmp(argv[i], "--days"))
            days = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--sign") && nkeys < 8)
            keys[nkeys++] = argv[i + 1];
        else
            return usage();
    }
    if (!out || !version || !channel || !hw || serial < 1 || !nkeys || (argc - 4) % 2)
        return usage();
    char blobs[1100];
    snprintf(blobs, sizeof blobs, "%s/blobs", out);
    mkdir(out, 0755);
    mkdir(blobs, 0755);
    cJSON *m = cJSON_CreateObject(), *files = cJSON_CreateArray();
    if (add_tree(argv[3], "", out, files) != 0 || cJSON_GetArraySize(files) == 0) {
        fprintf(stderr, "kioskctl: cannot read the files of %s\n", argv[3]);
        cJSON_Delete(files);
        cJSON_Delete(m);
        return 1;
    }
    cJSON_AddStringToObject(m, "type", type);
    cJSON_AddStringToObject(m, "version", version);
    cJSON_AddNumberToObject(m, "serial", (double)serial);
    cJSON_AddStringToObject(m, "channel", channel);
    cJSON_AddStringToObject(m, "hardware", hw);
    cJSON_AddNumberToObject(m, "expires", (double)(time(NULL) + days * 86400));
    cJSON_AddItemToObject(m, "files", files);
    char *json = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    for (int k = 0; k < nkeys && json; k++) {
        uint8_t seed[32];
        char *next = read_seed(keys[k], seed) == 0 ? manifest_sign(json, seed) : NULL;
        explicit_bzero(seed, sizeof seed);
        free(json);
        json = next;
        if (!json)
            fprintf(stderr, "kioskctl: cannot sign with %s\n", keys[k]);
    }
    if (!json)
        return 1;
    char path[1100];
    snprintf(path, sizeof path, "%s/manifest.json", out);
    FILE *f = fopen(path, "w");
    bool ok = f && fputs(json, f) >= 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    free(json);
    printf("%s %s (serial %lld) for %s/%s: %s\n", type, version, serial, channel, hw, path);
    return ok ? 0 : 1;
}

/* A whole number from min to max (min >= 0), or -1 when text is not one. */
static long number_in(const char *text, long min, long max) {
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    return end != text && !*end && !errno && v >= min && v <= max ? v : -1;
}

/* kioskctl release|content publish DIR --registry URL --pki DIR: every blob, then the
 * manifest (which the registry takes only once all its files are there). */
static int bundle_publish(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 1 || !o.pki)
        return usage();
    char manifests[80] = "/v1/admin/manifests";
    if (o.rollout) {
        long v = number_in(o.rollout, 0, 100);
        if (v < 0) {
            fprintf(stderr, "kioskctl: --rollout takes a share of the kiosks, 0 to 100\n");
            return 2;
        }
        snprintf(manifests, sizeof manifests, "/v1/admin/manifests?rollout=%ld", v);
    }
    char path[1100];
    snprintf(path, sizeof path, "%s/manifest.json", o.pos[0]);
    char *json = file_read(path, 4u << 20, NULL);
    cJSON *m = json ? cJSON_Parse(json) : NULL;
    const cJSON *f;
    int rc = m ? 0 : 1;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(m, "files")) {
        const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(f, "sha256"));
        char blob[1200], api[120];
        snprintf(blob, sizeof blob, "%s/blobs/%s", o.pos[0], sha ? sha : "-");
        size_t len = 0;
        char *data = sha ? file_read(blob, 64u << 20, &len) : NULL;
        struct net n;
        net_init(&n, o.registry, NULL);
        net_tls_operator(&n.tls, o.pki);
        snprintf(api, sizeof api, "%s/v1/admin/blobs/%s", o.registry, sha ? sha : "-");
        struct net_reply r = {0};
        struct net_req q = {.url = api,
                             .body = data ? data : "",
                             .body_len = len,
                             .method = "PUT",
                             .content_type = "application/octet-stream",
                             .timeout_ms = 120000};
        int nrc = data && len ? net_send(&n, &q, &r) : NET_OK;
        if (!data || !len || nrc != NET_OK || r.status != 200) {
            fprintf(stderr, "kioskctl: blob %s not uploaded: %s\n", sha ? sha : "?",
                    !data || !len ? "cannot read it"
                    : r.status    ? (r.body ? r.body : "")
                                  : net_strerror(nrc));
            rc = 1;
        }
        net_reply_free(&r);
        free(data);
        if (rc)
            break;
    }
    if (rc == 0)
        rc = admin_call(&o, manifests, json, NULL, NULL);
    cJSON_Delete(m);
    free(json);
    return rc;
}

/* kioskctl command send KIOSK CMD [TEXT] | command list [--kiosk K] */
static int command(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0)
        return usage();
    if (!strcmp(argv[2], "list") && o.npos == 0) {
        char api[300] = "/v1/admin/commands";
        add_param(api, sizeof api, "kiosk", o.kiosk);
        return admin_call(&o, api, NULL, NULL, NULL);
    }
    if (strcmp(argv[2], "send") != 0 || o.npos < 2 || o.npos > 3)
        return usage();
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "kiosk", o.pos[0]);
    cJSON_AddStringToObject(c, "command", o.pos[1]);
    cJSON_AddStringToObject(c, "arg", o.npos == 3 ? o.pos[2] : "");
    char *body = cJSON_PrintUnformatted(c);
    cJSON_Delete(c);
    int rc = admin_call(&o, "/v1/admin/commands", body, NULL, NULL);
    free(body);
    return rc;
}

int main(int argc, char **argv) {
    log_init("kioskctl", LOG_WARN);
    if (argc == 2 && !strcmp(argv[1], "--help")) {
        usage();
        return 0;
    }
    if (argc < 3)
        return usage();
    if (!strcmp(argv[1], "pki"))
        return pki(argc, argv);
    if (!strcmp(argv[1], "appointments") && !strcmp(argv[2], "import"))
        return appointments_import(argc, argv);
    if (!strcmp(argv[1], "fleet") && argc > 2 && !strcmp(argv[2], "updates"))
        return fleet_updates(argc, argv);
    if (!strcmp(argv[1], "fleet")) /* kioskctl fleet [--json] --registry URL --pki DIR */
        return fleet(argc, argv);
    if (!strcmp(argv[1], "records") && !strcmp(argv[2], "list"))
        return records_list(argc, argv);
    if (!strcmp(argv[1], "records") && !strcmp(argv[2], "status")) {
        struct admin_args o;
        if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 2)
            return usage();
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "id", o.pos[0]);
        cJSON_AddStringToObject(c, "status", o.pos[1]);
        char *body = cJSON_PrintUnformatted(c);
        cJSON_Delete(c);
        int rc = admin_call(&o, "/v1/admin/records/status", body, NULL, NULL);
        free(body);
        return rc;
    }
    if (!strcmp(argv[1], "command"))
        return command(argc, argv);
    if (!strcmp(argv[1], "enroll"))
        return enroll(argc, argv);
    if (!strcmp(argv[1], "receipt"))
        return receipt_verify_cmd(argc, argv);
    if (!strcmp(argv[1], "declaration"))
        return declaration_cmd(argc, argv);
    if (!strcmp(argv[1], "keys"))
        return keys_new(argc, argv);
    if ((!strcmp(argv[1], "release") || !strcmp(argv[1], "content")) && !strcmp(argv[2], "build"))
        return bundle_build(argc, argv);
    if ((!strcmp(argv[1], "release") || !strcmp(argv[1], "content")) && !strcmp(argv[2], "publish"))
        return bundle_publish(argc, argv);
    if ((!strcmp(argv[1], "release") || !strcmp(argv[1], "content")) &&
        !strcmp(argv[2], "rollout")) {
        /* kioskctl release|content rollout SERIAL PERCENT --channel C --registry URL --pki DIR */
        struct admin_args o;
        if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 2 || !o.channel || !o.pki)
            return usage();
        long serial = number_in(o.pos[0], 1, LONG_MAX), pc = number_in(o.pos[1], 0, 100);
        if (serial < 0 || pc < 0) {
            fprintf(stderr, "kioskctl: rollout takes a serial and a share of the kiosks (0-100)\n");
            return 2;
        }
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "type", argv[1]);
        cJSON_AddStringToObject(b, "channel", o.channel);
        cJSON_AddNumberToObject(b, "serial", (double)serial);
        cJSON_AddNumberToObject(b, "percent", (double)pc);
        char *body = cJSON_PrintUnformatted(b);
        cJSON_Delete(b);
        int rc = admin_call(&o, "/v1/admin/rollout", body, NULL, NULL);
        free(body);
        return rc;
    }
    if (!strcmp(argv[1], "staff") && !strcmp(argv[2], "hash") && argc == 4) {
        /* kioskctl staff hash NUMBER: the PIN from standard input (not the command line,
         * which other users can see) */
        char pin[64] = "", line[256];
        if (!fgets(pin, sizeof pin, stdin))
            return usage();
        pin[strcspn(pin, "\r\n")] = 0;
        size_t nl = strlen(argv[3]);
        int rc = nl >= 1 && nl <= 12 && strspn(argv[3], "0123456789") == nl
                     ? pin_hash(pin, PIN_ITERATIONS, line, sizeof line)
                     : -1;
        explicit_bzero(pin, sizeof pin);
        if (rc != 0) {
            fprintf(stderr, "kioskctl: the staff number must be 1-12 digits and the PIN 4-12 "
                            "digits\n");
            return 2;
        }
        printf("%s = %s\n", argv[3], line);
        return 0;
    }
    const char *state = NULL;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--state-dir") && i + 1 < argc)
            state = argv[++i];
        else
            return usage();
    }
    bool verify = !strcmp(argv[1], "audit") && !strcmp(argv[2], "verify");
    bool stats = !strcmp(argv[1], "store") && !strcmp(argv[2], "stats");
    if ((!verify && !stats) || !state)
        return usage();
    struct store *s;
    int rc = store_open(&s, state, clock_system());
    if (rc != STORE_OK) {
        fprintf(stderr, "kioskctl: %s: %s\n", state, store_strerror(rc));
        return 3;
    }
    int exit_code = 0;
    if (verify) {
        int64_t bad = 0;
        rc = store_audit_verify(s, &bad);
        if (rc != STORE_OK) {
            fprintf(stderr, "kioskctl: %s\n", store_strerror(rc));
            exit_code = 3;
        } else if (bad) {
            printf("audit chain broken at row %lld\n", (long long)bad);
            exit_code = 1;
        } else {
            printf("audit chain ok\n");
        }
    } else {
        char *json = NULL;
        rc = store_stats_json(s, &json);
        if (rc == STORE_OK)
            puts(json);
        else
            exit_code = 3;
        free(json);
    }
    store_close(s);
    return exit_code;
}
