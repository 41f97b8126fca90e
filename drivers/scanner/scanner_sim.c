/* scanner-sim: a simulated 2D scanner in serial (USB-CDC) mode on a pty linked at PATH.
 *
 *   scanner-sim --link PATH --control SOCKET
 *
 * Control commands (simctl.h): "scan TEXT" sends TEXT followed by CR LF, as a scanner does
 * when it reads a code. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serial.h"
#include "simctl.h"

static volatile sig_atomic_t stop;
static int master = -1;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

static void control(void *ctx, const char *line, char *reply, size_t size) {
    (void)ctx;
    if (!strncmp(line, "scan ", 5) && line[5]) {
        char out[1100];
        int n = snprintf(out, sizeof out, "%s\r\n", line + 5);
        if (n > 0 && (size_t)n < sizeof out && write(master, out, (size_t)n) == n)
            snprintf(reply, size, "ok");
        else
            snprintf(reply, size, "error: cannot send the code");
    } else {
        snprintf(reply, size, "error: unknown command");
    }
}

int main(int argc, char **argv) {
    static const struct option opts[] = {{"link", required_argument, 0, 'l'},
                                         {"control", required_argument, 0, 'c'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *link = NULL, *ctl = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'l')
            link = optarg;
        else if (c == 'c')
            ctl = optarg;
        else if (c == 'h') {
            printf("usage: scanner-sim --link PATH --control SOCKET\n");
            return 0;
        } else {
            fprintf(stderr, "scanner-sim: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    if (!link || !ctl) {
        fprintf(stderr, "scanner-sim: --link and --control are required\n");
        return 2;
    }
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    const char *name =
        master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0 ? ptsname(master) : NULL;
    int slave = name ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
    if (slave < 0 || serial_set_raw(slave) != SERIAL_OK) {
        fprintf(stderr, "scanner-sim: cannot create a pty\n");
        return 1;
    }
    fcntl(master, F_SETFL, O_NONBLOCK);
    unlink(link);
    if (symlink(name, link) != 0) {
        fprintf(stderr, "scanner-sim: cannot link %s: %s\n", link, strerror(errno));
        return 1;
    }
    struct simctl_server srv;
    if (simctl_listen(&srv, ctl, control, NULL) != 0) {
        fprintf(stderr, "scanner-sim: cannot listen on %s\n", ctl);
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    while (!stop) {
        struct pollfd pfd[1 + SIMCTL_MAX_CLIENTS];
        int n = simctl_pollfds(&srv, pfd, SIMCTL_MAX_CLIENTS + 1);
        if (poll(pfd, (nfds_t)n, 500) < 0 && errno != EINTR)
            break;
        simctl_handle(&srv, pfd, n);
        /* what the host writes to a scanner is ignored, as a scanner does */
        char junk[256];
        while (read(master, junk, sizeof junk) > 0)
            ;
    }
    simctl_close(&srv, ctl);
    unlink(link);
    close(slave);
    close(master);
    return 0;
}
