/* escpos-sim: a simulated receipt printer for tests and the demo.
 *
 *   escpos-sim (--listen HOST:PORT | --link PATH) --out DIR [--control SOCKET] [--fonts FILE]
 *
 * It takes ESC/POS jobs on a TCP port (like a network printer on 9100) or on a pty linked at
 * PATH (like a serial printer), renders each job (ended by a cut, or by the connection
 * closing) to DIR/NNNN.png with escpos_render, keeps its bytes in DIR/NNNN.bin, and answers
 * DLE EOT status requests at once. Its control socket (simctl.h) takes:
 *   status WORD...   ok | paper_out | near_end | cover_open | offline | error, or
 *                    silent (status requests go unanswered) | garbage (answers 0xFF)
 *   jobs             "ok N": jobs printed so far */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escpos.h"
#include "escpos_parse.h"
#include "escpos_render.h"
#include "serial.h"
#include "simctl.h"

struct psim {
    const char *out_dir;
    struct escpos_render *render;
    unsigned flags;
    int silent, garbage;
    int jobs;
    uint8_t rx[1 << 16];
    size_t rx_len;
    uint8_t *job;
    size_t job_len, job_cap;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

static uint8_t status_byte(const struct psim *s, int n) {
    uint8_t b = 0x12;
    switch (n) {
    case 1:
        if (s->flags & ESCPOS_ST_OFFLINE)
            b |= 0x08;
        break;
    case 2:
        if (s->flags & ESCPOS_ST_COVER_OPEN)
            b |= 0x04;
        if (s->flags & ESCPOS_ST_PAPER_OUT)
            b |= 0x20;
        if (s->flags & ESCPOS_ST_ERROR)
            b |= 0x40;
        break;
    case 4:
        if (s->flags & ESCPOS_ST_PAPER_NEAR_END)
            b |= 0x0C;
        if (s->flags & ESCPOS_ST_PAPER_OUT)
            b |= 0x60;
        break;
    default:
        break;
    }
    return b;
}

static void end_job(struct psim *s) {
    if (!escpos_render_has_content(s->render) && s->job_len == 0)
        return;
    s->jobs++;
    char path[1024];
    snprintf(path, sizeof path, "%s/%04d.bin", s->out_dir, s->jobs);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(s->job, 1, s->job_len, f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/%04d.png", s->out_dir, s->jobs);
    if (escpos_render_save(s->render, path) != 0)
        fprintf(stderr, "escpos-sim: cannot write %s\n", path);
    else
        fprintf(stderr, "escpos-sim: job %d -> %s\n", s->jobs, path);
    escpos_render_reset(s->render);
    s->job_len = 0;
}

static void keep(struct psim *s, const uint8_t *p, size_t n) {
    if (s->job_len + n > s->job_cap) {
        size_t cap = (s->job_cap ? s->job_cap * 2 : 65536) + n;
        uint8_t *j = realloc(s->job, cap);
        if (!j)
            return;
        s->job = j;
        s->job_cap = cap;
    }
    memcpy(s->job + s->job_len, p, n);
    s->job_len += n;
}

/* Handles the bytes received on fd; answers status requests on it. */
static void take(struct psim *s, int fd, const uint8_t *p, size_t n) {
    if (s->rx_len + n > sizeof s->rx)
        s->rx_len = 0; /* a runaway command: start over */
    memcpy(s->rx + s->rx_len, p, n);
    s->rx_len += n;
    size_t off = 0;
    for (;;) {
        struct escpos_cmd c;
        int used = escpos_parse(s->rx + off, s->rx_len - off, &c);
        if (used <= 0)
            break;
        if (c.op == EP_STATUS) {
            if (!s->silent) {
                uint8_t a = s->garbage ? 0xFF : status_byte(s, c.arg);
                if (write(fd, &a, 1) != 1)
                    fprintf(stderr, "escpos-sim: cannot answer a status request\n");
            }
        } else {
            keep(s, s->rx + off, (size_t)used);
            escpos_render_cmd(s->render, &c);
            if (c.op == EP_CUT)
                end_job(s);
        }
        off += (size_t)used;
    }
    memmove(s->rx, s->rx + off, s->rx_len - off);
    s->rx_len -= off;
}

static void control(void *ctx, const char *line, char *reply, size_t size) {
    struct psim *s = ctx;
    if (!strncmp(line, "status ", 7)) {
        unsigned flags = 0;
        int silent = 0, garbage = 0;
        char words[512];
        snprintf(words, sizeof words, "%s", line + 7);
        for (char *w = strtok(words, " "); w; w = strtok(NULL, " ")) {
            if (!strcmp(w, "ok"))
                ;
            else if (!strcmp(w, "paper_out"))
                flags |= ESCPOS_ST_PAPER_OUT;
            else if (!strcmp(w, "near_end"))
                flags |= ESCPOS_ST_PAPER_NEAR_END;
            else if (!strcmp(w, "cover_open"))
                flags |= ESCPOS_ST_COVER_OPEN;
            else if (!strcmp(w, "offline"))
                flags |= ESCPOS_ST_OFFLINE;
            else if (!strcmp(w, "error"))
                flags |= ESCPOS_ST_ERROR;
            else if (!strcmp(w, "silent"))
                silent = 1;
            else if (!strcmp(w, "garbage"))
                garbage = 1;
            else {
                snprintf(reply, size, "error: unknown status %s", w);
                return;
            }
        }
        s->flags = flags;
        s->silent = silent;
        s->garbage = garbage;
        snprintf(reply, size, "ok");
    } else if (!strcmp(line, "jobs")) {
        snprintf(reply, size, "ok %d", s->jobs);
    } else {
        snprintf(reply, size, "error: unknown command");
    }
}

static int listen_tcp(const char *hostport) {
    char host[256];
    const char *colon = strrchr(hostport, ':');
    if (!colon || (size_t)(colon - hostport) >= sizeof host)
        return -1;
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = 0;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *ai;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
        return -1;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int rc = fd < 0 ? -1 : bind(fd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (rc != 0 || listen(fd, 4) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int open_pty(const char *link, int *keep_slave) {
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0)
        return -1;
    const char *name = ptsname(m);
    *keep_slave = name ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
    if (*keep_slave < 0 || serial_set_raw(*keep_slave) != SERIAL_OK)
        return -1;
    unlink(link);
    if (symlink(name, link) != 0)
        return -1;
    return m;
}

int main(int argc, char **argv) {
    static const struct option opts[] = {{"listen", required_argument, 0, 'l'},
                                         {"link", required_argument, 0, 'k'},
                                         {"out", required_argument, 0, 'o'},
                                         {"control", required_argument, 0, 'c'},
                                         {"fonts", required_argument, 0, 'f'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *listen_at = NULL, *link = NULL, *ctl = NULL, *fonts = NULL;
    static struct psim s;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            listen_at = optarg;
            break;
        case 'k':
            link = optarg;
            break;
        case 'o':
            s.out_dir = optarg;
            break;
        case 'c':
            ctl = optarg;
            break;
        case 'f':
            fonts = optarg;
            break;
        case 'h':
            printf("usage: escpos-sim (--listen HOST:PORT | --link PATH) --out DIR "
                   "[--control SOCKET] [--fonts FILE]\n");
            return 0;
        default:
            fprintf(stderr, "escpos-sim: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    if ((!listen_at == !link) || !s.out_dir) {
        fprintf(stderr, "escpos-sim: one of --listen or --link, and --out, are required\n");
        return 2;
    }
    char default_fonts[1100];
    if (!fonts)
        fonts = escpos_render_default_fonts(default_fonts, sizeof default_fonts);
    mkdir(s.out_dir, 0755);
    s.render = escpos_render_new(fonts);
    if (!s.render)
        return 1;
    int lfd = -1, slave = -1, conn = -1;
    if (listen_at) {
        lfd = listen_tcp(listen_at);
        if (lfd < 0) {
            fprintf(stderr, "escpos-sim: cannot listen on %s: %s\n", listen_at, strerror(errno));
            return 1;
        }
        /* port 0 takes any free one (tests run side by side): the one bound is said */
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        if (getsockname(lfd, (struct sockaddr *)&ss, &sl) == 0 && ss.ss_family == AF_INET)
            fprintf(stderr, "escpos-sim: listening on port %d\n",
                    ntohs(((struct sockaddr_in *)&ss)->sin_port));
    } else {
        conn = open_pty(link, &slave);
        if (conn < 0) {
            fprintf(stderr, "escpos-sim: cannot create the pty at %s\n", link);
            return 1;
        }
    }
    struct simctl_server srv = {.listen_fd = -1};
    if (ctl && simctl_listen(&srv, ctl, control, &s) != 0) {
        fprintf(stderr, "escpos-sim: cannot listen on %s\n", ctl);
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    while (!stop) {
        struct pollfd pfd[3 + SIMCTL_MAX_CLIENTS];
        pfd[0] = (struct pollfd){lfd, POLLIN, 0};
        pfd[1] = (struct pollfd){conn, POLLIN, 0};
        int n = ctl ? simctl_pollfds(&srv, pfd + 2, SIMCTL_MAX_CLIENTS + 1) : 0;
        if (poll(pfd, (nfds_t)(2 + n), 500) < 0 && errno != EINTR)
            break;
        if (lfd >= 0 && (pfd[0].revents & POLLIN) && conn < 0)
            conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (conn >= 0 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            uint8_t buf[8192];
            ssize_t r = read(conn, buf, sizeof buf);
            if (r > 0) {
                take(&s, conn, buf, (size_t)r);
            } else if (listen_at && (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))) {
                end_job(&s); /* the connection closing ends a job without a cut */
                close(conn);
                conn = -1;
                s.rx_len = 0;
            }
        }
        if (ctl)
            simctl_handle(&srv, pfd + 2, n);
    }
    end_job(&s);
    if (ctl)
        simctl_close(&srv, ctl);
    if (link)
        unlink(link);
    escpos_render_free(s.render);
    free(s.job);
    return 0;
}
