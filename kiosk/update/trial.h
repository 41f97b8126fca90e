/* trial: the launcher's decisions about a release on trial (DESIGN.md §7), pure so that they
 * are unit-tested without processes or clocks. kiosk-launcher (launcher.c) feeds them what it
 * sees: the kiosk's health report, the devices' baseline, the time on trial, how the kiosk
 * exited.
 *
 * Healthy: a report that parses, with a "devices" object, in which every device that answered
 * under the previous release (the baseline: the last report outside a trial) answers now. A
 * device answers when it is "ok" or reports a "problem" of its own (paper out): its driver
 * talks to it. */
#ifndef UPDATE_TRIAL_H
#define UPDATE_TRIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "slots.h" /* enum slots_reason */

/* report, baseline: JSON texts (baseline NULL: none yet, every device may be anything). why
 * names the first failure. */
bool trial_healthy(const char *report, const char *baseline, char *why, size_t cap);

enum trial_verdict {
    TRIAL_WAIT,      /* not decided yet */
    TRIAL_COMMIT,    /* healthy: the release stays */
    TRIAL_ROLL_BACK, /* back to the previous slot (why says why) */
};

/* While the kiosk runs on trial: report is its latest health report since it started (NULL:
 * none yet), elapsed_s how long it has run, trial_s the limit. A rollback's code: SLOTS_SILENT
 * (no report, or none that reads) or SLOTS_DEVICES. */
enum trial_verdict trial_tick(const char *report, const char *baseline, int64_t elapsed_s,
                              int trial_s, char *why, size_t cap, enum slots_reason *code);

/* How the kiosk ended, and what the launcher does next. */
enum launcher_exit {
    LAUNCHER_EXIT_QUIT,        /* status 0: asked to quit */
    LAUNCHER_EXIT_RESTART,     /* status 75: a release changed, start the current slot */
    LAUNCHER_EXIT_MAINTENANCE, /* status 76: staff closed it */
    LAUNCHER_EXIT_CRASH,       /* any other status, a signal, a hang */
};
enum launcher_next {
    LAUNCHER_STOP,             /* exit 0 */
    LAUNCHER_STOP_MAINTENANCE, /* exit 76: the service manager does not restart it */
    LAUNCHER_START_NOW,        /* start again at once (not a crash) */
    LAUNCHER_START_LATER,      /* a crash: start again after a pause */
    LAUNCHER_ROLL_BACK,        /* a release on trial crashed max_crashes times */
};
enum launcher_exit launcher_exit_of(bool exited, int status);
/* *crashes counts the crashes since the last start that was not one (or the last rollback). */
enum launcher_next launcher_after_exit(enum launcher_exit e, bool on_trial, int *crashes,
                                       int max_crashes);

#endif
