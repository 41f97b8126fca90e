/* crypto_pki: the certificates of the system (DESIGN.md §5), through OpenSSL 3.
 *
 *   pki_init(DIR, NAMES)  a CA (ca.crt, ca.key), the registry's server certificate
 *                    (registry.crt, .key; names localhost, 127.0.0.1, ::1 and NAMES, the
 *                    hostnames and addresses kiosks reach it by), and an operator
 *                    certificate (operator.crt, .key) for the admin API
 *   pki_enroll(...)  a kiosk's client certificate: CN = kiosk id, O = office code,
 *                    OU = "kiosk"; kiosk.crt, kiosk.key (0600) and a copy of ca.crt
 *   enrollment by token (POST /v1/enroll): the kiosk makes its key and a CSR
 *   (pki_csr_new), the registry signs it with the subject of the token (pki_sign_csr), the
 *   kiosk checks and installs the answer (pki_install): the private key never leaves it
 * Keys are EC P-256. Private keys are written 0600 and never overwritten: init refuses a
 * directory that already holds a CA. Errors are returned with a message in err. */
#ifndef COMMON_CRYPTO_PKI_H
#define COMMON_CRYPTO_PKI_H

#include <stdbool.h>
#include <stddef.h>

/* names: NULL, or the registry's other hostnames and addresses, separated by commas or
 * spaces (registry.example.cn, 10.1.2.3, fd00::5): each becomes a subjectAltName. */
#define PKI_NAMES_MAX 16
int pki_init(const char *dir, const char *names, char *err, size_t errsize);
/* The subjectAltName value of names (see pki_init), or -1 with the bad name in err. */
int pki_san_of(const char *names, char *san, size_t cap, char *err, size_t errsize);
/* days: validity of the kiosk certificate (negative: already expired, for tests). */
int pki_enroll(const char *dir, const char *kiosk_id, const char *office, const char *out_dir,
               int days, char *err, size_t errsize);
/* An operator's own client certificate (OU operator, CN name): of one office (O its code; the
 * registry keeps it to that office) or, office NULL, of the province (O province), into
 * out_dir/operator.crt and operator.key (0600) with ca.crt. */
int pki_operator(const char *dir, const char *name, const char *office, const char *out_dir,
                 int days, char *err, size_t errsize);
/* A clerk workstation's certificate (OU workstation, CN name, O its office's code) for the
 * console with [registry] console_client_certs: out_dir/workstation.crt, .key (0600) and
 * workstation.p12 (0600; for the browser, password $KIOSK_P12_PASSWORD or none), ca.crt. */
int pki_workstation(const char *dir, const char *name, const char *office, const char *out_dir,
                    int days, char *err, size_t errsize);
/* Many kiosk certificates made in memory with the CA of a directory (bench/fleet: thousands
 * of simulated kiosks, each with its own): cert and key as PEM texts (malloc'd). */
struct pki_issuer;
struct pki_issuer *pki_issuer_open(const char *dir, char *err, size_t errsize);
int pki_issuer_kiosk(struct pki_issuer *is, const char *kiosk_id, const char *office, int days,
                     char **cert_pem, char **key_pem);
void pki_issuer_free(struct pki_issuer *is);
/* Makes out_dir/kiosk.key (0600) and returns a CSR for it (PEM, malloc'd), or NULL. */
char *pki_csr_new(const char *out_dir, char *err, size_t errsize);
/* 0 when csr_pem is a CSR whose own signature holds. */
int pki_csr_check(const char *csr_pem);
/* Signs a CSR with the CA of dir once its own signature holds; the subject is the kiosk's
 * (CN = kiosk_id, O = office, OU = kiosk) whatever the CSR asked for. Returns the certificate
 * (PEM, malloc'd), or NULL. */
char *pki_sign_csr(const char *dir, const char *csr_pem, const char *kiosk_id, const char *office,
                   int days, char *err, size_t errsize);
/* Checks that cert_pem is for out_dir/kiosk.key and chains to ca_pem, then writes kiosk.crt,
 * ca.crt and registry.pin (the pin as given). */
int pki_install(const char *out_dir, const char *cert_pem, const char *ca_pem, const char *pin,
                char *err, size_t errsize);
/* The same with the key written as out_dir/key_name (a renewal's kiosk.key.new). */
char *pki_csr_new_key(const char *out_dir, const char *key_name, char *err, size_t errsize);
/* A CSR signed as a client certificate of role (OU: kiosk, operator) named cn of org (offline
 * CA: kioskctl pki sign on the CA's machine). */
char *pki_sign_csr_as(const char *dir, const char *csr_pem, const char *role, const char *cn,
                      const char *org, int days, char *err, size_t errsize);

/* The lifecycle (issue 18).
 * Pins: registry.pin holds one pin or two joined by ';' (the registry's key and its next). */
#define PKI_PINS_MAX 160
int pki_pins_ok(const char *pins);
/* Whole days until the certificate's notAfter (negative: past it): 0, or -1 unreadable. */
int pki_cert_days_left(const char *cert_file, int *days);
/* The certificate's serial in hex (what a revocation by serial names): 0 or -1. */
int pki_cert_serial(const char *cert_file, char *hex, size_t cap);
/* Renewal: the kiosk made kiosk.key.new and a CSR (pki_csr_new_key); the registry's answer is
 * checked (for that key, of the CA, the same subject as kiosk.crt) and put in place: the key
 * first, then the certificate. pki_renew_recover (at each start of a renewal) finishes or
 * forgets one a crash cut short: 1 finished, 0 nothing to do, -1. */
int pki_renew_install(const char *dir, const char *cert_pem, char *err, size_t errsize);
int pki_renew_recover(const char *dir);
/* The registry's next key (registry-next.crt/.key, names as pki_init's): registryd hands both
 * pins to the kiosks; once they have them, pki_rotate makes it the registry's key (the old one
 * kept as registry-old.*) and registryd is restarted. */
int pki_next_key(const char *dir, const char *names, char *err, size_t errsize);
int pki_rotate(const char *dir, char *err, size_t errsize);

/* libcurl's pin of a certificate's public key: "sha256//" + base64(SHA-256(SPKI)). */
int pki_pin_of(const char *cert_file, char *pin, size_t cap);
/* The subject's CN (the kiosk id) and O (the office) of cert_file, without checking it: 0, or
 * -1 when it cannot be read. */
int pki_cert_names(const char *cert_file, char *cn, size_t cnsize, char *org, size_t orgsize);
/* 1 when the certificate of cert_file is past its notAfter, 0 when not, -1 unreadable. */
int pki_cert_expired(const char *cert_file);
/* Checks that cert_file chains to ca_file and is valid now; fills the subject's CN and O. */
int pki_verify(const char *ca_file, const char *cert_file, char *cn, size_t cnsize, char *org,
               size_t orgsize, char *err, size_t errsize);

#endif
