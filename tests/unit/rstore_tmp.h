/* The unit tests' registry storage, fresh for each test: the SQLite backend in a directory of
 * its own under /tmp, or, when RSTORE_PG holds a libpq connection string (the throwaway server
 * of tests/tools/with_pg.sh), the PostgreSQL backend on a database of its own; removed
 * afterwards. The same tests run on both backends. Include after cmocka.h. */
#ifndef TESTS_RSTORE_TMP_H
#define TESTS_RSTORE_TMP_H

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rstore.h"
#include "seal.h"

/* The tests' data key: every store is sealed, as registryd's are. */
static inline const struct seal *rstore_tmp_seal(void) {
    static struct seal *s;
    static const uint8_t key[32] = {7, 1, 7, 0, 4, 2};
    if (!s)
        s = seal_of_key(key);
    return s;
}

/* A statement on the server's maintenance database: 0 or -1. */
static inline int rstore_tmp_pg_admin(const char *base, const char *sql) {
    char info[600];
    snprintf(info, sizeof info, "%s dbname=postgres", base);
    PGconn *c = PQconnectdb(info);
    PGresult *res = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
    int rc = res && PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "rstore_tmp: %s: %s\n", sql, PQerrorMessage(c));
    PQclear(res);
    PQfinish(c);
    return rc;
}

/* Opens a fresh store named after name (dir: 256 bytes; a directory, or "pg:DATABASE"). */
static inline struct rstore *rstore_tmp_open(char *dir, const char *name) {
    const char *pg = getenv("RSTORE_PG");
    struct rstore *rs;
    if (pg && pg[0]) {
        static int n;
        snprintf(dir, 256, "pg:t_%s_%d_%d", name, (int)getpid(), n++);
        char sql[300];
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", dir + 3);
        assert_int_equal(rstore_tmp_pg_admin(pg, sql), 0);
        char info[600];
        snprintf(info, sizeof info, "%s dbname=%s", pg, dir + 3);
        rs = rstore_open_pg(info);
    } else {
        snprintf(dir, 256, "/tmp/%s.XXXXXX", name);
        assert_non_null(mkdtemp(dir));
        rs = rstore_open(dir);
    }
    assert_non_null(rs);
    rstore_set_seal(rs, rstore_tmp_seal());
    return rs;
}

/* The first cell of sql run on the store's database itself, past the storage layer (what a
 * copy of the database file or a dump holds), into out: 0, or -1. */
static inline int rstore_tmp_raw(const char *dir, const char *sql, char *out, size_t cap) {
    out[0] = 0;
    char cmd[1200];
    if (!strncmp(dir, "pg:", 3))
        snprintf(cmd, sizeof cmd, "psql '%s dbname=%s' -qAtc \"%s\"", getenv("RSTORE_PG"),
                 dir + 3, sql);
    else
        snprintf(cmd, sizeof cmd, "sqlite3 %s/registry.db \"%s\"", dir, sql);
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = 0;
    out[strcspn(out, "\n")] = 0;
    return pclose(f) == 0 ? 0 : -1;
}

/* Closes it and removes it: 0, or non-zero. */
static inline int rstore_tmp_close(struct rstore *rs, const char *dir) {
    rstore_close(rs);
    if (!strncmp(dir, "pg:", 3)) {
        char sql[300];
        snprintf(sql, sizeof sql, "DROP DATABASE %s", dir + 3);
        return rstore_tmp_pg_admin(getenv("RSTORE_PG"), sql);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

#endif
