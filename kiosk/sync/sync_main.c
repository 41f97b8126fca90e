/* kiosk-sync: drains a kiosk's outbox to the registry once, and says what happened. For
 * tests, benchmarks and staff; the kiosk runs the same code in its sync thread.
 *
 *   kiosk-sync --state-dir DIR --registry https://HOST:PORT --tls DIR [--batch N]
 *
 * TLS DIR holds kiosk.crt, kiosk.key and ca.crt (kioskctl pki enroll). Prints the counts as
 * JSON, with what is left in the outbox and how much of it is set aside for staff. Exit 0 when
 * the outbox is empty, 4 when records are left in it (set aside for staff, or due later), 1
 * when the registry could not be reached (nothing was lost: the records wait), 2 for bad
 * arguments, 3 when the store failed (a lost or wrong key, a lost store: said which). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "crypto_pki.h"
#include "log.h"
#include "num.h"
#include "sync.h"

int main(int argc, char **argv) {
    log_init("kiosk-sync", LOG_WARN);
    static const struct option opts[] = {{"state-dir", required_argument, 0, 's'},
                                         {"registry", required_argument, 0, 'r'},
                                         {"tls", required_argument, 0, 't'},
                                         {"batch", required_argument, 0, 'b'},
                                         {"renew-days", required_argument, 0, 'R'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *state = NULL, *registry = NULL, *tls_dir = NULL;
    int batch = 200, renew_days = SYNC_RENEW_DAYS, c;
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
            if (num_int(optarg, 1, 200, &batch) != 0) {
                fprintf(stderr, "kiosk-sync: --batch takes a whole number from 1 to 200 (what "
                                "the registry takes in one request)\n");
                return 2;
            }
            break;
        case 'R':
            if (num_int(optarg, 0, 3650, &renew_days) != 0) {
                fprintf(stderr, "kiosk-sync: --renew-days takes 0 to 3650\n");
                return 2;
            }
            break;
        case 'h':
            printf("usage: kiosk-sync --state-dir DIR --registry URL --tls DIR [--batch N] "
                   "[--renew-days N]\n");
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
    net_global_init();
    struct store *s;
    int rc = store_open(&s, state, clock_system());
    if (rc != STORE_OK) {
        fprintf(stderr, "kiosk-sync: %s: %s\n", state, store_strerror(rc));
        net_global_cleanup();
        return 3;
    }
    struct net n;
    net_init(&n, registry, tls_dir);
    char cn[80] = "", org[16] = "";
    if (pki_cert_names(n.tls.cert, cn, sizeof cn, org, sizeof org) == 0)
        log_set_identity(cn, org); /* the journal's KIOSK_ID and OFFICE */
    struct sync_stats st;
    memset(&st, 0, sizeof st);
    rc = sync_ping(s, &n); /* a restored registry: what it may lack goes again */
    if (rc == 0)
        rc = sync_drain(s, &n, batch, &st);
    int pulled = rc == 0 ? sync_pull_appointments(s, &n) : 0;
    if (pulled < 0)
        rc = pulled;
    if (rc == 0)
        rc = sync_heartbeat(s, &n, KIOSK_VERSION, "", NULL);
    if (rc == 0) /* the certificate renewed when it ends within renew_days */
        rc = sync_renew(&n, renew_days);
    /* what is still in the outbox: never "drained" with records left */
    int left = 0, held = 0;
    if (store_outbox_count(s, &left) != STORE_OK || store_outbox_held(s, &held) != STORE_OK)
        left = held = -1;
    printf("{\"sent\":%d,\"accepted\":%d,\"duplicate\":%d,\"rejected\":%d,\"errors\":%d,"
           "\"appointments\":%d,\"left\":%d,\"set_aside\":%d}\n",
           st.sent, st.accepted, st.duplicate, st.rejected, st.errors, pulled > 0 ? pulled : 0,
           left, held);
    store_close(s);
    if (rc == 0 && left != 0) {
        net_global_cleanup();
        fprintf(stderr, "kiosk-sync: %d record(s) are still in the outbox (%d set aside for "
                "staff, the rest due later)\n", left, held);
        return 4;
    }
    net_global_cleanup();
    switch (sync_layer_of(rc)) {
    case SYNC_LAYER_NONE:
        return 0;
    case SYNC_LAYER_NET:
        fprintf(stderr, "kiosk-sync: the registry could not be reached (nothing was lost): %s\n",
                net_strerror(rc));
        return 1;
    case SYNC_LAYER_SYNC:
        fprintf(stderr, "kiosk-sync: the registry answered badly (nothing was lost): %s\n",
                sync_strerror(rc));
        return 1;
    case SYNC_LAYER_STORE:
        break;
    }
    fprintf(stderr, "kiosk-sync: the local store failed: %s\n", store_strerror(rc));
    return 3;
}
