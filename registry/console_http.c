/* console_http: see console_http.h. */
#include "console_http.h"

#include <sys/queue.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* UTF-8 with no control character but a tab or a line break. */
static bool text_ok(const char *s) {
    size_t n = strlen(s);
    if (!utf8_valid(s, n))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
            return false;
    return true;
}

int console_form_parse(const char *body, size_t len, struct console_form *f) {
    memset(f, 0, sizeof *f);
    if (len > CONSOLE_FORM_MAX || memchr(body, 0, len))
        return -1;
    char *text = malloc(len + 1);
    if (!text)
        return -1;
    memcpy(text, body, len);
    text[len] = 0;
    struct evkeyvalq q;
    TAILQ_INIT(&q);
    int rc = len && evhttp_parse_query_str(text, &q) != 0 ? -1 : 0;
    explicit_bzero(text, len);
    free(text);
    const struct evkeyval *kv;
    TAILQ_FOREACH(kv, &q, next) {
        if (rc != 0)
            break;
        if (f->n == CONSOLE_FORM_FIELDS || strlen(kv->value) > CONSOLE_FIELD_MAX ||
            strlen(kv->key) > 64 || !text_ok(kv->key) || !text_ok(kv->value)) {
            rc = -1;
            break;
        }
        f->name[f->n] = strdup(kv->key);
        f->value[f->n] = strdup(kv->value);
        if (!f->name[f->n] || !f->value[f->n]) {
            f->n++;
            rc = -1;
            break;
        }
        f->n++;
    }
    /* libevent's list holds the decoded values too: wiped before it frees them */
    TAILQ_FOREACH(kv, &q, next)
    explicit_bzero(kv->value, strlen(kv->value));
    evhttp_clear_headers(&q);
    if (rc != 0)
        console_form_free(f);
    return rc;
}

const char *console_form_get(const struct console_form *f, const char *name) {
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->name[i], name))
            return f->value[i];
    return NULL;
}

void console_form_free(struct console_form *f) {
    for (int i = 0; i < f->n; i++) {
        free(f->name[i]);
        if (f->value[i])
            explicit_bzero(f->value[i], strlen(f->value[i]));
        free(f->value[i]);
    }
    memset(f, 0, sizeof *f);
}

int console_cookie(const char *header, const char *name, char *out, size_t cap) {
    size_t nlen = strlen(name);
    if (!header || strlen(header) > CONSOLE_COOKIE_MAX || !nlen || !cap)
        return -1;
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nlen && !strncmp(p, name, nlen) && p[nlen] == '=') {
            size_t vlen = len - nlen - 1;
            while (vlen && (p[nlen + 1 + vlen - 1] == ' ' || p[nlen + 1 + vlen - 1] == '\t'))
                vlen--;
            if (!vlen || vlen >= cap)
                return -1;
            memcpy(out, p + nlen + 1, vlen);
            out[vlen] = 0;
            return 0;
        }
        p += len;
    }
    return -1;
}

size_t console_html_escape(const char *s, size_t len, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        const char *e = s[i] == '&'    ? "&amp;"
                        : s[i] == '<'  ? "&lt;"
                        : s[i] == '>'  ? "&gt;"
                        : s[i] == '"'  ? "&quot;"
                        : s[i] == '\'' ? "&#39;"
                                       : NULL;
        if (e) {
            size_t m = strlen(e);
            memcpy(out + o, e, m);
            o += m;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = 0;
    return o;
}
