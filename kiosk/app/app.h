/* app: the kiosk's state: configuration, the screen stack, the citizen session, the idle
 * timer and its "还在吗?" dialog. SDL-free: input arrives as struct ui_event, drawing goes
 * through ui/.
 *
 * Screens are pushed and popped; going home wipes the session (the arena, the textures that
 * showed personal data) and clears the stack down to home. Screens that serve a citizen arm
 * the idle timer; home disarms it. */
#ifndef APP_APP_H
#define APP_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "remote.h"
#include "config.h"
#include "content.h"
#include "workers.h"
#include "scanner.h"
#include "i18n.h"
#include "idle.h"
#include "ime.h"
#include "keyboard.h"
#include "session.h"
#include "store.h"
#include "widget.h"

struct app;

struct screen_ops {
    const char *id;    /* "home", "guide", ...: what expect-screen names */
    size_t state_size; /* bytes of state the app allocates (zeroed) for the screen */
    bool citizen;      /* the idle timer runs while this screen shows */
    void (*enter)(struct app *a, void *st);
    void (*leave)(struct app *a, void *st);
    /* (Re)builds the widgets, after enter and after a language or theme change. */
    void (*layout)(struct app *a, void *st);
    /* Returns true when the screen took the event. */
    bool (*event)(struct app *a, void *st, const struct ui_event *ev);
    void (*draw)(struct app *a, void *st);
    /* Ms until the screen's tick must run (a clock, a countdown); -1: not by itself. */
    int64_t (*next_change)(struct app *a, void *st, int64_t now_ms);
    /* Timers of the screen: invalidate what changed, act on what expired. */
    void (*tick)(struct app *a, void *st, int64_t now_ms);
    /* The screen's widget layers, topmost first (an open keyboard above the screen's own
     * widgets): what a script's "tap" searches and what holds are timed on. Returns how many
     * it stored in out (at most max). */
    int (*layers)(struct app *a, void *st, struct ui_layer **out, int max);
    /* The step a flow is at ("checkin.done"): what app_screen_id says. NULL: the id. */
    const char *(*step_id)(struct app *a, void *st);
    /* Whether the citizen has given anything on it that leaving would lose (a card read,
     * something typed or chosen): 返回首页 and the language switch then ask first. NULL:
     * nothing worth asking about (a search, a lookup: quickly given again). */
    bool (*has_input)(struct app *a, void *st);
};

#define APP_STACK_MAX 8

struct app_frame {
    const struct screen_ops *ops;
    void *st;
};

#define APP_CALLS_MAX 6

struct app {
    struct kiosk_config cfg;
    struct ui *ui;
    struct i18n *i18n;
    const struct clock_src *clock;
    struct session session;
    struct idle_timer idle;
    struct ui_dialog idle_dialog;
    /* "are you sure?" before what would lose the citizen's input: its action on yes */
    struct ui_dialog confirm_dialog;
    void (*confirm_yes)(struct app *a);
    const char *confirm_keys[3]; /* its title, message and yes (laid out again in a new theme) */
    int idle_seconds;             /* what the idle dialog counts down from */
    /* a card left on the reader: when it was read (0: none there), and the reminder shown */
    int64_t card_read_ms;
    bool card_reminded;
    struct ui_dialog card_dialog;
    struct ime *ime; /* NULL until the keyboard is first opened, or when it failed */
    bool ime_tried;
    char state_dir[512];
    struct keyboard kb; /* the one on-screen keyboard, lent to the screen that edits */
    struct app_frame stack[APP_STACK_MAX];
    int depth;
    bool quit;
    char theme[16];
    /* set before pushing the "unavailable" screen: the i18n key of the service's name */
    const char *unavailable_key;
    bool unavailable_device; /* ...because a device it needs is missing (the reader) */
    /* why the kiosk is out of service (shown on that screen; no personal data) */
    char oos_reason_key[64];
    /* the local store; NULL when it could not be opened (the kiosk is then out of service) */
    struct store *store;
    /* set when a write failed: the kiosk shows out-of-service, then exits so that the service
     * manager restarts it (it never goes on as if the data were saved) */
    int64_t restart_at_ms;
    int exit_code;
    int64_t purged_at_ms; /* the last retention purge */
    /* devices: the threads, and what they last said (for the staff screen) */
    struct workers workers;
    bool workers_running;
    int reader_state;       /* -1 not configured, 0 unreachable, 1 ok */
    int64_t reader_down_ms; /* when the reader stopped answering (0: it answers) */
    bool reader_missing;    /* ...for APP_READER_GRACE_MS: the services that need it close */
    int printer_state;      /* -1 not configured, 0 ok, 1 problem, 2 unknown */
    int scanner_state;      /* -1 not configured, 0 cannot be opened, 1 open */
    unsigned probed;        /* APP_PROBED_*: the devices that have answered (or failed) once */
    char health[200];       /* the health report last written for the launcher */
    int64_t alive_ms; /* when STATE/release/alive was last touched (0: not yet; -1: no launcher) */
    char printer_text[600];
    int print_result; /* -1 none yet, 0 failed, 1 printed */
    int sync_state;   /* -1 no registry configured, 0 offline, 1 online */
    int sync_code; /* the last failure's code (store, net or sync; see sync.h), 0 none */
    char sync_text[600];
    /* what the last device event handed to a screen (in the session arena) */
    struct idcard_info *card;
    char *scan_code;
    int device_view;    /* what the card screen shows: 0 the card, 1 the scanned code */
    struct wedge wedge; /* a keyboard-wedge scanner types its codes as fast keys */
    /* set by the registry: a notice for home (no personal data), and a lock that waits for
     * the citizen at the kiosk to finish */
    char notice[REMOTE_NOTICE_MAX * 4 + 1];
    bool lock_pending;
    /* the citizen's receipt: -1 printing, 0 not printed (receipt_text says why), 1 printed */
    int receipt_printed;
    char receipt_text[600];
    /* admin mode: the staff member logged in ("" when none); the roving point chosen */
    char staff_number[16];
    int64_t staff_locked_mono_ms; /* a lockout's end on the monotonic clock (0: none) */
    char roving_point[96];
    /* this kiosk's id, from its certificate (the CN of [sync] tls/kiosk.crt; "" when not
     * enrolled): named in the receipts it signs */
    char kiosk_id[25];
    struct voice *voice;  /* spoken prompts; NULL when off or no audio */
    bool content_pending; /* a content bundle is installed: swap at the next home */
    struct content content; /* the form and the guide in use (the catalogs: *i18n) */
    bool restart_pending; /* a release is installed: exit for the launcher at the next home */
    bool central_settings; /* the content in use carried the office's settings (settings.ini) */
    bool dark;             /* [display] screen_off: home dark outside the office's hours */
    int64_t wake_until_ms; /* a touch on the dark screen shows home until then */
    bool voice_tried;
    const struct app_screens *screens;
    /* a waiting room's display ([kiosk] role = display): the latest calls, newest first */
    struct app_call {
        char number[16], window[64];
        int64_t at;
    } calls[APP_CALLS_MAX];
    int ncalls;
};

/* The screens app/ itself puts up: home at the start and at every return, the out-of-service
 * screen, the "unavailable" explanation. main.c hands them over, so that app/ never includes
 * screens/ (screens depend on app/, not the other way round). */
struct app_screens {
    const struct screen_ops *home, *out_of_service, *unavailable;
};

/* Sets up the app with home on the stack. The ui, i18n, clock and screens are borrowed. */
int app_init(struct app *a, const struct kiosk_config *cfg, struct ui *ui, struct i18n *i18n,
             const struct clock_src *clock, const char *state_dir,
             const struct app_screens *screens);
void app_fini(struct app *a);

int64_t app_now(const struct app *a);
const char *app_tr(const struct app *a, const char *key);
/* The top screen's id, or its step's ("checkin.done"). */
const char *app_screen_id(const struct app *a);
/* Is the screen id (or a step below it: "checkin" is also "checkin.done")? */
bool app_screen_is(const struct app *a, const char *id);

void app_push(struct app *a, const struct screen_ops *ops);
void app_pop(struct app *a);
/* Ends the citizen's session: wipes it and shows home. */
void app_go_home(struct app *a);
/* The joint bundle's name (婚育户一件事, or the office's variant: 结婚落户一件事) and the line
 * under it on home, in the current language. */
const char *app_joint_title(struct app *a);
const char *app_joint_subtitle(struct app *a);
/* A window's call ({"queue_no","window","window_name"}, the registry's "call" command) on a
 * display: kept among the latest calls, spoken, shown. */
void app_call(struct app *a, const char *json);
/* Shows the out-of-service screen over everything, with the i18n key of the reason. */
void app_out_of_service(struct app *a, const char *reason_key);
/* Shows the "not available at this kiosk yet" screen for a service (i18n key of its name). */
void app_show_unavailable(struct app *a, const char *service_key);
/* The card reader has not answered for APP_READER_GRACE_MS (a replug or a glitch is shorter):
 * 预约签到 and 婚育户一件事, which read ID cards, say so instead of starting, and home says why;
 * 办理进度 (by QR) and 办事指南 go on. It ends when the reader answers again. */
#define APP_READER_GRACE_MS 20000
bool app_reader_missing(const struct app *a);

/* Lends the on-screen keyboard to a screen, editing buf (cap bytes). The pinyin engine is
 * started on the first call, not at start-up: a kiosk on its home screen needs none of it.
 * Without it the keyboard offers letters and digits. */
void app_keyboard_open(struct app *a, char *buf, size_t cap, enum kb_mode mode, enum kb_keys keys);
void app_keyboard_close(struct app *a);

void app_set_language(struct app *a, const char *lang);
/* zh-CN <-> en. */
void app_toggle_language(struct app *a);
/* The layout check (ui/layout_check.h) of the screen showing, drawn anew in each language
 * (zh-CN, en) and theme (standard, care, contrast, care-contrast), for the panel of [ui]
 * screen_inches at 1920x1080, 1366x768, 1280x1024 and 1080x1920; then as it was. Writes up to
 * max problems, each prefixed with its language and theme; returns how many were found. */
int app_layout_check(struct app *a, char (*out)[240], int max);
/* The office's name in the citizen's language ([office] name_en in English, when set). */
const char *app_office_name(const struct app *a);
/* The printer's status words as the driver gives them ("paper out, cover open") in the
 * citizen's language (缺纸、纸仓盖未关), for what staff and citizens read. */
void app_printer_words(const struct app *a, const char *raw, char *out, size_t cap);
/* 呼叫工作人员: the call goes to the registry with the next heartbeat, which is sent at once
 * (the store keeps it until one got through), and the citizen is told staff are coming. */
void app_call_staff(struct app *a);
/* Whether the citizen has given anything a return to home would wipe. */
bool app_has_input(struct app *a);
/* Asks first (title, message, the two buttons' labels) when there is input to lose, then runs
 * yes on the answer yes; runs it at once when there is none. */
void app_confirm(struct app *a, const char *title_key, const char *message_key,
                 const char *yes_key, void (*yes)(struct app *a));
void app_set_theme(struct app *a, const char *theme);

/* Starts the device threads of the configuration. */
void app_start_devices(struct app *a);
/* Queues a test receipt on the printer (staff). */
void app_print_test(struct app *a);
/* Opens the store of state_dir; on failure the kiosk is out of service. */
void app_open_store(struct app *a);
/* Says a prompt aloud (when the voice is on): the i18n key of what the screen shows, and a
 * number to read digit by digit (or NULL). */
void app_say(struct app *a, const char *key, const char *number);
/* After capturing a record: clears and frees its JSON (it held personal data); on a store
 * error the kiosk goes out of service (-1), else 0. */
int app_record_stored(struct app *a, int rc, char *json);
/* kiosk-launcher's "start the current release again" (not counted as a crash). */
#define KIOSK_EXIT_RESTART 75
/* Staff closed the kiosk for maintenance: kiosk-launcher exits with it too, and systemd does
 * not start it again (RestartPreventExitStatus in packaging/debian/kiosk.service). */
#define KIOSK_EXIT_MAINTENANCE 76
/* A release was installed or rolled back: at the next return home (now, when nobody is being
 * served) the kiosk exits KIOSK_EXIT_RESTART for the launcher to start the current slot. */
void app_restart_for_release(struct app *a);

enum { APP_PROBED_READER = 1, APP_PROBED_PRINTER = 2, APP_PROBED_SCANNER = 4 };
/* Tells kiosk-launcher how this version is doing, once the store is open, home is drawn and
 * every configured device has been probed: STATE/release/healthy holds
 * {"version","devices":{"reader","printer","scanner"}} with each device "ok", "problem",
 * "unreachable" or "absent" (not configured), rewritten when a device's state changes. The
 * launcher commits a release on trial when every device that worked under the previous
 * release works again (kiosk-launcher.c). Does nothing without STATE/release. */
void app_report_healthy(struct app *a);
/* Under kiosk-launcher the main loop touches STATE/release/alive every APP_ALIVE_MS: a kiosk
 * whose loop stops (a deadlock, a frozen screen) is killed and started again by it. */
#define APP_ALIVE_MS 5000
/* A store write failed: out of service now and, a few seconds later, out of the process. */
void app_store_failed(struct app *a, int rc);
/* Records a staff or kiosk action in the audit chain. A failed write sends the kiosk out of
 * service and, a few seconds later, out of the process (exit code 70) to be restarted. */
void app_audit(struct app *a, const char *actor, const char *action, const char *detail);

/* Input from the citizen. */
void app_event(struct app *a, const struct ui_event *ev);
/* Timers: the idle countdown, holds, screen clocks. Call after events and on wake-ups. */
void app_tick(struct app *a);
/* Ms until app_tick must run again; -1 for never (nothing pending). */
int64_t app_next_change(struct app *a);
void app_draw(struct app *a);
/* The widget a script means by target (text or "@id"), on the dialog when one shows. */
struct ui_widget *app_find_widget(struct app *a, const char *target);

#endif
