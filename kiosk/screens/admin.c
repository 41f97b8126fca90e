/* admin: staff admin mode (DESIGN.md §3), behind the hidden staff entry (a long press on the
 * top-left corner of home or of the out-of-service screen). Steps, each with its id:
 *   admin.login   staff number and PIN on the digit keyboard; 5 failures lock logins 5 min
 *   admin         the dashboard: devices, sync, today's records, the roving point, versions,
 *                 the latest log lines; test print, reprint one of today's receipts, verify a
 *                 receipt, sync now, lock/unlock, roving point, log out, roll back a
 *                 release, exit to maintenance (a second tap confirms)
 *   admin.verify  a receipt's QR at the scanner, checked offline against this kiosk's key
 *   admin.reprint today's receipts by their numbers (check-ins and joint applications, newest
 *                 first): a tap prints that one again
 * Logic and auditing are in flows/admin.c; no citizen's personal data is shown here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "agent.h"
#include "keyboard.h"
#include "log.h"
#include "caltime.h"
#include "office.h"
#include "screens.h"

enum step { ST_LOGIN, ST_DASH, ST_VERIFY, ST_REPRINT };



#define FIELD_BYTES 16

struct admin_screen {
    struct ui_layer layer;
    enum step step;
    char *number, *pin; /* session arena */
    bool pin_focus;
    char pin_dots[FIELD_BYTES * 3 + 1];
    char message[300];
    int message_y; /* 关怀版: where the login's message goes */
    bool reprinting; /* a reprint was sent: its result replaces "正在补打" */
    bool message_bad;
    bool verified;     /* a code was scanned on the verify step */
    bool confirm_exit; /* exit to maintenance was tapped once */
    int verify_rc;
    struct receipt receipt;
    char signer[72]; /* "" this kiosk, or the kiosk that signed the receipt */
    struct admin_receipt receipts[ADMIN_RECEIPTS_MAX]; /* today's, for ST_REPRINT */
    int nreceipts;
};

static struct admin_screen *current(struct app *a) {
    return a->stack[a->depth - 1].st;
}

static void admin_layout(struct app *a, void *st);

static void go(struct app *a, struct admin_screen *s, enum step step) {
    if (s->step == ST_LOGIN && step != ST_LOGIN)
        app_keyboard_close(a);
    s->step = step;
    s->message[0] = 0;
    admin_layout(a, s);
    ui_invalidate(a->ui);
    log_info("app", "screen %s", app_screen_id(a));
}

static void focus(struct app *a, struct admin_screen *s, bool pin) {
    s->pin_focus = pin;
    app_keyboard_open(a, pin ? s->pin : s->number, FIELD_BYTES, KB_DIGITS, KB_KEYS_DIGITS);
    admin_layout(a, s);
    ui_invalidate(a->ui);
}

static void on_field(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    focus(a, current(a), w->tag == 1);
}

static void on_login(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    struct admin_screen *s = current(a);
    int left = 0;
    int64_t until = 0;
    enum admin_login r = admin_login(a, s->number, s->pin, &left, &until);
    if (!app_screen_is(a, "admin"))
        return; /* a store write failed: out of service, this screen is gone */
    explicit_bzero(s->pin, FIELD_BYTES);
    if (r == ADMIN_OK) {
        go(a, s, ST_DASH);
        return;
    }
    s->message_bad = true;
    if (r == ADMIN_BAD) {
        i18n_format_int(a->i18n, "admin.bad", left, s->message, sizeof s->message);
    } else if (r == ADMIN_LOCKED) {
        char t[16];
        caltime_format(until, "%H:%M", t, sizeof t);
        const char *args[] = {"t", t, NULL};
        i18n_format(a->i18n, "admin.locked", args, s->message, sizeof s->message);
    } else {
        snprintf(s->message, sizeof s->message, "%s", app_tr(a, "admin.no_accounts"));
    }
    focus(a, s, true);
}

static void say(struct app *a, struct admin_screen *s, const char *key, bool bad) {
    snprintf(s->message, sizeof s->message, "%s", app_tr(a, key));
    s->message_bad = bad;
    ui_invalidate(a->ui);
}

/* Every action is audited; a failed audit write takes the kiosk out of service, and with it
 * this screen: act() says whether the screen is still there. */
static bool still_here(struct app *a) {
    return app_screen_is(a, "admin");
}

static void act(struct app *a, struct admin_screen *s, int tag);

static void on_action(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    act(a, current(a), w->tag);
}

static void act(struct app *a, struct admin_screen *s, int tag) {
    bool confirming = tag == 8 && s->confirm_exit;
    s->confirm_exit = false; /* any other action cancels the confirmation */
    switch (tag) {
    case 0:
        app_print_test(a);
        if (still_here(a))
            s->message[0] = 0;
        break;
    case 1:
        s->nreceipts = admin_receipts_today(a, s->receipts, ADMIN_RECEIPTS_MAX);
        if (s->nreceipts == 0) {
            say(a, s, "admin.no_receipt", true);
            break;
        }
        go(a, s, ST_REPRINT);
        break;
    case 2:
        s->verified = false;
        go(a, s, ST_VERIFY); /* audited when a code is checked */
        break;
    case 3:
        bool syncing = admin_sync_now(a);
        if (still_here(a))
            say(a, s, syncing ? "admin.syncing" : "admin.no_registry", !syncing);
        break;
    case 4:
        if (admin_locked(a)) {
            admin_set_locked(a, false);
            admin_logout(a);
            app_go_home(a); /* in service again: home, with nothing of the session left */
        } else {
            admin_set_locked(a, true);
        }
        break;
    case 5:
        admin_next_roving(a);
        ui_invalidate(a->ui);
        (void)s;
        break;
    case 6:
        admin_logout(a);
        app_go_home(a);
        break;
    case 7: {
        char why[200];
        int rc = update_rollback(a->state_dir, why, sizeof why);
        if (rc != 0) {
            admin_audit(a, "release.rollback", "refused");
            if (still_here(a)) {
                /* nothing to go back to is the common case: said in the kiosk's language */
                snprintf(s->message, sizeof s->message, "%s：%s", app_tr(a, "admin.no_rollback"),
                         rc > 0 ? app_tr(a, "admin.rollback_none") : why);
                s->message_bad = true;
                ui_invalidate(a->ui);
            }
            break;
        }
        admin_audit(a, "release.rollback", "to the previous slot");
        admin_logout(a);
        app_restart_for_release(a);
        app_go_home(a); /* staff are done here: restart now */
        break;
    }
    case 8:
        if (!confirming) {
            s->confirm_exit = true;
            say(a, s, "admin.maintenance_confirm", true);
            break;
        }
        admin_audit(a, "kiosk.maintenance", "closed by staff");
        if (!still_here(a))
            break;
        log_warn("app", "closed for maintenance by staff");
        admin_logout(a);
        app_go_home(a); /* nothing of the session or of admin mode is left */
        a->exit_code = KIOSK_EXIT_MAINTENANCE;
        a->quit = true;
        break;
    }
}

/* One of today's receipts tapped: printed again, the outcome said on the dashboard. */
static void on_reprint(void *ctx, struct ui_widget *w) {
    struct app *a = ctx;
    struct admin_screen *s = current(a);
    if (w->tag < 0 || w->tag >= s->nreceipts)
        return;
    const struct admin_receipt *r = &s->receipts[w->tag];
    bool ok = admin_reprint(a, r) == 0;
    if (!still_here(a))
        return;
    go(a, s, ST_DASH);
    const char *args[] = {"q", r->queue, NULL};
    i18n_format(a->i18n, ok ? "admin.reprinting_no" : "admin.no_receipt_no", args, s->message,
                sizeof s->message);
    s->message_bad = !ok;
    s->reprinting = ok;
}

static void on_back(void *ctx, struct ui_widget *w) {
    (void)w;
    struct app *a = ctx;
    go(a, current(a), ST_DASH);
}

/* The dashboard's two columns of buttons: in 关怀版 only a little wider (their labels shrink to
 * fit), so that the status lines keep a column wide enough to read. */
static int dash_button_w(struct app *a) {
    return 420 * (ui_theme(a->ui)->text_scale_pct > 100 ? 115 : 100) / 100;
}

static void admin_layout(struct app *a, void *st) {
    struct admin_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    ui_layer_clear(&s->layer);
    chrome_header_layout(a, &s->layer);
    int top = chrome_header_height(a) + t->pad * 2;
    int bh = t->target_min * 3 / 2;
    if (s->step == ST_LOGIN) {
        /* number, PIN and 登录 in one row above the keys; in 关怀版 the row sits right under
         * the header (the fields' hints say what goes in) and a size lower */
        int kh = kb_height(a->ui), lw = 300 * t->text_scale_pct / 100;
        bool large = t->text_scale_pct > 100;
        if (large)
            bh = t->target_min;
        int fw = 560 * t->text_scale_pct / 100, room = (UI_W - 4 * t->pad - lw) / 2 - t->pad;
        fw = fw < room ? fw : room;
        int x = (UI_W - (2 * fw + lw + 2 * t->pad)) / 2;
        int y = large ? chrome_header_height(a) + t->pad / 2
                      : top + ui_line_height(a->ui, UI_FONT_TITLE);
        y = y + bh < UI_H - kh - t->pad ? y : UI_H - kh - t->pad - bh;
        struct ui_widget *n =
            ui_add(&s->layer, UI_FIELD, "staff_no", (struct ui_rect){x, y, fw, bh}, "");
        struct ui_widget *p =
            ui_add(&s->layer, UI_FIELD, "pin", (struct ui_rect){x + fw + t->pad, y, fw, bh}, "");
        if (n) {
            n->value = s->number;
            n->on_tap = on_field;
            n->ctx = a;
            n->tag = 0;
            snprintf(n->sub, sizeof n->sub, "%s", app_tr(a, "admin.number"));
            if (!s->pin_focus)
                n->flags |= UI_F_FOCUSED;
        }
        if (p) {
            p->value = s->pin_dots;
            p->on_tap = on_field;
            p->ctx = a;
            p->tag = 1;
            snprintf(p->sub, sizeof p->sub, "%s", app_tr(a, "admin.pin"));
            if (s->pin_focus)
                p->flags |= UI_F_FOCUSED;
        }
        ui_add_button(&s->layer, "login", (struct ui_rect){x + 2 * (fw + t->pad), y, lw, bh},
                      app_tr(a, "admin.login"), UI_STYLE_PRIMARY, on_login, a);
        s->message_y = y + bh + t->pad / 4;
        kb_layout(&a->kb, a->ui, (struct ui_rect){0, UI_H - kh, UI_W, kh});
        return;
    }
    if (s->step == ST_REPRINT) {
        /* the numbers as buttons, three a row, the newest first; 返回 under them */
        int cols = 3, gap = t->pad, bw = (UI_W - 4 * t->pad - (cols - 1) * gap) / cols;
        int y0 = top + ui_line_height(a->ui, UI_FONT_HEADING) + t->pad;
        int rows = (s->nreceipts + cols - 1) / cols;
        int rh = rows ? (UI_H - 3 * t->pad - bh - y0) / rows - gap : 0;
        rh = rh < bh ? (rh > t->target_min ? rh : t->target_min) : bh;
        for (int i = 0; i < s->nreceipts; i++) {
            char id[24], text[64], when[8];
            snprintf(id, sizeof id, "receipt_%s", s->receipts[i].queue);
            caltime_format(s->receipts[i].at, "%H:%M", when, sizeof when);
            snprintf(text, sizeof text, "%s  %s", s->receipts[i].queue, when);
            struct ui_widget *b = ui_add_button(
                &s->layer, id,
                (struct ui_rect){2 * t->pad + (i % cols) * (bw + gap), y0 + (i / cols) * (rh + gap),
                                 bw, rh},
                text, UI_STYLE_NORMAL, on_reprint, a);
            if (b)
                b->tag = i;
        }
    }
    if (s->step == ST_VERIFY || s->step == ST_REPRINT) {
        int bw = 480 * t->text_scale_pct / 100;
        ui_add_button(&s->layer, "back",
                      (struct ui_rect){(UI_W - bw) / 2, UI_H - 2 * t->pad - bh, bw, bh},
                      app_tr(a, "admin.back"), UI_STYLE_PRIMARY, on_back, a);
        return;
    }
    static const char *const keys[] = {"staff.print_test", "admin.reprint",  "admin.verify",
                                       "admin.sync_now",   "admin.lock",     "admin.roving",
                                       "admin.logout",     "admin.rollback", "admin.maintenance"};
    static const char *const ids[] = {"print_test", "reprint", "verify",   "sync_now",   "lock",
                                      "roving",     "logout",  "rollback", "maintenance"};
    enum { N = sizeof ids / sizeof ids[0], ROWS = (N + 1) / 2 };
    int bw = dash_button_w(a), gap = t->pad;
    /* the rows fit under the header, 关怀版 included (staff's buttons may then be lower than
     * 关怀版's citizen targets, never lower than the standard theme's 96 px) */
    int room = (UI_H - top - t->pad) / ROWS - gap;
    bh = bh < room ? bh : room > 96 ? room : 96;
    for (int i = 0; i < N; i++) {
        int col = i % 2, row = i / 2;
        struct ui_widget *b = ui_add_button(
            &s->layer, ids[i],
            (struct ui_rect){UI_W - t->pad - (2 - col) * (bw + gap) + gap, top + row * (bh + gap),
                             bw, bh},
            app_tr(a, i == 4 && admin_locked(a) ? "admin.unlock" : keys[i]),
            i == 6 ? UI_STYLE_PRIMARY : UI_STYLE_NORMAL, on_action, a);
        if (!b)
            continue;
        b->tag = i;
        if ((i == 0 && a->printer_state < 0) || (i == 5 && admin_roving_count(a) == 0))
            b->flags |= UI_F_DISABLED;
    }
}

static const char *reader_key(int st) {
    return st < 0 ? "staff.none" : st == 1 ? "staff.ok" : "staff.unreachable";
}

static const char *printer_key(int st) {
    return st < 0    ? "staff.none"
           : st == 0 ? "staff.ok"
           : st == 1 ? "staff.problem"
                     : "staff.unknown";
}

/* A status line of the dashboard (关怀版: the small size, which is larger than the standard
 * body text, so that everything staff read fits on one screen). */
static int line(struct app *a, const char *text, int x, int y, int w, bool bold,
                struct ui_color c) {
    enum ui_font_role f = ui_theme(a->ui)->text_scale_pct > 100 ? UI_FONT_SMALL : UI_FONT_BODY;
    int h = ui_text_box_height(a->ui, f, bold, text, w);
    return ui_text_box(a->ui, f, bold, c, text, (struct ui_rect){x, y, w, h}, UI_LEFT, UI_TOP);
}


/* Versions, the latest install's step, a trial and the last rollback; the height drawn. */
static int draw_updates(struct app *a, int x, int y, int w) {
    const struct ui_theme *t = ui_theme(a->ui);
    struct update_state st;
    update_state_read(a->state_dir, &st);
    char buf[600], n1[32], n2[32];
    int y0 = y;
    bool trial_said = false;
    const char *vargs[] = {
        "r", st.release.version[0] ? st.release.version : app_tr(a, "admin.packaged"), "c",
        st.content.version[0] ? st.content.version : app_tr(a, "admin.packaged"), NULL};
    i18n_format(a->i18n, "admin.versions", vargs, buf, sizeof buf);
    y += line(a, buf, x, y, w, false, t->text);
    for (int i = 0; i < 2; i++) {
        const struct update_progress *p = i == 0 ? &st.release.progress : &st.content.progress;
        if (!(i == 0 ? st.release.has_progress : st.content.has_progress))
            continue;
        /* an install that went through is history (the versions line says it), and so is a
         * release that was rolled back (the rollback line says it); a release still on trial
         * is news */
        if (!strcmp(p->step, "installed") &&
            (i == 0 ? st.trial_serial != p->serial : st.content.serial == p->serial))
            continue;
        if (i == 0 && !strcmp(p->step, "installed"))
            trial_said = true; /* "installed, on trial at the next restart" */
        char key[48];
        snprintf(key, sizeof key, "admin.step_%s%s", p->step,
                 !strcmp(p->step, "installed") ? (i == 0 ? "_release" : "_content") : "");
        snprintf(n1, sizeof n1, "%d", p->total > 0 ? (int)(p->done * 100 / p->total) : 0);
        const char *args[] = {"t", app_tr(a, i == 0 ? "admin.type_release" : "admin.type_content"),
                              "v", p->version,
                              "p", n1,
                              "d", p->detail,
                              NULL};
        i18n_format(a->i18n, key, args, buf, sizeof buf);
        bool bad = !strcmp(p->step, "rejected") || !strcmp(p->step, "failed") ||
                   !strcmp(p->step, "frozen");
        y += line(a, buf, x, y, w, bad, bad ? t->danger : t->text);
    }
    if (st.trial_serial && !trial_said) {
        snprintf(n2, sizeof n2, "%lld", (long long)st.trial_serial);
        const char *args[] = {"s", n2, NULL};
        i18n_format(a->i18n, "admin.trial", args, buf, sizeof buf);
        y += line(a, buf, x, y, w, true, t->text);
    }
    if (st.rollback_serial) {
        snprintf(n2, sizeof n2, "%lld", (long long)st.rollback_serial);
        const char *k = admin_rollback_key(st.rollback_code);
        const char *args[] = {"s", n2, "d", k ? app_tr(a, k) : st.rollback_reason, NULL};
        i18n_format(a->i18n, "admin.rolled_back", args, buf, sizeof buf);
        y += line(a, buf, x, y, w, true, t->danger);
    }
    return y - y0;
}

static void draw_dash(struct app *a, struct admin_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    int x = t->pad * 2, w = UI_W - 2 * (dash_button_w(a) + t->pad) - 3 * t->pad;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s：%s", app_tr(a, "staff.reader"),
             app_tr(a, reader_key(a->reader_state)));
    y += line(a, buf, x, y, w, false, t->text);
    char pwords[300];
    app_printer_words(a, a->printer_text, pwords, sizeof pwords);
    snprintf(buf, sizeof buf, "%s：%s%s%s", app_tr(a, "staff.printer"),
             app_tr(a, printer_key(a->printer_state)),
             a->printer_state > 0 && a->printer_text[0] ? " — " : "",
             a->printer_state > 0 ? pwords : "");
    y += line(a, buf, x, y, w, false, t->text);
    snprintf(buf, sizeof buf, "%s：%s", app_tr(a, "staff.scanner"),
             app_tr(a, reader_key(a->scanner_state)));
    y += line(a, buf, x, y, w, false, t->text);
    struct admin_dashboard dash;
    admin_dashboard_read(a, &dash);
    int backlog = dash.backlog, checkins = dash.checkins, apps = dash.applications;
    snprintf(buf, sizeof buf, "%s：%s%s%s", app_tr(a, "staff.sync"),
             app_tr(a, a->sync_state < 0    ? "staff.none"
                       : a->sync_state == 1 ? "staff.ok"
                                            : "staff.unreachable"),
             a->sync_state == 0 ? " — " : "",
             a->sync_state == 0 ? app_tr(a, admin_sync_reason_key(a->sync_code)) : "");
    y += line(a, buf, x, y, w, false, t->text);
    if (a->sync_state >= 0) { /* when the registry last answered a whole cycle */
        char when[32] = "";
        if (dash.last_sync > 0)
            caltime_format(dash.last_sync, "%Y-%m-%d %H:%M", when, sizeof when);
        const char *args[] = {"t", when, NULL};
        i18n_format(a->i18n, when[0] ? "admin.last_sync" : "admin.never_synced", args, buf,
                    sizeof buf);
        y += line(a, buf, x, y, w, false, t->text);
    }
    if (a->sync_state == 0 && a->sync_text[0])
        y += ui_text_box(a->ui, UI_FONT_SMALL, false, t->muted, a->sync_text,
                         (struct ui_rect){x, y, w,
                                          ui_text_box_height(a->ui, UI_FONT_SMALL, false,
                                                             a->sync_text, w)},
                         UI_LEFT, UI_TOP);
    char n1[16], n2[16], n3[16];
    snprintf(n1, sizeof n1, "%d", backlog);
    snprintf(n2, sizeof n2, "%d", checkins);
    snprintf(n3, sizeof n3, "%d", apps);
    const char *args[] = {"b", n1,
                          "c", n2,
                          "a", n3,
                          "v", KIOSK_VERSION,
                          "r", office_roving(a) ? office_roving(a)->name : app_tr(a, "admin.at_office"),
                          NULL};
    i18n_format(a->i18n, "admin.summary", args, buf, sizeof buf);
    y += line(a, buf, x, y, w, false, t->text) + t->pad / 2;
    y += draw_updates(a, x, y, w);
    if (a->lock_pending)
        y += line(a, app_tr(a, "staff.lock_pending"), x, y, w, true, t->danger);
    if (a->print_result >= 0)
        y += line(a, app_tr(a, a->print_result ? "staff.printed" : "staff.not_printed"), x, y, w,
                  true, a->print_result ? t->text : t->danger);
    if (s->message[0])
        y += line(a, s->message, x, y, w, true, s->message_bad ? t->danger : t->text);
    /* the latest log lines (they never hold personal data) */
    char lines[6][LOG_RECENT_LEN];
    int n = log_recent(lines, 6);
    int ly = UI_H - t->pad - n * ui_line_height(a->ui, UI_FONT_SMALL);
    /* held to the left column: a long line must not run under the buttons */
    struct ui_rect col = {x, ly, w, UI_H - ly};
    if (ly > y + t->pad) {
        ui_clip(a->ui, &col);
        for (int i = 0; i < n; i++, ly += ui_line_height(a->ui, UI_FONT_SMALL))
            ui_text(a->ui, UI_FONT_SMALL, false, t->muted, lines[i], x, ly, UI_LEFT, UI_TOP);
        ui_clip(a->ui, NULL);
    }
}

static void draw_verify(struct app *a, struct admin_screen *s, int y) {
    const struct ui_theme *t = ui_theme(a->ui);
    int x = t->pad * 4, w = UI_W - 8 * t->pad;
    if (!s->verified) {
        ui_text(a->ui, UI_FONT_TITLE, true, t->text, app_tr(a, "admin.verify_prompt"), UI_W / 2,
                y + 80, UI_CENTER, UI_TOP);
        return;
    }
    if (s->verify_rc != 0) {
        const char *why = s->verify_rc == RECEIPT_MALFORMED      ? "admin.not_receipt"
                          : s->verify_rc == RECEIPT_WRONG_KIOSK  ? "admin.wrong_signer"
                          : s->verify_rc == RECEIPT_WRONG_OFFICE ? "admin.wrong_office"
                                                                 : "admin.forged";
        line(a, app_tr(a, why), x, y + 40, w, true, t->danger);
        return;
    }
    char when[32], buf[600];
    caltime_format(s->receipt.time, "%Y-%m-%d %H:%M", when, sizeof when);
    const char *args[] = {
        "k", app_tr(a, s->receipt.kind == 'C' ? "progress.kind_checkin" : "progress.kind_joint"),
        "q", s->receipt.queue,
        "t", when,
        "o", s->receipt.office,
        "i", s->receipt.record_id,
        NULL};
    const char *sargs[] = {"k", s->signer, NULL};
    i18n_format(a->i18n, s->signer[0] ? "admin.valid_other" : "admin.valid", sargs, buf,
                sizeof buf);
    y += line(a, buf, x, y + 40, w, true, t->primary) + 40 + t->pad;
    i18n_format(a->i18n, "admin.valid_detail", args, buf, sizeof buf);
    line(a, buf, x, y, w, false, t->text);
}

static void admin_draw(struct app *a, void *st) {
    struct admin_screen *s = st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_tr(a, "staff.title"));
    int y = chrome_header_height(a) + t->pad * 2;
    if (s->step == ST_LOGIN) {
        size_t n = strlen(s->pin);
        for (size_t i = 0; i < n && i < FIELD_BYTES; i++)
            memcpy(s->pin_dots + 3 * i, "•", 3);
        s->pin_dots[3 * (n < FIELD_BYTES ? n : FIELD_BYTES)] = 0;
        bool large = t->text_scale_pct > 100;
        if (!large)
            ui_text(a->ui, UI_FONT_HEADING, true, t->text, app_tr(a, "admin.login_title"),
                    t->pad * 2, y, UI_LEFT, UI_TOP);
        if (s->message[0]) /* 关怀版: in the strip between the row and the keys */
            ui_text_box(a->ui, UI_FONT_BODY, true, t->danger, s->message,
                        large ? (struct ui_rect){t->pad * 2, s->message_y, UI_W - 4 * t->pad,
                                                 ui_line_height(a->ui, UI_FONT_BODY)}
                              : (struct ui_rect){UI_W / 3, y, UI_W * 2 / 3 - 2 * t->pad,
                                                 ui_line_height(a->ui, UI_FONT_BODY)},
                        UI_CENTER, UI_TOP);
    } else if (s->step == ST_DASH) {
        draw_dash(a, s, y);
    } else if (s->step == ST_REPRINT) {
        ui_text(a->ui, UI_FONT_HEADING, true, t->text, app_tr(a, "admin.reprint_which"), t->pad * 2,
                y, UI_LEFT, UI_TOP);
    } else {
        draw_verify(a, s, y);
    }
    ui_layer_draw(a->ui, &s->layer);
    if (s->step == ST_LOGIN)
        kb_draw(&a->kb, a->ui);
}

static bool admin_event(struct app *a, void *st, const struct ui_event *ev) {
    struct admin_screen *s = st;
    if (ev->type == UI_EV_DEVICE) {
        const struct device_event *d = ev->device;
        if (s->step == ST_VERIFY && d->kind == DEV_SCAN && a->scan_code) {
            struct receipt r;
            int rc = admin_verify(a, a->scan_code, &r, s->signer, sizeof s->signer);
            if (!still_here(a))
                return true;
            s->verify_rc = rc;
            s->receipt = r;
            s->verified = true;
        }
        if (s->reprinting && d->kind == DEV_PRINT_DONE && d->status == PRINT_TAG_RECEIPT) {
            /* the reprint's outcome, not "正在补打" left standing when it failed */
            s->reprinting = false;
            if (d->ok) {
                say(a, s, "admin.reprinted", false);
            } else {
                char why[200];
                app_printer_words(a, a->receipt_text, why, sizeof why);
                const char *args[] = {"r", why, NULL};
                i18n_format(a->i18n, "admin.reprint_failed", args, s->message, sizeof s->message);
                s->message_bad = true;
            }
        }
        if (s->step == ST_DASH)
            admin_layout(a, s); /* the printer may have come or gone */
        ui_invalidate(a->ui);
        return true;
    }
    if (s->step == ST_LOGIN) {
        enum kb_result r = screen_keyboard_event(a, ev);
        if (r == KB_DONE) {
            if (!s->pin_focus)
                focus(a, s, true);
            else
                on_login(a, NULL);
            return true;
        }
        if (r != KB_NONE)
            return true;
    }
    return ui_layer_event(a->ui, &s->layer, ev, app_now(a));
}

static void admin_enter(struct app *a, void *st) {
    struct admin_screen *s = st;
    a->print_result = -1;
    s->number = session_alloc(&a->session, FIELD_BYTES);
    s->pin = session_alloc(&a->session, FIELD_BYTES);
    s->step = ST_LOGIN;
    if (s->number && s->pin)
        app_keyboard_open(a, s->number, FIELD_BYTES, KB_DIGITS, KB_KEYS_DIGITS);
}

static void admin_leave(struct app *a, void *st) {
    struct admin_screen *s = st;
    if (s->step == ST_LOGIN)
        app_keyboard_close(a);
    admin_logout(a);
}

static int admin_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    struct admin_screen *s = st;
    return screen_layers_kb(a, &s->layer, s->step == ST_LOGIN, out, max);
}

static const char *admin_step_id(struct app *a, void *st) {
    (void)a;
    static const char *const ids[] = {"admin.login", "admin", "admin.verify", "admin.reprint"};
    return ids[((struct admin_screen *)st)->step];
}

const struct screen_ops screen_admin = {
    .id = "admin",
    .state_size = sizeof(struct admin_screen),
    .citizen = true,
    .enter = admin_enter,
    .leave = admin_leave,
    .layout = admin_layout,
    .event = admin_event,
    .draw = admin_draw,
    .layers = admin_layers,
    .step_id = admin_step_id,
};
