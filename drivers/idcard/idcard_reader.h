/* idcard_reader: the host side of a GA 467 reader over a serial line.
 *
 * A read is find card -> select card -> read text and photo, each a command frame and an
 * answer frame (ga467.h). Noise before an answer is skipped; an answer with a bad checksum,
 * or none in time, is asked for again up to IDCARD_RETRIES times; a reader that disappears
 * (unplugged USB-CDC) is reopened by path on the next poll, so unplugging and plugging back
 * needs nothing from the caller. Blocking, with deadlines: run it in a device thread.
 * Error strings never contain card data. */
#ifndef DRIVERS_IDCARD_READER_H
#define DRIVERS_IDCARD_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ga467.h"
#include "idcard_text.h"

#define IDCARD_RETRIES 3

enum idcard_status {
    IDCARD_OK = 0,
    IDCARD_NO_CARD = 1,       /* the reader answered: no card on it */
    IDCARD_ERR_DEVICE = -1,   /* cannot open or lost the device */
    IDCARD_ERR_PROTOCOL = -2, /* answers kept failing (checksum, timeout, status) */
};

struct idcard_reader {
    char path[256];
    int baud;
    int fd; /* -1 while closed */
    uint8_t rx[2 * GA467_MAX_FRAME];
    size_t rx_len;
    char error[320];       /* the last failure, for logs and messages */
    unsigned retries_used; /* statistics for tests and the admin screen */
    unsigned reconnects;
};

/* Sets the reader up and tries to open path. Returns IDCARD_OK or IDCARD_ERR_DEVICE (the
 * next poll tries again). */
int idcard_reader_open(struct idcard_reader *r, const char *path, int baud);
void idcard_reader_close(struct idcard_reader *r);
/* One attempt: find, select, read. IDCARD_OK fills info (and photo, IDCARD_PHOTO_LEN bytes,
 * when not NULL); IDCARD_NO_CARD; or an error with r->error set. */
int idcard_reader_poll(struct idcard_reader *r, struct idcard_info *info, uint8_t *photo);
/* Polls every poll_ms until a card is read or timeout_ms has passed. Returns the last status:
 * IDCARD_OK, IDCARD_NO_CARD (timeout without a card), or an error. */
int idcard_reader_read(struct idcard_reader *r, struct idcard_info *info, uint8_t *photo,
                       int timeout_ms, int poll_ms);
/* Whether a card lies on the reader (select card answers): 1, 0, or an error. A card that
 * was read is not found by find again until lifted; this tells whether it still is there. */
int idcard_reader_card_present(struct idcard_reader *r);
/* The SAM's id, formatted as on the reader's label. */
int idcard_reader_sam_id(struct idcard_reader *r, char *out, size_t size);

#endif
