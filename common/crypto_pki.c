/* crypto_pki: see crypto_pki.h. */
#include "crypto_pki.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"

static EVP_PKEY *new_key(void) {
    return EVP_EC_gen("P-256");
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ex)
        return -1;
    int ok = X509_add_ext(cert, ex, -1);
    X509_EXTENSION_free(ex);
    return ok ? 0 : -1;
}

/* A certificate for key, named by the (field, value) pairs, signed by issuer/ikey (itself when
 * NULL), valid from now to now + days. */
/* Every certificate gets a random serial of 127 bits (RFC 5280: positive, at most 20 octets):
 * two made in the same second, or by two operators, never share one (pki enroll once gave
 * kiosks the time as their serial). */
static X509 *make_cert(EVP_PKEY *key, const char *const *names, X509 *issuer, EVP_PKEY *ikey,
                       int days, const char *const *exts) {
    X509 *c = X509_new();
    if (!c)
        return NULL;
    X509_set_version(c, 2);
    BIGNUM *bn = BN_new();
    bool serial_ok = bn && BN_rand(bn, 127, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1 &&
                     BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c)) != NULL;
    BN_free(bn);
    if (!serial_ok) {
        X509_free(c);
        return NULL;
    }
    if (days >= 0) {
        X509_gmtime_adj(X509_getm_notBefore(c), -300);
        X509_gmtime_adj(X509_getm_notAfter(c), (long)days * 86400);
    } else {
        X509_gmtime_adj(X509_getm_notBefore(c), (long)(days - 2) * 86400);
        X509_gmtime_adj(X509_getm_notAfter(c), (long)days * 86400);
    }
    X509_set_pubkey(c, key);
    X509_NAME *n = X509_get_subject_name(c);
    for (; names && names[0]; names += 2)
        X509_NAME_add_entry_by_txt(n, names[0], MBSTRING_UTF8, (const unsigned char *)names[1], -1,
                                   -1, 0);
    X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : n);
    int ok = 1;
    for (; exts && exts[0] && ok; exts += 2)
        ok = add_ext(c, issuer ? issuer : c, OBJ_txt2nid(exts[0]), exts[1]) == 0;
    if (!ok || !X509_sign(c, ikey ? ikey : key, EVP_sha256())) {
        X509_free(c);
        return NULL;
    }
    return c;
}

static int write_pem(const char *dir, const char *name, X509 *cert, EVP_PKEY *key) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, key ? 0600 : 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int ok =
        cert ? PEM_write_X509(f, cert) : PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    return ok ? 0 : -1;
}

static int write_pair(const char *dir, const char *base, X509 *cert, EVP_PKEY *key) {
    char crt[128], k[128];
    snprintf(crt, sizeof crt, "%s.crt", base);
    snprintf(k, sizeof k, "%s.key", base);
    return write_pem(dir, crt, cert, NULL) == 0 && write_pem(dir, k, NULL, key) == 0 ? 0 : -1;
}

int pki_san_of(const char *names, char *san, size_t cap, char *err, size_t errsize) {
    size_t used = (size_t)snprintf(san, cap, "DNS:localhost,IP:127.0.0.1,IP:::1");
    char list[1024];
    if (!names)
        names = "";
    if (strlen(names) >= sizeof list) {
        snprintf(err, errsize, "the registry's names are too long (at most %zu bytes)",
                 sizeof list - 1);
        return -1;
    }
    snprintf(list, sizeof list, "%s", names);
    int n = 0;
    for (char *save = NULL, *w = strtok_r(list, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        unsigned char addr[16];
        bool ip = inet_pton(AF_INET, w, addr) == 1 || inet_pton(AF_INET6, w, addr) == 1;
        size_t wl = strlen(w);
        if (!ip && (wl > 253 || strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789-.") != wl || w[0] == '-' || w[0] == '.')) {
            snprintf(err, errsize, "%.100s is neither a hostname nor an IP address", w);
            return -1;
        }
        if (++n > PKI_NAMES_MAX) {
            snprintf(err, errsize, "at most %d names for the registry", PKI_NAMES_MAX);
            return -1;
        }
        int m = snprintf(san + used, cap - used, ",%s:%s", ip ? "IP" : "DNS", w);
        if (m < 0 || (size_t)m >= cap - used) {
            snprintf(err, errsize, "the registry's names are too long");
            return -1;
        }
        used += (size_t)m;
    }
    return 0;
}

/* The registry's server certificate for key, named by san (pki_san_of), signed by the CA:
 * the one pki_init makes and the next one of pki_next_key. */
static X509 *registry_cert(EVP_PKEY *key, const char *san, X509 *ca, EVP_PKEY *cak) {
    static const char *const names[] = {"O", "Marriage registry", "CN", "registry", NULL};
    const char *const ext[] = {"basicConstraints", "CA:FALSE", "extendedKeyUsage", "serverAuth",
                               "subjectAltName", san, NULL};
    return make_cert(key, names, ca, cak, 825, ext);
}

int pki_init(const char *dir, const char *names, char *err, size_t errsize) {
    char san[2048];
    if (pki_san_of(names, san, sizeof san, err, errsize) != 0)
        return -1;
    char probe[1024];
    snprintf(probe, sizeof probe, "%s/ca.key", dir);
    if (access(probe, F_OK) == 0) {
        snprintf(err, errsize, "%s already holds a CA; refusing to replace it", dir);
        return -1;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errsize, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    EVP_PKEY *cak = new_key(), *rk = new_key(), *ok_ = new_key();
    static const char *const ca_names[] = {"O", "Marriage registry", "CN", "Kiosk registry CA",
                                           NULL};
    static const char *const ca_ext[] = {"basicConstraints", "critical,CA:TRUE", "keyUsage",
                                         "critical,keyCertSign,cRLSign", NULL};
    X509 *ca = cak ? make_cert(cak, ca_names, NULL, NULL, 3650, ca_ext) : NULL;
    X509 *reg = ca && rk ? registry_cert(rk, san, ca, cak) : NULL;
    static const char *const o_names[] = {"O",  "Marriage registry", "OU", "operator",
                                          "CN", "operator",          NULL};
    static const char *const o_ext[] = {"basicConstraints", "CA:FALSE", "extendedKeyUsage",
                                        "clientAuth", NULL};
    X509 *op = ca && ok_ ? make_cert(ok_, o_names, ca, cak, 825, o_ext) : NULL;
    int rc = ca && reg && op && write_pair(dir, "ca", ca, cak) == 0 &&
                     write_pair(dir, "registry", reg, rk) == 0 &&
                     write_pair(dir, "operator", op, ok_) == 0
                 ? 0
                 : -1;
    if (rc != 0)
        snprintf(err, errsize, "cannot make or write the certificates in %s", dir);
    X509_free(ca);
    X509_free(reg);
    X509_free(op);
    EVP_PKEY_free(cak);
    EVP_PKEY_free(rk);
    EVP_PKEY_free(ok_);
    return rc;
}

/* A PEM object from a file: a certificate or a private key. */
static void *read_pem(const char *path, bool key) {
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    void *o = key ? (void *)PEM_read_PrivateKey(f, NULL, NULL, NULL)
                  : (void *)PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    return o;
}

static X509 *read_cert(const char *path) {
    return read_pem(path, false);
}

static EVP_PKEY *read_key(const char *path) {
    return read_pem(path, true);
}

static int pin_of(X509 *c, char *pin, size_t cap) {
    unsigned char *der = NULL;
    int len = i2d_PUBKEY(X509_get0_pubkey(c), &der);
    if (len <= 0)
        return -1;
    unsigned char md[32];
    unsigned int mdlen = 0;
    int ok = EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(), NULL) == 1;
    OPENSSL_free(der);
    unsigned char b64[64];
    int n = ok ? EVP_EncodeBlock(b64, md, (int)mdlen) : 0;
    if (n <= 0 || snprintf(pin, cap, "sha256//%s", b64) >= (int)cap)
        return -1;
    return 0;
}

int pki_pin_of(const char *cert_file, char *pin, size_t cap) {
    X509 *c = read_cert(cert_file);
    int rc = c ? pin_of(c, pin, cap) : -1;
    X509_free(c);
    return rc;
}

/* The subject's CN and O (each "" when absent). */
static void subject_names(X509 *c, char *cn, size_t cnsize, char *org, size_t orgsize) {
    X509_NAME *n = X509_get_subject_name(c);
    if (cn && cnsize && X509_NAME_get_text_by_NID(n, NID_commonName, cn, (int)cnsize) < 0)
        cn[0] = 0;
    if (org && orgsize && X509_NAME_get_text_by_NID(n, NID_organizationName, org, (int)orgsize) < 0)
        org[0] = 0;
}

int pki_cert_names(const char *cert_file, char *cn, size_t cnsize, char *org, size_t orgsize) {
    X509 *c = read_cert(cert_file);
    if (!c)
        return -1;
    subject_names(c, cn, cnsize, org, orgsize);
    X509_free(c);
    return 0;
}

int pki_cert_expired(const char *cert_file) {
    X509 *c = read_cert(cert_file);
    if (!c)
        return -1;
    int rc = X509_cmp_current_time(X509_get0_notAfter(c)) < 0 ? 1 : 0;
    X509_free(c);
    return rc;
}

static int write_text(const char *dir, const char *name, const char *text) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fputs(text, f) >= 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* The registry's public key pin, for the kiosk's libcurl (registry.pin). */
static int write_pin(const char *dir, const char *out_dir) {
    char path[1024], pin[128];
    snprintf(path, sizeof path, "%s/registry.crt", dir);
    if (pki_pin_of(path, pin, sizeof pin - 1) != 0)
        return -1;
    strcat(pin, "\n");
    return write_text(out_dir, "registry.pin", pin);
}

static const char *const client_ext[] = {"basicConstraints", "CA:FALSE", "extendedKeyUsage",
                                        "clientAuth", NULL};

/* Reads the CA of dir; NULL (err set) when there is none. */
static int read_ca(const char *dir, X509 **ca, EVP_PKEY **cak, char *err, size_t errsize) {
    char path[1024];
    snprintf(path, sizeof path, "%s/ca.crt", dir);
    *ca = read_cert(path);
    snprintf(path, sizeof path, "%s/ca.key", dir);
    *cak = read_key(path);
    if (*ca && *cak)
        return 0;
    snprintf(err, errsize, "no CA in %s (run kioskctl pki init first)", dir);
    X509_free(*ca);
    EVP_PKEY_free(*cak);
    return -1;
}

/* A PEM text of a certificate or CSR (malloc'd). */
static char *to_pem(X509 *c, X509_REQ *req) {
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return NULL;
    int ok = c ? PEM_write_bio_X509(b, c) : PEM_write_bio_X509_REQ(b, req);
    char *data = NULL;
    long len = BIO_get_mem_data(b, &data);
    char *out = ok && len > 0 ? strndup(data, (size_t)len) : NULL;
    BIO_free(b);
    return out;
}

char *pki_csr_new(const char *out_dir, char *err, size_t errsize) {
    return pki_csr_new_key(out_dir, "kiosk.key", err, errsize);
}

char *pki_csr_new_key(const char *out_dir, const char *key_name, char *err, size_t errsize) {
    if (mkdir(out_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errsize, "cannot create %s: %s", out_dir, strerror(errno));
        return NULL;
    }
    EVP_PKEY *k = new_key();
    X509_REQ *req = X509_REQ_new();
    char *pem = NULL;
    if (k && req && X509_REQ_set_version(req, 0) && X509_REQ_set_pubkey(req, k) &&
        X509_REQ_sign(req, k, EVP_sha256()) && write_pem(out_dir, key_name, NULL, k) == 0)
        pem = to_pem(NULL, req);
    if (!pem)
        snprintf(err, errsize, "cannot make a key and a CSR in %s", out_dir);
    X509_REQ_free(req);
    EVP_PKEY_free(k);
    return pem;
}

static X509_REQ *read_csr(const char *csr_pem) {
    BIO *b = BIO_new_mem_buf(csr_pem, -1);
    X509_REQ *req = b ? PEM_read_bio_X509_REQ(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    EVP_PKEY *pub = req ? X509_REQ_get0_pubkey(req) : NULL;
    if (!pub || X509_REQ_verify(req, pub) != 1) {
        X509_REQ_free(req);
        return NULL;
    }
    return req;
}

int pki_csr_check(const char *csr_pem) {
    X509_REQ *req = read_csr(csr_pem);
    X509_REQ_free(req);
    return req ? 0 : -1;
}

char *pki_sign_csr(const char *dir, const char *csr_pem, const char *kiosk_id, const char *office,
                   int days, char *err, size_t errsize) {
    return pki_sign_csr_as(dir, csr_pem, "kiosk", kiosk_id, office, days, err, errsize);
}

char *pki_sign_csr_as(const char *dir, const char *csr_pem, const char *role, const char *cn,
                      const char *org, int days, char *err, size_t errsize) {
    X509 *ca;
    EVP_PKEY *cak;
    if (read_ca(dir, &ca, &cak, err, errsize) != 0)
        return NULL;
    X509_REQ *req = read_csr(csr_pem);
    EVP_PKEY *pub = req ? X509_REQ_get0_pubkey(req) : NULL;
    char *pem = NULL;
    if (!pub) {
        snprintf(err, errsize, "the CSR is malformed or its signature does not hold");
    } else {
        const char *names[] = {"O", org, "OU", role, "CN", cn, NULL};
        X509 *c = make_cert(pub, names, ca, cak, days, client_ext);
        pem = c ? to_pem(c, NULL) : NULL;
        X509_free(c);
        if (!pem)
            snprintf(err, errsize, "cannot sign the certificate");
    }
    X509_REQ_free(req);
    X509_free(ca);
    EVP_PKEY_free(cak);
    return pem;
}

int pki_install(const char *out_dir, const char *cert_pem, const char *ca_pem, const char *pin,
                char *err, size_t errsize) {
    char path[1024];
    snprintf(path, sizeof path, "%s/kiosk.key", out_dir);
    EVP_PKEY *k = read_key(path);
    BIO *b1 = BIO_new_mem_buf(cert_pem, -1), *b2 = BIO_new_mem_buf(ca_pem, -1);
    X509 *c = b1 ? PEM_read_bio_X509(b1, NULL, NULL, NULL) : NULL;
    X509 *ca = b2 ? PEM_read_bio_X509(b2, NULL, NULL, NULL) : NULL;
    BIO_free(b1);
    BIO_free(b2);
    int rc = -1;
    EVP_PKEY *capub = ca ? X509_get0_pubkey(ca) : NULL;
    if (!k || !c || !ca)
        snprintf(err, errsize, "the key, the certificate or the CA cannot be read");
    else if (X509_check_private_key(c, k) != 1)
        snprintf(err, errsize, "the certificate is not for this kiosk's key");
    else if (!capub || X509_verify(c, capub) != 1)
        snprintf(err, errsize, "the certificate is not signed by the CA");
    else if (pki_pins_ok(pin) != 0)
        snprintf(err, errsize, "the registry's key pin is malformed");
    else {
        char line[PKI_PINS_MAX + 2];
        snprintf(line, sizeof line, "%s\n", pin);
        rc = write_pem(out_dir, "kiosk.crt", c, NULL) == 0 &&
                     write_pem(out_dir, "ca.crt", ca, NULL) == 0 &&
                     write_text(out_dir, "registry.pin", line) == 0
                 ? 0
                 : -1;
        if (rc != 0)
            snprintf(err, errsize, "cannot write the certificates in %s", out_dir);
    }
    X509_free(c);
    X509_free(ca);
    EVP_PKEY_free(k);
    return rc;
}

/* A client certificate of role (OU kiosk or operator) named cn of org into out_dir/BASE.crt
 * and BASE.key (0600), with ca.crt (and, for a kiosk, the registry's pin). */
static int issue(const char *dir, const char *role, const char *cn, const char *org,
                 const char *out_dir, int days, char *err, size_t errsize) {
    X509 *ca;
    EVP_PKEY *cak;
    if (read_ca(dir, &ca, &cak, err, errsize) != 0)
        return -1;
    if (mkdir(out_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errsize, "cannot create %s: %s", out_dir, strerror(errno));
        X509_free(ca);
        EVP_PKEY_free(cak);
        return -1;
    }
    EVP_PKEY *k = new_key();
    const char *names[] = {"O", org, "OU", role, "CN", cn, NULL};
    bool kiosk = !strcmp(role, "kiosk");
    X509 *c = k ? make_cert(k, names, ca, cak, days, client_ext) : NULL;
    int rc = c && write_pair(out_dir, role, c, k) == 0 &&
                     write_pem(out_dir, "ca.crt", ca, NULL) == 0 &&
                     (!kiosk || write_pin(dir, out_dir) == 0)
                 ? 0
                 : -1;
    if (rc != 0)
        snprintf(err, errsize, "cannot make or write the %s certificate in %s", role, out_dir);
    X509_free(c);
    X509_free(ca);
    EVP_PKEY_free(k);
    EVP_PKEY_free(cak);
    return rc;
}

int pki_enroll(const char *dir, const char *kiosk_id, const char *office, const char *out_dir,
               int days, char *err, size_t errsize) {
    return issue(dir, "kiosk", kiosk_id, office, out_dir, days, err, errsize);
}

int pki_operator(const char *dir, const char *name, const char *office, const char *out_dir,
                 int days, char *err, size_t errsize) {
    return issue(dir, "operator", name, office ? office : "province", out_dir, days, err,
                 errsize);
}

int pki_workstation(const char *dir, const char *name, const char *office, const char *out_dir,
                    int days, char *err, size_t errsize) {
    if (issue(dir, "workstation", name, office, out_dir, days, err, errsize) != 0)
        return -1;
    /* the browser imports a PKCS#12 (key and certificate), with the password given */
    char crt[1024], key[1024], p12[1024], pw[128] = "";
    snprintf(crt, sizeof crt, "%s/workstation.crt", out_dir);
    snprintf(key, sizeof key, "%s/workstation.key", out_dir);
    snprintf(p12, sizeof p12, "%s/workstation.p12", out_dir);
    X509 *c = read_cert(crt);
    EVP_PKEY *k = read_key(key);
    const char *pass = getenv("KIOSK_P12_PASSWORD");
    snprintf(pw, sizeof pw, "%s", pass ? pass : "");
    PKCS12 *p = c && k ? PKCS12_create(pw, name, k, c, NULL, 0, 0, 0, 0, 0) : NULL;
    int fd = p ? open(p12, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int rc = f && i2d_PKCS12_fp(f, p) == 1 ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    else if (!f && fd >= 0)
        close(fd);
    if (rc != 0)
        snprintf(err, errsize, "cannot write %s", p12);
    explicit_bzero(pw, sizeof pw);
    PKCS12_free(p);
    X509_free(c);
    EVP_PKEY_free(k);
    return rc;
}

int pki_verify(const char *ca_file, const char *cert_file, char *cn, size_t cnsize, char *org,
               size_t orgsize, char *err, size_t errsize) {
    X509 *ca = read_cert(ca_file), *c = read_cert(cert_file);
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    int rc = -1;
    if (!ca || !c || !store || !ctx) {
        snprintf(err, errsize, "cannot read %s or %s", ca_file, cert_file);
        goto out;
    }
    X509_STORE_add_cert(store, ca);
    X509_STORE_CTX_init(ctx, store, c, NULL);
    if (X509_verify_cert(ctx) != 1) {
        snprintf(err, errsize, "%s", X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
        goto out;
    }
    subject_names(c, cn, cnsize, org, orgsize);
    rc = 0;
out:
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    X509_free(ca);
    X509_free(c);
    return rc;
}

/* --- many kiosks' certificates in memory (bench/fleet) --- */

struct pki_issuer {
    X509 *ca;
    EVP_PKEY *cak;
};

struct pki_issuer *pki_issuer_open(const char *dir, char *err, size_t errsize) {
    struct pki_issuer *is = calloc(1, sizeof *is);
    if (is && read_ca(dir, &is->ca, &is->cak, err, errsize) != 0) {
        free(is);
        return NULL;
    }
    return is;
}

int pki_issuer_kiosk(struct pki_issuer *is, const char *kiosk_id, const char *office, int days,
                     char **cert_pem, char **key_pem) {
    *cert_pem = *key_pem = NULL;
    EVP_PKEY *k = new_key();
    const char *names[] = {"O", office, "OU", "kiosk", "CN", kiosk_id, NULL};
    X509 *c = k ? make_cert(k, names, is->ca, is->cak, days, client_ext) : NULL;
    BIO *b = c ? BIO_new(BIO_s_mem()) : NULL;
    if (b && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL)) {
        char *data = NULL;
        long len = BIO_get_mem_data(b, &data);
        *key_pem = len > 0 ? strndup(data, (size_t)len) : NULL;
        *cert_pem = *key_pem ? to_pem(c, NULL) : NULL;
    }
    BIO_free(b);
    X509_free(c);
    EVP_PKEY_free(k);
    if (!*cert_pem) {
        free(*key_pem);
        *key_pem = NULL;
        return -1;
    }
    return 0;
}

void pki_issuer_free(struct pki_issuer *is) {
    if (is) {
        X509_free(is->ca);
        EVP_PKEY_free(is->cak);
        free(is);
    }
}

/* --- the lifecycle (issue 18): renewal, the registry's next key, revocation's serials --- */

int pki_pins_ok(const char *pins) {
    /* "sha256//" + 44 characters of base64, one or two of them joined by ';' */
    size_t n = strlen(pins);
    if (n == 0 || n > PKI_PINS_MAX)
        return -1;
    int count = 0;
    for (const char *p = pins; *p;) {
        size_t len = strcspn(p, ";");
        if (len != 52 || strncmp(p, "sha256//", 8) != 0 ||
            strspn(p + 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") < 44 ||
            ++count > 2)
            return -1;
        p += len;
        if (*p == ';' && !*++p)
            return -1;
    }
    return 0;
}

int pki_cert_days_left(const char *cert_file, int *days) {
    X509 *c = read_cert(cert_file);
    if (!c)
        return -1;
    int d = 0, s = 0;
    int ok = ASN1_TIME_diff(&d, &s, NULL, X509_get0_notAfter(c));
    X509_free(c);
    if (!ok)
        return -1;
    *days = d;
    return 0;
}

int pki_cert_serial(const char *cert_file, char *hex, size_t cap) {
    X509 *c = read_cert(cert_file);
    BIGNUM *bn = c ? ASN1_INTEGER_to_BN(X509_get0_serialNumber(c), NULL) : NULL;
    char *h = bn ? BN_bn2hex(bn) : NULL;
    int rc = h && strlen(h) < cap ? 0 : -1;
    if (rc == 0)
        snprintf(hex, cap, "%s", h);
    OPENSSL_free(h);
    BN_free(bn);
    X509_free(c);
    return rc;
}

static int rename_in(const char *dir, const char *from, const char *to) {
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/%s", dir, from);
    snprintf(b, sizeof b, "%s/%s", dir, to);
    return rename(a, b);
}

static bool exists_in(const char *dir, const char *name) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

static void sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int pki_renew_recover(const char *dir) {
    char p[1024];
    if (exists_in(dir, "kiosk.key.new")) { /* before the key moved: the old pair holds */
        snprintf(p, sizeof p, "%s/kiosk.key.new", dir);
        unlink(p);
        snprintf(p, sizeof p, "%s/kiosk.crt.new", dir);
        unlink(p);
        return 0;
    }
    if (exists_in(dir, "kiosk.crt.new")) { /* the new key is in place: its certificate too */
        if (rename_in(dir, "kiosk.crt.new", "kiosk.crt") != 0)
            return -1;
        sync_dir(dir);
        return 1;
    }
    return 0;
}

int pki_renew_install(const char *dir, const char *cert_pem, char *err, size_t errsize) {
    char path[1024];
    snprintf(path, sizeof path, "%s/kiosk.key.new", dir);
    EVP_PKEY *k = read_key(path);
    snprintf(path, sizeof path, "%s/ca.crt", dir);
    X509 *ca = read_cert(path);
    snprintf(path, sizeof path, "%s/kiosk.crt", dir);
    X509 *old = read_cert(path);
    BIO *b = BIO_new_mem_buf(cert_pem, -1);
    X509 *c = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    int rc = -1;
    EVP_PKEY *capub = ca ? X509_get0_pubkey(ca) : NULL;
    if (!k || !c || !ca || !old)
        snprintf(err, errsize, "the new key, the certificate, the CA or the old certificate cannot be read");
    else if (X509_check_private_key(c, k) != 1)
        snprintf(err, errsize, "the renewed certificate is not for the new key");
    else if (!capub || X509_verify(c, capub) != 1)
        snprintf(err, errsize, "the renewed certificate is not signed by the CA");
    else if (X509_NAME_cmp(X509_get_subject_name(c), X509_get_subject_name(old)) != 0)
        snprintf(err, errsize, "the renewed certificate names another kiosk");
    else if (write_pem(dir, "kiosk.crt.new", c, NULL) != 0)
        snprintf(err, errsize, "cannot write the renewed certificate in %s", dir);
    /* the key first: a crash after it leaves kiosk.crt.new, which pki_renew_recover moves */
    else if (rename_in(dir, "kiosk.key.new", "kiosk.key") != 0 ||
             (sync_dir(dir), rename_in(dir, "kiosk.crt.new", "kiosk.crt")) != 0)
        snprintf(err, errsize, "cannot put the renewed certificate in place: %s", strerror(errno));
    else {
        sync_dir(dir);
        rc = 0;
    }
    X509_free(c);
    X509_free(ca);
    X509_free(old);
    EVP_PKEY_free(k);
    return rc;
}

int pki_next_key(const char *dir, const char *names, char *err, size_t errsize) {
    char san[2048];
    if (pki_san_of(names, san, sizeof san, err, errsize) != 0)
        return -1;
    if (exists_in(dir, "registry-next.key")) {
        snprintf(err, errsize, "%s already holds a next key (registry-next.key): rotate to it first", dir);
        return -1;
    }
    X509 *ca;
    EVP_PKEY *cak;
    if (read_ca(dir, &ca, &cak, err, errsize) != 0)
        return -1;
    EVP_PKEY *k = new_key();
    X509 *c = k ? registry_cert(k, san, ca, cak) : NULL;
    int rc = c && write_pair(dir, "registry-next", c, k) == 0 ? 0 : -1;
    if (rc != 0)
        snprintf(err, errsize, "cannot make or write the next key in %s", dir);
    X509_free(c);
    EVP_PKEY_free(k);
    X509_free(ca);
    EVP_PKEY_free(cak);
    return rc;
}

int pki_rotate(const char *dir, char *err, size_t errsize) {
    if (!exists_in(dir, "registry-next.key") || !exists_in(dir, "registry-next.crt")) {
        snprintf(err, errsize, "%s has no next key: kioskctl pki next-key first, and let the "
                 "kiosks learn it", dir);
        return -1;
    }
    if (rename_in(dir, "registry.crt", "registry-old.crt") != 0 ||
        rename_in(dir, "registry.key", "registry-old.key") != 0 ||
        rename_in(dir, "registry-next.key", "registry.key") != 0 ||
        rename_in(dir, "registry-next.crt", "registry.crt") != 0) {
        snprintf(err, errsize, "cannot move the keys in %s: %s", dir, strerror(errno));
        return -1;
    }
    sync_dir(dir);
    return 0;
}
