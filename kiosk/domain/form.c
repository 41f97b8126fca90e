/* form: see form.h (cJSON walks the form as data). */
#include "form.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "rules.h"
#include "utf8.h"

struct form {
    cJSON *form;
    cJSON *codes;
};

/* Each variant lists known services, marriage among them. */
static bool variants_ok(const cJSON *form) {
    const cJSON *v, *id;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(form, "variants")) {
        const cJSON *list = cJSON_GetObjectItem(v, "services");
        bool marriage = false;
        if (!cJSON_IsArray(list) || !cJSON_IsObject(cJSON_GetObjectItem(v, "title")))
            return false;
        cJSON_ArrayForEach(id, list) {
            bool known = false;
            const cJSON *sv;
            cJSON_ArrayForEach(sv, cJSON_GetObjectItem(form, "services")) {
                const char *sid = cJSON_GetStringValue(cJSON_GetObjectItem(sv, "id"));
                known = known || (sid && cJSON_IsString(id) && !strcmp(sid, id->valuestring));
            }
            if (!known)
                return false;
            marriage = marriage || !strcmp(id->valuestring, "marriage");
        }
        if (!marriage)
            return false;
    }
    return true;
}

/* Every service names the department it goes to. */
static bool departments_named(const cJSON *form) {
    const cJSON *sv;
    cJSON_ArrayForEach(sv, cJSON_GetObjectItem(form, "services")) {
        const char *d = cJSON_GetStringValue(cJSON_GetObjectItem(sv, "department"));
        const char *n = cJSON_GetStringValue(
            cJSON_GetObjectItem(cJSON_GetObjectItem(sv, "department_name"), "zh-CN"));
        if (!d || !*d || !n || !*n)
            return false;
    }
    return true;
}

struct form *form_load(const char *form_json, const char *codes_json, char *err, size_t size) {
    struct form *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->form = cJSON_Parse(form_json);
    f->codes = cJSON_Parse(codes_json);
    const char *why = !cJSON_IsObject(f->form)    ? "the form is not JSON"
                      : !cJSON_IsObject(f->codes) ? "the code tables are not JSON"
                      : !cJSON_IsArray(cJSON_GetObjectItem(f->form, "pages"))
                          ? "the form has no pages"
                          : NULL;
    if (!why && !departments_named(f->form))
        why = "a service of the form names no department (department, department_name)";
    if (!why && !variants_ok(f->form))
        why = "a variant of the form has no title or lists a service the form does not have "
              "(marriage must be one)";
    if (why) {
        snprintf(err, size, "%s", why);
        form_free(f);
        return NULL;
    }
    return f;
}

void form_free(struct form *f) {
    if (!f)
        return;
    cJSON_Delete(f->form);
    cJSON_Delete(f->codes);
    free(f);
}

void form_values_set(struct form_values *v, const char *key, const char *val) {
    for (int i = 0; i < v->n; i++) {
        if (!strcmp(v->key[i], key)) {
            v->val[i] = val;
            return;
        }
    }
    if (v->n < FORM_VALUES_MAX) {
        v->key[v->n] = key;
        v->val[v->n++] = val;
    }
}

const char *form_value(const struct form_values *v, const char *key) {
    for (int i = 0; i < v->n; i++) {
        if (!strcmp(v->key[i], key))
            return v->val[i] ? v->val[i] : "";
    }
    return "";
}

static const char *str(const cJSON *o, const char *k) {
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, k));
    return s ? s : "";
}

static bool chosen(const char *const *services, const char *id) {
    if (!strcmp(id, "marriage"))
        return true;
    for (; services && *services; services++) {
        if (!strcmp(*services, id))
            return true;
    }
    return false;
}

static bool visible(const cJSON *field, const struct form_values *v) {
    const cJSON *vi = cJSON_GetObjectItem(field, "visible_if");
    if (!vi)
        return true;
    const char *want = str(vi, "equals"), *have = form_value(v, str(vi, "field"));
    /* an unticked checkbox reads "false" */
    if (!have[0])
        have = "false";
    const cJSON *in = cJSON_GetObjectItem(vi, "in"), *e; /* one of several values */
    if (cJSON_IsArray(in)) {
        cJSON_ArrayForEach(e, in) {
            if (cJSON_IsString(e) && !strcmp(e->valuestring, have))
                return true;
        }
        return false;
    }
    return !strcmp(want, have);
}

static void add_error(struct form_error *errs, int max, int *n, const cJSON *field, const char *zh,
                      const char *en) {
    if (*n < max) {
        struct form_error *e = &errs[*n];
        snprintf(e->field, sizeof e->field, "%s", str(field, "id"));
        const cJSON *label = cJSON_GetObjectItem(field, "label");
        const char *tmpl[2] = {zh, en}, *lab[2] = {str(label, "zh-CN"), str(label, "en")};
        for (int l = 0; l < 2; l++) {
            /* "{label}" in the message becomes the field's label */
            const char *at = strstr(tmpl[l], "{label}");
            if (at)
                snprintf(e->message[l], sizeof e->message[l], "%.*s%s%s", (int)(at - tmpl[l]),
                         tmpl[l], lab[l], at + 7);
            else
                snprintf(e->message[l], sizeof e->message[l], "%s", tmpl[l]);
        }
    }
    (*n)++;
}

static bool in_table(const struct form *f, const char *table, const char *code) {
    const cJSON *t = cJSON_GetObjectItem(f->codes, table), *e;
    cJSON_ArrayForEach(e, t) {
        if (!strcmp(str(e, "code"), code))
            return true;
    }
    return false;
}

static bool phone_ok(const char *p) {
    size_t n = strlen(p), digits = 0;
    if (n == 11 && p[0] == '1' && strspn(p, "0123456789") == 11)
        return true; /* a mobile number */
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)p[i]))
            digits++;
        else if (p[i] != '-')
            return false;
    }
    return p[0] == '0' && digits >= 10 && digits <= 12; /* 0535-1234567 */
}

/* The field's prefix ("a" of "a.id_number"), for rules that read its siblings. */
static void sibling(const char *id, const char *name, char *out, size_t size) {
    const char *dot = strchr(id, '.');
    snprintf(out, size, "%.*s.%s", dot ? (int)(dot - id) : 0, id, name);
}

static void check_rules(const struct form *f, const cJSON *field, const struct form_values *v,
                        int today, struct form_error *errs, int max, int *n) {
    (void)f;
    const char *id = str(field, "id"), *val = form_value(v, id);
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(field, "rules")) {
        const char *rule = cJSON_GetStringValue(r);
        char key[64];
        struct idnum_info info;
        if (!rule || rules_idnum_check(val, today, &info) != IDNUM_OK)
            continue; /* the number itself was reported already */
        /* who is who: the man's step takes a man's card, the woman's a woman's; refused with
         * what to do, so that the review can never show a party with the other's sex */
        if (!strcmp(rule, "male") && !info.male)
            add_error(errs, max, n, field,
                      "这是女方的身份证。这一步请男方放身份证；女方的身份证在下一步再放。",
                      "This is a woman's ID card. This step is for the man's card; the woman "
                      "presents hers at the next step.");
        if (!strcmp(rule, "female") && info.male)
            add_error(errs, max, n, field,
                      "这是男方的身份证。这一步请女方放身份证。",
                      "This is a man's ID card. This step is for the woman's card.");
        if (!strcmp(rule, "marriage_age") && !rules_marriage_age_ok(info.male, info.birth, today))
            add_error(errs, max, n, field,
                      "未达法定婚龄：男方须年满22周岁，女方须年满20周岁，请到登记日再来办理。",
                      "Below the legal age to marry: men must be 22 and women 20 on the day of "
                      "registration.");
        if (!strcmp(rule, "card_valid")) {
            char kf[64], kt[64];
            sibling(id, "valid_from", kf, sizeof kf);
            sibling(id, "valid_to", kt, sizeof kt);
            if (!rules_card_valid_on(form_value(v, kf), form_value(v, kt), today))
                add_error(errs, max, n, field, "身份证不在有效期内，请使用有效的居民身份证。",
                          "The ID card is not valid today. Please use a valid ID card.");
        }
        if (!strcmp(rule, "sex_matches_id")) {
            sibling(id, "sex", key, sizeof key);
            const char *sex = form_value(v, key);
            if ((!strcmp(sex, "1") && !info.male) || (!strcmp(sex, "2") && info.male))
                add_error(errs, max, n, field, "{label}与性别不符，请核对。",
                          "{label} does not match the sex on the card. Please check it.");
        }
    }
}

static void check_field(const struct form *f, const cJSON *field, const struct form_values *v,
                        int today, struct form_error *errs, int max, int *n) {
    const char *type = str(field, "type"), *val = form_value(v, str(field, "id"));
    bool required = cJSON_IsTrue(cJSON_GetObjectItem(field, "required"));
    bool empty = !val[0] || (!strcmp(type, "checkbox") && strcmp(val, "true"));
    if (empty) {
        if (required && !strcmp(type, "checkbox"))
            add_error(errs, max, n, field, "请确认：{label}", "Please confirm: {label}");
        else if (required)
            add_error(errs, max, n, field, "请填写{label}。", "{label}: please fill this in.");
        return;
    }
    const cJSON *maxlen = cJSON_GetObjectItem(field, "max");
    if (cJSON_IsNumber(maxlen) && (double)utf8_count(val) > maxlen->valuedouble) {
        add_error(errs, max, n, field, "{label}太长，请缩短。", "{label}: too long, please shorten it.");
        return;
    }
    if (!strcmp(type, "choice") && !in_table(f, str(field, "codes"), val))
        add_error(errs, max, n, field, "请从列表中选择{label}。",
                  "{label}: please choose one from the list.");
    else if (!strcmp(type, "date") && rules_date_parse(val) < 0)
        add_error(errs, max, n, field, "{label}不是有效日期。", "{label}: not a valid date.");
    else if (!strcmp(type, "date_or_long") && strcmp(val, "长期") && rules_date_parse(val) < 0)
        add_error(errs, max, n, field, "{label}不是有效日期。", "{label}: not a valid date.");
    else if (!strcmp(type, "phone") && !phone_ok(val))
        add_error(errs, max, n, field, "{label}格式不正确，请填写11位手机号或带区号的固定电话。",
                  "{label}: not valid; use an 11-digit mobile number or a landline with "
                  "its area code.");
    else if (!strcmp(type, "id_number")) {
        switch (rules_idnum_check(val, today, NULL)) {
        case IDNUM_OK:
            check_rules(f, field, v, today, errs, max, n);
            break;
        case IDNUM_BAD_CHECK:
            add_error(errs, max, n, field, "{label}校验位不正确，请核对最后一位。",
                      "{label}: the check character is wrong; please check the last one.");
            break;
        case IDNUM_BAD_DATE:
            add_error(errs, max, n, field, "{label}中的出生日期不正确，请核对。",
                      "{label}: the date of birth inside it is not valid; please check it.");
            break;
        default:
            add_error(errs, max, n, field, "{label}应为18位，最后一位可以是X，请核对。",
                      "{label}: must have 18 characters (the last may be X).");
            break;
        }
    }
}

static const cJSON *find_field(const struct form *f, const char *id) {
    const cJSON *page, *field;
    cJSON_ArrayForEach(page, cJSON_GetObjectItem(f->form, "pages")) {
        cJSON_ArrayForEach(field, cJSON_GetObjectItem(page, "fields")) {
            if (!strcmp(str(field, "id"), id))
                return field;
        }
    }
    return NULL;
}

/* The form's checks between the parties: those of identity (different_persons) or the rest. */
static void check_pairs(const struct form *f, const struct form_values *v, bool identity,
                        struct form_error *errs, int max, int *n) {
    const cJSON *check;
    cJSON_ArrayForEach(check, cJSON_GetObjectItem(f->form, "checks")) {
        const cJSON *fields = cJSON_GetObjectItem(check, "fields");
        const char *k0 = cJSON_GetStringValue(cJSON_GetArrayItem(fields, 0));
        const char *k1 = cJSON_GetStringValue(cJSON_GetArrayItem(fields, 1));
        const cJSON *second = k1 ? find_field(f, k1) : NULL;
        const char *rule = str(check, "rule");
        if (!k0 || !second || identity != !strcmp(rule, "different_persons"))
            continue;
        const char *a = form_value(v, k0), *b = form_value(v, k1);
        if (!strcmp(rule, "different_persons") && a[0] && rules_same_person(a, b))
            add_error(errs, max, n, second, "双方不能是同一人，请由另一方刷自己的身份证。",
                      "Both parties are the same person: the other party must present their "
                      "own ID card.");
        if (!strcmp(rule, "man_and_woman") && a[0] && !strcmp(a, b))
            add_error(errs, max, n, second, "结婚登记须由男女双方共同申请（《民法典》第1049条）。",
                      "Marriage registration is for a man and a woman (Civil Code art. 1049).");
    }
}

int form_validate(const struct form *f, const struct form_values *v, const char *const *services,
                  int today, struct form_error *errs, int max) {
    int n = 0;
    const cJSON *page, *field;
    /* the same card twice is "the same person" before whatever else that card is not; a card
     * of the wrong sex for its step says so (the field's rule) before "a man and a woman" */
    check_pairs(f, v, true, errs, max, &n);
    cJSON_ArrayForEach(page, cJSON_GetObjectItem(f->form, "pages")) {
        if (!chosen(services, str(page, "service")))
            continue;
        cJSON_ArrayForEach(field, cJSON_GetObjectItem(page, "fields")) {
            if (visible(field, v))
                check_field(f, field, v, today, errs, max, &n);
        }
    }
    check_pairs(f, v, false, errs, max, &n);
    return n;
}

const char *form_notice_version(const struct form *f) {
    const char *v = cJSON_GetStringValue(
        cJSON_GetObjectItem(cJSON_GetObjectItem(f->form, "notice"), "version"));
    return v && strlen(v) < 64 ? v : "";
}

char *form_record(const struct form *f, const struct form_values *v, const char *const *services) {
    cJSON *r = cJSON_CreateObject(), *svc = cJSON_CreateArray(), *vals = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "form", str(f->form, "id"));
    cJSON_AddNumberToObject(r, "version",
                            cJSON_GetNumberValue(cJSON_GetObjectItem(f->form, "version")));
    const cJSON *s, *page, *field;
    cJSON *items = cJSON_CreateArray(); /* each chosen service with the department it goes to */
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(f->form, "services")) {
        if (!chosen(services, str(s, "id")))
            continue;
        cJSON_AddItemToArray(svc, cJSON_CreateString(str(s, "id")));
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "service", str(s, "id"));
        cJSON_AddStringToObject(it, "department", str(s, "department"));
        cJSON_AddStringToObject(it, "department_name",
                                str(cJSON_GetObjectItem(s, "department_name"), "zh-CN"));
        cJSON_AddItemToArray(items, it);
    }
    cJSON_AddItemToObject(r, "items", items);
    cJSON_ArrayForEach(page, cJSON_GetObjectItem(f->form, "pages")) {
        if (!chosen(services, str(page, "service")))
            continue;
        cJSON_ArrayForEach(field, cJSON_GetObjectItem(page, "fields")) {
            const char *val = form_value(v, str(field, "id"));
            if (visible(field, v) && val[0])
                cJSON_AddStringToObject(vals, str(field, "id"), val);
        }
    }
    cJSON_AddItemToObject(r, "services", svc);
    cJSON_AddItemToObject(r, "values", vals);
    char *out = cJSON_PrintUnformatted(r);
    cJSON_Delete(r);
    return out;
}

static const cJSON *page_at(const struct form *f, int page) {
    return cJSON_GetArrayItem(cJSON_GetObjectItem(f->form, "pages"), page);
}

static const cJSON *field_at(const struct form *f, int page, int field) {
    return cJSON_GetArrayItem(cJSON_GetObjectItem(page_at(f, page), "fields"), field);
}

int form_page_count(const struct form *f) {
    return cJSON_GetArraySize(cJSON_GetObjectItem(f->form, "pages"));
}

const char *form_page_id(const struct form *f, int page) {
    return str(page_at(f, page), "id");
}

const char *form_page_service(const struct form *f, int page) {
    return str(page_at(f, page), "service");
}

const char *form_page_title(const struct form *f, int page, const char *lang) {
    return str(cJSON_GetObjectItem(page_at(f, page), "title"), lang);
}

int form_field_count(const struct form *f, int page) {
    return cJSON_GetArraySize(cJSON_GetObjectItem(page_at(f, page), "fields"));
}

int form_field_info(const struct form *f, int page, int field, const char *lang,
                    struct form_field_info *out) {
    const cJSON *fl = field_at(f, page, field);
    if (!fl)
        return -1;
    out->id = str(fl, "id");
    out->type = str(fl, "type");
    out->codes = str(fl, "codes");
    out->label = str(cJSON_GetObjectItem(fl, "label"), lang);
    out->from_card = !strcmp(str(fl, "source"), "card");
    out->required = cJSON_IsTrue(cJSON_GetObjectItem(fl, "required"));
    out->max = (int)json_int(fl, "max", 0, FORM_FIELD_MAX, 0); /* absent, NaN or absurd: none */
    return 0;
}

bool form_field_visible(const struct form *f, int page, int field, const struct form_values *v) {
    const cJSON *fl = field_at(f, page, field);
    return fl && visible(fl, v);
}

const char *form_field_same_as(const struct form *f, int page, int field, int i, const char *lang,
                               const char **label) {
    const cJSON *fl = field_at(f, page, field);
    const cJSON *e = fl ? cJSON_GetArrayItem(cJSON_GetObjectItem(fl, "same_as"), i) : NULL;
    const char *id = e ? str(e, "field") : "";
    *label = e ? str(cJSON_GetObjectItem(e, "label"), lang) : "";
    return id[0] ? id : NULL;
}

void form_date_text(const char *value, const char *lang, char *out, size_t cap) {
    static const char *const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    int y = 0, m = 0, d = 0;
    bool digits = strlen(value) == 8;
    for (int i = 0; digits && i < 8; i++)
        digits = value[i] >= '0' && value[i] <= '9';
    if (digits) {
        y = (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 + value[3] - '0';
        m = (value[4] - '0') * 10 + value[5] - '0';
        d = (value[6] - '0') * 10 + value[7] - '0';
    }
    if (!digits || m < 1 || m > 12 || d < 1 || d > 31)
        snprintf(out, cap, "%s", value);
    else if (!strcmp(lang, "en"))
        snprintf(out, cap, "%d %s %d", d, months[m - 1], y);
    else
        snprintf(out, cap, "%d年%d月%d日", y, m, d);
}

int form_code_count(const struct form *f, const char *table) {
    return cJSON_GetArraySize(cJSON_GetObjectItem(f->codes, table));
}

const char *form_code_at(const struct form *f, const char *table, int i, const char *lang,
                         const char **label) {
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(f->codes, table), i);
    *label = str(e, lang);
    return str(e, "code");
}

const char *form_code_label(const struct form *f, const char *table, const char *code,
                            const char *lang) {
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(f->codes, table)) {
        if (!strcmp(str(e, "code"), code))
            return str(e, lang);
    }
    return "";
}

int form_service_count(const struct form *f) {
    return cJSON_GetArraySize(cJSON_GetObjectItem(f->form, "services"));
}

const char *form_service_department(const struct form *f, int i, const char *lang) {
    const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(f->form, "services"), i);
    return str(cJSON_GetObjectItem(s, "department_name"), lang);
}

const char *form_title(const struct form *f, const char *lang) {
    return str(cJSON_GetObjectItem(f->form, "title"), lang);
}

const char *form_subtitle(const struct form *f, const char *lang) {
    return str(cJSON_GetObjectItem(f->form, "subtitle"), lang);
}

static bool listed(const cJSON *list, const char *id) {
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        if (cJSON_IsString(e) && !strcmp(e->valuestring, id))
            return true;
    }
    return false;
}

/* Drops the items of array key of the form whose "key_field" is not in keep. */
static void keep_only(cJSON *form, const char *key, const char *field, const cJSON *keep) {
    cJSON *arr = cJSON_GetObjectItem(form, key);
    for (int i = cJSON_GetArraySize(arr) - 1; i >= 0; i--) {
        const char *id = str(cJSON_GetArrayItem(arr, i), field);
        if (id[0] && !listed(keep, id))
            cJSON_DeleteItemFromArray(arr, i);
    }
}

int form_use_variant(struct form *f, const char *name) {
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(f->form, "variants"), name);
    if (!v)
        return !strcmp(name, str(f->form, "id")) ? 0 : -1; /* the whole form: as it is */
    const cJSON *keep = cJSON_GetObjectItem(v, "services");
    keep_only(f->form, "services", "id", keep);
    keep_only(f->form, "pages", "service", keep);
    static const char *const texts[] = {"title", "subtitle"};
    for (size_t i = 0; i < 2; i++) {
        cJSON *t = cJSON_Duplicate(cJSON_GetObjectItem(v, texts[i]), true);
        if (!t)
            continue;
        if (cJSON_GetObjectItem(f->form, texts[i]))
            cJSON_ReplaceItemInObject(f->form, texts[i], t);
        else
            cJSON_AddItemToObject(f->form, texts[i], t);
    }
    cJSON_ReplaceItemInObject(f->form, "id", cJSON_CreateString(name));
    return 0;
}

const char *form_id(const struct form *f) {
    return str(f->form, "id");
}

const char *form_service_at(const struct form *f, int i, const char *lang, const char **label,
                            bool *always) {
    const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(f->form, "services"), i);
    *label = str(cJSON_GetObjectItem(s, "label"), lang);
    *always = cJSON_IsTrue(cJSON_GetObjectItem(s, "always"));
    return str(s, "id");
}
