/* joint: see joint.h. */
#include "joint.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "business.h"
#include "caltime.h"
#include "clock.h"
#include "crypto.h"
#include "file.h"
#include "json.h"
#include "log.h"
#include "i18n.h"
#include "mask.h"
#include "office.h"
#include "paper.h"
#include "rules.h"
#include "store.h"

const struct form *joint_form(struct app *a) {
    return content_form(&a->content);
}

void joint_set(struct joint *j, const char *key, const char *value) {
    for (int i = 0; i < j->v.n; i++)
        if (!strcmp(j->v.key[i], key)) {
            snprintf(j->vals[i], JOINT_VALUE_BYTES, "%s", value);
            return;
        }
    if (j->v.n < FORM_VALUES_MAX) {
        snprintf(j->vals[j->v.n], JOINT_VALUE_BYTES, "%s", value);
        /* the key must outlive the session: take the form's own string */
        const struct form *f = j->form;
        const char *stable = NULL;
        for (int p = 0; f && !stable && p < form_page_count(f); p++)
            for (int k = 0; !stable && k < form_field_count(f, p); k++) {
                struct form_field_info fi;
                if (form_field_info(f, p, k, "zh-CN", &fi) == 0 && !strcmp(fi.id, key))
                    stable = fi.id;
            }
        if (!stable)
            return; /* not a field of the form */
        j->v.key[j->v.n] = stable;
        j->v.val[j->v.n] = j->vals[j->v.n];
        j->v.n++;
    }
}

const char *joint_get(const struct joint *j, const char *key) {
    return form_value(&j->v, key);
}

static int today(struct app *a) {
    return caltime_yyyymmdd(clock_wall_s(a->clock));
}

static bool is_en(struct app *a) {
    return !strcmp(i18n_lang(a->i18n), "en");
}

void joint_service_ids(struct app *a, const struct joint *j, const char **out, int max) {
    const struct form *f = joint_form(a);
    int n = 0;
    for (int i = 0; f && i < form_service_count(f) && i < JOINT_SERVICES_MAX && n < max - 1; i++) {
        const char *label;
        bool always;
        const char *id = form_service_at(f, i, "zh-CN", &label, &always);
        if (!always && j->services[i])
            out[n++] = id;
    }
    out[n] = NULL;
}

/* Whether field is on the form's page (any page: -1) and, with card, a card field. */
static bool field_of(const struct form *f, int page, const char *field, bool card) {
    for (int p = page < 0 ? 0 : page; p < (page < 0 ? form_page_count(f) : page + 1); p++)
        for (int k = 0; k < form_field_count(f, p); k++) {
            struct form_field_info fi;
            if (form_field_info(f, p, k, "zh-CN", &fi) == 0 && !strcmp(fi.id, field))
                return fi.from_card == card;
        }
    return false;
}

/* The form's errors (at most max into out; NULL: counted only) of the fields of page (-1:
 * every page) that come from the card (card) or are typed (!card), and whose id starts with
 * prefix (NULL: any). Returns how many there are. */
static int errors_of(struct app *a, struct joint *j, const char *prefix, int page, bool card,
                     struct form_error *out, int max) {
    const struct form *f = joint_form(a);
    if (!f)
        return 0;
    const char *svc[JOINT_SERVICES_MAX + 1];
    joint_service_ids(a, j, svc, JOINT_SERVICES_MAX + 1);
    struct form_error errs[32];
    int n = form_validate(f, &j->v, svc, today(a), errs, 32), found = 0;
    for (int i = 0; i < n && i < 32; i++) {
        if ((prefix && strncmp(errs[i].field, prefix, strlen(prefix)) != 0) ||
            !field_of(f, page, errs[i].field, card))
            continue;
        if (out && found < max)
            out[found] = errs[i];
        found++;
    }
    explicit_bzero(errs, sizeof errs);
    return found;
}

/* Takes the marriage booking of appointment id into j: 0, 1 when it is not a marriage
 * booking, -1 when it cannot be read. */
static int take_booking(struct app *a, struct joint *j, const char *id) {
    char *json = NULL;
    if (store_appointment_get(a->store, id, &json) != STORE_OK)
        return -1;
    cJSON *o = cJSON_Parse(json);
    json_wipe_free(json);
    enum business b;
    int rc = !o ? -1
             : business_from_code(cJSON_GetStringValue(cJSON_GetObjectItem(o, "type")), &b) != 0 ||
                     b != BIZ_MARRIAGE
                 ? 1
                 : 0;
    if (rc == 0) {
        snprintf(j->appt_id, sizeof j->appt_id, "%s", id);
        snprintf(j->booking_no, sizeof j->booking_no, "%s", json_str_or(o, "booking_no", ""));
        snprintf(j->booked_id[0], sizeof j->booked_id[0], "%s", json_str_or(o, "party_a_id", ""));
        snprintf(j->booked_id[1], sizeof j->booked_id[1], "%s", json_str_or(o, "party_b_id", ""));
        const cJSON *names = cJSON_GetObjectItem(o, "names");
        snprintf(j->booked_name[0], sizeof j->booked_name[0], "%s", json_str_or(names, "a", ""));
        snprintf(j->booked_name[1], sizeof j->booked_name[1], "%s", json_str_or(names, "b", ""));
    }
    json_wipe_delete(o);
    return rc;
}

/* The couple's marriage booking by key (an ID number or a booking number), from today on. */
static int find_booking(struct app *a, struct joint *j, const char *key) {
    char id[64];
    int64_t d0 = caltime_day_start(clock_wall_s(a->clock));
    if (!a->store ||
        store_appointment_find(a->store, key, d0, d0 + INT64_C(100) * 366 * 86400, id) != STORE_OK)
        return 1;
    return take_booking(a, j, id);
}

int joint_booking_by_code(struct app *a, struct joint *j, const char *code) {
    const char *eq = strrchr(code, '='); /* a link's last value, as at check-in */
    char k[64];
    snprintf(k, sizeof k, "%s", eq ? eq + 1 : code);
    k[strcspn(k, "\r\n ")] = 0;
    memset(j->appt_id, 0, sizeof j->appt_id);
    return find_booking(a, j, k);
}

/* Whether the card may apply: with a booking, it is one of its parties (the first card finds
 * the booking when none was scanned); without one, only where the office does not require it
 * ([joint] booking = optional). 0, or -1 with why. */
static int check_booking(struct app *a, struct joint *j, const struct idcard_info *card,
                         char *why, size_t cap) {
    if (!j->appt_id[0] && find_booking(a, j, card->id_number) < 0) {
        snprintf(why, cap, "%s", app_tr(a, "joint.booking_failed"));
        return -1;
    }
    if (!j->appt_id[0]) {
        if (!a->cfg.joint_booking_required)
            return 0;
        const char *args[] = {"t", app_joint_title(a), NULL};
        i18n_format(a->i18n, "joint.no_booking", args, why, cap);
        return -1;
    }
    if (rules_same_person(card->id_number, j->booked_id[0]) ||
        rules_same_person(card->id_number, j->booked_id[1]))
        return 0;
    const char *args[] = {"b", j->booking_no, NULL};
    i18n_format(a->i18n, "joint.not_booked", args, why, cap);
    return -1;
}

int joint_card(struct app *a, struct joint *j, char p, const struct idcard_info *card, char *why,
               size_t cap) {
    /* Shandong's scope: mainland residents only; the others register as before, at a window */
    if (card->type != IDCARD_RESIDENT) {
        const char *args[] = {"t", app_joint_title(a), NULL};
        i18n_format(a->i18n, "joint.not_mainland", args, why, cap);
        return -1;
    }
    char k[32];
#define SET(field, value)                                                                          \
    do {                                                                                           \
        snprintf(k, sizeof k, "%c.%s", p, field);                                                  \
        joint_set(j, k, value);                                                                    \
    } while (0)
    SET("name", card->name);
    SET("sex", card->sex_code);
    SET("ethnicity", card->ethnicity_code);
    SET("birth", card->birth);
    SET("address", card->address);
    SET("authority", card->authority);
    SET("id_number", card->id_number);
    SET("valid_from", card->valid_from);
    SET("valid_to", card->valid_to);
#undef SET
    char prefix[4] = {p, '.', 0};
    /* the card's own checks, and (for B) the couple's: not the same person, a man and a woman */
    struct form_error first;
    if (errors_of(a, j, prefix, -1, true, &first, 1)) {
        snprintf(why, cap, "%s", first.message[is_en(a) ? 1 : 0]);
    } else if (check_booking(a, j, card, why, cap) == 0) { /* a follow-on to their booking */
        /* this party's own card: their consent to the notice they were shown */
        *(p == 'a' ? &j->consent_a : &j->consent_b) = clock_wall_s(a->clock);
        return 0;
    }
    /* a card refused leaves nothing of it in the application */
    static const char *const fields[] = {"name",      "sex",        "ethnicity", "birth",
                                         "address",   "authority",  "id_number", "valid_from",
                                         "valid_to"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        snprintf(k, sizeof k, "%c.%s", p, fields[i]);
        joint_set(j, k, "");
    }
    return -1;
}

int joint_page_errors(struct app *a, struct joint *j, int page, struct form_error *out, int max) {
    if (page >= 0) { /* a page's typed fields */
        int n = errors_of(a, j, NULL, page, false, out, max);
        return n < max ? n : max;
    }
    /* the whole form: the card's fields and the typed ones */
    int n = errors_of(a, j, NULL, -1, true, out, max);
    n = n < max ? n : max;
    int m = errors_of(a, j, NULL, -1, false, out + n, max - n);
    return n + (m < max - n ? m : max - n);
}

void joint_derive(struct joint *j) {
    /* moving into the spouse's household: the relation to the 户主 is 配偶, unless chosen */
    if (!strcmp(joint_get(j, "h.head_is_spouse"), "true") && !joint_get(j, "h.relation")[0])
        joint_set(j, "h.relation", "10");
}

const char *joint_spouse_of_mover(const struct joint *j) {
    const char *m = joint_get(j, "h.mover");
    return !strcmp(m, "a") ? "b" : !strcmp(m, "b") ? "a" : NULL;
}

char joint_confirm(struct joint *j, const struct idcard_info *card) {
    if (!strcmp(card->id_number, joint_get(j, "a.id_number"))) {
        j->confirmed_a = true;
        return 'a';
    }
    if (!strcmp(card->id_number, joint_get(j, "b.id_number"))) {
        j->confirmed_b = true;
        return 'b';
    }
    return 0;
}

static void print_receipt(struct app *a, struct joint *j) {
    char na[120], nb[120], svc[200] = "业务：结婚登记", at[64], ma[96], mb[96];
    char na_en[120], nb_en[120], svc_en[240] = "Services: marriage registration", at_en[64];
    mask_name(joint_get(j, "a.name"), ma, sizeof ma);
    mask_name(joint_get(j, "b.name"), mb, sizeof mb);
    snprintf(na, sizeof na, "申请人：%s", ma);
    snprintf(nb, sizeof nb, "申请人：%s", mb);
    snprintf(na_en, sizeof na_en, "Applicant (the man): %s", ma);
    snprintf(nb_en, sizeof nb_en, "Applicant (the woman): %s", mb);
    const struct form *f = joint_form(a);
    bool hukou = false;
    /* the departments it goes to, each once */
    char dept[300] = "办理部门：", dept_en[400] = "Sent to: ";
    for (int i = 0; f && i < form_service_count(f) && i < JOINT_SERVICES_MAX; i++) {
        const char *label, *label_en;
        bool always;
        const char *id = form_service_at(f, i, "zh-CN", &label, &always);
        form_service_at(f, i, "en", &label_en, &always);
        if (!always && !j->services[i])
            continue;
        if (!always) {
            size_t len = strlen(svc), len_en = strlen(svc_en);
            snprintf(svc + len, sizeof svc - len, "、%s", label);
            snprintf(svc_en + len_en, sizeof svc_en - len_en, ", %s", label_en);
            hukou = hukou || !strcmp(id, "hukou");
        }
        const char *d = form_service_department(f, i, "zh-CN"), *d_en = form_service_department(f, i, "en");
        if (!strstr(dept, d)) {
            size_t len = strlen(dept), len_en = strlen(dept_en);
            bool first = len == strlen("办理部门：");
            snprintf(dept + len, sizeof dept - len, "%s%s", first ? "" : "、", d);
            snprintf(dept_en + len_en, sizeof dept_en - len_en, "%s%s", first ? "" : "; ", d_en);
        }
    }
    char booking[80], booking_en[80];
    snprintf(booking, sizeof booking, "结婚登记预约号：%s", j->booking_no);
    snprintf(booking_en, sizeof booking_en, "Marriage booking: %s", j->booking_no);
    char title[120], title_en[160];
    snprintf(title, sizeof title, "%s 申请回执", f ? form_title(f, "zh-CN") : "婚育户一件事");
    snprintf(title_en, sizeof title_en, "%s: application receipt",
             f ? form_title(f, "en") : "Marriage, Birth & Hukou");
    char when[24];
    caltime_format(j->at, "%Y-%m-%d %H:%M", when, sizeof when);
    snprintf(at, sizeof at, "提交时间：%s", when);
    snprintf(at_en, sizeof at_en, "Submitted: %s", when);
    struct paper p = {.title = title,
                      .title_en = title_en,
                      .big_label = "排队号",
                      .big_label_en = "Your number",
                      .big = j->queue,
                      .token = j->token,
                      .footer = "请双方持身份证到候号区等候叫号，到窗口在登记员面前签字确认。",
                      .footer_en = "Both of you, please wait in the waiting area with your ID "
                                   "cards; sign at the window before the registrar."};
    const char *const zh[] = {na, nb, svc, dept, j->booking_no[0] ? booking : NULL, at};
    const char *const en[] = {na_en, nb_en, svc_en, dept_en, booking_en, at_en};
    for (size_t i = 0; i < sizeof zh / sizeof zh[0]; i++) {
        if (!zh[i])
            continue;
        p.lines_en[p.nlines] = en[i];
        p.lines[p.nlines++] = zh[i];
    }
    /* the household move into another's household: the 户主 consents in person, at the window */
    if (hukou && strcmp(joint_get(j, "h.head_is_spouse"), "true") != 0) {
        p.lines_en[p.nlines] = "The head of household must sign at the window in person.";
        p.lines[p.nlines++] = "户主须本人到窗口签字同意迁入";
    }
    paper_print(a, &p);
}

/* The record with each party's consent: {"consent": {"notice": VERSION, "a": T, "b": T,
 * "head": "spouse" | "at_window"}} ("head" only with the household move). Takes record. */
static char *with_consent(const struct form *f, const struct joint *j, char *record) {
    cJSON *r = record ? cJSON_Parse(record) : NULL;
    json_wipe_free(record);
    if (!r)
        return NULL;
    cJSON *c = cJSON_AddObjectToObject(r, "consent");
    cJSON_AddStringToObject(c, "notice", form_notice_version(f));
    cJSON_AddNumberToObject(c, "a", (double)j->consent_a);
    cJSON_AddNumberToObject(c, "b", (double)j->consent_b);
    const cJSON *svc;
    cJSON_ArrayForEach(svc, cJSON_GetObjectItem(r, "services")) {
        if (strcmp(cJSON_GetStringValue(svc) ? cJSON_GetStringValue(svc) : "", "hukou") != 0)
            continue;
        bool spouse = !strcmp(joint_get(j, "h.head_is_spouse"), "true");
        cJSON_AddStringToObject(c, "head", spouse ? "spouse" : "at_window");
        /* the 户主 is the spouse, whose card was read: their name and number, not typed */
        const char *p = joint_spouse_of_mover(j);
        cJSON *vals = cJSON_GetObjectItem(r, "values");
        if (spouse && p && vals) {
            char k[16];
            snprintf(k, sizeof k, "%s.name", p);
            cJSON_AddStringToObject(vals, "h.head_name", joint_get(j, k));
            snprintf(k, sizeof k, "%s.id_number", p);
            cJSON_AddStringToObject(vals, "h.head_id_number", joint_get(j, k));
        }
    }
    char *out = cJSON_PrintUnformatted(r);
    json_wipe_delete(r);
    return out;
}

int joint_submit(struct app *a, struct joint *j, char *why, size_t cap) {
    const struct form *f = joint_form(a);
    if (!f) {
        snprintf(why, cap, "%s", app_tr(a, "joint.broken"));
        return 1;
    }
    const char *svc[JOINT_SERVICES_MAX + 1];
    joint_service_ids(a, j, svc, JOINT_SERVICES_MAX + 1);
    struct form_error errs[8];
    int n = form_validate(f, &j->v, svc, today(a), errs, 8);
    if (n > 0) {
        snprintf(why, cap, "%s", errs[0].message[is_en(a) ? 1 : 0]);
        return n;
    }
    /* the couple's number in the office's queue, in the record as on the receipt */
    int64_t now = clock_wall_s(a->clock);
    int rc = store_next_queue_no(a->store, "J", caltime_day_start(now), a->cfg.queue_start,
                                 j->queue);
    char *json = with_consent(f, j, form_record(f, &j->v, svc));
    if (json && rc == STORE_OK) {
        cJSON *r = cJSON_Parse(json);
        json_wipe_free(json);
        json = NULL;
        if (r) {
            cJSON_AddStringToObject(r, "queue_no", j->queue);
            cJSON_AddStringToObject(r, "office", a->cfg.office_code);
            if (j->appt_id[0]) { /* the marriage booking it follows */
                cJSON_AddStringToObject(r, "appointment_id", j->appt_id);
                cJSON_AddStringToObject(r, "booking_no", j->booking_no);
            }
            json = cJSON_PrintUnformatted(r);
            json_wipe_delete(r);
        }
    }
    char id[UUID_STR_LEN];
    if (rc == STORE_OK)
        rc = json ? store_add_application_queued(a->store, "joint", json,
                                                 joint_get(j, "a.id_number"),
                                                 joint_get(j, "b.id_number"), j->queue, id)
                  : STORE_ERR_IO;
    if (app_record_stored(a, rc, json) != 0)
        return -1;
    snprintf(j->record_id, sizeof j->record_id, "%s", id);
    j->at = clock_wall_s(a->clock);
    log_info("joint", "application submitted: record %s, queue %s", j->record_id, j->queue);
    paper_sign(a, 'J', j->record_id, j->at, j->queue, j->token, sizeof j->token);
    print_receipt(a, j);
    if (a->workers_running)
        workers_sync_now(&a->workers);
    j->queue_asked = office_queue_ask(a, j->record_id); /* answered after that sync */
    return 0;
}

int joint_reprint(struct app *a, const struct store_receipt *r) {
    const struct form *f = joint_form(a);
    struct joint *j = f ? session_alloc(&a->session, sizeof *j) : NULL;
    char *json = NULL;
    if (!j || !a->store || r->kind != 'J' || store_get_application(a->store, r->id, &json) != STORE_OK)
        return -1;
    cJSON *o = cJSON_Parse(json);
    json_wipe_free(json);
    if (!o)
        return -1;
    j->form = f;
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(o, "values")) {
        if (cJSON_IsString(v) && v->string)
            joint_set(j, v->string, v->valuestring);
    }
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(o, "services")) {
        for (int i = 0; cJSON_IsString(v) && i < form_service_count(f) && i < JOINT_SERVICES_MAX; i++) {
            const char *label;
            bool always;
            if (!strcmp(form_service_at(f, i, "zh-CN", &label, &always), v->valuestring))
                j->services[i] = !always;
        }
    }
    snprintf(j->booking_no, sizeof j->booking_no, "%s", json_str_or(o, "booking_no", ""));
    json_wipe_delete(o);
    snprintf(j->record_id, sizeof j->record_id, "%s", r->id);
    snprintf(j->queue, sizeof j->queue, "%s", r->queue_no);
    j->at = r->created;
    paper_sign(a, 'J', j->record_id, j->at, j->queue, j->token, sizeof j->token);
    print_receipt(a, j);
    explicit_bzero(j, sizeof *j);
    return 0;
}
