/* console: the clerk console (issue 16), plain HTML pages served by registryd on a listener of
 * its own for the office LAN (HTTPS, server certificate only: clerks log in with a password).
 *
 *   GET  /login, POST /login      工号 and password (registry/clerks.c: lockout, sessions)
 *   POST /logout
 *   GET  /queue                   today's queue of the clerk's office: each window with the
 *                                 ticket it serves and its actions, the tickets waiting, the
 *                                 kiosks' alerts
 *   POST /queue/call              {window}: the window calls its next ticket
 *   POST /queue/ticket            {ticket, action: recall|no_show|done|transfer, to}
 *   GET  /ticket?id=N             the ticket's record in full, unmasked (each view audited)
 *   GET  /declaration?ticket=N    the 声明书 PDF of a joint application (audited)
 *   POST /status                  {ticket, status, reason}: the record's status, with the
 *                                 reason the citizens read in 办理进度
 *   GET  /today                   the day's counts and 好差评
 *   GET  /live                    JSON for console.js: alerts and the queue's stamp
 *   GET  /console.css, /console.js   embedded in the binary: nothing comes from elsewhere
 *
 * Every page but the login needs a live session (a cookie: Secure, HttpOnly, SameSite=Strict);
 * every form carries the session's form token and a POST without it is refused (403) and
 * audited; the login form has its own double-submit token. A clerk sees only their office:
 * tickets, records and alerts are looked up within it. Every action and every view of personal
 * data goes to the console's audit log with the clerk's id (kioskctl clerk audit). Pages are
 * sent with a strict Content-Security-Policy (scripts and styles from this origin only),
 * no-store caching and no referrer. */
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caltime.h"
#include "clerks.h"
#include "console_http.h"
#include "crypto.h"
#include "declaration.h"
#include "form.h"
#include "json.h"
#include "log.h"
#include "num.h"
#include "queue.h"
#include "registry.h"
#include "rstore.h"

extern const unsigned char embed_console_css[], embed_console_js[];
extern const size_t embed_console_css_len, embed_console_js_len;

#define SESSION_COOKIE "console_session"
#define PRE_COOKIE "console_login" /* the login form's double-submit token */

struct console {
    struct form *form; /* the joint application's labels, and the 声明书 */
    int offline_after_s;
};

int console_init(struct registry *r, const char *assets, int offline_after_s) {
    struct console *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    char err[300];
    c->form = declaration_form(assets, err, sizeof err);
    if (!c->form) {
        log_error("console",
                  "the form of %s cannot be read (the record view and the 声明书 need "
                  "it): %s",
                  assets, err);
        free(c);
        return -1;
    }
    c->offline_after_s = offline_after_s;
    r->console = c;
    return 0;
}

void console_free(struct registry *r) {
    if (!r->console)
        return;
    form_free(r->console->form);
    free(r->console);
    r->console = NULL;
}

/* --- output --- */

static void esc(struct evbuffer *b, const char *s) {
    size_t n = s ? strlen(s) : 0;
    char *o = malloc(6 * n + 1);
    if (!o)
        return;
    size_t m = console_html_escape(s ? s : "", n, o);
    evbuffer_add(b, o, m);
    explicit_bzero(o, m); /* pages carry personal data */
    free(o);
}

/* printf, escaped */
static void escf(struct evbuffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void escf(struct evbuffer *b, const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    esc(b, buf);
}

static void secure_headers(struct evhttp_request *req) {
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Security-Policy",
                      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                      "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                      "base-uri 'none'");
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(h, "X-Frame-Options", "DENY");
    evhttp_add_header(h, "Referrer-Policy", "no-referrer");
    evhttp_add_header(h, "Cache-Control", "no-store");
    evhttp_add_header(h, "Strict-Transport-Security", "max-age=31536000");
}

static void send_buf(struct evhttp_request *req, int code, const char *reason, const char *type,
                     struct evbuffer *b) {
    secure_headers(req);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", type);
    evhttp_send_reply(req, code, reason, b);
    evbuffer_free(b);
}

static void redirect(struct evhttp_request *req, const char *to) {
    secure_headers(req);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Location", to);
    evhttp_send_reply(req, 303, "See Other", NULL);
}

static const char *const nav[][2] = {{"/queue", "叫号"}, {"/today", "今日统计"}};

static void page_start(struct evbuffer *b, const char *title, const struct clerk_session *s,
                       const char *here, const char *stamp) {
    evbuffer_add_printf(b,
                        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        "<title>");
    esc(b, title);
    evbuffer_add_printf(b,
                        " · 婚姻登记窗口工作台</title><link rel=\"stylesheet\" "
                        "href=\"/console.css\"><script src=\"/console.js\" defer></script>"
                        "</head><body data-live=\"%d\" data-stamp=\"",
                        stamp ? 1 : 0);
    esc(b, stamp ? stamp : "");
    evbuffer_add_printf(b, "\"><header><h1>婚姻登记窗口工作台</h1>");
    if (s) {
        evbuffer_add_printf(b, "<nav>");
        for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++)
            evbuffer_add_printf(b, "<a href=\"%s\"%s>%s</a>", nav[i][0],
                                here && !strcmp(here, nav[i][0]) ? " class=\"here\"" : "",
                                nav[i][1]);
        evbuffer_add_printf(b, "</nav><span class=\"who\">办公地点 ");
        esc(b, s->office);
        evbuffer_add_printf(b, " · ");
        esc(b, s->name);
        evbuffer_add_printf(b, "（");
        esc(b, s->clerk);
        evbuffer_add_printf(b,
                            "）</span><form method=\"post\" action=\"/logout\">"
                            "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                            "<button id=\"logout\">退出</button></form>",
                            s->csrf);
    }
    evbuffer_add_printf(b, "</header><main><div id=\"offline\" class=\"error\" hidden>"
                           "与登记中心的连接中断，页面内容可能不是最新。恢复后自动更新。</div>");
}

static void page_end(struct evbuffer *b) {
    evbuffer_add_printf(b, "</main></body></html>\n");
}

static void csrf_field(struct evbuffer *b, const struct clerk_session *s) {
    evbuffer_add_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", s->csrf);
}

/* A whole page saying one thing, with a way back. */
static void message_page(struct evhttp_request *req, int code, const char *reason,
                         const struct clerk_session *s, const char *title, const char *text,
                         const char *back) {
    struct evbuffer *b = evbuffer_new();
    page_start(b, title, s, NULL, NULL);
    evbuffer_add_printf(b, "<h2>");
    esc(b, title);
    evbuffer_add_printf(b, "</h2><div class=\"%s\">", code >= 400 ? "error" : "notice");
    esc(b, text);
    evbuffer_add_printf(b, "</div><p><a class=\"button\" href=\"%s\">返回</a></p>", back);
    page_end(b);
    send_buf(req, code, reason, "text/html; charset=utf-8", b);
}

/* --- what the pages name --- */

static const char *business_zh(const char *code) {
    static const char *const names[][2] = {{"marriage", "结婚登记"},
                                           {"divorce_apply", "离婚登记申请"},
                                           {"divorce_withdraw", "撤回离婚申请"},
                                           {"divorce_final", "离婚登记"},
                                           {"reissue_marriage", "补领结婚证"},
                                           {"reissue_divorce", "补领离婚证"},
                                           {"ceremony", "颁证仪式"},
                                           {"counselling", "婚姻家庭辅导"},
                                           {"joint", "婚育户一件事"}};
    for (size_t i = 0; code && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(code, names[i][0]))
            return names[i][1];
    return code ? code : "";
}

static const char *ticket_status_zh(const char *st) {
    return !strcmp(st, "waiting")   ? "等候中"
           : !strcmp(st, "called")  ? "已呼叫"
           : !strcmp(st, "done")    ? "已办结"
           : !strcmp(st, "no_show") ? "未到"
                                    : st;
}

static const char *const record_statuses[][2] = {{"received", "已接收"},
                                                 {"accepted", "已受理"},
                                                 {"reviewing", "审查中"},
                                                 {"completed", "已办结"},
                                                 {"returned", "已退回"}};

static const char *record_status_zh(const char *st) {
    for (size_t i = 0; i < sizeof record_statuses / sizeof record_statuses[0]; i++)
        if (!strcmp(st, record_statuses[i][0]))
            return record_statuses[i][1];
    return st;
}

static void hhmm(long long t, char out[16]) {
    if (t <= 0) {
        snprintf(out, 16, "-");
        return;
    }
    caltime_format((int64_t)t, "%H:%M", out, 16);
}

/* --- the session --- */

static long long now_s(void) {
    return (long long)time(NULL);
}

/* The request's session: 0, or -1 (none or expired). */
/* With [registry] console_client_certs, the workstation's certificate (OU workstation, O its
 * office; the handshake already checked it against the CA and the revocations): a clerk logs
 * in, and a session is used, only on a workstation of the clerk's own office. NULL: any. */
static const char *workstation_office(struct registry *r, struct evhttp_request *req,
                                      struct peer *p) {
    if (!r->console_certs)
        return NULL;
    if (peer_of(req, p) != 0 || strcmp(p->ou, "workstation") != 0)
        return ""; /* not a workstation's certificate: no office at all */
    return p->org;
}

static int session_of_req(struct registry *r, struct evhttp_request *req, struct clerk_session *s) {
    const char *cookie = evhttp_find_header(evhttp_request_get_input_headers(req), "Cookie");
    char token[80];
    if (console_cookie(cookie, SESSION_COOKIE, token, sizeof token) != 0)
        return -1;
    int rc = clerk_session(r->store, token, now_s(), s) == CLERK_OK ? 0 : -1;
    explicit_bzero(token, sizeof token);
    struct peer p;
    const char *ws = workstation_office(r, req, &p);
    if (rc == 0 && ws && strcmp(ws, s->office) != 0) {
        log_warn("console", "clerk %s's session was refused on workstation %s of office %s",
                 s->clerk, p.cn, ws);
        explicit_bzero(s, sizeof *s);
        return -1;
    }
    return rc;
}

static void audit(struct registry *r, const struct clerk_session *s, const char *action,
                  const char *target, const char *detail) {
    if (rstore_clerk_audit(r->store, s->clerk, s->office, action, target ? target : "",
                           detail ? detail : "", now_s()) != 0)
        log_error("console", "the audit log cannot be written (%s by %s)", action, s->clerk);
}

/* The body as a form: 0, or -1 (answered: 413 or 400). */
static int read_form(struct evhttp_request *req, struct console_form *f,
                     const struct clerk_session *s) {
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    if (len > CONSOLE_FORM_MAX) {
        message_page(req, 413, "Payload Too Large", s, "表单过大", "提交的内容超出了限制。",
                     "/queue");
        return -1;
    }
    char *text = malloc(len + 1);
    if (!text)
        return -1;
    evbuffer_remove(in, text, len);
    text[len] = 0;
    int rc = console_form_parse(text, len, f);
    explicit_bzero(text, len);
    free(text);
    if (rc != 0) {
        log_warn("console", "a form that does not parse (%zu bytes) was refused", len);
        message_page(req, 400, "Bad Request", s, "表单无法识别",
                     "提交的内容含有无法识别的字符或字段过多，请返回后重新填写。", "/queue");
    }
    return rc;
}

/* --- login --- */

static void login_page(struct evhttp_request *req, int code, const char *reason, const char *error,
                       const char *id) {
    /* the browser's token when it has one (another tab, a second load of the page): a new one
     * would leave the forms it already shows stale */
    char pre[80];
    const char *have = evhttp_find_header(evhttp_request_get_input_headers(req), "Cookie");
    if (console_cookie(have, PRE_COOKIE, pre, sizeof pre) != 0 || strlen(pre) != 32 ||
        strspn(pre, "0123456789abcdef") != 32) {
        uint8_t raw[16];
        crypto_random(raw, sizeof raw);
        crypto_hex(raw, sizeof raw, pre);
    }
    char cookie[160];
    snprintf(cookie, sizeof cookie,
             PRE_COOKIE "=%s; Path=/login; Secure; HttpOnly; SameSite=Strict", pre);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie", cookie);
    struct evbuffer *b = evbuffer_new();
    page_start(b, "登录", NULL, NULL, NULL);
    evbuffer_add_printf(
        b, "<form class=\"login\" method=\"post\" action=\"/login\"><h2>窗口工作人员登录</h2>");
    if (error) {
        evbuffer_add_printf(b, "<div class=\"error\" id=\"login-error\">");
        esc(b, error);
        evbuffer_add_printf(b, "</div>");
    }
    evbuffer_add_printf(b,
                        "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                        "<label for=\"id\">工号</label><input type=\"text\" id=\"id\" name=\"id\" "
                        "autocomplete=\"username\" required value=\"",
                        pre);
    esc(b, id ? id : "");
    evbuffer_add_printf(b,
                        "\"><label for=\"password\">密码</label><input type=\"password\" "
                        "id=\"password\" name=\"password\" autocomplete=\"current-password\" "
                        "required><button class=\"primary\" id=\"login\">登录</button>"
                        "<p class=\"muted\">连续输错 %d 次密码，账号将锁定 %d 分钟；"
                        "忘记密码请联系系统管理员。</p></form>",
                        CLERK_LOCK_AFTER, CLERK_LOCK_S / 60);
    page_end(b);
    send_buf(req, code, reason, "text/html; charset=utf-8", b);
}

static void login_post(struct registry *r, struct evhttp_request *req) {
    struct console_form f;
    if (read_form(req, &f, NULL) != 0)
        return;
    const char *id = console_form_get(&f, "id"), *pw = console_form_get(&f, "password");
    const char *token = console_form_get(&f, "csrf");
    const char *cookie = evhttp_find_header(evhttp_request_get_input_headers(req), "Cookie");
    char pre[80];
    bool same = token && console_cookie(cookie, PRE_COOKIE, pre, sizeof pre) == 0 &&
                strlen(pre) == 32 && strlen(token) == 32 && crypto_equal(pre, token, 32) == 0;
    if (!same) {
        log_warn("console", "a login without the login form's token was refused");
        login_page(req, 403, "Forbidden", "登录页面已过期，请重新输入。", NULL);
        console_form_free(&f);
        return;
    }
    struct clerk_session s;
    long long until = 0;
    enum clerk_result rc =
        id && pw ? clerk_login(r->store, id, pw, now_s(), &s, &until) : CLERK_BAD;
    struct peer wp;
    const char *ws = workstation_office(r, req, &wp);
    if (rc == CLERK_OK && ws && strcmp(ws, s.office) != 0) {
        /* the right password on another office's workstation: refused, the session ended */
        log_warn("console", "clerk %s of office %s refused on workstation %s of office %s",
                 s.clerk, s.office, wp.cn, ws);
        audit(r, &s, "login_wrong_workstation", wp.cn, ws);
        clerk_logout(r->store, s.token, now_s());
        explicit_bzero(&s, sizeof s);
        console_form_free(&f);
        login_page(req, 403, "Forbidden", "此工作站不属于您的登记处，请在本处的工作站上登录。",
                   NULL);
        return;
    }
    char idcopy[CLERK_ID_MAX + 1];
    snprintf(idcopy, sizeof idcopy, "%s", id ? id : "");
    console_form_free(&f);
    struct clerk_session who = {0};
    snprintf(who.clerk, sizeof who.clerk, "%s", idcopy);
    if (rc == CLERK_OK) {
        audit(r, &s, "login", "", "");
        log_info("console", "clerk %s of office %s logged in", s.clerk, s.office);
        char cookie_out[200];
        snprintf(cookie_out, sizeof cookie_out,
                 SESSION_COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Strict", s.token);
        struct evkeyvalq *h = evhttp_request_get_output_headers(req);
        evhttp_add_header(h, "Set-Cookie", cookie_out);
        evhttp_add_header(h, "Set-Cookie",
                          PRE_COOKIE "=; Path=/login; Max-Age=0; Secure; "
                                     "HttpOnly; SameSite=Strict");
        explicit_bzero(&s, sizeof s);
        explicit_bzero(cookie_out, sizeof cookie_out);
        redirect(req, "/queue");
        return;
    }
    /* the attempt is kept under the id typed (its office when it is a clerk's) */
    struct rstore_rows *c = idcopy[0] ? rstore_clerk(r->store, idcopy) : NULL;
    snprintf(who.office, sizeof who.office, "%s", c && c->nrows == 1 ? rstore_cell(c, 0, 1) : "");
    rstore_rows_free(c);
    char msg[200];
    if (rc == CLERK_LOCKED) {
        char t[16];
        hhmm(until, t);
        snprintf(msg, sizeof msg,
                 "密码错误次数过多，账号已锁定至 %s。如需提前解锁，请联系系统管理员。", t);
        audit(r, &who, "login_locked", "", "");
        log_warn("console", "a login to the locked account %s was refused", idcopy);
    } else if (rc == CLERK_DISABLED) {
        snprintf(msg, sizeof msg, "该账号已停用，请联系系统管理员。");
        audit(r, &who, "login_disabled", "", "");
    } else if (rc == CLERK_ERROR) {
        snprintf(msg, sizeof msg, "登记中心暂时无法登录，请稍后再试。");
    } else {
        snprintf(msg, sizeof msg, "工号或密码不正确。");
        audit(r, &who, "login_failed", "", "");
        log_warn("console", "a wrong password for clerk id %s", idcopy[0] ? idcopy : "(none)");
    }
    login_page(req, rc == CLERK_ERROR ? 500 : 403,
               rc == CLERK_ERROR ? "Internal Server Error" : "Forbidden", msg, idcopy);
}

/* --- the queue --- */

/* The office's queue of today, and its stamp (changes whenever a ticket does). */
static cJSON *today_queue(struct registry *r, const char *office, char stamp[64]) {
    cJSON *v = queue_view(r->store, office, queue_day(now_s()));
    uint8_t h[32];
    char *text = v ? cJSON_PrintUnformatted(v) : NULL;
    crypto_sha256(text ? text : "", text ? strlen(text) : 0, h);
    crypto_hex(h, 16, stamp);
    free(text);
    return v;
}

static const cJSON *ticket_by_id(const cJSON *v, long long id) {
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(v, "tickets")) {
        if ((long long)json_int(t, "id", 0, 1LL << 53, -1) == id)
            return t;
    }
    return NULL;
}

/* Where on the kiosk a citizen was, by the screen's id ("joint.party_a_form"). */
static const char *screen_zh(const char *screen) {
    static const char *const names[][2] = {{"checkin", "预约签到"},  {"joint", "婚育户一件事"},
                                           {"progress", "办理进度"}, {"guide", "办事指南"},
                                           {"rating", "好差评"},     {"home", "首页"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i][0]);
        if (!strncmp(screen, names[i][0], n) && (screen[n] == 0 || screen[n] == '.'))
            return names[i][1];
    }
    return screen;
}

/* The kiosks' alerts of the office, as lines a clerk reads: 呼叫工作人员 and printers of
 * today, and from the fleet's last heartbeats: kiosks silent too long, readers and printers
 * not answering. */
static cJSON *office_alerts(struct registry *r, const char *office) {
    cJSON *out = cJSON_CreateArray();
    long long now = now_s(), day_start = caltime_day_start((int64_t)now);
    struct rstore_rows *al = rstore_alerts(r->store, office);
    for (int i = 0; al && i < al->nrows && cJSON_GetArraySize(out) < 50; i++) {
        long long at = num_i64_or(rstore_cell(al, i, 4), 0, INT64_MAX, 0);
        if (at < day_start)
            continue;
        char t[16], line[300];
        hhmm(at, t);
        const char *kind = rstore_cell(al, i, 2), *screen = rstore_cell(al, i, 3);
        if (!strcmp(kind, "call_staff"))
            snprintf(line, sizeof line, "%s 终端 %s：群众呼叫工作人员（在“%s”）", t,
                     rstore_cell(al, i, 0), screen_zh(screen));
        else
            snprintf(line, sizeof line, "%s 终端 %s：打印机故障（%s）", t, rstore_cell(al, i, 0),
                     screen);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "text", line);
        cJSON_AddStringToObject(o, "kind", kind);
        cJSON_AddItemToArray(out, o);
    }
    rstore_rows_free(al);
    struct rstore_rows *fleet = rstore_fleet(r->store);
    for (int i = 0; fleet && i < fleet->nrows; i++) {
        if (strcmp(rstore_cell(fleet, i, 1) ? rstore_cell(fleet, i, 1) : "", office) != 0)
            continue;
        const char *kiosk = rstore_cell(fleet, i, 0);
        long long age = num_i64_or(rstore_cell(fleet, i, 2), 0, INT64_MAX, 0);
        cJSON *hb = rstore_cell(fleet, i, 3) ? cJSON_Parse(rstore_cell(fleet, i, 3)) : NULL;
        const cJSON *dev = cJSON_GetObjectItem(hb, "devices");
        char line[300];
        const char *kind = NULL;
        if (age > r->console->offline_after_s) {
            snprintf(line, sizeof line, "终端 %s 已离线（%lld 分钟未联系登记中心）", kiosk,
                     age / 60);
            kind = "offline";
        } else if (!strcmp(json_str_or(dev, "reader", ""), "unreachable")) {
            snprintf(line, sizeof line, "终端 %s：读卡器未连接", kiosk);
            kind = "reader";
        } else if (!strcmp(json_str_or(dev, "printer", ""), "problem") ||
                   !strcmp(json_str_or(dev, "printer", ""), "unreachable")) {
            snprintf(line, sizeof line, "终端 %s：打印机%s", kiosk,
                     !strcmp(json_str_or(dev, "printer", ""), "problem") ? "需要处理（缺纸或卡纸）"
                                                                         : "未连接");
            kind = "printer_state";
        }
        if (kind) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "text", line);
            cJSON_AddStringToObject(o, "kind", kind);
            cJSON_AddItemToArray(out, o);
        }
        cJSON_Delete(hb);
    }
    rstore_rows_free(fleet);
    /* a number two kiosks gave: the display calls it for two couples */
    cJSON *v = queue_view(r->store, office, queue_day(now));
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(v, "tickets")) {
        const char *other = json_str(t, "same_number_as"), *kiosk = json_str_or(t, "kiosk", "");
        if (!other || strcmp(kiosk, other) > 0)
            continue; /* once a pair */
        char line[300];
        snprintf(line, sizeof line,
                 "号码 %s 被终端 %s 和 %s 重复发出：叫号时请核对回执上的终端号，"
                 "并请管理员把两台终端的 [kiosk] queue_start 错开（如 0 和 500）",
                 json_str_or(t, "queue_no", ""), kiosk, other);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "text", line);
        cJSON_AddStringToObject(o, "kind", "same_number");
        cJSON_AddItemToArray(out, o);
    }
    cJSON_Delete(v);
    return out;
}

static void alerts_box(struct evbuffer *b, const cJSON *alerts) {
    evbuffer_add_printf(b, "<section id=\"alerts\" class=\"notice\"><b>终端提醒</b><ul>");
    const cJSON *a;
    if (!cJSON_GetArraySize(alerts))
        evbuffer_add_printf(b, "<li class=\"none\">暂无提醒</li>");
    cJSON_ArrayForEach(a, alerts) {
        evbuffer_add_printf(b, "<li>");
        esc(b, json_str_or(a, "text", ""));
        evbuffer_add_printf(b, "</li>");
    }
    evbuffer_add_printf(b, "</ul></section>");
}

/* What the last action did, from the redirect's ?m=CODE&t=TICKET (never text of the
 * request's own). */
static void flash(struct evbuffer *b, struct evhttp_request *req, const cJSON *v) {
    char *m = query_param(req, "m"), *t = query_param(req, "t");
    static const char *const texts[][3] = {
        {"called", "done", "已呼叫 %s"},
        {"recall", "done", "已重呼 %s"},
        {"no_show", "done", "%s 已标记为未到"},
        {"done", "done", "%s 已办结"},
        {"transfer", "done", "%s 已转移"},
        {"status", "done", "%s 的办理状态已更新"},
        {"empty", "notice", "该窗口没有等候的号。"},
        {"refused", "error",
         "%s：现在不能这样操作（叫号满三次后才能标记未到；重呼、未到、办结只用于已呼叫的号）。"},
        {"notfound", "error", "本办公地点今天没有这个窗口或号。"},
        {"failed", "error", "登记中心暂时无法保存，请重试。"},
    };
    const cJSON *tk = t ? ticket_by_id(v, num_i64_or(t, 1, 1LL << 53, 0)) : NULL;
    for (size_t i = 0; m && i < sizeof texts / sizeof texts[0]; i++) {
        if (strcmp(m, texts[i][0]) != 0)
            continue;
        /* the number where the text has %s */
        char line[300];
        const char *at = strstr(texts[i][2], "%s");
        snprintf(line, sizeof line, "%.*s%s%s",
                 at ? (int)(at - texts[i][2]) : (int)strlen(texts[i][2]), texts[i][2],
                 at && tk ? json_str_or(tk, "queue_no", "") : "", at ? at + 2 : "");
        evbuffer_add_printf(b, "<div class=\"%s\" id=\"flash\">", texts[i][1]);
        esc(b, line);
        evbuffer_add_printf(b, "</div>");
    }
    free(m);
    free(t);
}

static void ticket_actions(struct evbuffer *b, const struct clerk_session *s, const cJSON *v,
                           const cJSON *t) {
    long long id = json_int(t, "id", 0, 1LL << 53, 0);
    static const char *const acts[][3] = {
        {"recall", "重呼", ""}, {"no_show", "未到", "确定标记为未到？"}, {"done", "办结", ""}};
    evbuffer_add_printf(b, "<div class=\"actions\">");
    for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
        evbuffer_add_printf(b, "<form method=\"post\" action=\"/queue/ticket\"%s%s%s>",
                            acts[i][2][0] ? " data-confirm=\"" : "", acts[i][2],
                            acts[i][2][0] ? "\"" : "");
        csrf_field(b, s);
        evbuffer_add_printf(b,
                            "<input type=\"hidden\" name=\"ticket\" value=\"%lld\">"
                            "<input type=\"hidden\" name=\"action\" value=\"%s\">"
                            "<button id=\"%s-%lld\">%s</button></form>",
                            id, acts[i][0], acts[i][0], id, acts[i][1]);
    }
    evbuffer_add_printf(b, "<form method=\"post\" action=\"/queue/ticket\">");
    csrf_field(b, s);
    evbuffer_add_printf(b,
                        "<input type=\"hidden\" name=\"ticket\" value=\"%lld\">"
                        "<input type=\"hidden\" name=\"action\" value=\"transfer\">"
                        "<select name=\"to\" id=\"to-%lld\" aria-label=\"转到\">",
                        id, id);
    const cJSON *w;
    char rooms[16][96];
    int nrooms = 0;
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(v, "windows")) {
        const char *wid = json_str_or(w, "id", ""), *room = json_str_or(w, "room", "");
        if (strcmp(wid, json_str_or(t, "window", "")) != 0) {
            evbuffer_add_printf(b, "<option value=\"window:");
            esc(b, wid);
            evbuffer_add_printf(b, "\">转到 ");
            esc(b, json_str_or(w, "name", wid));
            evbuffer_add_printf(b, "</option>");
        }
        bool seen = !room[0];
        for (int i = 0; i < nrooms && !seen; i++)
            seen = !strcmp(rooms[i], room);
        if (!seen && nrooms < 16)
            snprintf(rooms[nrooms++], sizeof rooms[0], "%s", room);
    }
    for (int i = 0; i < nrooms; i++) {
        evbuffer_add_printf(b, "<option value=\"room:");
        esc(b, rooms[i]);
        evbuffer_add_printf(b, "\">转到 ");
        esc(b, rooms[i]);
        evbuffer_add_printf(b, "</option>");
    }
    evbuffer_add_printf(b,
                        "</select><button id=\"transfer-%lld\">转移</button></form>"
                        "<a class=\"button\" id=\"open-%lld\" href=\"/ticket?id=%lld\">查看申请</a>"
                        "</div>",
                        id, id, id);
}

static void queue_page(struct registry *r, struct evhttp_request *req,
                       const struct clerk_session *s) {
    char stamp[64];
    cJSON *v = today_queue(r, s->office, stamp);
    if (!v) {
        message_page(req, 500, "Internal Server Error", s, "叫号",
                     "登记中心暂时无法读取队列，请稍后刷新。", "/queue");
        return;
    }
    struct evbuffer *b = evbuffer_new();
    page_start(b, "叫号", s, "/queue", stamp);
    flash(b, req, v);
    cJSON *alerts = office_alerts(r, s->office);
    alerts_box(b, alerts);
    cJSON_Delete(alerts);
    evbuffer_add_printf(b, "<h2>窗口</h2><div class=\"windows\">");
    const cJSON *w, *t;
    if (!cJSON_GetArraySize(cJSON_GetObjectItem(v, "windows")))
        evbuffer_add_printf(
            b, "<p class=\"muted\">本办公地点还没有配置窗口（kioskctl queue window）。</p>");
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(v, "windows")) {
        const char *wid = json_str_or(w, "id", "");
        evbuffer_add_printf(b, "<section class=\"window\" id=\"window-");
        esc(b, wid);
        evbuffer_add_printf(b, "\"><h3>");
        esc(b, json_str_or(w, "name", wid));
        evbuffer_add_printf(b, "</h3><div class=\"muted\">");
        esc(b, json_str_or(w, "room", ""));
        evbuffer_add_printf(b, " · ");
        char types[300], *save = NULL;
        snprintf(types, sizeof types, "%s", json_str_or(w, "types", ""));
        bool first = true;
        for (char *c = strtok_r(types, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
            escf(b, "%s%s", first ? "" : "、", business_zh(c));
            first = false;
        }
        evbuffer_add_printf(b, "</div>");
        const cJSON *serving = NULL;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(v, "tickets")) {
            if (!strcmp(json_str_or(t, "status", ""), "called") &&
                !strcmp(json_str_or(t, "window", ""), wid))
                serving = t;
        }
        if (serving) {
            evbuffer_add_printf(b, "<div class=\"serving\">");
            esc(b, json_str_or(serving, "queue_no", ""));
            evbuffer_add_printf(b, "</div><div>");
            escf(b, "%s · 已呼叫 %d 次", business_zh(json_str_or(serving, "business", "")),
                 (int)json_int(serving, "calls", 0, 1000, 0));
            evbuffer_add_printf(b, "</div>");
            ticket_actions(b, s, v, serving);
        } else {
            evbuffer_add_printf(b, "<div class=\"idle\">空闲</div>");
        }
        evbuffer_add_printf(b,
                            "<div class=\"actions\"><form method=\"post\" action=\"/queue/call\">");
        csrf_field(b, s);
        evbuffer_add_printf(b, "<input type=\"hidden\" name=\"window\" value=\"");
        esc(b, wid);
        evbuffer_add_printf(b, "\"><button class=\"primary\" id=\"call-");
        esc(b, wid);
        evbuffer_add_printf(b, "\">叫下一位</button></form></div></section>");
    }
    evbuffer_add_printf(
        b,
        "</div><h2>今日的号（%d 位等候）</h2><table id=\"tickets\"><tr><th>号码</th>"
        "<th>业务</th><th>办理地点</th><th>预约时段</th><th>取号</th><th>状态</th>"
        "<th>窗口</th><th>呼叫</th><th></th></tr>",
        (int)json_int(v, "waiting", 0, 1 << 30, 0));
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(v, "tickets")) {
        long long id = json_int(t, "id", 0, 1LL << 53, 0);
        char slot[16], made[16];
        hhmm(json_int(t, "slot_start", 0, 1LL << 40, 0), slot);
        hhmm(json_int(t, "created", 0, 1LL << 40, 0), made);
        evbuffer_add_printf(b, "<tr id=\"ticket-%lld\"><td><b>", id);
        esc(b, json_str_or(t, "queue_no", ""));
        evbuffer_add_printf(b, "</b>");
        if (json_str(t, "same_number_as")) {
            evbuffer_add_printf(b, " <span class=\"muted\">（重号，终端 ");
            esc(b, json_str_or(t, "kiosk", ""));
            evbuffer_add_printf(b, "）</span>");
        }
        evbuffer_add_printf(b, "</td><td>");
        esc(b, business_zh(json_str_or(t, "business", "")));
        evbuffer_add_printf(b, "</td><td>");
        esc(b, json_str_or(t, "room", "")[0] ? json_str_or(t, "room", "") : "—");
        bool walk_in = slot[0] == '-' && !strcmp(json_str_or(t, "kind", ""), "checkin");
        evbuffer_add_printf(b, "</td><td>%s</td><td>%s</td><td>", walk_in ? "现场取号" : slot,
                            made);
        esc(b, ticket_status_zh(json_str_or(t, "status", "")));
        evbuffer_add_printf(b, "</td><td>");
        esc(b, json_str_or(t, "window", ""));
        evbuffer_add_printf(b, "</td><td>%d</td><td><a href=\"/ticket?id=%lld\">查看</a></td></tr>",
                            (int)json_int(t, "calls", 0, 1000, 0), id);
    }
    evbuffer_add_printf(b, "</table>");
    page_end(b);
    cJSON_Delete(v);
    send_buf(req, 200, "OK", "text/html; charset=utf-8", b);
}

static void queue_post(struct registry *r, struct evhttp_request *req,
                       const struct clerk_session *s, const struct console_form *f, bool call) {
    long long ticket = call ? 0 : num_i64_or(console_form_get(f, "ticket"), 1, 1LL << 53, 0);
    const char *action = call ? "call" : console_form_get(f, "action");
    const char *window = console_form_get(f, "window"), *to = console_form_get(f, "to");
    static const char *const allowed[] = {"call", "recall", "no_show", "done", "transfer"};
    bool ok = false;
    for (size_t i = 0; action && i < sizeof allowed / sizeof allowed[0]; i++)
        ok = ok || !strcmp(action, allowed[i]);
    int res = ok && (call ? window != NULL : ticket > 0)
                  ? office_queue_do(r, s->office, action, window, &ticket, to)
                  : QUEUE_NOT_FOUND;
    char target[128];
    if (call)
        snprintf(target, sizeof target, "window %.40s -> ticket %lld", window ? window : "",
                 ticket);
    else
        snprintf(target, sizeof target, "ticket %lld", ticket);
    const char *m = res == QUEUE_OK          ? (call ? "called" : action)
                    : res == QUEUE_EMPTY     ? "empty"
                    : res == QUEUE_REFUSED   ? "refused"
                    : res == QUEUE_NOT_FOUND ? "notfound"
                                             : "failed";
    audit(r, s,
          call     ? "call"
          : action ? action
                   : "?",
          target, res == QUEUE_OK ? (to ? to : "") : m);
    char where[96];
    snprintf(where, sizeof where, "/queue?m=%s&t=%lld", m, ticket);
    redirect(req, where);
}

/* --- the ticket's record --- */

/* The ticket of the query's parameter param (its id in *id), of today in the session's office,
 * and its record's row: 0, or -1 (answered). */
static int ticket_record(struct registry *r, struct evhttp_request *req,
                         const struct clerk_session *s, const char *param, long long *id,
                         cJSON **view, const cJSON **ticket, struct rstore_rows **rec) {
    char *q = param ? query_param(req, param) : NULL;
    if (param)
        *id = num_i64_or(q, 1, 1LL << 53, 0);
    free(q);
    char stamp[64];
    *view = today_queue(r, s->office, stamp);
    *ticket = *view ? ticket_by_id(*view, *id) : NULL;
    *rec = *ticket ? rstore_record(r->store, json_str_or(*ticket, "record", ""),
                                   json_str_or(*ticket, "kiosk", ""))
                   : NULL;
    if (*rec && (*rec)->nrows == 1 && !strcmp(rstore_cell(*rec, 0, 3), s->office))
        return 0;
    message_page(req, 404, "Not Found", s, "找不到这个号",
                 "本办公地点今天没有这个号，或它的记录还未到达登记中心。", "/queue");
    cJSON_Delete(*view);
    rstore_rows_free(*rec);
    return -1;
}

static void row(struct evbuffer *b, const char *k, const char *v) {
    evbuffer_add_printf(b, "<tr><td class=\"k\">");
    esc(b, k);
    evbuffer_add_printf(b, "</td><td>");
    esc(b, v && v[0] ? v : "—");
    evbuffer_add_printf(b, "</td></tr>");
}

/* A joint application's values by the form's pages and fields, as the citizens typed them. */
static void application_view(struct evbuffer *b, const struct form *f, const cJSON *payload) {
    const cJSON *values = cJSON_GetObjectItem(payload, "values");
    evbuffer_add_printf(b, "<p>所办事项：");
    const cJSON *svc;
    bool first = true;
    cJSON_ArrayForEach(svc, cJSON_GetObjectItem(payload, "services")) {
        const char *id = cJSON_GetStringValue(svc);
        const char *label = NULL;
        for (int i = 0; id && i < 16; i++) {
            const char *l = NULL;
            bool always;
            const char *sid = form_service_at(f, i, "zh-CN", &l, &always);
            if (!sid)
                break;
            if (!strcmp(sid, id))
                label = l;
        }
        escf(b, "%s%s", first ? "" : "、", label ? label : id ? id : "");
        first = false;
    }
    evbuffer_add_printf(b, "</p>");
    for (int p = 0; p < form_page_count(f); p++) {
        bool any = false;
        for (int i = 0; i < form_field_count(f, p); i++) {
            struct form_field_info fi;
            if (form_field_info(f, p, i, "zh-CN", &fi) != 0)
                continue;
            const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(values, fi.id));
            if (!v)
                continue;
            if (!any) {
                evbuffer_add_printf(b, "<h3>");
                esc(b, form_page_title(f, p, "zh-CN"));
                evbuffer_add_printf(b, "</h3><table>");
                any = true;
            }
            char shown[400];
            if (fi.codes && fi.codes[0]) {
                const char *l = form_code_label(f, fi.codes, v, "zh-CN");
                snprintf(shown, sizeof shown, "%s", l[0] ? l : v);
            } else if ((fi.type && !strcmp(fi.type, "date")) ||
                       (strlen(v) == 8 && strspn(v, "0123456789") == 8)) {
                form_date_text(v, "zh-CN", shown, sizeof shown); /* 20350601: 2035年6月1日 */
            } else if (!strcmp(v, "true") || !strcmp(v, "false")) {
                snprintf(shown, sizeof shown, "%s", v[0] == 't' ? "是" : "否");
            } else {
                snprintf(shown, sizeof shown, "%s", v);
            }
            row(b, fi.label, shown);
        }
        if (any)
            evbuffer_add_printf(b, "</table>");
    }
    const cJSON *c = cJSON_GetObjectItem(payload, "consent");
    if (c) {
        char line[200], ta[32], tb[32];
        caltime_format((int64_t)json_int(c, "a", 0, 1LL << 40, 0), "%Y-%m-%d %H:%M", ta, sizeof ta);
        caltime_format((int64_t)json_int(c, "b", 0, 1LL << 40, 0), "%Y-%m-%d %H:%M", tb, sizeof tb);
        snprintf(line, sizeof line, "男方 %s、女方 %s 各自确认了告知书（版本 %s）%s", ta, tb,
                 json_str_or(c, "notice", "?"),
                 !strcmp(json_str_or(c, "head", ""), "at_window") ? "；户主须到窗口签字同意迁入"
                                                                  : "");
        evbuffer_add_printf(b, "<p class=\"muted\">");
        esc(b, line);
        evbuffer_add_printf(b, "</p>");
    }
}

static void checkin_view(struct evbuffer *b, const cJSON *payload) {
    evbuffer_add_printf(b, "<table>");
    row(b, "业务", business_zh(json_str_or(payload, "business", "marriage")));
    row(b, "预约号",
        json_str_or(payload, "booking_no",
                    cJSON_IsTrue(cJSON_GetObjectItem(payload, "walk_in")) ? "现场取号" : ""));
    char slot[32] = "";
    long long st = json_int(payload, "slot_start", 0, 1LL << 40, 0);
    if (st)
        caltime_format((int64_t)st, "%Y-%m-%d %H:%M", slot, sizeof slot);
    row(b, "预约时段", slot);
    row(b, "男方（或申请人）证件号码", json_str_or(payload, "party_a_id", ""));
    row(b, "女方证件号码", json_str_or(payload, "party_b_id", ""));
    row(b, "办理地点", json_str_or(payload, "room", ""));
    row(b, "受理日期", json_str_or(payload, "accepted_on", ""));
    row(b, "颁证厅 / 辅导员", json_str_or(payload, "hall", json_str_or(payload, "counsellor", "")));
    row(b, "巡回登记点", json_str_or(payload, "point", ""));
    evbuffer_add_printf(b, "</table>");
}

static void ticket_page(struct registry *r, struct evhttp_request *req,
                        const struct clerk_session *s) {
    long long id;
    cJSON *v;
    const cJSON *t;
    struct rstore_rows *rec;
    if (ticket_record(r, req, s, "id", &id, &v, &t, &rec) != 0)
        return;
    const char *kind = rstore_cell(rec, 0, 1), *rid = rstore_cell(rec, 0, 0);
    cJSON *payload = cJSON_Parse(rstore_cell(rec, 0, 6) ? rstore_cell(rec, 0, 6) : "{}");
    char status[32] = "", why[RSTORE_REASON_MAX + 1] = "";
    rstore_status(r->store, s->office, json_str_or(t, "kiosk", ""), rid, status, sizeof status, why,
                  sizeof why);
    audit(r, s, "view_record", rid, json_str_or(t, "queue_no", ""));
    struct evbuffer *b = evbuffer_new();
    char title[96];
    snprintf(title, sizeof title, "%s %s", json_str_or(t, "queue_no", ""),
             business_zh(json_str_or(t, "business", "")));
    page_start(b, title, s, NULL, NULL);
    char *m = query_param(req, "m");
    if (m && !strcmp(m, "status"))
        evbuffer_add_printf(b, "<div class=\"done\" "
                               "id=\"flash\">办理状态已更新，群众可在终端“办理进度”中查看。</div>");
    free(m);
    evbuffer_add_printf(b, "<h2>");
    esc(b, title);
    evbuffer_add_printf(b, "</h2><p class=\"muted\">");
    escf(b, "记录 %s · 终端 %s · 状态：%s", rid, json_str_or(t, "kiosk", ""),
         record_status_zh(status));
    if (why[0])
        escf(b, "（原因：%s）", why);
    evbuffer_add_printf(b, "</p><p class=\"notice\">以下为群众在终端填写的原始信息，仅供窗口核对；"
                           "您的每次查看都会记入审计日志。</p>");
    bool joint = !strcmp(kind, "application");
    if (joint) {
        evbuffer_add_printf(b,
                            "<p><a class=\"button primary\" id=\"declaration\" target=\"_blank\" "
                            "href=\"/declaration?ticket=%lld\">打开声明书（PDF，可打印）</a></p>",
                            id);
        application_view(b, r->console->form, payload);
    } else {
        checkin_view(b, payload);
    }
    evbuffer_add_printf(
        b, "<h2>办理状态</h2><form method=\"post\" action=\"/status\" id=\"status-form\">");
    csrf_field(b, s);
    evbuffer_add_printf(b,
                        "<input type=\"hidden\" name=\"ticket\" value=\"%lld\"><p>"
                        "<select name=\"status\" id=\"status\"><option value=\"\">请选择办理状态"
                        "</option>",
                        id);
    for (size_t i = 1; i < sizeof record_statuses / sizeof record_statuses[0]; i++)
        evbuffer_add_printf(b, "<option value=\"%s\">%s</option>", record_statuses[i][0],
                            record_statuses[i][1]);
    evbuffer_add_printf(b,
                        "</select></p><p><label for=\"reason\">原因或需要补充的材料（退回时必填，"
                        "群众在终端“办理进度”中可见，最多 %d 字）</label>"
                        "<textarea id=\"reason\" name=\"reason\" maxlength=\"%d\"></textarea></p>"
                        "<p><button class=\"primary\" id=\"set-status\">保存状态</button> "
                        "<a class=\"button\" href=\"/queue\">返回叫号</a></p></form>",
                        RSTORE_REASON_MAX / 3, RSTORE_REASON_MAX / 3);
    page_end(b);
    json_wipe_delete(payload);
    rstore_rows_free(rec);
    cJSON_Delete(v);
    send_buf(req, 200, "OK", "text/html; charset=utf-8", b);
}

static void declaration_get(struct registry *r, struct evhttp_request *req,
                            const struct clerk_session *s) {
    long long id;
    cJSON *v;
    const cJSON *t;
    struct rstore_rows *rec;
    if (ticket_record(r, req, s, "ticket", &id, &v, &t, &rec) != 0)
        return;
    /* the renderer takes {"id","payload"} as the admin API answers it */
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", rstore_cell(rec, 0, 0));
    cJSON_AddItemToObject(o, "payload",
                          cJSON_Parse(rstore_cell(rec, 0, 6) ? rstore_cell(rec, 0, 6) : "{}"));
    char *text = cJSON_PrintUnformatted(o);
    json_wipe_delete(o);
    char err[300] = "";
    size_t len = 0;
    unsigned char *pdf =
        text ? declaration_pdf_mem(text, r->console->form, &len, err, sizeof err) : NULL;
    json_wipe_free(text);
    if (!pdf) {
        log_warn("console", "no 声明书 for ticket %lld: %s", id, err);
        message_page(req, 409, "Conflict", s, "无法生成声明书",
                     "这个号不是双方信息齐全的结婚申请，没有声明书。", "/queue");
    } else {
        audit(r, s, "declaration", rstore_cell(rec, 0, 0), json_str_or(t, "queue_no", ""));
        struct evbuffer *b = evbuffer_new();
        evbuffer_add(b, pdf, len);
        explicit_bzero(pdf, len);
        free(pdf);
        evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Disposition",
                          "inline; filename=\"declaration.pdf\"");
        send_buf(req, 200, "OK", "application/pdf", b);
    }
    rstore_rows_free(rec);
    cJSON_Delete(v);
}

static void status_post(struct registry *r, struct evhttp_request *req,
                        const struct clerk_session *s, const struct console_form *f) {
    long long id = num_i64_or(console_form_get(f, "ticket"), 1, 1LL << 53, 0);
    const char *st = console_form_get(f, "status"), *reason = console_form_get(f, "reason");
    bool known = false;
    for (size_t i = 1; st && i < sizeof record_statuses / sizeof record_statuses[0]; i++)
        known = known || !strcmp(st, record_statuses[i][0]);
    char back[64];
    snprintf(back, sizeof back, "/ticket?id=%lld", id);
    if (!known) {
        message_page(req, 400, "Bad Request", s, "办理状态", "请先选择办理状态，再保存。", back);
        return;
    }
    if (reason && strlen(reason) > RSTORE_REASON_MAX) {
        message_page(req, 400, "Bad Request", s, "办理状态", "原因太长，请精简到 100 个汉字以内。",
                     back);
        return;
    }
    if (!strcmp(st, "returned") && (!reason || !reason[strspn(reason, " \t\r\n")])) {
        message_page(req, 400, "Bad Request", s, "办理状态",
                     "退回时请写明原因或需要补充的材料：群众会在终端“办理进度”中看到它。", back);
        return;
    }
    cJSON *v;
    const cJSON *t;
    struct rstore_rows *rec;
    if (ticket_record(r, req, s, NULL, &id, &v, &t, &rec) != 0)
        return;
    int rc =
        rstore_set_status(r->store, rstore_cell(rec, 0, 0), rstore_cell(rec, 0, 2), st, reason);
    if (rc == 0 && !strcmp(st, "accepted"))
        record_divorce_accepted(r, rstore_cell(rec, 0, 0), rstore_cell(rec, 0, 2));
    char detail[RSTORE_REASON_MAX + 40];
    snprintf(detail, sizeof detail, "%s%s%s", st, reason && reason[0] ? ": " : "",
             reason ? reason : "");
    audit(r, s, "status", rstore_cell(rec, 0, 0), detail);
    rstore_rows_free(rec);
    cJSON_Delete(v);
    if (rc != 0) {
        message_page(req, 500, "Internal Server Error", s, "办理状态",
                     "登记中心暂时无法保存，请重试。", back);
        return;
    }
    snprintf(back, sizeof back, "/ticket?id=%lld&m=status", id);
    redirect(req, back);
}

/* --- the day --- */

static void today_page(struct registry *r, struct evhttp_request *req,
                       const struct clerk_session *s) {
    char stamp[64];
    cJSON *v = today_queue(r, s->office, stamp);
    struct evbuffer *b = evbuffer_new();
    page_start(b, "今日统计", s, "/today", NULL);
    int total = 0, waiting = 0, called = 0, done = 0, no_show = 0;
    const cJSON *t;
    struct {
        const char *code;
        int n;
    } by[12] = {{0}};
    int nby = 0;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(v, "tickets")) {
        const char *st = json_str_or(t, "status", ""), *biz = json_str_or(t, "business", "");
        total++;
        waiting += !strcmp(st, "waiting");
        called += !strcmp(st, "called");
        done += !strcmp(st, "done");
        no_show += !strcmp(st, "no_show");
        int i = 0;
        while (i < nby && strcmp(by[i].code, biz) != 0)
            i++;
        if (i == nby && nby < 12)
            by[nby++].code = biz;
        if (i < nby)
            by[i].n++;
    }
    evbuffer_add_printf(
        b,
        "<h2>今日的号</h2><div class=\"counts\" id=\"counts\">"
        "<div class=\"count\"><b>%d</b>取号</div><div class=\"count\"><b>%d</b>等候</div>"
        "<div class=\"count\"><b>%d</b>办理中</div><div class=\"count\"><b>%d</b>已办结</div>"
        "<div class=\"count\"><b>%d</b>未到</div></div><h2>按业务</h2><table>"
        "<tr><th>业务</th><th>取号</th></tr>",
        total, waiting, called, done, no_show);
    for (int i = 0; i < nby; i++)
        evbuffer_add_printf(b, "<tr><td>%s</td><td>%d</td></tr>", business_zh(by[i].code), by[i].n);
    evbuffer_add_printf(
        b, "</table><h2>好差评（本办公地点，累计）</h2><table id=\"ratings\"><tr>"
           "<th>评价环节</th><th>非常满意</th><th>满意</th><th>基本满意</th><th>不满意</th>"
           "<th>非常不满意</th></tr>");
    struct rstore_rows *rt = rstore_ratings(r->store, s->office);
    /* columns office, service, level (1..5), count: one row per service */
    char services[16][48];
    int counts[16][6] = {{0}}, ns = 0;
    for (int i = 0; rt && i < rt->nrows; i++) {
        const char *svc = rstore_cell(rt, i, 1) ? rstore_cell(rt, i, 1) : "";
        int level = (int)num_i64_or(rstore_cell(rt, i, 2), 1, 5, 0);
        int k = 0;
        while (k < ns && strcmp(services[k], svc) != 0)
            k++;
        if (k == ns && ns < 16)
            snprintf(services[ns++], sizeof services[0], "%s", svc);
        if (k < ns && level)
            counts[k][level] += (int)num_i64_or(rstore_cell(rt, i, 3), 0, 1 << 30, 0);
    }
    rstore_rows_free(rt);
    static const char *const svc_zh[][2] = {{"checkin", "预约签到"},
                                            {"joint", "婚育户一件事"},
                                            {"progress", "办理进度"},
                                            {"guide", "办事指南"}};
    for (int k = 0; k < ns; k++) {
        const char *name = services[k];
        for (size_t i = 0; i < sizeof svc_zh / sizeof svc_zh[0]; i++)
            if (!strcmp(name, svc_zh[i][0]))
                name = svc_zh[i][1];
        evbuffer_add_printf(b, "<tr><td>");
        esc(b, name);
        /* level 5 is 非常满意 */
        evbuffer_add_printf(b, "</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td></tr>",
                            counts[k][5], counts[k][4], counts[k][3], counts[k][2], counts[k][1]);
    }
    if (!ns)
        evbuffer_add_printf(b, "<tr><td colspan=\"6\" class=\"muted\">还没有评价</td></tr>");
    evbuffer_add_printf(b, "</table>");
    page_end(b);
    cJSON_Delete(v);
    send_buf(req, 200, "OK", "text/html; charset=utf-8", b);
}

static void live_get(struct registry *r, struct evhttp_request *req,
                     const struct clerk_session *s) {
    char stamp[64];
    cJSON *v = today_queue(r, s->office, stamp);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "stamp", v ? stamp : "");
    cJSON_AddNumberToObject(o, "waiting", (double)json_int(v, "waiting", 0, 1 << 30, 0));
    cJSON_AddItemToObject(o, "alerts", office_alerts(r, s->office));
    cJSON_Delete(v);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    struct evbuffer *b = evbuffer_new();
    evbuffer_add(b, text ? text : "{}", text ? strlen(text) : 2);
    free(text);
    send_buf(req, 200, "OK", "application/json", b);
}

/* --- the listener's callback --- */

static void static_file(struct evhttp_request *req, const unsigned char *data, size_t len,
                        const char *type) {
    struct evbuffer *b = evbuffer_new();
    evbuffer_add(b, data, len);
    send_buf(req, 200, "OK", type, b);
}

void console_handle(struct evhttp_request *req, void *arg) {
    struct registry *r = arg;
    if (!listener_admit(req)) {
        message_page(req, 429, "Too Many Requests", NULL, "请求过于频繁", "请稍等一分钟再试。",
                     "/queue");
        return;
    }
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    enum evhttp_cmd_type m = evhttp_request_get_command(req);
    bool get = m == EVHTTP_REQ_GET || m == EVHTTP_REQ_HEAD, post = m == EVHTTP_REQ_POST;
    if (!path || (!get && !post)) {
        message_page(req, 405, "Method Not Allowed", NULL, "不支持的请求", "请使用浏览器访问。",
                     "/queue");
        return;
    }
    if (get && !strcmp(path, "/console.css")) {
        static_file(req, embed_console_css, embed_console_css_len, "text/css; charset=utf-8");
        return;
    }
    if (get && !strcmp(path, "/console.js")) {
        static_file(req, embed_console_js, embed_console_js_len, "text/javascript; charset=utf-8");
        return;
    }
    if (get && !strcmp(path, "/favicon.ico")) { /* none: not a page to log in to */
        send_buf(req, 404, "Not Found", "text/plain", evbuffer_new());
        return;
    }
    if (!strcmp(path, "/login")) {
        if (post)
            login_post(r, req);
        else
            login_page(req, 200, "OK", NULL, NULL);
        return;
    }
    struct clerk_session s;
    if (session_of_req(r, req, &s) != 0) {
        if (!strcmp(path, "/live")) {
            struct evbuffer *b = evbuffer_new();
            evbuffer_add_printf(b, "{\"error\":\"not logged in\"}");
            send_buf(req, 401, "Unauthorized", "application/json", b);
        } else if (post) {
            log_warn("console", "a form posted without a live session was refused (%s)", path);
            message_page(req, 401, "Unauthorized", NULL, "请先登录",
                         "登录已过期，请重新登录后再操作。", "/login");
        } else {
            redirect(req, "/login");
        }
        return;
    }
    if (get) {
        if (!strcmp(path, "/"))
            redirect(req, "/queue");
        else if (!strcmp(path, "/queue"))
            queue_page(r, req, &s);
        else if (!strcmp(path, "/ticket"))
            ticket_page(r, req, &s);
        else if (!strcmp(path, "/declaration"))
            declaration_get(r, req, &s);
        else if (!strcmp(path, "/today"))
            today_page(r, req, &s);
        else if (!strcmp(path, "/live"))
            live_get(r, req, &s);
        else
            message_page(req, 404, "Not Found", &s, "没有这个页面", "请从上方菜单进入。", "/queue");
        explicit_bzero(&s, sizeof s);
        return;
    }
    struct console_form f;
    if (read_form(req, &f, &s) != 0)
        return;
    if (!clerk_csrf_ok(&s, console_form_get(&f, "csrf"))) {
        audit(r, &s, "csrf_refused", path, "a form without this session's token");
        log_warn("console", "a form without the session's token was refused (%s, clerk %s)", path,
                 s.clerk);
        message_page(req, 403, "Forbidden", &s, "操作被拒绝",
                     "这个表单不是从本工作台的页面提交的，或页面已过期。请刷新页面后重试。",
                     "/queue");
    } else if (!strcmp(path, "/logout")) {
        const char *cookie = evhttp_find_header(evhttp_request_get_input_headers(req), "Cookie");
        char token[80];
        if (console_cookie(cookie, SESSION_COOKIE, token, sizeof token) == 0)
            clerk_logout(r->store, token, now_s());
        audit(r, &s, "logout", "", "");
        evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie",
                          SESSION_COOKIE "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
        redirect(req, "/login");
    } else if (!strcmp(path, "/queue/call")) {
        queue_post(r, req, &s, &f, true);
    } else if (!strcmp(path, "/queue/ticket")) {
        queue_post(r, req, &s, &f, false);
    } else if (!strcmp(path, "/status")) {
        status_post(r, req, &s, &f);
    } else {
        message_page(req, 404, "Not Found", &s, "没有这个操作", "请从页面上的按钮操作。", "/queue");
    }
    console_form_free(&f);
    explicit_bzero(&s, sizeof s);
}
