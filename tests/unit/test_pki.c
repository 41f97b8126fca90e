/* crypto_pki: the registry certificate's names (pki_san_of, pki_init with names). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto_pki.h"

static void san_of_names(void **state) {
    (void)state;
    char san[2048], err[200];
    assert_int_equal(pki_san_of(NULL, san, sizeof san, err, sizeof err), 0);
    assert_string_equal(san, "DNS:localhost,IP:127.0.0.1,IP:::1");
    assert_int_equal(pki_san_of("registry.yt.example, 10.1.2.3 fd00::5", san, sizeof san, err,
                                sizeof err), 0);
    assert_string_equal(san, "DNS:localhost,IP:127.0.0.1,IP:::1,DNS:registry.yt.example,"
                             "IP:10.1.2.3,IP:fd00::5");
    /* not a name: refused with it named, nothing half made */
    assert_int_equal(pki_san_of("good.example, bad_name!", san, sizeof san, err, sizeof err), -1);
    assert_non_null(strstr(err, "bad_name!"));
    assert_int_equal(pki_san_of("-lead.example", san, sizeof san, err, sizeof err), -1);
    char many[600] = "";
    for (int i = 0; i <= PKI_NAMES_MAX; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "h%d.example,", i);
    assert_int_equal(pki_san_of(many, san, sizeof san, err, sizeof err), -1);
    assert_non_null(strstr(err, "at most"));
}

static void init_names_the_registry(void **state) {
    (void)state;
    char dir[] = "/tmp/test-pki-XXXXXX", err[300], path[300];
    assert_non_null(mkdtemp(dir));
    assert_int_equal(pki_init(dir, "registry.yt.example,10.9.8.7", err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/registry.crt", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    X509 *c = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(c);
    assert_int_equal(X509_check_host(c, "registry.yt.example", 0, 0, NULL), 1);
    assert_int_equal(X509_check_ip_asc(c, "10.9.8.7", 0), 1);
    assert_int_equal(X509_check_host(c, "localhost", 0, 0, NULL), 1);
    assert_int_not_equal(X509_check_host(c, "other.example", 0, 0, NULL), 1);
    X509_free(c);
    /* a second init never replaces the CA */
    assert_int_equal(pki_init(dir, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "already holds a CA"));
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(san_of_names),
        cmocka_unit_test(init_names_the_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
