/* kioskctl: the operator's tool (DESIGN.md §8). What exists so far:
 *
 *   kioskctl audit verify --state-dir DIR   checks the audit chain; names the first broken row
 *   kioskctl store stats --state-dir DIR    counts by table and sync state, as JSON
 *
 * Exit 0 when all is well, 1 when the chain is broken, 2 for bad arguments, 3 when the store
 * cannot be opened. (pki, enroll, release, content, receipt verify, appointments import,
 * fleet and command arrive with the registry and update issues.) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "store.h"

static int usage(void) {
    fprintf(stderr, "usage: kioskctl audit verify --state-dir DIR\n"
                    "       kioskctl store stats --state-dir DIR\n");
    return 2;
}

int main(int argc, char **argv) {
    log_init("kioskctl", LOG_WARN);
    if (argc == 2 && !strcmp(argv[1], "--help")) {
        usage();
        return 0;
    }
    if (argc < 3)
        return usage();
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
