/* printer: see printer.h. */
#include "printer.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "escpos.h"
#include "serial.h"

/* --- file descriptors with deadlines (tcp and usblp) --- */

static int fd_write(struct printer *p, const uint8_t *buf, size_t n, int timeout_ms) {
    size_t done = 0;
    while (done < n) {
        struct pollfd pf = {p->fd, POLLOUT, 0};
        int r = poll(&pf, 1, timeout_ms);
        if (r == 0) {
            snprintf(p->error, sizeof p->error, "%s: write timed out", p->address);
            return -1;
        }
        if (r < 0 && errno == EINTR)
            continue;
        ssize_t w = r > 0 ? write(p->fd, buf + done, n - done) : -1;
        if (w < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            snprintf(p->error, sizeof p->error, "%s: %s", p->address, strerror(errno));
            return -1;
        }
        done += (size_t)w;
    }
    return 0;
}

static ssize_t fd_read(struct printer *p, uint8_t *buf, size_t cap, int timeout_ms) {
    struct pollfd pf = {p->fd, POLLIN, 0};
    int r = poll(&pf, 1, timeout_ms);
    if (r <= 0)
        return r == 0 ? 0 : -1;
    ssize_t n = read(p->fd, buf, cap);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    return n == 0 ? -1 : n; /* 0 bytes from a socket: the printer closed it */
}

static void fd_close(struct printer *p) {
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
}

/* tcp:HOST:PORT, connected with a timeout */
static int tcp_open(struct printer *p, const char *where, int timeout_ms) {
    char host[200];
    const char *colon = strrchr(where, ':');
    if (!colon || (size_t)(colon - where) >= sizeof host) {
        snprintf(p->error, sizeof p->error, "%s: expected tcp:HOST:PORT", p->address);
        return -1;
    }
    memcpy(host, where, (size_t)(colon - where));
    host[colon - where] = 0;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai) {
        snprintf(p->error, sizeof p->error, "%s: cannot resolve the address", p->address);
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int rc = fd < 0 ? -1 : connect(fd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (rc != 0 && fd >= 0 && errno == EINPROGRESS) {
        struct pollfd pf = {fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        if (poll(&pf, 1, timeout_ms) == 1 &&
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
            rc = 0;
        else
            errno = err ? err : ETIMEDOUT;
    }
    if (rc != 0) {
        snprintf(p->error, sizeof p->error, "%s: %s", p->address, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* usblp:/dev/usb/lpN; read() answers only on bidirectional printers */
static int usblp_open(struct printer *p, const char *where, int timeout_ms) {
    (void)timeout_ms;
    int fd = open(where, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        fd = open(where, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        snprintf(p->error, sizeof p->error, "%s: %s", p->address, strerror(errno));
    return fd;
}

/* serial:/dev/ttyX[@BAUD] through drivers/serial */
static int ser_open(struct printer *p, const char *where, int timeout_ms) {
    (void)timeout_ms;
    char path[200];
    int baud = 115200;
    if (serial_address(where, path, sizeof path, &baud) != 0) {
        snprintf(p->error, sizeof p->error, "%.100s: not a baud rate after @", where);
        return -1;
    }
    int fd = serial_open(path, baud);
    if (fd < 0) {
        snprintf(p->error, sizeof p->error, "%s: %s", p->address, serial_strerror(fd));
        return -1;
    }
    return fd;
}

static int ser_write(struct printer *p, const uint8_t *buf, size_t n, int timeout_ms) {
    int rc = serial_write(p->fd, buf, n, timeout_ms);
    if (rc != SERIAL_OK)
        snprintf(p->error, sizeof p->error, "%s: %s", p->address, serial_strerror(rc));
    return rc == SERIAL_OK ? 0 : -1;
}

static ssize_t ser_read(struct printer *p, uint8_t *buf, size_t cap, int timeout_ms) {
    ssize_t n = serial_read(p->fd, buf, cap, timeout_ms);
    return n == SERIAL_ERR_TIMEOUT ? 0 : n;
}

static void ser_close(struct printer *p) {
    serial_close(p->fd);
    p->fd = -1;
}

static const struct printer_ops transports[] = {
    {"tcp", tcp_open, fd_write, fd_read, fd_close},
    {"usblp", usblp_open, fd_write, fd_read, fd_close},
    {"serial", ser_open, ser_write, ser_read, ser_close},
};

int printer_open(struct printer *p, const char *address, int timeout_ms) {
    memset(p, 0, sizeof *p);
    p->fd = -1;
    snprintf(p->address, sizeof p->address, "%s", address);
    const char *colon = strchr(address, ':');
    for (size_t i = 0; colon && i < sizeof transports / sizeof transports[0]; i++) {
        if (strlen(transports[i].scheme) == (size_t)(colon - address) &&
            !strncmp(address, transports[i].scheme, (size_t)(colon - address))) {
            p->ops = &transports[i];
            p->fd = p->ops->open(p, colon + 1, timeout_ms);
            return p->fd >= 0 ? 0 : -1;
        }
    }
    snprintf(p->error, sizeof p->error, "%s: unknown printer address (tcp:, usblp:, serial:)",
             address);
    return -1;
}

void printer_close(struct printer *p) {
    if (p->ops && p->fd >= 0)
        p->ops->close(p);
    p->fd = -1;
}

int printer_send(struct printer *p, const uint8_t *buf, size_t n, int timeout_ms) {
    if (!p->ops || p->fd < 0) {
        snprintf(p->error, sizeof p->error, "%s: not open", p->address);
        return -1;
    }
    return p->ops->write(p, buf, n, timeout_ms);
}

enum printer_status_kind printer_status(struct printer *p, unsigned *flags, int timeout_ms) {
    *flags = 0;
    if (!p->ops || p->fd < 0)
        return PRINTER_STATUS_UNKNOWN;
    static const int asks[] = {1, 2, 4};
    for (size_t i = 0; i < 3; i++) {
        uint8_t req[4], junk[64];
        struct escpos_buf b;
        escpos_begin(&b, req, sizeof req);
        escpos_status_request(&b, asks[i]);
        /* whatever an earlier request left behind would be taken for this answer */
        while (p->ops->read(p, junk, sizeof junk, 0) > 0)
            ;
        if (p->ops->write(p, req, b.len, timeout_ms) != 0)
            return PRINTER_STATUS_UNKNOWN;
        uint8_t a;
        if (p->ops->read(p, &a, 1, timeout_ms) != 1) {
            snprintf(p->error, sizeof p->error, "%s: no answer to a status request", p->address);
            return PRINTER_STATUS_UNKNOWN;
        }
        if (escpos_status_parse(asks[i], a, flags) != 0) {
            snprintf(p->error, sizeof p->error, "%s: status answer %02X is not one", p->address, a);
            return PRINTER_STATUS_UNKNOWN;
        }
    }
    return *flags ? PRINTER_STATUS_PROBLEM : PRINTER_STATUS_OK;
}

void printer_flags_text(unsigned flags, char *out, size_t size) {
    static const char *const names[] = {"offline", "cover open", "paper near end", "paper out",
                                        "error"};
    out[0] = 0;
    size_t used = 0;
    for (int i = 0; i < 5; i++) {
        if (!(flags & (1u << i)))
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", names[i]);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
    if (!used)
        snprintf(out, size, "ok");
}
