/* kiosk-update: one update check and install, as the kiosk's agent does it (for operators and
 * tests):
 *
 *   kiosk-update --state-dir DIR --registry URL --tls DIR --trust DIR [--threshold N]
 *                --type release|content --channel C --hardware H
 *
 * Exit 0 installed, 1 nothing newer, 2 bad arguments, 3 rejected (why on stderr), 4 failed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "content.h"
#include "log.h"
#include "num.h"

int main(int argc, char **argv) {
    log_init("kiosk-update", LOG_INFO);
    static const struct option opts[] = {{"state-dir", required_argument, 0, 's'},
                                         {"registry", required_argument, 0, 'r'},
                                         {"tls", required_argument, 0, 'l'},
                                         {"trust", required_argument, 0, 't'},
                                         {"threshold", required_argument, 0, 'n'},
                                         {"type", required_argument, 0, 'y'},
                                         {"channel", required_argument, 0, 'c'},
                                         {"hardware", required_argument, 0, 'w'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    struct update_cfg c = {0};
    const char *tls = NULL, *trust = NULL;
    const char *registry = NULL;
    int threshold = 1, o;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            c.state_dir = optarg;
            break;
        case 'r':
            registry = optarg;
            break;
        case 'l':
            tls = optarg;
            break;
        case 't':
            trust = optarg;
            break;
        case 'n':
            if (num_int(optarg, 1, TRUST_KEYS_MAX, &threshold) != 0) {
                fprintf(stderr, "kiosk-update: --threshold takes a whole number from 1 to %d\n",
                        TRUST_KEYS_MAX);
                return 2;
            }
            break;
        case 'y':
            c.type = optarg;
            break;
        case 'c':
            c.channel = optarg;
            break;
        case 'w':
            c.hardware = optarg;
            break;
        case 'h':
            printf("usage: kiosk-update --state-dir DIR --registry URL --tls DIR --trust DIR "
                   "[--threshold N] --type release|content --channel C --hardware H\n");
            return 0;
        default:
            fprintf(stderr, "kiosk-update: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    if (!c.state_dir || !registry || !tls || !trust || !c.type || !c.channel || !c.hardware ||
        (strcmp(c.type, "release") && strcmp(c.type, "content"))) {
        fprintf(stderr, "kiosk-update: --state-dir, --registry, --tls, --trust, --type "
                        "release|content, --channel and --hardware are required\n");
        return 2;
    }
    net_init(&c.net, registry, tls);
    /* a content bundle is installed only once it loads, as the kiosk loads it (the tool once
     * installed one that did not) */
    if (!strcmp(c.type, "content"))
        c.check = content_check;
    if (trust_load(&c.trust, trust, threshold) != 0 || c.trust.n == 0) {
        fprintf(stderr, "kiosk-update: no trusted keys in %s\n", trust);
        return 2;
    }
    char version[64] = "", why[400] = "";
    enum update_result r = update_run(&c, version, sizeof version, why, sizeof why);
    if (r == UPDATE_INSTALLED)
        printf("installed %s %s\n", c.type, version);
    else if (r == UPDATE_NOTHING_NEW)
        printf("nothing newer: %s (current: %s)\n", why, version[0] ? version : "none");
    else if (r == UPDATE_FROZEN)
        fprintf(stderr, "kiosk-update: frozen? %s\n", why);
    else
        fprintf(stderr, "kiosk-update: %s\n", why);
    return (int)r;
}
