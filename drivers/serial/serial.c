/* serial: see serial.h. */
#include "serial.h"
#include "num.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

const char *serial_strerror(int err) {
    switch (err) {
    case SERIAL_OK:
        return "ok";
    case SERIAL_ERR_OPEN:
        return "cannot open the device";
    case SERIAL_ERR_CONFIG:
        return "not a serial device, or the baud rate is not supported";
    case SERIAL_ERR_TIMEOUT:
        return "no answer in time";
    case SERIAL_ERR_GONE:
        return "the device was unplugged";
    case SERIAL_ERR_IO:
        return "read or write error";
    default:
        return "unknown serial error";
    }
}

static speed_t baud_constant(int baud) {
    switch (baud) {
    case 9600:
        return B9600;
    case 19200:
        return B19200;
    case 38400:
        return B38400;
    case 57600:
        return B57600;
    case 115200:
        return B115200;
    case 230400:
        return B230400;
    case 460800:
        return B460800;
    case 921600:
        return B921600;
    default:
        return 0;
    }
}

int serial_open(const char *path, int baud) {
    speed_t speed = baud_constant(baud);
    if (!speed)
        return SERIAL_ERR_CONFIG;
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return SERIAL_ERR_OPEN;
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0) {
        close(fd);
        return SERIAL_ERR_CONFIG;
    }
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS);
    tio.c_cc[VMIN] = 1; /* with O_NONBLOCK: EAGAIN when empty; 0 only at hang-up */
    tio.c_cc[VTIME] = 0;
    if (cfsetispeed(&tio, speed) != 0 || cfsetospeed(&tio, speed) != 0 ||
        tcsetattr(fd, TCSANOW, &tio) != 0) {
        close(fd);
        return SERIAL_ERR_CONFIG;
    }
    tcflush(fd, TCIOFLUSH);
    return fd;
}

int serial_set_raw(int fd) {
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0)
        return SERIAL_ERR_CONFIG;
    cfmakeraw(&tio);
    cfsetispeed(&tio, B115200);
    cfsetospeed(&tio, B115200);
    return tcsetattr(fd, TCSANOW, &tio) == 0 ? SERIAL_OK : SERIAL_ERR_CONFIG;
}

void serial_close(int fd) {
    if (fd >= 0)
        close(fd);
}

void serial_flush_input(int fd) {
    tcflush(fd, TCIFLUSH);
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int gone(int e) {
    return e == EIO || e == ENODEV || e == ENXIO || e == EBADF;
}

/* Waits for events on fd until deadline; returns revents, 0 on timeout, -1 on error. */
static int wait_fd(int fd, short events, int64_t deadline) {
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left < 0)
            left = 0;
        struct pollfd p = {fd, events, 0};
        int r = poll(&p, 1, (int)left);
        if (r > 0)
            return p.revents;
        if (r == 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

int serial_write(int fd, const uint8_t *buf, size_t n, int timeout_ms) {
    int64_t deadline = now_ms() + timeout_ms;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, buf + done, n - done);
        if (w > 0) {
            done += (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return gone(errno) ? SERIAL_ERR_GONE : SERIAL_ERR_IO;
        int ev = wait_fd(fd, POLLOUT, deadline);
        if (ev == 0)
            return SERIAL_ERR_TIMEOUT;
        if (ev < 0 || (ev & (POLLHUP | POLLERR | POLLNVAL)))
            return SERIAL_ERR_GONE;
    }
    return SERIAL_OK;
}

ssize_t serial_read(int fd, uint8_t *buf, size_t cap, int timeout_ms) {
    int64_t deadline = now_ms() + timeout_ms;
    for (;;) {
        ssize_t r = read(fd, buf, cap);
        if (r > 0)
            return r;
        if (r == 0) {
            /* a tty reads 0 at hang-up */
            return SERIAL_ERR_GONE;
        }
        if (errno != EAGAIN && errno != EINTR)
            return gone(errno) ? SERIAL_ERR_GONE : SERIAL_ERR_IO;
        int ev = wait_fd(fd, POLLIN, deadline);
        if (ev == 0)
            return SERIAL_ERR_TIMEOUT;
        if (ev < 0 || (ev & (POLLNVAL | POLLERR)))
            return SERIAL_ERR_GONE;
        if ((ev & POLLHUP) && !(ev & POLLIN))
            return SERIAL_ERR_GONE;
    }
}

int serial_address(const char *where, char *path, size_t cap, int *baud) {
    snprintf(path, cap, "%s", where);
    char *at = strrchr(path, '@');
    if (!at)
        return 0;
    *at = 0;
    return num_int(at + 1, 1200, 4000000, baud);
}

int device_has_scheme(const char *address) {
    const char *colon = strchr(address, ':'), *slash = strchr(address, '/');
    return colon && (!slash || colon < slash);
}

const char *device_after_scheme(const char *address, const char *scheme) {
    size_t n = strlen(scheme);
    return device_has_scheme(address) && !strncmp(address, scheme, n) && address[n] == ':'
               ? address + n + 1
               : NULL;
}

int device_pick(const char *address, const void *const *backends, size_t n, const char **rest) {
    for (size_t i = 0; i < n; i++) {
        /* a pointer to a struct is a pointer to its first member */
        const char *scheme = *(const char *const *)backends[i];
        if ((*rest = device_after_scheme(address, scheme)))
            return (int)i;
    }
    *rest = address;
    return device_has_scheme(address) ? -2 : -1;
}
