/* crypto_pki: the certificates of the system (DESIGN.md §5), through OpenSSL 3.
 *
 *   pki_init(DIR)    a CA (ca.crt, ca.key), the registry's server certificate (registry.crt,
 *                    .key; names localhost, 127.0.0.1 and ::1), and an operator certificate
 *                    (operator.crt, .key) for the admin API
 *   pki_enroll(...)  a kiosk's client certificate: CN = kiosk id, O = office code,
 *                    OU = "kiosk"; kiosk.crt, kiosk.key (0600) and a copy of ca.crt
 * Keys are EC P-256. Private keys are written 0600 and never overwritten: init refuses a
 * directory that already holds a CA. Errors are returned with a message in err. */
#ifndef COMMON_CRYPTO_PKI_H
#define COMMON_CRYPTO_PKI_H

#include <stddef.h>

int pki_init(const char *dir, char *err, size_t errsize);
/* days: validity of the kiosk certificate (negative: already expired, for tests). */
int pki_enroll(const char *dir, const char *kiosk_id, const char *office, const char *out_dir,
               int days, char *err, size_t errsize);
/* Checks that cert_file chains to ca_file and is valid now; fills the subject's CN and O. */
int pki_verify(const char *ca_file, const char *cert_file, char *cn, size_t cnsize, char *org,
               size_t orgsize, char *err, size_t errsize);

#endif
