/* kiosk: the self-service terminal of the marriage registration office.
 * Arguments, wiring and the main loop; nothing else (DESIGN §1). */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "app.h"
#include "caltime.h"
#include "clock.h"
#include "config.h"
#include "i18n.h"
#include "crypto_pki.h"
#include "log.h"
#include "net.h"
#include "remote.h"
#include "screens.h"
#include "script.h"
#include "theme.h"
#include "ui.h"

struct args {
    const char *config;
    const char *state_dir;
    const char *screenshot;
    const char *script;
    const char *shot_dir;
    const char *lang;
    const char *theme;
    bool headless;
    bool fullscreen;
    bool splash;      /* --splash: the session's branded screen under the kiosk */
    bool session_env; /* --session-env: what the session needs of the configuration */
    int win_w, win_h;
};

static void usage(FILE *f) {
    fprintf(f, "usage: kiosk [--config FILE] [--state-dir DIR] [--fullscreen | --window WxH]\n"
               "             [--headless] [--screenshot FILE] [--script FILE]\n"
               "             [--screenshot-dir DIR] [--lang zh-CN|en]\n"
               "             [--theme standard|care|contrast]\n"
               "\n"
               "  --config FILE         configuration (default /etc/kiosk/kiosk.ini if present)\n"
               "  --state-dir DIR       state directory (default /var/lib/kiosk)\n"
               "  --fullscreen          fullscreen on the whole display (the default)\n"
               "  --window WxH          a window of W x H pixels instead (development)\n"
               "  --headless            offscreen video and the software renderer (tests)\n"
               "  --screenshot FILE     write the first screen to FILE (PNG) and exit\n"
               "  --script FILE         run a UI script; exit 0 when every line passed\n"
               "  --screenshot-dir DIR  where the script's shots go (default .)\n"
               "  --lang LANG           language at start: zh-CN or en\n"
               "  --theme THEME         theme at start: standard, care (关怀版) or contrast\n"
               "  --splash              the session's plain branded screen, shown while the\n"
               "                        kiosk restarts (packaging/kiosk-session)\n"
               "  --session-env         print the session's settings of the configuration\n"
               "                        (TZ, cage's rotation, the touch panel's matrix) and exit\n"
               "\n"
               "With KIOSK_DEV_EXIT=1 in the environment, Ctrl+Shift+Q leaves the kiosk (development).\n");
}

static int die(const char *msg, const char *arg) {
    fprintf(stderr, "kiosk: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return 2;
}

static int parse_args(int argc, char **argv, struct args *a) {
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'}, {"state-dir", required_argument, 0, 's'},
        {"fullscreen", no_argument, 0, 'f'},   {"window", required_argument, 0, 'w'},
        {"headless", no_argument, 0, 'H'},     {"screenshot", required_argument, 0, 'o'},
        {"script", required_argument, 0, 'S'}, {"screenshot-dir", required_argument, 0, 'd'},
        {"lang", required_argument, 0, 'l'},   {"theme", required_argument, 0, 't'},
        {"splash", no_argument, 0, 'P'},       {"session-env", no_argument, 0, 'E'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    a->fullscreen = true;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            a->config = optarg;
            break;
        case 's':
            a->state_dir = optarg;
            break;
        case 'f':
            a->fullscreen = true;
            break;
        case 'w':
            if (sscanf(optarg, "%dx%d", &a->win_w, &a->win_h) != 2 || a->win_w < 320 ||
                a->win_h < 180 || a->win_w > 16384 || a->win_h > 16384)
                return die("--window needs WxH, e.g. 1280x720", optarg);
            a->fullscreen = false;
            break;
        case 'H':
            a->headless = true;
            break;
        case 'o':
            a->screenshot = optarg;
            break;
        case 'S':
            a->script = optarg;
            break;
        case 'd':
            a->shot_dir = optarg;
            break;
        case 'l':
            if (strcmp(optarg, "zh-CN") && strcmp(optarg, "en"))
                return die("--lang must be zh-CN or en", optarg);
            a->lang = optarg;
            break;
        case 't':
            if (!theme_known(optarg))
                return die("--theme must be standard, care, contrast or care-contrast", optarg);
            a->theme = optarg;
            break;
        case 'P':
            a->splash = true;
            break;
        case 'E':
            a->session_env = true;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            return die("unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return die("unexpected argument", argv[optind]);
    if (a->headless)
        a->fullscreen = false;
    return 0;
}

/* Where assets/ and fonts/ are: beside an installed binary (../share/kiosk) or, in the
 * build tree, in the source tree two levels up from build/bin. */
static void default_paths(char *assets, size_t asz, char *fonts, size_t fsz) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    char *dir = dirname(exe);
    struct stat st;
    /* a release slot's own content (STATE/release/SLOT/share/kiosk) */
    snprintf(assets, asz, "%s/../share/kiosk/assets", dir);
    snprintf(fonts, fsz, "%s/../share/kiosk/fonts/fonts.ini", dir);
    if (stat(assets, &st) == 0)
        return;
    /* a build tree (build/bin) beside the sources */
    snprintf(assets, asz, "%s/../../assets", dir);
    snprintf(fonts, fsz, "%s/../../fonts/fonts.ini", dir);
    if (stat(assets, &st) == 0)
        return;
    /* the package's (/usr/lib/kiosk/kiosk: /usr/share/kiosk) */
    snprintf(assets, asz, "%s/assets", KIOSK_DATADIR);
    snprintf(fonts, fsz, "%s/fonts/fonts.ini", KIOSK_DATADIR);
}

/* --session-env: the settings packaging/kiosk-session needs, one NAME=VALUE a line (values
 * checked by config_load). The touch panel turns with the picture: libinput's calibration
 * matrices for a panel rotated 90, 180 or 270 degrees clockwise. */
static int print_session_env(const struct kiosk_config *c) {
    static const char *const matrix[] = {"1 0 0 0 1 0", "0 -1 1 1 0 0", "-1 0 1 0 -1 1",
                                         "0 1 0 -1 0 1"};
    int turns = c->rotation / 90 % 4;
    printf("TZ=%s\nKIOSK_ROTATION=%d\nKIOSK_CAGE_TURNS=%d\nKIOSK_TOUCH_MATRIX=%s\n"
           "KIOSK_SCREEN_OFF=%s\n",
           c->timezone, c->rotation, turns, matrix[turns], c->screen_off ? "calendar" : "never");
    return fflush(stdout) == 0 ? 0 : 1;
}

static int make_dirs(const char *path) {
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            mkdir(tmp, 0700);
            *p = '/';
        }
    }
    return mkdir(tmp, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static int draw(struct app *app, const char *png) {
    int rc = 0;
    ui_begin_frame(app->ui);
    app_draw(app);
    if (png)
        rc = ui_save_png(app->ui, png);
    ui_end_frame(app->ui);
    return rc;
}

/* Handles what arrived: every pending input, then the timers. */
static void pump(struct app *app, int timeout_ms) {
    struct ui_event ev;
    bool quit = false;
    if (ui_wait_event(app->ui, timeout_ms, &ev, &quit))
        app_event(app, &ev);
    while (!quit && ui_poll_event(app->ui, &ev, &quit))
        app_event(app, &ev);
    if (quit)
        app->quit = true;
    app_tick(app);
}

static int run_script(struct app *app, struct script *s) {
    for (;;) {
        pump(app, 0);
        if (app->quit) {
            if (app->exit_code) {
                /* a failed write: the kiosk leaves to be restarted, scripted or not */
                fprintf(stderr, "kiosk: exiting with %d (%s)\n", app->exit_code,
                        app->exit_code == KIOSK_EXIT_MAINTENANCE ? "closed for maintenance"
                                                                 : "to be restarted");
                return app->exit_code;
            }
            fprintf(stderr, "kiosk: script stopped: the kiosk was asked to quit\n");
            return 1;
        }
        if (ui_needs_redraw(app->ui))
            draw(app, NULL);
        enum script_status st = script_step(s);
        if (st == SCRIPT_DONE) {
            log_info("script", "%s: %zu commands passed", s->path, s->n);
            return 0;
        }
        if (st == SCRIPT_FAILED) {
            fprintf(stderr, "kiosk: FAIL %s\n", s->error);
            return 1;
        }
        if (st == SCRIPT_WAITING)
            pump(app, 20);
    }
}

static int run_kiosk(struct app *app) {
    while (!app->quit) {
        if (ui_needs_redraw(app->ui)) {
            draw(app, NULL);
            /* the launcher's trial: healthy once the store is open, home is on screen and the
             * devices are probed (a device event asks for a redraw, so a change is seen) */
            app_report_healthy(app);
        }
        int64_t next = app_next_change(app);
        /* Block until input or the next timer: an idle kiosk uses no CPU. */
        pump(app, next < 0 ? -1 : next > INT_MAX ? INT_MAX : (int)next);
    }
    return 0;
}

int main(int argc, char **argv) {
    log_init("kiosk", LOG_INFO);
    /* A file grown past its limit must fail the write (and put the kiosk out of service), not
     * kill the process with the screen still showing the last citizen's page. */
    signal(SIGXFSZ, SIG_IGN);
    /* libcurl's global set-up, before any worker thread sends */
    net_global_init();
    struct args args;
    if (parse_args(argc, argv, &args) != 0)
        return 2;

    char assets[PATH_MAX], fonts[PATH_MAX];
    default_paths(assets, sizeof assets, fonts, sizeof fonts);
    struct kiosk_config cfg;
    config_defaults(&cfg, assets, fonts);
    bool config_ok = true;
    if (args.config) {
        /* given on the command line: whoever typed it hears about a mistake at once */
        char err[512];
        if (config_load(&cfg, args.config, err, sizeof err) != 0)
            return die("bad configuration", err);
    } else if (access("/etc/kiosk/kiosk.ini", R_OK) == 0) {
        /* the installed kiosk's own file: a mistake in it must not leave a black screen in
         * the office (and a restart loop); the kiosk says it is out of service instead */
        char err[512];
        if (config_load(&cfg, "/etc/kiosk/kiosk.ini", err, sizeof err) != 0) {
            log_error("kiosk", "bad configuration: %s", err);
            config_defaults(&cfg, assets, fonts);
            config_ok = false;
        }
    }
    /* the office's settings pushed with its content bundle, over this terminal's file */
    const char *state_dir = args.state_dir ? args.state_dir : "/var/lib/kiosk";
    char content[sizeof cfg.assets_dir], central[sizeof cfg.assets_dir + 32];
    bool has_content = update_content_dir(state_dir, content, sizeof content) == 0;
    if (has_content && config_central_path(content, central, sizeof central) == 0) {
        char err[512];
        if (config_load_central(&cfg, central, err, sizeof err) == 0)
            log_info("kiosk", "the office's settings from the content bundle (%s)", central);
        else
            log_error("kiosk", "the office's pushed settings are not used: %s", err);
    }
    if (args.session_env)
        return print_session_env(&cfg);
    /* the journal's KIOSK_ID and OFFICE: the kiosk's certificate's (none before enrollment) */
    if (cfg.sync_tls[0]) {
        char crt[sizeof cfg.sync_tls + 16], cn[80] = "", org[16] = "";
        snprintf(crt, sizeof crt, "%s/kiosk.crt", cfg.sync_tls);
        if (pki_cert_names(crt, cn, sizeof cn, org, sizeof org) == 0)
            log_set_identity(cn, org);
    }
    /* the office's time zone for every clock and date (a default install's system zone is
     * often UTC), before any thread starts */
    char tzwhy[160];
    if (caltime_use_zone(cfg.timezone, tzwhy, sizeof tzwhy) != 0)
        log_warn("kiosk", "%s", tzwhy);
    if (args.lang)
        snprintf(cfg.language, sizeof cfg.language, "%s", args.lang);
    if (args.theme)
        snprintf(cfg.theme, sizeof cfg.theme, "%s", args.theme);
    bool state_ok = make_dirs(state_dir) == 0;
    if (!state_ok)
        log_warn("kiosk", "cannot create state directory %s: %s", state_dir, strerror(errno));

    /* an installed content bundle takes the place of the packaged assets */
    if (state_ok && has_content) {
        snprintf(cfg.assets_dir, sizeof cfg.assets_dir, "%s", content);
        log_info("kiosk", "content from %s", content);
    }
    struct i18n i18n;
    char i18n_dir[PATH_MAX + 8];
    snprintf(i18n_dir, sizeof i18n_dir, "%s/i18n", cfg.assets_dir);
    static const char *const langs[] = {"zh-CN", "en", NULL};
    bool i18n_ok = i18n_load(&i18n, i18n_dir, langs) == 0;
    if (!i18n_ok) {
        /* Without its catalogs the kiosk cannot serve, but it can still say so in words. */
        static const char emergency[] =
            "[app]\ntitle = 婚姻登记自助服务终端\n"
            "[oos]\ntitle = 暂停服务\n"
            "message = 本机暂时无法提供服务，请到服务窗口办理，或咨询现场工作人员。\n"
            "reason_content = 原因：本机的显示内容缺失或已损坏。\n";
        i18n_load_string(&i18n, "zh-CN", emergency);
    }
    i18n_set_lang(&i18n, cfg.language);

    struct ui_options uo = {
        .headless = args.headless,
        .software = strcmp(cfg.renderer, "software") == 0,
        .fullscreen = args.fullscreen,
        .window_w = args.win_w,
        .window_h = args.win_h,
        .fonts_file = cfg.fonts_file,
        .text_cache_bytes = cfg.text_cache_kib * 1024,
        .theme = cfg.theme,
        .i18n = &i18n,
    };
    struct ui *ui = ui_create(&uo);
    if (!ui) {
        i18n_free(&i18n);
        return die("cannot open the display or the fonts (see the log above)", NULL);
    }
    if (args.splash) {
        int rc = screen_splash_run(ui, cfg.office_name, args.screenshot);
        ui_destroy(ui);
        i18n_free(&i18n);
        return rc;
    }

    /* Scripts run on script time, which "idle" moves forward; otherwise it is real time. */
    struct clock_manual mclock;
    clock_manual_init(&mclock, clock_system());
    struct app app;
    /* a waiting room's display has its screen of calls where a kiosk has home */
    static const struct app_screens screens = {
        &screen_home, &screen_out_of_service, &screen_unavailable};
    static const struct app_screens display_screens = {
        &screen_display, &screen_out_of_service, &screen_unavailable};
    if (app_init(&app, &cfg, ui, &i18n, args.script ? &mclock.src : clock_system(), state_dir,
                 cfg.display ? &display_screens : &screens) != 0) {
        ui_destroy(ui);
        i18n_free(&i18n);
        return die("cannot start", NULL);
    }

    app_open_store(&app);
    if (!app.store)
        ; /* already out of service, saying why */
    else if (!i18n_ok)
        app_out_of_service(&app, "oos.reason_content");
    else if (!config_ok)
        app_out_of_service(&app, "oos.reason_config");
    else if (remote_locked(state_dir))
        app_out_of_service(&app, "oos.reason_locked");

    int rc = 0;
    if (!args.screenshot || args.script)
        app_start_devices(&app);
    if (args.script) {
        struct script s = {0};
        s.app = &app;
        s.clock = &mclock;
        s.real = clock_system();
        s.shot_dir = args.shot_dir;
        if (script_load(&s, args.script) != 0) {
            fprintf(stderr, "kiosk: %s\n", s.error);
            rc = 2;
        } else {
            rc = run_script(&app, &s);
            if (rc == 0 && app.exit_code == 75)
                rc = app.exit_code; /* the script ended in a restart for the launcher */
        }
        script_free(&s);
    } else if (args.screenshot) {
        if (draw(&app, args.screenshot) != 0) {
            rc = 1;
        } else {
            /* bench/startup.sh reads this: process start to the first frame on disk */
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            log_info("kiosk", "screenshot written at %lld.%09ld", (long long)ts.tv_sec, ts.tv_nsec);
        }
    } else {
        rc = run_kiosk(&app);
        if (app.exit_code)
            rc = app.exit_code;
    }

    app_fini(&app);
    ui_destroy(ui);
    i18n_free(&i18n);
    return rc;
}
