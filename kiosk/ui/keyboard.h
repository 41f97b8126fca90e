/* keyboard: the on-screen keyboard. Pinyin (through ime.h), letters and digits, with a
 * candidate bar that pages quickly (rare name characters sit far down the list).
 *
 * The keyboard writes into a text buffer it borrows from the screen (in the session arena when
 * the text is personal). Its keys are widgets of its own layer, so a UI script taps them by
 * label ("a", "删除", a candidate such as "张三") like any button. kb_press() is the logic
 * without drawing, for tests. Main thread only. */
#ifndef UI_KEYBOARD_H
#define UI_KEYBOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "ime.h"
#include "widget.h"

enum kb_mode { KB_PINYIN, KB_LETTERS, KB_DIGITS };

/* What a key did, for the screen that owns the keyboard. */
enum kb_result {
    KB_NONE,    /* not the keyboard's */
    KB_TOOK,    /* the keyboard took it; the text did not change (a key went down) */
    KB_CHANGED, /* the text or the candidates changed */
    KB_DONE,    /* "done" was pressed */
};

/* Which keys a field takes: all (text), the digits only (a phone number, a date, a PIN), or
 * the digits and X (an ID number, or a field that takes one: the check-in number). */
enum kb_keys { KB_KEYS_ALL, KB_KEYS_DIGITS, KB_KEYS_DIGITS_X };

struct keyboard {
    struct ime *ime; /* NULL: no pinyin (letters and digits still work) */
    enum kb_mode mode;
    bool shift;
    bool digits_only; /* ID numbers, phone numbers: 0-9 (and X with with_x) */
    bool with_x;
    char *buf;        /* borrowed target text */
    size_t cap;
    struct ime_state ime_st;
    struct ui_layer layer;
    struct ui_rect r;
    struct ui *ui;
    enum kb_result last;
};

void kb_init(struct keyboard *kb, struct ime *ime);
/* Starts editing buf (NUL-terminated, cap bytes). The digits are laid out as on a phone:
 * 1 2 3 on top, 0 at the bottom in the middle, X left of it only with KB_KEYS_DIGITS_X. */
void kb_attach(struct keyboard *kb, char *buf, size_t cap, enum kb_mode mode, enum kb_keys keys);
/* Stops editing: drops any composition. */
void kb_detach(struct keyboard *kb);
bool kb_attached(const struct keyboard *kb);

/* A key by its id: "a"-"z", "0"-"9", "X", "bksp", "space", "clear", "mode_pinyin",
 * "mode_letters", "mode_digits", "shift", "prev", "next", "cand0"-"cand9", "done". */
enum kb_result kb_press(struct keyboard *kb, const char *key);
/* Text committed as an input method would (a UI script's "type"). */
enum kb_result kb_type(struct keyboard *kb, const char *text);

/* The height the keyboard needs in the current theme. */
int kb_height(struct ui *ui);
/* Places the keyboard in r and builds its keys. */
void kb_layout(struct keyboard *kb, struct ui *ui, struct ui_rect r);
void kb_draw(struct keyboard *kb, struct ui *ui);
/* Routes input to the keys; returns KB_NONE when the keyboard did not take it. */
enum kb_result kb_event(struct keyboard *kb, struct ui *ui, const struct ui_event *ev,
                        long long now_ms);

#endif
