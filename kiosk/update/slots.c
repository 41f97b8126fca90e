/* slots: see slots.h. */
#include "slots.h"

#include <cjson/cJSON.h>
#include "num.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "file.h"

void slots_current(const char *base, char *out, size_t cap) {
    char cur[800];
    snprintf(cur, sizeof cur, "%s/current", base);
    ssize_t n = cap ? readlink(cur, out, cap - 1) : -1;
    if (cap)
        out[n > 0 ? n : 0] = 0;
}

int slots_sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int slots_switch(const char *base, const char *target) {
    char tmp[800], cur[800];
    snprintf(tmp, sizeof tmp, "%s/current.new", base);
    snprintf(cur, sizeof cur, "%s/current", base);
    if (!target[0])
        return (unlink(cur) == 0 || access(cur, F_OK) != 0) && slots_sync_dir(base) == 0 ? 0 : -1;
    unlink(tmp);
    if (symlink(target, tmp) != 0 || rename(tmp, cur) != 0)
        return -1;
    return slots_sync_dir(base);
}

static const char *const reason_names[] = {"crashed", "silent", "devices", "staff",
                                           "unloadable"};

const char *slots_reason_name(enum slots_reason r) {
    return (unsigned)r < sizeof reason_names / sizeof *reason_names ? reason_names[r] : "";
}

int slots_reason_of(const char *name) {
    for (size_t i = 0; name && i < sizeof reason_names / sizeof *reason_names; i++)
        if (!strcmp(name, reason_names[i]))
            return (int)i;
    return -1;
}

int slots_mark_bad(const char *base, int64_t serial, enum slots_reason code, const char *reason) {
    char p[800];
    snprintf(p, sizeof p, "%s/bad_serials", base);
    FILE *f = fopen(p, "a");
    int ok = f && fprintf(f, "%lld\n", (long long)serial) > 0;
    if (f)
        ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && fclose(f) == 0 && ok;
    /* written by cJSON: a reason may hold any character */
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "serial", (double)serial);
    cJSON_AddStringToObject(o, "reason", reason);
    cJSON_AddStringToObject(o, "code", slots_reason_name(code));
    cJSON_AddNumberToObject(o, "at", (double)time(NULL));
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    snprintf(p, sizeof p, "%s/rollback.json", base);
    ok = text && file_replace(p, text) == 0 && ok;
    free(text);
    return ok ? 0 : -1;
}

bool slots_is_bad(const char *base, int64_t serial) {
    char path[800];
    snprintf(path, sizeof path, "%s/bad_serials", base);
    char *text = file_read(path, 1 << 16, NULL);
    bool bad = false;
    char *save = NULL;
    for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line && !bad;
         line = strtok_r(NULL, "\n", &save))
        bad = num_i64_or(line, 1, INT64_MAX, 0) == serial;
    free(text);
    return bad;
}
