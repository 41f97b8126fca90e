/* scanner_device: the barcode scanner as a device class (DESIGN.md §1): the kiosk's scanner
 * thread reaches a scanner only through struct scanner_ops, so another model is one more
 * backend. A keyboard-wedge scanner needs none: it types into the kiosk's window, and
 * wedge_key() (scanner.h) tells its bursts from a person.
 *
 * Addresses: "serial:/dev/ttyACM0@115200" or a bare serial path (codes as lines ending in CR
 * or CR LF, PROTOCOLS.md §3). Blocking with deadlines: run it in a device thread. */
#ifndef DRIVERS_SCANNER_DEVICE_H
#define DRIVERS_SCANNER_DEVICE_H

#include <stddef.h>

#include "scanner.h"

struct scanner_device;
typedef void (*scanner_code_fn)(void *ctx, const char *code);

struct scanner_ops {
    const char *scheme; /* first: device_pick() reads it through the table pointer */
    /* 0, or -1 with the device's error set. */
    int (*open)(struct scanner_device *d, const char *where);
    /* Waits up to timeout_ms for bytes and calls fn for each complete code: 0 (also on a
     * timeout), or -1 when the device failed (closed; open it again). */
    int (*read)(struct scanner_device *d, int timeout_ms, scanner_code_fn fn, void *ctx);
    void (*close)(struct scanner_device *d);
};

struct scanner_device {
    const struct scanner_ops *ops;
    int fd;
    struct lines lines;
    char error[200];
};

extern const struct scanner_ops scanner_serial_ops;

/* Picks the backend of the address and opens it: 0, or -1 with d->error. */
int scanner_device_open(struct scanner_device *d, const char *address);
int scanner_device_read(struct scanner_device *d, int timeout_ms, scanner_code_fn fn, void *ctx);
void scanner_device_close(struct scanner_device *d);

#endif
