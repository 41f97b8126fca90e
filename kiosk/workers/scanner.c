/* scanner: the barcode scanner's thread (workers.h): codes as lines from a serial scanner;
 * a port that fails is closed and opened again every second. */
#include "log.h"
#include "scanner.h"
#include "serial.h"
#include "workers_int.h"

static void on_code(void *ctx, const char *code) {
    struct workers *w = ctx;
    bus_post_new(&w->bus, DEV_SCAN, true, 0, code);
}

void *scanner_main(void *arg) {
    struct workers *w = arg;
    struct lines l;
    lines_init(&l);
    int fd = -1, reported = -1; /* what the main loop was last told: 1 open, 0 not */
    while (!workers_stopping(w)) {
        if (fd < 0) {
            fd = serial_open(w->cfg.scanner, 115200);
            if ((fd >= 0) != reported) {
                reported = fd >= 0;
                workers_note(w, DEVICE_SCANNER, fd >= 0 ? "ok" : "unreachable");
                bus_post_new(&w->bus, DEV_SCANNER_STATE, fd >= 0, 0,
                             fd >= 0 ? "" : serial_strerror(fd));
            }
            if (fd < 0) {
                workers_nap(w, 1000);
                continue;
            }
            log_info("devices", "scanner %s opened", w->cfg.scanner);
        }
        uint8_t buf[256];
        ssize_t n = serial_read(fd, buf, sizeof buf, 500);
        if (n > 0)
            lines_feed(&l, buf, (size_t)n, on_code, w);
        else if (n != SERIAL_ERR_TIMEOUT) {
            log_warn("devices", "scanner %s: %s", w->cfg.scanner, serial_strerror((int)n));
            serial_close(fd);
            fd = -1;
            workers_nap(w, 1000);
        }
    }
    serial_close(fd);
    return NULL;
}
