/* Unit tests of app/config: values, defaults, and errors that name the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char path[256];

static void write_config(const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void reads_values_and_resolves_paths(void **state) {
    (void)state;
    struct kiosk_config c;
    config_defaults(&c, "A", "F");
    /* the idle warning after 90 s with 30 s to answer; 关怀版 180 s and 60 s */
    assert_int_equal(c.idle_timeout_s, 90);
    assert_int_equal(c.idle_countdown_s, 30);
    assert_int_equal(c.idle_timeout_care_s, 180);
    assert_int_equal(c.idle_countdown_care_s, 60);
    assert_string_equal(c.timezone, "Asia/Shanghai");
    write_config("[office]\nname = 烟台市莱山区婚姻登记处\ncode = 370613\n"
                 "[kiosk]\nidle_timeout = 120\nidle_countdown_care = 90\ntheme = care-contrast\n"
                 "[paths]\nassets = ../assets\n");
    char err[256];
    assert_int_equal(config_load(&c, path, err, sizeof err), 0);
    assert_string_equal(c.office_name, "烟台市莱山区婚姻登记处");
    assert_string_equal(c.office_code, "370613");
    assert_int_equal(c.idle_timeout_s, 120);
    assert_int_equal(c.idle_countdown_care_s, 90);
    assert_string_equal(c.theme, "care-contrast");
    assert_non_null(strstr(c.assets_dir, "/../assets"));
    assert_string_equal(c.fonts_file, "F");
    /* no designations by default: foreign and HK/Macao/Taiwan cards go elsewhere */
    assert_false(c.designated_foreign || c.designated_hkmt);
    assert_int_equal(c.card_remind_s, 20);
    write_config("[office]\ndesignations = hkmt, foreign\ndesignated_office = 烟台市婚姻登记处\n"
                 "[kiosk]\ncard_remind = 0\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), 0);
    assert_true(c.designated_foreign && c.designated_hkmt);
    assert_string_equal(c.designated_office, "烟台市婚姻登记处");
    assert_int_equal(c.card_remind_s, 0);
}

static void rejects_bad_values_naming_the_line(void **state) {
    (void)state;
    struct kiosk_config c;
    char err[256];
    config_defaults(&c, "A", "F");
    write_config("[office]\ncode = 3706\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 2"));
    assert_non_null(strstr(err, "6-digit"));
    write_config("[kiosk]\nidle_timeout = 2\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    write_config("[kiosk]\nidle_countdown_care = 301\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    write_config("[office]\ntimezone = Mars/Olympus_Mons\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "time zone"));
    write_config("[office]\ntimezone = ../../etc/passwd\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    write_config("[kiosk]\ntheme = dark\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "care-contrast"));
    write_config("[office]\ndesignations = foreign, overseas\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "foreign and hkmt"));
    write_config("[kiosk]\ncard_remind = 601\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    write_config("[kiosk]\nlanguage = fr\n");
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    assert_int_equal(config_load(&c, "/nonexistent/kiosk.ini", err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot read /nonexistent/kiosk.ini"));
    /* a device or FIFO named as the configuration is refused, not read without end */
    assert_int_equal(config_load(&c, "/dev/zero", err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file"));
}

static int setup(void **state) {
    (void)state;
    snprintf(path, sizeof path, "%s/kiosk-config-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_values_and_resolves_paths),
        cmocka_unit_test(rejects_bad_values_naming_the_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
