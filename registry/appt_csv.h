/* appt_csv: appointments exported as CSV (from the booking portal, or a spreadsheet) turned
 * into the JSON objects the registry keeps. Parsed with libcsv.
 *
 * The first row names the columns, in any order; unknown columns are ignored:
 *   id, office, booking_no, slot_start, slot_end, party_a_id, party_a_name, party_b_id,
 *   party_b_name, type, accepted_on, hall, counsellor, point
 * id, office, booking_no, slot_start and party_a_id are required. type is the business
 * (kiosk/domain/business.h; empty: marriage); a divorce or ceremony names both parties; a
 * withdrawal or second visit carries accepted_on (YYYY-MM-DD, the 受理 date) unless the
 * registry knows it (it records it when the office accepts the application); point is the id
 * of the roving point (巡回登记点) a booking is for (empty: the office itself). Times are Unix seconds or
 * "YYYY-MM-DD HH:MM" in China Standard Time (UTC+8, no daylight saving).
 *
 * Limits: at most APPT_CSV_ROWS rows of at most 32 columns; a cell at most 256 bytes of UTF-8;
 * a slot ends after it starts and lasts at most a day. A file breaking any of them is refused
 * whole with the row named. */
#ifndef REGISTRY_APPT_CSV_H
#define REGISTRY_APPT_CSV_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define APPT_CSV_ROWS 100000
#define APPT_CSV_CELL 256

/* Returns a JSON array of appointment objects, or NULL with the reason (row number included)
 * in err. */
cJSON *appt_csv_parse(const char *text, size_t len, char *err, size_t errsize);
/* Why an appointment object (from CSV or JSON) cannot be kept, or NULL. accepted_later: a
 * withdrawal's or second visit's missing accepted_on is to be filled in by the registry. */
const char *appt_refusal(const cJSON *o, bool accepted_later);

#endif
