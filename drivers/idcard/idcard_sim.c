/* idcard-sim: a simulated GA 467 reader on a pseudo-terminal, for tests and the demo.
 *
 *   idcard-sim --link PATH --control SOCKET [--card FILE] [--no-pace]
 *
 * It answers the real frames (ga467.c builds them) on a pty linked at PATH, paced at 115200
 * baud wire speed, so the kiosk's real driver code reads from it as from a reader. Its control
 * socket (simctl.h) takes one command a line:
 *   insert FILE        put a card (tests/data/cards format) on the reader
 *   remove             lift it
 *   unplug | replug    the USB cable: the pty goes away, then comes back at the same link
 *   fault NAME [N]     the next N answers (default 1): checksum (bad checksum), truncate
 *                      (half a frame, then silence), garbage (noise before the answer),
 *                      silence (no answer), readfail (the next N reads answer 41);
 *                      "fault none" clears a pending fault
 *   status             "ok card=yes|no plugged=yes|no"
 * Like a real reader, after a card was read, find answers "no card" until it is lifted and put
 * back. Synthetic cards only: they name nobody. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ga467.h"
#include "idcard_json.h"
#include "idcard_text.h"
#include "log.h"
#include "serial.h"
#include "simctl.h"

enum fault { F_NONE, F_CHECKSUM, F_TRUNCATE, F_GARBAGE, F_SILENCE, F_READFAIL };

struct sim {
    const char *link;
    bool pace;
    int master, slave; /* -1 when unplugged */
    bool plugged;
    bool card, lifted_since_read;
    struct idcard_info info;
    uint8_t photo[IDCARD_PHOTO_LEN];
    enum fault fault;
    int fault_count;
    uint8_t rx[4096];
    size_t rx_len;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

static int plug(struct sim *s) {
    s->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s->master < 0 || grantpt(s->master) != 0 || unlockpt(s->master) != 0)
        return -1;
    const char *name = ptsname(s->master);
    if (!name)
        return -1;
    /* Our own open end keeps the pty alive between the driver's opens. */
    s->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s->slave < 0 || serial_set_raw(s->slave) != SERIAL_OK)
        return -1;
    fcntl(s->master, F_SETFL, O_NONBLOCK);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", s->link);
    unlink(tmp);
    if (symlink(name, tmp) != 0 || rename(tmp, s->link) != 0)
        return -1;
    s->plugged = true;
    s->rx_len = 0;
    return 0;
}

static void unplug(struct sim *s) {
    unlink(s->link);
    if (s->master >= 0)
        close(s->master);
    if (s->slave >= 0)
        close(s->slave);
    s->master = s->slave = -1;
    s->plugged = false;
}

/* Writes to the master at 115200 baud: 10 bits a byte on the wire. */
static void send_paced(struct sim *s, const uint8_t *p, size_t n) {
    size_t done = 0;
    while (done < n && s->master >= 0) {
        size_t chunk = n - done < 64 ? n - done : 64;
        ssize_t w = write(s->master, p + done, chunk);
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return;
        if (w > 0)
            done += (size_t)w;
        if (s->pace || w <= 0) {
            long ns = w > 0 ? (long)w * 10 * 1000000000L / 115200 : 1000000L;
            struct timespec ts = {0, ns};
            nanosleep(&ts, NULL);
        }
    }
}

static bool take_fault(struct sim *s, enum fault f) {
    if (s->fault != f || s->fault_count <= 0)
        return false;
    if (--s->fault_count == 0)
        s->fault = F_NONE;
    return true;
}

static void answer(struct sim *s, unsigned cmd) {
    static uint8_t out[GA467_MAX_FRAME + 64];
    uint8_t data[4 + IDCARD_TEXT_LEN + IDCARD_PHOTO_LEN];
    size_t n = 0;
    uint8_t sw3 = GA467_SW_OK;
    switch (cmd) {
    case GA467_CMD_RESET:
    case GA467_CMD_STATUS:
        break;
    case GA467_CMD_SAM_ID: {
        static const uint8_t id[16] = {5,    0,    1,    0,    0x15, 0xCD, 0x5B, 0x07,
                                       0xD2, 0x02, 0x96, 0x49, 0x40, 0xE2, 0x01, 0x00};
        memcpy(data, id, sizeof id);
        n = sizeof id;
        break;
    }
    case GA467_CMD_FIND:
        sw3 = s->card && s->lifted_since_read ? GA467_SW_FOUND : GA467_SW_NO_CARD;
        break;
    case GA467_CMD_SELECT:
        sw3 = s->card ? GA467_SW_OK : GA467_SW_SELECT_FAILED;
        break;
    case GA467_CMD_READ:
    case GA467_CMD_READ_FP:
        if (!s->card) {
            sw3 = GA467_SW_READ_FAILED;
            break;
        }
        if (take_fault(s, F_READFAIL)) {
            sw3 = GA467_SW_READ_FAILED;
            break;
        }
        data[0] = IDCARD_TEXT_LEN >> 8;
        data[1] = IDCARD_TEXT_LEN & 0xFF;
        data[2] = IDCARD_PHOTO_LEN >> 8;
        data[3] = IDCARD_PHOTO_LEN & 0xFF;
        idcard_text_encode(&s->info, data + 4);
        memcpy(data + 4 + IDCARD_TEXT_LEN, s->photo, IDCARD_PHOTO_LEN);
        n = 4 + IDCARD_TEXT_LEN + IDCARD_PHOTO_LEN;
        s->lifted_since_read = false; /* a real reader finds it again only once lifted */
        break;
    case GA467_CMD_READ_ADDR:
        sw3 = GA467_SW_EMPTY;
        break;
    default:
        sw3 = GA467_SW_UNKNOWN_CMD;
        break;
    }
    int len = ga467_build_answer(0, 0, sw3, data, n, out + 32, sizeof out - 32);
    explicit_bzero(data, sizeof data);
    if (len < 0)
        return;
    uint8_t *p = out + 32;
    size_t total = (size_t)len;
    if (take_fault(s, F_SILENCE))
        return;
    if (take_fault(s, F_CHECKSUM))
        p[total - 1] ^= 0x5A;
    if (take_fault(s, F_TRUNCATE))
        total /= 2;
    if (take_fault(s, F_GARBAGE)) {
        static const uint8_t noise[] = {0x00, 0xAA, 0x13, 0xAA, 0xAA, 0x96, 0x37, 0xFF,
                                        0xAA, 0xAA, 0xAA, 0x96, 0x00, 0x42, 0x69, 0x11};
        p -= sizeof noise;
        memcpy(p, noise, sizeof noise);
        total += sizeof noise;
    }
    send_paced(s, p, total);
}

static void on_input(struct sim *s) {
    ssize_t r = read(s->master, s->rx + s->rx_len, sizeof s->rx - s->rx_len);
    if (r <= 0)
        return;
    s->rx_len += (size_t)r;
    for (;;) {
        struct ga467_frame f;
        int n = ga467_parse(s->rx, s->rx_len, &f);
        if (n <= 0)
            break;
        if (f.kind == GA467_FRAME && f.payload_len >= 2) {
            answer(s, (unsigned)(f.payload[0] << 8 | f.payload[1]));
        } else if (f.kind == GA467_BAD_CHECKSUM) {
            uint8_t out[16];
            int len = ga467_build_answer(0, 0, GA467_SW_BAD_CHECKSUM, NULL, 0, out, sizeof out);
            send_paced(s, out, (size_t)len);
        }
        memmove(s->rx, s->rx + n, s->rx_len - (size_t)n);
        s->rx_len -= (size_t)n;
    }
    if (s->rx_len == sizeof s->rx)
        s->rx_len = 0;
}

static void fill_photo(uint8_t *photo) {
    /* Not a WLT image (only a licensed decoder makes one): recognisable filler of the size. */
    for (int i = 0; i < IDCARD_PHOTO_LEN; i++)
        photo[i] = (uint8_t)(i * 31 + 7);
    memcpy(photo, "WLT-SIMULATED", 13);
}

static void control(void *ctx, const char *line, char *reply, size_t size) {
    struct sim *s = ctx;
    char arg[512] = "";
    int count = 1;
    if (sscanf(line, "insert %511s", arg) == 1) {
        char err[256];
        struct idcard_info info;
        if (idcard_json_load(arg, &info, err, sizeof err) != 0) {
            snprintf(reply, size, "error: %s", err);
            return;
        }
        uint8_t block[IDCARD_TEXT_LEN];
        if (idcard_text_encode(&info, block) != IDCARD_TEXT_OK) {
            snprintf(reply, size, "error: a field of %s does not fit on a card", arg);
            return;
        }
        s->info = info;
        explicit_bzero(&info, sizeof info);
        s->card = true;
        s->lifted_since_read = true;
        snprintf(reply, size, "ok");
    } else if (!strcmp(line, "remove")) {
        s->card = false;
        explicit_bzero(&s->info, sizeof s->info);
        snprintf(reply, size, "ok");
    } else if (!strcmp(line, "unplug")) {
        unplug(s);
        snprintf(reply, size, "ok");
    } else if (!strcmp(line, "replug")) {
        if (!s->plugged && plug(s) != 0)
            snprintf(reply, size, "error: cannot create the pty: %s", strerror(errno));
        else
            snprintf(reply, size, "ok");
    } else if (!strcmp(line, "fault none")) {
        s->fault = F_NONE;
        s->fault_count = 0;
        snprintf(reply, size, "ok");
    } else if (sscanf(line, "fault %63s %d", arg, &count) >= 1) {
        static const char *const names[] = {"",        "checksum", "truncate",
                                            "garbage", "silence",  "readfail"};
        enum fault f = F_NONE;
        for (int i = 1; i <= 5; i++) {
            if (!strcmp(arg, names[i]))
                f = (enum fault)i;
        }
        if (f == F_NONE || count < 1) {
            snprintf(reply, size, "error: unknown fault %s", arg);
            return;
        }
        s->fault = f;
        s->fault_count = count;
        snprintf(reply, size, "ok");
    } else if (!strcmp(line, "status")) {
        snprintf(reply, size, "ok card=%s plugged=%s", s->card ? "yes" : "no",
                 s->plugged ? "yes" : "no");
    } else {
        snprintf(reply, size, "error: unknown command");
    }
}

static void usage(FILE *f) {
    fprintf(f, "usage: idcard-sim --link PATH --control SOCKET [--card FILE] [--no-pace]\n"
               "A simulated GA 467 ID card reader on a pty linked at PATH; see the top of\n"
               "drivers/idcard/idcard_sim.c for the control commands.\n");
}

int main(int argc, char **argv) {
    log_init("idcard-sim", LOG_INFO);
    static const struct option opts[] = {
        {"link", required_argument, 0, 'l'}, {"control", required_argument, 0, 'c'},
        {"card", required_argument, 0, 'k'}, {"no-pace", no_argument, 0, 'n'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
    struct sim s = {.master = -1, .slave = -1, .pace = true};
    const char *ctl = NULL, *card = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            s.link = optarg;
            break;
        case 'c':
            ctl = optarg;
            break;
        case 'k':
            card = optarg;
            break;
        case 'n':
            s.pace = false;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            fprintf(stderr, "idcard-sim: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    if (!s.link || !ctl || optind < argc) {
        fprintf(stderr, "idcard-sim: --link and --control are required\n");
        return 2;
    }
    fill_photo(s.photo);
    if (plug(&s) != 0) {
        fprintf(stderr, "idcard-sim: cannot create the pty at %s: %s\n", s.link, strerror(errno));
        return 1;
    }
    struct simctl_server srv;
    if (simctl_listen(&srv, ctl, control, &s) != 0) {
        fprintf(stderr, "idcard-sim: cannot listen on %s: %s\n", ctl, strerror(errno));
        unplug(&s);
        return 1;
    }
    if (card) {
        char reply[300], line[600];
        snprintf(line, sizeof line, "insert %s", card);
        control(&s, line, reply, sizeof reply);
        if (strncmp(reply, "ok", 2) != 0) {
            fprintf(stderr, "idcard-sim: %s\n", reply);
            return 2;
        }
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    log_info("sim", "reader at %s, control at %s", s.link, ctl);
    while (!stop) {
        struct pollfd pfd[2 + SIMCTL_MAX_CLIENTS];
        pfd[0] = (struct pollfd){s.master, POLLIN, 0};
        int n = simctl_pollfds(&srv, pfd + 1, SIMCTL_MAX_CLIENTS + 1);
        if (poll(pfd, (nfds_t)(n + 1), 500) < 0 && errno != EINTR)
            break;
        if (s.master >= 0 && (pfd[0].revents & POLLIN))
            on_input(&s);
        simctl_handle(&srv, pfd + 1, n);
    }
    simctl_close(&srv, ctl);
    unplug(&s);
    explicit_bzero(&s.info, sizeof s.info);
    return 0;
}
