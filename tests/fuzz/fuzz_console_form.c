/* libFuzzer target: what a browser sends the clerk console (registry/console_http.c). The
 * input's first line is a Cookie header, the rest a form body. A form parses within its limits
 * (fields, value sizes, UTF-8 without control characters) or is refused whole; a cookie's value
 * is found within its header and its cap; escaped HTML holds no < > " ' & but in entities. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "console_http.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    const char *nl = memchr(text, '\n', size);
    size_t hlen = nl ? (size_t)(nl - text) : size;
    const char *body = nl ? nl + 1 : text + size;
    size_t blen = size - (size_t)(body - text);
    char *header = malloc(hlen + 1);
    if (!header)
        return 0;
    memcpy(header, text, hlen);
    header[hlen] = 0;
    char value[65];
    if (console_cookie(header, "console_session", value, sizeof value) == 0 &&
        (!value[0] || strlen(value) >= sizeof value || !strstr(header, value)))
        __builtin_trap();
    struct console_form f;
    if (console_form_parse(body, blen, &f) == 0) {
        if (f.n > CONSOLE_FORM_FIELDS || blen > CONSOLE_FORM_MAX)
            __builtin_trap();
        for (int i = 0; i < f.n; i++) {
            size_t n = strlen(f.value[i]);
            if (n > CONSOLE_FIELD_MAX || !utf8_valid(f.value[i], n) ||
                console_form_get(&f, f.name[i]) == NULL)
                __builtin_trap();
            char *esc = malloc(6 * n + 1);
            if (!esc)
                break;
            size_t m = console_html_escape(f.value[i], n, esc);
            if (m != strlen(esc) || strpbrk(esc, "<>\"'"))
                __builtin_trap();
            free(esc);
        }
        console_form_free(&f);
    } else if (f.n != 0) {
        __builtin_trap(); /* refused whole */
    }
    free(header);
    return 0;
}
