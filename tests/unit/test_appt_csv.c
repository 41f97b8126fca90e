/* Unit tests of registry/appt_csv: columns by name, quoting, CST times, and clear refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "appt_csv.h"

static cJSON *parse(const char *text, char *err) {
    return appt_csv_parse(text, strlen(text), err, 200);
}

static void columns_in_any_order_quotes_and_times(void **state) {
    (void)state;
    char err[200] = "";
    cJSON *list =
        parse("\xEF\xBB\xBF"
              "booking_no,extra,id,office,slot_start,party_a_id,party_a_name\r\n"
              "YT-1,x,A-1,370602,2026-11-23 09:00,370602199503123011,\"郑,\"\"测\"\"\"\r\n"
              "YT-2,,A-2,370602,1795397400,11010519491231002X,测试甲\r\n",
              err);
    assert_non_null(list);
    assert_int_equal(cJSON_GetArraySize(list), 2);
    const cJSON *a = cJSON_GetArrayItem(list, 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(a, "id")), "A-1");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(a, "booking_no")), "YT-1");
    /* 09:00 in China Standard Time is 01:00 UTC */
    assert_int_equal((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "slot_start")),
                     1795395600LL);
    /* no slot_end: half an hour */
    assert_int_equal((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(a, "slot_end")),
                     1795395600LL + 1800);
    const cJSON *names = cJSON_GetObjectItem(a, "names");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(names, "a")), "郑,\"测\"");
    assert_null(cJSON_GetObjectItem(a, "party_b_id"));
    const cJSON *b = cJSON_GetArrayItem(list, 1);
    assert_int_equal((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(b, "slot_start")),
                     1795397400LL);
    cJSON_Delete(list);
}

static void refusals_name_the_row(void **state) {
    (void)state;
    char err[200] = "";
    assert_null(parse("id,office,slot_start,party_a_id\nA,370602,1,2\n", err));
    assert_string_equal(err, "row 1: the header has no column booking_no");
    const char *head = "id,office,booking_no,slot_start,party_a_id\n";
    char text[300];
    snprintf(text, sizeof text, "%sA,370602,B,1,P\nC,3706,D,1,P\n", head);
    assert_null(parse(text, err));
    assert_string_equal(err, "row 3: office must be a 6-digit division code");
    snprintf(text, sizeof text, "%sA,370602,B,tomorrow,P\n", head);
    assert_null(parse(text, err));
    assert_non_null(strstr(err, "row 2: slot_start"));
    snprintf(text, sizeof text, "%sA,370602,,1,P\n", head);
    assert_null(parse(text, err));
    assert_non_null(strstr(err, "must not be empty"));
    snprintf(text, sizeof text, "%sA,370602,B,1,\"P\n", head);
    assert_null(parse(text, err));
    assert_non_null(strstr(err, "malformed CSV"));
    assert_null(parse("", err));
    assert_string_equal(err, "row 1: no header row");
    /* a time past any range once crashed the import (start + 1800 overflowed) */
    snprintf(text, sizeof text, "%sA,370602,B,9223372036854775807,P\n", head);
    assert_null(parse(text, err));
    assert_non_null(strstr(err, "row 2: slot_start"));
    const char *head2 = "id,office,booking_no,slot_start,slot_end,party_a_id\n";
    snprintf(text, sizeof text, "%sA,370602,B,2000,1000,P\n", head2);
    assert_null(parse(text, err));
    assert_non_null(strstr(err, "row 2: slot_end must come after"));
    snprintf(text, sizeof text, "%sA,370602,B,1000,1000000,P\n", head2);
    assert_null(parse(text, err));
    snprintf(text, sizeof text, "%sA,370602,B\xff,1,P\n", head);
    assert_null(parse(text, err));
    assert_non_null(strstr(err, "not UTF-8"));
    char big[600];
    snprintf(big, sizeof big, "%sA,370602,%0300d,1,P\n", head, 7);
    assert_null(parse(big, err));
    assert_non_null(strstr(err, "longer than 256"));
}

/* Business types: known codes kept, unknown refused with the row; couples named for a divorce
 * or ceremony; accepted_on a real date (filled in later by the registry when absent). */
static void business_types(void **state) {
    (void)state;
    char err[300] = "";
    const char *head = "id,office,booking_no,slot_start,party_a_id,party_b_id,type,accepted_on,"
                       "hall,counsellor\n";
    char text[800];
    snprintf(text, sizeof text,
             "%sD,370602,B1,1,P,Q,divorce_final,2026-11-02,,\n"
             "R,370602,B2,1,P,,reissue_marriage,,,\n"
             "C,370602,B3,1,P,Q,ceremony,,一号厅,\n"
             "F,370602,B4,1,P,,counselling,,,王老师\n"
             "W,370602,B5,1,P,Q,divorce_withdraw,,,\n",
             head);
    cJSON *l = parse(text, err);
    assert_non_null(l);
    assert_int_equal(cJSON_GetArraySize(l), 5);
    cJSON *d = cJSON_GetArrayItem(l, 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(d, "type")), "divorce_final");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(d, "accepted_on")), "2026-11-02");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(l, 2), "hall")),
                        "一号厅");
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(l, 1), "hall")); /* empty: absent */
    /* the registry's own check: a withdrawal without its date, unless filled in */
    assert_non_null(appt_refusal(cJSON_GetArrayItem(l, 4), false));
    assert_null(appt_refusal(cJSON_GetArrayItem(l, 4), true));
    cJSON_Delete(l);
    snprintf(text, sizeof text, "%sD,370602,B1,1,P,Q,divorce,,,\n", head);
    assert_null(parse(text, err));
    assert_non_null(strstr(err, "row 2: type must be one of"));
    snprintf(text, sizeof text, "%sD,370602,B1,1,P,,divorce_apply,,,\n", head);
    assert_null(parse(text, err));
    assert_non_null(strstr(err, "row 2: a divorce or ceremony booking names both"));
    snprintf(text, sizeof text, "%sD,370602,B1,1,P,Q,divorce_final,2026-02-30,,\n", head);
    assert_null(parse(text, err));
    assert_non_null(strstr(err, "accepted_on must be a date"));
}

static void header_only_is_an_empty_list(void **state) {
    (void)state;
    char err[200] = "";
    cJSON *list = parse("id,office,booking_no,slot_start,party_a_id\n", err);
    assert_non_null(list);
    assert_int_equal(cJSON_GetArraySize(list), 0);
    cJSON_Delete(list);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_in_any_order_quotes_and_times),
        cmocka_unit_test(refusals_name_the_row),
        cmocka_unit_test(header_only_is_an_empty_list),
        cmocka_unit_test(business_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
