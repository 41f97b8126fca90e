/* Unit tests of the GA 467 frame codec with byte fixtures from PROTOCOLS.md §1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ga467.h"

/* The fixed commands with their checksums, as PROTOCOLS.md lists them (computed there, not
 * copied from public snippets). */
static void commands_carry_the_documented_checksums(void **state) {
    (void)state;
    static const struct {
        unsigned cmd;
        uint8_t chk;
    } fixed[] = {{0x10FF, 0xEC}, {0x11FF, 0xED}, {0x12FF, 0xEE}, {0x2001, 0x22},
                 {0x2002, 0x21}, {0x3001, 0x32}, {0x3003, 0x30}, {0x3010, 0x23}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        uint8_t out[16];
        assert_int_equal(ga467_build_command(fixed[i].cmd, NULL, 0, out, sizeof out), 10);
        const uint8_t want[10] = {0xAA,
                                  0xAA,
                                  0xAA,
                                  0x96,
                                  0x69,
                                  0x00,
                                  0x03,
                                  (uint8_t)(fixed[i].cmd >> 8),
                                  (uint8_t)fixed[i].cmd,
                                  fixed[i].chk};
        assert_memory_equal(out, want, 10);
    }
}

static void parses_an_answer_given_byte_by_byte(void **state) {
    (void)state;
    uint8_t frame[64];
    const uint8_t data[4] = {1, 2, 3, 4};
    int n = ga467_build_answer(0x00, 0x00, 0x90, data, 4, frame, sizeof frame);
    assert_int_equal(n, 7 + 3 + 4 + 1);
    struct ga467_frame f;
    for (int i = 0; i < n; i++)
        assert_int_equal(ga467_parse(frame, (size_t)i, &f), 0); /* not yet */
    assert_int_equal(ga467_parse(frame, (size_t)n, &f), n);
    assert_int_equal(f.kind, GA467_FRAME);
    assert_int_equal(f.payload_len, 7);
    assert_int_equal(f.payload[2], 0x90);
    assert_memory_equal(f.payload + 3, data, 4);
}

static void resynchronises_after_noise(void **state) {
    (void)state;
    uint8_t buf[64] = {0x13, 0xAA, 0xAA, 0x00, 0xAA, 0xAA, 0xAA, 0x96};
    int n = ga467_build_answer(0, 0, 0x9F, NULL, 0, buf + 8, sizeof buf - 8);
    struct ga467_frame f;
    /* the first 4 bytes cannot start a preamble; AA AA AA 96 at 4 could, but not 69 after */
    size_t off = 0, len = (size_t)n + 8;
    int frames = 0, noise = 0;
    while (off < len) {
        int r = ga467_parse(buf + off, len - off, &f);
        assert_true(r > 0);
        if (f.kind == GA467_FRAME) {
            frames++;
            assert_int_equal(f.payload[2], 0x9F);
        } else {
            noise++;
        }
        off += (size_t)r;
    }
    assert_int_equal(frames, 1);
    assert_true(noise >= 1);
    /* a partial preamble at the end waits for more */
    const uint8_t tail[] = {0x55, 0xAA, 0xAA};
    assert_int_equal(ga467_parse(tail, 3, &f), 1);
    assert_int_equal(f.kind, GA467_NOISE);
    assert_int_equal(ga467_parse(tail + 1, 2, &f), 0);
}

static void rejects_bad_checksums_and_lengths(void **state) {
    (void)state;
    uint8_t frame[32];
    int n = ga467_build_answer(0, 0, 0x90, NULL, 0, frame, sizeof frame);
    frame[n - 1] ^= 1;
    struct ga467_frame f;
    assert_int_equal(ga467_parse(frame, (size_t)n, &f), n);
    assert_int_equal(f.kind, GA467_BAD_CHECKSUM);
    /* LEN beyond the longest answer: not a header */
    uint8_t big[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF, 0, 0, 0};
    int r = ga467_parse(big, sizeof big, &f);
    assert_true(r >= 1);
    assert_int_equal(f.kind, GA467_BAD_LENGTH);
    uint8_t tiny[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x01, 0x01};
    assert_true(ga467_parse(tiny, sizeof tiny, &f) >= 1);
    assert_int_equal(f.kind, GA467_BAD_LENGTH);
    /* building refuses what does not fit */
    assert_int_equal(ga467_build_answer(0, 0, 0x90, NULL, 0, frame, 5), -1);
    assert_int_equal(ga467_parse(NULL, 0, &f), -1);
}

static void the_longest_answer_fits(void **state) {
    (void)state;
    static uint8_t data[6 + 256 + 1024 + 1024];
    static uint8_t out[GA467_MAX_FRAME];
    int n = ga467_build_answer(0, 0, 0x90, data, sizeof data, out, sizeof out);
    assert_true(n > 0);
    struct ga467_frame f;
    assert_int_equal(ga467_parse(out, (size_t)n, &f), n);
    assert_int_equal(f.kind, GA467_FRAME);
    assert_string_equal(ga467_sw_text(0x41), "read failed");
    assert_string_equal(ga467_sw_text(0x80), "no card");
    assert_string_equal(ga467_sw_text(0x77), "unknown status");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commands_carry_the_documented_checksums),
        cmocka_unit_test(parses_an_answer_given_byte_by_byte),
        cmocka_unit_test(resynchronises_after_noise),
        cmocka_unit_test(rejects_bad_checksums_and_lengths),
        cmocka_unit_test(the_longest_answer_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
