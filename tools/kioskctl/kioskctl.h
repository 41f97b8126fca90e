/* kioskctl: what the command groups of the operator's tool share (main.c holds the table).
 *
 * Each command is a handler `int (int argc, char **argv)` that sees the whole command line
 * (argv[1] the group, argv[2] the sub-command) and returns the exit status: 0 all is well, 1 the
 * thing checked is bad or the registry refused, 2 bad arguments (cmd_bad / cmd_usage say
 * which), 3 the store cannot be opened or read. --help is answered by main.c before any
 * handler runs, so asking for help never creates or changes anything. */
#ifndef KIOSKCTL_H
#define KIOSKCTL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The running command's usage on stderr; returns 2. */
int cmd_usage(void);
/* "kioskctl GROUP SUB: ARG WHY" and the usage on stderr; returns 2 (admin_args: -1). */
int cmd_bad(const char *arg, const char *why);

/* Prints o (taken) as one line of JSON on stdout. */
void print_json(cJSON *o);

/* The options of the admin calls: --registry URL --pki DIR and a few filters; what is not an
 * option is positional. */
struct admin_args {
    const char *registry, *pki, *kiosk, *office, *limit, *hours, *token, *ca, *out, *rollout,
        *channel, *every, *name, *room, *reason;
    bool json;
    const char *pos[4];
    int npos;
};
/* Parses argv[first..]; 0, or -1 after naming the bad argument on stderr. */
int admin_args(struct admin_args *o, int argc, char **argv, int first);
/* One call of the registry's admin API with the operator certificate of o->pki. The answer
 * goes to *answer (malloc'd) or, when answer is NULL, to stdout. body NULL: GET. 0, or 1 when
 * the call failed (said on stderr). */
int admin_call(const struct admin_args *o, const char *api, const char *body,
               const char *content_type, char **answer);
/* A POST of body (taken: deleted, wiped, as is its text: it may hold a password) to the admin
 * API, the answer to stdout; as admin_call. */
int admin_post(const struct admin_args *o, const char *api, cJSON *body);
/* A GET of the admin API parsed as JSON into *out (the caller deletes it). 0, or non-zero. */
int admin_get(const struct admin_args *o, const char *api, cJSON **out);
/* Appends &name=value (URL-encoded) to the query q. */
void add_param(char *q, size_t cap, const char *name, const char *value);
/* A string member for a table on the terminal ("-" when absent or empty), control characters
 * made "?" (in place). */
const char *str_of(const cJSON *o, const char *key);
/* A whole number of text within [min, max], or -1. */
long number_in(const char *text, long min, long max);

/* The handlers, by group. */
int pki(int argc, char **argv);
int appointments_import(int argc, char **argv);
int fleet(int argc, char **argv);
int fleet_updates(int argc, char **argv);
int records_list(int argc, char **argv);
int ratings(int argc, char **argv);
int records_status(int argc, char **argv);
int registry_backup(int argc, char **argv);
int queue_show(int argc, char **argv);
int clerk_add_cmd(int argc, char **argv);
int clerk_change_cmd(int argc, char **argv);
int clerk_list_cmd(int argc, char **argv);
int clerk_audit_cmd(int argc, char **argv);
int queue_window(int argc, char **argv);
int queue_action(int argc, char **argv);
int command(int argc, char **argv);
int enroll(int argc, char **argv);
int receipt_verify_cmd(int argc, char **argv);
int declaration_cmd(int argc, char **argv);
int keys_new(int argc, char **argv);
int bundle_build(int argc, char **argv);
int root_build(int argc, char **argv);
int bundle_publish(int argc, char **argv);
int bundle_rollout(int argc, char **argv);
int staff_hash(int argc, char **argv);
int staff_pepper(int argc, char **argv);
int store_cmd(int argc, char **argv);

#endif
