/* libFuzzer target: the bodies and query strings kiosks and operators send registryd. Each
 * input goes to the real handler of the route its first byte picks, through libevent's
 * request object (a request with no connection: its answer is built in full, then dropped),
 * over the real SQLite storage in a temporary directory. Whatever the bytes, a handler answers
 * and the process goes on: no crash, no leak, nothing read past the body. */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_scratch.h"
#include "log.h"
#include "registry.h"
#include "rstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct registry reg;

static void init(void) {
    const char *dir = fuzz_scratch("registry");
    snprintf(reg.blobs, sizeof reg.blobs, "%s/blobs", dir);
    mkdir(reg.blobs, 0700);
    reg.store = rstore_open(dir);
    reg.base = event_base_new();
    reg.ca_pem = strdup("");
    log_init("fuzz", LOG_ERROR);
    if (!reg.store || !reg.base)
        abort();
}

typedef void (*handler)(struct registry *, struct evhttp_request *, const struct peer *,
                        const char *);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 1 << 17)
        return 0;
    if (!reg.store)
        init();
    static const handler routes[] = {post_applications, post_checkins, post_heartbeat,
                                     post_appointments, post_record_status, post_command,
                                     post_enroll_token, post_manifest,   post_rollout,
                                     post_ack};
    const size_t n = sizeof routes / sizeof routes[0];
    struct evhttp_request *req = evhttp_request_new(NULL, NULL);
    if (!req)
        return 0;
    evbuffer_add(evhttp_request_get_input_buffer(req), data + 1, size - 1);
    if (data[0] & 0x80) /* the appointment import also takes CSV */
        evhttp_add_header(evhttp_request_get_input_headers(req), "Content-Type", "text/csv");
    struct peer p = {"YT-370602-01", "370602", "kiosk"};
    /* post_ack's path rest is the command's sequence number and "/ack" */
    routes[(data[0] & 0x7f) % n](&reg, req, &p, "1/ack");
    /* the answer went nowhere: with no connection, libevent freed the request */
    return 0;
}
