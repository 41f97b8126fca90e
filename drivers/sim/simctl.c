/* simctl: see simctl.h. */
#include "simctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int addr_of(const char *path, struct sockaddr_un *a) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a->sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(a->sun_path, path, strlen(path));
    return 0;
}

int simctl_send(const char *socket_path, const char *line, char *reply, size_t size,
                int timeout_ms) {
    struct sockaddr_un a;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || addr_of(socket_path, &a) != 0 ||
        connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        snprintf(reply, size, "cannot reach the simulator at %s: %s", socket_path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char out[SIMCTL_LINE];
    int n = snprintf(out, sizeof out, "%s\n", line);
    if (n < 0 || (size_t)n >= sizeof out || write(fd, out, (size_t)n) != n) {
        snprintf(reply, size, "cannot send the command");
        close(fd);
        return -1;
    }
    size_t got = 0;
    struct pollfd p = {fd, POLLIN, 0};
    while (got + 1 < size) {
        if (poll(&p, 1, timeout_ms) <= 0)
            break;
        ssize_t r = read(fd, reply + got, size - 1 - got);
        if (r <= 0)
            break;
        got += (size_t)r;
        if (memchr(reply, '\n', got))
            break;
    }
    close(fd);
    reply[got] = 0;
    char *nl = strchr(reply, '\n');
    if (nl)
        *nl = 0;
    if (!nl && got == 0) {
        snprintf(reply, size, "no answer from the simulator");
        return -1;
    }
    return strncmp(reply, "ok", 2) == 0 ? 0 : 1;
}

int simctl_listen(struct simctl_server *s, const char *path, simctl_handler h, void *ctx) {
    memset(s, 0, sizeof *s);
    for (int i = 0; i < SIMCTL_MAX_CLIENTS; i++)
        s->client[i] = -1;
    s->handler = h;
    s->ctx = ctx;
    struct sockaddr_un a;
    if (addr_of(path, &a) != 0)
        return -1;
    unlink(path);
    s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s->listen_fd < 0)
        return -1;
    if (bind(s->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->listen_fd, 8) != 0) {
        close(s->listen_fd);
        s->listen_fd = -1;
        return -1;
    }
    return 0;
}

int simctl_pollfds(struct simctl_server *s, struct pollfd *pfd, int max) {
    int n = 0;
    if (n < max)
        pfd[n++] = (struct pollfd){s->listen_fd, POLLIN, 0};
    for (int i = 0; i < SIMCTL_MAX_CLIENTS && n < max; i++)
        pfd[n++] = (struct pollfd){s->client[i], POLLIN, 0}; /* -1 is ignored by poll */
    return n;
}

static void drop(struct simctl_server *s, int i) {
    close(s->client[i]);
    s->client[i] = -1;
    s->len[i] = 0;
}

void simctl_handle(struct simctl_server *s, const struct pollfd *pfd, int n) {
    if (n > 0 && (pfd[0].revents & POLLIN)) {
        int c = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (c >= 0) {
            int i = 0;
            while (i < SIMCTL_MAX_CLIENTS && s->client[i] >= 0)
                i++;
            if (i == SIMCTL_MAX_CLIENTS)
                close(c);
            else
                s->client[i] = c;
        }
    }
    for (int k = 1; k < n; k++) {
        int i = k - 1;
        if (s->client[i] < 0 || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        ssize_t r = read(s->client[i], s->buf[i] + s->len[i], SIMCTL_LINE - 1 - s->len[i]);
        if (r <= 0) {
            drop(s, i);
            continue;
        }
        s->len[i] += (size_t)r;
        s->buf[i][s->len[i]] = 0;
        char *nl;
        while ((nl = strchr(s->buf[i], '\n'))) {
            *nl = 0;
            if (nl > s->buf[i] && nl[-1] == '\r')
                nl[-1] = 0;
            char reply[SIMCTL_LINE];
            s->handler(s->ctx, s->buf[i], reply, sizeof reply - 1);
            size_t rl = strlen(reply);
            reply[rl++] = '\n';
            if (write(s->client[i], reply, rl) != (ssize_t)rl) {
                drop(s, i);
                break;
            }
            size_t rest = s->len[i] - (size_t)(nl + 1 - s->buf[i]);
            memmove(s->buf[i], nl + 1, rest + 1);
            s->len[i] = rest;
        }
        if (s->client[i] >= 0 && s->len[i] >= SIMCTL_LINE - 1)
            drop(s, i); /* a line longer than any command */
    }
}

void simctl_close(struct simctl_server *s, const char *path) {
    for (int i = 0; i < SIMCTL_MAX_CLIENTS; i++) {
        if (s->client[i] >= 0)
            drop(s, i);
    }
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    s->listen_fd = -1;
    if (path)
        unlink(path);
}
