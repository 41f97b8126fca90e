/* reader: the ID card reader's thread (workers.h), reaching the reader through its device
 * class (drivers/idcard/idcard_device.h, struct idcard_reader_ops); a find every 150 ms: a card laid down is seen within 75 ms on average,
 * for a few bytes a poll on the line. */
#include <stdlib.h>

#include "idcard_device.h"
#include "log.h"
#include "workers_int.h"

static void reader_state(struct workers *w, bool ok, const char *why) {
    workers_note(w, DEVICE_READER, ok ? "ok" : "unreachable");
    bus_post_new(&w->bus, DEV_READER_STATE, ok, 0, ok ? "" : why);
}

void *reader_main(void *arg) {
    struct workers *w = arg;
    struct idcard_device r;
    bool reachable = idcard_device_open(&r, w->cfg.idcard) == IDCARD_OK;
    reader_state(w, reachable, r.error);
    bool card_on = false;
    while (!workers_stopping(w)) {
        struct device_event *ev = calloc(1, sizeof *ev);
        int rc = ev ? idcard_device_poll(&r, &ev->card, NULL) : IDCARD_ERR_DEVICE;
        bool now = rc == IDCARD_OK || rc == IDCARD_NO_CARD;
        if (now != reachable) {
            reachable = now;
            reader_state(w, reachable, r.error);
        }
        if (rc == IDCARD_OK) {
            ev->kind = DEV_CARD_READ;
            ev->ok = true;
            bus_post(&w->bus, ev); /* the main thread owns it now */
            ev = NULL;
            card_on = true;
            log_info("devices", "card read");
        } else if (rc == IDCARD_ERR_PROTOCOL) {
            log_warn("devices", "card reader: %s", r.error);
        } else if (rc == IDCARD_NO_CARD && card_on && idcard_device_card_present(&r) == 0) {
            /* a card that was read is not found again until lifted; select still sees it
             * while it lies there, so select failing means it is gone */
            card_on = false;
            bus_post_new(&w->bus, DEV_CARD_REMOVED, true, 0, NULL);
        }
        device_event_free(ev);
        workers_nap(w, 150);
    }
    idcard_device_close(&r);
    return NULL;
}
