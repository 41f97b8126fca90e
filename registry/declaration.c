/* declaration: see declaration.h. */
#include "declaration.h"
#include "json.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <cjson/cJSON.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "form.h"

#define PAGE_W 595.0 /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 56.0
#define DECLARATION_PDF_MAX (8 << 20) /* two pages are about 60 KB with their fonts */

static double text(cairo_t *cr, const char *s, double x, double y, double width, int size,
                   bool bold) {
    PangoLayout *l = pango_cairo_create_layout(cr);
    char font[64];
    snprintf(font, sizeof font, "Noto Sans CJK SC %s %d", bold ? "Bold" : "", size);
    PangoFontDescription *d = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, d);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, s, -1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    pango_font_description_free(d);
    g_object_unref(l);
    return (double)h / PANGO_SCALE;
}

static const char *val(const cJSON *values, char p, const char *field) {
    char key[48];
    snprintf(key, sizeof key, "%c.%s", p, field);
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(values, key));
    return v ? v : "";
}

static const char *label(const struct form *f, const char *table, const char *code) {
    const char *l = form_code_label(f, table, code, "zh-CN");
    return l[0] ? l : code;
}

static void party_page(cairo_t *cr, const struct form *f, const cJSON *values, char p,
                       const char *record_id) {
    double y = MARGIN, w = PAGE_W - 2 * MARGIN;
    y += text(cr, "申请结婚登记声明书", MARGIN, y, w, 20, true) + 18;
    char line[600];
    const char *rows[][2] = {
        {"姓名", val(values, p, "name")},
        {"性别", label(f, "sex", val(values, p, "sex"))},
        {"出生日期", val(values, p, "birth")},
        {"身份证件号", val(values, p, "id_number")},
        {"国籍", "中国"},
        {"民族", label(f, "ethnicity", val(values, p, "ethnicity"))},
        {"职业", label(f, "occupation", val(values, p, "occupation"))},
        {"文化程度", label(f, "education", val(values, p, "education"))},
        {"常住户口所在地", val(values, p, "address")},
        {"婚姻状况", label(f, "marital_declared", val(values, p, "marital"))},
        {"联系电话", val(values, p, "phone")},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        snprintf(line, sizeof line, "%s：%s", rows[i][0], rows[i][1]);
        y += text(cr, line, MARGIN, y, w, 12, false) + 8;
    }
    y += 14;
    y += text(cr,
              "本人与对方均无配偶，没有直系血亲和三代以内旁系血亲关系，了解对方的身体健康状况，"
              "现依照《中华人民共和国民法典》和《婚姻登记条例》的规定，自愿结为夫妻。本人上述"
              "声明完全真实，如有虚假，愿承担法律责任。",
              MARGIN, y, w, 12, false) +
         40;
    y += text(cr, "声明人签名：____________________　　指纹：__________", MARGIN, y, w, 12, false) +
         24;
    y += text(cr, "监誓人签名：____________________　　日期：______年____月____日", MARGIN, y, w,
              12, false);
    snprintf(line, sizeof line, "自助终端预填，须在登记员面前签字、按指纹后生效。记录号 %s",
             record_id);
    text(cr, line, MARGIN, PAGE_H - MARGIN - 20, w, 8, false);
    cairo_show_page(cr);
}

struct form *declaration_form(const char *assets, char *err, size_t errsize) {
    char fp[700], cp[700];
    snprintf(fp, sizeof fp, "%s/forms/joint.json", assets);
    snprintf(cp, sizeof cp, "%s/codes/codes.json", assets);
    char *fj = file_read(fp, 1 << 20, NULL), *cj = file_read(cp, 1 << 20, NULL);
    struct form *f = fj && cj ? form_load(fj, cj, err, errsize) : NULL;
    if (!fj || !cj)
        snprintf(err, errsize, "%s or %s cannot be read", fp, cp);
    free(fj);
    free(cj);
    return f;
}

/* The PDF's bytes, gathered by cairo's stream writer. */
struct pdf_buf {
    unsigned char *data;
    size_t len, cap;
};

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int n) {
    struct pdf_buf *b = closure;
    if (b->len + n > DECLARATION_PDF_MAX)
        return CAIRO_STATUS_WRITE_ERROR;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64 << 10;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d)
            return CAIRO_STATUS_NO_MEMORY;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

/* Renders into pdf_path, or into buf when pdf_path is NULL. */
static int render(const char *record_json, const struct form *f, const char *pdf_path,
                  struct pdf_buf *buf, char *err, size_t errsize) {
    cJSON *rec = cJSON_Parse(record_json);
    const cJSON *values = cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "payload"), "values");
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "id"));
    if (!cJSON_IsObject(values) || !id || !val(values, 'a', "name")[0] ||
        !val(values, 'b', "name")[0]) {
        snprintf(err, errsize, "the record is not a joint application with both parties");
        json_wipe_delete(rec);
        return -1;
    }
    cairo_surface_t *surf =
        pdf_path ? cairo_pdf_surface_create(pdf_path, PAGE_W, PAGE_H)
                 : cairo_pdf_surface_create_for_stream(pdf_write, buf, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 0, 0, 0);
    party_page(cr, f, values, 'a', id);
    party_page(cr, f, values, 'b', id);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_status_t st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    json_wipe_delete(rec);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsize, "cannot write %s: %s", pdf_path ? pdf_path : "the PDF",
                 cairo_status_to_string(st));
        return -1;
    }
    return 0;
}

int declaration_pdf(const char *record_json, const struct form *f, const char *pdf_path, char *err,
                    size_t errsize) {
    return render(record_json, f, pdf_path, NULL, err, errsize);
}

unsigned char *declaration_pdf_mem(const char *record_json, const struct form *f, size_t *len,
                                   char *err, size_t errsize) {
    struct pdf_buf b = {0};
    if (render(record_json, f, NULL, &b, err, errsize) != 0) {
        if (b.data)
            explicit_bzero(b.data, b.len); /* the couple's names and numbers */
        free(b.data);
        return NULL;
    }
    *len = b.len;
    return b.data;
}
