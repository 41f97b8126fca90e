/* receipt: kioskctl receipt verify (the signed QR token, offline or with the registry's keys). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "clock.h"
#include "crypto.h"
#include "kioskctl.h"
#include "receipt.h"
#include "store.h"

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

int receipt_verify_cmd(int argc, char **argv) {
    if (argc < 6 || strcmp(argv[2], "verify") != 0)
        return cmd_usage();
    const char *token = argv[3];
    uint8_t pub[32];
    struct admin_args o;
    if (!strcmp(argv[4], "--registry")) {
        if (admin_args(&o, argc, argv, 4) != 0 || o.npos != 0 || !o.pki)
            return cmd_usage();
        if (key_from_registry(token, &o, pub) != 0) {
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
