/* The crash test of the store: a child captures applications in a loop, telling the parent
 * each id it has committed; the parent kills it with SIGKILL at a random moment. 200 times.
 * Afterwards: PRAGMA integrity_check is ok; every committed application is there with its
 * outbox entry; no application lacks one and no outbox entry lacks its application; the
 * audit chain verifies; every sealed record opens. Then kioskctl checks the chain too.
 *
 *   store_crash BIN_DIR [ROUNDS] */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "store.h"

static const char couple[] = "{\"a\":{\"name\":\"郑测涛\",\"id_number\":\"370602199503123011\"},"
                             "\"b\":{\"name\":\"马试兰\",\"id_number\":\"37061319681130204X\"}}";

static int child(const char *dir, int out) {
    struct store *s;
    if (store_open(&s, dir, clock_system()) != STORE_OK)
        return 1;
    for (;;) {
        char id[UUID_STR_LEN];
        if (store_add_application(s, "joint", couple, "370602199503123011", "37061319681130204X",
                                  id) != STORE_OK)
            return 1;
        char line[64];
        int n = snprintf(line, sizeof line, "%s\n", id);
        if (write(out, line, (size_t)n) != n) /* only after the commit returned */
            return 1;
        if (rand() % 4 == 0) {
            if (store_ack(s, id) != STORE_OK)
                return 1;
        }
    }
}

static int count(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    int rounds = argc > 2 ? atoi(argv[2]) : 200;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/kiosk-crash-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return 2;
    srand((unsigned)time(NULL));
    /* ids the children said they committed */
    static char committed[200000][UUID_STR_LEN];
    int ncommitted = 0;
    for (int r = 0; r < rounds; r++) {
        int p[2];
        if (pipe(p) != 0)
            return 2;
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            srand((unsigned)(time(NULL) ^ getpid()));
            _exit(child(dir, p[1]));
        }
        close(p[1]);
        struct timespec ts = {0, (long)(rand() % 40 + 1) * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        char buf[1 << 16];
        size_t have = 0;
        ssize_t n;
        while ((n = read(p[0], buf + have, sizeof buf - have - 1)) > 0)
            have += (size_t)n;
        close(p[0]);
        buf[have] = 0;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            if (strlen(line) == 36 && ncommitted < 200000)
                snprintf(committed[ncommitted++], UUID_STR_LEN, "%s", line);
        }
    }
    int failures = 0;
    char path[512];
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    struct store *s;
    if (store_open(&s, dir, clock_system()) != STORE_OK) {
        printf("not ok - the store opens after %d kills\n", rounds);
        return 1;
    }
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_stmt *st;
    char integrity[256] = "?";
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        snprintf(integrity, sizeof integrity, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    printf("%s - integrity_check: %s\n", strcmp(integrity, "ok") ? "not ok" : "ok", integrity);
    failures += strcmp(integrity, "ok") != 0;
    int missing = 0;
    for (int i = 0; i < ncommitted; i++) {
        char *json = NULL;
        if (store_get_application(s, committed[i], &json) != STORE_OK)
            missing++;
        free(json);
    }
    printf("%s - all %d committed applications are there and open\n", missing ? "not ok" : "ok",
           ncommitted);
    failures += missing != 0 || ncommitted == 0;
    int orphans = count(db, "SELECT count(*) FROM applications a WHERE acked IS NULL AND NOT "
                            "EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = a.id)");
    int strays = count(db, "SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM "
                           "applications a WHERE a.id = o.record_id)");
    int acked_in_outbox = count(db, "SELECT count(*) FROM outbox o JOIN applications a ON "
                                    "a.id = o.record_id WHERE a.acked IS NOT NULL");
    int audits = count(db, "SELECT count(*) FROM audit WHERE action = 'application.add'");
    int apps = count(db, "SELECT count(*) FROM applications");
    printf("%s - every pending application has its outbox entry (%d without)\n",
           orphans ? "not ok" : "ok", orphans);
    printf("%s - no outbox entry without its application (%d)\n", strays ? "not ok" : "ok", strays);
    printf("%s - no acknowledged application left in the outbox (%d)\n",
           acked_in_outbox ? "not ok" : "ok", acked_in_outbox);
    printf("%s - one audit row per application (%d rows, %d applications)\n",
           audits != apps ? "not ok" : "ok", audits, apps);
    failures += orphans != 0 || strays != 0 || acked_in_outbox != 0 || audits != apps;
    int64_t bad = 0;
    int vr = store_audit_verify(s, &bad);
    printf("%s - the audit chain verifies\n", vr == STORE_OK && bad == 0 ? "ok" : "not ok");
    failures += !(vr == STORE_OK && bad == 0);
    sqlite3_close(db);
    store_close(s);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "%s/kioskctl audit verify --state-dir %s >/dev/null", argv[1], dir);
    int kr = system(cmd);
    printf("%s - kioskctl audit verify agrees\n", kr == 0 ? "ok" : "not ok");
    failures += kr != 0;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        failures++;
    printf("%d passed, %d failed\n", 8 - failures, failures);
    return failures ? 1 : 0;
}
