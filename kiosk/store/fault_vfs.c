/* fault_vfs: an SQLite VFS that wraps the default one and fails the Nth write or sync, to
 * prove that the store and the kiosk never take a failed write for a saved one (the failure
 * policy of DESIGN.md §4). Built only with KIOSK_TEST_HOOKS (the dev preset), never shipped.
 * The kiosk arms it from the environment: KIOSK_STORE_FAIL_AFTER=N lets N writes and syncs
 * through, then fails every one after. */
#include "fault_vfs.h"

#include <sqlite3.h>
#include <stdlib.h>

static sqlite3_vfs faulty_vfs, *base;
static int fail_after = -1; /* writes and syncs left before the next one fails; -1 never */
static int failures;

struct faulty_file {
    sqlite3_file base_file; /* our methods */
    sqlite3_file *real;     /* the default VFS's file, allocated after us */
};

static int sticky; /* once failing, keep failing (a full disk stays full) */

static int tick(void) {
    if (fail_after < 0)
        return 0;
    if (fail_after == 0) {
        failures++;
        if (!sticky)
            fail_after = -1;
        return 1;
    }
    fail_after--;
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
    if (base)
        return;
    base = sqlite3_vfs_find(NULL);
    faulty_vfs = *base;
    faulty_vfs.zName = "faulty";
    faulty_vfs.szOsFile = (int)sizeof(struct faulty_file);
    faulty_vfs.xOpen = v_open;
    faulty_vfs.pNext = NULL;
    sqlite3_vfs_register(&faulty_vfs, 0);
}

const char *fault_vfs_register(void) {
    register_vfs();
    return "faulty";
}

void fault_vfs_arm(int after, int keep_failing) {
    fail_after = after;
    sticky = keep_failing;
    failures = 0;
}

int fault_vfs_failures(void) {
    return failures;
}
