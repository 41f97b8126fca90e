/* libFuzzer target: the kiosk's configuration file (kiosk.ini, written by an operator or a
 * provisioning script). The bytes are written to a file and loaded as the kiosk loads it; a
 * configuration that loads has its numbers in their ranges. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "fuzz_scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > CONFIG_FILE_MAX)
        return 0;
    static char path[200];
    if (!path[0]) {
        /* an unknown key is a warning a line: 10^7 inputs would write gigabytes of log */
        log_init("fuzz", LOG_ERROR);
        snprintf(path, sizeof path, "%s/kiosk.ini", fuzz_scratch("config"));
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    struct kiosk_config *c = calloc(1, sizeof *c);
    config_defaults(c, "/usr/share/kiosk", "/usr/share/kiosk/fonts.ini");
    char err[300];
    if (config_load(c, path, err, sizeof err) == 0) {
        if (c->idle_timeout_s <= 0 || c->retention_days < 0 || c->nstaff < 0 ||
            c->nstaff > CONFIG_STAFF_MAX || c->nroving < 0 || c->nroving > CONFIG_ROVING_MAX)
            __builtin_trap();
    }
    free(c);
    return 0;
}
