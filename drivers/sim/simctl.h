/* simctl: the control channel of the device simulators (idcard-sim, escpos-sim, the scanner).
 *
 * A Unix stream socket; one command a line, one answer line back: "ok[ detail]" or
 * "error: reason". Tests, UI scripts ("card FILE", "scan TEXT") and people (the simctl
 * program) use it to insert cards, inject faults, unplug devices.
 *
 * Server side: simctl_listen() and simctl_serve_*() hook into a poll() loop; the simulator
 * gives a handler that turns a command line into an answer line. */
#ifndef DRIVERS_SIMCTL_H
#define DRIVERS_SIMCTL_H

#include <poll.h>
#include <stddef.h>

#define SIMCTL_MAX_CLIENTS 8
#define SIMCTL_LINE 1024

/* Sends line and waits up to timeout_ms for the answer (without its newline) in reply.
 * Returns 0 when the answer starts with "ok", 1 for an "error" answer, -1 when the simulator
 * cannot be reached (reply says why). */
int simctl_send(const char *socket_path, const char *line, char *reply, size_t size,
                int timeout_ms);

typedef void (*simctl_handler)(void *ctx, const char *line, char *reply, size_t size);

struct simctl_server {
    int listen_fd;
    int client[SIMCTL_MAX_CLIENTS];
    char buf[SIMCTL_MAX_CLIENTS][SIMCTL_LINE];
    size_t len[SIMCTL_MAX_CLIENTS];
    simctl_handler handler;
    void *ctx;
};

/* Listens on path (replacing a stale socket). Returns 0 or -1 (errno set). */
int simctl_listen(struct simctl_server *s, const char *path, simctl_handler h, void *ctx);
/* Adds the server's fds to pfd (at most max); returns how many were added. */
int simctl_pollfds(struct simctl_server *s, struct pollfd *pfd, int max);
/* Handles whatever poll() reported for the fds simctl_pollfds() added at pfd. */
void simctl_handle(struct simctl_server *s, const struct pollfd *pfd, int n);
void simctl_close(struct simctl_server *s, const char *path);

#endif
