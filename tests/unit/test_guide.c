/* Unit tests of app/guide: Markdown into blocks, and the real guide content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "guide.h"

static void parses_headings_paragraphs_and_lists(void **state) {
    (void)state;
    const char *md =
        "# 结婚登记须知\n\n第一行\n第二行，*强调*。\n\n## 材料\n\n- 身份证\n- 声明书\n\n"
        "1. 预约\n2. 签到\n\nEnglish\ntext\n";
    struct guide_topic *tp = calloc(1, sizeof *tp);
    assert_non_null(tp);
    struct guide_topic t;
    assert_int_equal(guide_parse(&t, md, strlen(md), NULL, 0), 0);
    *tp = t;
    assert_string_equal(t.title, "结婚登记须知");
    assert_int_equal(t.nblocks, 8);
    assert_int_equal(t.blocks[0].kind, GUIDE_HEADING);
    assert_int_equal(t.blocks[0].level, 1);
    /* Chinese lines join without a space; emphasis keeps its text */
    assert_string_equal(t.blocks[1].text, "第一行第二行，强调。");
    assert_int_equal(t.blocks[2].level, 2);
    assert_int_equal(t.blocks[3].kind, GUIDE_ITEM);
    assert_int_equal(t.blocks[3].number, 0);
    assert_string_equal(t.blocks[4].text, "声明书");
    assert_int_equal(t.blocks[5].number, 1);
    assert_int_equal(t.blocks[6].number, 2);
    assert_string_equal(t.blocks[6].text, "签到");
    assert_string_equal(t.blocks[7].text, "English text");
    struct guide g = {tp, 1};
    guide_free(&g);
}

static void loads_the_shipped_guide_in_both_languages(void **state) {
    (void)state;
    char why[300];
    const char *dirs[] = {ASSETS_DIR "/guide/zh-CN", ASSETS_DIR "/guide/en"};
    for (int i = 0; i < 2; i++) {
        struct guide g;
        assert_int_equal(guide_load(&g, dirs[i], why, sizeof why), 0);
        assert_int_equal(g.ntopics, 6);
        for (size_t k = 0; k < g.ntopics; k++) {
            assert_true(strlen(g.topics[k].title) > 0);
            assert_true(g.topics[k].nblocks >= 3);
        }
        guide_free(&g);
    }
    struct guide none;
    assert_int_equal(guide_load(&none, ASSETS_DIR "/no-such-dir", why, sizeof why), -1);
}

/* Pathological pages (a signed bundle once froze the kiosk 94 s and took 833 MB when the guide
 * opened) are refused whole, with the reason, in a moment. */
static void pathological_pages_are_refused(void **state) {
    (void)state;
    char why[200];
    struct guide_topic t;
    size_t n = 60000;
    char *md = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        md[i] = i % 2 ? ' ' : '>'; /* quotes inside quotes */
    md[n] = 0;
    assert_int_equal(guide_parse(&t, md, n, why, sizeof why), -1);
    assert_string_equal(why, "a page nests lists or quotes more than 6 deep");
    for (size_t i = 0; i < n; i++)
        md[i] = "- a\n"[i % 4]; /* 15,000 items */
    assert_int_equal(guide_parse(&t, md, n, why, sizeof why), -1);
    assert_string_equal(why, "a page has more than 400 headings, paragraphs and items");
    for (size_t i = 0; i < n; i++)
        md[i] = i % 3 == 2 ? '\n' : i % 3 ? ' ' : '-'; /* 20,000 empty items: no text at all */
    assert_int_equal(guide_parse(&t, md, n, why, sizeof why), -1);
    assert_string_equal(why, "a page has more than 2000 elements");
    memset(md, 'a', n); /* one paragraph of 60,000 bytes */
    assert_int_equal(guide_parse(&t, md, n, why, sizeof why), -1);
    assert_string_equal(why, "a paragraph is longer than 4096 bytes");
    char *big = calloc(1, GUIDE_PAGE_MAX + 2);
    memset(big, 'a', GUIDE_PAGE_MAX + 1);
    assert_int_equal(guide_parse(&t, big, GUIDE_PAGE_MAX + 1, why, sizeof why), -1);
    assert_string_equal(why, "a page is larger than 64 KiB");
    free(big);
    free(md);
    /* six deep is fine */
    const char *ok = "- a\n  - b\n    - c\n";
    assert_int_equal(guide_parse(&t, ok, strlen(ok), why, sizeof why), 0);
    struct guide_topic *tp = malloc(sizeof *tp);
    *tp = t;
    struct guide g = {tp, 1};
    guide_free(&g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_headings_paragraphs_and_lists),
        cmocka_unit_test(loads_the_shipped_guide_in_both_languages),
        cmocka_unit_test(pathological_pages_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
