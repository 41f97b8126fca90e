/* devices: the kiosk's device manager. One thread per device (ID card reader, barcode scanner,
 * receipt printer) runs the real driver (drivers/) and reports to the main loop through a
 * post function that the UI layer provides (it pushes an SDL user event; the main thread
 * receives struct device_event and frees it with device_event_free).
 *
 * The reader thread polls find/select/read every 150 ms; after a read it watches select to
 * tell when the card is lifted. The scanner thread reads codes from a serial scanner. The
 * printer thread prints queued jobs and asks the status every 30 s and after each job.
 * A device that is not configured is "absent"; one that fails is retried by its thread.
 *
 * With a registry configured, three more threads talk to it, each on its own store
 * connection: sync (drain the outbox, pull appointments, heartbeat; on an interval, at once
 * when woken), commands (a long poll on the registry's push channel) and the updater (release
 * and content checks on `update` / `content` commands and on a jittered period, so that a
 * slow download never holds a lock back). A command is made durable before
 * it is acknowledged: lock/unlock in the state directory's "locked" file, a notice in the
 * store, so that a restart keeps them; then the screens hear of it as DEV_COMMAND. */
#ifndef APP_DEVICES_H
#define APP_DEVICES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idcard_text.h"

enum device_event_kind {
    DEV_CARD_READ, /* card: personal data, copy it into the session and free the event */
    DEV_CARD_REMOVED,
    DEV_READER_STATE,  /* ok: reader reachable or not; text: why (no personal data) */
    DEV_SCAN,          /* text: the code */
    DEV_SCANNER_STATE, /* ok: the scanner's port opened or not; text: why */
    DEV_PRINTER_STATE, /* status: 0 ok, 1 problem, 2 unknown; flags; text */
    DEV_PRINT_DONE,    /* ok: printed or not; status: the job's tag; text: why not */
    DEV_SYNC_STATE,    /* ok: the registry answered; status: records still waiting; text */
    DEV_STATUS,        /* ok: the registry answered; text: its {"statuses":[...]} or why not */
    DEV_COMMAND,       /* a command of the registry, already made durable by the thread:
                        * status: enum device_command; text: the notice (lock, unlock, notice) */
};

enum device_command { CMD_LOCK = 1, CMD_UNLOCK, CMD_NOTICE, CMD_CONTENT, CMD_RESTART };

struct device_event {
    enum device_event_kind kind;
    bool ok;
    int status;
    unsigned flags;
    char text[600];
    struct idcard_info card;
};

/* Clears (the card is personal data) and frees an event. */
void device_event_free(struct device_event *ev);

typedef void (*device_post_fn)(void *ctx, struct device_event *ev);

struct devices_config {
    char idcard[256];       /* serial device of the reader; empty: none */
    char scanner[256];      /* serial device of the scanner; empty: none */
    char printer[200];      /* printer address (tcp:, usblp:, serial:); empty: none */
    bool printer_raster_qr; /* the printer has no GS ( k */
    char state_dir[512];    /* for the sync thread's own store connection */
    char registry[256];     /* https://...; empty: no sync */
    char sync_tls[512];
    int sync_interval_s;
    int command_wait_s;
    char update_channel[64], update_hardware[64], update_trust[512];
    int update_threshold;
    int update_poll_s; /* a check for releases and content every ~N s (jittered); 0: pushes only */
};

#define DEVICES_JOBS_MAX 4
enum { PRINT_TAG_TEST = 1, PRINT_TAG_RECEIPT = 2 };

struct devices {
    struct devices_config cfg;
    device_post_fn post;
    void *post_ctx;
    pthread_t reader, scanner, printer, sync, commands;
    bool reader_on, scanner_on, printer_on, sync_on, commands_on;
    int sync_requests; /* "sync now" (a record was captured, staff asked) */
    volatile bool stop;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    /* print jobs waiting for the printer thread (bytes owned here, cleared when done) */
    struct print_job {
        uint8_t *data;
        size_t len;
        int tag;
    } jobs[DEVICES_JOBS_MAX];
    int njobs;
    char status_ids[400]; /* a status query waiting for the sync thread */
    /* update checks waiting for the updater thread: bit 0 release, bit 1 content, each with
     * the registry command to acknowledge with the result (0: none) */
    int update_req;
    long update_seq[2];
    pthread_t updater;
    bool updater_on;
    /* what each device thread last found, for the heartbeat (atomic): "ok", "problem",
     * "unreachable", or "" not yet / not configured */
    const char *volatile state[3]; /* DEVICE_READER, DEVICE_PRINTER, DEVICE_SCANNER */
};
enum { DEVICE_READER, DEVICE_PRINTER, DEVICE_SCANNER };

/* Starts a thread for each configured device. Returns 0 or -1. */
int devices_start(struct devices *d, const struct devices_config *cfg, device_post_fn post,
                  void *ctx);
/* Stops and joins the threads (each returns within about a second). */
void devices_stop(struct devices *d);
/* Queues a test receipt (staff). Its result arrives as DEV_PRINT_DONE. */
void devices_print_test(struct devices *d);
/* Queues an ESC/POS job (copied); its result arrives as DEV_PRINT_DONE with status = tag.
 * The printer's status is asked first: a printer out of paper or with its cover open does
 * not get the job (the result says why). Returns 0, or -1 when the queue is full. */
int devices_print(struct devices *d, const uint8_t *data, size_t len, int tag);
/* Asks the registry the status of records (ids comma-separated, at most 5): the answer
 * arrives as DEV_STATUS. Without a registry configured nothing arrives: ask only when
 * cfg.registry is set. */
void devices_status_query(struct devices *d, const char *ids);
/* Wakes the sync thread now. */
void devices_sync_now(struct devices *d);

#endif
