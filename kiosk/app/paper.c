/* paper: see paper.h. */
#include "paper.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "escpos.h"
#include "log.h"
#include "receipt.h"
#include "store.h"

/* One line; when the printer cannot encode it (a rare character of a name), its label with
 * （见屏幕） instead: the receipt on screen shows it. */
static void line(struct escpos_buf *b, const char *text) {
    char buf[300];
    snprintf(buf, sizeof buf, "%s\n", text);
    if (escpos_text(b, buf) == 0)
        return;
    const char *colon = strstr(text, "：");
    snprintf(buf, sizeof buf, "%.*s：（见屏幕）\n", colon ? (int)(colon - text) : 0, text);
    escpos_text(b, buf);
}

void paper_print(struct app *a, const struct paper *p) {
    if (!a->devices_running || !a->cfg.printer[0]) {
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
    line(&b, p->title);
    escpos_bold(&b, false);
    escpos_feed(&b, 1);
    if (p->big && p->big[0]) {
        line(&b, p->big_label ? p->big_label : "");
        escpos_size(&b, 3, 3);
        escpos_bold(&b, true);
        line(&b, p->big);
        escpos_size(&b, 1, 1);
        escpos_bold(&b, false);
        escpos_feed(&b, 1);
    }
    escpos_align(&b, ESCPOS_LEFT);
    for (int i = 0; i < p->nlines && i < PAPER_LINES_MAX; i++)
        line(&b, p->lines[i]);
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
    escpos_cut(&b, 4);
    a->receipt_printed = -1;
    a->receipt_text[0] = 0;
    if (b.overflow || devices_print(&a->devices, b.data, b.len, PRINT_TAG_RECEIPT) != 0) {
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
    token[0] = 0;
    if (!a->store || store_signing_seed(a->store, seed) != STORE_OK ||
        receipt_sign(&r, seed, token, cap) < 0) {
        log_error("paper", "the receipt cannot be signed; it goes without its QR code");
        token[0] = 0;
    }
    explicit_bzero(seed, sizeof seed);
}
