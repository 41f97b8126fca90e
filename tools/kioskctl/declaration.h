/* declaration: the clerk's pre-filled 申请结婚登记声明书 (DOMAIN.md §2), one page per party,
 * from a joint application as the registry holds it: rendered to PDF with cairo and pango
 * (Noto Sans CJK), and sent to a CUPS printer when one is named. The signature and the
 * fingerprint are left blank: they are given at the window, before the registrar. */
#ifndef TOOLS_DECLARATION_H
#define TOOLS_DECLARATION_H

#include <stddef.h>

struct form;

/* record_json: {"id","payload":{"values":{...}}}. Writes pdf_path. 0, or -1 with err set. */
int declaration_pdf(const char *record_json, const struct form *f, const char *pdf_path, char *err,
                    size_t errsize);
/* Prints the PDF on a CUPS queue. 0, or -1 with err set. */
int declaration_cups(const char *pdf_path, const char *printer, char *err, size_t errsize);

#endif
