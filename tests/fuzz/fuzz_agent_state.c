/* libFuzzer target: the update agent's and launcher's state files (the installed manifest,
 * progress, trial and rollback markers, the bad serials, a health report), read after a power
 * cut may have left any of them torn. The first byte picks the file the rest becomes; then
 * everything that reads them runs: the update state (admin mode, heartbeat), the installed
 * serial, the bad-serial list, and the trial's health decision. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "fuzz_scratch.h"
#include "log.h"
#include "slots.h"
#include "trial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[160];

static void put(const char *rel, const uint8_t *p, size_t n) {
    char path[200];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(p, 1, n, f);
        fclose(f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 1 << 16)
        return 0;
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s", fuzz_scratch("agent"));
        char p[200];
        const char *sub[] = {"", "/release", "/content", "/release/slots", "/release/slots/a",
                             "/content/slots", "/content/slots/a"};
        for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
            snprintf(p, sizeof p, "%s%s", dir, sub[i]);
            mkdir(p, 0700);
        }
        snprintf(p, sizeof p, "%s/release/current", dir);
        symlink("slots/a", p);
        snprintf(p, sizeof p, "%s/content/current", dir);
        symlink("slots/a", p);
        log_init("fuzz", LOG_ERROR);
    }
    static const char *const files[] = {
        "release/current/manifest.json", "content/current/manifest.json", "release/progress.json",
        "content/progress.json",         "release/trial.json",            "release/rollback.json",
        "release/bad_serials"};
    const size_t nfiles = sizeof files / sizeof files[0];
    put(files[data[0] % nfiles], data + 1, size - 1);
    struct update_state st;
    update_state_read(dir, &st);
    if (strlen(st.rollback_reason) >= sizeof st.rollback_reason)
        __builtin_trap();
    free(update_state_json(dir));
    char version[64], base[128];
    (void)update_installed_serial(dir, "release", version, sizeof version);
    snprintf(base, sizeof base, "%s/release", dir);
    (void)slots_is_bad(base, 5);
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    char why[200];
    (void)trial_healthy(text, "{\"store\":true,\"home\":true}", why, sizeof why);
    (void)trial_healthy("{\"store\":true,\"home\":true}", text, why, sizeof why);
    free(text);
    return 0;
}
