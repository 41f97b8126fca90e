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

#include "json.h"
#include "crypto.h"
#include "crypto_pki.h"
#include "log.h"
#include "registry.h"
#include "rstore.h"

#define TOKEN_HOURS_MAX (24 * 14)

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
        char *cert = pki_sign_csr(r->pki, csr, kiosk, office, 825, err, sizeof err);
        if (!cert) {
            log_error("registry", "enrollment of %s: %s", kiosk, err);
            reply_error(req, 500, "Internal Server Error", err);
        } else {
            log_info("registry", "kiosk %s of office %s enrolled", kiosk, office);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "certificate", cert);
            cJSON_AddStringToObject(o, "ca", r->ca_pem);
            cJSON_AddStringToObject(o, "pin", r->pin);
            cJSON_AddStringToObject(o, "kiosk", kiosk);
            cJSON_AddStringToObject(o, "office", office);
            free(cert);
            reply_json(req, 200, "OK", o);
        }
    }
    cJSON_Delete(body);
}
