/* kiosk-launcher: starts the kiosk of the current release slot (DESIGN.md §7), small and
 * rarely changed.
 *
 *   kiosk-launcher --state-dir DIR [--fallback PATH] [--trial-seconds N] [--max-crashes N]
 *                  [--hang-seconds N] [-- KIOSK ARGS...]
 *
 * It runs STATE/release/current/bin/kiosk (or --fallback, the packaged kiosk, while no release
 * is installed) with the kiosk's arguments. A release just switched to runs on trial
 * (STATE/release/trial.json, written by the update agent): it must report healthy within
 * --trial-seconds (default 120). The kiosk writes STATE/release/healthy (JSON) once its store
 * is open, home is drawn and its devices are probed, with each device's state; healthy means
 * that every device that answered under the previous release answers now (the baseline,
 * STATE/release/devices.json, is the last report outside a trial: a device that broke before
 * the update does not fail it). If it crashes --max-crashes times (default 3), stays silent,
 * or a device stays silent, the launcher switches `current` back to the previous slot,
 * adds the serial to STATE/release/bad_serials (the agent never installs it again), writes
 * STATE/release/rollback.json for the heartbeat, and runs the previous version. A healthy
 * trial is committed (trial.json removed). Exit 0 when the kiosk exits 0; exit status 75
 * (a release was installed or rolled back) starts the current slot again at once; anything
 * else is a crash, restarted after a second. A kiosk whose main loop stops touching
 * STATE/release/alive for --hang-seconds (default 30) is killed: a crash too. Exit status 76 (staff
 * closed the kiosk for maintenance) ends the launcher with 76 too, which the systemd unit does not
 * restart. Under systemd (Type=notify) it reports READY=1 once the kiosk is healthy and WATCHDOG=1
 * every few seconds while it runs. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "file.h"
#include "num.h"
#include "log.h"
#include "slots.h"
#include "trial.h"

static char base[700];
static volatile sig_atomic_t stopping;
static pid_t child;

static void on_term(int sig) {
    (void)sig;
    stopping = 1;
    if (child > 0)
        kill(-child, SIGTERM);
}

static void path_of(char *out, size_t cap, const char *name) {
    snprintf(out, cap, "%s/%s", base, name);
}

/* The trial's "previous" slot and serial from trial.json; false when there is no trial. */
static bool read_trial(char *previous, size_t cap, long *serial) {
    char p[800];
    path_of(p, sizeof p, "trial.json");
    char *j = file_read(p, 4096, NULL);
    cJSON *t = j ? cJSON_Parse(j) : NULL;
    free(j);
    const char *slot = cJSON_GetStringValue(cJSON_GetObjectItem(t, "slot"));
    const char *prev = cJSON_GetStringValue(cJSON_GetObjectItem(t, "previous"));
    const cJSON *ser = cJSON_GetObjectItem(t, "serial");
    char target[64];
    slots_current(base, target, sizeof target);
    /* a marker whose slot is not current is stale (the switch never happened) */
    long sv = (long)json_int(t, "serial", 0, INT64_C(1) << 53, -1);
    bool ok = slot && prev && cJSON_IsNumber(ser) && sv >= 0 && target[0] && !strcmp(slot, target);
    if (ok) {
        snprintf(previous, cap, "%s", prev);
        *serial = sv;
    }
    cJSON_Delete(t);
    return ok;
}

/* The kiosk's health report (STATE/release/healthy, see app_report_healthy) when written
 * since t0: malloc'd text, or NULL. */
static char *health_since(time_t t0) {
    char p[800];
    path_of(p, sizeof p, "healthy");
    struct stat st;
    if (stat(p, &st) != 0 || st.st_mtime < t0)
        return NULL;
    return file_read(p, 4096, NULL);
}

/* The baseline the trial is held to (devices.json), malloc'd, or NULL. */
static char *baseline_text(void) {
    char p[800];
    path_of(p, sizeof p, "devices.json");
    return file_read(p, 4096, NULL);
}

/* A kiosk that has touched STATE/release/alive since t0 (its main loop does every few
 * seconds) and then not for hang_s seconds is hung: its screen is frozen. */
static bool hung_since(time_t t0, int hang_s) {
    char p[800];
    path_of(p, sizeof p, "alive");
    struct stat st;
    return stat(p, &st) == 0 && st.st_mtime >= t0 && time(NULL) - st.st_mtime > hang_s;
}

/* Outside a trial, the latest report is the baseline the next trial is held to. */
static void keep_baseline(const char *report) {
    char p[800];
    path_of(p, sizeof p, "devices.json");
    if (file_replace(p, report) != 0)
        log_warn("launcher", "cannot keep the devices' baseline");
}

/* Back to the previous slot; the bad serial is remembered and reported. */
static void roll_back(const char *previous, long serial, enum slots_reason code, const char *why) {
    if (slots_switch(base, previous) != 0) /* "": back to the packaged kiosk */
        log_error("launcher", "cannot switch back to %s",
                  previous[0] ? previous : "the packaged kiosk");
    if (slots_mark_bad(base, serial, code, why) != 0)
        log_error("launcher", "cannot record the bad serial %ld", serial);
    char p[800];
    path_of(p, sizeof p, "trial.json");
    unlink(p);
    log_event(LOG_WARN, "launcher", LOG_MSGID_UPDATE_FAILED, NULL, NULL,
              "release serial %ld rolled back: %s", serial, why);
}

static void log_crash(int status, int n) {
    log_warn("launcher", "the kiosk exited (%s %d); crash %d",
             WIFSIGNALED(status) ? "signal" : "status",
             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), n);
}

int main(int argc, char **argv) {
    log_init("kiosk-launcher", LOG_INFO);
    static const struct option opts[] = {{"state-dir", required_argument, 0, 's'},
                                         {"fallback", required_argument, 0, 'f'},
                                         {"trial-seconds", required_argument, 0, 't'},
                                         {"max-crashes", required_argument, 0, 'c'},
                                         {"hang-seconds", required_argument, 0, 'g'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *state = NULL, *fallback = NULL;
    int trial_s = 120, max_crashes = 3, hang_s = 30, o;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            state = optarg;
            break;
        case 'f':
            fallback = optarg;
            break;
        case 't':
            if (num_int(optarg, 1, 3600, &trial_s) != 0) {
                fprintf(stderr, "kiosk-launcher: %s takes a whole number from 1 to 3600\n",
                        argv[optind - 1]);
                return 2;
            }
            break;
        case 'c':
            if (num_int(optarg, 1, 100, &max_crashes) != 0) {
                fprintf(stderr, "kiosk-launcher: %s takes a whole number from 1 to 100\n",
                        argv[optind - 1]);
                return 2;
            }
            break;
        case 'g':
            if (num_int(optarg, 1, 3600, &hang_s) != 0) {
                fprintf(stderr, "kiosk-launcher: %s takes a whole number from 1 to 3600\n",
                        argv[optind - 1]);
                return 2;
            }
            break;
        case 'h':
            printf("usage: kiosk-launcher --state-dir DIR [--fallback PATH] [--trial-seconds N] "
                   "[--max-crashes N] [--hang-seconds N] [-- KIOSK ARGS...]\n");
            return 0;
        default:
            fprintf(stderr, "kiosk-launcher: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    if (!state || trial_s < 1 || max_crashes < 1 || hang_s < 1) {
        fprintf(stderr, "kiosk-launcher: --state-dir is required\n");
        return 2;
    }
    snprintf(base, sizeof base, "%s/release", state);
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    int crashes = 0;
    bool ready_sent = false;
    char baseline[4096] = "";
    mkdir(state, 0700);
    mkdir(base, 0755); /* the kiosk reports its health here, also the packaged one */
    while (!stopping) {
        char prog[900], previous[64] = "";
        long serial = 0;
        bool trial = read_trial(previous, sizeof previous, &serial);
        path_of(prog, sizeof prog, "current/bin/kiosk");
        if (access(prog, X_OK) != 0) {
            if (!fallback) {
                fprintf(stderr, "kiosk-launcher: no release installed and no --fallback\n");
                return 1;
            }
            snprintf(prog, sizeof prog, "%s", fallback);
            trial = false;
        }
        time_t t0 = time(NULL);
        child = fork();
        if (child == 0) {
            setpgid(0, 0); /* its own group: whatever it starts goes with it */
            char **args = calloc((size_t)(argc - optind + 2), sizeof *args);
            args[0] = prog;
            for (int i = optind; i < argc; i++)
                args[i - optind + 1] = argv[i];
            execv(prog, args);
            _exit(127);
        }
        setpgid(child, child); /* as the child does: whichever runs first */
        log_info("launcher", "started %s%s", prog, trial ? " (on trial)" : "");
        int status = 0;
        bool timed_out = false;
        char why[200] = "no health report in time";
        enum slots_reason why_code = SLOTS_SILENT;
        for (;;) {
            pid_t w = waitpid(child, &status, WNOHANG);
            if (w == child)
                break;
            char *report = health_since(t0), *before = trial ? baseline_text() : NULL;
            enum trial_verdict v =
                trial ? trial_tick(report, before, (int64_t)(time(NULL) - t0), trial_s, why,
                                   sizeof why, &why_code)
                      : TRIAL_WAIT;
            free(before);
            if (v == TRIAL_COMMIT) {
                char p[800];
                path_of(p, sizeof p, "trial.json");
                unlink(p);
                trial = false;
                crashes = 0;
                log_info("launcher", "release serial %ld is healthy: committed", serial);
            }
            if (report && !trial && strcmp(report, baseline) != 0) {
                keep_baseline(report);
                snprintf(baseline, sizeof baseline, "%s", report);
            }
            if (report && !ready_sent) {
                sd_notify(0, "READY=1");
                ready_sent = true;
            }
            free(report);
            if (hung_since(t0, hang_s)) {
                log_warn("launcher", "the kiosk stopped answering for %d s: killed", hang_s);
                kill(-child, SIGKILL);
                waitpid(child, &status, 0);
                break;
            }
            if (v == TRIAL_ROLL_BACK) {
                timed_out = true;
                kill(-child, SIGKILL);
                waitpid(child, &status, 0);
                break;
            }
            sd_notify(0, "WATCHDOG=1");
            struct timespec ts = {0, 200 * 1000000L};
            nanosleep(&ts, NULL);
        }
        child = 0;
        if (stopping)
            break;
        if (timed_out) {
            roll_back(previous, serial, why_code, why);
            crashes = 0;
            continue;
        }
        enum launcher_exit e =
            launcher_exit_of(WIFEXITED(status), WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        switch (launcher_after_exit(e, trial, &crashes, max_crashes)) {
        case LAUNCHER_STOP:
            return 0; /* the kiosk was asked to quit */
        case LAUNCHER_STOP_MAINTENANCE:
            log_warn("launcher", "the kiosk was closed for maintenance by staff");
            return 76; /* systemd: RestartPreventExitStatus=76 */
        case LAUNCHER_START_NOW:
            log_info("launcher", "the kiosk asked to be started again (a release changed)");
            continue; /* not a crash */
        case LAUNCHER_ROLL_BACK:
            log_crash(status, max_crashes);
            roll_back(previous, serial, SLOTS_CRASHED, "crashed at start");
            continue;
        case LAUNCHER_START_LATER:
            log_crash(status, crashes);
            sleep(1);
            break;
        }
    }
    return 0;
}
