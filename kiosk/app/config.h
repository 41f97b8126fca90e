/* config: the kiosk's configuration file (INI, parsed with inih).
 *
 *   [office]  name, name_en (the office's English name, on screens and receipts in English;
 *             default: name), code, timezone (Asia/Shanghai: the kiosk's clock and dates),
 *             designations (foreign, hkmt: the cards other than the mainland ID it registers;
 *             default none), designated_office (where those cards are sent instead)
 *   [kiosk]   language (zh-CN|en), theme (standard|care|contrast|care-contrast): the office's
 *             defaults, restored at every session wipe; idle_timeout (s; 90) and
 *             idle_countdown (s; 30), and in 关怀版 idle_timeout_care (180) and
 *             idle_countdown_care (60); card_remind (s a card may stay on the reader after it
 *             was read before "请取回您的身份证"; 20; 0: never); staff_hold_ms (long press that
 *             opens the staff entry),
 *             services (those offered here: checkin, joint, progress, guide; default all),
 *             voice (on|off: spoken prompts for the main steps; off), voice_english (on|off:
 *             a display's calls spoken in English too, after Mandarin; off), role (kiosk, or
 *             display: the waiting room's screen of the windows' calls, spoken), queue_start
 *             (0 to 899: this kiosk's queue numbers start after it, so that the kiosks of
 *             one office never give the same number: 0 and 500; 0)
 *   [paths]   assets (dir), fonts (font chain file), calendar (a calendar file used instead
 *             of the content's calendar/calendar.json: an office trying one before it is
 *             pushed, and the tests, whose clocks run at any hour); relative paths are taken
 *             from the directory of the config file
 *   [sync]    registry (https://HOST:PORT), tls (dir with kiosk.crt, kiosk.key, ca.crt,
 *             registry.pin), interval (s between syncs when idle; 600), command_wait (s of
 *             the push channel's long poll; 50; 0: none), renew_days (the certificate is
 *             renewed over mutual TLS when it ends within them; 30)
 *   [checkin] early_minutes (how long before its slot an appointment may check in; 60),
 *             late_minutes (how long after the slot's end; 30), walk_in (true: citizens
 *             without an appointment may take a walk-in number; false)
 *   [business] per business type (domain/business.h: marriage, divorce_apply, ...):
 *             CODE.prefix (its queue numbers' letters, 1–2 of A–Z but W, which is walk-ins';
 *             the table's default), CODE.room and CODE.room_en (where it is done, named on
 *             the receipt and screen; default the catalog's business.room_CODE)
 *   [joint]   booking (required: 婚育户一件事 follows the couple's marriage booking, as Shandong
 *             defines it; optional: couples without one may apply too), variant (the bundle
 *             this office offers: joint 婚育户一件事, or a variant of assets/forms/joint.json:
 *             marriage_hukou 结婚落户一件事)
 *   [staff]   one line per staff member: 工号 = pbkdf2-sha256$ITERATIONS$SALT$HASH (the PIN's
 *             hash; `kioskctl staff hash` makes the line)
 *   [roving]  point = ID, repeated: the roving registration points (the calendar's "roving")
 *             this kiosk may stand at; none: every one of its office
 *   [update]  channel (default: the office code), hardware (x86_64-kiosk-1), trust (dir of
 *             the release and content signing keys, *.pub), threshold (signatures needed; 1),
 *             poll (seconds between checks for a newer release or bundle, jittered; 600;
 *             0: pushes only)
 *   [store]   retention_days (personal data of acknowledged records is purged after it; 7)
 *   [display] rotation (0|90|180|270: how the panel is mounted; the session turns the output
 *             and the touch panel), screen_off (calendar: home dark outside the office's
 *             hours, lit at opening and for a minute at a touch; never, the default; the
 *             package's file sets calendar)
 *   [ui]      text_cache_kib (memory cap of the rendered-text cache), renderer (software|gpu),
 *             screen_inches (the panel's diagonal, for touch targets in mm; 21.5)
 *   [devices] idcard (serial device), scanner (serial device), printer (tcp:/usblp:/serial:
 *             address), printer_qr (native|raster); and, for UI scripts and the demo, the
 *             simulators' control sockets idcard_control, scanner_control
 *
 * Unknown keys are logged and ignored; bad values are an error with the line named. */
#ifndef APP_CONFIG_H
#define APP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "business.h"

#define CONFIG_STAFF_MAX 32
enum { SERVICE_CHECKIN = 1, SERVICE_JOINT = 2, SERVICE_PROGRESS = 4 };
#define CONFIG_ROVING_MAX 8

struct kiosk_config {
    char office_name[128];
    char office_name_en[128]; /* "" : office_name */
    /* the registrations the province designates this office for (条例 Art 2): 涉外 (foreign
     * permanent residence cards) and 涉港澳台 (HK/Macao/Taiwan residence permits); where they
     * are registered instead (a name the couple can find) */
    bool designated_foreign, designated_hkmt;
    char designated_office[128];
    char office_code[16];
    char timezone[72]; /* [office] timezone: every clock and date on screen and paper */
    char language[16];
    char theme[16];
    int idle_timeout_s;
    int idle_countdown_s;
    int idle_timeout_care_s; /* 关怀版: more time to read and answer */
    int idle_countdown_care_s;
    int card_remind_s;
    double screen_inches; /* [ui] screen_inches: the panel's diagonal */
    int staff_hold_ms;
    char assets_dir[512];
    char fonts_file[512];
    char calendar_file[512]; /* "": the content's */
    size_t text_cache_kib;
    char renderer[16];
    char idcard[256], scanner[256], printer[200];
    int printer_raster_qr;
    int retention_days;
    int checkin_early_min, checkin_late_min;
    bool checkin_walk_in;
    bool display; /* [kiosk] role = display */
    bool joint_booking_required;
    char joint_variant[32];
    struct {
        char prefix[4];
        char room[96], room_en[96]; /* "": the catalog's */
    } biz[BIZ_COUNT];
    char update_channel[64], update_hardware[64], update_trust[512];
    int update_threshold;
    int update_poll_s; /* a check for releases and content every ~N s (jittered); 0: pushes only */
    unsigned services_off; /* SERVICE_* this kiosk does not offer */
    bool voice;            /* spoken prompts */
    bool voice_english;    /* a display's calls in English too, after Mandarin */
    int queue_start;       /* this kiosk's queue numbers start after it (0 to 899) */
    struct {
        char number[16];
        char hash[200];
    } staff[CONFIG_STAFF_MAX];
    int nstaff;
    char staff_pepper[512]; /* [paths] staff_pepper: the secret of pbkdf2p-sha256 PINs */
    char roving[CONFIG_ROVING_MAX][96];
    int nroving;
    char registry[256], sync_tls[512];
    int sync_interval_s;
    int command_wait_s; /* the long poll of the registry's push channel; 0: none */
    int sync_retry_max_s; /* [sync] retry_max: the cap of the retries' backoff (300 s) */
    int sync_renew_days;  /* [sync] renew_days: the certificate renewed within them (30) */
    char idcard_control[256], scanner_control[256];
    int rotation;        /* [display] rotation: 0, 90, 180 or 270 degrees clockwise */
    bool screen_off;     /* [display] screen_off = calendar: dark outside the office's hours */
};

/* Fills in the defaults; assets and fonts default to the directory given (the install's or
 * the source tree's assets/ and fonts/). */
void config_defaults(struct kiosk_config *c, const char *assets_dir, const char *fonts_file);
/* Reads path over the current values. Returns 0, or -1 with the reason in err. */
#define CONFIG_FILE_MAX (64 << 10)
int config_load(struct kiosk_config *c, const char *path, char *err, size_t errsize);
/* Central configuration (issue 18): an office's settings and staff accounts come with its
 * signed content bundle, as CONFIG_CENTRAL_FILE at its root, over the terminal's own file.
 * They may set [office], [kiosk], [display], [checkin], [business], [joint], [roving] and
 * [staff] (which then replaces the terminal's accounts), never [paths], [devices], [sync],
 * [update], [store] or [ui]. All or nothing: 0, or -1 with the reason and c unchanged.
 * config_central_path: 0 and the file's path when the content has one. */
#define CONFIG_CENTRAL_FILE "settings.ini"
int config_load_central(struct kiosk_config *c, const char *path, char *err, size_t errsize);
int config_central_path(const char *content_dir, char *out, size_t cap);

#endif
