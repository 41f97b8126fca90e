/* trial: see trial.h. */
#include "trial.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static bool answers(const cJSON *devices, const char *name) {
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(devices, name));
    return v && (!strcmp(v, "ok") || !strcmp(v, "problem"));
}

/* 0 healthy, else why not as a code (why filled). */
static int judge(const char *report, const char *baseline, char *why, size_t cap,
                 enum slots_reason *code) {
    cJSON *now = report ? cJSON_Parse(report) : NULL;
    cJSON *before = baseline ? cJSON_Parse(baseline) : NULL;
    const cJSON *nd = cJSON_GetObjectItemCaseSensitive(now, "devices");
    const cJSON *bd = cJSON_GetObjectItemCaseSensitive(before, "devices");
    bool ok = cJSON_IsObject(nd);
    *code = SLOTS_SILENT;
    if (!ok)
        snprintf(why, cap, "no health report in time (an unreadable one)");
    static const char *const names[] = {"reader", "printer", "scanner"};
    for (int i = 0; ok && i < 3; i++)
        if (answers(bd, names[i]) && !answers(nd, names[i])) {
            snprintf(why, cap, "a device stopped answering under the new release: %s", names[i]);
            *code = SLOTS_DEVICES;
            ok = false;
        }
    cJSON_Delete(now);
    cJSON_Delete(before);
    return ok ? 0 : -1;
}

bool trial_healthy(const char *report, const char *baseline, char *why, size_t cap) {
    enum slots_reason code;
    return judge(report, baseline, why, cap, &code) == 0;
}

enum trial_verdict trial_tick(const char *report, const char *baseline, int64_t elapsed_s,
                              int trial_s, char *why, size_t cap, enum slots_reason *code) {
    *code = SLOTS_SILENT;
    if (report && judge(report, baseline, why, cap, code) == 0)
        return TRIAL_COMMIT;
    if (elapsed_s >= trial_s) {
        if (!report)
            snprintf(why, cap, "no health report in time");
        return TRIAL_ROLL_BACK; /* why: the last reason the report was not healthy */
    }
    return TRIAL_WAIT;
}

enum launcher_exit launcher_exit_of(bool exited, int status) {
    if (!exited)
        return LAUNCHER_EXIT_CRASH;
    return status == 0    ? LAUNCHER_EXIT_QUIT
           : status == 75 ? LAUNCHER_EXIT_RESTART
           : status == 76 ? LAUNCHER_EXIT_MAINTENANCE
                          : LAUNCHER_EXIT_CRASH;
}

enum launcher_next launcher_after_exit(enum launcher_exit e, bool on_trial, int *crashes,
                                       int max_crashes) {
    switch (e) {
    case LAUNCHER_EXIT_QUIT:
        return LAUNCHER_STOP;
    case LAUNCHER_EXIT_MAINTENANCE:
        return LAUNCHER_STOP_MAINTENANCE;
    case LAUNCHER_EXIT_RESTART:
        return LAUNCHER_START_NOW;
    case LAUNCHER_EXIT_CRASH:
        break;
    }
    ++*crashes;
    if (on_trial && *crashes >= max_crashes) {
        *crashes = 0;
        return LAUNCHER_ROLL_BACK;
    }
    return LAUNCHER_START_LATER;
}
