/* Tests of the toolkit on the offscreen video driver (no display needed): the QR view reads
 * back module for module, the spinner moves, the text cache keeps its cap and forgets personal
 * text, rare characters come from the fallback fonts, and a layer's taps and holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "widget.h"

static struct ui *ui;
static struct i18n i18n;
static const struct ui_color black = {0, 0, 0, 255};

static struct ui *make_ui(size_t cache) {
    struct ui_options o = {.headless = true,
                           .fonts_file = FONTS_FILE,
                           .text_cache_bytes = cache,
                           .theme = "standard",
                           .i18n = &i18n};
    return ui_create(&o);
}

/* Number of pixels in r darker than mid-grey. */
static long dark_pixels(struct ui_rect r) {
    uint8_t *px = malloc((size_t)r.w * (size_t)r.h * 3);
    assert_non_null(px);
    assert_int_equal(ui_read_rgb(ui, r, px), 0);
    long n = 0;
    for (long i = 0; i < (long)r.w * r.h; i++)
        n += px[i * 3] + px[i * 3 + 1] + px[i * 3 + 2] < 3 * 128;
    free(px);
    return n;
}

static void qr_view_matches_the_code_module_for_module(void **state) {
    (void)state;
    const char *data = "KIOSK-RECEIPT-TEST-0001";
    struct ui_rect r = {100, 100, 400, 400};
    ui_begin_frame(ui);
    assert_int_equal(ui_draw_qr(ui, data, r), 0);
    QRcode *q = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(q);
    int modules = q->width + 8, m = 400 / modules, size = m * modules;
    int x0 = r.x + (r.w - size) / 2, y0 = r.y + (r.h - size) / 2;
    uint8_t *px = malloc(400 * 400 * 3);
    assert_int_equal(ui_read_rgb(ui, r, px), 0);
    for (int y = 0; y < q->width; y++) {
        for (int x = 0; x < q->width; x++) {
            int cx = x0 + (x + 4) * m + m / 2 - r.x, cy = y0 + (y + 4) * m + m / 2 - r.y;
            int dark = px[(cy * 400 + cx) * 3] < 128;
            assert_int_equal(dark, q->data[y * q->width + x] & 1);
        }
    }
    /* the quiet zone is white */
    assert_true(px[((y0 - r.y + m) * 400 + (x0 - r.x + m)) * 3] > 200);
    free(px);
    QRcode_free(q);
    ui_end_frame(ui);
}

static void spinner_moves(void **state) {
    (void)state;
    struct ui_rect r = {600, 100, 200, 200};
    uint8_t *a = malloc(200 * 200 * 3), *b = malloc(200 * 200 * 3);
    ui_begin_frame(ui);
    ui_draw_spinner(ui, 700, 200, 80, 0);
    assert_int_equal(ui_read_rgb(ui, r, a), 0);
    ui_end_frame(ui);
    ui_begin_frame(ui);
    ui_draw_spinner(ui, 700, 200, 80, 500);
    assert_int_equal(ui_read_rgb(ui, r, b), 0);
    ui_end_frame(ui);
    assert_memory_not_equal(a, b, 200 * 200 * 3);
    free(a);
    free(b);
}

static void text_cache_keeps_its_cap(void **state) {
    (void)state;
    size_t cap = 1024 * 1024;
    ui_destroy(ui); /* one window at a time: SDL is shut down with it */
    struct ui *small = make_ui(cap);
    assert_non_null(small);
    ui_begin_frame(small);
    char s[64];
    for (int i = 0; i < 300; i++) {
        snprintf(s, sizeof s, "第%d号 婚姻登记 %d", i, i * 7);
        ui_text(small, UI_FONT_HEADING, false, black, s, 10, 10, UI_LEFT, UI_TOP);
        /* one line may exceed what is left, never the cap by more than itself */
        assert_true(ui_text_cache_bytes(small) <= cap + 200 * 1024);
    }
    assert_true(ui_text_cache_bytes(small) <= cap + 200 * 1024);
    assert_true(ui_text_cache_entries(small) < 300);
    assert_true(ui_text_cache_entries(small) > 3);
    ui_end_frame(small);
    ui_destroy(small);
    ui = make_ui(16u << 20); /* ui_destroy ended SDL: start the shared one again */
    assert_non_null(ui);
}

static void personal_text_is_forgotten(void **state) {
    (void)state;
    ui_begin_frame(ui);
    ui_text(ui, UI_FONT_BODY, false, black, "办事指南", 10, 10, UI_LEFT, UI_TOP);
    size_t before = ui_text_cache_entries(ui);
    ui_set_personal(ui, true);
    ui_text(ui, UI_FONT_BODY, false, black, "郑测涛 370602********3011", 10, 60, UI_LEFT, UI_TOP);
    ui_set_personal(ui, false);
    ui_end_frame(ui);
    assert_int_equal(ui_text_cache_entries(ui), before + 1);
    assert_true(ui_text_visible(ui, "郑测涛"));
    ui_forget_personal(ui);
    assert_int_equal(ui_text_cache_entries(ui), before); /* the public line stays cached */
    assert_false(ui_text_visible(ui, "郑测涛"));
}

static void rare_characters_come_from_the_fallback_fonts(void **state) {
    (void)state;
    /* U+2A6A5 (CJK Extension B): not in Noto Sans CJK's first choice for every size, but in
     * HanaMin B; U+4E2D 中 from Noto. Both must draw ink. */
    const char *rare = "\xF0\xAA\x9A\xA5", *common = "中";
    struct ui_rect r = {1000, 100, 200, 120};
    ui_begin_frame(ui);
    ui_text(ui, UI_FONT_TITLE, false, black, rare, 1000, 100, UI_LEFT, UI_TOP);
    long rare_ink = dark_pixels(r);
    ui_end_frame(ui);
    ui_begin_frame(ui);
    ui_text(ui, UI_FONT_TITLE, false, black, common, 1000, 100, UI_LEFT, UI_TOP);
    long common_ink = dark_pixels(r);
    ui_end_frame(ui);
    assert_true(common_ink > 200);
    assert_true(rare_ink > 200);
    assert_true(ui_text_width(ui, UI_FONT_TITLE, false, rare) > 20);
}

static void wrapped_text_uses_more_lines_when_narrower(void **state) {
    (void)state;
    const char *s = "男女双方本人有效的居民身份证，签署《申请结婚登记声明书》。";
    int one = ui_text_box_height(ui, UI_FONT_BODY, false, s, 1800);
    int narrow = ui_text_box_height(ui, UI_FONT_BODY, false, s, 300);
    assert_true(one > 0);
    assert_true(narrow >= one * 4);
}

static int taps;
static void count_tap(void *ctx, struct ui_widget *w) {
    (void)ctx;
    (void)w;
    taps++;
}

static void layer_taps_slides_and_holds(void **state) {
    (void)state;
    struct ui_layer l;
    ui_layer_clear(&l);
    ui_add_button(&l, "ok", (struct ui_rect){100, 100, 200, 100}, "确定", UI_STYLE_PRIMARY,
                  count_tap, NULL);
    struct ui_widget *hold = ui_add(&l, UI_HOTSPOT, "staff", (struct ui_rect){0, 0, 50, 50}, "");
    hold->hold_ms = 3000;
    hold->on_tap = count_tap;
    taps = 0;
    struct ui_event down = {.type = UI_EV_DOWN, .x = 150, .y = 150};
    struct ui_event up = {.type = UI_EV_UP, .x = 160, .y = 160};
    struct ui_event away = {.type = UI_EV_MOVE, .x = 500, .y = 500};
    assert_true(ui_layer_event(ui, &l, &down, 0));
    assert_true(l.w[0].flags & UI_F_PRESSED);
    assert_true(ui_layer_event(ui, &l, &up, 10));
    assert_int_equal(taps, 1);
    /* sliding off cancels the press */
    ui_layer_event(ui, &l, &down, 20);
    ui_layer_event(ui, &l, &away, 30);
    ui_layer_event(ui, &l, &up, 40);
    assert_int_equal(taps, 1);
    /* outside every widget: not taken */
    struct ui_event miss = {.type = UI_EV_DOWN, .x = 900, .y = 900};
    assert_false(ui_layer_event(ui, &l, &miss, 50));
    /* a hold fires only after hold_ms, from the tick, and once */
    struct ui_event hd = {.type = UI_EV_DOWN, .x = 10, .y = 10};
    struct ui_event hu = {.type = UI_EV_UP, .x = 10, .y = 10};
    ui_layer_event(ui, &l, &hd, 1000);
    ui_layer_event(ui, &l, &hu, 1500);
    assert_int_equal(taps, 1);
    ui_layer_event(ui, &l, &hd, 2000);
    assert_int_equal(ui_layer_tick(ui, &l, 4000), 1000);
    assert_int_equal(ui_layer_tick(ui, &l, 5000), -1);
    assert_int_equal(taps, 2);
    ui_layer_event(ui, &l, &hu, 5100);
    assert_int_equal(taps, 2);
    /* find by text and by id; hidden widgets are not found */
    assert_ptr_equal(ui_layer_find(&l, "确定"), &l.w[0]);
    assert_ptr_equal(ui_layer_find(&l, "@staff"), &l.w[1]);
    l.w[0].flags |= UI_F_HIDDEN;
    assert_null(ui_layer_find(&l, "确定"));
}

static void fields_group_digits_as_typed(void **state) {
    (void)state;
    char out[64];
    ui_group_text(UI_GROUP_PHONE, "13800000001", out, sizeof out);
    assert_string_equal(out, "138 0000 0001");
    ui_group_text(UI_GROUP_PHONE, "1380", out, sizeof out); /* half typed */
    assert_string_equal(out, "138 0");
    ui_group_text(UI_GROUP_ID, "37060219950312301X", out, sizeof out);
    assert_string_equal(out, "370602 19950312 301X");
    ui_group_text(UI_GROUP_DATE, "19950128", out, sizeof out);
    assert_string_equal(out, "1995 01 28");
    ui_group_text(UI_GROUP_CODE, "2026112301234567", out, sizeof out);
    assert_string_equal(out, "2026 1123 0123 4567");
    ui_group_text(UI_GROUP_CODE, "370602199503123011", out, sizeof out);
    assert_string_equal(out, "370602 19950312 3011");
    ui_group_text(UI_GROUP_NONE, "abc def", out, sizeof out);
    assert_string_equal(out, "abc def");
    ui_group_text(UI_GROUP_PHONE, "138000000019999", out, sizeof out); /* too long: the rest */
    assert_string_equal(out, "138 0000 0001 9999");
    ui_group_text(UI_GROUP_PHONE, "13800000001", out, 6); /* cut, terminated */
    assert_string_equal(out, "138 0");
    ui_group_text(UI_GROUP_PHONE, "", out, sizeof out);
    assert_string_equal(out, "");
}

static int setup(void **state) {
    (void)state;
    static const char *const langs[] = {"zh-CN", "en", NULL};
    if (i18n_load(&i18n, ASSETS_DIR "/i18n", langs) != 0)
        return -1;
    ui = make_ui(16u << 20);
    return ui ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    ui_destroy(ui);
    i18n_free(&i18n);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(qr_view_matches_the_code_module_for_module),
        cmocka_unit_test(spinner_moves),
        cmocka_unit_test(text_cache_keeps_its_cap),
        cmocka_unit_test(personal_text_is_forgotten),
        cmocka_unit_test(rare_characters_come_from_the_fallback_fonts),
        cmocka_unit_test(wrapped_text_uses_more_lines_when_narrower),
        cmocka_unit_test(layer_taps_slides_and_holds),
        cmocka_unit_test(fields_group_digits_as_typed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
