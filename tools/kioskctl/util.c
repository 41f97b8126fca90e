/* util: what the command groups share: the admin API's options and calls, small parsers. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "kioskctl.h"
#include "net.h"

int admin_args(struct admin_args *o, int argc, char **argv, int first) {
    memset(o, 0, sizeof *o);
    for (int i = first; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--registry")  ? &o->registry
                            : !strcmp(argv[i], "--pki")     ? &o->pki
                            : !strcmp(argv[i], "--kiosk")   ? &o->kiosk
                            : !strcmp(argv[i], "--office")  ? &o->office
                            : !strcmp(argv[i], "--limit")   ? &o->limit
                            : !strcmp(argv[i], "--hours")   ? &o->hours
                            : !strcmp(argv[i], "--token")   ? &o->token
                            : !strcmp(argv[i], "--ca")      ? &o->ca
                            : !strcmp(argv[i], "--out")     ? &o->out
                            : !strcmp(argv[i], "--rollout") ? &o->rollout
                            : !strcmp(argv[i], "--channel") ? &o->channel
                            : !strcmp(argv[i], "--every")   ? &o->every
                            : !strcmp(argv[i], "--name")    ? &o->name
                            : !strcmp(argv[i], "--room")    ? &o->room
                            : !strcmp(argv[i], "--reason")  ? &o->reason
                                                            : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (!strcmp(argv[i], "--json"))
            o->json = true;
        else if (slot)
            return cmd_bad(argv[i], "needs a value");
        else if (!strncmp(argv[i], "--", 2))
            return cmd_bad(argv[i], "is not an option of this command");
        else if (o->npos == 4)
            return cmd_bad(argv[i], "one argument too many");
        else
            o->pos[o->npos++] = argv[i];
    }
    if (!o->registry)
        return cmd_bad("--registry", "is needed (the registry's https://HOST:PORT)");
    if (!o->pki && !o->token)
        return cmd_bad("--pki", "is needed (the directory with operator.crt)");
    return 0;
}

/* One call of the registry's admin API with the operator certificate of pki_dir. The answer
 * goes to *answer (malloc'd) or, when answer is NULL, to stdout. body NULL: GET. */
int admin_call(const struct admin_args *o, const char *api, const char *body,
                      const char *content_type, char **answer) {
    struct net n;
    net_init(&n, o->registry, NULL);
    net_tls_operator(&n.tls, o->pki);
    char url[1200];
    snprintf(url, sizeof url, "%s%s", o->registry, api);
    struct net_reply r;
    struct net_req q = {
        .url = url, .body = body, .content_type = content_type, .timeout_ms = 30000};
    int nrc = net_send(&n, &q, &r);
    if (nrc != NET_OK) {
        fprintf(stderr, "kioskctl: %s (%s)\n", net_strerror(nrc), r.detail);
        return 1;
    }
    int rc = r.status == 200 ? 0 : 1;
    if (rc != 0)
        fprintf(stderr, "kioskctl: the registry answered %ld: %s\n", r.status,
                r.body ? r.body : "");
    else if (answer)
        *answer = r.body ? strdup(r.body) : NULL;
    else
        printf("%s\n", r.body ? r.body : "");
    net_reply_free(&r);
    return rc;
}

/* A GET of the admin API parsed as JSON into *out (NULL when the answer is not JSON; the caller
 * deletes it). 0, or non-zero when the call failed (already said on stderr). */
int admin_get(const struct admin_args *o, const char *api, cJSON **out) {
    char *answer = NULL;
    *out = NULL;
    int rc = admin_call(o, api, NULL, NULL, &answer);
    if (rc == 0)
        *out = cJSON_Parse(answer);
    free(answer);
    return rc;
}

/* Appends "&name=value" (URL-escaped) when value is set. */
void add_param(char *q, size_t cap, const char *name, const char *value) {
    if (!value)
        return;
    size_t len = strlen(q);
    snprintf(q + len, cap - len, "%s%s=", strchr(q, '?') ? "&" : "?", name);
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        len = strlen(q);
        if (isalnum(*p) || strchr("-_.~", *p))
            snprintf(q + len, cap - len, "%c", *p);
        else
            snprintf(q + len, cap - len, "%%%02X", *p);
    }
}

/* A string of a JSON object, or "-". */
const char *str_of(const cJSON *o, const char *key) {
    char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    if (!v || !v[0])
        return "-";
    /* what a kiosk or the registry put in a string never reaches the terminal as control:
     * C0 and DEL, and C1 (U+0080..U+009F, UTF-8 C2 80..C2 9F: CSI and its kin) become '?' —
     * in place, in the caller's parsed answer */
    for (unsigned char *p = (unsigned char *)v; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            p[0] = '?', p[1] = '?';
    }
    return v;
}

/* A whole number from min to max (min >= 0), or -1 when text is not one. */
long number_in(const char *text, long min, long max) {
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    return end != text && !*end && !errno && v >= min && v <= max ? v : -1;
}

void print_json(cJSON *o) {
    char *text = cJSON_PrintUnformatted(o);
    printf("%s\n", text ? text : "{}");
    free(text);
    cJSON_Delete(o);
}

int admin_post(const struct admin_args *o, const char *api, cJSON *body) {
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    json_wipe_delete(body);
    int rc = text ? admin_call(o, api, text, NULL, NULL) : 1;
    json_wipe_free(text);
    return rc;
}
