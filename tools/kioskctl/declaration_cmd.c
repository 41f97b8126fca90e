/* declaration_cmd: kioskctl declaration print (registry/declaration.c renders it, as for the
 * clerk console), and to a CUPS printer when one is named. */
#include <cjson/cJSON.h>
#include <cups/cups.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "declaration.h"
#include "file.h"
#include "form.h"
#include "kioskctl.h"

static int declaration_cups(const char *pdf_path, const char *printer, char *err, size_t errsize) {
    int job = cupsPrintFile(printer, pdf_path, "申请结婚登记声明书", 0, NULL);
    if (job == 0) {
        snprintf(err, errsize, "CUPS: %s", cupsLastErrorString());
        return -1;
    }
    return 0;
}

/* kioskctl declaration print RECORD (--out FILE.pdf | --printer NAME) [--assets DIR]
 * --registry URL --pki DIR */
int declaration_cmd(int argc, char **argv) {
    const char *out = NULL, *printer = NULL, *assets = "assets";
    char *rest[16];
    int n = 0;
    for (int i = 0; i < argc && n < 16; i++) {
        if (i >= 4 && i + 1 < argc && !strcmp(argv[i], "--printer"))
            printer = argv[++i];
        else if (i >= 4 && i + 1 < argc && !strcmp(argv[i], "--assets"))
            assets = argv[++i];
        else
            rest[n++] = argv[i];
    }
    struct admin_args o;
    if (n < 4 || strcmp(rest[2], "print") != 0 || admin_args(&o, n, rest, 3) != 0 || o.npos != 1 ||
        !o.pki)
        return cmd_usage();
    out = o.out;
    if (!out && !printer)
        return cmd_usage();
    char api[200], err[300];
    snprintf(api, sizeof api, "/v1/admin/records/%s", o.pos[0]);
    char *answer = NULL;
    if (admin_call(&o, api, NULL, NULL, &answer) != 0)
        return 1;
    struct form *f = declaration_form(assets, err, sizeof err);
    if (!f) {
        fprintf(stderr, "kioskctl: the form of %s cannot be read (--assets DIR): %s\n", assets,
                err);
        free(answer);
        return 1;
    }
    char tmp[] = "/tmp/declaration-XXXXXX.pdf";
    const char *pdf = out;
    if (!pdf) {
        int fd = mkstemps(tmp, 4);
        if (fd >= 0)
            close(fd);
        pdf = tmp;
    }
    int rc = declaration_pdf(answer, f, pdf, err, sizeof err);
    if (rc == 0 && printer)
        rc = declaration_cups(pdf, printer, err, sizeof err);
    if (!out)
        unlink(tmp);
    if (answer)
        explicit_bzero(answer, strlen(answer)); /* it held the couple's data */
    free(answer);
    form_free(f);
    if (rc != 0) {
        fprintf(stderr, "kioskctl: %s\n", err);
        return 1;
    }
    printf("declaration of %s: %s\n", o.pos[0], printer ? printer : out);
    return 0;
}
