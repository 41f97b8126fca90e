/* libFuzzer target: the ESC/POS parser of escpos-sim (a printer's view of arbitrary bytes). */
#include <stddef.h>
#include <stdint.h>

#include "escpos_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t off = 0;
    while (off < size) {
        struct escpos_cmd c;
        int n = escpos_parse(data + off, size - off, &c);
        if (n <= 0)
            break;
        if ((size_t)n > size - off || (c.data && c.data + c.len > data + size))
            __builtin_trap();
        off += (size_t)n;
    }
    return 0;
}
