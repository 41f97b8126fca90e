/* rstore_cols: the columns of each query's rows (struct rstore_rows), one description for
 * every backend (rstore_sqlite.c, rstore_pg.c): a backend's query selects them in this order,
 * and the API layer reads them by these names. Included by the backends only. */
#ifndef REGISTRY_RSTORE_COLS_H
#define REGISTRY_RSTORE_COLS_H

#include "rstore.h"

#define NCOLS(c) ((int)(sizeof c / sizeof c[0]))

static const struct rstore_col appointment_cols[] = {
    {"appointment", RSTORE_JSON}, {"seq", RSTORE_INT}, {"id", RSTORE_TEXT}};

static const struct rstore_col update_event_cols[] = {
    {"kiosk", RSTORE_TEXT},   {"type", RSTORE_TEXT},   {"serial", RSTORE_INT},
    {"version", RSTORE_TEXT}, {"step", RSTORE_TEXT},   {"detail", RSTORE_TEXT},
    {"at", RSTORE_INT}};

static const struct rstore_col fleet_cols[] = {{"kiosk", RSTORE_TEXT},
                                               {"office", RSTORE_TEXT},
                                               {"age_s", RSTORE_INT},
                                               {"last", RSTORE_JSON}};

static const struct rstore_col command_cols[] = {
    {"seq", RSTORE_INT}, {"command", RSTORE_TEXT}, {"arg", RSTORE_TEXT}};

static const struct rstore_col command_list_cols[] = {
    {"seq", RSTORE_INT},     {"kiosk", RSTORE_TEXT}, {"command", RSTORE_TEXT},
    {"arg", RSTORE_TEXT},    {"created", RSTORE_INT}, {"acked", RSTORE_INT},
    {"result", RSTORE_TEXT}};

static const struct rstore_col record_list_cols[] = {
    {"id", RSTORE_TEXT},     {"kind", RSTORE_TEXT},     {"kiosk", RSTORE_TEXT},
    {"office", RSTORE_TEXT}, {"received", RSTORE_INT}, {"status", RSTORE_TEXT},
    {"shared_id", RSTORE_INT}, {"business", RSTORE_TEXT}, {"queue_no", RSTORE_TEXT}};

static const struct rstore_col ticket_cols[] = {
    {"id", RSTORE_INT},         {"kiosk", RSTORE_TEXT},   {"record", RSTORE_TEXT},
    {"kind", RSTORE_TEXT},      {"queue_no", RSTORE_TEXT}, {"business", RSTORE_TEXT},
    {"room", RSTORE_TEXT},      {"slot_start", RSTORE_INT}, {"created", RSTORE_INT},
    {"status", RSTORE_TEXT},    {"window", RSTORE_TEXT},  {"calls", RSTORE_INT},
    {"any_type", RSTORE_INT},   {"called_at", RSTORE_INT}, {"done_at", RSTORE_INT}};

static const struct rstore_col window_cols[] = {{"id", RSTORE_TEXT},    {"name", RSTORE_TEXT},
                                                {"room", RSTORE_TEXT},  {"types", RSTORE_TEXT},
                                                {"every", RSTORE_INT},  {"since_walk_in", RSTORE_INT}};

static const struct rstore_col receipt_key_cols[] = {{"kiosk", RSTORE_TEXT},
                                                     {"office", RSTORE_TEXT},
                                                     {"key", RSTORE_TEXT},
                                                     {"first_seen", RSTORE_INT},
                                                     {"seq", RSTORE_INT}};

static const struct rstore_col record_cols[] = {
    {"id", RSTORE_TEXT},       {"kind", RSTORE_TEXT},   {"kiosk", RSTORE_TEXT},
    {"office", RSTORE_TEXT},   {"received", RSTORE_INT}, {"status", RSTORE_TEXT},
    {"payload", RSTORE_JSON}};

static const struct rstore_col alert_cols[] = {{"kiosk", RSTORE_TEXT}, {"office", RSTORE_TEXT},
                                               {"kind", RSTORE_TEXT},  {"screen", RSTORE_TEXT},
                                               {"at", RSTORE_INT},     {"received", RSTORE_INT}};

static const struct rstore_col alarm_cols[] = {
    {"kiosk", RSTORE_TEXT}, {"at", RSTORE_INT}, {"detail", RSTORE_TEXT}};

static const struct rstore_col revocation_cols[] = {
    {"kind", RSTORE_TEXT}, {"id", RSTORE_TEXT}, {"at", RSTORE_INT}, {"reason", RSTORE_TEXT}};

static const struct rstore_col rating_cols[] = {
    {"office", RSTORE_TEXT}, {"service", RSTORE_TEXT}, {"level", RSTORE_INT}, {"count", RSTORE_INT}};

static const struct rstore_col anchor_cols[] = {
    {"seq", RSTORE_INT}, {"hash", RSTORE_TEXT}, {"at", RSTORE_INT}};

static const struct rstore_col clerk_cols[] = {
    {"id", RSTORE_TEXT},       {"office", RSTORE_TEXT},      {"name", RSTORE_TEXT},
    {"hash", RSTORE_TEXT},     {"failures", RSTORE_INT},     {"locked_until", RSTORE_INT},
    {"disabled", RSTORE_INT},  {"created", RSTORE_INT},      {"last_login", RSTORE_INT}};

static const struct rstore_col clerk_list_cols[] = {
    {"id", RSTORE_TEXT},      {"office", RSTORE_TEXT},      {"name", RSTORE_TEXT},
    {"failures", RSTORE_INT}, {"locked_until", RSTORE_INT}, {"disabled", RSTORE_INT},
    {"created", RSTORE_INT},  {"last_login", RSTORE_INT}};

static const struct rstore_col session_cols[] = {
    {"clerk", RSTORE_TEXT},   {"office", RSTORE_TEXT},  {"name", RSTORE_TEXT},
    {"disabled", RSTORE_INT}, {"csrf", RSTORE_TEXT},    {"created", RSTORE_INT},
    {"expires", RSTORE_INT}};

static const struct rstore_col clerk_audit_cols[] = {
    {"at", RSTORE_INT},     {"clerk", RSTORE_TEXT},  {"office", RSTORE_TEXT},
    {"action", RSTORE_TEXT}, {"target", RSTORE_TEXT}, {"detail", RSTORE_TEXT}};

#endif
