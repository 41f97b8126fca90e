/* The joint form (assets/forms/joint.json) validates a complete synthetic couple and rejects
 * each broken variant with the right field and message, in both languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

#define TODAY 20261123

static struct form *form;

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    if (buf)
        fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    return buf;
}

static void couple(struct form_values *v) {
    memset(v, 0, sizeof *v);
    static const char *const kv[][2] = {
        {"a.name", "郑测涛"},
        {"a.sex", "1"},
        {"a.ethnicity", "01"},
        {"a.birth", "19950312"},
        {"a.address", "山东省烟台市芝罘区测试路100号"},
        {"a.id_number", "370602199503123011"},
        {"a.valid_from", "20150601"},
        {"a.valid_to", "20350601"},
        {"a.occupation", "2"},
        {"a.education", "20"},
        {"a.marital", "10"},
        {"a.phone", "13905350000"},
        {"b.name", "马试兰"},
        {"b.sex", "2"},
        {"b.ethnicity", "03"},
        {"b.birth", "19681130"},
        {"b.address", "山东省烟台市莱山区样例街道示范小区8号楼"},
        {"b.id_number", "370613196811302041"},
        {"b.valid_from", "20120115"},
        {"b.valid_to", "长期"},
        {"b.occupation", "R"},
        {"b.education", "60"},
        {"b.marital", "40"},
        {"b.phone", "0535-6661234"},
        {"m.residence", "山东省烟台市芝罘区测试路100号"},
        {"m.children", "0"},
        {"m.child_order", "1"},
        {"m.place", "residence"},
        {"m.commitment", "true"},
        {"h.mover", "b"},
        {"h.to_district", "370602"},
        {"h.to_street", "测试路100号"},
        {"h.head_is_spouse", "true"},
        {"h.relation", "12"},
        {"h.housing", "own"},
        {"h.children", "0"},
        {"h.phone", "13905350000"},
        {"s.a_police", "烟台市公安局芝罘分局"},
        {"s.b_police", "烟台市公安局莱山分局"},
        {"s.commitment", "true"},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        form_values_set(v, kv[i][0], kv[i][1]);
}

static const char *const all[] = {"marital_status", "maternity", "hukou", NULL};

static void a_complete_couple_passes(void **state) {
    (void)state;
    struct form_values v;
    couple(&v);
    struct form_error e[8];
    int n = form_validate(form, &v, all, TODAY, e, 8);
    if (n)
        fail_msg("%s: %s", e[0].field, e[0].message[0]);
    char *rec = form_record(form, &v, all);
    assert_non_null(
        strstr(rec, "\"services\":[\"marriage\",\"marital_status\",\"maternity\",\"hukou\"]"));
    /* each item with the department it goes to */
    assert_non_null(strstr(rec, "{\"service\":\"marital_status\",\"department\":\"public_security\""));
    assert_non_null(strstr(rec, "{\"service\":\"maternity\",\"department\":\"health\""));
    assert_non_null(strstr(rec, "{\"service\":\"marriage\",\"department\":\"civil_affairs\""));
    assert_non_null(strstr(rec, "\"a.id_number\":\"370602199503123011\""));
    assert_null(strstr(rec, "h.head_name")); /* not shown: the head is the spouse */
    free(rec);
}

/* Breaks one value; the form must name `field` with a message containing `zh` and `en`. */
static void expect(const char *key, const char *val, const char *const *services, const char *field,
                   const char *zh, const char *en) {
    struct form_values v;
    couple(&v);
    form_values_set(&v, key, val);
    struct form_error e[8];
    int n = form_validate(form, &v, services, TODAY, e, 8);
    for (int i = 0; i < n && i < 8; i++) {
        if (!strcmp(e[i].field, field) && strstr(e[i].message[0], zh) &&
            strstr(e[i].message[1], en))
            return;
    }
    fail_msg("%s=%s: expected an error on %s (%s), got %d: %s %s", key, val, field, zh, n,
             n ? e[0].field : "", n ? e[0].message[0] : "");
}

static void broken_variants_name_the_field(void **state) {
    (void)state;
    const char *const none[] = {NULL};
    expect("a.name", "", all, "a.name", "请填写男方姓名", "Man's name: please fill this in");
    expect("a.id_number", "370602199503123012", all, "a.id_number", "校验位", "check character");
    expect("a.id_number", "37060219950312301", all, "a.id_number", "18位", "18 characters");
    expect("a.id_number", "370602199502303013", all, "a.id_number", "出生日期", "date of birth");
    /* 22 on the registration day is old enough; a day later is not */
    expect("a.id_number", "370602200411243011", all, "a.id_number", "未达法定婚龄", "legal age");
    expect("b.id_number", "370613200611240025", all, "b.id_number", "未达法定婚龄", "legal age");
    expect("a.valid_to", "20261122", all, "a.id_number", "有效期", "not valid today");
    expect("a.sex", "2", all, "a.id_number", "与性别不符", "does not match the sex");
    expect("b.sex", "1", all, "b.sex", "男女双方", "a man and a woman");
    /* who is who: a woman's card at the man's step, a man's at the woman's */
    expect("a.id_number", "370613199205053026", all, "a.id_number", "这是女方的身份证",
           "This is a woman's ID card");
    expect("b.id_number", "370602199001013015", all, "b.id_number", "这是男方的身份证",
           "This is a man's ID card");
    expect("b.id_number", "370602199503123011", all, "b.id_number", "同一人", "same person");
    expect("a.marital", "20", all, "a.marital", "请从列表中选择", "Man's marital status: please choose");
    expect("a.phone", "12345", all, "a.phone", "格式不正确", "not valid");
    expect("a.birth", "20250229", all, "a.birth", "不是有效日期", "not a valid date");
    expect("m.commitment", "false", all, "m.commitment", "请确认", "Please confirm");
    expect("h.head_is_spouse", "false", all, "h.head_name", "请填写户主姓名",
           "Head of household's name");
    expect("h.to_district", "999999", all, "h.to_district", "请从列表中选择", "choose");
    expect("a.name", "一二三四五六七八九十一二三四五六", all, "a.name", "太长", "too long");
    /* services not chosen are not asked for */
    struct form_values v;
    couple(&v);
    form_values_set(&v, "m.child_order", "");
    struct form_error e[8];
    assert_int_equal(form_validate(form, &v, none, TODAY, e, 8), 0);
    assert_true(form_validate(form, &v, all, TODAY, e, 8) > 0);
    assert_string_equal(e[0].field, "m.child_order");
    /* an abolished region code is not a reason to refuse */
    couple(&v);
    form_values_set(&v, "a.id_number", "370684199503123016"); /* 蓬莱市, abolished 2020 */
    assert_int_equal(form_validate(form, &v, all, TODAY, e, 8), 0);
}

/* A field's "max" past any int (1e999 is infinity to cJSON; 32 of the 39 shipped fields have
 * no "max", which was NaN to the cast): read as "none", never cast out of range. */
static void numbers_out_of_range_are_none(void **state) {
    (void)state;
    const char *fj = "{\"form\":\"t\",\"version\":1,\"services\":[{\"id\":\"marriage\","
                     "\"always\":true,\"label\":{\"zh-CN\":\"结婚\",\"en\":\"M\"},"
                     "\"department\":\"civil_affairs\",\"department_name\":{\"zh-CN\":\"民政\"}}],"
                     "\"pages\":[{\"id\":\"p\",\"title\":{\"zh-CN\":\"页\",\"en\":\"P\"},"
                     "\"fields\":[{\"id\":\"a\",\"type\":\"text\",\"label\":{\"zh-CN\":\"甲\","
                     "\"en\":\"A\"},\"max\":1e999},{\"id\":\"b\",\"type\":\"text\","
                     "\"label\":{\"zh-CN\":\"乙\",\"en\":\"B\"},\"max\":-5},{\"id\":\"c\","
                     "\"type\":\"text\",\"label\":{\"zh-CN\":\"丙\",\"en\":\"C\"}}]}]}";
    char err[128] = "";
    struct form *f = form_load(fj, "{}", err, sizeof err);
    assert_non_null(f);
    struct form_field_info info;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(form_field_info(f, 0, i, "zh-CN", &info), 0);
        assert_int_equal(info.max, 0);
    }
    form_free(f);
}

static void dates_read_as_dates_and_same_as_offers_the_cards(void **state) {
    (void)state;
    char out[64];
    form_date_text("19950128", "zh-CN", out, sizeof out);
    assert_string_equal(out, "1995年1月28日");
    form_date_text("19950128", "en", out, sizeof out);
    assert_string_equal(out, "28 January 1995");
    form_date_text("长期", "zh-CN", out, sizeof out);
    assert_string_equal(out, "长期");
    form_date_text("199501", "zh-CN", out, sizeof out); /* half typed: as it is */
    assert_string_equal(out, "199501");
    form_date_text("19951328", "en", out, sizeof out); /* no 13th month */
    assert_string_equal(out, "19951328");
    /* the woman's phone can be the man's, the residence either card's address */
    int pb = -1, pm = -1;
    for (int p = 0; p < form_page_count(form); p++) {
        if (!strcmp(form_page_id(form, p), "party_b"))
            pb = p;
        if (!strcmp(form_page_id(form, p), "maternity"))
            pm = p;
    }
    assert_true(pb >= 0 && pm >= 0);
    const char *label;
    int phone = -1;
    for (int k = 0; k < form_field_count(form, pb); k++) {
        struct form_field_info fi;
        form_field_info(form, pb, k, "zh-CN", &fi);
        if (!strcmp(fi.id, "b.phone"))
            phone = k;
    }
    assert_true(phone >= 0);
    assert_string_equal(form_field_same_as(form, pb, phone, 0, "zh-CN", &label), "a.phone");
    assert_string_equal(label, "同男方电话");
    assert_null(form_field_same_as(form, pb, phone, 1, "zh-CN", &label));
    assert_string_equal(form_field_same_as(form, pm, 0, 1, "en", &label), "b.address");
    assert_string_equal(label, "As on the woman's card");
    assert_null(form_field_same_as(form, pb, 0, 0, "zh-CN", &label)); /* the name: none */
}

/* Existing children: their fields shown for one or two ("in"), required then, kept out of the
 * record when there are none. */
static void children_shown_for_their_count(void **state) {
    (void)state;
    expect("m.children", "1", all, "m.child1_name", "请填写", "please fill");
    expect("m.children", "2", all, "m.child2_name", "请填写", "please fill");
    expect("h.children", "1", all, "h.child1_id", "请填写", "please fill");
    struct form_values v;
    couple(&v);
    form_values_set(&v, "m.child1_name", "郑小测");
    char *rec = form_record(form, &v, all);
    assert_null(strstr(rec, "郑小测")); /* m.children is 0: not shown, not kept */
    free(rec);
    form_values_set(&v, "m.children", "1");
    form_values_set(&v, "m.child1_birth", "20200101");
    struct form_error e[8];
    assert_int_equal(form_validate(form, &v, all, TODAY, e, 8), 0);
    rec = form_record(form, &v, all);
    assert_non_null(strstr(rec, "郑小测"));
    free(rec);
    expect("s.commitment", "", all, "s.commitment", "请确认", "Please confirm");
}

/* 结婚落户一件事: the variant keeps marriage, the hukou's status and the household move; the
 * form without maternity's pages; a bad variant refuses the form. */
static void the_variant_narrows_the_bundle(void **state) {
    (void)state;
    char *fj = slurp(ASSETS_DIR "/forms/joint.json"), *cj = slurp(ASSETS_DIR "/codes/codes.json");
    char err[200];
    struct form *f = form_load(fj, cj, err, sizeof err);
    assert_non_null(f);
    assert_int_equal(form_use_variant(f, "no_such"), -1);
    assert_int_equal(form_use_variant(f, "joint"), 0); /* the whole bundle */
    assert_int_equal(form_service_count(f), 4);
    assert_int_equal(form_use_variant(f, "marriage_hukou"), 0);
    assert_string_equal(form_title(f, "zh-CN"), "结婚落户一件事");
    assert_string_equal(form_id(f), "marriage_hukou");
    assert_int_equal(form_service_count(f), 3);
    for (int p = 0; p < form_page_count(f); p++)
        assert_string_not_equal(form_page_service(f, p), "maternity");
    form_free(f);
    /* a variant naming a service the form does not have */
    char *bad = strdup(fj);
    char *at = strstr(strstr(bad, "\"variants\""), "\"hukou\"");
    assert_non_null(at);
    memcpy(at, "\"hukox\"", 7);
    assert_null(form_load(bad, cj, err, sizeof err));
    assert_non_null(strstr(err, "variant"));
    free(bad);
    free(fj);
    free(cj);
}

static int setup(void **state) {
    (void)state;
    char *fj = slurp(ASSETS_DIR "/forms/joint.json"), *cj = slurp(ASSETS_DIR "/codes/codes.json");
    char err[128];
    form = fj && cj ? form_load(fj, cj, err, sizeof err) : NULL;
    free(fj);
    free(cj);
    return form ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    form_free(form);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_complete_couple_passes),
        cmocka_unit_test(broken_variants_name_the_field),
        cmocka_unit_test(numbers_out_of_range_are_none),
        cmocka_unit_test(dates_read_as_dates_and_same_as_offers_the_cards),
        cmocka_unit_test(children_shown_for_their_count),
        cmocka_unit_test(the_variant_narrows_the_bundle),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
