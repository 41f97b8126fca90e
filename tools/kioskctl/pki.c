/* pki: kioskctl pki init|enroll|verify (common/crypto_pki). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto_pki.h"
#include "kioskctl.h"
#include "num.h"
#include "file.h"
#include <sys/stat.h>

static bool office_code(const char *o) {
    return o && strlen(o) == 6 && strspn(o, "0123456789") == 6;
}

/* kioskctl pki sign CA_DIR CSR (--operator NAME (--office C | --province) | --kiosk ID
 * --office C) --out DIR: at the CA (an offline one), a certificate for a CSR made elsewhere. */
static int pki_sign_cmd(int argc, char **argv) {
    const char *op = NULL, *kiosk = NULL, *office = NULL, *out = NULL;
    bool province = false;
    for (int i = 5; i < argc; i++) {
        if (!strcmp(argv[i], "--province"))
            province = true;
        else if (i + 1 < argc && !strcmp(argv[i], "--operator"))
            op = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--kiosk"))
            kiosk = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--office"))
            office = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--out"))
            out = argv[++i];
        else
            return cmd_bad(argv[i], "is not an option of pki sign");
    }
    const char *cn = op ? op : kiosk;
    if (!out || !cn || !cn[0] || strlen(cn) > 64 || (op && kiosk) ||
        (kiosk && (province || !office_code(office))) ||
        (op && province == (office != NULL)) || (office && !office_code(office)))
        return cmd_usage();
    char err[300];
    char *csr = file_read(argv[4], 64 << 10, NULL);
    char *cert = csr ? pki_sign_csr_as(argv[3], csr, op ? "operator" : "kiosk", cn,
                                       office ? office : "province", 825, err, sizeof err)
                     : NULL;
    free(csr);
    if (!cert) {
        fprintf(stderr, "kioskctl: %s\n", csr ? err : "cannot read the CSR");
        return 1;
    }
    char path[1024], ca[1024];
    snprintf(path, sizeof path, "%s/%s.crt", out, op ? "operator" : "kiosk");
    snprintf(ca, sizeof ca, "%s/ca.crt", argv[3]);
    char *ca_pem = file_read(ca, 64 << 10, NULL);
    mkdir(out, 0700);
    int rc = ca_pem && file_replace(path, cert) == 0 ? 0 : 1;
    snprintf(path, sizeof path, "%s/ca.crt", out);
    if (rc == 0 && file_replace(path, ca_pem) != 0)
        rc = 1;
    free(cert);
    free(ca_pem);
    if (rc)
        fprintf(stderr, "kioskctl: cannot write the certificate in %s\n", out);
    else
        printf("%s %s of %s signed: %s/%s.crt and ca.crt (put them beside its key)\n",
               op ? "operator" : "kiosk", cn, office ? office : "the province", out,
               op ? "operator" : "kiosk");
    return rc;
}

/* kioskctl pki revoke (--kiosk ID | --cert FILE | --serial HEX) [--reason R] --registry URL
 * --pki DIR: refused at the handshake within REVOCATIONS_RELOAD_S of every registryd. */
static int pki_revoke_cmd(int argc, char **argv) {
    const char *cert = NULL, *serial = NULL;
    char *rest[32];
    int n = 0;
    for (int i = 0; i < argc && n < 31; i++) {
        if (i >= 3 && i + 1 < argc && !strcmp(argv[i], "--cert"))
            cert = argv[++i];
        else if (i >= 3 && i + 1 < argc && !strcmp(argv[i], "--serial"))
            serial = argv[++i];
        else
            rest[n++] = argv[i];
    }
    struct admin_args o;
    if (admin_args(&o, n, rest, 3) != 0)
        return 2;
    char hex[80];
    if (cert) {
        if (pki_cert_serial(cert, hex, sizeof hex) != 0)
            return cmd_bad(cert, "is not a certificate that can be read");
        serial = hex;
    }
    if (o.npos || (!o.kiosk + !serial) != 1)
        return cmd_usage();
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, o.kiosk ? "kiosk" : "serial", o.kiosk ? o.kiosk : serial);
    if (o.reason)
        cJSON_AddStringToObject(b, "reason", o.reason);
    return admin_post(&o, "/v1/admin/revocations", b);
}

int pki(int argc, char **argv) {
    char err[512];
    if ((argc == 4 || (argc == 6 && !strcmp(argv[4], "--names"))) && !strcmp(argv[2], "init")) {
        if (pki_init(argv[3], argc == 6 ? argv[5] : NULL, err, sizeof err) != 0) {
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
            else if (!strcmp(argv[i], "--days")) {
                if (num_int(argv[i + 1], -3650, 3650, &days) != 0)
                    return cmd_bad(argv[i + 1], "--days takes a whole number of days");
            } else
                return cmd_bad(argv[i], "is not an option of pki enroll");
        }
        if (!id || !office || !out || (argc - 4) % 2 || strlen(office) != 6 ||
            strspn(office, "0123456789") != 6 || !id[0] || strlen(id) > 64)
            return cmd_usage();
        if (pki_enroll(argv[3], id, office, out, days, err, sizeof err) != 0) {
            fprintf(stderr, "kioskctl: %s\n", err);
            return 1;
        }
        printf("kiosk %s of office %s enrolled: %s/kiosk.crt, kiosk.key (0600), ca.crt\n", id,
               office, out);
        return 0;
    }
    if (argc >= 4 && !strcmp(argv[2], "operator")) {
        const char *name = NULL, *office = NULL, *out = NULL;
        bool province = false;
        for (int i = 4; i < argc; i++) {
            if (!strcmp(argv[i], "--province"))
                province = true;
            else if (i + 1 < argc && !strcmp(argv[i], "--name"))
                name = argv[++i];
            else if (i + 1 < argc && !strcmp(argv[i], "--office"))
                office = argv[++i];
            else if (i + 1 < argc && !strcmp(argv[i], "--out"))
                out = argv[++i];
            else
                return cmd_bad(argv[i], "is not an option of pki operator");
        }
        if (!name || !name[0] || strlen(name) > 64 || !out || province == (office != NULL) ||
            (office && (strlen(office) != 6 || strspn(office, "0123456789") != 6)))
            return cmd_usage();
        if (pki_operator(argv[3], name, office, out, 825, err, sizeof err) != 0) {
            fprintf(stderr, "kioskctl: %s\n", err);
            return 1;
        }
        printf("operator %s of %s%s: %s/operator.crt, operator.key (0600), ca.crt\n", name,
               office ? "office " : "the province", office ? office : "", out);
        return 0;
    }
    if (argc == 10 && !strcmp(argv[2], "workstation") && !strcmp(argv[4], "--name") &&
        !strcmp(argv[6], "--office") && !strcmp(argv[8], "--out")) {
        if (!argv[5][0] || strlen(argv[5]) > 64 || !office_code(argv[7]))
            return cmd_usage();
        if (pki_workstation(argv[3], argv[5], argv[7], argv[9], 825, err, sizeof err) != 0) {
            fprintf(stderr, "kioskctl: %s\n", err);
            return 1;
        }
        printf("workstation %s of office %s: %s/workstation.p12 for its browser (import it "
               "there), workstation.crt and .key (0600), ca.crt\n", argv[5], argv[7], argv[9]);
        return 0;
    }
    if (argc >= 4 && !strcmp(argv[2], "revoke"))
        return pki_revoke_cmd(argc, argv);
    if ((argc == 4 || (argc == 6 && !strcmp(argv[4], "--names"))) && !strcmp(argv[2], "next-key")) {
        if (pki_next_key(argv[3], argc == 6 ? argv[5] : NULL, err, sizeof err) != 0) {
            fprintf(stderr, "kioskctl: %s\n", err);
            return 1;
        }
        printf("the registry's next key is in %s/registry-next.key and .crt: restart registryd, "
               "which hands its pin to the kiosks with the current one; once every kiosk has "
               "synced (kioskctl fleet), kioskctl pki rotate %s and restart registryd again\n",
               argv[3], argv[3]);
        return 0;
    }
    if (argc == 4 && !strcmp(argv[2], "rotate")) {
        if (pki_rotate(argv[3], err, sizeof err) != 0) {
            fprintf(stderr, "kioskctl: %s\n", err);
            return 1;
        }
        printf("the next key is now the registry's (the old one is registry-old.*): restart "
               "registryd\n");
        return 0;
    }
    if (argc == 5 && !strcmp(argv[2], "request") &&
        (!strcmp(argv[4], "--operator") || !strcmp(argv[4], "--kiosk"))) {
        /* offline CA: the key made here, only the CSR goes to the CA's machine */
        bool op = !strcmp(argv[4], "--operator");
        char *csr = pki_csr_new_key(argv[3], op ? "operator.key" : "kiosk.key", err, sizeof err);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.csr", argv[3], op ? "operator" : "kiosk");
        FILE *f = csr ? fopen(path, "w") : NULL;
        bool ok = f && fputs(csr, f) >= 0;
        if (f && fclose(f) != 0)
            ok = false;
        free(csr);
        if (!ok) {
            fprintf(stderr, "kioskctl: %s\n", csr ? "cannot write the CSR" : err);
            return 1;
        }
        printf("%s/%s.key (0600, stays here) and %s: take the CSR to the CA (kioskctl pki sign)\n",
               argv[3], op ? "operator" : "kiosk", path);
        return 0;
    }
    if (argc >= 5 && !strcmp(argv[2], "sign"))
        return pki_sign_cmd(argc, argv);
    return cmd_usage();
}
