/* app: see app.h. */
#include "app.h"
#include "crypto_pki.h"
#include "agent.h"
#include "voice.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "caltime.h"
#include "file.h"
#include "form.h"
#include "guide.h"
#include "json.h"
#include "layout_check.h"
#include "log.h"
#include "remote.h"
#include "theme.h"
#include "utf8.h"

#define SESSION_BYTES (1u << 20)

/* The idle timer's durations for the theme: 关怀版 gives more time to read and answer. */
static void idle_durations(struct app *a) {
    bool care = theme_is_care(a->theme);
    int timeout = care ? a->cfg.idle_timeout_care_s : a->cfg.idle_timeout_s;
    int countdown = care ? a->cfg.idle_countdown_care_s : a->cfg.idle_countdown_s;
    idle_set(&a->idle, (int64_t)timeout * 1000, (int64_t)countdown * 1000);
}

/* The content as this office uses it: [paths] calendar in place of the content's (logged when
 * it cannot be read: the content's stays), and the joint form narrowed to [joint] variant
 * (logged when the form has no such variant: the whole bundle is offered). */
static void content_for_office(struct app *a) {
    char why[300];
    if (a->cfg.calendar_file[0] &&
        content_calendar_from(&a->content, a->cfg.calendar_file, why, sizeof why) != 0)
        log_error("app", "[paths] calendar %s: %s; the content's calendar is used",
                  a->cfg.calendar_file, why);
    if (a->content.form && form_use_variant(a->content.form, a->cfg.joint_variant) != 0)
        log_error("app", "[joint] variant %s: the form has no such variant; the whole bundle is "
                  "offered", a->cfg.joint_variant);
}

const char *app_joint_title(struct app *a) {
    const char *t = a->content.form ? form_title(a->content.form, i18n_lang(a->i18n)) : "";
    return t[0] ? t : app_tr(a, "home.joint");
}

const char *app_joint_subtitle(struct app *a) {
    const char *t = a->content.form ? form_subtitle(a->content.form, i18n_lang(a->i18n)) : "";
    return t[0] ? t : app_tr(a, "home.joint_sub");
}

static int content_settings_check(const char *dir, char *why, size_t cap);

int app_init(struct app *a, const struct kiosk_config *cfg, struct ui *ui, struct i18n *i18n,
             const struct clock_src *clock, const char *state_dir,
             const struct app_screens *screens) {
    memset(a, 0, sizeof *a);
    a->screens = screens;
    snprintf(a->state_dir, sizeof a->state_dir, "%s", state_dir);
    a->cfg = *cfg;
    a->ui = ui;
    a->i18n = i18n;
    a->clock = clock;
    char central[sizeof a->cfg.assets_dir + 32];
    a->central_settings = config_central_path(cfg->assets_dir, central, sizeof central) == 0;
    snprintf(a->theme, sizeof a->theme, "%s", cfg->theme);
    if (session_init(&a->session, SESSION_BYTES) != 0) {
        log_error("app", "cannot reserve the session arena");
        return -1;
    }
    if (!a->session.locked)
        log_warn("app", "session arena not locked in RAM (RLIMIT_MEMLOCK)");
    idle_init(&a->idle, 1000, 0);
    idle_durations(a);
    kb_init(&a->kb, NULL);
    /* a scanner types a whole code within a few ms a key; people take 100 ms and more */
    wedge_init(&a->wedge, 35, 4);
    /* the catalogs are main's (with the emergency catalog when they are missing); a form or
     * guide that does not load leaves its service explained as unavailable */
    char why[300];
    content_load(&a->content, cfg->assets_dir, CONTENT_FORM | CONTENT_GUIDE | CONTENT_CALENDAR, 0, why,
                 sizeof why);
    content_for_office(a);
    app_push(a, a->screens->home);
    return 0;
}

void app_keyboard_open(struct app *a, char *buf, size_t cap, enum kb_mode mode, enum kb_keys keys) {
    if (!a->ime_tried) {
        a->ime_tried = true;
        char dir[600];
        snprintf(dir, sizeof dir, "%s/rime", a->state_dir);
        a->ime = ime_create(dir);
        a->kb.ime = a->ime;
        if (!a->ime)
            log_warn("app", "pinyin input unavailable; the keyboard offers letters and digits");
    }
    /* an English speaker types letters: the keyboard starts there, not in pinyin */
    if (mode == KB_PINYIN && !strcmp(i18n_lang(a->i18n), "en"))
        mode = KB_LETTERS;
    kb_attach(&a->kb, buf, cap, mode, keys);
}

void app_keyboard_close(struct app *a) {
    kb_detach(&a->kb);
}

static void frame_leave(struct app *a, struct app_frame *f) {
    if (f->ops->leave)
        f->ops->leave(a, f->st);
    if (f->st) {
        explicit_bzero(f->st, f->ops->state_size);
        free(f->st);
    }
    f->ops = NULL;
    f->st = NULL;
}

static void post_device(void *ctx, struct device_event *ev) {
    struct app *a = ctx;
    if (!ui_post_device(a->ui, ev))
        device_event_free(ev);
}

void app_start_devices(struct app *a) {
    struct workers_config dc;
    memset(&dc, 0, sizeof dc);
    snprintf(dc.idcard, sizeof dc.idcard, "%s", a->cfg.idcard);
    snprintf(dc.scanner, sizeof dc.scanner, "%s", a->cfg.scanner);
    snprintf(dc.printer, sizeof dc.printer, "%s", a->cfg.printer);
    dc.printer_raster_qr = a->cfg.printer_raster_qr;
    snprintf(dc.state_dir, sizeof dc.state_dir, "%s", a->state_dir);
    snprintf(dc.registry, sizeof dc.registry, "%s", a->cfg.registry);
    snprintf(dc.sync_tls, sizeof dc.sync_tls, "%s", a->cfg.sync_tls);
    dc.sync_interval_s = a->cfg.sync_interval_s;
    dc.command_wait_s = a->cfg.command_wait_s;
    dc.retry_max_s = a->cfg.sync_retry_max_s;
    dc.renew_days = a->cfg.sync_renew_days;
    snprintf(dc.update_channel, sizeof dc.update_channel, "%s",
             a->cfg.update_channel[0] ? a->cfg.update_channel : a->cfg.office_code);
    snprintf(dc.update_hardware, sizeof dc.update_hardware, "%s", a->cfg.update_hardware);
    snprintf(dc.update_trust, sizeof dc.update_trust, "%s", a->cfg.update_trust);
    dc.update_threshold = a->cfg.update_threshold;
    dc.update_poll_s = a->cfg.update_poll_s;
    dc.display = a->cfg.display;
    a->sync_state = dc.registry[0] ? 0 : -1;
    a->reader_state = dc.idcard[0] ? 0 : -1;
    a->printer_state = dc.printer[0] ? 2 : -1;
    a->scanner_state = dc.scanner[0] ? 0 : -1;
    dc.content_check = content_settings_check;
    if (a->cfg.sync_tls[0]) {
        char crt[600];
        snprintf(crt, sizeof crt, "%s/kiosk.crt", a->cfg.sync_tls);
        if (pki_cert_names(crt, a->kiosk_id, sizeof a->kiosk_id, NULL, 0) != 0)
            a->kiosk_id[0] = 0;
        else if (a->store)
            store_set_kiosk(a->store, a->kiosk_id); /* record ids are bound to it from now on */
    }
    a->workers_running = workers_start(&a->workers, &dc, post_device, a) == 0;
}

static void purge(struct app *a);

void app_open_store(struct app *a) {
    int rc = store_open(&a->store, a->state_dir, a->clock);
    if (rc != STORE_OK) {
        log_error("app", "store: %s", store_strerror(rc));
        a->store = NULL;
        /* a lost or wrong key, or a lost store, is for staff to restore: the kiosk stays out of
         * service and says which, rather than starting over and stranding what it held */
        app_out_of_service(a, rc == STORE_ERR_KEY_LOST     ? "oos.reason_key_lost"
                              : rc == STORE_ERR_KEY_WRONG  ? "oos.reason_key_wrong"
                              : rc == STORE_ERR_STORE_LOST ? "oos.reason_store_lost"
                                                           : "oos.reason_store");
        return;
    }
    char *notice = NULL;
    if (store_kv_get(a->store, REMOTE_NOTICE_KEY, &notice) == STORE_OK && notice)
        remote_notice_clean(a->notice, sizeof a->notice, notice);
    free(notice);
    char *roving = NULL;
    if (store_kv_get(a->store, "roving.point", &roving) == STORE_OK && roving)
        snprintf(a->roving_point, sizeof a->roving_point, "%.95s", roving);
    free(roving);
    purge(a);
}

static void store_failed(struct app *a, int rc);

/* After a failed write: out of service now, a restart soon (the screen says why first). */
void app_report_healthy(struct app *a) {
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/release", a->state_dir);
    if (!a->store || !app_screen_is(a, "home") || access(dir, F_OK) != 0)
        return; /* not yet; or the packaged kiosk without a launcher */
    unsigned want = (a->cfg.idcard[0] ? APP_PROBED_READER : 0) |
                    (a->cfg.printer[0] ? APP_PROBED_PRINTER : 0) |
                    (a->cfg.scanner[0] ? APP_PROBED_SCANNER : 0);
    if ((a->probed & want) != want)
        return; /* a device has not answered yet: its thread is still probing */
    static const char *const reader[] = {"absent", "unreachable", "ok"};
    static const char *const printer[] = {"absent", "ok", "problem", "unreachable"};
    char health[sizeof a->health];
    snprintf(health, sizeof health,
             "{\"version\":\"%s\",\"devices\":{\"reader\":\"%s\",\"printer\":\"%s\","
             "\"scanner\":\"%s\"}}",
             KIOSK_VERSION, reader[a->reader_state + 1], printer[a->printer_state + 1],
             reader[a->scanner_state + 1]);
    if (!strcmp(health, a->health))
        return;
    char line[sizeof health + 1];
    snprintf(path, sizeof path, "%s/healthy", dir);
    snprintf(line, sizeof line, "%s\n", health);
    if (file_replace(path, line) != 0) {
        log_warn("app", "cannot report healthy to the launcher");
        return;
    }
    snprintf(a->health, sizeof a->health, "%s", health);
    const char *devices = strstr(health, "{\"r");
    log_info("app", "health reported: store open, home drawn, devices %.*s",
             devices ? (int)strlen(devices) - 1 : 0, devices ? devices : "");
}

int app_record_stored(struct app *a, int rc, char *json) {
    if (json) {
        explicit_bzero(json, strlen(json));
        free(json);
    }
    if (rc != STORE_OK) {
        store_failed(a, rc);
        return -1;
    }
    return 0;
}

void app_store_failed(struct app *a, int rc) {
    store_failed(a, rc);
}

static void store_failed(struct app *a, int rc) {
    log_error("app", "store write failed: %s; out of service, restarting", store_strerror(rc));
    app_out_of_service(a, "oos.reason_store");
    a->restart_at_ms = app_now(a) + 10000;
    a->exit_code = 70; /* EX_SOFTWARE: the service manager starts the kiosk again */
}

/* Personal data of acknowledged records goes once the retention period has passed: at start
 * and then at most hourly, between citizens. */
static void purge(struct app *a) {
    if (!a->store || (a->purged_at_ms && app_now(a) - a->purged_at_ms < 3600 * 1000))
        return;
    a->purged_at_ms = app_now(a);
    int n = store_purge(a->store, a->cfg.retention_days);
    if (n < 0)
        store_failed(a, n);
    else if (n > 0)
        log_info("app", "retention: personal data of %d records purged", n);
}

void app_audit(struct app *a, const char *actor, const char *action, const char *detail) {
    if (!a->store)
        return;
    int rc = store_audit(a->store, actor, action, detail);
    if (rc != STORE_OK)
        store_failed(a, rc);
}

void app_print_test(struct app *a) {
    char actor[32];
    snprintf(actor, sizeof actor, "staff:%s", a->staff_number[0] ? a->staff_number : "?");
    app_audit(a, actor, "printer.test", a->cfg.printer);
    a->print_result = -1;
    if (a->workers_running && a->cfg.printer[0])
        workers_print_test(&a->workers);
    else
        a->print_result = 0;
    ui_invalidate(a->ui);
}

static struct app_frame *top(struct app *a);

/* A command of the registry, already durable (workers/commands.c). A lock waits while a citizen is
 * being served: it takes effect when the session ends (app_go_home). */
static void registry_command(struct app *a, const struct device_event *ev) {
    struct app_frame *f = top(a);
    switch (ev->status) {
    case CMD_LOCK:
        app_audit(a, "registry", "kiosk.lock", "");
        if (f && f->ops->citizen) {
            a->lock_pending = true;
            log_info("app", "locked by the registry: after this citizen's session");
        } else {
            app_out_of_service(a, "oos.reason_locked");
        }
        break;
    case CMD_UNLOCK:
        app_audit(a, "registry", "kiosk.unlock", "");
        a->lock_pending = false;
        if (!strcmp(app_screen_id(a), "out_of_service") &&
            !strcmp(a->oos_reason_key, "oos.reason_locked"))
            app_go_home(a);
        break;
    case CMD_CONTENT:
        app_audit(a, "registry", "content.installed", ev->text);
        a->content_pending = true;
        if (!(f && f->ops->citizen))
            app_go_home(a); /* nobody is being served: swap now */
        break;
    case CMD_RESTART:
        app_audit(a, "registry", "release.installed", ev->text);
        app_restart_for_release(a);
        break;
    case CMD_CALL:
        app_call(a, ev->text);
        break;
    case CMD_NOTICE:
        app_audit(a, "registry", "notice", ev->text);
        remote_notice_clean(a->notice, sizeof a->notice, ev->text);
        if (f && f->ops->layout)
            f->ops->layout(a, f->st); /* home makes room for it, or gives the room back */
        break;
    default:
        break;
    }
}

/* Bookkeeping of a device report; card data goes into the session arena for the screens. */
static void reader_check(struct app *a, int64_t now);

/* The printer stopped printing: staff are told through the registry (the next heartbeat,
 * woken now), once a stop. */
static void printer_alert(struct app *a, const char *what) {
    cJSON *o = cJSON_CreateObject();
    char shown[49];
    snprintf(shown, sizeof shown, "%s", what);
    cJSON_AddStringToObject(o, "kind", "printer");
    cJSON_AddStringToObject(o, "screen", utf8_valid(shown, strlen(shown)) ? shown : "problem");
    cJSON_AddNumberToObject(o, "at", (double)clock_wall_s(a->clock));
    char *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!json || !a->store || store_kv_set(a->store, REMOTE_ALERT_PRINTER_KEY, json) != STORE_OK)
        log_warn("app", "the printer's alert cannot be kept");
    free(json);
    log_warn("app", "the printer stopped: %s (staff alerted)", what);
    if (a->workers_running)
        workers_sync_now(&a->workers);
}

static void device_event(struct app *a, struct device_event *ev, struct ui_event *uev) {
    switch (ev->kind) {
    case DEV_READER_STATE:
        a->probed |= APP_PROBED_READER;
        a->reader_state = ev->ok ? 1 : 0;
        if (!ev->ok && !a->reader_down_ms)
            a->reader_down_ms = app_now(a);
        if (ev->ok)
            a->reader_down_ms = 0;
        reader_check(a, app_now(a));
        if (!ev->ok)
            log_warn("app", "card reader unreachable: %s", ev->text);
        break;
    case DEV_SCANNER_STATE:
        a->probed |= APP_PROBED_SCANNER;
        a->scanner_state = ev->ok ? 1 : 0;
        if (!ev->ok)
            log_warn("app", "scanner unreachable: %s", ev->text);
        break;
    case DEV_PRINTER_STATE: {
        a->probed |= APP_PROBED_PRINTER;
        bool changed = a->printer_state != ev->status;
        if (changed && ev->status == 1 && a->printer_state != -1)
            printer_alert(a, ev->text);
        a->printer_state = ev->status;
        snprintf(a->printer_text, sizeof a->printer_text, "%s", ev->text);
        struct app_frame *f = top(a);
        if (changed && f && f->ops->layout && app_screen_is(a, "home"))
            f->ops->layout(a, f->st); /* home's band says so: the tiles make room for it */
        break;
    }
    case DEV_SYNC_STATE:
        if (a->sync_state != (ev->ok ? 1 : 0))
            log_info("app", "registry %s%s%s", ev->ok ? "reachable" : "unreachable",
                     ev->ok ? "" : ": ", ev->text);
        a->sync_state = ev->ok ? 1 : 0;
        a->sync_code = ev->status;
        snprintf(a->sync_text, sizeof a->sync_text, "%s", ev->text);
        break;
    case DEV_COMMAND:
        registry_command(a, ev);
        break;
    case DEV_PRINT_DONE:
        if (ev->status == PRINT_TAG_RECEIPT) {
            a->receipt_printed = ev->ok ? 1 : 0;
            snprintf(a->receipt_text, sizeof a->receipt_text, "%s", ev->text);
            if (!ev->ok)
                log_warn("app", "receipt not printed: %s", ev->text);
            break;
        }
        a->print_result = ev->ok ? 1 : 0;
        if (!ev->ok)
            log_warn("app", "test receipt not printed: %s", ev->text);
        break;
    case DEV_CARD_READ:
        a->card = session_alloc(&a->session, sizeof *a->card);
        if (a->card)
            *a->card = ev->card;
        a->card_read_ms = app_now(a);
        a->card_reminded = false;
        break;
    case DEV_CARD_REMOVED:
        a->card_read_ms = 0;
        if (a->card_dialog.shown) {
            ui_dialog_close(a->ui, &a->card_dialog);
            log_info("app", "the card left on the reader was taken");
        }
        break;
    case DEV_SCAN:
        a->scan_code = session_strdup(&a->session, ev->text);
        break;
    default:
        break;
    }
    uev->device = ev;
    ui_invalidate(a->ui);
}

void app_call(struct app *a, const char *json) {
    cJSON *o = cJSON_Parse(json);
    const char *number = json_str(o, "queue_no"), *window = json_str(o, "window");
    const char *name = json_str_or(o, "window_name", window ? window : "");
    if (!number || !window || strlen(number) >= sizeof a->calls[0].number) {
        log_warn("app", "a call without a number or window: ignored");
        cJSON_Delete(o);
        return;
    }
    memmove(&a->calls[1], &a->calls[0], sizeof a->calls[0] * (APP_CALLS_MAX - 1));
    snprintf(a->calls[0].number, sizeof a->calls[0].number, "%s", number);
    snprintf(a->calls[0].window, sizeof a->calls[0].window, "%s", name);
    a->calls[0].at = clock_wall_s(a->clock);
    a->ncalls += a->ncalls < APP_CALLS_MAX;
    log_info("app", "call: %s to window %s", number, window);
    /* spoken in Mandarin, and in English where the display shows English */
    if (a->cfg.voice) {
        if (!a->voice && !a->voice_tried) {
            a->voice_tried = true;
            char path[700];
            snprintf(path, sizeof path, "%s/voice/prompts.ini", a->cfg.assets_dir);
            a->voice = voice_create(path);
        }
        /* a chime, then Mandarin, then English when the office wants it ([kiosk]
         * voice_english) */
        const char *args[] = {"n", number, "w", window, NULL};
        voice_call(a->voice, "display.call",
                   a->cfg.voice_english ? i18n_get_in(a->i18n, "en", "display.call") : NULL, args);
    }
    cJSON_Delete(o);
    ui_invalidate(a->ui);
}

void app_say(struct app *a, const char *key, const char *number) {
    if (!a->cfg.voice)
        return;
    if (!a->voice && !a->voice_tried) {
        a->voice_tried = true;
        char path[700];
        snprintf(path, sizeof path, "%s/voice/prompts.ini", a->cfg.assets_dir);
        a->voice = voice_create(path);
    }
    voice_say(a->voice, i18n_lang(a->i18n), key, app_tr(a, key), number);
}

void app_fini(struct app *a) {
    if (a->workers_running)
        workers_stop(&a->workers);
    content_free(&a->content);
    voice_destroy(a->voice); /* says what was still waiting, then how much it said */
    a->voice = NULL;
    store_close(a->store);
    a->store = NULL;
    /* reports still queued carry memory (and maybe a card) of ours */
    ui_drop_pending(a->ui, (void (*)(void *))device_event_free);
    while (a->depth > 0)
        frame_leave(a, &a->stack[--a->depth]);
    kb_detach(&a->kb);
    ime_destroy(a->ime);
    a->ime = NULL;
    session_free(&a->session);
}

int64_t app_now(const struct app *a) {
    return clock_mono_ms(a->clock);
}

const char *app_tr(const struct app *a, const char *key) {
    return i18n_get(a->i18n, key);
}

const char *app_office_name(const struct app *a) {
    return !strcmp(i18n_lang(a->i18n), "en") && a->cfg.office_name_en[0] ? a->cfg.office_name_en
                                                                          : a->cfg.office_name;
}

void app_printer_words(const struct app *a, const char *raw, char *out, size_t cap) {
    static const char *const flags[] = {"offline", "cover open", "paper near end", "paper out",
                                        "error"};
    static const char *const keys[] = {"printer.offline", "printer.cover_open",
                                       "printer.paper_near_end", "printer.paper_out",
                                       "printer.error"};
    out[0] = 0;
    size_t used = 0;
    const char *p = raw ? raw : "";
    while (*p && used + 1 < cap) {
        const char *e = strstr(p, ", ");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *word = NULL;
        for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
            if (strlen(flags[i]) == n && !strncmp(p, flags[i], n))
                word = app_tr(a, keys[i]);
        int w = word ? snprintf(out + used, cap - used, "%s%s", used ? "、" : "", word)
                     : snprintf(out + used, cap - used, "%s%.*s", used ? "、" : "", (int)n, p);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
        p += n + (e ? 2 : 0);
    }
}

static struct app_frame *top(struct app *a) {
    return a->depth ? &a->stack[a->depth - 1] : NULL;
}

const char *app_screen_id(const struct app *a) {
    if (!a->depth)
        return "";
    const struct app_frame *f = &a->stack[a->depth - 1];
    const char *step = f->ops->step_id ? f->ops->step_id((struct app *)a, f->st) : NULL;
    return step ? step : f->ops->id;
}

bool app_screen_is(const struct app *a, const char *id) {
    const char *cur = app_screen_id(a);
    size_t n = strlen(id);
    return !strncmp(cur, id, n) && (cur[n] == 0 || cur[n] == '.');
}

static void update_idle(struct app *a) {
    struct app_frame *f = top(a);
    if (f && f->ops->citizen) {
        if (!a->idle.armed)
            idle_arm(&a->idle, app_now(a));
    } else {
        idle_disarm(&a->idle);
        ui_dialog_close(a->ui, &a->idle_dialog);
    }
}

/* At debug level, where each widget is: the windowed test clicks them with xdotool. Ids and
 * rectangles only, never texts (a field's text may be personal). */
static void log_widgets(struct app *a, struct app_frame *f) {
    if (log_min_level() > LOG_DEBUG || !f->ops->layers)
        return;
    struct ui_layer *ls[4];
    int nl = f->ops->layers(a, f->st, ls, 4);
    for (int i = 0; i < nl; i++) {
        for (int k = 0; k < ls[i]->n; k++) {
            const struct ui_widget *w = &ls[i]->w[k];
            if (w->id[0])
                log_debug("app", "widget %s.%s rect=%d,%d,%d,%d", f->ops->id, w->id, w->r.x, w->r.y,
                          w->r.w, w->r.h);
        }
    }
}

static void frame_enter(struct app *a, struct app_frame *f) {
    if (f->ops->enter)
        f->ops->enter(a, f->st);
    if (f->ops->layout)
        f->ops->layout(a, f->st);
    log_widgets(a, f);
}

void app_push(struct app *a, const struct screen_ops *ops) {
    if (a->depth == APP_STACK_MAX) {
        log_error("app", "screen stack full; %s not shown", ops->id);
        return;
    }
    struct app_frame *f = &a->stack[a->depth];
    f->ops = ops;
    f->st = ops->state_size ? calloc(1, ops->state_size) : NULL;
    if (ops->state_size && !f->st) {
        log_error("app", "out of memory for screen %s", ops->id);
        return;
    }
    a->depth++;
    log_info("app", "screen %s", ops->id);
    frame_enter(a, f);
    update_idle(a);
    ui_invalidate(a->ui);
}

void app_pop(struct app *a) {
    if (a->depth <= 1)
        return;
    frame_leave(a, &a->stack[--a->depth]);
    struct app_frame *f = top(a);
    log_info("app", "screen %s", f->ops->id);
    if (f->ops->layout)
        f->ops->layout(a, f->st);
    update_idle(a);
    ui_invalidate(a->ui);
}

void app_restart_for_release(struct app *a) {
    a->restart_pending = true;
    struct app_frame *f = top(a);
    if (!(f && f->ops->citizen))
        app_go_home(a); /* nobody is being served: now */
}

/* A content bundle is checked whole before it is installed: its content, and the office's
 * settings it carries (a bad line, or a section that is the terminal's own, refuses it). */
static int content_settings_check(const char *dir, char *why, size_t cap) {
    if (content_check(dir, why, cap) != 0)
        return -1;
    char path[600];
    if (config_central_path(dir, path, sizeof path) != 0)
        return 0;
    struct kiosk_config *scratch = calloc(1, sizeof *scratch);
    if (!scratch) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    config_defaults(scratch, dir, "");
    int rc = config_load_central(scratch, path, why, cap);
    free(scratch);
    return rc;
}

/* A content bundle was installed: catalogs, forms and guide come from it from now on; between
 * sessions only (home), never under a citizen's feet. */
static void content_swap(struct app *a) {
    a->content_pending = false;
    char dir[sizeof a->cfg.assets_dir];
    if (update_content_dir(a->state_dir, dir, sizeof dir) != 0)
        return;
    /* the whole bundle is read first (each file once); only one that loads replaces the
     * content in use */
    struct content fresh;
    char why[300];
    if (content_load(&fresh, dir, CONTENT_ALL, CONTENT_CATALOGS, why, sizeof why) != 0) {
        log_error("app", "the new content cannot be used (%s): keeping the old content", why);
        return;
    }
    char lang[8];
    snprintf(lang, sizeof lang, "%s", i18n_lang(a->i18n));
    i18n_free(a->i18n);
    *a->i18n = fresh.catalogs; /* the catalogs move to the kiosk's i18n */
    memset(&fresh.catalogs, 0, sizeof fresh.catalogs);
    fresh.loaded &= ~(unsigned)CONTENT_CATALOGS;
    i18n_set_lang(a->i18n, lang);
    content_free(&a->content);
    a->content = fresh;
    content_for_office(a);
    snprintf(a->cfg.assets_dir, sizeof a->cfg.assets_dir, "%s", dir);
    struct app_frame *f = top(a);
    if (f && f->ops->layout)
        f->ops->layout(a, f->st); /* the widgets hold their texts: build them anew */
    ui_invalidate(a->ui);
    log_info("app", "content swapped: %s", dir);
    /* the office's settings it carries (or that the last one carried) are read at the start:
     * the kiosk starts again, between sessions, as for a new release */
    char path[sizeof dir + 32];
    if (config_central_path(dir, path, sizeof path) == 0 || a->central_settings) {
        log_info("app", "the office's settings came with the content: restarting to apply them");
        a->restart_pending = true;
    }
}

void app_go_home(struct app *a) {
    while (a->depth > 1)
        frame_leave(a, &a->stack[--a->depth]);
    /* Everything of the citizen's goes: the arena, the input method's composition, and every
     * texture that showed it. */
    kb_detach(&a->kb);
    session_wipe(&a->session);
    a->card = NULL;
    a->scan_code = NULL;
    ui_forget_personal(a->ui);
    ui_dialog_close(a->ui, &a->idle_dialog);
    ui_dialog_close(a->ui, &a->confirm_dialog);
    /* (a card left on the reader is still said to be there: its dialog stays until taken) */
    /* the next citizen starts from the office's language and theme, not the last one's */
    if (strcmp(i18n_lang(a->i18n), a->cfg.language) && i18n_set_lang(a->i18n, a->cfg.language) == 0)
        log_info("app", "language %s (the office's)", a->cfg.language);
    if (strcmp(a->theme, a->cfg.theme)) {
        snprintf(a->theme, sizeof a->theme, "%s", a->cfg.theme);
        ui_set_theme(a->ui, a->theme);
        idle_durations(a);
        log_info("app", "theme %s (the office's)", a->theme);
    }
    struct app_frame *f = top(a);
    if (f && f->ops->layout)
        f->ops->layout(a, f->st);
    log_info("app", "screen %s (session wiped)", app_screen_id(a));
    if (a->content_pending)
        content_swap(a);
    if (a->restart_pending) {
        /* the launcher starts the new release (exit 75: not a crash); the screen says so for
         * the moment the window is gone */
        log_info("app", "restarting into the new release");
        a->restart_pending = false;
        snprintf(a->oos_reason_key, sizeof a->oos_reason_key, "oos.reason_update");
        app_push(a, a->screens->out_of_service);
        a->exit_code = KIOSK_EXIT_RESTART;
        a->restart_at_ms = app_now(a) + 400;
    }
    if (a->lock_pending) {
        a->lock_pending = false;
        snprintf(a->oos_reason_key, sizeof a->oos_reason_key, "oos.reason_locked");
        app_push(a, a->screens->out_of_service);
    }
    purge(a);
    update_idle(a);
    ui_invalidate(a->ui);
}

void app_out_of_service(struct app *a, const char *reason_key) {
    if (strcmp(a->oos_reason_key, reason_key) != 0)
        log_event(LOG_WARN, "app", LOG_MSGID_OUT_OF_SERVICE, NULL, NULL, "out of service: %s",
                  reason_key);
    snprintf(a->oos_reason_key, sizeof a->oos_reason_key, "%s", reason_key);
    app_go_home(a);
    app_push(a, a->screens->out_of_service);
}

void app_show_unavailable(struct app *a, const char *service_key) {
    a->unavailable_key = service_key;
    a->unavailable_device = false;
    app_push(a, a->screens->unavailable);
}

bool app_reader_missing(const struct app *a) {
    return a->reader_missing;
}

/* Whether the reader has been silent past its grace time; a change re-lays the screen out
 * (home's band says why, or stops saying it). */
static void reader_check(struct app *a, int64_t now) {
    bool missing =
        a->reader_state == 0 && a->reader_down_ms && now - a->reader_down_ms >= APP_READER_GRACE_MS;
    if (missing == a->reader_missing)
        return;
    a->reader_missing = missing;
    if (missing)
        log_warn("app", "card reader missing for %d s: check-in and the joint application closed",
                 APP_READER_GRACE_MS / 1000);
    else
        log_info("app", "card reader back: check-in and the joint application open again");
    struct app_frame *f = top(a);
    if (f && f->ops->layout)
        f->ops->layout(a, f->st);
    ui_invalidate(a->ui);
}

static void open_idle_dialog(struct app *a);
static void open_confirm_dialog(struct app *a);
static void open_card_dialog(struct app *a);

static void relayout_all(struct app *a) {
    for (int i = 0; i < a->depth; i++) {
        if (a->stack[i].ops->layout)
            a->stack[i].ops->layout(a, a->stack[i].st);
    }
    /* an open dialog too, in the new language and sizes */
    if (a->idle_dialog.shown)
        open_idle_dialog(a);
    if (a->confirm_dialog.shown)
        open_confirm_dialog(a);
    if (a->card_dialog.shown)
        open_card_dialog(a);
    ui_invalidate(a->ui);
}

void app_set_language(struct app *a, const char *lang) {
    if (i18n_set_lang(a->i18n, lang) == 0) {
        log_info("app", "language %s", lang);
        relayout_all(a);
    }
}

void app_toggle_language(struct app *a) {
    app_set_language(a, strcmp(i18n_lang(a->i18n), "en") == 0 ? "zh-CN" : "en");
}

/* The layers a touch would reach now: an open dialog's alone, else the screen's (the
 * on-screen keyboard an overlay over them). */
static int active_layers(struct app *a, struct layout_layer *out, int max) {
    struct ui_dialog *d = a->idle_dialog.shown      ? &a->idle_dialog
                          : a->card_dialog.shown    ? &a->card_dialog
                          : a->confirm_dialog.shown ? &a->confirm_dialog
                                                    : NULL;
    if (d) {
        out[0] = (struct layout_layer){&d->layer, false};
        return 1;
    }
    struct app_frame *f = top(a);
    struct ui_layer *ls[8];
    int n = f && f->ops->layers ? f->ops->layers(a, f->st, ls, max < 8 ? max : 8) : 0;
    for (int i = 0; i < n; i++)
        out[i] = (struct layout_layer){ls[i], ls[i] == &a->kb.layer};
    return n;
}

int app_layout_check(struct app *a, char (*out)[240], int max) {
    static const char *const langs[] = {"zh-CN", "en"};
    static const char *const themes[] = {"standard", "care", "contrast", "care-contrast"};
    const struct layout_screen screens[] = {{1920, 1080, a->cfg.screen_inches},
                                            {1366, 768, a->cfg.screen_inches},
                                            {1280, 1024, a->cfg.screen_inches},
                                            {1080, 1920, a->cfg.screen_inches}};
    char lang0[8], theme0[sizeof a->theme];
    snprintf(lang0, sizeof lang0, "%s", i18n_lang(a->i18n));
    snprintf(theme0, sizeof theme0, "%s", a->theme);
    int total = 0;
    for (size_t li = 0; li < sizeof langs / sizeof langs[0]; li++) {
        for (size_t ti = 0; ti < sizeof themes / sizeof themes[0]; ti++) {
            app_set_language(a, langs[li]);
            app_set_theme(a, themes[ti]);
            ui_begin_frame(a->ui);
            app_draw(a);
            struct layout_layer layers[8];
            int nl = active_layers(a, layers, 8), nm = 0;
            const struct ui_mark *marks = ui_marks(a->ui, &nm);
            char found[32][LAYOUT_PROBLEM_LEN];
            int n = layout_check(layers, nl, marks, nm, screens, 4, found, 32);
            for (int i = 0; i < n && i < 32; i++, total++)
                if (total < max)
                    snprintf(out[total], 240, "[%s %s] %.*s", langs[li], themes[ti], 200,
                             found[i]);
            total += n > 32 ? n - 32 : 0;
            ui_end_frame(a->ui);
        }
    }
    app_set_language(a, lang0);
    app_set_theme(a, theme0);
    ui_invalidate(a->ui);
    return total;
}

bool app_has_input(struct app *a) {
    struct app_frame *f = top(a);
    return f && f->ops->citizen && f->ops->has_input && f->ops->has_input(a, f->st);
}

static void on_confirm_no(void *ctx, struct ui_widget *w);
static void on_confirm_yes(void *ctx, struct ui_widget *w);

static void open_confirm_dialog(struct app *a) {
    ui_dialog_open(a->ui, &a->confirm_dialog, app_tr(a, a->confirm_keys[0]),
                   app_tr(a, a->confirm_keys[1]));
    if (!a->confirm_keys[2]) { /* a notice: one button that closes it */
        ui_dialog_button(a->ui, &a->confirm_dialog, "confirm_no", app_tr(a, "confirm.ok"),
                         UI_STYLE_PRIMARY, on_confirm_no, a);
        return;
    }
    ui_dialog_button(a->ui, &a->confirm_dialog, "confirm_yes", app_tr(a, a->confirm_keys[2]),
                     UI_STYLE_NORMAL, on_confirm_yes, a);
    ui_dialog_button(a->ui, &a->confirm_dialog, "confirm_no", app_tr(a, "confirm.stay"),
                     UI_STYLE_PRIMARY, on_confirm_no, a);
}

void app_call_staff(struct app *a) {
    /* kept in the store for the sync thread's next heartbeat, which it wakes at once; the
     * registry keeps each call once, however often it arrives */
    char json[160];
    snprintf(json, sizeof json, "{\"kind\":\"call_staff\",\"screen\":\"%.48s\",\"at\":%lld}",
             app_screen_id(a), (long long)clock_wall_s(a->clock));
    if (a->store && store_kv_set(a->store, REMOTE_ALERT_KEY, json) != STORE_OK)
        log_warn("app", "the call for staff cannot be kept");
    app_audit(a, "citizen", "call_staff", app_screen_id(a));
    log_info("app", "staff called from screen %s", app_screen_id(a));
    if (a->workers_running)
        workers_sync_now(&a->workers);
    a->confirm_yes = NULL;
    a->confirm_keys[0] = "callstaff.title";
    a->confirm_keys[1] = "callstaff.message";
    a->confirm_keys[2] = NULL;
    open_confirm_dialog(a);
}

static void on_confirm_no(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    a->confirm_yes = NULL;
    ui_dialog_close(a->ui, &a->confirm_dialog);
}

static void on_confirm_yes(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    void (*yes)(struct app *) = a->confirm_yes;
    a->confirm_yes = NULL;
    ui_dialog_close(a->ui, &a->confirm_dialog);
    if (yes)
        yes(a);
}

void app_confirm(struct app *a, const char *title_key, const char *message_key,
                 const char *yes_key, void (*yes)(struct app *a)) {
    if (!app_has_input(a)) {
        yes(a);
        return;
    }
    a->confirm_yes = yes;
    a->confirm_keys[0] = title_key;
    a->confirm_keys[1] = message_key;
    a->confirm_keys[2] = yes_key;
    open_confirm_dialog(a);
}

void app_set_theme(struct app *a, const char *theme) {
    snprintf(a->theme, sizeof a->theme, "%s", theme);
    ui_set_theme(a->ui, theme);
    idle_durations(a);
    log_info("app", "theme %s", theme);
    relayout_all(a);
}

static void on_idle_continue(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    idle_touch(&a->idle, app_now(a));
    ui_dialog_close(a->ui, &a->idle_dialog);
}

static void on_idle_home(void *ctx, struct ui_widget *w) {
    (void)w;
    app_go_home(ctx);
}

static void idle_message(struct app *a, int seconds, char *out, size_t size) {
    i18n_format_int(a->i18n, "idle.countdown", seconds, out, size);
}

static void open_idle_dialog(struct app *a) {
    char msg[256];
    idle_message(a, a->idle_seconds, msg, sizeof msg);
    ui_dialog_open(a->ui, &a->idle_dialog, app_tr(a, "idle.title"), msg);
    ui_dialog_button(a->ui, &a->idle_dialog, "idle_home", app_tr(a, "idle.home"),
                     UI_STYLE_NORMAL, on_idle_home, a);
    ui_dialog_button(a->ui, &a->idle_dialog, "idle_continue", app_tr(a, "idle.continue"),
                     UI_STYLE_PRIMARY, on_idle_continue, a);
}

/* Keys from a physical keyboard, which on a kiosk is a keyboard-wedge scanner: a fast burst
 * ending in Enter becomes a scan, delivered like one from a serial scanner. While the
 * on-screen keyboard edits a field the keys are typing, not scans. Returns true when taken. */
static bool wedge_event(struct app *a, const struct ui_event *ev, int64_t now) {
    if (kb_attached(&a->kb))
        return false;
    char code[SCANNER_CODE_MAX];
    if (ev->type == UI_EV_TEXT) {
        wedge_key(&a->wedge, ev->text, now, code, sizeof code);
        return true;
    }
    if (ev->type == UI_EV_KEY && ev->key == UI_KEY_ENTER &&
        wedge_key(&a->wedge, NULL, now, code, sizeof code) == 1) {
        struct device_event *dev = calloc(1, sizeof *dev);
        if (!dev)
            return true;
        dev->kind = DEV_SCAN;
        dev->ok = true;
        snprintf(dev->text, sizeof dev->text, "%s", code);
        log_info("app", "code scanned (keyboard wedge)");
        struct ui_event de = {.type = UI_EV_DEVICE, .device = dev};
        app_event(a, &de);
        return true;
    }
    return false;
}

/* [display] screen_off = calendar: home is dark outside the office's hours by its calendar
 * (not at a roving point, whose hours are the point's; not a waiting room's display), and
 * lights at opening or for a minute at a touch. Debian 12's cage has no way to switch the
 * output off (no output power management), so dark is a black frame, drawn once. */
#define APP_WAKE_MS 60000
static bool screen_dark(struct app *a, int64_t now) {
    if (!a->cfg.screen_off || a->cfg.display || a->roving_point[0] || a->depth != 1 ||
        now < a->wake_until_ms || a->idle_dialog.shown || a->card_dialog.shown)
        return false;
    int64_t t = clock_wall_s(a->clock);
    struct tm tm;
    if (caltime_local(t, &tm) != 0)
        return false;
    return !calendar_open(content_calendar(&a->content), a->cfg.office_code, caltime_yyyymmdd(t),
                          tm.tm_hour * 60 + tm.tm_min);
}

static void dark_check(struct app *a, int64_t now) {
    bool dark = screen_dark(a, now);
    if (dark == a->dark)
        return;
    a->dark = dark;
    log_info("app", "screen %s", dark ? "dark: outside the office's hours" : "on");
    ui_invalidate(a->ui);
}

void app_event(struct app *a, const struct ui_event *ev) {
    int64_t now = app_now(a);
    if (a->dark && ev->type == UI_EV_DOWN) {
        /* the touch that wakes the screen presses nothing */
        a->wake_until_ms = now + APP_WAKE_MS;
        dark_check(a, now);
        return;
    }
    if (a->dark && (ev->type == UI_EV_UP || ev->type == UI_EV_MOVE))
        return;
    if ((ev->type == UI_EV_TEXT || ev->type == UI_EV_KEY) && wedge_event(a, ev, now))
        return;
    if (ev->type == UI_EV_DEVICE) {
        struct device_event *dev = ev->device;
        struct ui_event copy = *ev;
        device_event(a, dev, &copy);
        struct app_frame *f = top(a);
        /* the screen sees the report (a card read, a scan); no idle touch: a device is not
         * the citizen's hand */
        if (f && f->ops->event && !a->idle_dialog.shown)
            f->ops->event(a, f->st, &copy);
        device_event_free(dev);
        return;
    }
    if (a->idle_dialog.shown) {
        /* While the countdown shows, only its buttons answer; any touch still counts as
         * presence only when it presses "continue". */
        ui_layer_event(a->ui, &a->idle_dialog.layer, ev, now);
        return;
    }
    idle_touch(&a->idle, now);
    if (a->card_dialog.shown) {
        ui_layer_event(a->ui, &a->card_dialog.layer, ev, now);
        return;
    }
    if (a->confirm_dialog.shown) {
        ui_layer_event(a->ui, &a->confirm_dialog.layer, ev, now);
        return;
    }
    struct app_frame *f = top(a);
    if (f && f->ops->event) {
        f->ops->event(a, f->st, ev);
    } else if (f && f->ops->layers) {
        /* a screen with no input of its own (out of service): its widgets still answer, the
         * hidden staff entry among them */
        struct ui_layer *ls[8];
        int n = f->ops->layers(a, f->st, ls, 8);
        for (int i = 0; i < n; i++)
            if (ui_layer_event(a->ui, ls[i], ev, now))
                break;
    }
}

/* The main loop's sign of life for kiosk-launcher (only when it runs us: STATE/release). */
static void touch_alive(struct app *a, int64_t now) {
    if (a->alive_ms < 0 || (a->alive_ms && now - a->alive_ms < APP_ALIVE_MS))
        return;
    char path[700];
    snprintf(path, sizeof path, "%s/release/alive", a->state_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        a->alive_ms = -1; /* no launcher directory: nobody is watching */
        return;
    }
    if (futimens(fd, NULL) != 0)
        log_warn("app", "cannot touch the launcher's alive file");
    close(fd);
    a->alive_ms = now;
}

static void on_card_dialog_ok(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    ui_dialog_close(a->ui, &a->card_dialog);
}

static void open_card_dialog(struct app *a) {
    ui_dialog_open(a->ui, &a->card_dialog, app_tr(a, "card.take_back"),
                   app_tr(a, "card.take_back_detail"));
    ui_dialog_button(a->ui, &a->card_dialog, "card_ok", app_tr(a, "card.ok"), UI_STYLE_PRIMARY,
                     on_card_dialog_ok, a);
}

/* A card still on the reader card_remind seconds after it was read: said on screen and
 * aloud, once a card; the dialog goes when the card is taken. */
static void card_check(struct app *a, int64_t now) {
    if (!a->card_read_ms || a->card_reminded || a->cfg.card_remind_s <= 0 ||
        now - a->card_read_ms < (int64_t)a->cfg.card_remind_s * 1000)
        return;
    a->card_reminded = true;
    log_info("app", "a card stays on the reader: reminded on screen %s", app_screen_id(a));
    app_say(a, "card.take_back", NULL);
    open_card_dialog(a);
    ui_invalidate(a->ui);
}

void app_tick(struct app *a) {
    int64_t now = app_now(a);
    dark_check(a, now);
    card_check(a, now);
    if (a->restart_at_ms && now >= a->restart_at_ms)
        a->quit = true;
    touch_alive(a, now);
    reader_check(a, now);
    int seconds = 0;
    switch (idle_state(&a->idle, now, &seconds)) {
    case IDLE_EXPIRED:
        log_info("app", "idle timeout");
        app_go_home(a);
        break;
    case IDLE_WARNING: {
        char msg[256];
        idle_message(a, seconds, msg, sizeof msg);
        a->idle_seconds = seconds;
        if (!a->idle_dialog.shown) {
            app_say(a, "idle.title", NULL); /* heard by one who looked away */
            open_idle_dialog(a);
        } else {
            ui_dialog_set_message(a->ui, &a->idle_dialog, msg);
        }
        break;
    }
    default:
        break;
    }
    struct app_frame *f = top(a);
    struct ui_layer *ls[4];
    int nl = f && f->ops->layers ? f->ops->layers(a, f->st, ls, 4) : 0;
    for (int i = 0; i < nl && top(a) == f; i++)
        ui_layer_tick(a->ui, ls[i], now);
    f = top(a); /* a hold may have opened another screen */
    if (f && f->ops->tick)
        f->ops->tick(a, f->st, now);
}

static int64_t min_pos(int64_t x, int64_t y) {
    if (x < 0)
        return y;
    if (y < 0)
        return x;
    return x < y ? x : y;
}

int64_t app_next_change(struct app *a) {
    int64_t now = app_now(a);
    int64_t next = idle_next_change(&a->idle, now);
    if (a->cfg.screen_off && a->depth == 1) /* the next minute: the office may open or close */
        next = min_pos(next, 60000 - clock_wall_s(a->clock) % 60 * 1000);
    if (a->wake_until_ms > now)
        next = min_pos(next, a->wake_until_ms - now);
    if (a->restart_at_ms)
        next = min_pos(next, a->restart_at_ms > now ? a->restart_at_ms - now : 0);
    if (a->reader_down_ms && !a->reader_missing) {
        int64_t at = a->reader_down_ms + APP_READER_GRACE_MS;
        next = min_pos(next, at > now ? at - now : 0);
    }
    if (a->card_read_ms && !a->card_reminded && a->cfg.card_remind_s > 0) {
        int64_t at = a->card_read_ms + (int64_t)a->cfg.card_remind_s * 1000;
        next = min_pos(next, at > now ? at - now : 0);
    }
    if (a->alive_ms > 0) {
        int64_t at = a->alive_ms + APP_ALIVE_MS;
        next = min_pos(next, at > now ? at - now : 0);
    }
    struct app_frame *f = top(a);
    if (f && f->ops->next_change)
        next = min_pos(next, f->ops->next_change(a, f->st, now));
    struct ui_layer *ls[4];
    int nl = f && f->ops->layers ? f->ops->layers(a, f->st, ls, 4) : 0;
    for (int i = 0; i < nl; i++) {
        struct ui_layer *l = ls[i];
        if (l->pressed >= 0 && l->w[l->pressed].hold_ms > 0 && !l->hold_fired)
            next = min_pos(next, l->press_ms + l->w[l->pressed].hold_ms - now);
    }
    return next;
}

void app_draw(struct app *a) {
    if (a->dark) {
        ui_fill(a->ui, (struct ui_rect){0, 0, UI_W, UI_H}, (struct ui_color){0, 0, 0, 255});
        return;
    }
    struct app_frame *f = top(a);
    if (f && f->ops->draw)
        f->ops->draw(a, f->st);
    ui_dialog_draw(a->ui, &a->confirm_dialog);
    ui_dialog_draw(a->ui, &a->card_dialog);
    ui_dialog_draw(a->ui, &a->idle_dialog);
}

struct ui_widget *app_find_widget(struct app *a, const char *target) {
    if (a->idle_dialog.shown)
        return ui_layer_find(&a->idle_dialog.layer, target);
    if (a->card_dialog.shown)
        return ui_layer_find(&a->card_dialog.layer, target);
    if (a->confirm_dialog.shown)
        return ui_layer_find(&a->confirm_dialog.layer, target);
    struct app_frame *f = top(a);
    struct ui_layer *ls[4];
    int nl = f && f->ops->layers ? f->ops->layers(a, f->st, ls, 4) : 0;
    for (int i = 0; i < nl; i++) {
        struct ui_widget *w = ui_layer_find(ls[i], target);
        if (w)
            return w;
    }
    return NULL;
}
