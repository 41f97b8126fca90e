/* libFuzzer target: the GA 467 frame parser and the ID card text decoder, the two places
 * where bytes from a device (or an attacker's device) meet the kiosk first.
 * A short run is part of ctest (label fuzz); bench/fuzz.sh runs it long. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ga467.h"
#include "idcard_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t off = 0;
    while (off < size) {
        struct ga467_frame f;
        int n = ga467_parse(data + off, size - off, &f);
        if (n <= 0)
            break;
        if ((size_t)n > size - off)
            __builtin_trap(); /* never claims more than it was given */
        if (f.kind == GA467_FRAME && f.payload_len >= 3 + 4 + IDCARD_TEXT_LEN) {
            struct idcard_info info;
            idcard_text_decode(f.payload + 7, f.payload_len - 7, &info);
        }
        off += (size_t)n;
    }
    if (size >= IDCARD_TEXT_LEN) {
        struct idcard_info info;
        if (idcard_text_decode(data, size, &info) == IDCARD_TEXT_OK) {
            uint8_t block[IDCARD_TEXT_LEN];
            idcard_text_encode(&info, block); /* must not overflow whatever was decoded */
        }
    }
    return 0;
}
