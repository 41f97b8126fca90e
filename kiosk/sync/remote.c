/* remote: see remote.h. */
#include "remote.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "utf8.h"

static void lock_path(char *out, size_t cap, const char *state_dir, const char *suffix) {
    snprintf(out, cap, "%s/locked%s", state_dir, suffix);
}

static int sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int remote_lock_set(const char *state_dir, bool locked) {
    char path[1024], tmp[1040];
    lock_path(path, sizeof path, state_dir, "");
    if (!locked) {
        if (unlink(path) != 0 && access(path, F_OK) == 0)
            return -1;
        return sync_dir(state_dir);
    }
    lock_path(tmp, sizeof tmp, state_dir, ".tmp");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    static const char why[] = "locked by the central registry\n";
    bool ok = write(fd, why, sizeof why - 1) == (ssize_t)(sizeof why - 1) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return sync_dir(state_dir);
}

bool remote_locked(const char *state_dir) {
    char path[1024];
    lock_path(path, sizeof path, state_dir, "");
    return access(path, F_OK) == 0;
}

void remote_notice_clean(char *out, size_t cap, const char *in) {
    size_t o = 0, len = strlen(in);
    int count = 0;
    if (cap == 0)
        return;
    for (size_t i = 0; i < len && count < REMOTE_NOTICE_MAX;) {
        uint32_t cp;
        size_t used = utf8_decode(in + i, len - i, &cp);
        i += used;
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029)
            cp = ' ';
        if (cp == ' ' && (o == 0 || out[o - 1] == ' '))
            continue; /* no leading or doubled spaces */
        char enc[4];
        size_t n = utf8_encode(cp, enc);
        if (n == 0 || o + n >= cap)
            break;
        memcpy(out + o, enc, n);
        o += n;
        count++;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = 0;
}
