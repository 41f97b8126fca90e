/* uuid: see uuid.h. */
#include "uuid.h"

#include <stdio.h>

#include "crypto.h"

int uuid_v7(int64_t unix_ms, char out[UUID_STR_LEN]) {
    uint8_t b[16];
    if (crypto_random(b + 6, 10) != 0)
        return -1;
    for (int i = 0; i < 6; i++)
        b[i] = (uint8_t)((uint64_t)unix_ms >> (40 - 8 * i));
    b[6] = (uint8_t)(0x70 | (b[6] & 0x0F)); /* version 7 */
    b[8] = (uint8_t)(0x80 | (b[8] & 0x3F)); /* variant 10 */
    snprintf(out, UUID_STR_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return 0;
}
