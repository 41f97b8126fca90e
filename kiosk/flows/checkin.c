/* checkin: see checkin.h. */
#include "checkin.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "bus.h"
#include "caltime.h"
#include "crypto.h"
#include "i18n.h"
#include "json.h"
#include "log.h"
#include "mask.h"
#include "office.h"
#include "paper.h"
#include "rules.h"
#include "store.h"

#define DAY 86400

static int64_t day_start(int64_t now);

int64_t checkin_day_start(int64_t t) {
    return day_start(t);
}

/* The start of today in local time (the kiosk runs in China Standard Time). */
static int64_t day_start(int64_t now) {
    return caltime_day_start(now);
}

static int today_yyyymmdd(int64_t now) {
    return caltime_yyyymmdd(now);
}

static void copy_str(char *dst, size_t cap, const cJSON *v) {
    snprintf(dst, cap, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

/* Fills c from the cached appointment's JSON. */
static int load(struct app *a, const char *appt_id, struct checkin *c) {
    char *json = NULL;
    if (store_appointment_get(a->store, appt_id, &json) != STORE_OK)
        return -1;
    cJSON *o = cJSON_Parse(json);
    explicit_bzero(json, strlen(json));
    free(json);
    if (!o)
        return -1;
    snprintf(c->appt_id, sizeof c->appt_id, "%s", appt_id);
    copy_str(c->booking_no, sizeof c->booking_no, cJSON_GetObjectItem(o, "booking_no"));
    copy_str(c->id_a, sizeof c->id_a, cJSON_GetObjectItem(o, "party_a_id"));
    copy_str(c->id_b, sizeof c->id_b, cJSON_GetObjectItem(o, "party_b_id"));
    const cJSON *names = cJSON_GetObjectItem(o, "names");
    copy_str(c->name_a, sizeof c->name_a, cJSON_GetObjectItem(names, "a"));
    copy_str(c->name_b, sizeof c->name_b, cJSON_GetObjectItem(names, "b"));
    int bad = business_from_code(cJSON_GetStringValue(cJSON_GetObjectItem(o, "type")), &c->biz);
    const char *acc = cJSON_GetStringValue(cJSON_GetObjectItem(o, "accepted_on"));
    c->accepted_on = acc ? rules_date_parse(acc) : 0;
    copy_str(c->hall, sizeof c->hall, cJSON_GetObjectItem(o, "hall"));
    copy_str(c->counsellor, sizeof c->counsellor, cJSON_GetObjectItem(o, "counsellor"));
    copy_str(c->point, sizeof c->point, cJSON_GetObjectItem(o, "point"));
    c->slot_start = json_int(o, "slot_start", 0, INT64_C(1) << 40, 0);
    c->slot_end = json_int(o, "slot_end", 0, INT64_C(1) << 40, 0);
    json_wipe_delete(o); /* the tree held the same personal data */
    if (bad) {
        log_warn("checkin", "appointment %s has a business type this kiosk does not know", appt_id);
        return 1;
    }
    return 0;
}

/* A divorce's withdrawal or second visit on today's date: where it stands in its period. */
static enum checkin_find divorce_period(struct app *a, struct checkin *c, int64_t now) {
    if (!business_info(c->biz)->needs_accepted)
        return CHECKIN_FOUND;
    switch (business_divorce_check(c->biz, c->accepted_on, caltime_yyyymmdd(now), office_open_on, a,
                                   &c->period)) {
    case DIVORCE_OK:
        return CHECKIN_FOUND;
    case DIVORCE_NOT_YET:
        return CHECKIN_NOT_YET;
    case DIVORCE_LAPSED:
        return CHECKIN_LAPSED;
    case DIVORCE_COOLED:
        return CHECKIN_COOLED;
    case DIVORCE_BAD_DATE:
        break;
    }
    log_warn("checkin", "appointment %s: a %s booking without a valid 受理 date", c->appt_id,
             business_code(c->biz));
    return CHECKIN_BAD_BOOKING;
}

const char *checkin_room(struct app *a, const struct checkin *c, enum business b, const char *lang) {
    bool en = !strcmp(lang, "en");
    if (b == BIZ_CEREMONY && c && c->hall[0])
        return c->hall;
    const char *room = en ? a->cfg.biz[b].room_en : a->cfg.biz[b].room;
    if (room[0])
        return room;
    if (en && a->cfg.biz[b].room[0]) /* named by the office in Chinese only */
        return a->cfg.biz[b].room;
    char key[64];
    snprintf(key, sizeof key, "business.room_%s", business_code(b));
    return i18n_get_in(a->i18n, lang, key);
}

/* The part of a booking QR that is the booking number: a bare number, or the value after the
 * last '=' of a link. Upper-case, for ID numbers with an x. */
static void normalize(const char *key, char *out, size_t cap) {
    const char *eq = strrchr(key, '=');
    snprintf(out, cap, "%s", eq ? eq + 1 : key);
    size_t n = strlen(out);
    while (n && (out[n - 1] == ' ' || out[n - 1] == '\r' || out[n - 1] == '\n'))
        out[--n] = 0;
    if (n == 18 && out[17] == 'x')
        out[17] = 'X';
}

enum checkin_find checkin_find(struct app *a, const char *key, struct checkin *c) {
    memset(c, 0, sizeof *c);
    if (!a->store)
        return CHECKIN_FAILED;
    char k[128], id[64];
    normalize(key, k, sizeof k);
    int64_t now = clock_wall_s(a->clock), d0 = day_start(now);
    int rc = store_appointment_find(a->store, k, d0, d0 + DAY, id);
    if (rc == STORE_ERR_NOT_FOUND) {
        /* another day? (the cache holds what the registry sent for this office) */
        rc = store_appointment_find(a->store, k, d0 + DAY, d0 + 400 * DAY, id);
        if (rc == STORE_ERR_NOT_FOUND)
            rc = store_appointment_find(a->store, k, d0 - 400 * DAY, d0, id);
        if (rc != STORE_OK)
            return rc == STORE_ERR_NOT_FOUND ? CHECKIN_NOT_FOUND : CHECKIN_FAILED;
        rc = load(a, id, c);
        if (rc != 0)
            return rc > 0 ? CHECKIN_BAD_BOOKING : CHECKIN_FAILED;
        c->other_day_start = c->slot_start;
        return CHECKIN_OTHER_DAY;
    }
    if (rc != STORE_OK)
        return CHECKIN_FAILED;
    rc = load(a, id, c);
    if (rc != 0)
        return rc > 0 ? CHECKIN_BAD_BOOKING : CHECKIN_FAILED;
    rc = store_checkin_find(a->store, c->appt_id, c->queue, c->record_id);
    if (rc == STORE_OK)
        return CHECKIN_ALREADY;
    if (rc != STORE_ERR_NOT_FOUND)
        return CHECKIN_FAILED;
    /* booked here: at the office, or at the roving point the kiosk stands at */
    const struct cal_roving *here = office_roving(a);
    if (strcmp(c->point, here ? here->id : "") != 0)
        return CHECKIN_OTHER_PLACE;
    enum checkin_find period = divorce_period(a, c, now);
    if (period != CHECKIN_FOUND)
        return period;
    c->opens_at = c->slot_start - a->cfg.checkin_early_min * 60;
    if (now < c->opens_at)
        return CHECKIN_TOO_EARLY;
    if (now > c->slot_end + a->cfg.checkin_late_min * 60)
        return CHECKIN_TOO_LATE;
    return CHECKIN_FOUND;
}

bool checkin_card_elsewhere(const struct app *a, const struct idcard_info *card) {
    switch (card->type) {
    case IDCARD_HKMT_RESIDENCE:
        return !a->cfg.designated_hkmt;
    case IDCARD_FOREIGN_PERMANENT:
    case IDCARD_FOREIGN_PERMANENT_23:
        return !a->cfg.designated_foreign;
    case IDCARD_RESIDENT:
        break;
    }
    return false;
}

bool checkin_card_number_ok(const struct app *a, const struct idcard_info *card) {
    static const enum card_kind kinds[] = {[IDCARD_RESIDENT] = CARD_KIND_RESIDENT,
                                           [IDCARD_HKMT_RESIDENCE] = CARD_KIND_HKMT,
                                           [IDCARD_FOREIGN_PERMANENT] = CARD_KIND_FOREIGN_2017,
                                           [IDCARD_FOREIGN_PERMANENT_23] = CARD_KIND_FOREIGN_2023};
    if ((unsigned)card->type >= sizeof kinds / sizeof kinds[0])
        return false;
    char id[24];
    normalize(card->id_number, id, sizeof id);
    bool ok = rules_card_number_ok(kinds[card->type], id, today_yyyymmdd(clock_wall_s(a->clock)));
    if (!ok)
        log_warn("checkin", "a %s card whose number has not its format: refused",
                 idcard_type_name(card->type));
    return ok;
}

enum checkin_card checkin_card(struct app *a, struct checkin *c, const struct idcard_info *card) {
    char id[24];
    normalize(card->id_number, id, sizeof id);
    bool is_a = c->id_a[0] && !strcmp(id, c->id_a), is_b = c->id_b[0] && !strcmp(id, c->id_b);
    if (!is_a && !is_b)
        return CARD_NOT_PARTY;
    if (!rules_card_valid_on(card->valid_from, card->valid_to,
                             today_yyyymmdd(clock_wall_s(a->clock))))
        return CARD_EXPIRED;
    if ((is_a && c->present_a) || (is_b && c->present_b))
        return CARD_AGAIN;
    if (is_a)
        c->present_a = true;
    else
        c->present_b = true;
    return CARD_ACCEPTED;
}

bool checkin_complete(const struct checkin *c) {
    if (business_info(c->biz)->one_party)
        return c->present_a || c->present_b;
    return c->present_a && (c->present_b || !c->id_b[0]);
}

static void sign(struct app *a, struct checkin *c);

int checkin_walk_in(struct app *a, struct checkin *c, const char *id_number) {
    memset(c, 0, sizeof *c);
    if (!id_number || !id_number[0])
        return 1; /* a number is for a person: their card first */
    if (!checkin_walk_in_now(a))
        return 1; /* the office is closed: no number (the screen says when it opens) */
    snprintf(c->id_a, sizeof c->id_a, "%s", id_number);
    int64_t now = clock_wall_s(a->clock), at = 0;
    int rc = store_walk_in_find(a->store, id_number, day_start(now), c->queue, c->record_id, &at);
    if (rc == STORE_OK) { /* one a person a day: the same number again, and its receipt */
        c->again = true;
        c->at = at;
        log_info("checkin", "walk-in number %s given again (one a person a day)", c->queue);
        sign(a, c);
        checkin_print(a, c);
        return 0;
    }
    if (rc != STORE_ERR_NOT_FOUND) {
        app_store_failed(a, rc);
        return -1;
    }
    return checkin_record(a, c);
}

bool checkin_walk_in_now(struct app *a) {
    struct office_status st;
    office_status(a, &st);
    return a->cfg.checkin_walk_in && st.now == OFFICE_OPEN;
}

int checkin_record(struct app *a, struct checkin *c) {
    int64_t now = clock_wall_s(a->clock);
    bool walk_in = !c->appt_id[0];
    int rc = store_next_queue_no(a->store, walk_in ? "W" : a->cfg.biz[c->biz].prefix,
                                 day_start(now), a->cfg.queue_start, c->queue);
    cJSON *o = cJSON_CreateObject();
    if (walk_in) {
        cJSON_AddTrueToObject(o, "walk_in");
    } else {
        cJSON_AddStringToObject(o, "appointment_id", c->appt_id);
        cJSON_AddStringToObject(o, "booking_no", c->booking_no);
        cJSON_AddNumberToObject(o, "slot_start", (double)c->slot_start); /* the queue's order */
    }
    /* the type and where it is done: the office's queue calls it to that room */
    cJSON_AddStringToObject(o, "business", business_code(c->biz));
    cJSON_AddStringToObject(o, "room", checkin_room(a, c, c->biz, "zh-CN"));
    if (c->point[0])
        cJSON_AddStringToObject(o, "point", c->point);
    if (c->accepted_on) {
        char d[16];
        snprintf(d, sizeof d, "%04d-%02d-%02d", c->accepted_on / 10000, c->accepted_on / 100 % 100,
                 c->accepted_on % 100);
        cJSON_AddStringToObject(o, "accepted_on", d);
        cJSON_AddNumberToObject(o, "period_day", c->period.day);
    }
    if (c->counsellor[0])
        cJSON_AddStringToObject(o, "counsellor", c->counsellor);
    cJSON_AddStringToObject(o, "office", a->cfg.office_code);
    cJSON_AddStringToObject(o, "queue_no", c->queue);
    cJSON_AddNumberToObject(o, "checked_in_at", (double)now);
    if (c->id_a[0])
        cJSON_AddStringToObject(o, "party_a_id", c->id_a);
    if (c->id_b[0])
        cJSON_AddStringToObject(o, "party_b_id", c->id_b);
    char *json = cJSON_PrintUnformatted(o);
    json_wipe_delete(o); /* the parties' ID numbers */
    char id[UUID_STR_LEN];
    if (rc == STORE_OK)
        rc = json ? store_add_checkin(a->store, c->appt_id, c->queue, json, id) : STORE_ERR_IO;
    if (app_record_stored(a, rc, json) != 0)
        return -1;
    snprintf(c->record_id, sizeof c->record_id, "%s", id);
    c->at = now;
    log_info("checkin", "checked in: %s, queue %s, record %s", business_code(c->biz), c->queue,
             c->record_id);
    sign(a, c);
    checkin_print(a, c);
    if (a->workers_running) {
        workers_sync_now(&a->workers);
        /* answered after the sync that sends it: where it waits in the office's queue */
        c->queue_asked = office_queue_ask(a, c->record_id);
    }
    return 0;
}

bool checkin_queue_answer(struct checkin *c, const struct device_event *ev) {
    if (c->queue_asked && office_queue_answer(ev, c->record_id, &c->ahead, &c->wait_min))
        c->queue_known = true;
    return c->queue_known;
}

/* The receipt token of c (empty when it cannot be signed: the receipt goes without QR). */
static void sign(struct app *a, struct checkin *c) {
    paper_sign(a, 'C', c->record_id, c->at, c->queue, c->token, sizeof c->token);
}

int checkin_reprint(struct app *a, struct checkin *c, const struct store_receipt *r) {
    memset(c, 0, sizeof *c);
    if (!a->store || r->kind != 'C')
        return -1;
    snprintf(c->record_id, sizeof c->record_id, "%s", r->id);
    snprintf(c->queue, sizeof c->queue, "%s", r->queue_no);
    c->at = r->created;
    /* a walk-in's receipt has its number and time only */
    if (r->appointment_id[0] && load(a, r->appointment_id, c) < 0)
        return -1;
    sign(a, c);
    checkin_print(a, c);
    return 0;
}

static void hhmm(int64_t t, char *out, size_t cap) {
    caltime_format(t, "%H:%M", out, cap);
}

/* d (yyyymmdd) as YYYY-MM-DD */
static void ymd(int d, char *out, size_t cap) {
    snprintf(out, cap, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

void checkin_print(struct app *a, const struct checkin *c) {
    char na[120], nb[120], booking[80], slot[64], at[64], s1[8], s2[8], ma[96], mb[96];
    char na_en[120], nb_en[120], booking_en[80], slot_en[64], at_en[64];
    char biz[160], biz_en[160], room[160], room_en[160], extra[160], extra_en[160];
    mask_name(c->name_a, ma, sizeof ma);
    mask_name(c->name_b, mb, sizeof mb);
    snprintf(na, sizeof na, "当事人：%s", ma);
    snprintf(nb, sizeof nb, "当事人：%s", mb);
    snprintf(na_en, sizeof na_en, "Party: %s", ma);
    snprintf(nb_en, sizeof nb_en, "Party: %s", mb);
    snprintf(booking, sizeof booking, "预约号：%s", c->booking_no);
    snprintf(booking_en, sizeof booking_en, "Booking number: %s", c->booking_no);
    hhmm(c->slot_start, s1, sizeof s1);
    hhmm(c->slot_end, s2, sizeof s2);
    snprintf(slot, sizeof slot, "预约时段：%s–%s", s1, s2);
    snprintf(slot_en, sizeof slot_en, "Booked for: %s-%s", s1, s2);
    char when[24];
    caltime_format(c->at, "%Y-%m-%d %H:%M", when, sizeof when);
    snprintf(at, sizeof at, "签到时间：%s", when);
    snprintf(at_en, sizeof at_en, "Checked in: %s", when);
    char key[64];
    snprintf(key, sizeof key, "business.name_%s", business_code(c->biz));
    snprintf(biz, sizeof biz, "办理事项：%s", i18n_get_in(a->i18n, "zh-CN", key));
    snprintf(biz_en, sizeof biz_en, "Service: %s", i18n_get_in(a->i18n, "en", key));
    snprintf(room, sizeof room, "办理地点：%s", checkin_room(a, c, c->biz, "zh-CN"));
    snprintf(room_en, sizeof room_en, "Where: %s", checkin_room(a, c, c->biz, "en"));
    extra[0] = extra_en[0] = 0;
    if (c->accepted_on) {
        char d[16];
        ymd(c->accepted_on, d, sizeof d);
        snprintf(extra, sizeof extra, "受理日期：%s（今天是第%d日）", d, c->period.day);
        snprintf(extra_en, sizeof extra_en, "Accepted on: %s (today is day %d)", d, c->period.day);
    } else if (c->counsellor[0]) {
        snprintf(extra, sizeof extra, "辅导员：%s", c->counsellor);
        snprintf(extra_en, sizeof extra_en, "Counsellor: %s", c->counsellor);
    }
    bool booked = c->appt_id[0] != 0, one = business_info(c->biz)->one_party;
    struct paper p = {.title = booked ? "预约签到回执" : "现场取号回执",
                      .title_en = booked ? "Check-in receipt" : "Walk-in ticket",
                      .big_label = "排队号",
                      .big_label_en = "Your number",
                      .big = c->queue,
                      .token = c->token,
                      .footer = "请留意叫号，凭此回执到窗口办理。",
                      .footer_en = "Please wait for your number to be called; bring this "
                                   "receipt to the window."};
#define ADD(zh, en)                                                                                \
    do {                                                                                           \
        p.lines_en[p.nlines] = en;                                                                 \
        p.lines[p.nlines++] = zh;                                                                  \
    } while (0)
    ADD(biz, biz_en);
    if (booked) {
        /* one party's business: the one who came */
        if (!one || c->present_a || !c->present_b)
            ADD(na, na_en);
        if (c->id_b[0] && (!one || c->present_b))
            ADD(nb, nb_en);
        ADD(booking, booking_en);
        ADD(slot, slot_en);
        if (extra[0])
            ADD(extra, extra_en);
    }
    ADD(room, room_en);
    ADD(at, at_en);
#undef ADD
    paper_print(a, &p);
}
