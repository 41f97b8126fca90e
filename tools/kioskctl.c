/* kioskctl: the operator's tool (DESIGN.md §8). What exists so far:
 *
 *   kioskctl audit verify --state-dir DIR   checks the audit chain; names the first broken row
 *   kioskctl store stats --state-dir DIR    counts by table and sync state, as JSON
 *   kioskctl pki init DIR                   a CA, the registry's and an operator's certificate
 *   kioskctl pki enroll DIR --kiosk ID --office CODE --out DIR2 [--days N]
 *                                           a kiosk's client certificate (key 0600) and the CA
 *   kioskctl pki verify CA.crt CERT.crt     chain and dates; prints the kiosk id and office
 *   kioskctl fleet --registry URL --pki DIR   every kiosk's last heartbeat
 *   kioskctl appointments import FILE --registry URL --pki DIR
 *                                           sends {"appointments":[...]} with the operator
 *                                           certificate of DIR
 *
 * Exit 0 when all is well, 1 when the chain is broken, 2 for bad arguments, 3 when the store
 * cannot be opened. (pki, enroll, release, content, receipt verify, appointments import,
 * fleet and command arrive with the registry and update issues.) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "crypto_pki.h"
#include "log.h"
#include "http.h"
#include "store.h"

static int usage(void) {
    fprintf(stderr,
            "usage: kioskctl audit verify --state-dir DIR\n"
            "       kioskctl store stats --state-dir DIR\n"
            "       kioskctl pki init DIR\n"
            "       kioskctl pki enroll DIR --kiosk ID --office CODE --out DIR2 [--days N]\n"
            "       kioskctl pki verify CA.crt CERT.crt\n"
            "       kioskctl appointments import FILE --registry URL --pki DIR\n"
            "       kioskctl fleet --registry URL --pki DIR\n");
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

/* One call of the registry's admin API with the operator certificate of pki_dir; prints the
 * answer. body NULL: GET. */
static int admin_call(const char *registry, const char *pki_dir, const char *api,
                      const char *body) {
    struct http_tls tls;
    snprintf(tls.cert, sizeof tls.cert, "%s/operator.crt", pki_dir);
    snprintf(tls.key, sizeof tls.key, "%s/operator.key", pki_dir);
    snprintf(tls.ca, sizeof tls.ca, "%s/ca.crt", pki_dir);
    tls.pin[0] = 0;
    char url[600];
    snprintf(url, sizeof url, "%s%s", registry, api);
    struct http_reply r;
    if (http_request(&tls, url, body, 30000, &r) != 0) {
        fprintf(stderr, "kioskctl: %s\n", r.error);
        return 1;
    }
    printf("%s\n", r.body ? r.body : "");
    int rc = r.status == 200 ? 0 : 1;
    http_reply_free(&r);
    return rc;
}

static int appointments_import(int argc, char **argv) {
    if (argc != 8 || strcmp(argv[4], "--registry") || strcmp(argv[6], "--pki"))
        return usage();
    FILE *f = fopen(argv[3], "rb");
    if (!f) {
        fprintf(stderr, "kioskctl: cannot read %s\n", argv[3]);
        return 1;
    }
    static char body[1 << 22];
    size_t n = fread(body, 1, sizeof body - 1, f);
    fclose(f);
    body[n] = 0;
    return admin_call(argv[5], argv[7], "/v1/admin/appointments", body);
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
    if (!strcmp(argv[1], "fleet")) { /* kioskctl fleet --registry URL --pki DIR */
        if (argc != 6 || strcmp(argv[2], "--registry") || strcmp(argv[4], "--pki"))
            return usage();
        return admin_call(argv[3], argv[5], "/v1/admin/fleet", NULL);
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
