/* idcard_reader: see idcard_reader.h. */
#include "idcard_reader.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "serial.h"

/* Answers come within these times on a real reader (the read moves ~1.3 kB at 115200 baud and
 * the SAM needs time to authenticate the card). */
#define SHORT_MS 500
#define READ_MS 2000

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_error(struct idcard_reader *r, const char *what, const char *detail) {
    snprintf(r->error, sizeof r->error, "%s: %s", what, detail);
}

int idcard_reader_open(struct idcard_reader *r, const char *path, int baud) {
    memset(r, 0, sizeof *r);
    snprintf(r->path, sizeof r->path, "%s", path);
    r->baud = baud ? baud : 115200;
    r->fd = serial_open(r->path, r->baud);
    if (r->fd < 0) {
        set_error(r, r->path, serial_strerror(r->fd));
        r->fd = -1;
        return IDCARD_ERR_DEVICE;
    }
    return IDCARD_OK;
}

void idcard_reader_close(struct idcard_reader *r) {
    serial_close(r->fd);
    r->fd = -1;
    explicit_bzero(r->rx, sizeof r->rx);
    r->rx_len = 0;
}

static int ensure_open(struct idcard_reader *r) {
    if (r->fd >= 0)
        return IDCARD_OK;
    int fd = serial_open(r->path, r->baud);
    if (fd < 0) {
        set_error(r, r->path, serial_strerror(fd));
        return IDCARD_ERR_DEVICE;
    }
    r->fd = fd;
    r->reconnects++;
    log_info("idcard", "reader %s opened again", r->path);
    return IDCARD_OK;
}

static void lost(struct idcard_reader *r) {
    log_warn("idcard", "reader %s lost", r->path);
    serial_close(r->fd);
    r->fd = -1;
    r->rx_len = 0;
    set_error(r, r->path, serial_strerror(SERIAL_ERR_GONE));
}

/* Waits for one answer frame. Returns 1 with *f set (payload in r->rx; consume with
 * r_consume), 0 on timeout or a bad frame (retry), -1 when the device is gone. */
static int receive(struct idcard_reader *r, struct ga467_frame *f, size_t *used, int timeout_ms) {
    int64_t deadline = now_ms() + timeout_ms;
    for (;;) {
        int n = ga467_parse(r->rx, r->rx_len, f);
        if (n > 0) {
            if (f->kind == GA467_FRAME) {
                *used = (size_t)n;
                return 1;
            }
            /* noise, a bad length or a bad checksum: drop those bytes */
            if (f->kind == GA467_BAD_CHECKSUM)
                log_warn("idcard", "answer with a bad checksum");
            memmove(r->rx, r->rx + n, r->rx_len - (size_t)n);
            r->rx_len -= (size_t)n;
            if (f->kind == GA467_BAD_CHECKSUM)
                return 0;
            continue;
        }
        int64_t left = deadline - now_ms();
        if (left <= 0 || r->rx_len == sizeof r->rx)
            return 0;
        ssize_t got = serial_read(r->fd, r->rx + r->rx_len, sizeof r->rx - r->rx_len, (int)left);
        if (got == SERIAL_ERR_TIMEOUT)
            return 0;
        if (got < 0)
            return -1;
        r->rx_len += (size_t)got;
    }
}

/* Sends cmd and waits for its answer, retrying a lost or damaged answer. On IDCARD_OK the
 * answer's data (after SW1..SW3) is copied into data (cap bytes). */
static int transact(struct idcard_reader *r, unsigned cmd, int timeout_ms, uint8_t *sw3,
                    uint8_t *data, size_t cap, size_t *data_len) {
    uint8_t frame[16];
    int flen = ga467_build_command(cmd, NULL, 0, frame, sizeof frame);
    for (int attempt = 0; attempt <= IDCARD_RETRIES; attempt++) {
        if (ensure_open(r) != IDCARD_OK)
            return IDCARD_ERR_DEVICE;
        if (attempt > 0)
            r->retries_used++;
        /* what is left of an earlier answer would be taken for this one */
        serial_flush_input(r->fd);
        r->rx_len = 0;
        int w = serial_write(r->fd, frame, (size_t)flen, SHORT_MS);
        if (w == SERIAL_ERR_GONE) {
            lost(r);
            return IDCARD_ERR_DEVICE;
        }
        if (w != SERIAL_OK)
            continue;
        struct ga467_frame f;
        size_t used = 0;
        int got = receive(r, &f, &used, timeout_ms);
        if (got < 0) {
            lost(r);
            return IDCARD_ERR_DEVICE;
        }
        if (got == 0)
            continue;
        if (f.payload_len < 3) {
            r->rx_len = 0;
            continue;
        }
        *sw3 = f.payload[2];
        size_t n = f.payload_len - 3;
        if (data_len)
            *data_len = n < cap ? n : cap;
        if (data && n)
            memcpy(data, f.payload + 3, n < cap ? n : cap);
        explicit_bzero(r->rx, used);
        memmove(r->rx, r->rx + used, r->rx_len - used);
        r->rx_len -= used;
        return IDCARD_OK;
    }
    snprintf(r->error, sizeof r->error, "no valid answer to command %04X after %d tries", cmd,
             IDCARD_RETRIES + 1);
    return IDCARD_ERR_PROTOCOL;
}

int idcard_reader_poll(struct idcard_reader *r, struct idcard_info *info, uint8_t *photo) {
    uint8_t sw3 = 0;
    int rc = transact(r, GA467_CMD_FIND, SHORT_MS, &sw3, NULL, 0, NULL);
    if (rc != IDCARD_OK)
        return rc;
    if (sw3 == GA467_SW_NO_CARD)
        return IDCARD_NO_CARD;
    if (sw3 != GA467_SW_FOUND) {
        snprintf(r->error, sizeof r->error, "find card: %s (%02X)", ga467_sw_text(sw3), sw3);
        return IDCARD_ERR_PROTOCOL;
    }
    rc = transact(r, GA467_CMD_SELECT, SHORT_MS, &sw3, NULL, 0, NULL);
    if (rc != IDCARD_OK)
        return rc;
    if (sw3 == GA467_SW_SELECT_FAILED || sw3 == GA467_SW_NO_CARD)
        return IDCARD_NO_CARD; /* lifted between find and select */
    if (sw3 != GA467_SW_OK) {
        snprintf(r->error, sizeof r->error, "select card: %s (%02X)", ga467_sw_text(sw3), sw3);
        return IDCARD_ERR_PROTOCOL;
    }
    uint8_t data[4 + IDCARD_TEXT_LEN + IDCARD_PHOTO_LEN];
    size_t n = 0;
    rc = transact(r, GA467_CMD_READ, READ_MS, &sw3, data, sizeof data, &n);
    if (rc != IDCARD_OK)
        return rc;
    if (sw3 != GA467_SW_OK) {
        snprintf(r->error, sizeof r->error, "read card: %s (%02X)", ga467_sw_text(sw3), sw3);
        return IDCARD_ERR_PROTOCOL;
    }
    size_t tlen = n >= 4 ? ((size_t)data[0] << 8 | data[1]) : 0;
    size_t plen = n >= 4 ? ((size_t)data[2] << 8 | data[3]) : 0;
    if (n < 4 || tlen != IDCARD_TEXT_LEN || plen > IDCARD_PHOTO_LEN || 4 + tlen + plen > n) {
        snprintf(r->error, sizeof r->error,
                 "read card: answer of %zu bytes does not hold the "
                 "text and photo it announces",
                 n);
        explicit_bzero(data, sizeof data);
        return IDCARD_ERR_PROTOCOL;
    }
    int trc = idcard_text_decode(data + 4, tlen, info);
    if (trc != IDCARD_TEXT_OK) {
        snprintf(r->error, sizeof r->error, "read card: unknown card type marker %02X",
                 data[4 + 248]);
        explicit_bzero(data, sizeof data);
        return IDCARD_ERR_PROTOCOL;
    }
    info->photo_len = plen;
    if (photo)
        memcpy(photo, data + 4 + tlen, plen);
    explicit_bzero(data, sizeof data);
    return IDCARD_OK;
}

int idcard_reader_read(struct idcard_reader *r, struct idcard_info *info, uint8_t *photo,
                       int timeout_ms, int poll_ms) {
    int64_t deadline = now_ms() + timeout_ms;
    int rc;
    for (;;) {
        rc = idcard_reader_poll(r, info, photo);
        if (rc == IDCARD_OK)
            return rc;
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return rc;
        int64_t nap = left < poll_ms ? left : poll_ms;
        struct timespec ts = {(time_t)(nap / 1000), (long)(nap % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

int idcard_reader_card_present(struct idcard_reader *r) {
    uint8_t sw3 = 0;
    int rc = transact(r, GA467_CMD_SELECT, SHORT_MS, &sw3, NULL, 0, NULL);
    if (rc != IDCARD_OK)
        return rc;
    return sw3 == GA467_SW_OK ? 1 : 0;
}

int idcard_reader_sam_id(struct idcard_reader *r, char *out, size_t size) {
    uint8_t sw3 = 0, d[16];
    size_t n = 0;
    int rc = transact(r, GA467_CMD_SAM_ID, SHORT_MS, &sw3, d, sizeof d, &n);
    if (rc != IDCARD_OK)
        return rc;
    if (sw3 != GA467_SW_OK || n < 16) {
        snprintf(r->error, sizeof r->error, "SAM id: %s (%02X)", ga467_sw_text(sw3), sw3);
        return IDCARD_ERR_PROTOCOL;
    }
    /* 2 x uint16 + 3 x uint32, little-endian */
    unsigned a = (unsigned)(d[0] | d[1] << 8), b = (unsigned)(d[2] | d[3] << 8);
    uint32_t c = (uint32_t)d[4] | (uint32_t)d[5] << 8 | (uint32_t)d[6] << 16 | (uint32_t)d[7] << 24;
    uint32_t e =
        (uint32_t)d[8] | (uint32_t)d[9] << 8 | (uint32_t)d[10] << 16 | (uint32_t)d[11] << 24;
    uint32_t g =
        (uint32_t)d[12] | (uint32_t)d[13] << 8 | (uint32_t)d[14] << 16 | (uint32_t)d[15] << 24;
    snprintf(out, size, "%02u.%02u-%08" PRIu32 "-%010" PRIu32 "-%010" PRIu32, a, b, c, e, g);
    return IDCARD_OK;
}
