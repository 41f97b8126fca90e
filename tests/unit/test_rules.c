/* Unit tests of the registration rules, with their edge cases: the day someone turns 22,
 * 29 February, 长期 validity, X check digits, a bad region prefix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mask.h"
#include "rules.h"

#define TODAY 20261123

static void id_numbers(void **state) {
    (void)state;
    struct idnum_info info;
    assert_int_equal(rules_idnum_check("11010519491231002X", TODAY, &info), IDNUM_OK);
    assert_int_equal(info.birth, 19491231);
    assert_false(info.male); /* 002: even */
    assert_int_equal(rules_idnum_check("11010519491231002x", TODAY, NULL), IDNUM_OK);
    assert_int_equal(rules_idnum_check("370602199503123011", TODAY, &info), IDNUM_OK);
    assert_true(info.male);
    /* an abolished county (蓬莱市 370684) is still a valid number */
    assert_int_equal(rules_idnum_check("370684200102281553", TODAY, NULL), IDNUM_OK);
    assert_int_equal(rules_idnum_check("110105194912310021", TODAY, NULL), IDNUM_BAD_CHECK);
    assert_int_equal(rules_idnum_check("11010519491231002", TODAY, NULL), IDNUM_BAD_FORMAT);
    assert_int_equal(rules_idnum_check("1101051949123100AX", TODAY, NULL), IDNUM_BAD_FORMAT);
    assert_int_equal(rules_idnum_check("000105194912310020", TODAY, NULL), IDNUM_BAD_REGION);
    assert_int_equal(rules_idnum_check("990105194912310020", TODAY, NULL), IDNUM_BAD_REGION);
    assert_int_equal(rules_idnum_check("110105194902300021", TODAY, NULL), IDNUM_BAD_DATE);
    assert_int_equal(rules_idnum_check("110105203001010021", TODAY, NULL), IDNUM_BAD_DATE);
    assert_int_equal(rules_idnum_check_char("11010519491231002"), 'X');
}

static void ages(void **state) {
    (void)state;
    assert_int_equal(rules_age(20041123, 20261122), 21);
    assert_int_equal(rules_age(20041123, 20261123), 22); /* the birthday itself */
    assert_true(rules_marriage_age_ok(true, 20041123, 20261123));
    assert_false(rules_marriage_age_ok(true, 20041124, 20261123));
    assert_true(rules_marriage_age_ok(false, 20061123, 20261123));
    assert_false(rules_marriage_age_ok(false, 20061124, 20261123));
    /* 29 February: in a common year the birthday is 1 March */
    assert_int_equal(rules_age(20040229, 20260228), 21);
    assert_int_equal(rules_age(20040229, 20260301), 22);
    assert_int_equal(rules_age(20040229, 20280229), 24);
    assert_true(rules_date_valid(20240229));
    assert_false(rules_date_valid(20250229));
    assert_false(rules_date_valid(21000229));
    assert_true(rules_date_valid(20000229));
}

static void card_validity(void **state) {
    (void)state;
    assert_true(rules_card_valid_on("20150601", "20350601", TODAY));
    assert_true(rules_card_valid_on("20120115", "长期", TODAY));
    assert_false(rules_card_valid_on("20150601", "20261122", TODAY));
    assert_true(rules_card_valid_on("20150601", "20261123", TODAY)); /* last valid day */
    assert_false(rules_card_valid_on("20261124", "长期", TODAY));    /* not yet valid */
    assert_false(rules_card_valid_on("2015-06-01", "garbage", TODAY));
    assert_true(rules_card_valid_on("2015-06-01", "2035-06-01", TODAY));
    assert_true(rules_same_person("11010519491231002X", "11010519491231002x"));
    assert_false(rules_same_person("11010519491231002X", "370602199503123011"));
}

static void masking(void **state) {
    (void)state;
    char out[64];
    assert_string_equal(mask_name("郑测涛", out, sizeof out), "郑*涛");
    assert_string_equal(mask_name("张三", out, sizeof out), "张*");
    assert_string_equal(mask_name("欧阳测试", out, sizeof out), "欧**试");
    assert_string_equal(mask_name("李", out, sizeof out), "李");
    assert_string_equal(mask_id_number("370602199503123011", out, sizeof out),
                        "370602********3011");
    assert_string_equal(mask_id_number("USA370619850101", out, sizeof out), "USA370*****0101");
    assert_string_equal(mask_address("山东省烟台市芝罘区测试路100号", out, sizeof out),
                        "山东省烟台市芝罘区****");
    assert_string_equal(mask_address("烟台市芝罘区", out, sizeof out), "烟台市****");
    assert_string_equal(mask_address("", out, sizeof out), "");
}

/* Each card kind's number format: a Taiwan permit (830000) and the 2023 foreign card (18
 * characters from 9) are numbers of their own, not "wrong resident numbers". */
static void card_numbers(void **state) {
    (void)state;
    assert_true(rules_card_number_ok(CARD_KIND_RESIDENT, "11010519491231002X", TODAY));
    assert_false(rules_card_number_ok(CARD_KIND_RESIDENT, "110105194912310021", TODAY));
    char tw[19] = "83000019900707002";
    tw[17] = rules_idnum_check_char(tw);
    tw[18] = 0;
    assert_true(rules_card_number_ok(CARD_KIND_HKMT, tw, TODAY));
    assert_false(rules_card_number_ok(CARD_KIND_RESIDENT, tw, TODAY)); /* no province 83 */
    assert_true(rules_card_number_ok(CARD_KIND_HKMT, "810000199007070020", TODAY));
    assert_false(rules_card_number_ok(CARD_KIND_HKMT, "810000199007070021", TODAY)); /* check */
    assert_false(rules_card_number_ok(CARD_KIND_HKMT, "11010519491231002X", TODAY)); /* region */
    char bad_day[19] = "81000019901307002";
    bad_day[17] = rules_idnum_check_char(bad_day);
    bad_day[18] = 0;
    assert_false(rules_card_number_ok(CARD_KIND_HKMT, bad_day, TODAY)); /* month 13 */
    assert_true(rules_card_number_ok(CARD_KIND_FOREIGN_2017, "USA370619850101", TODAY));
    assert_false(rules_card_number_ok(CARD_KIND_FOREIGN_2017, "US370619850101", TODAY));
    assert_false(rules_card_number_ok(CARD_KIND_FOREIGN_2017, "usa370619850101", TODAY));
    char f23[19] = "93784019850101001";
    f23[17] = rules_idnum_check_char(f23);
    f23[18] = 0;
    assert_true(rules_card_number_ok(CARD_KIND_FOREIGN_2023, f23, TODAY));
    f23[0] = '8';
    assert_false(rules_card_number_ok(CARD_KIND_FOREIGN_2023, f23, TODAY));
    assert_false(rules_card_number_ok(CARD_KIND_FOREIGN_2023, "USA370619850101", TODAY));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(card_numbers),
        cmocka_unit_test(id_numbers),
        cmocka_unit_test(ages),
        cmocka_unit_test(card_validity),
        cmocka_unit_test(masking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
