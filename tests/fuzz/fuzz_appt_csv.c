/* libFuzzer target: the appointment CSV an operator imports (exported by a booking portal or
 * typed in a spreadsheet). Whatever the bytes, the import gives a list or a reason; each
 * appointment it gives has the fields the kiosks rely on, within their ranges. */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "appt_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 1 << 16)
        return 0;
    char err[200];
    cJSON *list = appt_csv_parse((const char *)data, size, err, sizeof err);
    if (!list) {
        if (!err[0])
            __builtin_trap(); /* a refusal always says why */
        return 0;
    }
    const cJSON *a;
    cJSON_ArrayForEach(a, list) {
        const cJSON *s = cJSON_GetObjectItem(a, "slot_start"), *e = cJSON_GetObjectItem(a, "slot_end");
        const char *office = cJSON_GetStringValue(cJSON_GetObjectItem(a, "office"));
        if (!cJSON_IsNumber(s) || !cJSON_IsNumber(e) || s->valuedouble < 0 ||
            e->valuedouble <= s->valuedouble || !office || strlen(office) != 6)
            __builtin_trap();
    }
    cJSON_Delete(list);
    return 0;
}
