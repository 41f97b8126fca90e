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
    case MANIFEST_WRONG_CHANNEL:
        return "for another channel";
    case MANIFEST_OLD_ROOT:
        return "the root of trust is not newer than the current one";
    }
    return "?";
}

void manifest_key_id(const uint8_t pub[32], char id[9]) {
    uint8_t md[32];
    crypto_sha256(pub, 32, md);
    crypto_hex(md, 4, id);
}

static int count_signatures(const cJSON *o, const char *canon, const struct trust *t, int *bad,
                            int *unknown);
static cJSON *sorted_copy(const cJSON *o, bool top);

/* The keys, threshold, version and expiry a root states (not yet its signatures). */
static bool root_fields(const cJSON *o, struct trust *t) {
    memset(t, 0, sizeof *t);
    const cJSON *v = cJSON_GetObjectItem(o, "version"), *th = cJSON_GetObjectItem(o, "threshold"),
                *ex = cJSON_GetObjectItem(o, "expires");
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(o, "type"));
    if (!type || strcmp(type, "root") != 0 || !cJSON_IsNumber(v) || !cJSON_IsNumber(th) ||
        !cJSON_IsNumber(ex) || v->valuedouble < 1 || v->valuedouble > 1e15 ||
        th->valuedouble < 1 || th->valuedouble > TRUST_KEYS_MAX || ex->valuedouble < 0 ||
        ex->valuedouble > 1e15)
        return false;
    t->version = (int64_t)v->valuedouble;
    t->threshold = (int)th->valuedouble;
    t->expires = (int64_t)ex->valuedouble;
    const cJSON *k, *r;
    cJSON_ArrayForEach(k, cJSON_GetObjectItem(o, "keys")) {
        uint8_t pub[32];
        const char *b64 = cJSON_GetStringValue(k);
        bool revoked = false;
        if (!b64 || crypto_b64url_decode(b64, pub, 32) != 32 || t->n == TRUST_KEYS_MAX)
            return false;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(o, "revoked"))
            revoked = revoked || (cJSON_GetStringValue(r) && !strcmp(cJSON_GetStringValue(r), b64));
        if (!revoked)
            memcpy(t->keys[t->n++], pub, 32);
    }
    return t->n >= t->threshold;
}

enum manifest_err trust_root_verify(const char *json, const struct trust *cur, int64_t now,
                                    struct trust *next, char *why, size_t cap) {
    snprintf(why, cap, "%s", "");
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    char *canon = o ? manifest_canonical(json) : NULL;
    enum manifest_err rc = MANIFEST_OK;
    int bad = 0, unknown = 0;
    if (!canon || !root_fields(o, next)) {
        rc = MANIFEST_MALFORMED;
    } else if (cur && next->version <= cur->version) {
        snprintf(why, cap, "version %lld, current %lld", (long long)next->version,
                 (long long)cur->version);
        rc = MANIFEST_OLD_ROOT;
    } else if (next->expires <= now) {
        snprintf(why, cap, "root version %lld expired at %lld", (long long)next->version,
                 (long long)next->expires);
        rc = MANIFEST_EXPIRED;
    } else if (count_signatures(o, canon, next, &bad, &unknown) < next->threshold) {
        snprintf(why, cap, "root version %lld: fewer than its own %d signatures",
                 (long long)next->version, next->threshold);
        rc = MANIFEST_BELOW_THRESHOLD;
    } else if (cur && count_signatures(o, canon, cur, &bad, &unknown) < cur->threshold) {
        snprintf(why, cap, "root version %lld: fewer than %d signatures of the current keys",
                 (long long)next->version, cur->threshold);
        rc = MANIFEST_BELOW_THRESHOLD;
    }
    free(canon);
    cJSON_Delete(o);
    return rc;
}

int trust_load(struct trust *t, const char *dir, int threshold) {
    memset(t, 0, sizeof *t);
    char root[1024];
    snprintf(root, sizeof root, "%s/root.json", dir);
    char *rj = file_read(root, 64 << 10, NULL);
    if (rj) {
        char why[200];
        /* the installed root: its own signatures must hold (it is the start of the chain) */
        enum manifest_err e = trust_root_verify(rj, NULL, 0, t, why, sizeof why);
        free(rj);
        return e == MANIFEST_OK ? 0 : -1;
    }
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

/* How many distinct trusted keys of t signed canon validly; bad counts trusted signatures
 * that do not hold, unknown those by keys t does not hold (neither rejects by itself). -1
 * when a signature entry is malformed. */
static int count_signatures(const cJSON *o, const char *canon, const struct trust *t, int *bad,
                            int *unknown) {
    bool counted[TRUST_KEYS_MAX] = {0};
    int good = 0;
    *bad = *unknown = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(o, "signatures")) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(s, "key"));
        const char *sig64 = cJSON_GetStringValue(cJSON_GetObjectItem(s, "sig"));
        uint8_t sig[64];
        if (!id || !sig64 || crypto_b64url_decode(sig64, sig, sizeof sig) != 64)
            return -1;
        bool known = false, held = false;
        for (int i = 0; i < t->n; i++) {
            char kid[9];
            manifest_key_id(t->keys[i], kid);
            if (strcmp(kid, id) != 0)
                continue;
            known = true;
            if (crypto_ed25519_verify(t->keys[i], canon, strlen(canon), sig) == 0) {
                held = true;
                if (!counted[i]) {
                    counted[i] = true;
                    good++;
                }
                break;
            }
        }
        if (!known)
            (*unknown)++;
        else if (!held)
            (*bad)++;
    }
    return good;
}

enum manifest_err manifest_verify(const char *json, const struct trust *t, const char *type,
                                  const char *channel, int64_t installed_serial, int64_t now,
                                  const char *hardware, struct manifest *out, char *why,
                                  size_t cap) {
    snprintf(why, cap, "%s", "");
    cJSON *o = cJSON_Parse(json);
    char *canon = o ? manifest_canonical(json) : NULL;
    enum manifest_err rc = MANIFEST_OK;
    if (!canon || !read_fields(o, out)) {
        rc = MANIFEST_MALFORMED;
        goto done;
    }
    /* signatures first: nothing a manifest says counts before it is proven */
    int bad = 0, unknown = 0;
    int good = count_signatures(o, canon, t, &bad, &unknown);
    if (good < 0) {
        rc = MANIFEST_MALFORMED;
        goto done;
    }
    if (good < t->threshold) {
        snprintf(why, cap, "%d of %d trusted signatures hold (%d did not, %d by unknown keys)",
                 good, t->threshold, bad, unknown);
        rc = bad ? MANIFEST_BAD_SIGNATURE : unknown ? MANIFEST_UNKNOWN_KEY
                                                    : MANIFEST_BELOW_THRESHOLD;
    } else if (channel && strcmp(out->channel, channel) != 0) {
        snprintf(why, cap, "%s, this kiosk follows %s", out->channel, channel);
        rc = MANIFEST_WRONG_CHANNEL;
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
