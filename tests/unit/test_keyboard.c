/* Unit tests of ui/keyboard: letters and digits, and the pinyin candidate flow through the real
 * librime (deployed into a temporary directory), including that nothing typed is learned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyboard.h"

static struct ime *ime;
static char rime_dir[256];

static void press_all(struct keyboard *kb, const char *letters) {
    for (const char *p = letters; *p; p++) {
        char k[2] = {*p, 0};
        assert_int_equal(kb_press(kb, k), KB_CHANGED);
    }
}

static void letters_shift_and_backspace(void **state) {
    (void)state;
    struct keyboard kb;
    char buf[16] = "";
    kb_init(&kb, NULL);
    kb_attach(&kb, buf, sizeof buf, KB_PINYIN, KB_KEYS_ALL); /* no engine: falls back to letters */
    assert_int_equal(kb.mode, KB_LETTERS);
    press_all(&kb, "ab");
    kb_press(&kb, "shift");
    kb_press(&kb, "c");
    kb_press(&kb, "space");
    assert_string_equal(buf, "abC ");
    kb_press(&kb, "bksp");
    kb_press(&kb, "bksp");
    assert_string_equal(buf, "ab");
    assert_int_equal(kb_press(&kb, "done"), KB_DONE);
    kb_detach(&kb);
    assert_false(kb_attached(&kb));
    assert_int_equal(kb_press(&kb, "a"), KB_NONE);
}

static void digits_only_and_capacity(void **state) {
    (void)state;
    struct keyboard kb;
    char buf[6] = "";
    kb_init(&kb, NULL);
    kb_attach(&kb, buf, sizeof buf, KB_LETTERS, KB_KEYS_DIGITS_X);
    assert_int_equal(kb.mode, KB_DIGITS);
    press_all(&kb, "1234X");
    kb_press(&kb, "9"); /* the buffer holds 5 characters and the NUL */
    assert_string_equal(buf, "1234X");
    kb_press(&kb, "mode_letters"); /* an ID number field cannot leave digits */
    assert_int_equal(kb.mode, KB_DIGITS);
    kb_press(&kb, "clear");
    assert_string_equal(buf, "");
    /* multi-byte text is never cut in the middle of a character */
    assert_int_equal(kb_type(&kb, "张三"), KB_CHANGED);
    assert_string_equal(buf, "张");
    kb_press(&kb, "bksp");
    assert_string_equal(buf, "");
    /* a phone number or a date takes no X */
    kb_attach(&kb, buf, sizeof buf, KB_DIGITS, KB_KEYS_DIGITS);
    press_all(&kb, "13");
    kb_press(&kb, "X");
    assert_string_equal(buf, "13");
}

static void pinyin_candidates_and_selection(void **state) {
    (void)state;
    struct keyboard kb;
    char buf[64] = "";
    kb_init(&kb, ime);
    kb_attach(&kb, buf, sizeof buf, KB_PINYIN, KB_KEYS_ALL);
    assert_int_equal(kb.mode, KB_PINYIN);
    press_all(&kb, "zhangsan");
    assert_string_equal(kb.ime_st.preedit, "zhang san");
    assert_true(kb.ime_st.count >= 5);
    assert_string_equal(kb.ime_st.cand[0], "张三");
    assert_string_equal(buf, ""); /* nothing is in the field until a candidate is chosen */
    /* backspace edits the composition, not the field */
    kb_press(&kb, "bksp");
    assert_string_equal(kb.ime_st.preedit, "zhang sa");
    kb_press(&kb, "n");
    assert_int_equal(kb_press(&kb, "cand0"), KB_CHANGED);
    assert_string_equal(buf, "张三");
    assert_string_equal(kb.ime_st.preedit, "");
    assert_int_equal(kb.ime_st.count, 0);
    kb_detach(&kb);
}

static void candidate_pages(void **state) {
    (void)state;
    struct keyboard kb;
    char buf[64] = "";
    kb_init(&kb, ime);
    kb_attach(&kb, buf, sizeof buf, KB_PINYIN, KB_KEYS_ALL);
    press_all(&kb, "li");
    assert_int_equal(kb.ime_st.page, 0);
    char first[IME_CAND_BYTES];
    snprintf(first, sizeof first, "%s", kb.ime_st.cand[0]);
    kb_press(&kb, "next");
    kb_press(&kb, "next");
    assert_int_equal(kb.ime_st.page, 2);
    assert_string_not_equal(kb.ime_st.cand[0], first);
    kb_press(&kb, "cand1");
    assert_true(strlen(buf) >= 3); /* one Chinese character from page 3 */
    kb_press(&kb, "bksp");
    assert_string_equal(buf, "");
    press_all(&kb, "li");
    kb_press(&kb, "next");
    kb_press(&kb, "prev");
    assert_int_equal(kb.ime_st.page, 0);
    assert_string_equal(kb.ime_st.cand[0], first);
    kb_detach(&kb);
}

/* The last citizen's choice must not be offered first to the next one. */
static void nothing_typed_is_learned(void **state) {
    (void)state;
    struct keyboard kb;
    char buf[64] = "";
    kb_init(&kb, ime);
    kb_attach(&kb, buf, sizeof buf, KB_PINYIN, KB_KEYS_ALL);
    press_all(&kb, "zhang");
    char first[IME_CAND_BYTES], chosen[IME_CAND_BYTES];
    snprintf(first, sizeof first, "%s", kb.ime_st.cand[0]);
    snprintf(chosen, sizeof chosen, "%s", kb.ime_st.cand[6]);
    assert_string_not_equal(first, chosen);
    for (int i = 0; i < 3; i++) {
        kb_press(&kb, "cand6");
        press_all(&kb, "zhang");
    }
    assert_string_equal(kb.ime_st.cand[0], first);
    kb_detach(&kb);
    /* and a session that ends mid-composition leaves nothing behind */
    kb_attach(&kb, buf, sizeof buf, KB_PINYIN, KB_KEYS_ALL);
    press_all(&kb, "zheng");
    kb_detach(&kb);
    kb_attach(&kb, buf, sizeof buf, KB_PINYIN, KB_KEYS_ALL);
    kb_press(&kb, "mode_pinyin");
    assert_string_equal(kb.ime_st.preedit, "");
    kb_detach(&kb);
    /* no user dictionary was written */
    DIR *d = opendir(rime_dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        assert_null(strstr(e->d_name, ".userdb"));
    closedir(d);
}

static int setup(void **state) {
    (void)state;
    snprintf(rime_dir, sizeof rime_dir, "%s/kiosk-ime-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(rime_dir))
        return -1;
    ime = ime_create(rime_dir);
    if (!ime)
        return -1;
    ime_wait_ready(ime);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ime_destroy(ime);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", rime_dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(letters_shift_and_backspace),
        cmocka_unit_test(digits_only_and_capacity),
        cmocka_unit_test(pinyin_candidates_and_selection),
        cmocka_unit_test(candidate_pages),
        cmocka_unit_test(nothing_typed_is_learned),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
