/* enroll: kioskctl enroll token|kiosk (one-time tokens; the kiosk's key never leaves it). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto_pki.h"
#include "num.h"
#include "kioskctl.h"
#include "net.h"

/* Operator: kioskctl enroll token KIOSK OFFICE [--hours N]; on the kiosk: kioskctl enroll
 * kiosk --token T --ca CA.crt --out DIR --registry URL (the enrollment listener). */
int enroll(int argc, char **argv) {
    struct admin_args o;
    char err[300];
    if (admin_args(&o, argc, argv, 3) != 0)
        return cmd_usage();
    if (!strcmp(argv[2], "token") && o.npos == 2 && o.pki) {
        /* a token is good for 24 hours unless --hours says otherwise (it sent 0 without one,
         * which the registry refuses: found by the package test) */
        int64_t hours = 24;
        if (o.hours && num_i64(o.hours, 1, 24 * 14, &hours) != 0) {
            fprintf(stderr, "kioskctl: --hours takes 1 to 336\n");
            return 2;
        }
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "kiosk", o.pos[0]);
        cJSON_AddStringToObject(c, "office", o.pos[1]);
        cJSON_AddNumberToObject(c, "hours", (double)hours);
        return admin_post(&o, "/v1/admin/enroll-tokens", c);
    }
    if (strcmp(argv[2], "kiosk") != 0 || o.npos || !o.token || !o.ca || !o.out)
        return cmd_usage();
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
