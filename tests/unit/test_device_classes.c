/* Tests of the device classes' address handling: the backend chosen by scheme (a bare path is
 * the default backend), an unknown scheme refused by name, PATH@BAUD parsed and a bad baud
 * rate refused; no device is needed (the paths do not exist). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "idcard_device.h"
#include "scanner_device.h"
#include "serial.h"

static void addresses(void **state) {
    (void)state;
    char path[64];
    int baud = 115200;
    assert_int_equal(serial_address("/dev/ttyACM0@9600", path, sizeof path, &baud), 0);
    assert_string_equal(path, "/dev/ttyACM0");
    assert_int_equal(baud, 9600);
    baud = 115200;
    assert_int_equal(serial_address("/dev/ttyS1", path, sizeof path, &baud), 0);
    assert_int_equal(baud, 115200);
    assert_int_equal(serial_address("/dev/ttyS1@fast", path, sizeof path, &baud), -1);
    assert_string_equal(device_after_scheme("ga467:/dev/x", "ga467"), "/dev/x");
    assert_null(device_after_scheme("/dev/ga467:x", "ga467")); /* a colon after a slash */
    assert_null(device_after_scheme("ga4670:/dev/x", "ga467"));
    assert_false(device_has_scheme("/dev/ttyACM0"));
    assert_true(device_has_scheme("usbhid:1234"));
}

static void reader_backends(void **state) {
    (void)state;
    struct idcard_device d;
    assert_int_equal(idcard_device_open(&d, "usbhid:0483:5750"), IDCARD_ERR_DEVICE);
    assert_null(d.ops);
    assert_non_null(strstr(d.error, "unknown reader type"));
    struct idcard_info info;
    assert_int_equal(idcard_device_poll(&d, &info, NULL), IDCARD_ERR_DEVICE);
    /* a bare path and ga467: both reach the GA 467 backend, which cannot open it */
    assert_int_equal(idcard_device_open(&d, "/nonexistent/reader"), IDCARD_ERR_DEVICE);
    assert_ptr_equal(d.ops, &idcard_ga467_ops);
    idcard_device_close(&d);
    assert_int_equal(idcard_device_open(&d, "ga467:/nonexistent/reader@9600"), IDCARD_ERR_DEVICE);
    assert_ptr_equal(d.ops, &idcard_ga467_ops);
    assert_int_equal(d.u.ga467.baud, 9600);
    idcard_device_close(&d);
}

static void scanner_backends(void **state) {
    (void)state;
    struct scanner_device d;
    assert_int_equal(scanner_device_open(&d, "hid:1"), -1);
    assert_non_null(strstr(d.error, "unknown scanner type"));
    assert_int_equal(scanner_device_open(&d, "serial:/nonexistent/scanner"), -1);
    assert_ptr_equal(d.ops, &scanner_serial_ops);
    assert_int_equal(scanner_device_open(&d, "/nonexistent/scanner@slow"), -1);
    assert_non_null(strstr(d.error, "baud"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(addresses),
        cmocka_unit_test(reader_backends),
        cmocka_unit_test(scanner_backends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
