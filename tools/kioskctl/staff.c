/* staff: kioskctl staff hash NUMBER: the [staff] line of a kiosk's configuration. The PIN comes
 * from standard input, not the command line, which other users of the machine can see. */
#include <stdio.h>
#include <string.h>

#include "kioskctl.h"
#include "pin.h"

int staff_hash(int argc, char **argv) {
    if (argc != 4)
        return cmd_usage();
    char pin[64] = "", line[256];
    if (!fgets(pin, sizeof pin, stdin))
        return cmd_bad("PIN", "none on standard input");
    pin[strcspn(pin, "\r\n")] = 0;
    size_t nl = strlen(argv[3]);
    int rc = nl >= 1 && nl <= 12 && strspn(argv[3], "0123456789") == nl
                 ? pin_hash(pin, PIN_ITERATIONS, line, sizeof line)
                 : -1;
    explicit_bzero(pin, sizeof pin);
    if (rc != 0)
        return cmd_bad(argv[3], "the staff number must be 1-12 digits and the PIN 4-12 digits");
    printf("%s = %s\n", argv[3], line);
    return 0;
}
