/* libFuzzer target: a service guide page (Markdown from a content push, parsed with cmark).
 * A page parses into blocks within the guide's limits, or is refused with a reason. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guide.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > GUIDE_PAGE_MAX + 16)
        return 0;
    struct guide_topic t;
    char why[200] = "";
    if (guide_parse(&t, (const char *)data, size, why, sizeof why) != 0) {
        if (!why[0])
            __builtin_trap();
        return 0;
    }
    if (!t.title || t.nblocks > GUIDE_BLOCKS_MAX)
        __builtin_trap();
    for (size_t i = 0; i < t.nblocks; i++)
        if (!t.blocks[i].text || strlen(t.blocks[i].text) > GUIDE_TEXT_MAX)
            __builtin_trap();
    struct guide_topic *tp = malloc(sizeof *tp);
    *tp = t;
    struct guide g = {tp, 1};
    guide_free(&g);
    return 0;
}
