/* The PostgreSQL backend's change cursors under concurrent writers (run by with_pg.sh): four
 * processes, each on its own connection, add appointments and commands at once while a reader
 * pulls "what changed since my cursor" as the kiosks do. Every change is read exactly once: a
 * number handed out in an order other than commits' (a plain sequence) would let the reader's
 * cursor pass a change committed after a later-numbered one, which it would then never see.
 * Then the numbers: 1 to N with no gap and none twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rstore_tmp.h"

#define WRITERS 4
#define EACH 150

static void writer(const char *db, int w) {
    char info[600];
    snprintf(info, sizeof info, "%s dbname=%s", getenv("RSTORE_PG"), db);
    struct rstore *rs = rstore_open_pg(info);
    if (!rs)
        _exit(3);
    for (int i = 0; i < EACH; i++) {
        char id[32], json[128];
        snprintf(id, sizeof id, "w%d-%d", w, i);
        snprintf(json, sizeof json, "{\"id\":\"%s\",\"office\":\"370602\"}", id);
        if (rstore_appointment_put(rs, id, "370602", json) != 0 ||
            rstore_command_add(rs, "YT-1", "notice", id) < 0)
            _exit(4);
    }
    rstore_close(rs);
    _exit(0);
}

static void concurrent_cursors(void **state) {
    (void)state;
    assert_non_null(getenv("RSTORE_PG")); /* run by tests/tools/with_pg.sh */
    char dir[256];
    struct rstore *rs = rstore_tmp_open(dir, "test_cursors");
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0)
            writer(dir + 3, w);
    }
    static int seen_appt[WRITERS][EACH], seen_cmd[WRITERS][EACH];
    memset(seen_appt, 0, sizeof seen_appt);
    memset(seen_cmd, 0, sizeof seen_cmd);
    long acur = 0, ccur = 0;
    int running = WRITERS, reads = 0;
    for (;;) {
        /* the reader: the kiosks' pulls, in pages */
        long next = acur;
        struct rstore_rows *a = rstore_appointments_since(rs, "370602", acur, 40, &next);
        assert_non_null(a);
        for (int i = 0; i < a->nrows; i++) {
            int w = -1, k = -1;
            const char *j = rstore_cell(a, i, 0);
            assert_int_equal(sscanf(strstr(j, "\"w") + 2, "%d-%d", &w, &k), 2);
            seen_appt[w][k]++;
        }
        acur = next;
        int n = 0;
        struct rstore_rows *c = rstore_commands_after(rs, "YT-1", ccur, &n);
        assert_non_null(c);
        for (int i = 0; i < c->nrows; i++) {
            int w = -1, k = -1;
            assert_int_equal(sscanf(rstore_cell(c, i, 2), "w%d-%d", &w, &k), 2);
            seen_cmd[w][k]++;
            ccur = atol(rstore_cell(c, i, 0));
        }
        bool empty = a->nrows == 0 && c->nrows == 0;
        rstore_rows_free(a);
        rstore_rows_free(c);
        reads++;
        while (running > 0) {
            int st;
            pid_t p = waitpid(-1, &st, WNOHANG);
            if (p <= 0)
                break;
            assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
            running--;
        }
        if (!running && empty)
            break;
    }
    for (int w = 0; w < WRITERS; w++)
        for (int k = 0; k < EACH; k++) {
            if (seen_appt[w][k] != 1 || seen_cmd[w][k] != 1)
                fail_msg("w%d-%d: appointment seen %d times, command %d times", w, k,
                         seen_appt[w][k], seen_cmd[w][k]);
        }
    assert_int_equal(acur, WRITERS * EACH); /* numbered 1..N: the last is N */
    assert_int_equal(ccur, WRITERS * EACH);
    print_message("%d pulls while %d writers added %d changes each\n", reads, WRITERS, 2 * EACH);
    assert_int_equal(rstore_tmp_close(rs, dir), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(concurrent_cursors)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
