/* store: kioskctl audit verify and store stats, on a kiosk's state directory opened read-only:
 * a missing or empty directory is said so (exit 3) and nothing is created there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdbool.h>

#include "clock.h"
#include "crypto.h"
#include "json.h"
#include "kioskctl.h"
#include "store.h"

/* The registry's anchors of kiosk against the local chain: 0 when each is there with its hash,
 * 1 (said) when one is gone or changed, -1 when the registry cannot be asked. */
static int against_anchors(struct store *s, const struct admin_args *o, const char *kiosk) {
    char api[200] = "/v1/admin/audit-anchors";
    add_param(api, sizeof api, "kiosk", kiosk);
    cJSON *root = NULL;
    if (admin_get(o, api, &root) != 0)
        return -1;
    int rc = 0, n = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(root, "anchors")) {
        int64_t seq = json_int(a, "seq", 1, INT64_C(1) << 53, 0);
        const char *want = json_str(a, "hash");
        uint8_t h[32];
        char hex[65];
        if (seq <= 0 || !want)
            continue;
        n++;
        if (store_audit_hash_at(s, seq, h) != STORE_OK) {
            printf("audit chain truncated: row %lld, anchored at the registry, is gone\n",
                   (long long)seq);
            rc = 1;
            break;
        }
        crypto_hex(h, sizeof h, hex);
        if (strcmp(hex, want) != 0) {
            printf("audit chain rewritten: row %lld differs from its anchor at the registry\n",
                   (long long)seq);
            rc = 1;
            break;
        }
    }
    cJSON_Delete(root);
    if (rc == 0)
        printf("audit chain matches the registry's %d anchors\n", n);
    return rc;
}

int store_cmd(int argc, char **argv) {
    const char *state = NULL, *kiosk = NULL;
    bool verify = !strcmp(argv[1], "audit");
    struct admin_args o;
    bool with_registry = false;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--state-dir") && i + 1 < argc)
            state = argv[++i];
        else if (verify && !strcmp(argv[i], "--kiosk") && i + 1 < argc)
            kiosk = argv[++i];
        else if (verify && !strcmp(argv[i], "--registry"))
            with_registry = true, i++;
        else if (verify && !strcmp(argv[i], "--pki"))
            i++;
        else
            return cmd_bad(argv[i], "is not an option of this command");
    }
    if (!state)
        return cmd_bad("--state-dir", "is needed");
    if (with_registry) {
        /* admin_args reads --registry and --pki; the rest is ours */
        char *av[16];
        int ac = 0;
        for (int i = 0; i < argc && ac < 16; i++)
            if ((strcmp(argv[i], "--state-dir") && strcmp(argv[i], "--kiosk")) || i < 3)
                av[ac++] = argv[i];
            else
                i++;
        if (admin_args(&o, ac, av, 3) != 0 || !o.pki || !kiosk)
            return cmd_bad("--registry URL --pki DIR --kiosk ID", "go together");
    }
    struct store *s;
    int rc = store_open_readonly(&s, state, clock_system());
    if (rc != STORE_OK) {
        fprintf(stderr, "kioskctl: %s: %s\n", state,
                rc == STORE_ERR_NOT_FOUND ? "no kiosk store there (nothing was created)"
                                          : store_strerror(rc));
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
            /* a truncated or rewritten chain verifies alone: the registry's anchors tell */
            int ar = with_registry ? against_anchors(s, &o, kiosk) : 0;
            exit_code = ar > 0 ? 1 : ar < 0 ? 3 : 0;
        }
    } else {
        char *json = NULL;
        rc = store_stats_json(s, &json);
        if (rc == STORE_OK)
            puts(json);
        else {
            fprintf(stderr, "kioskctl: %s\n", store_strerror(rc));
            exit_code = 3;
        }
        free(json);
    }
    store_close(s);
    return exit_code;
}
