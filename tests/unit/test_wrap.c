/* Unit tests of ui/wrap: Chinese and English line breaking with a fake font in which a CJK
 * character is 10 wide and anything else 5. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "wrap.h"

static int fake_advance(void *ctx, uint32_t cp) {
    (void)ctx;
    return wrap_is_cjk(cp) ? 10 : 5;
}

/* Wraps s at width w and joins the lines with '|'. */
static const char *wrapped(const char *s, int w) {
    static char out[512];
    struct wrap_line lines[32];
    size_t n = wrap_text(s, strlen(s), w, fake_advance, NULL, lines, 32);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, "|");
        strncat(out, s + lines[i].start, lines[i].end - lines[i].start);
    }
    return out;
}

static void cjk_breaks_between_any_characters(void **state) {
    (void)state;
    assert_string_equal(wrapped("中文中文中文", 30), "中文中|文中文");
    assert_string_equal(wrapped("中文中文中文", 60), "中文中文中文");
}

static void closing_marks_never_start_a_line(void **state) {
    (void)state;
    /* "，" would start line 2: the character before it moves down with it */
    assert_string_equal(wrapped("中文中文，中", 40), "中文中|文，中");
    assert_string_equal(wrapped("办理。完成", 20), "办|理。|完成");
    assert_string_equal(wrapped("书》：本人", 20), "书》|：本|人");
}

static void opening_marks_never_end_a_line(void **state) {
    (void)state;
    assert_string_equal(wrapped("中文（中文", 30), "中文|（中文");
    assert_string_equal(wrapped("请看《条例》", 30), "请看|《条|例》");
}

static void english_breaks_at_spaces(void **state) {
    (void)state;
    assert_string_equal(wrapped("hello world foo", 60), "hello world|foo");
    assert_string_equal(wrapped("hello   world", 30), "hello|world");
}

static void a_word_wider_than_the_line_is_cut(void **state) {
    (void)state;
    assert_string_equal(wrapped("abcdefghijklmnop", 30), "abcdef|ghijkl|mnop");
}

static void mixed_chinese_and_latin(void **state) {
    (void)state;
    /* digits stay together; the break falls next to a CJK character */
    assert_string_equal(wrapped("自2025年5月10日起", 50), "自2025年5|月10日起");
    assert_string_equal(wrapped("自2025年", 25), "自|2025|年");
    /* a number with hyphens stays whole (UAX #14 HY x NU); a hyphenated word may break */
    assert_string_equal(wrapped("预约号 370602-20261123-01", 120), "预约号|370602-20261123-01");
    assert_string_equal(wrapped("check-in now", 30), "check-|in now");
}

static void newlines_always_break(void **state) {
    (void)state;
    assert_string_equal(wrapped("ab\ncd", 100), "ab|cd");
    assert_string_equal(wrapped("ab\n\ncd", 100), "ab||cd");
    assert_string_equal(wrapped("ab\n", 100), "ab");
}

static void counts_lines_beyond_the_array(void **state) {
    (void)state;
    struct wrap_line lines[2];
    const char *s = "中文中文中文中文";
    assert_int_equal(wrap_text(s, strlen(s), 10, fake_advance, NULL, lines, 2), 8);
    assert_int_equal(lines[1].start, 3);
    assert_int_equal(wrap_text("", 0, 10, fake_advance, NULL, lines, 2), 0);
}

static void character_classes(void **state) {
    (void)state;
    assert_true(wrap_no_line_start(0x3002));  /* 。 */
    assert_true(wrap_no_line_start(0xFF0C));  /* ， */
    assert_false(wrap_no_line_start(0x4E2D)); /* 中 */
    assert_true(wrap_no_line_end(0xFF08));    /* （ */
    assert_true(wrap_is_cjk(0x20000));        /* Extension B, rare name characters */
    assert_false(wrap_is_cjk('a'));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cjk_breaks_between_any_characters),
        cmocka_unit_test(closing_marks_never_start_a_line),
        cmocka_unit_test(opening_marks_never_end_a_line),
        cmocka_unit_test(english_breaks_at_spaces),
        cmocka_unit_test(a_word_wider_than_the_line_is_cut),
        cmocka_unit_test(mixed_chinese_and_latin),
        cmocka_unit_test(newlines_always_break),
        cmocka_unit_test(counts_lines_beyond_the_array),
        cmocka_unit_test(character_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
