/* receipt: the signed token in a receipt's QR code (DOMAIN.md §6: a QR holds a token, not
 * personal data), so that staff can tell a real receipt offline.
 *
 *   token = "MR1." base64url(payload || Ed25519 signature over payload)
 *   payload = version 2 | kind ('C' check-in, 'J' joint application) | key id (the first 4
 *             bytes of SHA-256 of the kiosk's public key) | office (6 ASCII digits) | record id
 *             (the UUID's 16 bytes) | time (Unix seconds, 4 bytes big-endian) | queue number
 *             (length byte, then at most 8 ASCII characters) | kiosk id (length byte, then
 *             at most 24 ASCII characters: the signing kiosk, named and signed)
 * Version 1 (no kiosk id) is still read. About 160 characters: a small QR code (version 8 at
 * level M). Pure but for the signature. A receipt is real when its signature holds under the
 * key the registry knows for the kiosk it names, and that kiosk is of the office it names
 * (receipt_bound). */
#ifndef DOMAIN_RECEIPT_H
#define DOMAIN_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#define RECEIPT_TOKEN_MAX 200

struct receipt {
    char kind; /* 'C', 'J' */
    uint8_t key_id[4];
    char office[7];
    char record_id[37];
    int64_t time;
    char queue[9];
    char kiosk[25]; /* empty in a version 1 token */
};

enum receipt_err {
    RECEIPT_OK = 0,
    RECEIPT_MALFORMED = -1,
    RECEIPT_BAD_SIGNATURE = -2,
    RECEIPT_WRONG_KIOSK = -3,  /* signed by a key that is not the named kiosk's */
    RECEIPT_WRONG_OFFICE = -4, /* the signing kiosk is not of the office the receipt names */
};

/* The token of r signed with the kiosk's seed (r's key_id is set from it). Returns its
 * length, or -1. */
int receipt_sign(struct receipt *r, const uint8_t seed[32], char *token, size_t cap);
/* Reads a token without checking its signature (to find which key signed it). */
int receipt_parse(const char *token, struct receipt *r);
/* Reads and checks a token against a kiosk's public key. RECEIPT_BAD_SIGNATURE also when it
 * was signed by another key. */
int receipt_verify(const char *token, const uint8_t pub[32], struct receipt *r);
/* Whether a verified receipt r is bound to the kiosk that holds the key (key_kiosk, of
 * key_office, as the registry knows it): RECEIPT_OK, RECEIPT_WRONG_KIOSK when r names
 * another kiosk, RECEIPT_WRONG_OFFICE when it claims another office. A version 1 token names
 * no kiosk: only its office is checked. */
int receipt_bound(const struct receipt *r, const char *key_kiosk, const char *key_office);
/* A message for each code (English, for logs and tools). */
const char *receipt_strerror(int rc);
/* The key id of a public key. */
void receipt_key_id(const uint8_t pub[32], uint8_t id[4]);

#endif
