/* cutproxy: a TCP relay that misbehaves, for the sync fault tests. Two modes:
 *
 *   cutproxy LISTEN_PORT TARGET_PORT cut AFTER EVERY   (LISTEN_PORT 0: any free one, said)
 *       Loses the registry's answers. Once the server has sent AFTER bytes on a connection
 *       (its TLS handshake flight and its session tickets: about 2.5 kB with the test PKI),
 *       the next bytes it sends — the HTTP answer, written after the records were committed —
 *       are dropped and both connections closed: the registry has committed, the kiosk never
 *       hears so. Every EVERY-th connection is relayed untouched, so that a drain can finish.
 *
 *   cutproxy LISTEN_PORT TARGET_PORT lossy DELAY_MS RATE_BPS DROP_PCT STALL_PCT SEED
 *       A slow, lossy link (a roving point on weak 4G): each chunk waits DELAY_MS (±50 %) and
 *       is paced to RATE_BPS bytes a second in 1400-byte segments; with STALL_PCT % a chunk
 *       stalls 1.5 s first (what a lost segment's retransmission timeout looks like from
 *       above TCP); with DROP_PCT % the link dies there: both sides get a reset, mid-request
 *       or mid-answer.
 *
 * Prints one line per cut, drop or stall on stderr (CUTPROXY_DEBUG=1: every server chunk). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct link {
    int cut;    /* cut mode: this connection loses its answer */
    long after; /* cut mode */
    int lossy;  /* lossy mode */
    int delay_ms, drop_pct, stall_pct;
    long rate_bps;
    unsigned seed;
};

static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Closes with a reset (SO_LINGER 0): the peer sees the link die, not an orderly end. */
static void reset(int fd) {
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

/* Forwards one chunk over the lossy link; -1 when the link died (both sides reset). */
static int lossy_forward(struct link *l, int to, const char *buf, ssize_t n, const char *dir) {
    if ((int)(rand_r(&l->seed) % 100) < l->drop_pct) {
        fprintf(stderr, "cutproxy: link dropped %s\n", dir);
        return -1;
    }
    if ((int)(rand_r(&l->seed) % 100) < l->stall_pct) {
        fprintf(stderr, "cutproxy: stall %s\n", dir);
        sleep_ms(1500);
    }
    sleep_ms(l->delay_ms / 2 + (long)(rand_r(&l->seed) % (unsigned)(l->delay_ms + 1)));
    for (ssize_t off = 0; off < n; off += 1400) {
        ssize_t seg = n - off < 1400 ? n - off : 1400;
        if (write(to, buf + off, (size_t)seg) != seg)
            return -1;
        sleep_ms(seg * 1000 / l->rate_bps);
    }
    return 0;
}

static void relay(int c, int target, struct link *l) {
    int s = connect_to(target);
    if (s < 0)
        return;
    long from_client = 0, from_server = 0;
    struct pollfd p[2] = {{c, POLLIN, 0}, {s, POLLIN, 0}};
    char buf[16384];
    for (;;) {
        if (poll(p, 2, 30000) <= 0)
            break;
        if (p[0].revents) {
            ssize_t n = read(c, buf, sizeof buf);
            if (n <= 0)
                break;
            if (l->lossy ? lossy_forward(l, s, buf, n, "kiosk->registry") != 0
                         : write(s, buf, (size_t)n) != n) {
                reset(s);
                reset(c);
                return;
            }
            from_client += n;
        }
        if (p[1].revents) {
            ssize_t n = read(s, buf, sizeof buf);
            if (n <= 0)
                break;
            if (getenv("CUTPROXY_DEBUG"))
                fprintf(stderr, "cutproxy: server chunk %zd after %ld client, %ld server bytes\n",
                        n, from_client, from_server);
            if (l->cut && from_server >= l->after) {
                fprintf(stderr, "cutproxy: cut an answer after %ld bytes from the server\n",
                        from_server);
                break;
            }
            from_server += n;
            if (l->lossy ? lossy_forward(l, c, buf, n, "registry->kiosk") != 0
                         : write(c, buf, (size_t)n) != n) {
                reset(s);
                reset(c);
                return;
            }
        }
    }
    close(s);
}

static int usage(void) {
    fprintf(stderr, "usage: cutproxy LISTEN_PORT TARGET_PORT cut AFTER EVERY\n"
                    "       cutproxy LISTEN_PORT TARGET_PORT lossy DELAY_MS RATE_BPS DROP_PCT "
                    "STALL_PCT SEED\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 4)
        return usage();
    int lport = atoi(argv[1]), target = atoi(argv[2]), every = 0;
    struct link base = {0};
    if (!strcmp(argv[3], "cut") && argc == 6) {
        base.after = atol(argv[4]);
        every = atoi(argv[5]);
    } else if (!strcmp(argv[3], "lossy") && argc == 9) {
        base.lossy = 1;
        base.delay_ms = atoi(argv[4]);
        base.rate_bps = atol(argv[5]);
        base.drop_pct = atoi(argv[6]);
        base.stall_pct = atoi(argv[7]);
        base.seed = (unsigned)atoi(argv[8]);
        if (base.rate_bps < 1 || base.delay_ms < 0)
            return usage();
    } else {
        return usage();
    }
    signal(SIGCHLD, SIG_IGN);
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)lport)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 16) != 0)
        return 1;
    /* port 0 takes any free one: the one bound is said, and tells the test it is ready */
    socklen_t al = sizeof a;
    if (getsockname(l, (struct sockaddr *)&a, &al) == 0)
        fprintf(stderr, "cutproxy: listening on port %d\n", ntohs(a.sin_port));
    for (long n = 1;; n++) {
        int c = accept(l, NULL, NULL);
        if (c < 0)
            continue;
        struct link k = base;
        k.cut = !base.lossy && (every <= 0 || n % every != 0);
        k.seed = base.seed + (unsigned)n * 7919u; /* each connection its own, reproducible */
        if (fork() == 0) {
            close(l);
            relay(c, target, &k);
            close(c);
            _exit(0);
        }
        close(c);
    }
}
