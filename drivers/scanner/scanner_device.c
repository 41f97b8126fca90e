/* scanner_device: see scanner_device.h; the serial backend's table. */
#include "scanner_device.h"

#include <stdio.h>
#include <string.h>

#include "serial.h"

static int ser_open(struct scanner_device *d, const char *where) {
    char path[256];
    int baud = 115200;
    if (serial_address(where, path, sizeof path, &baud) != 0) {
        snprintf(d->error, sizeof d->error, "%.100s: not a baud rate after @", where);
        return -1;
    }
    lines_init(&d->lines);
    d->fd = serial_open(path, baud);
    if (d->fd < 0) {
        snprintf(d->error, sizeof d->error, "%s", serial_strerror(d->fd));
        return -1;
    }
    return 0;
}

static int ser_read(struct scanner_device *d, int timeout_ms, scanner_code_fn fn, void *ctx) {
    uint8_t buf[256];
    ssize_t n = serial_read(d->fd, buf, sizeof buf, timeout_ms);
    if (n > 0) {
        lines_feed(&d->lines, buf, (size_t)n, fn, ctx);
        return 0;
    }
    if (n == SERIAL_ERR_TIMEOUT)
        return 0;
    snprintf(d->error, sizeof d->error, "%s", serial_strerror((int)n));
    serial_close(d->fd);
    d->fd = -1;
    return -1;
}

static void ser_close(struct scanner_device *d) {
    serial_close(d->fd);
    d->fd = -1;
}

const struct scanner_ops scanner_serial_ops = {"serial", ser_open, ser_read, ser_close};

static const struct scanner_ops *const backends[] = {&scanner_serial_ops};

int scanner_device_open(struct scanner_device *d, const char *address) {
    memset(d, 0, sizeof *d);
    d->fd = -1;
    const char *rest;
    int k = device_pick(address, (const void *const *)backends, sizeof backends / sizeof *backends,
                        &rest);
    if (k == -2) {
        snprintf(d->error, sizeof d->error, "unknown scanner type in %.150s", address);
        return -1;
    }
    d->ops = k >= 0 ? backends[k] : &scanner_serial_ops;
    return d->ops->open(d, rest);
}

int scanner_device_read(struct scanner_device *d, int timeout_ms, scanner_code_fn fn, void *ctx) {
    return d->ops ? d->ops->read(d, timeout_ms, fn, ctx) : -1;
}

void scanner_device_close(struct scanner_device *d) {
    if (d->ops)
        d->ops->close(d);
}
