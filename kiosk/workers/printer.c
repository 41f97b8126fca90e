/* printer: the receipt printer's thread and its queue (workers.h). A job is sent only when
 * the printer's status allows it; the status is asked every 30 s and after each job. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escpos.h"
#include "log.h"
#include "printer.h"
#include "workers_int.h"

static void post_status(struct workers *w, struct printer *p) {
    unsigned flags = 0;
    enum printer_status_kind k = printer_status(p, &flags, 500);
    struct device_event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return;
    ev->kind = DEV_PRINTER_STATE;
    ev->status = k == PRINTER_STATUS_OK ? 0 : k == PRINTER_STATUS_PROBLEM ? 1 : 2;
    workers_note(w, DEVICE_PRINTER,
                 ev->status == 0 ? "ok" : ev->status == 1 ? "problem" : "unreachable");
    ev->flags = flags;
    if (k == PRINTER_STATUS_UNKNOWN)
        snprintf(ev->text, sizeof ev->text, "%s", p->error);
    else
        printer_flags_text(flags, ev->text, sizeof ev->text);
    bus_post(&w->bus, ev);
}

/* Main thread only (workers_print_test): the buffer is static, and not thread-local on purpose,
 * as 64 KiB of TLS in every thread makes small-stack threads (SDL's audio thread) fail to
 * start. */
static int build_test(struct workers *w, struct print_job *job) {
    static uint8_t mem[1 << 16];
    struct escpos_buf b;
    escpos_begin(&b, mem, sizeof mem);
    escpos_test_receipt(&b, "KIOSK-TEST-RECEIPT", w->cfg.printer_raster_qr);
    job->data = b.overflow ? NULL : malloc(b.len);
    if (!job->data)
        return -1;
    memcpy(job->data, b.data, b.len);
    job->len = b.len;
    return 0;
}

/* Sends one job unless the printer says it cannot print; the reason in why. */
static int print_job(struct printer *p, const struct print_job *job, char *why, size_t cap) {
    unsigned flags = 0;
    enum printer_status_kind k = printer_status(p, &flags, 500);
    if (k == PRINTER_STATUS_PROBLEM && (flags & (ESCPOS_ST_PAPER_OUT | ESCPOS_ST_COVER_OPEN |
                                                 ESCPOS_ST_OFFLINE | ESCPOS_ST_ERROR))) {
        printer_flags_text(flags, why, cap);
        return -1;
    }
    if (printer_send(p, job->data, job->len, 5000) != 0) {
        snprintf(why, cap, "%s", p->error);
        return -1;
    }
    return 0;
}

static void job_free(struct print_job *j) {
    if (j->data)
        explicit_bzero(j->data, j->len); /* a receipt holds masked personal data */
    free(j->data);
    j->data = NULL;
}

void *printer_main(void *arg) {
    struct workers *w = arg;
    struct print_queue *q = &w->print;
    struct printer p = {.fd = -1};
    int64_t last_status = 0;
    while (!workers_stopping(w)) {
        if (p.fd < 0 && printer_open(&p, w->cfg.printer, 2000) != 0) {
            workers_note(w, DEVICE_PRINTER, "unreachable");
            bus_post_new(&w->bus, DEV_PRINTER_STATE, false, 2, p.error);
        }
        pthread_mutex_lock(&q->lock);
        struct print_job jobs[WORKERS_JOBS_MAX];
        int n = q->n;
        memcpy(jobs, q->jobs, sizeof jobs);
        q->n = 0;
        pthread_mutex_unlock(&q->lock);
        for (int i = 0; i < n; i++) {
            char why[600] = "";
            int rc = p.fd >= 0 ? print_job(&p, &jobs[i], why, sizeof why) : -1;
            if (p.fd < 0)
                snprintf(why, sizeof why, "%s", p.error);
            bus_post_new(&w->bus, DEV_PRINT_DONE, rc == 0, jobs[i].tag, why);
            if (rc != 0 && p.fd >= 0 && !why[0])
                printer_close(&p);
            job_free(&jobs[i]);
        }
        if (p.fd >= 0 && (n || clock_mono_ms(w->cfg.clock) - last_status >= 30000)) {
            post_status(w, &p);
            last_status = clock_mono_ms(w->cfg.clock);
        }
        pthread_mutex_lock(&q->lock);
        if (!workers_stopping(w) && q->n == 0)
            workers_wait(&q->wake, &q->lock, p.fd >= 0 ? 30 : 2);
        pthread_mutex_unlock(&q->lock);
    }
    printer_close(&p);
    pthread_mutex_lock(&q->lock);
    for (int i = 0; i < q->n; i++)
        job_free(&q->jobs[i]);
    q->n = 0;
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

int workers_print(struct workers *w, const uint8_t *data, size_t len, int tag) {
    uint8_t *copy = malloc(len);
    if (!copy)
        return -1;
    memcpy(copy, data, len);
    struct print_queue *q = &w->print;
    pthread_mutex_lock(&q->lock);
    int rc = -1;
    if (q->n < WORKERS_JOBS_MAX) {
        q->jobs[q->n++] = (struct print_job){copy, len, tag};
        rc = 0;
        pthread_cond_broadcast(&q->wake);
    }
    pthread_mutex_unlock(&q->lock);
    if (rc != 0) {
        explicit_bzero(copy, len);
        free(copy);
    }
    return rc;
}

void workers_print_test(struct workers *w) {
    struct print_job j = {0};
    if (build_test(w, &j) == 0 && workers_print(w, j.data, j.len, PRINT_TAG_TEST) != 0)
        log_warn("devices", "print queue full: test receipt dropped");
    job_free(&j);
}
