/* The layout check on planted layouts: each kind of problem is found, and a clean layout has
 * none. Pure: layers and marks built by hand, no window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "layout_check.h"

static const struct layout_screen screens[] = {
    {1920, 1080, 21.5}, {1366, 768, 21.5}, {1280, 1024, 21.5}, {1080, 1920, 21.5}};
static char out[32][LAYOUT_PROBLEM_LEN];

static struct ui_widget *add(struct ui_layer *l, enum ui_kind kind, const char *id, int x, int y,
                             int w, int h) {
    struct ui_widget *v = &l->w[l->n++];
    memset(v, 0, sizeof *v);
    v->kind = kind;
    snprintf(v->id, sizeof v->id, "%s", id);
    v->r = (struct ui_rect){x, y, w, h};
    return v;
}

static int check(struct ui_layer *l, const struct ui_mark *m, int nm) {
    struct layout_layer ls[] = {{l, false}};
    return layout_check(ls, 1, m, nm, screens, 4, out, 32);
}

static bool said(int n, const char *what) {
    for (int i = 0; i < n && i < 32; i++)
        if (strstr(out[i], what))
            return true;
    return false;
}

static void clean_layout_passes(void **state) {
    (void)state;
    static struct ui_layer l;
    l.n = 0;
    add(&l, UI_BUTTON, "back", 64, 900, 400, 144);
    add(&l, UI_BUTTON, "next", 1456, 900, 400, 144);
    struct ui_mark m[] = {{UI_MARK_TEXT, {64, 200, 800, 60}, false, false, NULL, -1, "prompt"},
                          {UI_MARK_TEXT, {100, 940, 300, 60}, false, false, &l, 0, "上一步"}};
    int n = check(&l, m, 2);
    if (n)
        fail_msg("%s", out[0]);
}

static void each_problem_is_found(void **state) {
    (void)state;
    static struct ui_layer l;
    l.n = 0;
    add(&l, UI_BUTTON, "a", 100, 100, 400, 144);
    add(&l, UI_BUTTON, "b", 300, 150, 400, 144);  /* over a */
    add(&l, UI_BUTTON, "wide", 1700, 500, 400, 144); /* off the right edge */
    add(&l, UI_BUTTON, "tiny", 100, 700, 30, 30);    /* 7 mm at 1920x1080 21.5" */
    add(&l, UI_QR, "qr", 1200, 600, 300, 300);
    add(&l, UI_BUTTON, "cover", 1400, 850, 300, 144); /* over the QR code */
    struct ui_mark m[] = {
        {UI_MARK_TEXT, {110, 120, 500, 60}, false, false, &l, 0, "long label"}, /* out of a */
        {UI_MARK_TEXT, {600, 400, 300, 60}, false, false, NULL, -1, "one"},
        {UI_MARK_TEXT, {700, 420, 300, 60}, false, false, NULL, -1, "two"},     /* over one */
        {UI_MARK_TEXT, {250, 130, 100, 40}, false, false, NULL, -1, "under"},   /* under a, b */
        {UI_MARK_TEXT, {0, 1060, 200, 60}, false, true, NULL, -1, "low"},       /* off, overflow */
        {UI_MARK_QR, {1200, 600, 300, 300}, false, false, &l, 4, ""},
        {UI_MARK_TEXT, {400, 300, 200, 60}, true, false, NULL, -1, "scrolled"}, /* clipped: ok */
    };
    int n = check(&l, m, sizeof m / sizeof m[0]);
    assert_true(said(n, "@a and @b overlap"));
    assert_true(said(n, "@wide leaves the window"));
    assert_true(said(n, "@tiny is"));
    assert_true(said(n, "touch targets need 9 mm"));
    assert_true(said(n, "@cover covers a QR code"));
    assert_true(said(n, "「long label」 of @a is cut off"));
    assert_true(said(n, "texts 「one」 and 「two」 overlap"));
    assert_true(said(n, "「under」 (250,130 100x40) runs under @a"));
    assert_true(said(n, "「low」 leaves the window"));
    assert_true(said(n, "「low」 runs out of its box"));
    assert_false(said(n, "scrolled"));
}

/* The keyboard is an overlay: it covers the screen's lower part on purpose. */
static void an_overlay_is_checked_on_its_own(void **state) {
    (void)state;
    static struct ui_layer screen, kb;
    screen.n = kb.n = 0;
    add(&screen, UI_BUTTON, "next", 1456, 900, 400, 144);
    add(&kb, UI_BUTTON, "key_a", 1400, 880, 120, 120);
    add(&kb, UI_BUTTON, "key_b", 1500, 880, 120, 120); /* over key_a */
    struct layout_layer ls[] = {{&kb, true}, {&screen, false}};
    int n = layout_check(ls, 2, NULL, 0, screens, 4, out, 32);
    assert_true(said(n, "@key_a and @key_b overlap"));
    assert_false(said(n, "@next"));
}

static void sizes_in_mm(void **state) {
    (void)state;
    /* 1920x1080 at 21.5": 0.248 mm a pixel; 96 px are 23.8 mm */
    assert_true(layout_mm(&screens[0], 96) > 23.7 && layout_mm(&screens[0], 96) < 23.9);
    /* portrait: the landscape canvas letterboxed to 1080 wide, 0.5625 of it */
    assert_true(layout_mm(&screens[3], 96) < layout_mm(&screens[0], 96) * 0.57);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_layout_passes),
        cmocka_unit_test(each_problem_is_found),
        cmocka_unit_test(an_overlay_is_checked_on_its_own),
        cmocka_unit_test(sizes_in_mm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
