/* session: see session.h. */
#include "session.h"

#include <string.h>
#include <sys/mman.h>

int session_init(struct session *s, size_t cap) {
    memset(s, 0, sizeof *s);
    void *p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    /* Keep it out of core dumps and swap; both are best effort on an unprivileged account. */
    madvise(p, cap, MADV_DONTDUMP);
    s->locked = mlock(p, cap) == 0;
    s->buf = p;
    s->cap = cap;
    return 0;
}

void session_free(struct session *s) {
    if (!s->buf)
        return;
    explicit_bzero(s->buf, s->cap);
    if (s->locked)
        munlock(s->buf, s->cap);
    munmap(s->buf, s->cap);
    memset(s, 0, sizeof *s);
}

void *session_alloc(struct session *s, size_t size) {
    size_t start = (s->used + 15) & ~(size_t)15;
    if (start > s->cap || size > s->cap - start)
        return NULL;
    s->used = start + size;
    return s->buf + start; /* already zero: the arena is zeroed on wipe */
}

char *session_strdup(struct session *s, const char *str) {
    size_t n = strlen(str) + 1;
    char *p = session_alloc(s, n);
    if (p)
        memcpy(p, str, n);
    return p;
}

void session_wipe(struct session *s) {
    if (s->buf && s->used)
        explicit_bzero(s->buf, s->used);
    s->used = 0;
    s->generation++;
}

bool session_is_zero(const struct session *s) {
    for (size_t i = 0; i < s->cap; i++) {
        if (s->buf[i])
            return false;
    }
    return true;
}
