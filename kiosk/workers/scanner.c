/* scanner: the barcode scanner's thread (workers.h), through the scanner device class
 * (drivers/scanner/scanner_device.h, struct scanner_ops); a device that fails is closed and
 * opened again every second. */
#include "log.h"
#include "scanner_device.h"
#include "workers_int.h"

static void on_code(void *ctx, const char *code) {
    struct workers *w = ctx;
    bus_post_new(&w->bus, DEV_SCAN, true, 0, code);
}

static void scanner_state(struct workers *w, bool ok, const char *why) {
    workers_note(w, DEVICE_SCANNER, ok ? "ok" : "unreachable");
    bus_post_new(&w->bus, DEV_SCANNER_STATE, ok, 0, ok ? "" : why);
}

void *scanner_main(void *arg) {
    struct workers *w = arg;
    struct scanner_device dev;
    bool open = false;
    int reported = -1; /* what the main loop was last told: 1 open, 0 not */
    while (!workers_stopping(w)) {
        if (!open) {
            open = scanner_device_open(&dev, w->cfg.scanner) == 0;
            if (open != reported) {
                reported = open;
                scanner_state(w, open, dev.error);
            }
            if (!open) {
                workers_nap(w, 1000);
                continue;
            }
            log_info("devices", "scanner %s opened", w->cfg.scanner);
        }
        if (scanner_device_read(&dev, 500, on_code, w) != 0) {
            log_warn("devices", "scanner %s: %s", w->cfg.scanner, dev.error);
            open = false;
            workers_nap(w, 1000);
        }
    }
    if (open)
        scanner_device_close(&dev);
    return NULL;
}
