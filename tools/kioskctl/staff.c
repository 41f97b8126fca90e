/* staff: kioskctl staff hash NUMBER [--pepper FILE]: the [staff] line of a kiosk's
 * configuration; kioskctl staff pepper FILE: a new pepper (32 random bytes, 0600) for it. The
 * PIN comes from standard input, not the command line, which other users of the machine can
 * see. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "file.h"
#include "kioskctl.h"
#include "pin.h"

/* The pepper of FILE: 0, or -1 (said). */
static int read_pepper(const char *file, uint8_t out[PIN_PEPPER_LEN]) {
    int rc = crypto_key_file(file, out, PIN_PEPPER_LEN);
    if (rc != 0)
        fprintf(stderr, "kioskctl: %s is not a staff pepper (kioskctl staff pepper FILE)\n", file);
    return rc;
}

int staff_hash(int argc, char **argv) {
    if (argc != 4 && !(argc == 6 && !strcmp(argv[4], "--pepper")))
        return cmd_usage();
    uint8_t pepper[PIN_PEPPER_LEN];
    bool peppered = argc == 6;
    if (peppered && read_pepper(argv[5], pepper) != 0)
        return 2;
    char pin[64] = "", line[256];
    if (!fgets(pin, sizeof pin, stdin))
        return cmd_bad("PIN", "none on standard input");
    pin[strcspn(pin, "\r\n")] = 0;
    size_t nl = strlen(argv[3]);
    int rc = nl >= 1 && nl <= 12 && strspn(argv[3], "0123456789") == nl
                 ? pin_hash(pin, peppered ? pepper : NULL, PIN_ITERATIONS, line, sizeof line)
                 : -1;
    explicit_bzero(pin, sizeof pin);
    explicit_bzero(pepper, sizeof pepper);
    if (rc != 0)
        return cmd_bad(argv[3], "the staff number must be 1-12 digits and the PIN 6-12 digits");
    if (!peppered)
        fprintf(stderr, "kioskctl: without --pepper a copy of the configuration lets a 6-digit "
                        "PIN be searched in hours; consider kioskctl staff pepper\n");
    printf("%s = %s\n", argv[3], line);
    return 0;
}

int staff_pepper(int argc, char **argv) {
    if (argc != 4)
        return cmd_usage();
    uint8_t p[PIN_PEPPER_LEN];
    char b64[64];
    if (crypto_random(p, sizeof p) != 0)
        return 1;
    size_t n = crypto_b64url_encode(p, sizeof p, b64);
    explicit_bzero(p, sizeof p);
    b64[n++] = '\n';
    int fd = open(argv[3], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write(fd, b64, n) == (ssize_t)n && fsync(fd) == 0;
    int err = errno;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    explicit_bzero(b64, sizeof b64);
    if (!ok) {
        fprintf(stderr, "kioskctl: %s: %s\n", argv[3],
                err == EEXIST ? "exists already (a pepper is never overwritten)" : strerror(err));
        return 1;
    }
    printf("%s: a new staff pepper (0600); set [paths] staff_pepper to it on the kiosks\n",
           argv[3]);
    return 0;
}
