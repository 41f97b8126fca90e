/* bus: see bus.h. */
#include "bus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void device_event_free(struct device_event *ev) {
    if (!ev)
        return;
    explicit_bzero(ev, sizeof *ev);
    free(ev);
}

void bus_post(const struct bus *b, struct device_event *ev) {
    if (b->post)
        b->post(b->ctx, ev);
    else
        device_event_free(ev);
}

void bus_post_new(const struct bus *b, enum device_event_kind kind, bool ok, int status,
                  const char *text) {
    struct device_event *ev = calloc(1, sizeof *ev);
    if (!ev) {
        log_error("bus", "out of memory: an event of kind %d was dropped", (int)kind);
        return;
    }
    ev->kind = kind;
    ev->ok = ok;
    ev->status = status;
    if (text && (size_t)snprintf(ev->text, sizeof ev->text, "%s", text) >= sizeof ev->text)
        log_warn("bus", "an event's text was cut to %zu bytes", sizeof ev->text - 1);
    bus_post(b, ev);
}
