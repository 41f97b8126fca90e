/* manifest: see manifest.h. */
#include "manifest.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "file.h"

const char *manifest_strerror(enum manifest_err e) {
    switch (e) {
    case MANIFEST_OK:
        return "ok";
    case MANIFEST_MALFORMED:
        return "malformed manifest";
    case MANIFEST_BAD_SIGNATURE:
        return "a signature does not hold";
    case MANIFEST_UNKNOWN_KEY:
        return "signed by a key this kiosk does not trust";
    case MANIFEST_BELOW_THRESHOLD:
        return "too few trusted signatures";
    case MANIFEST_OLD_SERIAL:
        return "serial not above the installed one";
    case MANIFEST_EXPIRED:
        return "the manifest has expired";
    case MANIFEST_WRONG_HARDWARE:
        return "for another hardware class";
    case MANIFEST_WRONG_TYPE:
        return "not the expected kind of bundle";
    }
    return "?";
}

void manifest_key_id(const uint8_t pub[32], char id[9]) {
    uint8_t md[32];
    crypto_sha256(pub, 32, md);
    crypto_hex(md, 4, id);
}

int trust_load(struct trust *t, const char *dir, int threshold) {
    memset(t, 0, sizeof *t);
    t->threshold = threshold < 1 ? 1 : threshold;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) && t->n < TRUST_KEYS_MAX) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".pub") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *text = file_read(path, 256, NULL);
        if (!text)
            continue;
        text[strcspn(text, "\r\n")] = 0;
        if (crypto_b64url_decode(text, t->keys[t->n], 32) == 32)
            t->n++;
        free(text);
    }
    closedir(d);
    return 0;
}

/* A copy of o with the keys of every object sorted (and "signatures" left out at the top). */
static cJSON *sorted_copy(const cJSON *o, bool top) {
    if (cJSON_IsArray(o)) {
        cJSON *a = cJSON_CreateArray();
        const cJSON *e;
        cJSON_ArrayForEach(e, o) cJSON_AddItemToArray(a, sorted_copy(e, false));
        return a;
    }
    if (!cJSON_IsObject(o))
        return cJSON_Duplicate(o, true);
    int n = cJSON_GetArraySize(o);
    const cJSON **items = calloc((size_t)(n ? n : 1), sizeof *items);
    int k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, o) {
        if (!(top && !strcmp(e->string, "signatures")))
            items[k++] = e;
    }
    for (int i = 1; i < k; i++) /* insertion sort by key: manifests are small */
        for (int j = i; j > 0 && strcmp(items[j - 1]->string, items[j]->string) > 0; j--) {
            const cJSON *tmp = items[j];
            items[j] = items[j - 1];
            items[j - 1] = tmp;
        }
    cJSON *out = cJSON_CreateObject();
    for (int i = 0; i < k; i++)
        cJSON_AddItemToObject(out, items[i]->string, sorted_copy(items[i], false));
    free(items);
    return out;
}

char *manifest_canonical(const char *json) {
    cJSON *o = cJSON_Parse(json);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return NULL;
    }
    cJSON *c = sorted_copy(o, true);
    char *text = cJSON_PrintUnformatted(c);
    cJSON_Delete(c);
    cJSON_Delete(o);
    return text;
}

char *manifest_sign(const char *json, const uint8_t seed[32]) {
    char *canon = manifest_canonical(json);
    uint8_t pub[32], sig[64];
    if (!canon || crypto_ed25519_public(seed, pub) != 0 ||
        crypto_ed25519_sign(seed, canon, strlen(canon), sig) != 0) {
        free(canon);
        return NULL;
    }
    free(canon);
    cJSON *o = cJSON_Parse(json);
    cJSON *sigs = cJSON_GetObjectItem(o, "signatures");
    if (!sigs)
        sigs = cJSON_AddArrayToObject(o, "signatures");
    char id[9], b64[100];
    manifest_key_id(pub, id);
    crypto_b64url_encode(sig, sizeof sig, b64);
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "key", id);
    cJSON_AddStringToObject(s, "sig", b64);
    cJSON_AddItemToArray(sigs, s);
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

static bool copy_str(char *dst, size_t cap, const cJSON *v) {
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
        return false;
    snprintf(dst, cap, "%s", v->valuestring);
    return true;
}

/* A JSON number that is a whole number from min to 2^53 (what a double holds exactly) into
 * *out: serials, times and sizes. Anything else, huge or fractional, is malformed. */
static bool whole(const cJSON *v, double min, int64_t *out) {
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= min) || v->valuedouble > 9007199254740992.0 ||
        v->valuedouble != (double)(int64_t)v->valuedouble)
        return false;
    *out = (int64_t)v->valuedouble;
    return true;
}

static bool read_fields(const cJSON *o, struct manifest *m) {
    memset(m, 0, sizeof *m);
    const cJSON *serial = cJSON_GetObjectItem(o, "serial"),
                *exp = cJSON_GetObjectItem(o, "expires");
    if (!copy_str(m->type, sizeof m->type, cJSON_GetObjectItem(o, "type")) ||
        !copy_str(m->version, sizeof m->version, cJSON_GetObjectItem(o, "version")) ||
        !copy_str(m->channel, sizeof m->channel, cJSON_GetObjectItem(o, "channel")) ||
        !copy_str(m->hardware, sizeof m->hardware, cJSON_GetObjectItem(o, "hardware")) ||
        !whole(serial, 1, &m->serial) || !whole(exp, 0, &m->expires))
        return false;
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(o, "files")) {
        if (m->nfiles == MANIFEST_FILES_MAX)
            return false;
        struct manifest_file *mf = &m->files[m->nfiles];
        const cJSON *size = cJSON_GetObjectItem(f, "size");
        if (!copy_str(mf->path, sizeof mf->path, cJSON_GetObjectItem(f, "path")) ||
            !copy_str(mf->sha256, sizeof mf->sha256, cJSON_GetObjectItem(f, "sha256")) ||
            strlen(mf->sha256) != 64 || strspn(mf->sha256, "0123456789abcdef") != 64 ||
            !whole(size, 0, &mf->size) || !mf->path[0] || mf->path[0] == '/' ||
            mf->path[strlen(mf->path) - 1] == '/' || strstr(mf->path, ".."))
            return false; /* a path that is no file of the slot is never installed */
        m->nfiles++;
    }
    return m->nfiles > 0;
}

enum manifest_err manifest_verify(const char *json, const struct trust *t, const char *type,
                                  int64_t installed_serial, int64_t now, const char *hardware,
                                  struct manifest *out, char *why, size_t cap) {
    snprintf(why, cap, "%s", "");
    cJSON *o = cJSON_Parse(json);
    char *canon = o ? manifest_canonical(json) : NULL;
    enum manifest_err rc = MANIFEST_OK;
    if (!canon || !read_fields(o, out)) {
        rc = MANIFEST_MALFORMED;
        goto done;
    }
    /* signatures first: nothing a manifest says counts before it is proven */
    bool counted[TRUST_KEYS_MAX] = {0};
    int good = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(o, "signatures")) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(s, "key"));
        const char *sig64 = cJSON_GetStringValue(cJSON_GetObjectItem(s, "sig"));
        uint8_t sig[64];
        if (!id || !sig64 || crypto_b64url_decode(sig64, sig, sizeof sig) != 64) {
            rc = MANIFEST_MALFORMED;
            goto done;
        }
        int k = -1;
        for (int i = 0; i < t->n && k < 0; i++) {
            char kid[9];
            manifest_key_id(t->keys[i], kid);
            if (!strcmp(kid, id))
                k = i;
        }
        if (k < 0) {
            snprintf(why, cap, "key %.8s", id);
            rc = MANIFEST_UNKNOWN_KEY;
            goto done;
        }
        if (crypto_ed25519_verify(t->keys[k], canon, strlen(canon), sig) != 0) {
            snprintf(why, cap, "key %.8s", id);
            rc = MANIFEST_BAD_SIGNATURE;
            goto done;
        }
        if (!counted[k]) {
            counted[k] = true;
            good++;
        }
    }
    if (good < t->threshold) {
        snprintf(why, cap, "%d of %d", good, t->threshold);
        rc = MANIFEST_BELOW_THRESHOLD;
    } else if (strcmp(out->type, type) != 0) {
        snprintf(why, cap, "%s, not %s", out->type, type);
        rc = MANIFEST_WRONG_TYPE;
    } else if (out->serial <= installed_serial) {
        snprintf(why, cap, "serial %lld, installed %lld", (long long)out->serial,
                 (long long)installed_serial);
        rc = MANIFEST_OLD_SERIAL;
    } else if (out->expires <= now) {
        snprintf(why, cap, "expired at %lld", (long long)out->expires);
        rc = MANIFEST_EXPIRED;
    } else if (strcmp(out->hardware, hardware) != 0) {
        snprintf(why, cap, "%s, this kiosk is %s", out->hardware, hardware);
        rc = MANIFEST_WRONG_HARDWARE;
    }
done:
    free(canon);
    cJSON_Delete(o);
    return rc;
}
