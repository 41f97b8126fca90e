/* Unit tests of the UI script parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

static int parse(const char *line, struct script_cmd *c, char *err) {
    return script_parse_line(line, c, err, 256);
}

static void parses_every_command(void **state) {
    (void)state;
    struct script_cmd c;
    char err[256];
    assert_int_equal(parse("tap 办事指南\n", &c, err), 1);
    assert_int_equal(c.op, SCRIPT_TAP);
    assert_string_equal(c.arg, "办事指南");
    assert_int_equal(parse("  tap @home  ", &c, err), 1);
    assert_string_equal(c.arg, "@home");
    assert_int_equal(parse("expect 请选择 您要办理的业务", &c, err), 1);
    assert_string_equal(c.arg, "请选择 您要办理的业务");
    assert_int_equal(parse("hold @staff 3000", &c, err), 1);
    assert_string_equal(c.arg, "@staff");
    assert_int_equal(c.num, 3000);
    assert_int_equal(parse("wait-screen home", &c, err), 1);
    assert_int_equal(c.num, 5000);
    assert_int_equal(parse("wait-screen home 800", &c, err), 1);
    assert_string_equal(c.arg, "home");
    assert_int_equal(c.num, 800);
    assert_int_equal(parse("idle 75", &c, err), 1);
    assert_int_equal(c.op, SCRIPT_IDLE);
    assert_int_equal(c.num, 75);
    assert_int_equal(parse("card tests/data/cards/a.json", &c, err), 1);
    assert_int_equal(c.op, SCRIPT_CARD);
    assert_int_equal(parse("expect-screen guide", &c, err), 1);
    assert_int_equal(c.op, SCRIPT_EXPECT_SCREEN);
    assert_int_equal(parse("press 13800000001", &c, err), 1);
    assert_int_equal(c.op, SCRIPT_PRESS);
    assert_string_equal(c.arg, "13800000001");
    assert_int_equal(parse("count start", &c, err), 1);
    assert_int_equal(c.op, SCRIPT_COUNT);
    assert_int_equal(parse("press", &c, err), -1); /* which keys? */
    setenv("TZ", "UTC", 1);
    assert_int_equal(parse("clock 2026-11-23T09:30", &c, err), 1);
    assert_int_equal(c.num, 1795426200);
}

static void skips_comments_and_blank_lines(void **state) {
    (void)state;
    struct script_cmd c;
    char err[256];
    assert_int_equal(parse("# a comment", &c, err), 0);
    assert_int_equal(parse("   \n", &c, err), 0);
    assert_int_equal(parse("", &c, err), 0);
}

static void rejects_bad_lines_with_a_reason(void **state) {
    (void)state;
    struct script_cmd c;
    char err[256];
    assert_int_equal(parse("tapp home", &c, err), -1);
    assert_non_null(strstr(err, "unknown command"));
    assert_int_equal(parse("tap", &c, err), -1);
    assert_non_null(strstr(err, "needs an argument"));
    assert_int_equal(parse("idle soon", &c, err), -1);
    assert_int_equal(parse("idle -5", &c, err), -1);
    assert_int_equal(parse("hold @staff", &c, err), -1);
    assert_int_equal(parse("wait-screen home x", &c, err), -1);
    assert_int_equal(parse("clock 23.11.2026", &c, err), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_every_command),
        cmocka_unit_test(skips_comments_and_blank_lines),
        cmocka_unit_test(rejects_bad_lines_with_a_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
