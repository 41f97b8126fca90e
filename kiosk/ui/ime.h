/* ime: Chinese pinyin input for the on-screen keyboard, through librime.
 *
 * The kiosk deploys librime with the luna_pinyin_simp schema alone (about 0.3 s the first time,
 * under 0.1 s after) and with its user dictionary turned off, so nothing one citizen typed is
 * learned or offered to the next. Deployment runs in librime's own maintenance thread; a
 * session is created on first use once it is done. ime_reset() drops the composition (idle
 * reset, session end). Main thread only.
 *
 * The keyboard sees only this interface; another engine is another file behind it. */
#ifndef UI_IME_H
#define UI_IME_H

#include <stdbool.h>
#include <stddef.h>

#define IME_PAGE_MAX 10
#define IME_CAND_BYTES 96

struct ime;

struct ime_state {
    char preedit[128];                       /* what is being composed, e.g. "zhang san" */
    char cand[IME_PAGE_MAX][IME_CAND_BYTES]; /* the candidates of the current page */
    int count;
    int page; /* 0-based */
    bool last_page;
};

/* Starts the engine with its data in user_dir (created if needed). NULL on failure (logged):
 * the keyboard then offers letters and digits only. */
struct ime *ime_create(const char *user_dir);
void ime_destroy(struct ime *ime);
/* True once deployment has finished and keys can be taken. */
bool ime_ready(struct ime *ime);
/* Blocks until deployment has finished (tests, and the first key if it comes very early). */
void ime_wait_ready(struct ime *ime);

/* Feeds one key: 'a'-'z', or the special keys below. Returns true when the engine took it
 * (false: not composing, e.g. a backspace that should delete from the field instead). */
enum {
    IME_KEY_BACKSPACE = 0xff08,
    IME_KEY_SPACE = 0x20,
    IME_KEY_ENTER = 0xff0d,
    IME_KEY_PAGE_UP = 0xff55,
    IME_KEY_PAGE_DOWN = 0xff56,
    IME_KEY_ESCAPE = 0xff1b
};
bool ime_key(struct ime *ime, int key);
/* Chooses candidate index of the current page. */
bool ime_select(struct ime *ime, int index);
/* The composition and candidates now. */
void ime_get_state(struct ime *ime, struct ime_state *st);
/* Moves text committed since the last call into out (NUL-terminated); returns its length. */
size_t ime_take_commit(struct ime *ime, char *out, size_t size);
/* Drops the composition and anything not yet taken. */
void ime_reset(struct ime *ime);

#endif
