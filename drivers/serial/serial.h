/* serial: a tty (RS-232 or USB-CDC) for the device drivers: open, raw mode, baud rate, read
 * and write with deadlines, and telling an unplugged device from a quiet one.
 *
 * The only place that includes termios.h. Every call takes a timeout; nothing blocks for
 * ever. Errors are negative values of enum serial_err; serial_strerror() names them. */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum serial_err {
    SERIAL_OK = 0,
    SERIAL_ERR_OPEN = -1,    /* cannot open (absent, no permission) */
    SERIAL_ERR_CONFIG = -2,  /* not a tty, or the baud rate is refused */
    SERIAL_ERR_TIMEOUT = -3, /* the deadline passed */
    SERIAL_ERR_GONE = -4,    /* the device went away (EIO, ENODEV, hang-up): reopen it */
    SERIAL_ERR_IO = -5,      /* any other read or write error */
};

const char *serial_strerror(int err);

/* Opens path in raw 8N1 mode at baud (9600 ... 921600). Returns an fd >= 0 or an error. */
int serial_open(const char *path, int baud);
void serial_close(int fd);
/* Puts an already open tty (a simulator's own end of a pty) in raw mode. SERIAL_OK or an
 * error. */
int serial_set_raw(int fd);
/* Discards what was received and not read yet. */
void serial_flush_input(int fd);
/* Writes all n bytes within timeout_ms. Returns SERIAL_OK or an error. */
int serial_write(int fd, const uint8_t *buf, size_t n, int timeout_ms);
/* Reads what is there, waiting up to timeout_ms for the first byte. Returns the number of
 * bytes read (> 0) or an error. */
ssize_t serial_read(int fd, uint8_t *buf, size_t cap, int timeout_ms);

/* A device address "PATH[@BAUD]": the path into path (cut to cap) and the baud rate into
 * *baud when one is given (else *baud is left as it was). -1 when the baud rate is not a
 * number from 1200 to 4000000. */
int serial_address(const char *where, char *path, size_t cap, int *baud);
/* The part of a device address after "scheme:", NULL when it has another scheme or none; a
 * scheme comes before any '/' (so a bare path has none). */
const char *device_after_scheme(const char *address, const char *scheme);
/* Whether the address names a scheme at all. */
int device_has_scheme(const char *address);
/* Which of a device class's n backends an address names. Each backends[i] points to an ops
 * table whose first member is its `const char *scheme`. Returns the index (*rest: after
 * "scheme:"), -1 for a bare path (*rest: the address: the class's default backend), or -2 for
 * a scheme none of them serves. */
int device_pick(const char *address, const void *const *backends, size_t n, const char **rest);

#endif
