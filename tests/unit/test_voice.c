/* Unit tests of ui/voice: queue numbers are read digit by digit (DESIGN.md §9). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "voice.h"

static void numbers_digit_by_digit(void **state) {
    (void)state;
    char out[128];
    voice_number_pinyin("A012", out, sizeof out);
    assert_string_equal(out, "A ling2 yi1 er4");
    voice_number_pinyin("W100", out, sizeof out);
    assert_string_equal(out, "W yi1 ling2 ling2");
    voice_number_pinyin("3-5", out, sizeof out);
    assert_string_equal(out, "san1 wu3"); /* separators are not read */
    voice_number_pinyin("", out, sizeof out);
    assert_string_equal(out, "");
    char tiny[12];
    voice_number_pinyin("123456789", tiny, sizeof tiny);
    assert_true(strlen(tiny) < sizeof tiny); /* cut, never overrun */
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(numbers_digit_by_digit)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
