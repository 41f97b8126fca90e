/* registry: the admin API's tables: appointments import, fleet, fleet updates, records, commands. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "file.h"
#include "json.h"
#include "kioskctl.h"

int appointments_import(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 1)
        return cmd_usage();
    FILE *f = fopen(o.pos[0], "rb");
    if (!f) {
        fprintf(stderr, "kioskctl: cannot read %s\n", o.pos[0]);
        return 1;
    }
    static char body[1 << 22];
    size_t n = fread(body, 1, sizeof body - 1, f);
    bool whole = feof(f);
    fclose(f);
    if (!whole) {
        fprintf(stderr, "kioskctl: %s is larger than 4 MiB; split it\n", o.pos[0]);
        return 1;
    }
    body[n] = 0;
    size_t len = strlen(o.pos[0]);
    bool csv = len > 4 && !strcasecmp(o.pos[0] + len - 4, ".csv");
    return admin_call(&o, "/v1/admin/appointments", body, csv ? "text/csv" : NULL, NULL);
}

/* kioskctl fleet [--json]: every kiosk's last heartbeat, as a table an operator reads at a
 * glance, and each office's 好差评 under it (--json: the registry's answer as it is). */
int fleet(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 2) != 0 || o.npos != 0)
        return cmd_usage();
    if (o.json)
        return admin_call(&o, "/v1/admin/fleet", NULL, NULL, NULL);
    cJSON *root;
    if (admin_get(&o, "/v1/admin/fleet", &root) != 0)
        return 1;
    printf("%-16s %-6s %-8s %-8s %-10s %-10s %-7s %-27s %s\n", "kiosk", "office", "seen", "version",
           "release", "content", "backlog", "reader/printer/scanner", "update");
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItem(root, "kiosks")) {
        const cJSON *last = cJSON_GetObjectItem(k, "last"),
                    *dev = cJSON_GetObjectItem(last, "devices");
        double age = cJSON_GetNumberValue(cJSON_GetObjectItem(k, "age_s"));
        char seen[16], devices[64], update[160] = "-";
        snprintf(seen, sizeof seen,
                 age < 120    ? "%.0fs ago"
                 : age < 7200 ? "%.0fm ago"
                              : "%.0fh ago",
                 age < 120    ? age
                 : age < 7200 ? age / 60
                              : age / 3600);
        snprintf(devices, sizeof devices, "%s/%s/%s", str_of(dev, "reader"), str_of(dev, "printer"),
                 str_of(dev, "scanner"));
        /* the latest step of an update, else the last rollback */
        for (int i = 0; i < 2; i++) {
            const cJSON *p = cJSON_GetObjectItem(
                cJSON_GetObjectItem(last, i ? "content" : "release"), "progress");
            const char *step = cJSON_GetStringValue(cJSON_GetObjectItem(p, "step"));
            if (!step || !strcmp(step, "installed"))
                continue;
            double done = cJSON_GetNumberValue(cJSON_GetObjectItem(p, "done")),
                   total = cJSON_GetNumberValue(cJSON_GetObjectItem(p, "total"));
            snprintf(update, sizeof update, "%s %s %s", i ? "content" : "release",
                     str_of(p, "version"), step);
            if (!strcmp(step, "downloading") && total > 0)
                snprintf(update + strlen(update), sizeof update - strlen(update), " %.0f%%",
                         done * 100 / total);
            else if (strcmp(str_of(p, "detail"), "-"))
                snprintf(update + strlen(update), sizeof update - strlen(update), ": %s",
                         str_of(p, "detail"));
        }
        const cJSON *rb = cJSON_GetObjectItem(last, "rollback");
        if (!strcmp(update, "-") && rb)
            snprintf(update, sizeof update, "rolled back serial %.0f: %s",
                     cJSON_GetNumberValue(cJSON_GetObjectItem(rb, "serial")), str_of(rb, "reason"));
        printf("%-16s %-6s %-8s %-8s %-10s %-10s %-7.0f %-27s %s\n", str_of(k, "kiosk"),
               str_of(k, "office"), seen, str_of(last, "version"),
               str_of(cJSON_GetObjectItem(last, "release"), "version"),
               str_of(cJSON_GetObjectItem(last, "content"), "version"),
               cJSON_GetNumberValue(cJSON_GetObjectItem(last, "backlog")), devices, update);
    }
    cJSON_Delete(root);
    /* under the kiosks: each office's 好差评, all services (kioskctl ratings has them apart) */
    if (admin_get(&o, "/v1/admin/ratings", &root) != 0)
        return 1;
    char office[16] = "";
    long long total = 0, satisfied = 0;
    const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "ratings"), 0);
    for (;;) {
        if ((!row || strcmp(str_of(row, "office"), office)) && office[0] && total)
            printf("好差评 %s: %lld ratings, %.0f%% satisfied\n", office, total,
                   100.0 * (double)satisfied / (double)total);
        if (!row)
            break;
        if (strcmp(str_of(row, "office"), office)) {
            snprintf(office, sizeof office, "%s", str_of(row, "office"));
            total = satisfied = 0;
        }
        int64_t level = json_int(row, "level", 1, 5, 0), count = json_int(row, "count", 0, INT64_MAX, 0);
        total += count;
        satisfied += level >= 4 ? count : 0;
        row = row->next;
    }
    cJSON_Delete(root);
    return 0;
}

/* kioskctl fleet updates [--kiosk ID] [--json]: the steps kiosks reported of their updates,
 * newest first, as a table (--json: the registry's answer). */
int fleet_updates(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 0)
        return cmd_usage();
    char api[400] = "/v1/admin/update-events";
    add_param(api, sizeof api, "kiosk", o.kiosk);
    if (o.json)
        return admin_call(&o, api, NULL, NULL, NULL);
    cJSON *root;
    if (admin_get(&o, api, &root) != 0)
        return 1;
    printf("%-19s  %-16s %-8s %-8s %-9s %-12s %s\n", "time (kiosk's)", "kiosk", "type", "serial",
           "version", "step", "detail");
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(root, "events")) {
        char when[32];
        caltime_format(json_int(e, "at", 0, INT64_C(1) << 40, 0), "%Y-%m-%d %H:%M:%S", when,
                       sizeof when);
        printf("%-19s  %-16s %-8s %-8.0f %-9s %-12s %s\n", when, str_of(e, "kiosk"),
               str_of(e, "type"), cJSON_GetNumberValue(cJSON_GetObjectItem(e, "serial")),
               str_of(e, "version"), str_of(e, "step"), str_of(e, "detail"));
    }
    cJSON_Delete(root);
    return 0;
}

int records_list(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 0)
        return cmd_usage();
    char api[600] = "/v1/admin/records";
    add_param(api, sizeof api, "kiosk", o.kiosk);
    add_param(api, sizeof api, "office", o.office);
    add_param(api, sizeof api, "limit", o.limit);
    if (o.json)
        return admin_call(&o, api, NULL, NULL, NULL);
    cJSON *root;
    if (admin_get(&o, api, &root) != 0)
        return 1;
    const cJSON *rec;
    printf("%-36s  %-11s  %-16s  %-6s  %-19s  %-17s  %s\n", "id", "kind", "kiosk", "office",
           "received", "business", "queue");
    cJSON_ArrayForEach(rec, cJSON_GetObjectItem(root, "records")) {
        char when[32];
        caltime_format(json_int(rec, "received", 0, INT64_C(1) << 40, 0), "%Y-%m-%d %H:%M:%S",
                       when, sizeof when);
        printf("%-36s  %-11s  %-16s  %-6s  %-19s  %-17s  %s\n", str_of(rec, "id"),
               str_of(rec, "kind"), str_of(rec, "kiosk"), str_of(rec, "office"), when,
               str_of(rec, "business"), str_of(rec, "queue_no"));
    }
    cJSON_Delete(root);
    return 0;
}

/* kioskctl ratings [--office CODE] [--json]: 好差评 by office and service, each level counted,
 * and the share of 非常满意 and 满意. */
int ratings(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 2) != 0 || o.npos != 0)
        return cmd_usage();
    char api[300] = "/v1/admin/ratings";
    add_param(api, sizeof api, "office", o.office);
    if (o.json)
        return admin_call(&o, api, NULL, NULL, NULL);
    cJSON *root;
    if (admin_get(&o, api, &root) != 0)
        return 1;
    printf("%-6s  %-9s  %6s  %6s  %6s  %6s  %6s  %6s  %s\n", "office", "service", "非常满意",
           "满意", "基本满意", "不满意", "非常不满意", "total", "satisfied");
    /* the rows come by office and service, levels from 5 down: one line each */
    char office[16] = "", service[16] = "";
    int64_t n[6] = {0}, total = 0;
    const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "ratings"), 0);
    for (;;) {
        bool same = row && !strcmp(str_of(row, "office"), office) &&
                    !strcmp(str_of(row, "service"), service);
        if (!same && office[0]) {
            printf("%-6s  %-9s  %6lld  %6lld  %6lld  %6lld  %6lld  %6lld  %.0f%%\n", office, service,
                   (long long)n[5], (long long)n[4], (long long)n[3], (long long)n[2],
                   (long long)n[1], (long long)total,
                   total ? 100.0 * (double)(n[5] + n[4]) / (double)total : 0.0);
            memset(n, 0, sizeof n);
            total = 0;
        }
        if (!row)
            break;
        snprintf(office, sizeof office, "%s", str_of(row, "office"));
        snprintf(service, sizeof service, "%s", str_of(row, "service"));
        int64_t level = json_int(row, "level", 1, 5, 0), count = json_int(row, "count", 0, INT64_MAX, 0);
        n[level] += count;
        total += count;
        row = row->next;
    }
    cJSON_Delete(root);
    return 0;
}

/* kioskctl command send KIOSK CMD [TEXT] | command list [--kiosk K] */
int command(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0)
        return cmd_usage();
    if (!strcmp(argv[2], "list") && o.npos == 0) {
        char api[300] = "/v1/admin/commands";
        add_param(api, sizeof api, "kiosk", o.kiosk);
        return admin_call(&o, api, NULL, NULL, NULL);
    }
    if (strcmp(argv[2], "send") != 0 || o.npos < 2 || o.npos > 3)
        return cmd_usage();
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "kiosk", o.pos[0]);
    cJSON_AddStringToObject(c, "command", o.pos[1]);
    cJSON_AddStringToObject(c, "arg", o.npos == 3 ? o.pos[2] : "");
    return admin_post(&o, "/v1/admin/commands", c);
}

int records_status(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0)
        return 2;
    if (o.npos != 2)
        return cmd_bad(o.npos < 2 ? "RECORD STATUS" : o.pos[2], o.npos < 2 ? "are needed" : "one argument too many");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "id", o.pos[0]);
    cJSON_AddStringToObject(c, "status", o.pos[1]);
    if (o.reason)
        cJSON_AddStringToObject(c, "reason", o.reason);
    if (o.kiosk)
        cJSON_AddStringToObject(c, "kiosk", o.kiosk);
    return admin_post(&o, "/v1/admin/records/status", c);
}

/* kioskctl registry backup: a consistent copy of the registry's database while it serves,
 * made by registryd in its data folder's backups/ (SQLite; PostgreSQL answers how to use
 * pg_dump instead). The copy holds the payloads sealed; the data key is backed up apart. */
int registry_backup(int argc, char **argv) {
    struct admin_args o;
    if (admin_args(&o, argc, argv, 3) != 0 || o.npos != 0)
        return cmd_usage();
    return admin_call(&o, "/v1/admin/backup", "{}", NULL, NULL);
}
