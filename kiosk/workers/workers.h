/* workers: the kiosk's threads other than the main one, one file each (DESIGN.md §1).
 *
 *   reader.c    the ID card reader: find/select/read every 150 ms; after a read it watches
 *               select to tell when the card is lifted
 *   scanner.c   codes from a serial barcode scanner
 *   printer.c   print jobs (its queue), and the printer's status every 30 s and after a job
 *   sync.c      with a registry: drain the outbox, pull appointments, heartbeat, receipt keys
 *               (on an interval, at once when woken), and the progress screen's status queries
 *   commands.c  a long poll on the registry's push channel; each command made durable
 *               (lock/unlock in the state directory's "locked" file, a notice in the store)
 *               before it is acknowledged, so that a restart keeps it
 *   updater.c   release and content checks on `update` / `content` commands and on a jittered
 *               period, so that a slow download never holds a lock back
 * Each worker owns its queue, its lock and its wake-up; the only state they share is the stop
 * flag and the devices' last states, both atomic. Every result reaches the main thread through
 * bus.c. A device that is not configured is "absent"; one that fails is retried by its thread;
 * the registry's threads each have their own store connection and back off (backoff.c). */
#ifndef WORKERS_WORKERS_H
#define WORKERS_WORKERS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "clock.h"

struct workers_config {
    char idcard[256];       /* serial device of the reader; empty: none */
    char scanner[256];      /* serial device of the scanner; empty: none */
    char printer[200];      /* printer address (tcp:, usblp:, serial:); empty: none */
    bool printer_raster_qr; /* the printer has no GS ( k */
    char state_dir[512];    /* for the registry threads' own store connections */
    char registry[256];     /* https://...; empty: no sync, commands or updates */
    char sync_tls[512];
    int sync_interval_s;
    int command_wait_s;
    int retry_max_s; /* the cap of the sync's and the push channel's backoff */
    int renew_days;  /* [sync] renew_days: the certificate renewed when it ends within them */
    char update_channel[64], update_hardware[64], update_trust[512];
    int update_threshold;
    int update_poll_s; /* a check for releases and content every ~N s (jittered); 0: pushes only */
    /* the clock the workers date and time things by (NULL: the system's); their waits on a
     * condition run on CLOCK_MONOTONIC */
    const struct clock_src *clock;
    /* checks an installed content slot before the switch (content/), or NULL */
    int (*content_check)(const char *slot_dir, char *why, size_t cap);
    bool display; /* a waiting room's display: its heartbeats say so, calls come to it */
};

#define WORKERS_JOBS_MAX 4
enum { PRINT_TAG_TEST = 1, PRINT_TAG_RECEIPT = 2 };
enum { DEVICE_READER, DEVICE_PRINTER, DEVICE_SCANNER };

/* The queues, each with its own lock and wake-up. */
struct print_queue {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct print_job {
        uint8_t *data; /* owned here, cleared when done */
        size_t len;
        int tag;
    } jobs[WORKERS_JOBS_MAX];
    int n;
};
struct sync_queue {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int requests;         /* "sync now" (a record was captured, staff asked) */
    char status_ids[400]; /* a status query waiting for the sync thread */
};
struct update_queue {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int req;     /* bit 0 release, bit 1 content */
    long seq[2]; /* the registry command to acknowledge with each result (0: none) */
};
struct commands_wait {
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

struct workers {
    struct workers_config cfg;
    struct bus bus;
    atomic_bool stop;
    struct print_queue print;
    struct sync_queue sync;
    struct update_queue update;
    struct commands_wait commands;
    pthread_t threads[6];
    bool running[6];
    /* what each device thread last found, for the heartbeat: "ok", "problem", "unreachable",
     * or NULL not yet */
    _Atomic(const char *) state[3]; /* DEVICE_READER, DEVICE_PRINTER, DEVICE_SCANNER */
    bool updater_on;                /* set before the threads start, read-only after */
};

/* Starts a thread for each configured device and, with a registry, the sync, command and
 * update threads. Returns 0 or -1. */
int workers_start(struct workers *w, const struct workers_config *cfg, bus_post_fn post,
                  void *ctx);
/* Stops and joins the threads (each returns within about a second). */
void workers_stop(struct workers *w);
/* Queues a test receipt (staff). Its result arrives as DEV_PRINT_DONE. */
void workers_print_test(struct workers *w);
/* Queues an ESC/POS job (copied); its result arrives as DEV_PRINT_DONE with status = tag.
 * The printer's status is asked first: a printer out of paper or with its cover open does
 * not get the job (the result says why). Returns 0, or -1 when the queue is full. */
int workers_print(struct workers *w, const uint8_t *data, size_t len, int tag);
/* Asks the registry the status of records (ids comma-separated, at most 5): the answer
 * arrives as DEV_STATUS. Without a registry configured nothing arrives: ask only when
 * cfg.registry is set. */
void workers_status_query(struct workers *w, const char *ids);
/* Wakes the sync thread now. */
void workers_sync_now(struct workers *w);

#endif
