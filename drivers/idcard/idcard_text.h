/* idcard_text: the 256-byte text block of an ID card (UCS-2 little-endian, space-padded
 * fields; PROTOCOLS.md §1) to and from UTF-8 fields. Pure.
 *
 * Three layouts, told apart by the byte at offset 248 (checked before anything else):
 *   ' '  resident ID card: name, sex, ethnicity, birth, address, number, authority, validity
 *   'J'  Hong Kong / Macao / Taiwan residents' residence permit: no ethnicity; pass number at
 *        220, issue count at 238
 *   'I'  foreign permanent resident card (2017): English name, sex, 15-character number,
 *        nationality, Chinese name, validity, birth
 *   'Y'  foreign permanent resident card (2023): 18-character number starting with 9. Its
 *        layout is not in the public descriptions we have (PROTOCOLS.md gives only the number
 *        rule); it is read with the 2017 layout and the longer number at 122, which must be
 *        checked against a real card before it is relied on.
 * Only trailing spaces are trimmed (a name may contain a space). The photo is not here: it is
 * 1024 bytes of WLT data that only a licensed decoder turns into an image. */
#ifndef DRIVERS_IDCARD_TEXT_H
#define DRIVERS_IDCARD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define IDCARD_TEXT_LEN 256
#define IDCARD_PHOTO_LEN 1024

enum idcard_type {
    IDCARD_RESIDENT,
    IDCARD_HKMT_RESIDENCE,
    IDCARD_FOREIGN_PERMANENT,    /* 2017 card, 'I' */
    IDCARD_FOREIGN_PERMANENT_23, /* 2023 card, 'Y' */
};

/* Every field is UTF-8, NUL-terminated; dates are YYYYMMDD as on the card; valid_to may be
 * "长期". Holds personal data: clear it with explicit_bzero when done. */
struct idcard_info {
    enum idcard_type type;
    char name[64];          /* Chinese name (resident, HKMT, foreign cards' Chinese name) */
    char name_en[128];      /* foreign cards: English name */
    char sex_code[4];       /* GB/T 2261.1: 0 1 2 9 */
    char ethnicity_code[4]; /* GB/T 3304: "01"...; empty for HKMT and foreign cards */
    char nationality[8];    /* foreign cards: GB/T 2659 alpha-3 */
    char birth[12];
    char address[128];
    char id_number[24]; /* resident/HKMT: 18 characters; foreign 2017: 15 */
    char authority[64];
    char valid_from[12];
    char valid_to[16];
    char pass_number[24]; /* HKMT: the 通行证 number */
    char issue_count[8];  /* HKMT: times issued */
    size_t photo_len;     /* bytes of WLT photo that came with the card */
};

enum idcard_text_err {
    IDCARD_TEXT_OK = 0,
    IDCARD_TEXT_SHORT = -1,    /* fewer than 256 bytes */
    IDCARD_TEXT_BAD_TYPE = -2, /* unknown card-type marker */
    IDCARD_TEXT_TOO_LONG = -3, /* encode: a field does not fit its place on the card */
};

/* Decodes block[0..256). Returns IDCARD_TEXT_OK or an error. */
int idcard_text_decode(const uint8_t *block, size_t len, struct idcard_info *out);
/* Encodes info into a 256-byte block (the simulator's cards). Returns OK or an error. */
int idcard_text_encode(const struct idcard_info *info, uint8_t block[IDCARD_TEXT_LEN]);

/* Names for the codes, or NULL for an unknown code. */
const char *idcard_sex_name(const char *code);       /* "1" -> "男" */
const char *idcard_ethnicity_name(const char *code); /* "01" -> "汉" */
const char *idcard_type_name(enum idcard_type t);    /* "resident", ... (idcard-read JSON) */

#endif
