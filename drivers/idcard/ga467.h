/* ga467: the frames between a host and the SAM module of a second-generation ID card reader
 * (PROTOCOLS.md §1). Pure: bytes in, structs out, no I/O, no allocation, no globals.
 *
 *   AA AA AA 96 69 | LEN_HI LEN_LO | payload ... | CHK
 *
 * LEN counts the payload and CHK; CHK is the XOR of LEN_HI, LEN_LO and the payload. A host
 * command's payload is CMD PARA [DATA]; the SAM's answer is SW1 SW2 SW3 [DATA].
 *
 * ga467_parse() is incremental: give it what has arrived; it says how many bytes it used and
 * what they were (a frame, noise before a preamble, a frame with a bad checksum or an
 * impossible length), or 0 when it needs more. It is what the fuzz target calls. */
#ifndef DRIVERS_GA467_H
#define DRIVERS_GA467_H

#include <stddef.h>
#include <stdint.h>

#define GA467_PREAMBLE_LEN 5
#define GA467_HEADER_LEN 7 /* preamble + LEN */
/* The longest answer is text + photo + fingerprint: 3 + 6 + 256 + 1024 + 1024 + 1 bytes of
 * LEN. Anything longer is noise that happened to look like a header. */
#define GA467_MAX_LEN 2400
#define GA467_MAX_FRAME (GA467_HEADER_LEN + GA467_MAX_LEN)

/* Commands (CMD, PARA). */
enum {
    GA467_CMD_RESET = 0x10FF,
    GA467_CMD_STATUS = 0x11FF,
    GA467_CMD_SAM_ID = 0x12FF,
    GA467_CMD_FIND = 0x2001,
    GA467_CMD_SELECT = 0x2002,
    GA467_CMD_READ = 0x3001,      /* text + photo */
    GA467_CMD_READ_FP = 0x3010,   /* text + photo + fingerprint */
    GA467_CMD_READ_ADDR = 0x3003, /* appended address */
};

/* SW3 values (only SW3 decides). */
enum {
    GA467_SW_OK = 0x90,
    GA467_SW_FOUND = 0x9F,
    GA467_SW_EMPTY = 0x91,
    GA467_SW_BAD_CHECKSUM = 0x10,
    GA467_SW_BAD_LENGTH = 0x11,
    GA467_SW_UNKNOWN_CMD = 0x21,
    GA467_SW_UNAUTHORISED = 0x23,
    GA467_SW_UNRECOGNISED = 0x24,
    GA467_SW_CARD_AUTH = 0x31,
    GA467_SW_SAM_AUTH = 0x32,
    GA467_SW_VERIFY = 0x33,
    GA467_SW_CARD_TYPE = 0x40,
    GA467_SW_READ_FAILED = 0x41,
    GA467_SW_RANDOM = 0x47,
    GA467_SW_SELF_TEST = 0x60,
    GA467_SW_SAM_NOT_AUTH = 0x66,
    GA467_SW_NO_CARD = 0x80,
    GA467_SW_SELECT_FAILED = 0x81,
};

enum ga467_kind {
    GA467_FRAME,        /* a whole frame with a good checksum */
    GA467_NOISE,        /* bytes before the next preamble: skip them */
    GA467_BAD_CHECKSUM, /* a whole frame whose checksum is wrong */
    GA467_BAD_LENGTH,   /* a header with an impossible LEN: its preamble is skipped */
};

struct ga467_frame {
    enum ga467_kind kind;
    const uint8_t *payload; /* into the caller's buffer; valid while it is */
    size_t payload_len;
};

/* Builds a host command into out (cap bytes). Returns the frame's length or -1 if it does not
 * fit. */
int ga467_build_command(unsigned cmd, const uint8_t *data, size_t n, uint8_t *out, size_t cap);
/* Builds a SAM answer (for the simulator and the tests). Returns the length or -1. */
int ga467_build_answer(uint8_t sw1, uint8_t sw2, uint8_t sw3, const uint8_t *data, size_t n,
                       uint8_t *out, size_t cap);
/* Parses the start of buf. Returns the bytes used (> 0) with *out describing them, 0 when more
 * bytes are needed, or -1 for a NULL argument. */
int ga467_parse(const uint8_t *buf, size_t len, struct ga467_frame *out);
/* The XOR checksum of n bytes. */
uint8_t ga467_checksum(const uint8_t *p, size_t n);
/* A short description of an SW3 value ("no card", "read failed", ...), for logs and errors. */
const char *ga467_sw_text(uint8_t sw3);

#endif
