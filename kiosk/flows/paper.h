/* paper: a citizen's receipt on the printer (the layout both flows share): the office, a
 * title, optionally a big number, lines of text (names already masked), the signed token as
 * a QR code (native or raster as the printer needs), a footer, a cut. The result arrives as
 * DEV_PRINT_DONE (PRINT_TAG_RECEIPT) into a->receipt_printed. */
#ifndef FLOWS_PAPER_H
#define FLOWS_PAPER_H

#include <stddef.h>
#include <stdint.h>

struct app;

#define PAPER_LINES_MAX 10

/* Chinese always (the window reads it); when the citizen chose English, each text's English
 * under it (bilingual), where one is given. */
struct paper {
    const char *title, *title_en;
    const char *big_label, *big_label_en, *big; /* e.g. 排队号 A012; NULL: none */
    const char *lines[PAPER_LINES_MAX];         /* "label：value"; a value the printer's code
                                                 * page cannot hold prints as （见屏幕） */
    const char *lines_en[PAPER_LINES_MAX];
    int nlines;
    const char *token; /* "" or NULL: no QR */
    const char *footer, *footer_en;
};

void paper_print(struct app *a, const struct paper *p);
/* The signed token of a receipt (domain/receipt.h) with this kiosk's key into token; empty
 * (and logged) when it cannot be signed: the receipt then goes without a QR code. */
void paper_sign(struct app *a, char kind, const char *record_id, int64_t at, const char *queue,
                char *token, size_t cap);

struct receipt;
/* Checks a receipt token offline: against this kiosk's key, else against the keys of the
 * registry's other kiosks (synced into the store, sync_receipt_keys). RECEIPT_OK with r
 * filled and signer "" (this kiosk) or the signing kiosk's id; RECEIPT_MALFORMED or
 * RECEIPT_BAD_SIGNATURE (also for a key no kiosk of the registry has); RECEIPT_WRONG_KIOSK or
 * RECEIPT_WRONG_OFFICE when the signature holds but the receipt names another kiosk or an
 * office its signer is not of. */
int paper_verify(struct app *a, const char *token, struct receipt *r, char *signer, size_t cap);

#endif
