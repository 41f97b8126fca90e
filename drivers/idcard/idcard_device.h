/* idcard_device: the ID card reader as a device class (DESIGN.md §1). The kiosk reaches a
 * reader only through struct idcard_reader_ops, so that another model (a USB-HID reader, a
 * vendor's serial dialect) is one more backend file with one more table.
 *
 * An address names the backend by scheme: "ga467:/dev/ttyACM0@115200" or, with no scheme, a
 * GA 467 reader on that serial path (what the configuration has always said). Blocking calls
 * with deadlines: run them in a device thread. Error texts never hold card data. */
#ifndef DRIVERS_IDCARD_DEVICE_H
#define DRIVERS_IDCARD_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "idcard_reader.h" /* enum idcard_status, the GA 467 backend's state */
#include "idcard_text.h"

struct idcard_device;

struct idcard_reader_ops {
    const char *scheme; /* first: device_pick() reads it through the table pointer */
    /* Opens the part of the address after "scheme:". IDCARD_OK or IDCARD_ERR_DEVICE (the
     * next poll tries again). */
    int (*open)(struct idcard_device *d, const char *where);
    /* One attempt to read a card: IDCARD_OK (info, and photo when not NULL, filled),
     * IDCARD_NO_CARD, or an error with the device's error set. */
    int (*poll)(struct idcard_device *d, struct idcard_info *info, uint8_t *photo);
    /* Whether a card that was read still lies there: 1, 0, or an error. */
    int (*card_present)(struct idcard_device *d);
    void (*close)(struct idcard_device *d);
};

struct idcard_device {
    const struct idcard_reader_ops *ops;
    union {
        struct idcard_reader ga467; /* idcard_ga467_ops */
    } u;
    char error[320]; /* the last failure, for logs and the staff screen */
};

/* The GA 467 serial reader (idcard_reader.c). */
extern const struct idcard_reader_ops idcard_ga467_ops;

/* Picks the backend of the address and opens it. IDCARD_OK, IDCARD_ERR_DEVICE (try polling:
 * it reopens), or IDCARD_ERR_DEVICE with "unknown reader type" for a scheme nobody serves
 * (d->ops NULL then; polls fail). */
int idcard_device_open(struct idcard_device *d, const char *address);
int idcard_device_poll(struct idcard_device *d, struct idcard_info *info, uint8_t *photo);
int idcard_device_card_present(struct idcard_device *d);
void idcard_device_close(struct idcard_device *d);

#endif
