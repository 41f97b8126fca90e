/* seed_store: captures N synthetic applications (and every tenth a check-in) into a kiosk
 * store, as the kiosk would, for the sync tests and benchmarks.
 *
 *   seed_store STATE_DIR N [KIOSK_ID]
 *
 * With KIOSK_ID, the store knows its kiosk (as the kiosk's own start-up tells it from the
 * certificate) and the records' ids are tagged with it. */
#include <stdio.h>
#include <stdlib.h>

#include <sys/stat.h>

#include "clock.h"
#include "store.h"

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4)
        return 2;
    mkdir(argv[1], 0700);
    struct store *s;
    if (store_open(&s, argv[1], clock_system()) != STORE_OK)
        return 1;
    if (argc == 4 && store_set_kiosk(s, argv[3]) != STORE_OK)
        return 1;
    int n = atoi(argv[2]);
    for (int i = 0; i < n; i++) {
        char id[UUID_STR_LEN], json[256];
        snprintf(json, sizeof json,
                 "{\"a\":{\"name\":\"测试%d\",\"id_number\":\"370602199503123011\"}}", i);
        int rc = i % 10 == 9
                     ? store_add_checkin(s, "appt", "A001", json, id)
                     : store_add_application(s, "joint", json, "370602199503123011", NULL, id);
        if (rc != STORE_OK)
            return 1;
    }
    store_close(s);
    return 0;
}
