/* Unit tests of the ESC/POS builder and parser: the bytes of PROTOCOLS.md §2, GB18030 text
 * and what a printer cannot print, status answers, and builder -> parser round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "escpos.h"
#include "escpos_parse.h"

static uint8_t mem[65536];

static void commands_have_the_documented_bytes(void **state) {
    (void)state;
    struct escpos_buf b;
    escpos_begin(&b, mem, sizeof mem);
    escpos_init(&b);
    escpos_size(&b, 2, 2);
    escpos_align(&b, ESCPOS_CENTER);
    escpos_cut(&b, 3);
    const uint8_t want[] = {0x1B, 0x40, 0x1C, 0x26, 0x1D, 0x21, 0x11,
                            0x1B, 0x61, 0x01, 0x1D, 0x56, 0x42, 0x03};
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
}

static void native_qr_sequence(void **state) {
    (void)state;
    struct escpos_buf b;
    escpos_begin(&b, mem, sizeof mem);
    assert_int_equal(escpos_qr_native(&b, "ABC", 6, ESCPOS_QR_M), 0);
    const uint8_t want[] = {0x0A, 0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, 0x1D, 0x28,
                            0x6B, 0x03, 0x00, 0x31, 0x43, 0x06, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31,
                            0x45, 0x31, 0x1D, 0x28, 0x6B, 0x06, 0x00, 0x31, 0x50, 0x30, 'A',  'B',
                            'C',  0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30};
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
}

static void text_in_gb18030_and_what_cannot_print(void **state) {
    (void)state;
    struct escpos_buf b;
    escpos_begin(&b, mem, sizeof mem);
    assert_int_equal(escpos_text(&b, "中A"), 0);
    const uint8_t zhong[] = {0xD6, 0xD0, 'A'}; /* 中 in GBK */
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, zhong, 3);
    /* 𪚥 (Extension B) needs a four-byte GB18030 sequence: printers' fonts do not have it */
    size_t before = b.len;
    assert_int_equal(escpos_text(&b, "王𪚥"), -1);
    assert_int_equal(b.len, before);                   /* nothing half-written */
    assert_int_equal(escpos_text(&b, "\xFF\xFE"), -1); /* not UTF-8 */
    /* a full buffer says so and keeps what it had */
    uint8_t small[4];
    escpos_begin(&b, small, sizeof small);
    escpos_init(&b);
    escpos_cut(&b, 3);
    assert_true(b.overflow);
}

static void status_answers(void **state) {
    (void)state;
    unsigned f = 0;
    assert_int_equal(escpos_status_parse(1, 0x12, &f), 0);
    assert_int_equal(f, 0);
    assert_int_equal(escpos_status_parse(2, 0x12 | 0x20 | 0x04, &f), 0);
    assert_true(f & ESCPOS_ST_PAPER_OUT);
    assert_true(f & ESCPOS_ST_COVER_OPEN);
    f = 0;
    assert_int_equal(escpos_status_parse(4, 0x12 | 0x0C, &f), 0);
    assert_int_equal(f, ESCPOS_ST_PAPER_NEAR_END);
    assert_int_equal(escpos_status_parse(1, 0xFF, &f), -1); /* bit 7 set: garbage */
    assert_int_equal(escpos_status_parse(1, 0x00, &f), -1); /* bits 1 and 4 missing */
}

static void builder_and_parser_agree(void **state) {
    (void)state;
    struct escpos_buf b;
    escpos_begin(&b, mem, sizeof mem);
    escpos_init(&b);
    escpos_bold(&b, true);
    escpos_text(&b, "回执\n");
    assert_int_equal(escpos_qr_raster(&b, "RASTER", 4, ESCPOS_QR_M), 0);
    escpos_qr_native(&b, "NATIVE", 5, ESCPOS_QR_Q);
    escpos_status_request(&b, 2);
    escpos_cut(&b, 2);
    int seen[EP_UNKNOWN + 1] = {0};
    size_t off = 0;
    while (off < b.len) {
        struct escpos_cmd c;
        int n = escpos_parse(b.data + off, b.len - off, &c);
        assert_true(n > 0);
        seen[c.op]++;
        if (c.op == EP_QR_STORE) {
            assert_int_equal(c.len, 6);
            assert_memory_equal(c.data, "NATIVE", 6);
        }
        if (c.op == EP_RASTER)
            assert_true(c.w > 0 && c.h == c.w * 8 - (c.w * 8 - c.h)); /* square code */
        off += (size_t)n;
    }
    assert_int_equal(seen[EP_INIT], 1);
    assert_int_equal(seen[EP_BOLD], 1);
    assert_int_equal(seen[EP_TEXT], 1);
    assert_int_equal(seen[EP_RASTER], 1);
    assert_int_equal(seen[EP_QR_STORE], 1);
    assert_int_equal(seen[EP_QR_PRINT], 1);
    assert_int_equal(seen[EP_STATUS], 1);
    assert_int_equal(seen[EP_CUT], 1);
    assert_int_equal(seen[EP_UNKNOWN], 0);
    /* incomplete commands wait for more; garbage goes byte by byte */
    struct escpos_cmd c;
    const uint8_t part[] = {0x1D, 0x76, 0x30, 0x00, 0x02, 0x00};
    assert_int_equal(escpos_parse(part, sizeof part, &c), 0);
    const uint8_t lead[] = {0xD6};
    assert_int_equal(escpos_parse(lead, 1, &c), 0); /* half a Chinese character */
    const uint8_t junk[] = {0x1B, 0xFF, 0x00};
    assert_int_equal(escpos_parse(junk, sizeof junk, &c), 1);
    assert_int_equal(c.op, EP_UNKNOWN);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commands_have_the_documented_bytes),
        cmocka_unit_test(native_qr_sequence),
        cmocka_unit_test(text_in_gb18030_and_what_cannot_print),
        cmocka_unit_test(status_answers),
        cmocka_unit_test(builder_and_parser_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
