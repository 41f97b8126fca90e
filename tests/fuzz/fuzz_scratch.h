/* A scratch directory for the fuzz targets that must go through files (configuration, state
 * files, the stores): on /dev/shm when there is one, so that an execution costs no disk I/O,
 * else under $TMPDIR or /tmp; one per process, removed at exit. */
#ifndef FUZZ_SCRATCH_H
#define FUZZ_SCRATCH_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_scratch_dir[128];

static int fuzz_scratch_rm(const char *p, const struct stat *st, int flag, struct FTW *f) {
    (void)st, (void)flag, (void)f;
    return remove(p);
}

static void fuzz_scratch_clean(void) {
    if (fuzz_scratch_dir[0])
        nftw(fuzz_scratch_dir, fuzz_scratch_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Makes (once) and returns the directory "<base>/fuzz-NAME-PID". */
static const char *fuzz_scratch(const char *name) {
    if (!fuzz_scratch_dir[0]) {
        struct stat st;
        const char *base = getenv("TMPDIR");
        if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
            base = "/dev/shm";
        else if (!base || !base[0])
            base = "/tmp";
        snprintf(fuzz_scratch_dir, sizeof fuzz_scratch_dir, "%s/fuzz-%s-%d", base, name,
                 (int)getpid());
        if (mkdir(fuzz_scratch_dir, 0700) != 0)
            abort();
        atexit(fuzz_scratch_clean);
    }
    return fuzz_scratch_dir;
}

#endif
