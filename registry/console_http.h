/* console_http: the clerk console's handling of untrusted bytes, pure (a fuzz target:
 * tests/fuzz/fuzz_console_form.c): a form body (application/x-www-form-urlencoded, decoded by
 * libevent's evhttp_parse_query_str), a cookie out of a Cookie header, and HTML escaping of
 * what the pages show. Every limit is explicit. */
#ifndef REGISTRY_CONSOLE_HTTP_H
#define REGISTRY_CONSOLE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define CONSOLE_FORM_MAX 8192   /* bytes of a form body */
#define CONSOLE_FORM_FIELDS 16  /* fields of a form */
#define CONSOLE_FIELD_MAX 1024  /* bytes of a field's value */
#define CONSOLE_COOKIE_MAX 4096 /* bytes of a Cookie header */

struct console_form {
    int n;
    char *name[CONSOLE_FORM_FIELDS], *value[CONSOLE_FORM_FIELDS]; /* malloc'd, decoded */
};

/* Parses a form body of len bytes: 0, or -1 when it is too large, has too many fields, a
 * value too long, or a name or value that is not UTF-8 (or holds a control character other
 * than a line break or tab) once decoded. */
int console_form_parse(const char *body, size_t len, struct console_form *f);
/* A field's value, or NULL. */
const char *console_form_get(const struct console_form *f, const char *name);
/* Frees, wiping the values (a form can hold a password). */
void console_form_free(struct console_form *f);
/* The value of cookie name in a Cookie header ("a=1; b=2") into out: 0, or -1 when absent,
 * empty or longer than cap - 1. */
int console_cookie(const char *header, const char *name, char *out, size_t cap);
/* s[0..len) with & < > " ' as entities into out, which holds 6 * len + 1 bytes: the length
 * written. */
size_t console_html_escape(const char *s, size_t len, char *out);

#endif
