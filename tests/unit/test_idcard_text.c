/* Unit tests of the ID card text block: the three layouts both ways, trimming, 长期, codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "idcard_text.h"

static void resident_round_trip(void **state) {
    (void)state;
    struct idcard_info a = {.type = IDCARD_RESIDENT};
    strcpy(a.name, "欧阳㑇 示例"); /* a space inside the name stays */
    strcpy(a.sex_code, "1");
    strcpy(a.ethnicity_code, "11");
    strcpy(a.birth, "20010228");
    strcpy(a.address, "山东省烟台市蓬莱区测试村");
    strcpy(a.id_number, "370684200102281553");
    strcpy(a.authority, "蓬莱市公安局");
    strcpy(a.valid_from, "20190301");
    strcpy(a.valid_to, "长期");
    uint8_t block[IDCARD_TEXT_LEN];
    assert_int_equal(idcard_text_encode(&a, block), IDCARD_TEXT_OK);
    /* the name field is padded with UCS-2 spaces, the marker is a space */
    assert_int_equal(block[28], 0x20);
    assert_int_equal(block[29], 0x00);
    assert_int_equal(block[248], ' ');
    struct idcard_info b;
    assert_int_equal(idcard_text_decode(block, sizeof block, &b), IDCARD_TEXT_OK);
    assert_int_equal(b.type, IDCARD_RESIDENT);
    assert_string_equal(b.name, a.name);
    assert_string_equal(b.ethnicity_code, "11");
    assert_string_equal(b.id_number, a.id_number);
    assert_string_equal(b.valid_to, "长期");
    assert_string_equal(b.address, a.address);
    assert_string_equal(idcard_ethnicity_name(b.ethnicity_code), "满");
    assert_string_equal(idcard_sex_name(b.sex_code), "男");
}

static void hkmt_and_foreign_layouts(void **state) {
    (void)state;
    struct idcard_info a = {.type = IDCARD_HKMT_RESIDENCE};
    strcpy(a.name, "陈样本");
    strcpy(a.sex_code, "2");
    strcpy(a.id_number, "810000199007070020");
    strcpy(a.pass_number, "H12345678");
    strcpy(a.issue_count, "02");
    uint8_t block[IDCARD_TEXT_LEN];
    assert_int_equal(idcard_text_encode(&a, block), IDCARD_TEXT_OK);
    assert_int_equal(block[248], 'J');
    struct idcard_info b;
    assert_int_equal(idcard_text_decode(block, sizeof block, &b), IDCARD_TEXT_OK);
    assert_int_equal(b.type, IDCARD_HKMT_RESIDENCE);
    assert_string_equal(b.pass_number, "H12345678");
    assert_string_equal(b.issue_count, "02");
    assert_string_equal(b.ethnicity_code, ""); /* none on this card */
    assert_string_equal(idcard_type_name(b.type), "hkmt_residence");

    struct idcard_info c = {.type = IDCARD_FOREIGN_PERMANENT};
    strcpy(c.name_en, "TESTER, SAMPLE ALEX");
    strcpy(c.name, "测试者");
    strcpy(c.sex_code, "1");
    strcpy(c.id_number, "USA370619850101");
    strcpy(c.nationality, "USA");
    strcpy(c.birth, "19850101");
    assert_int_equal(idcard_text_encode(&c, block), IDCARD_TEXT_OK);
    assert_int_equal(block[248], 'I');
    assert_int_equal(idcard_text_decode(block, sizeof block, &b), IDCARD_TEXT_OK);
    assert_string_equal(b.name_en, "TESTER, SAMPLE ALEX");
    assert_string_equal(b.nationality, "USA");
    assert_string_equal(b.birth, "19850101");
    assert_string_equal(idcard_type_name(b.type), "foreign_permanent");
}

static void refuses_what_is_not_a_card(void **state) {
    (void)state;
    uint8_t block[IDCARD_TEXT_LEN];
    memset(block, 0x20, sizeof block);
    struct idcard_info b;
    assert_int_equal(idcard_text_decode(block, 100, &b), IDCARD_TEXT_SHORT);
    block[248] = 'Q';
    assert_int_equal(idcard_text_decode(block, sizeof block, &b), IDCARD_TEXT_BAD_TYPE);
    struct idcard_info a = {.type = IDCARD_RESIDENT};
    strcpy(a.name, "一二三四五六七八九十一二三四五六"); /* 16 characters: the field holds 15 */
    assert_int_equal(idcard_text_encode(&a, block), IDCARD_TEXT_TOO_LONG);
    assert_null(idcard_ethnicity_name("57"));
    assert_string_equal(idcard_ethnicity_name("98"), "外国血统中国籍人士");
    assert_null(idcard_sex_name("3"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resident_round_trip),
        cmocka_unit_test(hkmt_and_foreign_layouts),
        cmocka_unit_test(refuses_what_is_not_a_card),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
