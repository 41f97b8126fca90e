/* config: see config.h. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "caltime.h"
#include "file.h"
#include "theme.h"

void config_defaults(struct kiosk_config *c, const char *assets_dir, const char *fonts_file) {
    memset(c, 0, sizeof *c);
    snprintf(c->office_name, sizeof c->office_name, "婚姻登记处");
    snprintf(c->office_code, sizeof c->office_code, "370600");
    snprintf(c->timezone, sizeof c->timezone, "Asia/Shanghai");
    snprintf(c->language, sizeof c->language, "zh-CN");
    snprintf(c->theme, sizeof c->theme, "standard");
    c->idle_timeout_s = 90;
    c->idle_countdown_s = 30;
    c->idle_timeout_care_s = 180;
    c->idle_countdown_care_s = 60;
    c->card_remind_s = 20;
    c->staff_hold_ms = 3000;
    snprintf(c->assets_dir, sizeof c->assets_dir, "%s", assets_dir);
    snprintf(c->fonts_file, sizeof c->fonts_file, "%s", fonts_file);
    c->text_cache_kib = 16 * 1024;
    c->screen_inches = 21.5;
    snprintf(c->renderer, sizeof c->renderer, "software");
    c->retention_days = 7;
    c->checkin_early_min = 60;
    c->joint_booking_required = true;
    snprintf(c->joint_variant, sizeof c->joint_variant, "joint");
    for (int b = 0; b < BIZ_COUNT; b++)
        snprintf(c->biz[b].prefix, sizeof c->biz[b].prefix, "%s", business_info(b)->prefix);
    c->update_threshold = 1;
    c->update_poll_s = 600; /* DESIGN §5: a jittered poll backs up the push channel */
    snprintf(c->update_hardware, sizeof c->update_hardware, "x86_64-kiosk-1");
    c->checkin_late_min = 30;
    c->sync_interval_s = 600;
    c->command_wait_s = 50;
    c->sync_retry_max_s = 300;
    c->sync_renew_days = 30;
    c->screen_off = false; /* the package's kiosk.ini sets calendar; tests and the demo run by day */
}

struct load_ctx {
    struct kiosk_config *c;
    char dir[512];
    char err[256];
    bool central;     /* the office's settings pushed in a content bundle (config_load_central) */
    bool staff_reset; /* its [staff] replaced the kiosk's own accounts */
};

/* What a pushed configuration may not set: where the kiosk's files, devices, registry, trust
 * and store are stay the terminal's own (a bundle must not redirect its sync or its trust). */
static bool central_forbidden(const char *section) {
    static const char *const local[] = {"paths", "devices", "sync", "update", "store", "ui", NULL};
    for (int i = 0; local[i]; i++)
        if (!strcmp(section, local[i]))
            return true;
    return false;
}

static int parse_int(const char *v, long min, long max, long *out) {
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        return -1;
    *out = n;
    return 0;
}

static int set_path(char *dst, size_t size, const char *dir, const char *v) {
    int n = v[0] == '/' || !dir[0] ? snprintf(dst, size, "%s", v)
                                   : snprintf(dst, size, "%s/%s", dir, v);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int on_key(void *user, const char *section, const char *name, const char *value) {
    struct load_ctx *l = user;
    struct kiosk_config *c = l->c;
    long n;
#define KEY(s, k) (strcmp(section, s) == 0 && strcmp(name, k) == 0)
#define BAD(what)                                                                                  \
    do {                                                                                           \
        snprintf(l->err, sizeof l->err, "[%s] %s: %s", section, name, what);                       \
        return 0;                                                                                  \
    } while (0)
    if (l->central && central_forbidden(section))
        BAD("is the terminal's own: not set by the office's pushed settings");
    if (l->central && strcmp(section, "staff") == 0 && !l->staff_reset) {
        c->nstaff = 0; /* the office's list of staff replaces the kiosk's */
        l->staff_reset = true;
    }
    if (strcmp(section, "staff") == 0) {
        /* 工号 = pbkdf2-sha256$ITERATIONS$SALT$HASH (kioskctl staff hash makes the line) */
        size_t nl = strlen(name);
        if (nl < 1 || nl > 12 || strspn(name, "0123456789") != nl)
            BAD("a staff number is 1 to 12 digits");
        if ((strncmp(value, "pbkdf2-sha256$", 14) != 0 && strncmp(value, "pbkdf2p-sha256$", 15)) ||
            strlen(value) >= sizeof c->staff[0].hash)
            BAD("must be a pbkdf2-sha256$ or pbkdf2p-sha256$ line made by kioskctl staff hash");
        if (c->nstaff == CONFIG_STAFF_MAX)
            BAD("too many staff accounts");
        snprintf(c->staff[c->nstaff].number, sizeof c->staff[0].number, "%s", name);
        snprintf(c->staff[c->nstaff].hash, sizeof c->staff[0].hash, "%s", value);
        c->nstaff++;
    } else if (strcmp(section, "business") == 0) {
        /* CODE.prefix, CODE.room, CODE.room_en */
        char code[32];
        const char *dot = strchr(name, '.');
        enum business b;
        if (!dot || (size_t)(dot - name) >= sizeof code)
            BAD("a business type's prefix, room or room_en (marriage.prefix = A)");
        snprintf(code, sizeof code, "%.*s", (int)(dot - name), name);
        if (business_from_code(code, &b) != 0 || !code[0])
            BAD("no such business type (marriage, divorce_apply, divorce_withdraw, "
                "divorce_final, reissue_marriage, reissue_divorce, ceremony, counselling)");
        size_t vl = strlen(value);
        if (!strcmp(dot + 1, "prefix")) {
            if (vl < 1 || vl > 2 || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVXYZ") != vl)
                BAD("one or two capital letters (W is the walk-ins')");
            snprintf(c->biz[b].prefix, sizeof c->biz[b].prefix, "%s", value);
        } else if (!strcmp(dot + 1, "room") || !strcmp(dot + 1, "room_en")) {
            char *dst = dot[5] ? c->biz[b].room_en : c->biz[b].room;
            if (vl >= sizeof c->biz[b].room)
                BAD("at most 95 bytes");
            snprintf(dst, sizeof c->biz[b].room, "%s", value);
        } else {
            BAD("a business type's prefix, room or room_en (marriage.prefix = A)");
        }
    } else if (KEY("kiosk", "queue_start")) {
        /* the office's second kiosk 500: its numbers A501... never meet the first's */
        if (parse_int(value, 0, 899, &n))
            BAD("must be 0 to 899 (this kiosk's numbers start after it)");
        c->queue_start = (int)n;
    } else if (KEY("kiosk", "role")) {
        if (strcmp(value, "kiosk") && strcmp(value, "display"))
            BAD("must be kiosk or display (the waiting room's screen of calls)");
        c->display = !strcmp(value, "display");
    } else if (KEY("joint", "booking")) {
        if (strcmp(value, "required") && strcmp(value, "optional"))
            BAD("must be required or optional");
        c->joint_booking_required = !strcmp(value, "required");
    } else if (KEY("joint", "variant")) {
        size_t vl = strlen(value);
        if (vl < 1 || vl >= sizeof c->joint_variant ||
            strspn(value, "abcdefghijklmnopqrstuvwxyz_") != vl)
            BAD("joint (婚育户一件事) or a variant of the form (marriage_hukou: 结婚落户一件事)");
        snprintf(c->joint_variant, sizeof c->joint_variant, "%s", value);
    } else if (KEY("roving", "point")) {
        if (c->nroving == CONFIG_ROVING_MAX || strlen(value) >= sizeof c->roving[0])
            BAD("at most 8 roving points of at most 95 bytes");
        snprintf(c->roving[c->nroving++], sizeof c->roving[0], "%s", value);
    } else if (KEY("office", "name")) {
        snprintf(c->office_name, sizeof c->office_name, "%s", value);
    } else if (KEY("office", "designations")) {
        c->designated_foreign = c->designated_hkmt = false;
        char list[200];
        snprintf(list, sizeof list, "%s", value);
        for (char *save = NULL, *w = strtok_r(list, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
            if (!strcmp(w, "foreign"))
                c->designated_foreign = true;
            else if (!strcmp(w, "hkmt"))
                c->designated_hkmt = true;
            else
                BAD("a list of foreign and hkmt");
        }
    } else if (KEY("office", "designated_office")) {
        if (strlen(value) >= sizeof c->designated_office)
            BAD("too long");
        snprintf(c->designated_office, sizeof c->designated_office, "%s", value);
    } else if (KEY("office", "name_en")) {
        snprintf(c->office_name_en, sizeof c->office_name_en, "%s", value);
    } else if (KEY("office", "code")) {
        if (strlen(value) != 6 || strspn(value, "0123456789") != 6)
            BAD("must be a 6-digit region code");
        snprintf(c->office_code, sizeof c->office_code, "%s", value);
    } else if (KEY("office", "timezone")) {
        if (strlen(value) >= sizeof c->timezone || !caltime_zone_known(value))
            BAD("must be a time zone this machine knows, such as Asia/Shanghai");
        snprintf(c->timezone, sizeof c->timezone, "%s", value);
    } else if (KEY("kiosk", "language")) {
        if (strcmp(value, "zh-CN") && strcmp(value, "en"))
            BAD("must be zh-CN or en");
        snprintf(c->language, sizeof c->language, "%s", value);
    } else if (KEY("kiosk", "theme")) {
        if (!theme_known(value))
            BAD("must be standard, care, contrast or care-contrast");
        snprintf(c->theme, sizeof c->theme, "%s", value);
    } else if (KEY("kiosk", "idle_timeout")) {
        if (parse_int(value, 5, 3600, &n))
            BAD("must be 5 to 3600 seconds");
        c->idle_timeout_s = (int)n;
    } else if (KEY("kiosk", "idle_countdown")) {
        if (parse_int(value, 0, 120, &n))
            BAD("must be 0 to 120 seconds");
        c->idle_countdown_s = (int)n;
    } else if (KEY("kiosk", "idle_timeout_care")) {
        if (parse_int(value, 5, 3600, &n))
            BAD("must be 5 to 3600 seconds");
        c->idle_timeout_care_s = (int)n;
    } else if (KEY("kiosk", "idle_countdown_care")) {
        if (parse_int(value, 0, 300, &n))
            BAD("must be 0 to 300 seconds");
        c->idle_countdown_care_s = (int)n;
    } else if (KEY("kiosk", "card_remind")) {
        if (parse_int(value, 0, 600, &n))
            BAD("must be 0 (never) to 600 seconds");
        c->card_remind_s = (int)n;
    } else if (KEY("kiosk", "staff_hold_ms")) {
        if (parse_int(value, 500, 20000, &n))
            BAD("must be 500 to 20000 ms");
        c->staff_hold_ms = (int)n;
    } else if (KEY("paths", "assets")) {
        if (set_path(c->assets_dir, sizeof c->assets_dir, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("paths", "staff_pepper")) {
        if (set_path(c->staff_pepper, sizeof c->staff_pepper, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("paths", "calendar")) {
        if (set_path(c->calendar_file, sizeof c->calendar_file, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("paths", "fonts")) {
        if (set_path(c->fonts_file, sizeof c->fonts_file, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("ui", "text_cache_kib")) {
        if (parse_int(value, 256, 1024 * 1024, &n))
            BAD("must be 256 to 1048576 KiB");
        c->text_cache_kib = (size_t)n;
    } else if (KEY("sync", "registry")) {
        if (strncmp(value, "https://", 8) || strlen(value) >= sizeof c->registry)
            BAD("must be an https:// address");
        snprintf(c->registry, sizeof c->registry, "%s", value);
    } else if (KEY("sync", "tls")) {
        if (set_path(c->sync_tls, sizeof c->sync_tls, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("sync", "interval")) {
        if (parse_int(value, 1, 86400, &n))
            BAD("must be 1 to 86400 seconds");
        c->sync_interval_s = (int)n;
    } else if (KEY("sync", "retry_max")) {
        if (parse_int(value, 5, 3600, &n))
            BAD("must be 5 to 3600 seconds");
        c->sync_retry_max_s = (int)n;
    } else if (KEY("sync", "renew_days")) {
        if (parse_int(value, 1, 3650, &n))
            BAD("must be 1 to 3650 days");
        c->sync_renew_days = (int)n;
    } else if (KEY("sync", "command_wait")) {
        if (parse_int(value, 0, 55, &n))
            BAD("must be 0 (no push channel) to 55 seconds");
        c->command_wait_s = (int)n;
    } else if (KEY("kiosk", "voice")) {
        if (strcmp(value, "on") && strcmp(value, "off"))
            BAD("must be on or off");
        c->voice = !strcmp(value, "on");
    } else if (KEY("kiosk", "voice_english")) {
        if (strcmp(value, "on") && strcmp(value, "off"))
            BAD("must be on or off");
        c->voice_english = !strcmp(value, "on");
    } else if (KEY("kiosk", "services")) {
        /* the services this office offers here: the others' tiles say "not at this kiosk" */
        char list[128];
        snprintf(list, sizeof list, "%s", value);
        c->services_off = SERVICE_CHECKIN | SERVICE_JOINT | SERVICE_PROGRESS;
        for (char *tok = strtok(list, ", "); tok; tok = strtok(NULL, ", ")) {
            if (!strcmp(tok, "checkin"))
                c->services_off &= ~SERVICE_CHECKIN;
            else if (!strcmp(tok, "joint"))
                c->services_off &= ~SERVICE_JOINT;
            else if (!strcmp(tok, "progress"))
                c->services_off &= ~SERVICE_PROGRESS;
            else if (strcmp(tok, "guide") != 0)
                BAD("must list checkin, joint, progress, guide");
        }
    } else if (KEY("checkin", "early_minutes")) {
        if (parse_int(value, 0, 720, &n))
            BAD("must be 0 to 720 minutes");
        c->checkin_early_min = (int)n;
    } else if (KEY("update", "channel")) {
        snprintf(c->update_channel, sizeof c->update_channel, "%s", value);
    } else if (KEY("update", "hardware")) {
        snprintf(c->update_hardware, sizeof c->update_hardware, "%s", value);
    } else if (KEY("update", "trust")) {
        if (set_path(c->update_trust, sizeof c->update_trust, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("update", "poll")) {
        if (parse_int(value, 0, 86400, &n) || (n > 0 && n < 5))
            BAD("must be 0 (off) or 5 to 86400 seconds");
        c->update_poll_s = (int)n;
    } else if (KEY("update", "threshold")) {
        if (parse_int(value, 1, 16, &n))
            BAD("must be 1 to 16 signatures");
        c->update_threshold = (int)n;
    } else if (KEY("checkin", "walk_in")) {
        if (strcmp(value, "true") && strcmp(value, "false"))
            BAD("must be true or false");
        c->checkin_walk_in = !strcmp(value, "true");
    } else if (KEY("checkin", "late_minutes")) {
        if (parse_int(value, 0, 720, &n))
            BAD("must be 0 to 720 minutes");
        c->checkin_late_min = (int)n;
    } else if (KEY("display", "rotation")) {
        if (strcmp(value, "0") && strcmp(value, "90") && strcmp(value, "180") && strcmp(value, "270"))
            BAD("must be 0, 90, 180 or 270 (degrees clockwise)");
        c->rotation = atoi(value);
    } else if (KEY("display", "screen_off")) {
        if (strcmp(value, "calendar") && strcmp(value, "never"))
            BAD("must be calendar (dark outside the office's hours) or never");
        c->screen_off = !strcmp(value, "calendar");
    } else if (KEY("store", "retention_days")) {
        if (parse_int(value, 0, 3650, &n))
            BAD("must be 0 to 3650 days");
        c->retention_days = (int)n;
    } else if (KEY("devices", "idcard")) {
        if (set_path(c->idcard, sizeof c->idcard, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("devices", "scanner")) {
        if (set_path(c->scanner, sizeof c->scanner, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("devices", "printer")) {
        if (strlen(value) >= sizeof c->printer)
            BAD("address too long");
        snprintf(c->printer, sizeof c->printer, "%s", value);
    } else if (KEY("devices", "printer_qr")) {
        if (strcmp(value, "native") && strcmp(value, "raster"))
            BAD("must be native or raster");
        c->printer_raster_qr = strcmp(value, "raster") == 0;
    } else if (KEY("devices", "idcard_control")) {
        if (set_path(c->idcard_control, sizeof c->idcard_control, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("devices", "scanner_control")) {
        if (set_path(c->scanner_control, sizeof c->scanner_control, l->dir, value) != 0)
            BAD("path too long");
    } else if (KEY("ui", "screen_inches")) {
        char *end;
        errno = 0;
        double d = strtod(value, &end);
        if (errno || end == value || *end || !(d >= 7 && d <= 100))
            BAD("must be the screen's diagonal in inches, 7 to 100");
        c->screen_inches = d;
    } else if (KEY("ui", "renderer")) {
        if (strcmp(value, "software") && strcmp(value, "gpu"))
            BAD("must be software or gpu");
        snprintf(c->renderer, sizeof c->renderer, "%s", value);
    } else {
        log_warn("config", "ignoring unknown key [%s] %s", section, name);
    }
    return 1;
#undef KEY
#undef BAD
}

static int load(struct kiosk_config *c, const char *path, bool central, char *err,
                size_t errsize) {
    struct load_ctx l = {.c = c, .central = central};
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", path);
    snprintf(l.dir, sizeof l.dir, "%s", dirname(tmp));
    int rc = file_ini(path, CONFIG_FILE_MAX, on_key, &l);
    if (rc < 0) {
        snprintf(err, errsize, "cannot read %s (missing, unreadable, over 64 KiB, or not a "
                               "regular file)", path);
        return -1;
    }
    if (rc > 0) {
        snprintf(err, errsize, "%s line %d: %s", path, rc, l.err[0] ? l.err : "syntax error");
        return -1;
    }
    return 0;
}

int config_load(struct kiosk_config *c, const char *path, char *err, size_t errsize) {
    return load(c, path, false, err, errsize);
}

int config_load_central(struct kiosk_config *c, const char *path, char *err, size_t errsize) {
    /* all or nothing: a bad line leaves c as it was */
    struct kiosk_config *t = malloc(sizeof *t);
    if (!t) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    *t = *c;
    int rc = load(t, path, true, err, errsize);
    if (rc == 0)
        *c = *t;
    explicit_bzero(t, sizeof *t);
    free(t);
    return rc;
}

int config_central_path(const char *content_dir, char *out, size_t cap) {
    if ((size_t)snprintf(out, cap, "%s/%s", content_dir, CONFIG_CENTRAL_FILE) >= cap)
        return -1;
    return access(out, F_OK) == 0 ? 0 : -1;
}
