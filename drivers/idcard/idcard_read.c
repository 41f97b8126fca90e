/* idcard-read: reads one card and prints it as one JSON object (idcard_json.h).
 *
 *   idcard-read DEVICE [--timeout MS] [--baud N]
 *
 * Exit 0 on a read; 3 when no card came before the timeout (default 10000 ms); 4 on a device
 * error (cannot open it, or it went away and did not come back); 5 on a protocol error after
 * the retries. Every failure prints one line on stderr. For the tests and for staff checking a
 * reader: the JSON holds the card's personal data, so it goes to stdout only. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idcard_json.h"
#include "idcard_reader.h"
#include "log.h"

int main(int argc, char **argv) {
    log_init("idcard-read", LOG_WARN);
    static const struct option opts[] = {{"timeout", required_argument, 0, 't'},
                                         {"baud", required_argument, 0, 'b'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    long timeout = 10000, baud = 115200;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 't':
            timeout = strtol(optarg, &end, 10);
            if (*end || timeout < 0 || timeout > 3600000) {
                fprintf(stderr, "idcard-read: --timeout needs milliseconds (0 to 3600000)\n");
                return 2;
            }
            break;
        case 'b':
            baud = strtol(optarg, &end, 10);
            if (*end) {
                fprintf(stderr, "idcard-read: --baud needs a number\n");
                return 2;
            }
            break;
        case 'h':
            printf("usage: idcard-read DEVICE [--timeout MS] [--baud N]\n");
            return 0;
        default:
            fprintf(stderr, "idcard-read: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "idcard-read: usage: idcard-read DEVICE [--timeout MS] [--baud N]\n");
        return 2;
    }
    struct idcard_reader r;
    int rc = idcard_reader_open(&r, argv[optind], (int)baud);
    if (rc != IDCARD_OK && timeout == 0) {
        fprintf(stderr, "idcard-read: %s\n", r.error);
        return 4;
    }
    struct idcard_info info;
    rc = idcard_reader_read(&r, &info, NULL, (int)timeout, 200);
    idcard_reader_close(&r);
    switch (rc) {
    case IDCARD_OK: {
        char *json = idcard_json_format(&info);
        explicit_bzero(&info, sizeof info);
        if (!json) {
            fprintf(stderr, "idcard-read: out of memory\n");
            return 1;
        }
        puts(json);
        explicit_bzero(json, strlen(json));
        free(json);
        return 0;
    }
    case IDCARD_NO_CARD:
        fprintf(stderr, "idcard-read: no card on the reader within %ld ms\n", timeout);
        return 3;
    case IDCARD_ERR_DEVICE:
        fprintf(stderr, "idcard-read: device error: %s\n", r.error);
        return 4;
    default:
        fprintf(stderr, "idcard-read: protocol error: %s\n", r.error);
        return 5;
    }
}
