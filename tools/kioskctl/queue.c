/* kioskctl queue: the office queue at the registry (registry/queue.h) from a shell: its
 * windows, today's tickets, and a window's calls, for an operator or a window without the
 * clerk console. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "kioskctl.h"

static const char *str_or(const cJSON *o, const char *k) {
    const char *s = json_str(o, k);
    return s ? s : "";
}

/* kioskctl queue show OFFICE [--json]: the windows and today's tickets, as tables. */
int queue_show(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0)
        return 2;
    if (o.npos != 1)
        return cmd_bad(o.npos ? o.pos[1] : "OFFICE", o.npos ? "one argument too many" : "is needed");
    char api[200] = "/v1/admin/queue";
    add_param(api, sizeof api, "office", o.pos[0]);
    if (o.json)
        return admin_call(&o, api, NULL, NULL, NULL);
    cJSON *root;
    if (admin_get(&o, api, &root) != 0)
        return 1;
    const cJSON *x;
    printf("%-6s  %-16s  %-20s  %-5s  %s\n", "window", "name", "room", "every", "types");
    cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "windows"))
        printf("%-6s  %-16s  %-20s  %-5d  %s\n", str_or(x, "id"), str_or(x, "name"),
               str_or(x, "room"), (int)json_int(x, "every", 0, 100, 0), str_or(x, "types"));
    printf("\n%-6s  %-8s  %-17s  %-20s  %-8s  %-6s  %s\n", "ticket", "number", "business", "room",
           "status", "window", "calls");
    cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "tickets"))
        printf("%-6lld  %-8s  %-17s  %-20s  %-8s  %-6s  %d\n",
               (long long)json_int(x, "id", 0, 1LL << 53, 0), str_or(x, "queue_no"),
               str_or(x, "business"), str_or(x, "room"), str_or(x, "status"), str_or(x, "window"),
               (int)json_int(x, "calls", 0, 1000, 0));
    printf("\n%d waiting\n", (int)json_int(root, "waiting", 0, 1 << 30, 0));
    cJSON_Delete(root);
    return 0;
}

/* kioskctl queue window OFFICE ID TYPES [--name N] [--room R] [--every K]: a window serving
 * TYPES (comma-separated business codes: marriage, joint, divorce_apply, ...). */
int queue_window(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0)
        return 2;
    if (o.npos != 3)
        return cmd_bad(o.npos < 3 ? "OFFICE ID TYPES" : o.pos[3],
                       o.npos < 3 ? "are needed" : "one argument too many");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "office", o.pos[0]);
    cJSON_AddStringToObject(c, "id", o.pos[1]);
    cJSON_AddStringToObject(c, "types", o.pos[2]);
    if (o.name)
        cJSON_AddStringToObject(c, "name", o.name);
    if (o.room)
        cJSON_AddStringToObject(c, "room", o.room);
    if (o.every)
        cJSON_AddNumberToObject(c, "every", atoi(o.every));
    return admin_post(&o, "/v1/admin/queue/windows", c);
}

/* kioskctl queue call OFFICE WINDOW; queue recall|no-show|done OFFICE TICKET; queue transfer
 * OFFICE TICKET window:ID|room:NAME. The answer: {"ticket": ID} (null: nothing waiting). */
int queue_action(int argc, char **argv) {
    struct admin_args o;
    const char *verb = argv[2];
    bool transfer = !strcmp(verb, "transfer"), call = !strcmp(verb, "call");
    if (admin_args(&o, argc, argv, 3) != 0)
        return 2;
    int need = transfer ? 3 : 2;
    if (o.npos != need)
        return cmd_bad(o.npos < need ? (transfer ? "OFFICE TICKET TO" : call ? "OFFICE WINDOW" : "OFFICE TICKET")
                                     : o.pos[need],
                       o.npos < need ? "are needed" : "one argument too many");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "office", o.pos[0]);
    if (call) {
        cJSON_AddStringToObject(c, "window", o.pos[1]);
    } else {
        cJSON_AddNumberToObject(c, "ticket", atof(o.pos[1]));
        cJSON_AddStringToObject(c, "action", !strcmp(verb, "no-show") ? "no_show" : verb);
        if (transfer)
            cJSON_AddStringToObject(c, "to", o.pos[2]);
    }
    return admin_post(&o, call ? "/v1/admin/queue/call" : "/v1/admin/queue/ticket", c);
}
