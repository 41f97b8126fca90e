/* store: kioskctl audit verify and store stats, on a kiosk's state directory opened read-only:
 * a missing or empty directory is said so (exit 3) and nothing is created there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kioskctl.h"
#include "store.h"

int store_cmd(int argc, char **argv) {
    const char *state = NULL;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--state-dir") && i + 1 < argc)
            state = argv[++i];
        else
            return cmd_bad(argv[i], "is not an option of this command");
    }
    if (!state)
        return cmd_bad("--state-dir", "is needed");
    bool verify = !strcmp(argv[1], "audit");
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
