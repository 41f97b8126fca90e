/* session: the citizen's session memory, one arena wiped on every return to home.
 *
 * Everything a citizen enters or the card reader delivers for this session (names, ID numbers,
 * addresses, form answers) is allocated here and nowhere else, so that one explicit_bzero()
 * removes it all. The arena is locked in RAM when the system allows it, so personal data is not
 * written to swap. Allocation never fails silently: it returns NULL when the arena is full, and
 * callers show an error. Not thread-safe: main thread only. */
#ifndef APP_SESSION_H
#define APP_SESSION_H

#include <stdbool.h>
#include <stddef.h>

struct session {
    unsigned char *buf;
    size_t cap;
    size_t used;
    unsigned generation; /* increases on every wipe, so stale pointers can be detected */
    bool locked;         /* mlock() succeeded */
};

/* Reserves cap bytes. Returns 0, or -1 when the memory cannot be had. */
int session_init(struct session *s, size_t cap);
void session_free(struct session *s);
/* Returns zeroed, 16-byte aligned memory valid until the next wipe, or NULL when full. */
void *session_alloc(struct session *s, size_t size);
/* Copies str into the arena; NULL when full. */
char *session_strdup(struct session *s, const char *str);
/* Zeroes every byte handed out and starts again. */
void session_wipe(struct session *s);
/* True when every byte of the arena is zero (for tests of the wipe). */
bool session_is_zero(const struct session *s);

#endif
