/* idcard_device: see idcard_device.h; the GA 467 backend's table over idcard_reader.c. */
#include "idcard_device.h"

#include <stdio.h>
#include <string.h>

#include "serial.h"

static int ga_open(struct idcard_device *d, const char *where) {
    char path[256];
    int baud = 115200;
    if (serial_address(where, path, sizeof path, &baud) != 0) {
        snprintf(d->error, sizeof d->error, "%.100s: not a baud rate after @", where);
        return IDCARD_ERR_DEVICE;
    }
    int rc = idcard_reader_open(&d->u.ga467, path, baud);
    snprintf(d->error, sizeof d->error, "%s", rc == IDCARD_OK ? "" : d->u.ga467.error);
    return rc;
}

static int ga_poll(struct idcard_device *d, struct idcard_info *info, uint8_t *photo) {
    int rc = idcard_reader_poll(&d->u.ga467, info, photo);
    snprintf(d->error, sizeof d->error, "%s", rc < 0 ? d->u.ga467.error : "");
    return rc;
}

static int ga_present(struct idcard_device *d) {
    return idcard_reader_card_present(&d->u.ga467);
}

static void ga_close(struct idcard_device *d) {
    idcard_reader_close(&d->u.ga467);
}

const struct idcard_reader_ops idcard_ga467_ops = {"ga467", ga_open, ga_poll, ga_present,
                                                   ga_close};

static const struct idcard_reader_ops *const backends[] = {&idcard_ga467_ops};

int idcard_device_open(struct idcard_device *d, const char *address) {
    memset(d, 0, sizeof *d);
    const char *rest;
    int k = device_pick(address, (const void *const *)backends, sizeof backends / sizeof *backends,
                        &rest);
    if (k == -2) {
        snprintf(d->error, sizeof d->error, "unknown reader type in %.150s", address);
        return IDCARD_ERR_DEVICE;
    }
    d->ops = k >= 0 ? backends[k] : &idcard_ga467_ops;
    return d->ops->open(d, rest);
}

int idcard_device_poll(struct idcard_device *d, struct idcard_info *info, uint8_t *photo) {
    return d->ops ? d->ops->poll(d, info, photo) : IDCARD_ERR_DEVICE;
}

int idcard_device_card_present(struct idcard_device *d) {
    return d->ops ? d->ops->card_present(d) : IDCARD_ERR_DEVICE;
}

void idcard_device_close(struct idcard_device *d) {
    if (d->ops)
        d->ops->close(d);
    d->ops = NULL;
}
