/* Unit tests of the offices' calendar: usual days and weekends, a holiday worked (节假日常态
 * 办) and one not, a 调休 Saturday, an office's own open and closed days and hours, the next
 * open day, the refusals of a bad file, and the shipped calendar loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "file.h"

static const char text[] =
    "{\"hours\": {\"days\": [1,2,3,4,5], \"periods\": [\"09:00-12:00\", \"13:30-17:00\"]},"
    " \"holidays\": [{\"date\": \"2027-01-01\", \"name\": \"元旦\", \"name_en\": \"New Year\"},"
    "               {\"date\": \"2027-02-06\", \"name\": \"春节\"}],"
    " \"workdays\": [{\"date\": \"2027-01-09\", \"name\": \"调休上班\"}],"
    " \"offices\": [{\"code\": \"370602\", \"holiday_open\": true, \"closed\": [\"2027-02-06\"],"
    "               \"open\": [\"2027-01-17\"]},"
    "              {\"code\": \"370613\", \"hours\": {\"days\": [2,3,4,5,6],"
    "               \"periods\": [\"08:30-16:30\"]}}]}";

static void days(void **state) {
    (void)state;
    struct calendar c;
    char why[200] = "";
    assert_int_equal(calendar_parse(&c, text, strlen(text), why, sizeof why), 0);
    struct cal_day d;
    calendar_day(&c, "370602", 20270104, &d); /* a Monday */
    assert_true(d.open);
    assert_int_equal(d.kind, CAL_USUAL);
    calendar_day(&c, "370602", 20270102, &d); /* a Saturday */
    assert_false(d.open);
    assert_int_equal(d.kind, CAL_WEEKEND);
    calendar_day(&c, "370602", 20270101, &d); /* worked: 节假日常态办 */
    assert_true(d.open);
    assert_int_equal(d.kind, CAL_HOLIDAY);
    assert_string_equal(d.name, "元旦");
    assert_string_equal(d.name_en, "New Year");
    calendar_day(&c, "370611", 20270101, &d); /* an office the calendar does not name: closed */
    assert_false(d.open);
    calendar_day(&c, "370602", 20270206, &d); /* the office closes this holiday */
    assert_false(d.open);
    assert_int_equal(d.kind, CAL_SPECIAL);
    assert_string_equal(d.name_en, "春节"); /* no English name: the Chinese */
    calendar_day(&c, "370611", 20270109, &d); /* 调休: a Saturday worked */
    assert_true(d.open);
    assert_int_equal(d.kind, CAL_SWAPPED);
    calendar_day(&c, "370602", 20270117, &d); /* a Sunday the office opens */
    assert_true(d.open);
    /* its own hours: Tuesday to Saturday, one period */
    assert_false(calendar_open(&c, "370613", 20270104, -1));
    assert_true(calendar_open(&c, "370613", 20270116, 8 * 60 + 30));
    assert_false(calendar_open(&c, "370613", 20270116, 16 * 60 + 30));
    assert_true(calendar_open(&c, "370602", 20270104, 9 * 60));
    assert_false(calendar_open(&c, "370602", 20270104, 12 * 60 + 30)); /* lunch */
    assert_false(calendar_open(&c, "370602", 20270104, 8 * 60 + 59));
    assert_int_equal(calendar_next_open(&c, "370602", 20270101, 60), 20270104);
    assert_int_equal(calendar_next_open(&c, "370602", 20270205, 60), 20270208);
    char h[96];
    calendar_day(&c, "370602", 20270104, &d);
    calendar_hours_text(d.hours, "、", h, sizeof h);
    assert_string_equal(h, "09:00–12:00、13:30–17:00");
    calendar_free(&c);
    /* no calendar: every day open, all day (nobody is refused for a missing file) */
    struct calendar none = {0};
    assert_true(calendar_open(&none, "370602", 20270102, 23 * 60));
}

/* A roving point: open on its dates only, in its periods; found by id. */
static void roving_points(void **state) {
    (void)state;
    static const char t[] =
        "{\"hours\": {\"days\": [1,2,3,4,5], \"periods\": [\"09:00-17:00\"]},"
        " \"roving\": [{\"id\": \"RV-1\", \"office\": \"370602\", \"name\": \"某点\","
        " \"place\": \"某街道\", \"periods\": [\"09:00-11:30\"],"
        " \"dates\": [\"2027-01-08\", \"2027-01-23\"]}]}";
    struct calendar c;
    char why[200] = "";
    assert_int_equal(calendar_parse(&c, t, strlen(t), why, sizeof why), 0);
    const struct cal_roving *p = calendar_roving(&c, "RV-1");
    assert_non_null(p);
    assert_null(calendar_roving(&c, "RV-2"));
    assert_string_equal(p->name_en, "某点"); /* no English name: the Chinese */
    struct cal_day d;
    calendar_roving_day(p, 20270108, &d);
    assert_true(d.open);
    assert_int_equal(d.kind, CAL_ROVING);
    assert_int_equal(d.hours->to[0], 11 * 60 + 30);
    calendar_roving_day(p, 20270123, &d); /* a Saturday: its date, so open */
    assert_true(d.open);
    calendar_roving_day(p, 20270111, &d); /* the office's usual day, not the point's */
    assert_false(d.open);
    calendar_free(&c);
    static const char bad[] =
        "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-17:00\"]},"
        " \"roving\": [{\"id\": \"RV-1\", \"office\": \"370602\", \"name\": \"某点\","
        " \"periods\": [\"09:00-11:30\"], \"dates\": []}]}";
    assert_int_equal(calendar_parse(&c, bad, strlen(bad), why, sizeof why), -1);
    assert_non_null(strstr(why, "place"));
}

static void refusals(void **state) {
    (void)state;
    static const char *const bad[] = {
        "[]",
        "{}",
        "{\"hours\": {\"days\": [0], \"periods\": [\"09:00-12:00\"]}}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"12:00-09:00\"]}}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-12:00\", \"11:00-13:00\"]}}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-10:00\", \"10:00-11:00\", "
        "\"11:00-12:00\", \"12:00-13:00\"]}}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-25:00\"]}}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"9:00-12:00\"]}}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-12:00\"]}, \"holidays\": "
        "[{\"date\": \"2027-02-30\", \"name\": \"x\"}]}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-12:00\"]}, \"holidays\": "
        "[{\"date\": \"2027-02-03\"}]}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-12:00\"]}, \"offices\": "
        "[{\"code\": \"3706\"}]}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-12:00\"]}, \"offices\": "
        "[{\"code\": \"370602\", \"holiday_open\": \"yes\"}]}",
        "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-12:00\"]}, \"offices\": "
        "[{\"code\": \"370602\", \"closed\": [\"tomorrow\"]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct calendar c;
        char why[200] = "";
        assert_int_equal(calendar_parse(&c, bad[i], strlen(bad[i]), why, sizeof why), -1);
        assert_non_null(strstr(why, "calendar: "));
        assert_int_equal(c.noffices, 0);
    }
    /* over the count of dated days */
    static char big[200000];
    size_t n = (size_t)snprintf(big, sizeof big,
                                "{\"hours\": {\"days\": [1], \"periods\": [\"09:00-12:00\"]}, "
                                "\"holidays\": [");
    for (int i = 0; i <= CALENDAR_DAYS_MAX; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "%s{\"date\": \"2027-01-01\", \"name\": \"x\"}",
                              i ? "," : "");
    n += (size_t)snprintf(big + n, sizeof big - n, "]}");
    struct calendar c;
    char why[200] = "";
    assert_int_equal(calendar_parse(&c, big, n, why, sizeof why), -1);
    assert_non_null(strstr(why, "2000"));
}

static void shipped(void **state) {
    (void)state;
    size_t len = 0;
    char *t = file_read(ASSETS_DIR "/calendar/calendar.json", CALENDAR_FILE_MAX, &len);
    assert_non_null(t);
    struct calendar c;
    char why[200] = "";
    assert_int_equal(calendar_parse(&c, t, len, why, sizeof why), 0);
    /* Yantai's offices work on public holidays; 2026-10-10 was a 调休 Saturday */
    assert_true(calendar_open(&c, "370602", 20261001, 10 * 60));
    assert_true(calendar_open(&c, "370602", 20261010, 10 * 60));
    assert_false(calendar_open(&c, "370602", 20261017, 10 * 60));
    assert_int_equal(c.noffices, 13);
    calendar_free(&c);
    free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days),
        cmocka_unit_test(roving_points),
        cmocka_unit_test(refusals),
        cmocka_unit_test(shipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
