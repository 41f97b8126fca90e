/* libFuzzer target: the offices' calendar (JSON from a content push). It parses within its
 * limits, or is refused with a reason; every day of a year around each date asked answers
 * with hours of at most CALENDAR_PERIODS_MAX periods in order. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct calendar c;
    char why[200] = "";
    if (calendar_parse(&c, (const char *)data, size, why, sizeof why) != 0) {
        if (!why[0] || c.noffices || c.holidays || c.offices)
            __builtin_trap();
        return 0;
    }
    if (c.ndays > CALENDAR_DAYS_MAX || c.noffices > CALENDAR_OFFICES_MAX)
        __builtin_trap();
    const char *office = c.noffices ? c.offices[0].code : "370602";
    for (int d = 20270101; d <= 20270131; d++) {
        struct cal_day day;
        calendar_day(&c, office, d, &day);
        if (!day.hours || day.hours->nperiods < 0 || day.hours->nperiods > CALENDAR_PERIODS_MAX ||
            !day.name || !day.name_en)
            __builtin_trap();
        for (int i = 1; i < day.hours->nperiods; i++)
            if (day.hours->from[i] < day.hours->to[i - 1])
                __builtin_trap();
        char text[128];
        calendar_hours_text(day.hours, "、", text, sizeof text);
    }
    calendar_next_open(&c, office, 20270101, 60);
    calendar_free(&c);
    return 0;
}
