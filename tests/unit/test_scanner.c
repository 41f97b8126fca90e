/* Unit tests of the scanner decoders: a wedge burst is a scan, a person typing is not; serial
 * lines end in CR, LF or CR LF; overlong input is dropped whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "scanner.h"

static int type(struct wedge *w, const char *s, int64_t t0, int gap, char *out) {
    char k[2] = {0, 0};
    int64_t t = t0;
    for (const char *p = s; *p; p++, t += gap) {
        k[0] = *p;
        wedge_key(w, k, t, out, SCANNER_CODE_MAX);
    }
    return wedge_key(w, NULL, t, out, SCANNER_CODE_MAX);
}

static void a_fast_burst_is_a_scan(void **state) {
    (void)state;
    struct wedge w;
    char out[SCANNER_CODE_MAX];
    wedge_init(&w, 30, 4);
    assert_int_equal(type(&w, "YT-20261123-0042", 1000, 8, out), 1);
    assert_string_equal(out, "YT-20261123-0042");
}

static void a_person_typing_is_not(void **state) {
    (void)state;
    struct wedge w;
    char out[SCANNER_CODE_MAX] = "";
    wedge_init(&w, 30, 4);
    assert_int_equal(type(&w, "12345678", 1000, 180, out), 0);
    assert_int_equal(type(&w, "ab", 5000, 5, out), 0); /* too short for a code */
    /* a pause inside a burst: only the part after it could be a code, and it is too short */
    char k[2] = "A";
    wedge_key(&w, k, 9000, out, sizeof out);
    wedge_key(&w, k, 9005, out, sizeof out);
    wedge_key(&w, k, 9500, out, sizeof out);
    assert_int_equal(wedge_key(&w, NULL, 9505, out, sizeof out), 0);
    /* the decoder is ready for the next scan */
    assert_int_equal(type(&w, "CODE-1", 20000, 5, out), 1);
    assert_string_equal(out, "CODE-1");
}

static void overlong_bursts_are_dropped(void **state) {
    (void)state;
    struct wedge w;
    char out[SCANNER_CODE_MAX];
    wedge_init(&w, 30, 4);
    char big[SCANNER_CODE_MAX + 10];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(type(&w, big, 0, 1, out), 0);
}

static char got[4][SCANNER_CODE_MAX];
static int ngot;
static void collect(void *ctx, const char *code) {
    (void)ctx;
    if (ngot < 4)
        strcpy(got[ngot++], code);
}

static void serial_lines(void **state) {
    (void)state;
    struct lines l;
    lines_init(&l);
    ngot = 0;
    const char *a = "YT-1\r\nYT-2\rYT", *b = "-3\n\r\n";
    assert_int_equal(lines_feed(&l, (const uint8_t *)a, strlen(a), collect, NULL), 2);
    assert_int_equal(lines_feed(&l, (const uint8_t *)b, strlen(b), collect, NULL), 1);
    assert_int_equal(ngot, 3);
    assert_string_equal(got[0], "YT-1");
    assert_string_equal(got[1], "YT-2");
    assert_string_equal(got[2], "YT-3");
    uint8_t big[SCANNER_CODE_MAX + 20];
    memset(big, 'y', sizeof big);
    big[sizeof big - 1] = '\n';
    assert_int_equal(lines_feed(&l, big, sizeof big, collect, NULL), 0);
    assert_int_equal(lines_feed(&l, (const uint8_t *)"OK\n", 3, collect, NULL), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_fast_burst_is_a_scan),
        cmocka_unit_test(a_person_typing_is_not),
        cmocka_unit_test(overlong_bursts_are_dropped),
        cmocka_unit_test(serial_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
