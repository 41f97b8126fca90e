/* The unit tests' registry storage: the SQLite backend in a directory of its own under /tmp,
 * removed afterwards. Include after cmocka.h. */
#ifndef TESTS_RSTORE_TMP_H
#define TESTS_RSTORE_TMP_H

#include <stdio.h>
#include <stdlib.h>

#include "rstore.h"

/* Opens a fresh store in a new directory named after name (dir: 256 bytes). */
static inline struct rstore *rstore_tmp_open(char *dir, const char *name) {
    snprintf(dir, 256, "/tmp/%s.XXXXXX", name);
    assert_non_null(mkdtemp(dir));
    struct rstore *rs = rstore_open(dir);
    assert_non_null(rs);
    return rs;
}

/* Closes it and removes its directory: 0, or the shell's status. */
static inline int rstore_tmp_close(struct rstore *rs, const char *dir) {
    rstore_close(rs);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

#endif
