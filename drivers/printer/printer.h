/* printer: a receipt printer behind one of three transports, chosen by its address:
 *
 *   tcp:HOST:PORT        raw TCP (port 9100 on network printers)
 *   usblp:/dev/usb/lp0   the usblp kernel driver (a udev rule gives a stable name)
 *   serial:/dev/ttyS0[@BAUD]
 *
 * Each transport is a struct printer_ops (open, write, read, close); another model or link is
 * one more table. Every write and read has a timeout. Status comes from DLE EOT 1, 2 and 4;
 * a printer that does not answer (usblp often cannot) has status "unknown", never "ok", and
 * the kiosk is never blocked by it. Blocking calls: run them in a device thread. */
#ifndef DRIVERS_PRINTER_H
#define DRIVERS_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct printer;

struct printer_ops {
    const char *scheme;
    /* Opens the part of the address after "scheme:". Returns a handle >= 0 or -1. */
    int (*open)(struct printer *p, const char *where, int timeout_ms);
    int (*write)(struct printer *p, const uint8_t *buf, size_t n, int timeout_ms);
    /* Reads up to cap bytes, waiting up to timeout_ms; 0 on timeout, -1 on error. */
    ssize_t (*read)(struct printer *p, uint8_t *buf, size_t cap, int timeout_ms);
    void (*close)(struct printer *p);
};

struct printer {
    const struct printer_ops *ops;
    int fd;
    char address[200];
    char error[512];
};

enum printer_status_kind {
    PRINTER_STATUS_OK,      /* answered, nothing wrong */
    PRINTER_STATUS_PROBLEM, /* answered: see flags (escpos.h ESCPOS_ST_*) */
    PRINTER_STATUS_UNKNOWN, /* no answer, or an answer that cannot be one */
};

/* Opens address. Returns 0 or -1 with p->error set. */
int printer_open(struct printer *p, const char *address, int timeout_ms);
void printer_close(struct printer *p);
/* Sends a whole job. Returns 0 or -1 with p->error set. */
int printer_send(struct printer *p, const uint8_t *buf, size_t n, int timeout_ms);
/* Asks DLE EOT 1, 2 and 4, each with timeout_ms. */
enum printer_status_kind printer_status(struct printer *p, unsigned *flags, int timeout_ms);
/* "paper out, cover open" and the like, for logs and the admin screen. */
void printer_flags_text(unsigned flags, char *out, size_t size);

#endif
