/* simctl: sends one command to a device simulator's control socket and prints the answer.
 *
 *   simctl SOCKET COMMAND...        e.g. simctl /run/kiosk/idcard.ctl insert card.json
 *
 * Exit 0 for "ok", 1 for an "error" answer, 2 when the simulator cannot be reached. */
#include <stdio.h>
#include <string.h>

#include "simctl.h"

int main(int argc, char **argv) {
    if (argc < 3 || !strcmp(argv[1], "--help")) {
        fprintf(argc < 3 ? stderr : stdout, "usage: simctl SOCKET COMMAND...\n");
        return argc < 3 ? 2 : 0;
    }
    char line[SIMCTL_LINE] = "";
    for (int i = 2; i < argc; i++) {
        if (strlen(line) + strlen(argv[i]) + 2 >= sizeof line) {
            fprintf(stderr, "simctl: command too long\n");
            return 2;
        }
        if (i > 2)
            strcat(line, " ");
        strcat(line, argv[i]);
    }
    char reply[SIMCTL_LINE];
    int rc = simctl_send(argv[1], line, reply, sizeof reply, 5000);
    if (rc < 0) {
        fprintf(stderr, "simctl: %s\n", reply);
        return 2;
    }
    puts(reply);
    return rc;
}
