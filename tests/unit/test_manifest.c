/* Unit tests of update/manifest: the conformance cases of DESIGN.md §7, each on its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "manifest.h"

static const uint8_t k1[32] = {1}, k2[32] = {2}, k3[32] = {3}; /* seeds */
static struct trust trust;

#define NOW 1795430000
#define BASE                                                                                       \
    "{\"version\":\"0.2.0\",\"type\":\"release\",\"serial\":12,\"channel\":\"370602\","            \
    "\"hardware\":\"x86_64-kiosk-1\",\"expires\":1800000000,\"files\":[{\"size\":3,\"path\":"      \
    "\"bin/kiosk\",\"sha256\":"                                                                    \
    "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}]}"

static int setup(void **state) {
    (void)state;
    memset(&trust, 0, sizeof trust);
    crypto_ed25519_public(k1, trust.keys[0]);
    crypto_ed25519_public(k2, trust.keys[1]);
    trust.n = 2;
    trust.threshold = 2;
    return 0;
}

static char *signed2(const char *json) {
    char *a = manifest_sign(json, k1);
    char *b = manifest_sign(a, k2);
    free(a);
    return b;
}

static enum manifest_err check(const char *json, int64_t installed, const char *hw) {
    struct manifest m;
    char why[200];
    return manifest_verify(json, &trust, "release", NULL, installed, NOW, hw, &m, why, sizeof why);
}

static void canonical_form_is_sorted_and_without_signatures(void **state) {
    (void)state;
    char *c = manifest_canonical(BASE);
    assert_non_null(c);
    assert_memory_equal(c, "{\"channel\":\"370602\",\"expires\":1800000000,\"files\":[{\"path\"",
                        56);
    assert_null(strstr(c, " "));
    char *s = signed2(BASE), *c2 = manifest_canonical(s);
    assert_string_equal(c, c2); /* signing does not change what is signed */
    free(c);
    free(c2);
    free(s);
}

static void good_manifest_passes(void **state) {
    (void)state;
    char *s = signed2(BASE);
    struct manifest m;
    char why[200];
    assert_int_equal(
        manifest_verify(s, &trust, "release", "370602", 11, NOW, "x86_64-kiosk-1", &m, why, sizeof why),
        MANIFEST_OK);
    assert_int_equal(m.serial, 12);
    assert_int_equal(m.nfiles, 1);
    assert_string_equal(m.files[0].path, "bin/kiosk");
    free(s);
}

static void bad_signature(void **state) {
    (void)state;
    char *s = signed2(BASE);
    char *p = strstr(s, "\"0.2.0\"");
    p[3] = '9'; /* 0.9.0: the signed text changed */
    assert_int_equal(check(s, 11, "x86_64-kiosk-1"), MANIFEST_BAD_SIGNATURE);
    free(s);
}

static void unknown_key(void **state) {
    (void)state;
    char *a = manifest_sign(BASE, k1), *b = manifest_sign(a, k3);
    assert_int_equal(check(b, 11, "x86_64-kiosk-1"), MANIFEST_UNKNOWN_KEY);
    free(a);
    free(b);
}

/* TUF: a signature by a key the kiosk does not know is not counted, and does not reject a
 * manifest whose trusted signatures meet the threshold (one once did). */
static void extra_unknown_signature_ignored(void **state) {
    (void)state;
    char *a = signed2(BASE), *b = manifest_sign(a, k3);
    assert_int_equal(check(b, 11, "x86_64-kiosk-1"), MANIFEST_OK);
    free(a);
    free(b);
}

/* A manifest for another channel (a beta-testing one on channel 370602 was installed). */
static void wrong_channel(void **state) {
    (void)state;
    char *s = signed2(BASE);
    struct manifest m;
    char why[200];
    assert_int_equal(manifest_verify(s, &trust, "release", "beta-testing", 11, NOW,
                                     "x86_64-kiosk-1", &m, why, sizeof why),
                     MANIFEST_WRONG_CHANNEL);
    assert_string_equal(why, "370602, this kiosk follows beta-testing");
    free(s);
}

/* A root of version v with these key seeds and threshold, signed by the seeds in signers. */
static char *root(int v, const uint8_t *const *keys, int nkeys, int threshold,
                  const uint8_t *const *signers, int nsigners, const char *revoked) {
    char text[2048];
    int n = snprintf(text, sizeof text, "{\"type\":\"root\",\"version\":%d,\"threshold\":%d,"
                     "\"expires\":1900000000,\"keys\":[", v, threshold);
    for (int i = 0; i < nkeys; i++) {
        uint8_t pub[32];
        char b64[48];
        crypto_ed25519_public(keys[i], pub);
        crypto_b64url_encode(pub, 32, b64);
        n += snprintf(text + n, sizeof text - (size_t)n, "%s\"%s\"", i ? "," : "", b64);
    }
    snprintf(text + n, sizeof text - (size_t)n, "],\"revoked\":[%s]}", revoked ? revoked : "");
    char *cur = strdup(text);
    for (int i = 0; i < nsigners; i++) {
        char *next = manifest_sign(cur, signers[i]);
        free(cur);
        cur = next;
    }
    return cur;
}

/* The root rotates: version 2 (keys k2, k3, threshold 2) signed by the current threshold of
 * the current keys (k1, k2) and its own; k1 is then no longer trusted. A root not signed by
 * the current keys, an older one, and one below its own threshold are refused. */
static void root_rotates_and_revokes(void **state) {
    (void)state;
    const uint8_t *v1keys[] = {k1, k2}, *v2keys[] = {k2, k3};
    char why[200];
    struct trust cur, next;
    char *r1 = root(1, v1keys, 2, 2, v1keys, 2, NULL);
    assert_int_equal(trust_root_verify(r1, NULL, NOW, &cur, why, sizeof why), MANIFEST_OK);
    assert_int_equal(cur.version, 1);
    assert_int_equal(cur.n, 2);
    const uint8_t *all3[] = {k1, k2, k3};
    char *r2 = root(2, v2keys, 2, 2, all3, 3, NULL);
    assert_int_equal(trust_root_verify(r2, &cur, NOW, &next, why, sizeof why), MANIFEST_OK);
    /* a manifest signed by k1 and k2 no longer holds: k1 rotated out */
    char *s = signed2(BASE);
    struct manifest m;
    assert_int_equal(manifest_verify(s, &next, "release", NULL, 11, NOW, "x86_64-kiosk-1", &m,
                                     why, sizeof why),
                     MANIFEST_UNKNOWN_KEY);
    char *s3 = manifest_sign(BASE, k2), *s23 = manifest_sign(s3, k3);
    assert_int_equal(manifest_verify(s23, &next, "release", NULL, 11, NOW, "x86_64-kiosk-1", &m,
                                     why, sizeof why),
                     MANIFEST_OK);
    /* a root the current keys did not sign (only the new ones): refused */
    char *forged = root(2, v2keys, 2, 2, v2keys, 2, NULL);
    assert_int_equal(trust_root_verify(forged, &cur, NOW, &next, why, sizeof why),
                     MANIFEST_BELOW_THRESHOLD);
    assert_non_null(strstr(why, "signatures of the current keys"));
    /* not newer: refused */
    assert_int_equal(trust_root_verify(r1, &cur, NOW, &next, why, sizeof why), MANIFEST_OLD_ROOT);
    /* revocation: version 2 keeps k1, k2, k3 listed but revokes k1 */
    uint8_t p1[32];
    char b64[48], rev[64];
    crypto_ed25519_public(k1, p1);
    crypto_b64url_encode(p1, 32, b64);
    snprintf(rev, sizeof rev, "\"%s\"", b64);
    char *r2r = root(2, all3, 3, 2, all3, 3, rev);
    assert_int_equal(trust_root_verify(r2r, &cur, NOW, &next, why, sizeof why), MANIFEST_OK);
    assert_int_equal(next.n, 2); /* k1 revoked */
    assert_int_equal(manifest_verify(s, &next, "release", NULL, 11, NOW, "x86_64-kiosk-1", &m,
                                     why, sizeof why),
                     MANIFEST_UNKNOWN_KEY);
    free(r1), free(r2), free(s), free(s3), free(s23), free(forged), free(r2r);
}

static void below_threshold(void **state) {
    (void)state;
    char *a = manifest_sign(BASE, k1);
    assert_int_equal(check(a, 11, "x86_64-kiosk-1"), MANIFEST_BELOW_THRESHOLD);
    char *b = manifest_sign(a, k1); /* the same key twice counts once */
    assert_int_equal(check(b, 11, "x86_64-kiosk-1"), MANIFEST_BELOW_THRESHOLD);
    assert_int_equal(check(BASE, 11, "x86_64-kiosk-1"), MANIFEST_BELOW_THRESHOLD);
    free(a);
    free(b);
}

static void lower_or_equal_serial(void **state) {
    (void)state;
    char *s = signed2(BASE);
    assert_int_equal(check(s, 12, "x86_64-kiosk-1"), MANIFEST_OLD_SERIAL);
    assert_int_equal(check(s, 40, "x86_64-kiosk-1"), MANIFEST_OLD_SERIAL);
    free(s);
}

static void expired(void **state) {
    (void)state;
    char json[sizeof BASE + 8];
    snprintf(json, sizeof json, "%s", BASE);
    memcpy(strstr(json, "1800000000"), "1700000000", 10);
    char *s = signed2(json);
    assert_int_equal(check(s, 11, "x86_64-kiosk-1"), MANIFEST_EXPIRED);
    free(s);
}

static void wrong_hardware(void **state) {
    (void)state;
    char *s = signed2(BASE);
    assert_int_equal(check(s, 11, "aarch64-kiosk-1"), MANIFEST_WRONG_HARDWARE);
    free(s);
}

static void malformed_and_escaping_paths(void **state) {
    (void)state;
    assert_int_equal(check("not json", 0, "x"), MANIFEST_MALFORMED);
    assert_int_equal(check("{\"type\":\"release\"}", 0, "x"), MANIFEST_MALFORMED);
    char json[sizeof BASE + 8];
    snprintf(json, sizeof json, "%s", BASE);
    memcpy(strstr(json, "bin/kiosk"), "../kiosk", 8);
    char *s = signed2(json);
    assert_int_equal(check(s, 11, "x86_64-kiosk-1"), MANIFEST_MALFORMED);
    free(s);
    /* no file at all: an empty path, a directory (fuzz_manifest found the first) */
    static const char *const dirs[] = {"\"\"", "\"bin/\""};
    for (size_t i = 0; i < 2; i++) {
        char j2[sizeof BASE + 8];
        const char *at = strstr(BASE, "\"bin/kiosk\"");
        snprintf(j2, sizeof j2, "%.*s%s%s", (int)(at - BASE), BASE, dirs[i],
                 at + strlen("\"bin/kiosk\""));
        s = signed2(j2);
        assert_int_equal(check(s, 11, "x86_64-kiosk-1"), MANIFEST_MALFORMED);
        free(s);
    }
}

/* Numbers a double holds but an int64 does not, or fractions (fuzz_manifest found the first:
 * the conversion was undefined): malformed, signed or not. */
static void numbers_out_of_range(void **state) {
    (void)state;
    static const char *const bad[][2] = {{"\"serial\":12", "\"serial\":1e300"},
                                         {"\"serial\":12", "\"serial\":12.5"},
                                         {"\"expires\":1800000000", "\"expires\":5e22"},
                                         {"\"size\":3", "\"size\":1e48"},
                                         {"\"size\":3", "\"size\":-1"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char json[sizeof BASE + 32];
        const char *at = strstr(BASE, bad[i][0]);
        snprintf(json, sizeof json, "%.*s%s%s", (int)(at - BASE), BASE, bad[i][1],
                 at + strlen(bad[i][0]));
        char *s = signed2(json);
        assert_int_equal(check(s ? s : json, 11, "x86_64-kiosk-1"), MANIFEST_MALFORMED);
        free(s);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(numbers_out_of_range, setup),
        cmocka_unit_test_setup(canonical_form_is_sorted_and_without_signatures, setup),
        cmocka_unit_test_setup(good_manifest_passes, setup),
        cmocka_unit_test_setup(bad_signature, setup),
        cmocka_unit_test_setup(unknown_key, setup),
        cmocka_unit_test_setup(extra_unknown_signature_ignored, setup),
        cmocka_unit_test_setup(wrong_channel, setup),
        cmocka_unit_test_setup(root_rotates_and_revokes, setup),
        cmocka_unit_test_setup(below_threshold, setup),
        cmocka_unit_test_setup(lower_or_equal_serial, setup),
        cmocka_unit_test_setup(expired, setup),
        cmocka_unit_test_setup(wrong_hardware, setup),
        cmocka_unit_test_setup(malformed_and_escaping_paths, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
