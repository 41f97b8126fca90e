/* receipt: kioskctl receipt verify (the signed QR token, offline or with the registry's keys). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "clock.h"
#include "crypto.h"
#include "json.h"
#include "kioskctl.h"
#include "receipt.h"
#include "store.h"

/* kioskctl receipt verify TOKEN (--state-dir DIR | --pub BASE64URL): offline, with the
 * kiosk's public key (its state directory holds the seed; --pub takes the key itself). */
/* The key of the kiosk that signed token, from the registry's list, with that kiosk's id and
 * office: 0, or -1. */
static int key_from_registry(const char *token, const struct admin_args *o, uint8_t pub[32],
                             char *kiosk, size_t kcap, char *office, size_t ocap) {
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
            snprintf(kiosk, kcap, "%s", json_str_or(k, "kiosk", ""));
            snprintf(office, ocap, "%s", json_str_or(k, "office", ""));
            rc = 0;
            break;
        }
    }
    cJSON_Delete(root);
    return rc;
}

int receipt_verify_cmd(int argc, char **argv) {
    if (argc < 6 || strcmp(argv[2], "verify") != 0)
        return cmd_usage();
    const char *token = argv[3];
    uint8_t pub[32];
    struct admin_args o;
    char signer[128] = "", signer_office[32] = "";
    bool bound = false; /* the signer is known: the receipt must name it and its office */
    if (!strcmp(argv[4], "--registry")) {
        if (admin_args(&o, argc, argv, 4) != 0 || o.npos != 0 || !o.pki)
            return cmd_usage();
        bound = true;
        if (key_from_registry(token, &o, pub, signer, sizeof signer, signer_office,
                              sizeof signer_office) != 0) {
            printf("{\"valid\":false,\"reason\":\"no kiosk of the registry has this key\"}\n");
            return 1;
        }
    } else if (argc != 6) {
        return cmd_usage();
    } else if (!strcmp(argv[4], "--pub")) {
        if (crypto_b64url_decode(argv[5], pub, sizeof pub) != 32)
            return cmd_usage();
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
        return cmd_usage();
    }
    struct receipt r;
    int rc = receipt_verify(token, pub, &r);
    if (rc == RECEIPT_OK && bound)
        rc = receipt_bound(&r, signer, signer_office);
    if (rc != RECEIPT_OK) {
        cJSON *no = cJSON_CreateObject();
        cJSON_AddFalseToObject(no, "valid");
        cJSON_AddStringToObject(no, "reason", receipt_strerror(rc));
        if (signer[0] && rc != RECEIPT_BAD_SIGNATURE) {
            cJSON_AddStringToObject(no, "signer", signer);
            cJSON_AddStringToObject(no, "signer_office", signer_office);
        }
        print_json(no);
        return 1;
    }
    char when[32];
    caltime_format(r.time, "%Y-%m-%dT%H:%M:%S%z", when, sizeof when);
    cJSON *ok = cJSON_CreateObject();
    cJSON_AddTrueToObject(ok, "valid");
    cJSON_AddStringToObject(ok, "kind", r.kind == 'C' ? "checkin" : "application");
    cJSON_AddStringToObject(ok, "office", r.office);
    cJSON_AddStringToObject(ok, "record", r.record_id);
    cJSON_AddStringToObject(ok, "queue", r.queue);
    cJSON_AddStringToObject(ok, "time", when);
    /* the kiosk the receipt names; with the registry, the kiosk whose key signed it (the same) */
    cJSON_AddStringToObject(ok, "kiosk", r.kiosk);
    if (bound)
        cJSON_AddStringToObject(ok, "signer", signer);
    print_json(ok);
    return 0;
}
