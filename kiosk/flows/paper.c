/* paper: see paper.h. */
#include "paper.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "crypto.h"
#include "escpos.h"
#include "log.h"
#include "receipt.h"
#include "store.h"
#include "sync.h"
#include "utf8.h"

/* One line; when the printer cannot encode it (a rare character of a name), its label with
 * （见屏幕） instead: the receipt on screen shows it. */
static void one_line(struct escpos_buf *b, const char *text, size_t len) {
    char buf[300];
    snprintf(buf, sizeof buf, "%.*s\n", (int)len, text);
    if (escpos_text(b, buf) == 0)
        return;
    const char *colon = strstr(buf, "：");
    snprintf(buf, sizeof buf, "%.*s：（见屏幕）\n", colon ? (int)(colon - buf) : 0, text);
    escpos_text(b, buf);
}

/* A text in lines of the paper's width (80 mm: 48 columns of 12 dots; a Chinese character
 * takes two), broken after a space where a Latin word would be cut, anywhere in Chinese. */
#define PAPER_COLUMNS 48 /* 576 dots */
static void line(struct escpos_buf *b, const char *text) {
    size_t n = strlen(text), start = 0;
    while (start < n) {
        size_t i = start, space = 0;
        int cols = 0;
        while (i < n) {
            uint32_t cp;
            size_t k = utf8_decode(text + i, n - i, &cp);
            int w = cp < 0x80 ? 1 : 2;
            if (cols + w > PAPER_COLUMNS)
                break;
            if (cp == ' ')
                space = i;
            cols += w;
            i += k;
        }
        size_t end = i < n && space > start ? space : i;
        one_line(b, text + start, end - start);
        start = end;
        while (start < n && text[start] == ' ')
            start++;
    }
}

/* The English of a text under it, when the citizen chose English. */
static void english(struct app *a, struct escpos_buf *b, const char *en) {
    if (en && en[0] && !strcmp(i18n_lang(a->i18n), "en"))
        line(b, en);
}

void paper_print(struct app *a, const struct paper *p) {
    if (!a->workers_running || !a->cfg.printer[0]) {
        a->receipt_printed = 0;
        snprintf(a->receipt_text, sizeof a->receipt_text, "no printer configured");
        return;
    }
    static uint8_t mem[1 << 16];
    struct escpos_buf b;
    escpos_begin(&b, mem, sizeof mem);
    escpos_init(&b);
    escpos_align(&b, ESCPOS_CENTER);
    escpos_bold(&b, true);
    line(&b, a->cfg.office_name);
    /* the citizen chose English: the office's English name under the Chinese one */
    if (strcmp(app_office_name(a), a->cfg.office_name) != 0)
        line(&b, app_office_name(a));
    line(&b, p->title);
    english(a, &b, p->title_en);
    escpos_bold(&b, false);
    escpos_feed(&b, 1);
    if (p->big && p->big[0]) {
        line(&b, p->big_label ? p->big_label : "");
        english(a, &b, p->big_label_en);
        escpos_size(&b, 3, 3);
        escpos_bold(&b, true);
        line(&b, p->big);
        escpos_size(&b, 1, 1);
        escpos_bold(&b, false);
        escpos_feed(&b, 1);
    }
    escpos_align(&b, ESCPOS_LEFT);
    for (int i = 0; i < p->nlines && i < PAPER_LINES_MAX; i++) {
        line(&b, p->lines[i]);
        english(a, &b, p->lines_en[i]);
    }
    escpos_align(&b, ESCPOS_CENTER);
    if (p->token && p->token[0]) {
        if (a->cfg.printer_raster_qr)
            escpos_qr_raster(&b, p->token, 5, ESCPOS_QR_M);
        else
            escpos_qr_native(&b, p->token, 5, ESCPOS_QR_M);
    }
    escpos_text(&b, "\n");
    if (p->footer)
        line(&b, p->footer);
    english(a, &b, p->footer_en);
    escpos_cut(&b, 4);
    a->receipt_printed = -1;
    a->receipt_text[0] = 0;
    if (b.overflow || workers_print(&a->workers, b.data, b.len, PRINT_TAG_RECEIPT) != 0) {
        a->receipt_printed = 0;
        snprintf(a->receipt_text, sizeof a->receipt_text, "the print queue is full");
    }
    explicit_bzero(mem, b.len);
}

void paper_sign(struct app *a, char kind, const char *record_id, int64_t at, const char *queue,
                char *token, size_t cap) {
    uint8_t seed[32];
    struct receipt r = {.kind = kind, .time = at};
    snprintf(r.office, sizeof r.office, "%.6s", a->cfg.office_code);
    snprintf(r.record_id, sizeof r.record_id, "%.36s", record_id);
    snprintf(r.queue, sizeof r.queue, "%.8s", queue ? queue : "");
    snprintf(r.kiosk, sizeof r.kiosk, "%.24s", a->kiosk_id);
    token[0] = 0;
    if (!a->store || store_signing_seed(a->store, seed) != STORE_OK ||
        receipt_sign(&r, seed, token, cap) < 0) {
        log_error("paper", "the receipt cannot be signed; it goes without its QR code");
        token[0] = 0;
    }
    explicit_bzero(seed, sizeof seed);
}

int paper_verify(struct app *a, const char *token, struct receipt *r, char *signer, size_t cap) {
    snprintf(signer, cap, "%s", "");
    uint8_t seed[32], pub[32];
    int rc = RECEIPT_MALFORMED;
    if (a->store && store_signing_seed(a->store, seed) == STORE_OK &&
        crypto_ed25519_public(seed, pub) == 0)
        rc = receipt_verify(token, pub, r);
    explicit_bzero(seed, sizeof seed);
    if (rc == RECEIPT_OK) { /* this kiosk's own key: the receipt must name it and its office */
        return receipt_bound(r, a->kiosk_id[0] ? a->kiosk_id : r->kiosk, a->cfg.office_code);
    }
    if (rc != RECEIPT_BAD_SIGNATURE || !a->store)
        return rc;
    /* another kiosk's receipt: the key with its key id among the registry's */
    struct receipt head;
    char *list = NULL;
    if (receipt_parse(token, &head) != RECEIPT_OK ||
        store_kv_get(a->store, SYNC_RECEIPT_KEYS, &list) != STORE_OK || !list)
        return rc;
    cJSON *keys = cJSON_Parse(list);
    free(list);
    const cJSON *k;
    cJSON_ArrayForEach(k, keys) {
        const char *b64 = cJSON_GetStringValue(cJSON_GetObjectItem(k, "key"));
        const char *kiosk = cJSON_GetStringValue(cJSON_GetObjectItem(k, "kiosk"));
        const char *office = cJSON_GetStringValue(cJSON_GetObjectItem(k, "office"));
        uint8_t id[4];
        if (!b64 || !kiosk || crypto_b64url_decode(b64, pub, sizeof pub) != 32)
            continue;
        receipt_key_id(pub, id);
        if (memcmp(id, head.key_id, sizeof id) != 0)
            continue;
        rc = receipt_verify(token, pub, r);
        if (rc == RECEIPT_OK) /* signed by that kiosk: it must be the one named, of its office */
            rc = receipt_bound(r, kiosk, office);
        if (rc == RECEIPT_OK)
            snprintf(signer, cap, "%s", kiosk);
        if (rc != RECEIPT_BAD_SIGNATURE)
            break;
    }
    cJSON_Delete(keys);
    return rc;
}
