/* mask: see mask.h. */
#include "mask.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

char *mask_name(const char *name, char *out, size_t size) {
    size_t len = strlen(name), i = 0, o = 0, count = utf8_count(name), k = 0;
    if (size == 0)
        return out;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(name + i, len - i, &cp);
        int keep = k == 0 || (count > 2 && k == count - 1);
        const char *src = keep ? name + i : "*";
        size_t sn = keep ? n : 1;
        if (o + sn + 1 > size)
            break;
        memcpy(out + o, src, sn);
        o += sn;
        i += n;
        k++;
    }
    out[o] = 0;
    return out;
}

char *mask_id_number(const char *id, char *out, size_t size) {
    size_t len = strlen(id);
    if (size == 0)
        return out;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        int keep = len >= 10 ? (i < 6 || i >= len - 4) : i >= len - 2;
        out[o++] = keep ? id[i] : '*';
    }
    out[o] = 0;
    return out;
}

char *mask_address(const char *address, char *out, size_t size) {
    size_t len = strlen(address), i = 0, k = 0;
    if (size == 0)
        return out;
    while (i < len && k < 9) {
        uint32_t cp;
        i += utf8_decode(address + i, len - i, &cp);
        k++;
    }
    if (i >= len) /* nine characters or fewer: all but the first three */
        for (i = 0, k = 0; i < len && k < 3; k++) {
            uint32_t cp;
            i += utf8_decode(address + i, len - i, &cp);
        }
    snprintf(out, size, "%.*s%s", (int)(i < size ? i : 0), address, len ? "****" : "");
    return out;
}
