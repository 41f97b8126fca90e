/* pki: kioskctl pki init|enroll|verify (common/crypto_pki). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto_pki.h"
#include "kioskctl.h"
#include "num.h"

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
    return cmd_usage();
}
