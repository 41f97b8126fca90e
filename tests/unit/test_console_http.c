/* Tests of the clerk console's parsing (registry/console_http.c): a form's fields decoded
 * (%XX, '+' as a space), its limits, control characters and bad UTF-8 refused whole; a cookie
 * among others; HTML escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "console_http.h"

static int parse(const char *body, struct console_form *f) {
    return console_form_parse(body, strlen(body), f);
}

static void test_form(void **state) {
    (void)state;
    struct console_form f;
    assert_int_equal(parse("csrf=ab12&reason=%E8%AF%B7%E6%90%BA%E5%B8%A6+%E6%88%B7%E5%8F%A3%E7%B0%"
                           "BF%0Aok&to=room%3A%E7%A6%BB",
                           &f),
                     0);
    assert_int_equal(f.n, 3);
    assert_string_equal(console_form_get(&f, "csrf"), "ab12");
    assert_string_equal(console_form_get(&f, "reason"), "请携带 户口簿\nok");
    assert_string_equal(console_form_get(&f, "to"), "room:离");
    assert_null(console_form_get(&f, "window"));
    console_form_free(&f);
    assert_int_equal(parse("", &f), 0);
    assert_int_equal(f.n, 0);
    /* a control character, bad UTF-8, a NUL: refused whole */
    assert_int_equal(parse("a=1&b=%01", &f), -1);
    assert_int_equal(f.n, 0);
    assert_int_equal(parse("a=%FF%FE", &f), -1);
    assert_int_equal(console_form_parse("a=1\0b=2", 7, &f), -1);
    /* limits: fields, a value's size, the body's */
    char big[CONSOLE_FORM_MAX + 16];
    big[0] = 0;
    for (int i = 0; i <= CONSOLE_FORM_FIELDS; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "f%d=1&", i);
    assert_int_equal(parse(big, &f), -1);
    memset(big, 'x', sizeof big - 1);
    big[0] = 'v';
    big[1] = '=';
    big[CONSOLE_FIELD_MAX + 3] = 0;
    assert_int_equal(parse(big, &f), -1);
    big[CONSOLE_FIELD_MAX + 2] = 0;
    assert_int_equal(parse(big, &f), 0);
    console_form_free(&f);
    memset(big, 'x', sizeof big - 1); /* past the body's limit */
    big[sizeof big - 1] = 0;
    assert_int_equal(parse(big, &f), -1);
}

static void test_cookie(void **state) {
    (void)state;
    char v[65];
    assert_int_equal(
        console_cookie("a=1; console_session=abcdef; b=2", "console_session", v, sizeof v), 0);
    assert_string_equal(v, "abcdef");
    assert_int_equal(
        console_cookie("console_session_x=1; console_session=9", "console_session", v, sizeof v),
        0);
    assert_string_equal(v, "9");
    assert_int_equal(console_cookie("x=console_session=1", "console_session", v, sizeof v), -1);
    assert_int_equal(console_cookie("console_session=", "console_session", v, sizeof v), -1);
    assert_int_equal(console_cookie(NULL, "console_session", v, sizeof v), -1);
    assert_int_equal(console_cookie("console_session=0123456789", "console_session", v, 5), -1);
}

static void test_escape(void **state) {
    (void)state;
    const char *s = "<script>alert('张\"&')</script>";
    char out[256];
    console_html_escape(s, strlen(s), out);
    assert_string_equal(out, "&lt;script&gt;alert(&#39;张&quot;&amp;&#39;)&lt;/script&gt;");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form),
        cmocka_unit_test(test_cookie),
        cmocka_unit_test(test_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
