/* ga467: see ga467.h. */
#include "ga467.h"

#include <string.h>

static const uint8_t preamble[GA467_PREAMBLE_LEN] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};

uint8_t ga467_checksum(const uint8_t *p, size_t n) {
    uint8_t x = 0;
    for (size_t i = 0; i < n; i++)
        x ^= p[i];
    return x;
}

static int build(const uint8_t *head, size_t hn, const uint8_t *data, size_t n, uint8_t *out,
                 size_t cap) {
    size_t plen = hn + n;
    size_t len = plen + 1; /* LEN counts CHK too */
    size_t total = GA467_HEADER_LEN + len;
    if (len > GA467_MAX_LEN || total > cap || (n && !data))
        return -1;
    memcpy(out, preamble, GA467_PREAMBLE_LEN);
    out[5] = (uint8_t)(len >> 8);
    out[6] = (uint8_t)(len & 0xFF);
    memcpy(out + GA467_HEADER_LEN, head, hn);
    if (n)
        memcpy(out + GA467_HEADER_LEN + hn, data, n);
    out[total - 1] = ga467_checksum(out + GA467_PREAMBLE_LEN, 2 + plen);
    return (int)total;
}

int ga467_build_command(unsigned cmd, const uint8_t *data, size_t n, uint8_t *out, size_t cap) {
    const uint8_t head[2] = {(uint8_t)(cmd >> 8), (uint8_t)(cmd & 0xFF)};
    return build(head, 2, data, n, out, cap);
}

int ga467_build_answer(uint8_t sw1, uint8_t sw2, uint8_t sw3, const uint8_t *data, size_t n,
                       uint8_t *out, size_t cap) {
    const uint8_t head[3] = {sw1, sw2, sw3};
    return build(head, 3, data, n, out, cap);
}

/* Where the next preamble could begin: the first i at which buf[i..] matches the preamble as
 * far as buf goes. Returns len when there is none. */
static size_t next_preamble(const uint8_t *buf, size_t len, size_t from) {
    for (size_t i = from; i < len; i++) {
        size_t k = 0;
        while (k < GA467_PREAMBLE_LEN && i + k < len && buf[i + k] == preamble[k])
            k++;
        if (k == GA467_PREAMBLE_LEN || i + k == len)
            return i;
    }
    return len;
}

int ga467_parse(const uint8_t *buf, size_t len, struct ga467_frame *out) {
    if (!buf || !out)
        return -1;
    memset(out, 0, sizeof *out);
    size_t start = next_preamble(buf, len, 0);
    if (start > 0) {
        out->kind = GA467_NOISE;
        return (int)start;
    }
    if (len < GA467_HEADER_LEN)
        return 0;
    size_t flen = ((size_t)buf[5] << 8) | buf[6];
    if (flen < 3 || flen > GA467_MAX_LEN) {
        /* not a real header: drop its first byte and look for the next preamble */
        out->kind = GA467_BAD_LENGTH;
        size_t skip = next_preamble(buf, len, 1);
        return (int)(skip ? skip : 1);
    }
    size_t total = GA467_HEADER_LEN + flen;
    if (len < total)
        return 0;
    out->payload = buf + GA467_HEADER_LEN;
    out->payload_len = flen - 1;
    uint8_t chk = ga467_checksum(buf + GA467_PREAMBLE_LEN, 2 + out->payload_len);
    out->kind = chk == buf[total - 1] ? GA467_FRAME : GA467_BAD_CHECKSUM;
    return (int)total;
}

const char *ga467_sw_text(uint8_t sw3) {
    switch (sw3) {
    case GA467_SW_OK:
        return "ok";
    case GA467_SW_FOUND:
        return "card found";
    case GA467_SW_EMPTY:
        return "ok, item empty";
    case GA467_SW_BAD_CHECKSUM:
        return "checksum error in the host's frame";
    case GA467_SW_BAD_LENGTH:
        return "length error in the host's frame";
    case GA467_SW_UNKNOWN_CMD:
        return "unknown command";
    case GA467_SW_UNAUTHORISED:
        return "unauthorised operation";
    case GA467_SW_UNRECOGNISED:
        return "unrecognised error";
    case GA467_SW_CARD_AUTH:
        return "card failed to authenticate the SAM";
    case GA467_SW_SAM_AUTH:
        return "SAM failed to authenticate the card";
    case GA467_SW_VERIFY:
        return "information verification error";
    case GA467_SW_CARD_TYPE:
        return "unknown card type";
    case GA467_SW_READ_FAILED:
        return "read failed";
    case GA467_SW_RANDOM:
        return "random-number failure";
    case GA467_SW_SELF_TEST:
        return "SAM self-test failed";
    case GA467_SW_SAM_NOT_AUTH:
        return "SAM not authorised";
    case GA467_SW_NO_CARD:
        return "no card";
    case GA467_SW_SELECT_FAILED:
        return "select failed";
    default:
        return "unknown status";
    }
}
