/* idcard_json: see idcard_json.h (cJSON). */
#include "file.h"
#include "idcard_json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jfield {
    const char *key;
    size_t off, size;
    int date; /* YYYY-MM-DD in JSON, YYYYMMDD on the card */
};

#define J(key, member, date)                                                                       \
    { key, offsetof(struct idcard_info, member), sizeof(((struct idcard_info *)0)->member), date }

static const struct jfield fields[] = {
    J("name", name, 0),
    J("name_en", name_en, 0),
    J("sex_code", sex_code, 0),
    J("ethnicity_code", ethnicity_code, 0),
    J("nationality", nationality, 0),
    J("birth", birth, 1),
    J("address", address, 0),
    J("id_number", id_number, 0),
    J("authority", authority, 0),
    J("valid_from", valid_from, 1),
    J("valid_to", valid_to, 1),
    J("pass_number", pass_number, 0),
    J("issue_count", issue_count, 0),
};

static int is_date8(const char *s) {
    return strlen(s) == 8 && strspn(s, "0123456789") == 8;
}

int idcard_json_load(const char *path, struct idcard_info *info, char *err, size_t errsize) {
    memset(info, 0, sizeof *info);
    char *text = file_read(path, 65536, NULL);
    if (!text) {
        snprintf(err, errsize, "cannot read %s", path);
        return -1;
    }
    cJSON *root = cJSON_Parse(text);
    explicit_bzero(text, strlen(text));
    free(text);
    if (!cJSON_IsObject(root)) {
        snprintf(err, errsize, "%s is not a JSON object", path);
        cJSON_Delete(root);
        return -1;
    }
    int rc = 0;
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(root, "card_type"));
    if (!type || !strcmp(type, "resident"))
        info->type = IDCARD_RESIDENT;
    else if (!strcmp(type, "hkmt_residence"))
        info->type = IDCARD_HKMT_RESIDENCE;
    else if (!strcmp(type, "foreign_permanent"))
        info->type = IDCARD_FOREIGN_PERMANENT;
    else if (!strcmp(type, "foreign_permanent_2023"))
        info->type = IDCARD_FOREIGN_PERMANENT_23;
    else {
        snprintf(err, errsize, "%s: unknown card_type", path);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < sizeof fields / sizeof fields[0]; i++) {
        const cJSON *v = cJSON_GetObjectItem(root, fields[i].key);
        if (!v)
            continue;
        const char *s = cJSON_GetStringValue(v);
        char *dst = (char *)info + fields[i].off;
        char tmp[32];
        if (!s) {
            snprintf(err, errsize, "%s: %s must be a string", path, fields[i].key);
            rc = -1;
            break;
        }
        if (fields[i].date && strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
            snprintf(tmp, sizeof tmp, "%.4s%.2s%.2s", s, s + 5, s + 8);
            s = tmp;
        }
        if (strlen(s) >= fields[i].size) {
            snprintf(err, errsize, "%s: %s is too long", path, fields[i].key);
            rc = -1;
            break;
        }
        memcpy(dst, s, strlen(s) + 1);
    }
    cJSON_Delete(root);
    if (rc != 0)
        explicit_bzero(info, sizeof *info);
    return rc;
}

static void add(cJSON *o, const char *key, const char *v) {
    cJSON_AddStringToObject(o, key, v ? v : "");
}

char *idcard_json_format(const struct idcard_info *info) {
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    add(o, "card_type", idcard_type_name(info->type));
    add(o, "name", info->name);
    add(o, "sex", idcard_sex_name(info->sex_code));
    add(o, "sex_code", info->sex_code);
    if (info->type == IDCARD_RESIDENT) {
        add(o, "ethnicity", idcard_ethnicity_name(info->ethnicity_code));
        add(o, "ethnicity_code", info->ethnicity_code);
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = (const char *)info + fields[i].off;
        if (!strcmp(fields[i].key, "name") || !strcmp(fields[i].key, "sex_code") ||
            !strcmp(fields[i].key, "ethnicity_code"))
            continue;
        if (!v[0] &&
            (!strcmp(fields[i].key, "name_en") || !strcmp(fields[i].key, "nationality") ||
             !strcmp(fields[i].key, "pass_number") || !strcmp(fields[i].key, "issue_count")))
            continue;
        char tmp[16];
        if (fields[i].date && is_date8(v)) {
            snprintf(tmp, sizeof tmp, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
            v = tmp;
        }
        add(o, fields[i].key, v);
    }
    cJSON_AddNumberToObject(o, "photo_wlt_size", (double)info->photo_len);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}
