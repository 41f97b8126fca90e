/* libFuzzer target: the scanner decoders. Bytes are keys (0x0D = Enter) with gaps taken from
 * the following byte, and the same bytes as a serial stream. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scanner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(void *ctx, const char *code) {
    (void)ctx;
    if (strlen(code) >= SCANNER_CODE_MAX)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct wedge w;
    wedge_init(&w, 30, 4);
    char out[SCANNER_CODE_MAX];
    int64_t t = 0;
    for (size_t i = 0; i + 1 < size; i += 2) {
        t += data[i + 1];
        char k[2] = {(char)data[i], 0};
        if (wedge_key(&w, data[i] == 0x0D ? NULL : k, t, out, sizeof out) == 1 &&
            strlen(out) >= SCANNER_CODE_MAX)
            __builtin_trap();
    }
    struct lines l;
    lines_init(&l);
    lines_feed(&l, data, size, sink, NULL);
    return 0;
}
