/* appt_csv: see appt_csv.h. */
#include "appt_csv.h"
#include "business.h"
#include "num.h"
#include "utf8.h"

#include <csv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum col {
    C_ID, C_OFFICE, C_BOOKING, C_START, C_END, C_A_ID, C_A_NAME, C_B_ID, C_B_NAME,
    C_TYPE, C_ACCEPTED, C_HALL, C_COUNSELLOR, C_POINT, C_N
};

static const char *const col_names[C_N] = {
    "id",         "office",       "booking_no", "slot_start", "slot_end",
    "party_a_id", "party_a_name", "party_b_id", "party_b_name", "type",
    "accepted_on", "hall",        "counsellor", "point"};

#define COLS_MAX 32

struct parse {
    int row, field;
    int map[COLS_MAX]; /* column -> enum col, or -1 */
    char *cell[C_N];
    cJSON *out;
    char *err;
    size_t errsize;
    bool failed;
};

static void fail(struct parse *p, const char *what) {
    if (!p->failed)
        snprintf(p->err, p->errsize, "row %d: %s", p->row + 1, what);
    p->failed = true;
}

/* Unix seconds, or "YYYY-MM-DD HH:MM[:SS]" in UTC+8. Returns -1 when it is neither. */
static long long parse_time(const char *s) {
    if (!s || !*s)
        return -1;
    if (strspn(s, "0123456789") == strlen(s))
        return num_i64_or(s, 0, INT64_C(1) << 40, -1);
    struct tm tm = {0};
    const char *end = strptime(s, "%Y-%m-%d %H:%M", &tm);
    if (end && *end == ':')
        end = strptime(end, ":%S", &tm);
    if (!end || *end)
        return -1;
    return (long long)timegm(&tm) - 8 * 3600;
}

static void on_field(void *data, size_t len, void *ctx) {
    struct parse *p = ctx;
    int f = p->field++;
    if (p->failed || f >= COLS_MAX)
        return;
    const char *s = data ? data : "";
    if (len > APPT_CSV_CELL || !utf8_valid(s, len)) {
        fail(p, len > APPT_CSV_CELL ? "a cell is longer than 256 bytes"
                                    : "a cell is not UTF-8 text (save the file as UTF-8)");
        return;
    }
    if (p->row == 0) {
        p->map[f] = -1;
        for (int c = 0; c < C_N; c++)
            if (strlen(col_names[c]) == len && !memcmp(col_names[c], s, len))
                p->map[f] = c;
        return;
    }
    int c = p->map[f];
    if (c >= 0 && !p->cell[c])
        p->cell[c] = strndup(s, len);
}

static void add_string(cJSON *o, const char *key, const char *v) {
    if (v && *v)
        cJSON_AddStringToObject(o, key, v);
}

static void on_row(int term, void *ctx) {
    (void)term;
    struct parse *p = ctx;
    if (p->row == 0 && !p->failed) {
        bool have[C_N] = {0};
        for (int f = 0; f < p->field && f < COLS_MAX; f++)
            if (p->map[f] >= 0)
                have[p->map[f]] = true;
        static const enum col need[] = {C_ID, C_OFFICE, C_BOOKING, C_START, C_A_ID};
        for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
            if (!have[need[i]]) {
                char what[96];
                snprintf(what, sizeof what, "the header has no column %s", col_names[need[i]]);
                fail(p, what);
            }
    } else if (!p->failed) {
        char **c = p->cell;
        long long start = parse_time(c[C_START]), end = c[C_END] ? parse_time(c[C_END]) : -2;
        if (!c[C_ID] || !*c[C_ID] || !c[C_BOOKING] || !*c[C_BOOKING] || !c[C_A_ID] || !*c[C_A_ID])
            fail(p, "id, booking_no and party_a_id must not be empty");
        else if (!c[C_OFFICE] || strlen(c[C_OFFICE]) != 6 || strspn(c[C_OFFICE], "0123456789") != 6)
            fail(p, "office must be a 6-digit division code");
        else if (start < 0 || end == -1)
            fail(p, "slot_start and slot_end must be Unix seconds or YYYY-MM-DD HH:MM");
        else if (end >= 0 && (end <= start || end - start > 86400))
            fail(p, "slot_end must come after slot_start, within the same day");
        else if (p->row > APPT_CSV_ROWS)
            fail(p, "more than 100000 appointments in one file: split it");
        else {
            cJSON *o = cJSON_CreateObject(), *names = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", c[C_ID]);
            cJSON_AddStringToObject(o, "office", c[C_OFFICE]);
            cJSON_AddNumberToObject(o, "slot_start", (double)start);
            cJSON_AddNumberToObject(o, "slot_end", (double)(end >= 0 ? end : start + 1800));
            cJSON_AddStringToObject(o, "booking_no", c[C_BOOKING]);
            cJSON_AddStringToObject(o, "party_a_id", c[C_A_ID]);
            add_string(o, "party_b_id", c[C_B_ID]);
            add_string(names, "a", c[C_A_NAME]);
            add_string(names, "b", c[C_B_NAME]);
            cJSON_AddItemToObject(o, "names", names);
            add_string(o, "type", c[C_TYPE]);
            add_string(o, "accepted_on", c[C_ACCEPTED]);
            add_string(o, "hall", c[C_HALL]);
            add_string(o, "counsellor", c[C_COUNSELLOR]);
            add_string(o, "point", c[C_POINT]);
            const char *why = appt_refusal(o, true); /* the registry fills accepted_on */
            if (why) {
                fail(p, why);
                cJSON_Delete(o);
            } else {
                cJSON_AddItemToArray(p->out, o);
            }
        }
    }
    for (int i = 0; i < C_N; i++) {
        free(p->cell[i]);
        p->cell[i] = NULL;
    }
    p->row++;
    p->field = 0;
}

cJSON *appt_csv_parse(const char *text, size_t len, char *err, size_t errsize) {
    struct csv_parser cp;
    struct parse p = {.out = cJSON_CreateArray(), .err = err, .errsize = errsize};
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        snprintf(err, errsize, "cannot start the CSV parser");
        cJSON_Delete(p.out);
        return NULL;
    }
    /* a UTF-8 byte order mark (spreadsheets write one) is not part of the first column */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    if (csv_parse(&cp, text, len, on_field, on_row, &p) != len ||
        csv_fini(&cp, on_field, on_row, &p) != 0) {
        char what[128];
        snprintf(what, sizeof what, "malformed CSV (%s)", csv_strerror(csv_error(&cp)));
        fail(&p, what);
    }
    csv_free(&cp);
    for (int i = 0; i < C_N; i++)
        free(p.cell[i]);
    if (p.row == 0)
        fail(&p, "no header row");
    if (p.failed) {
        cJSON_Delete(p.out);
        return NULL;
    }
    return p.out;
}

/* YYYY-MM-DD, a real date */
static bool is_date(const char *s) {
    int y, m, d;
    char end;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || s[4] != '-' ||
        s[7] != '-' || y < 2000 || m < 1 || m > 12 || d < 1)
        return false;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static const char *text_of(const cJSON *o, const char *key) {
    return cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
}

const char *appt_refusal(const cJSON *o, bool accepted_later) {
    const char *id = text_of(o, "id"), *office = text_of(o, "office");
    const char *booking = text_of(o, "booking_no"), *a = text_of(o, "party_a_id");
    const char *b = text_of(o, "party_b_id"), *acc = text_of(o, "accepted_on");
    const cJSON *start = cJSON_GetObjectItem(o, "slot_start");
    enum business biz;
    if (!cJSON_IsObject(o) || !id || !*id || !booking || !*booking || !a || !*a)
        return "id, booking_no and party_a_id must not be empty";
    if (!office || strlen(office) != 6 || strspn(office, "0123456789") != 6)
        return "office must be a 6-digit division code";
    if (!cJSON_IsNumber(start) || start->valuedouble < 0)
        return "slot_start must be a time";
    const cJSON *type = cJSON_GetObjectItem(o, "type");
    if ((type && !cJSON_IsString(type)) || business_from_code(text_of(o, "type"), &biz) != 0)
        return "type must be one of marriage, divorce_apply, divorce_withdraw, divorce_final, "
               "reissue_marriage, reissue_divorce, ceremony, counselling";
    bool couple = biz == BIZ_DIVORCE_APPLY || biz == BIZ_DIVORCE_WITHDRAW ||
                  biz == BIZ_DIVORCE_FINAL || biz == BIZ_CEREMONY;
    if (couple && (!b || !*b))
        return "a divorce or ceremony booking names both parties (party_b_id)";
    if (acc && !is_date(acc))
        return "accepted_on must be a date YYYY-MM-DD";
    if (business_info(biz)->needs_accepted && !acc && !accepted_later)
        return "a withdrawal or second-visit booking needs accepted_on (the 受理 date)";
    static const char *const texts[] = {"hall", "counsellor", "point"};
    static const size_t max[] = {95, 95, 31};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *v = cJSON_GetObjectItem(o, texts[i]);
        if (v && (!cJSON_IsString(v) || strlen(v->valuestring) > max[i]))
            return "hall and counsellor are texts of at most 95 bytes, point (a roving point's id) "
                   "of at most 31";
    }
    return NULL;
}
