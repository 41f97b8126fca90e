/* rating: see rating.h. */
#include "rating.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "app.h"
#include "log.h"
#include "store.h"

const char *const rating_reason_codes[RATING_REASONS] = {"wait",    "steps", "device",
                                                         "unclear", "staff", "other"};

int rating_submit(struct app *a, const char *service, int level, const bool *chosen) {
    cJSON *r = cJSON_CreateObject(), *rs = cJSON_CreateArray();
    cJSON_AddStringToObject(r, "service", service);
    cJSON_AddNumberToObject(r, "level", level);
    for (int i = 0; chosen && i < RATING_REASONS; i++)
        if (chosen[i])
            cJSON_AddItemToArray(rs, cJSON_CreateString(rating_reason_codes[i]));
    cJSON_AddItemToObject(r, "reasons", rs);
    char *json = cJSON_PrintUnformatted(r);
    cJSON_Delete(r);
    char id[40];
    int rc = json && a->store ? store_add_rating(a->store, service, level, json, id) : STORE_ERR_IO;
    if (app_record_stored(a, rc, json) != 0)
        return -1;
    log_info("rating", "%s rated %d", service, level);
    if (a->workers_running)
        workers_sync_now(&a->workers);
    return 0;
}
