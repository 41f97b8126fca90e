/* idcard_json: a card as JSON, both ways.
 *
 * The output of idcard-read (one object: card_type, name, sex, sex_code, ethnicity,
 * ethnicity_code, birth YYYY-MM-DD, address, id_number, authority, valid_from, valid_to
 * YYYY-MM-DD or 长期, photo_wlt_size; foreign cards add name_en and nationality, HKMT permits
 * pass_number and issue_count) is also the format of the synthetic cards in tests/data/cards/
 * that idcard-sim presents, so a test compares them field for field. */
#ifndef DRIVERS_IDCARD_JSON_H
#define DRIVERS_IDCARD_JSON_H

#include <stddef.h>

#include "idcard_text.h"

/* Reads a card file. Returns 0, or -1 with the reason in err (no card data in it). */
int idcard_json_load(const char *path, struct idcard_info *info, char *err, size_t errsize);
/* The card as a JSON text (malloc'd; the caller clears and frees it), or NULL. */
char *idcard_json_format(const struct idcard_info *info);

#endif
