/* enroll: one-time enrollment tokens (operators) and POST /v1/enroll on its own listener, where a kiosk without a certificate trades a token and a CSR for one; its key never leaves it. */
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <openssl/bn.h>
#include <openssl/x509.h>

#include "json.h"
#include "crypto.h"
#include "crypto_pki.h"
#include "log.h"
#include "registry.h"
#include "rstore.h"

#define TOKEN_HOURS_MAX (24 * 14)
#define KIOSK_CERT_DAYS 825
#define OFFLINE_CA "this registry has no CA key (an offline CA): the kiosk's CSR is signed " \
                   "at the CA (kioskctl pki sign) and installed by hand"


static void token_hash(const char *token, char hex[65]) {
    uint8_t md[32];
    crypto_sha256(token, strlen(token), md);
    crypto_hex(md, sizeof md, hex);
}

static bool office_ok(const char *o) {
    return o && strlen(o) == 6 && strspn(o, "0123456789") == 6;
}

void post_enroll_token(struct registry *r, struct evhttp_request *req, const struct peer *p, const char *rest) {
    (void)rest;
    cJSON *body = body_json(req);
    const char *kiosk = cJSON_GetStringValue(cJSON_GetObjectItem(body, "kiosk"));
    const char *office = cJSON_GetStringValue(cJSON_GetObjectItem(body, "office"));
    if (office && !operator_may(req, p, office)) { /* an office's operator enrolls its own */
        cJSON_Delete(body);
        return;
    }
    const cJSON *hours = cJSON_GetObjectItem(body, "hours");
    int h = cJSON_IsNumber(hours) ? (int)json_int(body, "hours", 1, TOKEN_HOURS_MAX, -1) : 24;
    if (!kiosk || !*kiosk || strlen(kiosk) > 64 ||
        strspn(kiosk, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "abcdefghijklmnopqrstuvwxyz"
                      "0123456789-_.") != strlen(kiosk) ||
        !office_ok(office) || h < 1 || h > TOKEN_HOURS_MAX) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request",
                    "expected {\"kiosk\":ID (letters, digits, -_.),\"office\":6 digits,"
                    "\"hours\":1-336}");
        return;
    }
    uint8_t raw[16];
    char token[33], hash[65];
    crypto_random(raw, sizeof raw);
    crypto_hex(raw, sizeof raw, token);
    token_hash(token, hash);
    long expires = (long)time(NULL) + h * 3600L;
    if (rstore_enroll_token_add(r->store, hash, kiosk, office, expires) != 0) {
        cJSON_Delete(body);
        reply_error(req, 500, "Internal Server Error", "the token cannot be stored");
        return;
    }
    log_info("registry", "enrollment token made for kiosk %s of office %s", kiosk, office);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "token", token);
    cJSON_AddStringToObject(o, "kiosk", kiosk);
    cJSON_AddStringToObject(o, "office", office);
    cJSON_AddNumberToObject(o, "expires", (double)expires);
    cJSON_Delete(body);
    reply_json(req, 200, "OK", o);
}

/* POST /v1/enroll {"token":..., "csr":PEM} -> {"certificate":PEM, "ca":PEM, "pin":...} */
void handle_enroll(struct evhttp_request *req, void *arg) {
    struct registry *r = arg;
    if (!listener_admit(req)) {
        reply_error(req, 429, "Too Many Requests",
                    "too many enrollment requests from this address: wait a minute");
        return;
    }
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    if (!path || strcmp(path, "/v1/enroll") != 0) {
        reply_error(req, 404, "Not Found", "this listener serves POST /v1/enroll only");
        return;
    }
    if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
        reply_error(req, 405, "Method Not Allowed", "use POST");
        return;
    }
    cJSON *body = body_json(req);
    const char *token = cJSON_GetStringValue(cJSON_GetObjectItem(body, "token"));
    const char *csr = cJSON_GetStringValue(cJSON_GetObjectItem(body, "csr"));
    char kiosk[128], office[16], hash[65], err[200];
    int rc;
    if (!token || strlen(token) > 128 || !csr || pki_csr_check(csr) != 0) {
        reply_error(req, 400, "Bad Request",
                    "expected {\"token\":..., \"csr\":PEM} with a CSR signed by its own key");
    } else if (token_hash(token, hash),
               (rc = rstore_enroll_token_take(r->store, hash, kiosk, sizeof kiosk, office,
                                              sizeof office)) != 0) {
        log_warn("registry", "enrollment refused: %s token",
                 rc > 0 ? "unknown, used or expired" : "unreadable");
        reply_error(req, rc > 0 ? 403 : 500, rc > 0 ? "Forbidden" : "Internal Server Error",
                    rc > 0 ? "the token is unknown, used or expired: ask the operator for a new one"
                           : "the token cannot be checked");
    } else {
        char *cert = r->can_sign ? pki_sign_csr(r->pki, csr, kiosk, office, KIOSK_CERT_DAYS, err,
                                                 sizeof err)
                                  : NULL;
        if (!r->can_sign) {
            log_warn("registry", "enrollment of %s refused: no CA key here (an offline CA)", kiosk);
            reply_error(req, 503, "Service Unavailable", OFFLINE_CA);
        } else if (!cert) {
            log_error("registry", "enrollment of %s: %s", kiosk, err);
            reply_error(req, 500, "Internal Server Error", err);
        } else {
            log_info("registry", "kiosk %s of office %s enrolled", kiosk, office);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "certificate", cert);
            cJSON_AddStringToObject(o, "ca", r->ca_pem);
            cJSON_AddStringToObject(o, "pin", r->pins);
            cJSON_AddStringToObject(o, "kiosk", kiosk);
            cJSON_AddStringToObject(o, "office", office);
            free(cert);
            reply_json(req, 200, "OK", o);
        }
    }
    cJSON_Delete(body);
}

/* --- the certificates' lifecycle (issue 18) --- */

/* POST /v1/renew {"csr":PEM}: the kiosk's new certificate, for the key of the CSR, with the
 * subject of the certificate it connected with (whatever the CSR asked for). */
void post_renew(struct registry *r, struct evhttp_request *req, const struct peer *p,
                const char *rest) {
    (void)rest;
    cJSON *body = body_json(req);
    const char *csr = cJSON_GetStringValue(cJSON_GetObjectItem(body, "csr"));
    char err[200];
    if (!csr || pki_csr_check(csr) != 0) {
        reply_error(req, 400, "Bad Request", "expected {\"csr\":PEM} signed by its own key");
    } else if (!r->can_sign) {
        log_warn("registry", "renewal of %s refused: no CA key here (an offline CA)", p->cn);
        reply_error(req, 503, "Service Unavailable", OFFLINE_CA);
    } else {
        char *cert = pki_sign_csr(r->pki, csr, p->cn, p->org, KIOSK_CERT_DAYS, err, sizeof err);
        if (!cert) {
            log_error("registry", "renewal of %s: %s", p->cn, err);
            reply_error(req, 500, "Internal Server Error", err);
        } else {
            log_event(LOG_INFO, "registry", LOG_MSGID_CERT_RENEWED, p->cn, p->org,
                      "kiosk %s of office %s renewed its certificate", p->cn, p->org);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "certificate", cert);
            cJSON_AddStringToObject(o, "ca", r->ca_pem);
            cJSON_AddStringToObject(o, "pins", r->pins);
            free(cert);
            reply_json(req, 200, "OK", o);
        }
    }
    cJSON_Delete(body);
}

/* The revocations in memory, checked at every handshake and request. */
#define REVOCATIONS_MAX 100000
static struct revocation {
    bool kiosk;      /* a kiosk's every certificate issued up to at; else one serial */
    char id[80];
    long long at;
} *revoked;
static int nrevoked;

static bool id_ok(const char *s, const char *set, size_t max) {
    return s && *s && strlen(s) <= max && strspn(s, set) == strlen(s);
}

int revocations_load(struct registry *r) {
    struct rstore_rows *rows = rstore_revocations(r->store);
    if (!rows) {
        log_error("registry", "the revocations cannot be read: the ones known are kept");
        return -1;
    }
    int n = rows->nrows < REVOCATIONS_MAX ? rows->nrows : REVOCATIONS_MAX;
    struct revocation *v = calloc((size_t)(n ? n : 1), sizeof *v);
    if (!v) {
        rstore_rows_free(rows);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *kind = rstore_cell(rows, i, 0);
        v[i].kiosk = kind && !strcmp(kind, "kiosk");
        const char *id = rstore_cell(rows, i, 1), *at = rstore_cell(rows, i, 2);
        snprintf(v[i].id, sizeof v[i].id, "%s", id ? id : "");
        v[i].at = at ? strtoll(at, NULL, 10) : 0;
    }
    if (n != nrevoked)
        log_info("registry", "%d revocations in force", n);
    free(revoked);
    revoked = v;
    nrevoked = n;
    rstore_rows_free(rows);
    return 0;
}

/* server_set_revocation_check's: the certificate's serial, or its CN (a kiosk) with a
 * notBefore up to the revocation (make_cert dates certificates 300 s back). */
static bool cert_is_revoked(X509 *cert) {
    if (!nrevoked)
        return false;
    char cn[128] = "", serial[80] = "";
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    if (hex)
        snprintf(serial, sizeof serial, "%s", hex);
    OPENSSL_free(hex);
    BN_free(bn);
    time_t nb = 0;
    struct tm tm;
    if (ASN1_TIME_to_tm(X509_get0_notBefore(cert), &tm) == 1)
        nb = timegm(&tm);
    for (int i = 0; i < nrevoked; i++) {
        if (revoked[i].kiosk ? !strcmp(revoked[i].id, cn) && (long long)nb + 300 <= revoked[i].at
                             : !strcasecmp(revoked[i].id, serial))
            return true;
    }
    return false;
}

static void on_reload(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    revocations_load(arg);
}

int revocations_start(struct registry *r) {
    server_set_revocation_check(cert_is_revoked);
    struct event *ev = event_new(r->base, -1, EV_PERSIST, on_reload, r);
    struct timeval every = {REVOCATIONS_RELOAD_S, 0};
    if (!ev || event_add(ev, &every) != 0)
        return -1;
    r->revocations_timer = ev;
    return revocations_load(r);
}

/* POST /v1/admin/revocations {"kiosk":ID | "serial":HEX, "reason":TEXT} (the province) */
void post_revocation(struct registry *r, struct evhttp_request *req, const struct peer *p,
                     const char *rest) {
    (void)rest;
    cJSON *body = body_json(req);
    const char *kiosk = cJSON_GetStringValue(cJSON_GetObjectItem(body, "kiosk"));
    const char *serial = cJSON_GetStringValue(cJSON_GetObjectItem(body, "serial"));
    const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(body, "reason"));
    if (!reason)
        reason = "";
    bool k_ok = id_ok(kiosk, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", 64);
    bool s_ok = id_ok(serial, "0123456789ABCDEFabcdef", 64);
    if ((k_ok == s_ok) || (kiosk && !k_ok) || (serial && !s_ok) || strlen(reason) > 200) {
        cJSON_Delete(body);
        reply_error(req, 400, "Bad Request",
                    "expected {\"kiosk\":ID} or {\"serial\":HEX}, and a \"reason\" of at most 200 bytes");
        return;
    }
    if (rstore_revoke(r->store, k_ok ? "kiosk" : "serial", k_ok ? kiosk : serial, reason) != 0) {
        cJSON_Delete(body);
        reply_error(req, 500, "Internal Server Error", "the revocation cannot be stored");
        return;
    }
    log_warn("registry", "%s %s revoked by %s%s%s", k_ok ? "kiosk" : "certificate serial",
             k_ok ? kiosk : serial, p->cn, reason[0] ? ": " : "", reason);
    revocations_load(r);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, k_ok ? "kiosk" : "serial", k_ok ? kiosk : serial);
    cJSON_AddStringToObject(o, "reason", reason);
    cJSON_AddNumberToObject(o, "reload_s", REVOCATIONS_RELOAD_S);
    cJSON_Delete(body);
    reply_json(req, 200, "OK", o);
}

void get_revocations(struct registry *r, struct evhttp_request *req, const struct peer *p,
                     const char *rest) {
    (void)p;
    (void)rest;
    reply_rows(req, "revocations", rstore_revocations(r->store), "revocations");
}
