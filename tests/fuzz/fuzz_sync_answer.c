/* libFuzzer target: the kiosk's parsing of the registry's answers (a registry that is broken,
 * or a man in the middle past TLS, must not crash the kiosk or corrupt its store). Each input
 * is the answer body to one sync call (the first byte picks which: outbox drain, appointment
 * pull, receipt keys, commands, status, heartbeat), given by a scripted transport to the real
 * sync code over the real store in a temporary directory. The store stays consistent: its
 * audit chain verifies after every answer. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "fuzz_scratch.h"
#include "log.h"
#include "net.h"
#include "store.h"
#include "sync.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *answer;
static size_t answer_len;

static int fuzz_send(void *ctx, const struct net_tls *t, const struct net_req *q,
                     struct net_reply *r) {
    (void)ctx, (void)t, (void)q;
    r->status = 200;
    r->body = malloc(answer_len + 1);
    memcpy(r->body, answer, answer_len);
    r->body[answer_len] = 0;
    return NET_OK;
}

static int fuzz_download(void *ctx, const struct net_tls *t, const char *url, const char *path,
                         int timeout_ms, const struct net_xfer *x, char *detail, size_t cap) {
    (void)ctx, (void)t, (void)url, (void)path, (void)timeout_ms, (void)x;
    snprintf(detail, cap, "no downloads here");
    return NET_ERR_OTHER;
}

static const struct net_ops fuzz_ops = {fuzz_send, fuzz_download};
static struct store *store;
static struct net net;

static void init(void) {
    const char *dir = fuzz_scratch("sync");
    log_init("fuzz", LOG_ERROR);
    if (store_open(&store, dir, clock_system()) != STORE_OK)
        abort();
    memset(&net, 0, sizeof net);
    net.ops = &fuzz_ops;
    snprintf(net.base, sizeof net.base, "https://registry.invalid");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 1 << 17)
        return 0;
    if (!store)
        init();
    answer = data + 1;
    answer_len = size - 1;
    char id[UUID_STR_LEN];
    switch (data[0] % 6) {
    case 0: { /* a record waits, the answer says what became of it */
        int waiting = 0;
        store_outbox_count(store, &waiting);
        if (waiting < 20 && store_add_checkin(store, "A1", "A001", "{\"a\":1}", id) != STORE_OK)
            abort();
        struct sync_stats st;
        (void)sync_drain(store, &net, 10, &st);
        break;
    }
    case 1:
        (void)sync_pull_appointments(store, &net);
        break;
    case 2:
        (void)sync_receipt_keys(store, &net);
        break;
    case 3: {
        struct sync_command cmds[8];
        atomic_bool cancel = false;
        int n = sync_commands_poll(store, &net, 0, 1, &cancel, cmds, 8);
        if (n > 8)
            __builtin_trap();
        for (int i = 0; i < n; i++)
            if (strlen(cmds[i].command) >= sizeof cmds[i].command)
                __builtin_trap();
        break;
    }
    case 4: {
        char out[2048];
        (void)sync_status(&net, "0194f000-0000-7000-8000-000000000001", out, sizeof out);
        break;
    }
    default:
        (void)sync_heartbeat(store, &net, "1.0", "", NULL);
        break;
    }
    int64_t bad = 0;
    if (store_audit_verify(store, &bad) != STORE_OK)
        __builtin_trap();
    return 0;
}
