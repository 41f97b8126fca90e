/* business: see business.h. */
#include "business.h"

#include <stddef.h>
#include <string.h>

#include "caltime.h"

static const struct business_info table[BIZ_COUNT] = {
    [BIZ_MARRIAGE] = {"marriage", "A", false, false},
    [BIZ_DIVORCE_APPLY] = {"divorce_apply", "L", false, false},
    [BIZ_DIVORCE_WITHDRAW] = {"divorce_withdraw", "L", true, true},
    [BIZ_DIVORCE_FINAL] = {"divorce_final", "L", false, true},
    [BIZ_REISSUE_MARRIAGE] = {"reissue_marriage", "B", true, false},
    [BIZ_REISSUE_DIVORCE] = {"reissue_divorce", "B", true, false},
    [BIZ_CEREMONY] = {"ceremony", "C", false, false},
    [BIZ_COUNSELLING] = {"counselling", "F", false, false},
};

const struct business_info *business_info(enum business b) {
    return (unsigned)b < BIZ_COUNT ? &table[b] : &table[BIZ_MARRIAGE];
}

const char *business_code(enum business b) {
    return business_info(b)->code;
}

int business_from_code(const char *code, enum business *out) {
    if (!code || !*code) {
        *out = BIZ_MARRIAGE;
        return 0;
    }
    for (int b = 0; b < BIZ_COUNT; b++)
        if (!strcmp(code, table[b].code)) {
            *out = (enum business)b;
            return 0;
        }
    return -1;
}

/* The last day of a period ending on day `last` after accepted, moved past closed days (at
 * most a month of them: a calendar closing the office longer is taken as it stands). */
static int last_open(long last, business_open_fn open, void *ctx, bool *moved) {
    *moved = false;
    for (int i = 0; open && i < 31 && !open(caltime_day_date(last), ctx); i++) {
        last++;
        *moved = true;
    }
    return caltime_day_date(last);
}

enum divorce_when business_divorce_check(enum business b, int accepted, int today,
                                         business_open_fn open, void *ctx,
                                         struct divorce_period *out) {
    memset(out, 0, sizeof *out);
    if (b != BIZ_DIVORCE_WITHDRAW && b != BIZ_DIVORCE_FINAL)
        return DIVORCE_OK;
    int y = accepted / 10000, m = accepted / 100 % 100, d = accepted % 100;
    if (y < 2000 || m < 1 || m > 12 || d < 1 || d > 31 ||
        caltime_day_date(caltime_day_number(accepted)) != accepted || accepted > today)
        return DIVORCE_BAD_DATE;
    long a = caltime_day_number(accepted);
    out->accepted = accepted;
    out->day = (int)(caltime_day_number(today) - a);
    if (b == BIZ_DIVORCE_WITHDRAW) {
        out->opens = accepted;
        out->closes = last_open(a + 30, open, ctx, &out->moved);
        return today <= out->closes ? DIVORCE_OK : DIVORCE_COOLED;
    }
    out->opens = caltime_day_date(a + 31);
    out->closes = last_open(a + 60, open, ctx, &out->moved);
    if (out->day < 31)
        return DIVORCE_NOT_YET;
    return today <= out->closes ? DIVORCE_OK : DIVORCE_LAPSED;
}
