/* file: see file.h. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* path opened for reading when it is a regular file (O_NONBLOCK: a FIFO does not block the
 * open), else NULL with errno EINVAL. */
static FILE *open_regular(const char *path) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f)
        close(fd);
    return f;
}

int file_ini(const char *path, size_t max,
             int (*handler)(void *user, const char *section, const char *name, const char *value),
             void *user) {
    char *text = file_read(path, max, NULL);
    if (!text)
        return -1;
    int rc = ini_parse_string(text, handler, user);
    free(text);
    return rc;
}

char *file_read(const char *path, size_t max, size_t *len) {
    FILE *f = open_regular(path);
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            if (cap > max + 1) { /* larger than allowed: refuse rather than grow */
                free(buf);
                buf = NULL;
                break;
            }
            char *p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    if (!buf || n > max) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

int file_replace(const char *path, const char *text) {
    char tmp[1100];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    int ok = f && fwrite(text, 1, strlen(text), f) == strlen(text);
    if (f)
        ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}
