/* libFuzzer target: the joint application's form and code tables (a content push brings
 * them). The input is the form JSON, a NUL, and the code tables JSON (no NUL: the shipped code
 * tables). A form that loads is walked as the screens walk it: every page, field, code and
 * service, visibility and validation with values from the input, and the record it makes. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *shipped_codes;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 1 << 18)
        return 0;
    if (!shipped_codes) {
        const char *dir = getenv("KIOSK_ASSETS");
        char path[600];
        snprintf(path, sizeof path, "%s/codes/codes.json", dir ? dir : "assets");
        shipped_codes = file_read(path, 1 << 20, NULL);
        if (!shipped_codes)
            shipped_codes = strdup("{}");
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    const char *form_json = text, *codes_json = shipped_codes;
    char *nul = memchr(text, 0, size);
    if (nul && (size_t)(nul - text) < size)
        codes_json = nul + 1;
    char err[200];
    struct form *f = form_load(form_json, codes_json, err, sizeof err);
    if (!f) {
        free(text);
        return 0;
    }
    struct form_values v;
    memset(&v, 0, sizeof v);
    for (int p = 0; p < form_page_count(f) && p < 64; p++) {
        (void)form_page_id(f, p);
        (void)form_page_service(f, p);
        (void)form_page_title(f, p, "en");
        for (int i = 0; i < form_field_count(f, p) && i < 64; i++) {
            struct form_field_info info;
            if (form_field_info(f, p, i, "zh-CN", &info) != 0)
                continue;
            if (info.max < 0)
                __builtin_trap();
            (void)form_field_visible(f, p, i, &v);
            /* the fields it can take with one touch: each names a field, with a label */
            const char *sl = NULL;
            for (int k = 0; k < 8 && form_field_same_as(f, p, i, k, "en", &sl); k++)
                if (!sl)
                    __builtin_trap();
            if (info.id && info.codes) {
                int n = form_code_count(f, info.codes);
                const char *label = NULL;
                const char *code = n > 0 ? form_code_at(f, info.codes, 0, "en", &label) : NULL;
                if (code) {
                    form_values_set(&v, info.id, code);
                    (void)form_code_label(f, info.codes, code, "zh-CN");
                }
            } else if (info.id) {
                form_values_set(&v, info.id, form_json + (size_t)i % (strlen(form_json) + 1));
            }
        }
    }
    for (int i = 0; i < form_service_count(f) && i < 16; i++) {
        const char *label = NULL;
        bool always = false;
        (void)form_service_at(f, i, "en", &label, &always);
    }
    const char *services[] = {"marriage", "birth", "household", NULL};
    struct form_error errs[8];
    int n = form_validate(f, &v, services, 20261201, errs, 8);
    if (n < 0)
        __builtin_trap();
    char *rec = form_record(f, &v, services);
    free(rec);
    /* the values as dates, as the review shows them */
    for (int i = 0; i < v.n; i++) {
        char d[64];
        form_date_text(v.val[i] ? v.val[i] : "", i % 2 ? "en" : "zh-CN", d, sizeof d);
        if (!memchr(d, 0, sizeof d))
            __builtin_trap();
    }
    form_free(f);
    free(text);
    return 0;
}
