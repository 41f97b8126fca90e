/* Tests of content/: the packaged assets load whole; a bundle missing its form, with a form cut
 * short, without a guide language or without catalogs is refused by content_check with the
 * part named; a lenient load keeps what loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"

static char dir[256];

/* Runs "CMD DIR/PATH". */
static void sh(const char *cmd, const char *path) {
    char line[1024];
    snprintf(line, sizeof line, "%s %s%s", cmd, dir, path);
    assert_int_equal(system(line), 0);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_content.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char cmd[700];
    snprintf(cmd, sizeof cmd, "cp -r %s/. %s/", ASSETS_DIR, dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    sh("rm -rf", "");
    return 0;
}

static void packaged_assets_load(void **state) {
    (void)state;
    char why[300] = "";
    assert_int_equal(content_check(ASSETS_DIR, why, sizeof why), 0);
    struct content c;
    assert_int_equal(content_load(&c, ASSETS_DIR, CONTENT_ALL, CONTENT_ALL, why, sizeof why), 0);
    assert_non_null(content_form(&c));
    assert_non_null(content_guide(&c, "zh-CN"));
    assert_non_null(content_guide(&c, "en"));
    assert_true(content_guide(&c, "zh-CN")->ntopics > 0);
    assert_null(content_guide(&c, "fr"));
    assert_true(c.loaded & CONTENT_CALENDAR);
    content_free(&c);
}

static void cut_form_is_refused(void **state) {
    (void)state;
    sh("truncate -s 200", "/forms/joint.json");
    char why[300] = "";
    assert_int_equal(content_check(dir, why, sizeof why), -1);
    assert_non_null(strstr(why, "joint form"));
    /* lenient: the guide and catalogs are kept, the form is not there */
    struct content c;
    assert_int_equal(content_load(&c, dir, CONTENT_ALL, CONTENT_CATALOGS, why, sizeof why), 0);
    assert_null(content_form(&c));
    assert_non_null(content_guide(&c, "en"));
    content_free(&c);
}

static void missing_guide_language_is_refused(void **state) {
    (void)state;
    sh("rm -rf", "/guide/en");
    char why[300] = "";
    assert_int_equal(content_check(dir, why, sizeof why), -1);
    assert_non_null(strstr(why, "guide for en"));
}

static void missing_catalogs_are_refused(void **state) {
    (void)state;
    sh("rm -rf", "/i18n");
    char why[300] = "";
    assert_int_equal(content_check(dir, why, sizeof why), -1);
    assert_non_null(strstr(why, "catalogs"));
    struct content c;
    assert_int_equal(content_load(&c, dir, CONTENT_ALL, CONTENT_CATALOGS, why, sizeof why), -1);
    assert_int_equal(c.loaded, 0); /* nothing kept of a refused load */
}

/* a calendar that does not parse refuses the bundle; the kiosk's lenient load goes on with every
 * day open (no one is refused for it) */
static void bad_calendar_is_refused(void **state) {
    (void)state;
    sh("sh -c 'echo \"{\\\"hours\\\": 1}\" >\"$0\"'", "/calendar/calendar.json");
    char why[300] = "";
    assert_int_equal(content_check(dir, why, sizeof why), -1);
    assert_non_null(strstr(why, "calendar"));
    struct content c;
    assert_int_equal(content_load(&c, dir, CONTENT_ALL, CONTENT_CATALOGS, why, sizeof why), 0);
    assert_false(c.loaded & CONTENT_CALENDAR);
    assert_true(calendar_open(content_calendar(&c), "370602", 20270102, 22 * 60));
    content_free(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(packaged_assets_load),
        cmocka_unit_test_setup_teardown(cut_form_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_guide_language_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_catalogs_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_calendar_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
