/* The store's failure policy: a write or sync that fails is reported (STORE_ERR_IO), never
 * taken for saved, and leaves no half-written record. SQLite runs on a VFS that wraps the
 * default one and fails the Nth write or sync of the database or its WAL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "store.h"

static sqlite3_vfs faulty_vfs, *base;
static int fail_after = -1; /* writes and syncs left before the next one fails; -1 never */
static int failures;

struct faulty_file {
    sqlite3_file base_file; /* our methods */
    sqlite3_file *real;     /* the default VFS's file, allocated after us */
};

static int tick(void) {
    if (fail_after < 0)
        return 0;
    if (fail_after-- == 0) {
        failures++;
        return 1;
    }
    return 0;
}

#define REAL(f) (((struct faulty_file *)(f))->real)
static int f_close(sqlite3_file *f) {
    int rc = REAL(f)->pMethods->xClose(REAL(f));
    sqlite3_free(REAL(f));
    return rc;
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o) {
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o) {
    return tick() ? SQLITE_IOERR_WRITE : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 n) {
    return REAL(f)->pMethods->xTruncate(REAL(f), n);
}
static int f_sync(sqlite3_file *f, int flags) {
    return tick() ? SQLITE_IOERR_FSYNC : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *n) {
    return REAL(f)->pMethods->xFileSize(REAL(f), n);
}
static int f_lock(sqlite3_file *f, int l) {
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l) {
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_check(sqlite3_file *f, int *r) {
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r);
}
static int f_control(sqlite3_file *f, int op, void *a) {
    return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}
static int f_sector(sqlite3_file *f) {
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_chars(sqlite3_file *f) {
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shmmap(sqlite3_file *f, int i, int sz, int e, void volatile **p) {
    return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, e, p);
}
static int f_shmlock(sqlite3_file *f, int o, int n, int fl) {
    return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl);
}
static void f_shmbarrier(sqlite3_file *f) {
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shmunmap(sqlite3_file *f, int d) {
    return REAL(f)->pMethods->xShmUnmap(REAL(f), d);
}

static const sqlite3_io_methods methods = {
    2,         f_close,      f_read,     f_write,   f_truncate, f_sync,  f_size,
    f_lock,    f_unlock,     f_check,    f_control, f_sector,   f_chars, f_shmmap,
    f_shmlock, f_shmbarrier, f_shmunmap, NULL,      NULL};

static int v_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out) {
    (void)v;
    struct faulty_file *ff = (struct faulty_file *)f;
    ff->real = sqlite3_malloc(base->szOsFile);
    if (!ff->real)
        return SQLITE_NOMEM;
    int rc = base->xOpen(base, name, ff->real, flags, out);
    if (rc != SQLITE_OK) {
        sqlite3_free(ff->real);
        f->pMethods = NULL;
        return rc;
    }
    f->pMethods = &methods;
    return SQLITE_OK;
}

static void register_vfs(void) {
    base = sqlite3_vfs_find(NULL);
    faulty_vfs = *base;
    faulty_vfs.zName = "faulty";
    faulty_vfs.szOsFile = (int)sizeof(struct faulty_file);
    faulty_vfs.xOpen = v_open;
    faulty_vfs.pNext = NULL;
    sqlite3_vfs_register(&faulty_vfs, 0);
}

static const char couple[] = "{\"a\":{\"name\":\"郑测涛\"}}";

static void failed_writes_are_reported_and_leave_nothing_half_done(void **state) {
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/kiosk-io-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(dir));
    struct store *s;
    assert_int_equal(store_open_vfs(&s, dir, clock_system(), "faulty"), STORE_OK);
    char id[UUID_STR_LEN];
    assert_int_equal(store_add_application(s, "joint", couple, "370602199503123011", NULL, id),
                     STORE_OK);
    int reported = 0;
    for (int n = 0; n < 8; n++) {
        fail_after = n; /* fail the first, second, ... write or sync of the next capture */
        int rc = store_add_application(s, "joint", couple, "370602199503123011", NULL, id);
        if (failures > 0) {
            assert_int_equal(rc, STORE_ERR_IO);
            reported++;
        }
        fail_after = -1;
        failures = 0;
        store_close(s);
        assert_int_equal(store_open_vfs(&s, dir, clock_system(), "faulty"), STORE_OK);
    }
    assert_true(reported >= 3);
    /* whatever was reported failed is either wholly there (the sync failed after the write
     * reached the file) or wholly absent: never an application without its outbox entry */
    char *stats = NULL;
    assert_int_equal(store_stats_json(s, &stats), STORE_OK);
    int apps = 0, outbox = 0;
    sscanf(strstr(stats, "\"applications\":"), "\"applications\":%d", &apps);
    sscanf(strstr(stats, "\"outbox\":"), "\"outbox\":%d", &outbox);
    assert_int_equal(apps, outbox);
    free(stats);
    int64_t bad = -1;
    assert_int_equal(store_audit_verify(s, &bad), STORE_OK);
    assert_int_equal(bad, 0);
    store_close(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    register_vfs();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failed_writes_are_reported_and_leave_nothing_half_done),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
