/* keyboard: see keyboard.h. */
#include "keyboard.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

void kb_init(struct keyboard *kb, struct ime *ime) {
    memset(kb, 0, sizeof *kb);
    kb->ime = ime;
    ui_layer_clear(&kb->layer);
}

void kb_attach(struct keyboard *kb, char *buf, size_t cap, enum kb_mode mode, enum kb_keys keys) {
    bool digits_only = keys != KB_KEYS_ALL;
    kb->buf = buf;
    kb->cap = cap;
    kb->digits_only = digits_only;
    kb->with_x = keys == KB_KEYS_DIGITS_X;
    kb->mode = digits_only ? KB_DIGITS : (mode == KB_PINYIN && !kb->ime ? KB_LETTERS : mode);
    kb->shift = false;
    ime_reset(kb->ime);
    memset(&kb->ime_st, 0, sizeof kb->ime_st);
}

void kb_detach(struct keyboard *kb) {
    ime_reset(kb->ime);
    explicit_bzero(&kb->ime_st, sizeof kb->ime_st);
    /* the candidate keys spelled what was typed */
    explicit_bzero(&kb->layer, sizeof kb->layer);
    ui_layer_clear(&kb->layer);
    kb->buf = NULL;
    kb->cap = 0;
}

bool kb_attached(const struct keyboard *kb) {
    return kb->buf != NULL;
}

static bool composing(const struct keyboard *kb) {
    return kb->mode == KB_PINYIN && kb->ime_st.preedit[0];
}

/* Appends text to the target, whole code points only. */
static void append(struct keyboard *kb, const char *text) {
    size_t len = strlen(kb->buf), i = 0, n = strlen(text);
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(text + i, n - i, &cp);
        if (len + k + 1 > kb->cap)
            break;
        memcpy(kb->buf + len, text + i, k);
        len += k;
        i += k;
    }
    kb->buf[len] = 0;
}

static void refresh(struct keyboard *kb) {
    char commit[512];
    if (ime_take_commit(kb->ime, commit, sizeof commit) > 0)
        append(kb, commit);
    explicit_bzero(commit, sizeof commit);
    ime_get_state(kb->ime, &kb->ime_st);
    if (kb->ui)
        kb_layout(kb, kb->ui, kb->r);
}

enum kb_result kb_type(struct keyboard *kb, const char *text) {
    if (!kb->buf)
        return KB_NONE;
    append(kb, text);
    return KB_CHANGED;
}

enum kb_result kb_press(struct keyboard *kb, const char *key) {
    if (!kb->buf)
        return KB_NONE;
    size_t klen = strlen(key);
    if (strcmp(key, "done") == 0) {
        if (composing(kb)) {
            /* "done" while composing keeps what is shown: commit the first candidate */
            ime_select(kb->ime, 0);
            refresh(kb);
        }
        return KB_DONE;
    }
    if (klen == 1 && key[0] >= 'a' && key[0] <= 'z') {
        if (kb->mode == KB_PINYIN) {
            ime_key(kb->ime, key[0]);
            refresh(kb);
        } else if (kb->mode == KB_LETTERS) {
            char c[2] = {kb->shift ? (char)(key[0] - 'a' + 'A') : key[0], 0};
            append(kb, c);
        }
        return KB_CHANGED;
    }
    if (klen == 1 && ((key[0] >= '0' && key[0] <= '9') ||
                      (key[0] == 'X' && (kb->with_x || !kb->digits_only)))) {
        if (composing(kb))
            return KB_NONE;
        append(kb, key);
        return KB_CHANGED;
    }
    if (strcmp(key, "bksp") == 0) {
        if (composing(kb)) {
            ime_key(kb->ime, IME_KEY_BACKSPACE);
            refresh(kb);
        } else {
            kb->buf[utf8_drop_last(kb->buf, strlen(kb->buf))] = 0;
        }
        return KB_CHANGED;
    }
    if (strcmp(key, "space") == 0) {
        if (composing(kb)) {
            ime_key(kb->ime, IME_KEY_SPACE); /* selects the first candidate */
            refresh(kb);
        } else if (!kb->digits_only) {
            append(kb, " ");
        }
        return KB_CHANGED;
    }
    if (strcmp(key, "clear") == 0) {
        ime_reset(kb->ime);
        explicit_bzero(kb->buf, strlen(kb->buf));
        refresh(kb);
        return KB_CHANGED;
    }
    if (strncmp(key, "cand", 4) == 0 && key[4] >= '0' && key[4] <= '9' && !key[5]) {
        ime_select(kb->ime, key[4] - '0');
        refresh(kb);
        return KB_CHANGED;
    }
    if (strcmp(key, "next") == 0 || strcmp(key, "prev") == 0) {
        ime_key(kb->ime, key[0] == 'n' ? IME_KEY_PAGE_DOWN : IME_KEY_PAGE_UP);
        refresh(kb);
        return KB_CHANGED;
    }
    if (strcmp(key, "shift") == 0) {
        kb->shift = !kb->shift;
        refresh(kb);
        return KB_CHANGED;
    }
    if (strncmp(key, "mode_", 5) == 0 && !kb->digits_only) {
        ime_reset(kb->ime);
        if (strcmp(key + 5, "pinyin") == 0 && kb->ime)
            kb->mode = KB_PINYIN;
        else if (strcmp(key + 5, "letters") == 0)
            kb->mode = KB_LETTERS;
        else if (strcmp(key + 5, "digits") == 0)
            kb->mode = KB_DIGITS;
        refresh(kb);
        return KB_CHANGED;
    }
    return KB_NONE;
}

/* --- presentation --- */

static int key_h(struct ui *ui) {
    int h = ui_theme(ui)->target_min;
    return h > 120 ? 120 : h; /* 关怀版 keys stay above the standard size and the screen fits */
}

int kb_height(struct ui *ui) {
    int gap = ui_theme(ui)->pad / 3;
    return 5 * key_h(ui) + 6 * gap;
}

static void on_key(void *ctx, struct ui_widget *w) {
    struct keyboard *kb = ctx;
    kb->last = kb_press(kb, w->id + 4); /* ids are "key_<key>" */
}

static struct ui_widget *add_key(struct keyboard *kb, const char *key, const char *label, int x,
                                 int y, int w, int h, enum ui_style style) {
    char id[32];
    snprintf(id, sizeof id, "key_%s", key);
    struct ui_widget *k =
        ui_add_button(&kb->layer, id, (struct ui_rect){x, y, w, h}, label, style, on_key, kb);
    /* characters in the large size; named keys (删除, 完成...) in the button size so the
     * words fit the key in every theme */
    if (k)
        k->font = style == UI_STYLE_KEY || strncmp(key, "cand", 4) == 0 ? UI_FONT_HEADING
                                                                        : UI_FONT_BUTTON;
    return k;
}

static void add_row(struct keyboard *kb, const char *keys, int y, int kw, int kh, int gap,
                    int indent) {
    int x = kb->r.x + gap + indent;
    for (const char *p = keys; *p; p++) {
        char key[2] = {*p, 0};
        char label[2] = {kb->mode == KB_LETTERS && kb->shift && *p >= 'a' && *p <= 'z'
                             ? (char)(*p - 'a' + 'A')
                             : *p,
                         0};
        add_key(kb, key, label, x, y, kw, kh, UI_STYLE_KEY);
        x += kw + gap;
    }
}

void kb_layout(struct keyboard *kb, struct ui *ui, struct ui_rect r) {
    const struct ui_theme *t = ui_theme(ui);
    kb->ui = ui;
    kb->r = r;
    ui_layer_clear(&kb->layer);
    if (!kb->buf)
        return;
    int gap = t->pad / 3, kh = key_h(ui);
    int y = r.y + gap;

    /* row 0: candidates (pinyin) */
    if (kb->mode == KB_PINYIN && kb->ime_st.count > 0) {
        int pw = kh * 3 / 2;
        int x = r.x + gap + ui_text_width(ui, UI_FONT_BODY, false, kb->ime_st.preedit) + 2 * gap;
        int right = r.x + r.w - 2 * (pw + gap);
        for (int i = 0; i < kb->ime_st.count; i++) {
            int cw = ui_text_width(ui, UI_FONT_HEADING, false, kb->ime_st.cand[i]) + 2 * t->pad;
            if (cw < kh)
                cw = kh;
            if (x + cw > right)
                break;
            char key[16];
            snprintf(key, sizeof key, "cand%d", i);
            struct ui_widget *c =
                add_key(kb, key, kb->ime_st.cand[i], x, y, cw, kh, UI_STYLE_QUIET);
            if (c)
                c->flags |= UI_F_PERSONAL; /* candidates spell what a citizen types */
            x += cw + gap;
        }
        struct ui_widget *p = add_key(kb, "prev", "◀", right, y, pw, kh, UI_STYLE_NORMAL);
        if (p && kb->ime_st.page == 0)
            p->flags |= UI_F_DISABLED;
        struct ui_widget *n =
            add_key(kb, "next", "▶", right + pw + gap, y, pw, kh, UI_STYLE_NORMAL);
        if (n && kb->ime_st.last_page)
            n->flags |= UI_F_DISABLED;
    }
    y += kh + gap;

    int kw = (r.w - 12 * gap) / 11;
    const char *bksp = ui_tr(ui, "kb.backspace");
    if (kb->mode == KB_DIGITS) {
        /* a number field, as on a phone: 1 2 3 删除 / 4 5 6 清空 / 7 8 9 / (X) 0 . 完成; the
         * digits of a text field: 7 8 9 0 on the third row, the modes row under it */
        int dw = (r.w - 5 * gap) / 4;
        const char *rows[3] = {"123", "456", kb->digits_only ? "789" : "7890"};
        for (int i = 0; i < 3; i++) {
            int x = r.x + gap;
            for (const char *c = rows[i]; *c; c++) {
                char key[2] = {*c, 0};
                add_key(kb, key, key, x, y, dw, kh, UI_STYLE_KEY);
                x += dw + gap;
            }
            if (i == 0)
                add_key(kb, "bksp", bksp, x, y, dw, kh, UI_STYLE_NORMAL);
            if (i == 1)
                add_key(kb, "clear", ui_tr(ui, "kb.clear"), x, y, dw, kh, UI_STYLE_NORMAL);
            y += kh + gap;
        }
        if (kb->digits_only) {
            if (kb->with_x)
                add_key(kb, "X", "X", r.x + gap, y, dw, kh, UI_STYLE_KEY);
            add_key(kb, "0", "0", r.x + gap + dw + gap, y, dw, kh, UI_STYLE_KEY);
            add_key(kb, "done", ui_tr(ui, "kb.done"), r.x + gap + 3 * (dw + gap), y, dw, kh,
                    UI_STYLE_PRIMARY);
            return;
        }
        y -= kh + gap; /* the modes row follows at once */
    } else {
        add_row(kb, "qwertyuiop", y, kw, kh, gap, 0);
        add_key(kb, "bksp", bksp, r.x + gap + 10 * (kw + gap), y, kw, kh, UI_STYLE_NORMAL);
        y += kh + gap;
        add_row(kb, "asdfghjkl", y, kw, kh, gap, kw / 2);
        y += kh + gap;
        if (kb->mode == KB_LETTERS) {
            struct ui_widget *s = add_key(kb, "shift", "⇧", r.x + gap, y, kw, kh, UI_STYLE_NORMAL);
            if (s && kb->shift)
                s->flags |= UI_F_SELECTED;
        }
        add_row(kb, "zxcvbnm", y, kw, kh, gap, kw + gap);
        add_key(kb, "clear", ui_tr(ui, "kb.clear"), r.x + gap + 8 * (kw + gap), y, kw * 2 + gap, kh,
                UI_STYLE_NORMAL);
    }
    y += kh + gap;

    /* bottom row: modes, space, done */
    int x = r.x + gap;
    int mw = kw * 3 / 2;
    {
        static const char *const modes[3] = {"mode_pinyin", "mode_letters", "mode_digits"};
        static const char *const keys[3] = {"kb.pinyin", "kb.letters", "kb.digits"};
        for (int i = 0; i < 3; i++) {
            if (i == 0 && !kb->ime)
                continue;
            struct ui_widget *m =
                add_key(kb, modes[i], ui_tr(ui, keys[i]), x, y, mw, kh, UI_STYLE_NORMAL);
            if (m && (int)kb->mode == i)
                m->flags |= UI_F_SELECTED;
            x += mw + gap;
        }
        int dw = kw * 2;
        add_key(kb, "space", ui_tr(ui, "kb.space"), x, y, r.x + r.w - x - dw - 2 * gap, kh,
                UI_STYLE_KEY);
    }
    int dw = kw * 2;
    add_key(kb, "done", ui_tr(ui, "kb.done"), r.x + r.w - gap - dw, y, dw, kh, UI_STYLE_PRIMARY);
}

void kb_draw(struct keyboard *kb, struct ui *ui) {
    if (!kb->buf)
        return;
    const struct ui_theme *t = ui_theme(ui);
    ui_fill(ui, kb->r, t->border_color);
    ui_marks_cover(ui, kb->r); /* the screen's texts under the keys are not read */
    if (kb->mode == KB_PINYIN && kb->ime_st.preedit[0]) {
        ui_set_personal(ui, true);
        ui_set_drawing(ui, &kb->layer, -1);
        ui_text(ui, UI_FONT_BODY, false, t->text, kb->ime_st.preedit, kb->r.x + t->pad / 3,
                kb->r.y + t->pad / 3 + key_h(ui) / 2, UI_LEFT, UI_MIDDLE);
        ui_set_drawing(ui, NULL, -1);
        ui_set_personal(ui, false);
    }
    ui_layer_draw(ui, &kb->layer);
}

enum kb_result kb_event(struct keyboard *kb, struct ui *ui, const struct ui_event *ev,
                        long long now_ms) {
    if (!kb->buf)
        return KB_NONE;
    kb->last = KB_NONE;
    if (ev->type == UI_EV_TEXT)
        return kb_type(kb, ev->text);
    if (ev->type == UI_EV_KEY && ev->key == UI_KEY_BACKSPACE)
        return kb_press(kb, "bksp");
    if (!ui_layer_event(ui, &kb->layer, ev, now_ms))
        return KB_NONE;
    return kb->last == KB_NONE ? KB_TOOK : kb->last;
}
