/* libFuzzer target: the update manifest, the first thing of an update the kiosk parses (it
 * comes from the network, and is parsed before its signatures are checked). The first byte
 * chooses: even, the bytes are verified as they are (signatures and all); odd, they are first
 * signed with the trusted key, so that the fuzzer reaches the checks behind the signatures.
 * A manifest that verifies must be safe to install: relative paths without "..", a serial
 * above the installed one, hashes of 64 hex digits. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t seed[32] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};

static void check(const struct manifest *m) {
    if (m->serial <= 1)
        __builtin_trap();
    for (int i = 0; i < m->nfiles; i++) {
        const char *p = m->files[i].path;
        if (!p[0] || p[0] == '/' || strstr(p, "..") || strlen(m->files[i].sha256) != 64 ||
            strspn(m->files[i].sha256, "0123456789abcdef") != 64 || m->files[i].size < 0)
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 65536)
        return 0;
    static struct trust trust;
    if (!trust.n) {
        crypto_ed25519_public(seed, trust.keys[0]);
        trust.n = trust.threshold = 1;
    }
    char *json = malloc(size);
    memcpy(json, data + 1, size - 1);
    json[size - 1] = 0;
    char *canon = manifest_canonical(json);
    free(canon);
    char *text = json;
    if (data[0] & 1) {
        text = manifest_sign(json, seed);
        if (!text) {
            free(json);
            return 0;
        }
    }
    struct manifest *m = calloc(1, sizeof *m);
    char why[200];
    if (manifest_verify(text, &trust, "release", NULL, 1, 1795400000, "x86_64-kiosk-1", m, why,
                        sizeof why) == MANIFEST_OK)
        check(m);
    free(m);
    if (text != json)
        free(text);
    free(json);
    return 0;
}
