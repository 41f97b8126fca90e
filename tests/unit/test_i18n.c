/* Unit tests of ui/i18n over the real catalogs of assets/i18n. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"

static const char *const langs[] = {"zh-CN", "en", NULL};

static void looks_up_and_switches(void **state) {
    (void)state;
    struct i18n t;
    assert_int_equal(i18n_load(&t, ASSETS_DIR "/i18n", langs), 0);
    assert_string_equal(i18n_lang(&t), "zh-CN");
    assert_string_equal(i18n_get(&t, "home.guide"), "办事指南");
    assert_string_equal(i18n_get(&t, "home.switch_lang"), "English");
    assert_int_equal(i18n_set_lang(&t, "en"), 0);
    assert_string_equal(i18n_get(&t, "home.guide"), "Service guide");
    assert_string_equal(i18n_get(&t, "home.switch_lang"), "中文");
    assert_int_equal(i18n_set_lang(&t, "fr"), -1);
    assert_string_equal(i18n_lang(&t), "en");
    /* a missing key shows itself instead of crashing */
    assert_string_equal(i18n_get(&t, "no.such_key"), "no.such_key");
    i18n_free(&t);
}

static void formats_numbers(void **state) {
    (void)state;
    struct i18n t;
    assert_int_equal(i18n_load(&t, ASSETS_DIR "/i18n", langs), 0);
    char buf[128];
    assert_string_equal(i18n_format_int(&t, "unavailable.countdown", 7, buf, sizeof buf),
                        "7 秒后自动返回首页");
    i18n_set_lang(&t, "en");
    assert_string_equal(i18n_format_int(&t, "unavailable.countdown", 12, buf, sizeof buf),
                        "Back to the home screen in 12 s");
    /* English singulars: KEY_one for 1, the plain key else; Chinese has no such key */
    assert_string_equal(i18n_format_int(&t, "admin.bad", 1, buf, sizeof buf),
                        "Wrong staff number or PIN. 1 try left.");
    assert_string_equal(i18n_format_int(&t, "admin.bad", 3, buf, sizeof buf),
                        "Wrong staff number or PIN. 3 tries left.");
    i18n_set_lang(&t, "zh-CN");
    assert_non_null(strstr(i18n_format_int(&t, "admin.bad", 1, buf, sizeof buf), "1"));
    i18n_free(&t);
}

/* Every key of one catalog exists in the other: a gap would show a raw key on screen (a
 * language's singulars, KEY_one, are its own). */
static void catalogs_have_the_same_keys(void **state) {
    (void)state;
    struct i18n t;
    assert_int_equal(i18n_load(&t, ASSETS_DIR "/i18n", langs), 0);
    assert_int_equal(t.ncats, 2);
    for (int a = 0; a < 2; a++) {
        const struct i18n_catalog *c = &t.cats[a], *o = &t.cats[1 - a];
        assert_true(c->count > 40);
        for (size_t i = 0; i < c->count; i++) {
            size_t kl = strlen(c->entries[i].key);
            if (kl > 4 && !strcmp(c->entries[i].key + kl - 4, "_one"))
                continue;
            int found = 0;
            for (size_t j = 0; j < o->count && !found; j++)
                found = strcmp(c->entries[i].key, o->entries[j].key) == 0;
            if (!found)
                fail_msg("key %s of %s is missing in %s", c->entries[i].key, c->lang, o->lang);
        }
    }
    i18n_free(&t);
}

static void a_missing_catalog_is_an_error(void **state) {
    (void)state;
    struct i18n t;
    static const char *const bad[] = {"zh-CN", "xx", NULL};
    assert_int_equal(i18n_load(&t, ASSETS_DIR "/i18n", bad), -1);
    assert_int_equal(t.ncats, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(looks_up_and_switches),
        cmocka_unit_test(formats_numbers),
        cmocka_unit_test(catalogs_have_the_same_keys),
        cmocka_unit_test(a_missing_catalog_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
