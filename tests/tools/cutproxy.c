/* cutproxy: a TCP relay that loses the registry's answers. Once the server has sent AFTER
 * bytes on a connection (its TLS handshake flight and its session tickets: about 2.5 kB with
 * the test PKI), the next bytes it sends — the HTTP answer, written after the records were
 * committed — are dropped and both connections closed: the registry has committed, the kiosk
 * never hears so. Every EVERY-th connection is relayed untouched, so that a drain can finish.
 * Prints one line per cut on stderr (CUTPROXY_DEBUG=1: every server chunk).
 *
 *   cutproxy LISTEN_PORT TARGET_PORT AFTER EVERY */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void relay(int c, int target, long after, int cut) {
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
            if (n <= 0 || write(s, buf, (size_t)n) != n)
                break;
            from_client += n;
        }
        if (p[1].revents) {
            ssize_t n = read(s, buf, sizeof buf);
            if (n <= 0)
                break;
            if (getenv("CUTPROXY_DEBUG"))
                fprintf(stderr, "cutproxy: server chunk %zd after %ld client, %ld server bytes\n",
                        n, from_client, from_server);
            if (cut && from_server >= after) {
                fprintf(stderr, "cutproxy: cut an answer after %ld bytes from the server\n",
                        from_server);
                break;
            }
            from_server += n;
            if (write(c, buf, (size_t)n) != n)
                break;
        }
    }
    close(s);
}

int main(int argc, char **argv) {
    if (argc != 5)
        return 2;
    int lport = atoi(argv[1]), target = atoi(argv[2]), every = atoi(argv[4]);
    long after = atol(argv[3]);
    signal(SIGCHLD, SIG_IGN);
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)lport)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 16) != 0)
        return 1;
    for (long n = 1;; n++) {
        int c = accept(l, NULL, NULL);
        if (c < 0)
            continue;
        if (fork() == 0) {
            close(l);
            relay(c, target, after, every <= 0 || n % every != 0);
            close(c);
            _exit(0);
        }
        close(c);
    }
}
