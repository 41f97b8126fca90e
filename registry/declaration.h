/* declaration: the clerk's pre-filled 申请结婚登记声明书 (DOMAIN.md §2), one page per party,
 * from a joint application as the registry holds it, rendered to PDF with cairo and pango
 * (Noto Sans CJK): the one renderer of the clerk console (registry/console.c) and of
 * `kioskctl declaration print`. The signature and the fingerprint are left blank: they are
 * given at the window, before the registrar. */
#ifndef REGISTRY_DECLARATION_H
#define REGISTRY_DECLARATION_H

#include <stddef.h>

struct form;

/* The joint application's form and code tables of an assets directory (forms/joint.json,
 * codes/codes.json), or NULL with err set. */
struct form *declaration_form(const char *assets, char *err, size_t errsize);
/* record_json: {"id","payload":{"values":{...}}}. Writes pdf_path. 0, or -1 with err set. */
int declaration_pdf(const char *record_json, const struct form *f, const char *pdf_path, char *err,
                    size_t errsize);
/* The same into memory: the PDF (malloc'd, *len bytes), or NULL with err set. */
unsigned char *declaration_pdf_mem(const char *record_json, const struct form *f, size_t *len,
                                   char *err, size_t errsize);

#endif
