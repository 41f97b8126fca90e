/* bundle: signing keys, release and content bundles: build, publish, rollout. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "num.h"
#include "file.h"
#include "kioskctl.h"
#include "manifest.h"
#include "net.h"

/* kioskctl keys new DIR NAME: an Ed25519 signing key for releases and content (NAME.key,
 * 0600: the seed; NAME.pub: what kiosks put in their trust directory). */
int keys_new(int argc, char **argv) {
    if (argc != 5 || strcmp(argv[2], "new") != 0)
        return cmd_usage();
    uint8_t seed[32], pub[32];
    char b64[64], path[1100];
    if (crypto_random(seed, sizeof seed) != 0 || crypto_ed25519_public(seed, pub) != 0)
        return 1;
    mkdir(argv[3], 0700);
    snprintf(path, sizeof path, "%s/%s.key", argv[3], argv[4]);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    crypto_b64url_encode(seed, sizeof seed, b64);
    explicit_bzero(seed, sizeof seed);
    bool ok = fd >= 0 && dprintf(fd, "%s\n", b64) > 0;
    explicit_bzero(b64, sizeof b64);
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "kioskctl: cannot create %s (it must not exist yet)\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s.pub", argv[3], argv[4]);
    FILE *f = fopen(path, "w");
    crypto_b64url_encode(pub, sizeof pub, b64);
    ok = f && fprintf(f, "%s\n", b64) > 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    char id[9];
    manifest_key_id(pub, id);
    printf("key %s: %s/%s.key (0600), %s.pub\n", id, argv[3], argv[4], argv[4]);
    return ok ? 0 : 1;
}

/* m (taken) as text signed by each key file in turn (malloc'd), or NULL (said). */
static char *signed_text(cJSON *m, const char *const *keys, int nkeys) {
    char *json = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    for (int k = 0; k < nkeys && json; k++) {
        uint8_t seed[32];
        char *next = crypto_key_file(keys[k], seed, 32) == 0 ? manifest_sign(json, seed) : NULL;
        explicit_bzero(seed, sizeof seed);
        free(json);
        json = next;
        if (!json)
            fprintf(stderr, "kioskctl: cannot sign with %s\n", keys[k]);
    }
    return json;
}

/* Adds the files under root/rel to the manifest's list and copies each to out/blobs/SHA256. */
static int add_tree(const char *root, const char *rel, const char *out, cJSON *files) {
    char dir[1100];
    snprintf(dir, sizeof dir, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[1100], path[2300];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(path, sizeof path, "%s/%s", root, sub);
        struct stat st;
        /* lstat: a link is never followed (one in a source tree once shipped the CA's key in a
         * signed release); devices, FIFOs and sockets are no files of a release either */
        if (lstat(path, &st) != 0) {
            rc = -1;
        } else if (S_ISLNK(st.st_mode) || (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))) {
            fprintf(stderr, "kioskctl: %s is %s: refused (a bundle holds regular files only)\n",
                    path, S_ISLNK(st.st_mode) ? "a symbolic link" : "a device, FIFO or socket");
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = add_tree(root, sub, out, files);
        } else if (S_ISREG(st.st_mode)) {
            size_t len = 0;
            char *data = file_read(path, 256u << 20, &len);
            uint8_t md[32];
            char hex[65], blob[1200];
            if (!data || crypto_sha256(data, len, md) != 0) {
                free(data);
                rc = -1;
                break;
            }
            crypto_hex(md, sizeof md, hex);
            snprintf(blob, sizeof blob, "%s/blobs/%s", out, hex);
            FILE *f = fopen(blob, "wb");
            bool ok = f && fwrite(data, 1, len, f) == len;
            if (f)
                ok = fclose(f) == 0 && ok;
            free(data);
            if (!ok) {
                rc = -1;
                break;
            }
            cJSON *fo = cJSON_CreateObject();
            cJSON_AddStringToObject(fo, "path", sub);
            cJSON_AddStringToObject(fo, "sha256", hex);
            cJSON_AddNumberToObject(fo, "size", (double)len);
            cJSON_AddItemToArray(files, fo);
        }
    }
    closedir(d);
    return rc;
}

/* kioskctl release|content build SRC --out DIR --version V --serial N --channel C
 *     --hardware H [--days D] --sign KEY [--sign KEY ...]
 * DIR gets manifest.json (signed) and blobs/SHA256 for every file of SRC. */
int bundle_build(int argc, char **argv) {
    const char *type = argv[1], *out = NULL, *version = NULL, *channel = NULL, *hw = NULL;
    long long serial = 0, days = 30;
    const char *keys[8];
    int nkeys = 0;
    if (argc < 4 || strcmp(argv[2], "build") != 0)
        return cmd_usage();
    for (int i = 4; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--out"))
            out = argv[i + 1];
        else if (!strcmp(argv[i], "--version"))
            version = argv[i + 1];
        else if (!strcmp(argv[i], "--serial"))
            serial = num_i64_or(argv[i + 1], 1, INT64_C(1) << 53, -1);
        else if (!strcmp(argv[i], "--channel"))
            channel = argv[i + 1];
        else if (!strcmp(argv[i], "--hardware"))
            hw = argv[i + 1];
        else if (!strcmp(argv[i], "--days"))
            days = num_i64_or(argv[i + 1], -3650, 3650, INT64_MIN);
        else if (!strcmp(argv[i], "--sign") && nkeys < 8)
            keys[nkeys++] = argv[i + 1];
        else
            return cmd_usage();
    }
    if (serial < 1)
        return cmd_bad("--serial", "takes a whole number from 1");
    if (days == INT64_MIN)
        return cmd_bad("--days", "takes a whole number of days (-3650 to 3650)");
    if (!out || !version || !channel || !hw || !nkeys || (argc - 4) % 2)
        return cmd_usage();
    char blobs[1100];
    snprintf(blobs, sizeof blobs, "%s/blobs", out);
    mkdir(out, 0755);
    mkdir(blobs, 0755);
    cJSON *m = cJSON_CreateObject(), *files = cJSON_CreateArray();
    if (add_tree(argv[3], "", out, files) != 0 || cJSON_GetArraySize(files) == 0) {
        fprintf(stderr, "kioskctl: cannot read the files of %s\n", argv[3]);
        cJSON_Delete(files);
        cJSON_Delete(m);
        return 1;
    }
    cJSON_AddStringToObject(m, "type", type);
    cJSON_AddStringToObject(m, "version", version);
    cJSON_AddNumberToObject(m, "serial", (double)serial);
    cJSON_AddStringToObject(m, "channel", channel);
    cJSON_AddStringToObject(m, "hardware", hw);
    cJSON_AddNumberToObject(m, "expires", (double)(time(NULL) + days * 86400));
    cJSON_AddItemToObject(m, "files", files);
    char *json = signed_text(m, keys, nkeys);
    if (!json)
        return 1;
    char path[1100];
    snprintf(path, sizeof path, "%s/manifest.json", out);
    FILE *f = fopen(path, "w");
    bool ok = f && fputs(json, f) >= 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    free(json);
    printf("%s %s (serial %lld) for %s/%s: %s\n", type, version, serial, channel, hw, path);
    return ok ? 0 : 1;
}

/* kioskctl root build --out DIR --version N --threshold T --key PUB... [--revoke PUB...]
 *     [--days D] --sign KEY...
 * DIR gets manifest.json: a root of trust (manifest.h) with these public keys, signed by the
 * keys given (for a rotation: the current threshold of the current keys and the new ones'
 * own); `kioskctl root publish DIR` sends it. */
int root_build(int argc, char **argv) {
    const char *out = NULL, *keys[TRUST_KEYS_MAX], *revoked[TRUST_KEYS_MAX], *signs[8];
    int nkeys = 0, nrev = 0, nsigns = 0;
    long long version = -1, threshold = -1, days = 365;
    if (argc < 3 || strcmp(argv[2], "build") != 0 || (argc - 3) % 2)
        return cmd_usage();
    for (int i = 3; i + 1 < argc; i += 2) {
        const char *o = argv[i], *v = argv[i + 1];
        if (!strcmp(o, "--out"))
            out = v;
        else if (!strcmp(o, "--version"))
            version = num_i64_or(v, 1, INT64_C(1) << 53, -1);
        else if (!strcmp(o, "--threshold"))
            threshold = num_i64_or(v, 1, TRUST_KEYS_MAX, -1);
        else if (!strcmp(o, "--days"))
            days = num_i64_or(v, 1, 3650, -1);
        else if (!strcmp(o, "--key") && nkeys < TRUST_KEYS_MAX)
            keys[nkeys++] = v;
        else if (!strcmp(o, "--revoke") && nrev < TRUST_KEYS_MAX)
            revoked[nrev++] = v;
        else if (!strcmp(o, "--sign") && nsigns < 8)
            signs[nsigns++] = v;
        else
            return cmd_bad(o, "is not an option of root build (or given too often)");
    }
    if (!out || version < 1 || threshold < 1 || days < 1 || nkeys < threshold || !nsigns)
        return cmd_bad(!out ? "--out" : version < 1 ? "--version" : "--threshold",
                       "is needed (and at least --threshold keys, one --sign)");
    cJSON *m = cJSON_CreateObject(), *ka = cJSON_CreateArray(), *ra = cJSON_CreateArray();
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < (pass ? nrev : nkeys); i++) {
            const char *file = pass ? revoked[i] : keys[i];
            char *text = file_read(file, 256, NULL);
            uint8_t pub[32];
            if (text)
                text[strcspn(text, "\r\n")] = 0;
            if (!text || crypto_b64url_decode(text, pub, 32) != 32) {
                fprintf(stderr, "kioskctl: %s is not a public key\n", file);
                free(text);
                cJSON_Delete(m), cJSON_Delete(ka), cJSON_Delete(ra);
                return 1;
            }
            cJSON_AddItemToArray(pass ? ra : ka, cJSON_CreateString(text));
            free(text);
        }
    cJSON_AddStringToObject(m, "type", "root");
    cJSON_AddNumberToObject(m, "version", (double)version);
    cJSON_AddNumberToObject(m, "threshold", (double)threshold);
    cJSON_AddNumberToObject(m, "expires", (double)(time(NULL) + days * 86400));
    cJSON_AddItemToObject(m, "keys", ka);
    cJSON_AddItemToObject(m, "revoked", ra);
    char *json = signed_text(m, signs, nsigns);
    char path[1100];
    snprintf(path, sizeof path, "%s/manifest.json", out);
    mkdir(out, 0755);
    bool ok = json && file_replace(path, json) == 0;
    free(json);
    if (ok)
        printf("root of trust version %lld (%d keys, threshold %lld, %d revoked): %s\n", version,
               nkeys, threshold, nrev, path);
    return ok ? 0 : 1;
}

/* kioskctl release|content publish DIR --registry URL --pki DIR: every blob, then the
 * manifest (which the registry takes only once all its files are there). */
int bundle_publish(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 1 || !o.pki)
        return cmd_usage();
    char manifests[80] = "/v1/admin/manifests";
    if (o.rollout) {
        long v = number_in(o.rollout, 0, 100);
        if (v < 0) {
            fprintf(stderr, "kioskctl: --rollout takes a share of the kiosks, 0 to 100\n");
            return 2;
        }
        snprintf(manifests, sizeof manifests, "/v1/admin/manifests?rollout=%ld", v);
    }
    char path[1100];
    snprintf(path, sizeof path, "%s/manifest.json", o.pos[0]);
    char *json = file_read(path, 4u << 20, NULL);
    cJSON *m = json ? cJSON_Parse(json) : NULL;
    const cJSON *f;
    int rc = m ? 0 : 1;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(m, "files")) {
        const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(f, "sha256"));
        char blob[1200], api[120];
        snprintf(blob, sizeof blob, "%s/blobs/%s", o.pos[0], sha ? sha : "-");
        size_t len = 0;
        char *data = sha ? file_read(blob, 64u << 20, &len) : NULL;
        struct net n;
        net_init(&n, o.registry, NULL);
        net_tls_operator(&n.tls, o.pki);
        snprintf(api, sizeof api, "%s/v1/admin/blobs/%s", o.registry, sha ? sha : "-");
        struct net_reply r = {0};
        struct net_req q = {.url = api,
                             .body = data ? data : "",
                             .body_len = len,
                             .method = "PUT",
                             .content_type = "application/octet-stream",
                             .timeout_ms = 120000};
        int nrc = data && len ? net_send(&n, &q, &r) : NET_OK;
        if (!data || !len || nrc != NET_OK || r.status != 200) {
            fprintf(stderr, "kioskctl: blob %s not uploaded: %s\n", sha ? sha : "?",
                    !data || !len ? "cannot read it"
                    : r.status    ? (r.body ? r.body : "")
                                  : net_strerror(nrc));
            rc = 1;
        }
        net_reply_free(&r);
        free(data);
        if (rc)
            break;
    }
    if (rc == 0)
        rc = admin_call(&o, manifests, json, NULL, NULL);
    cJSON_Delete(m);
    free(json);
    return rc;
}

/* kioskctl release|content rollout SERIAL PERCENT --channel C --registry URL --pki DIR */
int bundle_rollout(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0)
        return 2;
    if (o.npos != 2 || !o.channel || !o.pki)
        return cmd_bad(!o.channel ? "--channel" : "SERIAL PERCENT", "is needed");
    long serial = number_in(o.pos[0], 1, LONG_MAX), pc = number_in(o.pos[1], 0, 100);
    if (serial < 0)
        return cmd_bad(o.pos[0], "is not a serial (a whole number from 1)");
    if (pc < 0)
        return cmd_bad(o.pos[1], "is not a share of the kiosks (0-100)");
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "type", argv[1]);
    cJSON_AddStringToObject(b, "channel", o.channel);
    cJSON_AddNumberToObject(b, "serial", (double)serial);
    cJSON_AddNumberToObject(b, "percent", (double)pc);
    char *body = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    int rc = admin_call(&o, "/v1/admin/rollout", body, NULL, NULL);
    free(body);
    return rc;
}
