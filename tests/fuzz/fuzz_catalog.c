/* libFuzzer target: a message catalog (i18n/LANG.ini from a content push). A catalog that loads
 * answers every lookup and formats with arguments without reading past its texts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > I18N_FILE_MAX)
        return 0;
    static bool quiet;
    if (!quiet) { /* a missing key is logged once per catalog: once per input here */
        log_init("fuzz", LOG_ERROR);
        quiet = true;
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    struct i18n *t = calloc(1, sizeof *t);
    if (i18n_load_string(t, "zh-CN", text) == 0) {
        i18n_set_lang(t, "zh-CN");
        /* keys from the input itself: whatever it defines is looked up and formatted */
        char key[64];
        size_t k = 0;
        int looked = 0; /* the first 32 keys: enough to reach every path, and fast */
        for (size_t i = 0; i <= size && i < 4096 && looked < 32; i++) {
            char ch = i < size ? text[i] : '\n';
            if (ch == '=' || ch == '\n' || k == sizeof key - 1) {
                key[k] = 0;
                if (k) {
                    looked++;
                    const char *args[] = {"n", "3", "k", "结婚", NULL};
                    char out[512];
                    (void)i18n_get(t, key);
                    i18n_format(t, key, args, out, sizeof out);
                    i18n_format_int(t, key, 42, out, sizeof out);
                }
                k = 0;
            } else if (ch != ' ' && ch != '[' && ch != ']') {
                key[k++] = ch;
            }
        }
    }
    i18n_free(t);
    free(t);
    free(text);
    return 0;
}
