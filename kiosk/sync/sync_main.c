/* kiosk-sync: drains a kiosk's outbox to the registry once, and says what happened. For
 * tests, benchmarks and staff; the kiosk runs the same code in its sync thread.
 *
 *   kiosk-sync --state-dir DIR --registry https://HOST:PORT --tls DIR [--batch N]
 *
 * TLS DIR holds kiosk.crt, kiosk.key and ca.crt (kioskctl pki enroll). Prints the counts as
 * JSON. Exit 0 when the outbox holds nothing due, 1 when the registry could not be reached
 * (nothing was lost: the records wait), 2 for bad arguments, 3 when the store failed. */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "log.h"
#include "sync.h"

int main(int argc, char **argv) {
    log_init("kiosk-sync", LOG_WARN);
    static const struct option opts[] = {{"state-dir", required_argument, 0, 's'},
                                         {"registry", required_argument, 0, 'r'},
                                         {"tls", required_argument, 0, 't'},
                                         {"batch", required_argument, 0, 'b'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *state = NULL, *registry = NULL, *tls_dir = NULL;
    int batch = 200, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            state = optarg;
            break;
        case 'r':
            registry = optarg;
            break;
        case 't':
            tls_dir = optarg;
            break;
        case 'b':
            batch = atoi(optarg);
            break;
        case 'h':
            printf("usage: kiosk-sync --state-dir DIR --registry URL --tls DIR [--batch N]\n");
            return 0;
        default:
            fprintf(stderr, "kiosk-sync: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    if (!state || !registry || !tls_dir) {
        fprintf(stderr, "kiosk-sync: --state-dir, --registry and --tls are required\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct store *s;
    int rc = store_open(&s, state, clock_system());
    if (rc != STORE_OK) {
        fprintf(stderr, "kiosk-sync: %s: %s\n", state, store_strerror(rc));
        return 3;
    }
    struct http_tls tls;
    http_tls_from_dir(&tls, tls_dir);
    struct sync_stats st;
    char error[300] = "";
    rc = sync_drain(s, &tls, registry, batch, &st, error, sizeof error);
    int pulled = rc == 0 ? sync_pull_appointments(s, &tls, registry, error, sizeof error) : 0;
    if (pulled < 0)
        rc = pulled;
    if (rc == 0 && sync_heartbeat(s, &tls, registry, KIOSK_VERSION, "", error, sizeof error) != 0)
        rc = -1;
    printf("{\"sent\":%d,\"accepted\":%d,\"duplicate\":%d,\"rejected\":%d,\"errors\":%d,"
           "\"appointments\":%d}\n",
           st.sent, st.accepted, st.duplicate, st.rejected, st.errors, pulled > 0 ? pulled : 0);
    store_close(s);
    curl_global_cleanup();
    if (rc == -1) {
        fprintf(stderr, "kiosk-sync: the registry could not be reached: %s\n", error);
        return 1;
    }
    return rc == 0 ? 0 : 3;
}
