/* kioskctl clerk: the clerk console's accounts at the registry (registry/clerks.h): add, list,
 * a new password, unlock, disable and enable, and the console's audit log. A password is read
 * from standard input (its first line), asked for without echo on a terminal; never from the
 * command line, where ps and the shell's history would show it. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "kioskctl.h"

/* The password's line into buf: 0, or -1 when there is none. */
static int read_password(char *buf, size_t cap) {
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fprintf(stderr, "password (at least 10 characters, not only digits): ");
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    bool got = fgets(buf, (int)cap, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    buf[got ? strcspn(buf, "\r\n") : 0] = 0;
    if (!buf[0]) {
        fprintf(stderr, "kioskctl: no password on standard input\n");
        return -1;
    }
    return 0;
}

/* kioskctl clerk add ID --office O --name NAME (password on stdin) */
int clerk_add_cmd(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0)
        return 2;
    if (o.npos != 1 || !o.office || !o.name)
        return cmd_bad(o.npos > 1 ? o.pos[1] : "ID --office O --name NAME",
                       o.npos > 1 ? "one argument too many" : "are needed");
    char pw[256];
    if (read_password(pw, sizeof pw) != 0)
        return 2;
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "id", o.pos[0]);
    cJSON_AddStringToObject(c, "office", o.office);
    cJSON_AddStringToObject(c, "name", o.name);
    cJSON_AddStringToObject(c, "password", pw);
    explicit_bzero(pw, sizeof pw);
    int rc = admin_post(&o, "/v1/admin/clerks", c);
    if (rc == 0)
        fprintf(stderr, "clerk %s of office %s made\n", o.pos[0], o.office);
    return rc;
}

/* kioskctl clerk passwd|unlock|disable|enable ID */
int clerk_change_cmd(int argc, char **argv) {
    struct admin_args o;
    const char *verb = argv[2];
    if (admin_args(&o, argc, argv, 3) != 0)
        return 2;
    if (o.npos != 1)
        return cmd_bad(o.npos ? o.pos[1] : "ID", o.npos ? "one argument too many" : "is needed");
    cJSON *c = cJSON_CreateObject();
    if (!strcmp(verb, "passwd")) {
        char pw[256];
        if (read_password(pw, sizeof pw) != 0) {
            cJSON_Delete(c);
            return 2;
        }
        cJSON_AddStringToObject(c, "password", pw);
        explicit_bzero(pw, sizeof pw);
    } else if (!strcmp(verb, "unlock")) {
        cJSON_AddTrueToObject(c, "unlock");
    } else {
        cJSON_AddBoolToObject(c, "disabled", !strcmp(verb, "disable"));
    }
    char api[200] = "/v1/admin/clerks/";
    strncat(api, o.pos[0], sizeof api - strlen(api) - 1);
    return admin_post(&o, api, c);
}

static const char *when(const cJSON *o, const char *key, char *buf, size_t cap) {
    time_t t = (time_t)json_int(o, key, 0, 1LL << 40, 0);
    struct tm tm;
    if (!t || !localtime_r(&t, &tm))
        return "-";
    strftime(buf, cap, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

/* kioskctl clerk list|audit [--office O] [--limit N] [--json]: GET api with them; with --json
 * the answer as it is (*root NULL), else parsed into *root for a table. 0, or the exit code. */
static int fetch(int argc, char **argv, const char *api_base, cJSON **root) {
    struct admin_args o;
    *root = NULL;
    if (admin_args(&o, argc, argv, 3) != 0)
        return 2;
    if (o.npos)
        return cmd_bad(o.pos[0], "is not an argument of this command");
    char api[200];
    snprintf(api, sizeof api, "%s", api_base);
    add_param(api, sizeof api, "office", o.office);
    add_param(api, sizeof api, "limit", o.limit);
    if (o.json)
        return admin_call(&o, api, NULL, NULL, NULL);
    return admin_get(&o, api, root) != 0 ? 1 : 0;
}

/* kioskctl clerk list [--office O] [--json] */
int clerk_list_cmd(int argc, char **argv) {
    cJSON *root;
    int rc = fetch(argc, argv, "/v1/admin/clerks", &root);
    if (rc != 0 || !root)
        return rc;
    const cJSON *x;
    long long now = (long long)time(NULL);
    printf("%-20s  %-7s  %-16s  %-8s  %-16s  %s\n", "clerk", "office", "name", "state",
           "last login", "wrong passwords");
    cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "clerks")) {
        char b[32];
        const char *state = json_int(x, "disabled", 0, 1, 0)                     ? "disabled"
                            : json_int(x, "locked_until", 0, 1LL << 40, 0) > now ? "locked"
                                                                                 : "active";
        printf("%-20s  %-7s  %-16s  %-8s  %-16s  %d\n", str_of(x, "id"), str_of(x, "office"),
               str_of(x, "name"), state, when(x, "last_login", b, sizeof b),
               (int)json_int(x, "failures", 0, 1000, 0));
    }
    cJSON_Delete(root);
    return 0;
}

/* kioskctl clerk audit [--office O] [--limit N] [--json] */
int clerk_audit_cmd(int argc, char **argv) {
    cJSON *root;
    int rc = fetch(argc, argv, "/v1/admin/clerk-audit", &root);
    if (rc != 0 || !root)
        return rc;
    const cJSON *x;
    printf("%-16s  %-20s  %-7s  %-16s  %-38s  %s\n", "at", "who", "office", "action", "target",
           "detail");
    cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "audit")) {
        char b[32];
        printf("%-16s  %-20s  %-7s  %-16s  %-38s  %s\n", when(x, "at", b, sizeof b),
               str_of(x, "clerk"), str_of(x, "office"), str_of(x, "action"), str_of(x, "target"),
               str_of(x, "detail"));
    }
    cJSON_Delete(root);
    return 0;
}
