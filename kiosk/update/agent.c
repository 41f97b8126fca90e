/* agent: see agent.h. */
#include "agent.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "file.h"
#include "log.h"

/* Test builds: KIOSK_UPDATE_KILL_AT=STEP kills the agent (SIGKILL, as a power cut would) when
 * it reaches STEP: downloaded, slot_cleared, file_written, manifest_written, linked. */
static void step(const char *name) {
    log_info("update", "step %s", name);
#ifdef KIOSK_TEST_HOOKS
    const char *kill_at = getenv("KIOSK_UPDATE_KILL_AT");
    if (kill_at && !strcmp(kill_at, name))
        raise(SIGKILL);
#endif
}

static void base_dir(const char *state_dir, const char *type, char *out, size_t cap) {
    snprintf(out, cap, "%s/%s", state_dir, type);
}

int64_t update_installed_serial(const char *state_dir, const char *type, char *version,
                                size_t vcap) {
    char base[700], path[800];
    base_dir(state_dir, type, base, sizeof base);
    snprintf(path, sizeof path, "%s/current/manifest.json", base);
    char *json = file_read(path, 4u << 20, NULL);
    cJSON *m = json ? cJSON_Parse(json) : NULL;
    const cJSON *serial = cJSON_GetObjectItem(m, "serial");
    int64_t n = cJSON_IsNumber(serial) ? (int64_t)serial->valuedouble : 0;
    if (version)
        snprintf(version, vcap, "%s",
                 cJSON_GetStringValue(cJSON_GetObjectItem(m, "version"))
                     ? cJSON_GetStringValue(cJSON_GetObjectItem(m, "version"))
                     : "");
    cJSON_Delete(m);
    free(json);
    return n;
}

static int sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* mkdir -p of the directories of path (not path itself). */
static int make_parents(const char *path) {
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

static int remove_tree(const char *path) {
    DIR *d = opendir(path);
    if (!d)
        return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char sub[1100];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        rc |= remove_tree(sub);
    }
    closedir(d);
    return rmdir(path) == 0 && rc == 0 ? 0 : -1;
}

static bool hash_is(const char *path, const char *sha) {
    size_t len = 0;
    char *data = file_read(path, 256u << 20, &len);
    uint8_t md[32];
    char hex[65];
    bool ok = data && crypto_sha256(data, len, md) == 0;
    free(data);
    if (!ok)
        return false;
    crypto_hex(md, sizeof md, hex);
    return !strcmp(hex, sha);
}

/* Every blob into downloads/, resumed and verified. */
static enum update_result download_all(const struct update_cfg *c, const char *base,
                                       const struct manifest *m, char *why, size_t cap) {
    char dl[800];
    snprintf(dl, sizeof dl, "%s/downloads", base);
    mkdir(dl, 0755);
    for (int i = 0; i < m->nfiles; i++) {
        const struct manifest_file *f = &m->files[i];
        char done[900], part[920], url[900];
        snprintf(done, sizeof done, "%s/%s", dl, f->sha256);
        if (hash_is(done, f->sha256))
            continue; /* already here from an earlier try */
        snprintf(part, sizeof part, "%s.part", done);
        struct stat st;
        if (stat(part, &st) == 0 && st.st_size > 0)
            log_info("update", "resuming %s at %lld bytes", f->path, (long long)st.st_size);
        if (stat(part, &st) == 0 && st.st_size > f->size)
            truncate(part, 0); /* longer than the file can be: start over */
        snprintf(url, sizeof url, "%s/v1/blobs/%s", c->registry, f->sha256);
        char err[300];
        if (http_download(&c->tls, url, part, 120000, err, sizeof err) != 0) {
            snprintf(why, cap, "download of %s: %s", f->path, err);
            return UPDATE_FAILED;
        }
        if (!hash_is(part, f->sha256)) {
            unlink(part); /* a wrong file is never resumed */
            snprintf(why, cap, "%s: its SHA-256 differs from the manifest's", f->path);
            return UPDATE_REJECTED;
        }
        if (rename(part, done) != 0) {
            snprintf(why, cap, "cannot keep the download of %s", f->path);
            return UPDATE_FAILED;
        }
    }
    step("downloaded");
    return UPDATE_INSTALLED;
}

static int copy_file(const char *from, const char *to, mode_t mode) {
    size_t len = 0;
    char *data = file_read(from, 256u << 20, &len);
    int fd = data ? open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) : -1;
    bool ok = fd >= 0 && write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    free(data);
    return ok ? 0 : -1;
}

/* The slot `current` does not point at ("a" when none is current). */
static const char *inactive_slot(const char *base) {
    char cur[800], target[64] = "";
    snprintf(cur, sizeof cur, "%s/current", base);
    ssize_t n = readlink(cur, target, sizeof target - 1);
    if (n > 0)
        target[n] = 0;
    return !strcmp(target, "slots/a") ? "b" : "a";
}

static enum update_result install(const char *base, const struct manifest *m, const char *json,
                                  char *why, size_t cap) {
    const char *slot = inactive_slot(base);
    char dir[800], slots[800];
    snprintf(slots, sizeof slots, "%s/slots", base);
    snprintf(dir, sizeof dir, "%s/slots/%s", base, slot);
    mkdir(slots, 0755);
    if (remove_tree(dir) != 0 && errno != ENOENT) {
        snprintf(why, cap, "cannot clear slot %s", slot);
        return UPDATE_FAILED;
    }
    mkdir(dir, 0755);
    step("slot_cleared");
    for (int i = 0; i < m->nfiles; i++) {
        char from[900], to[1100];
        snprintf(from, sizeof from, "%s/downloads/%s", base, m->files[i].sha256);
        snprintf(to, sizeof to, "%s/%s", dir, m->files[i].path);
        mode_t mode = !strncmp(m->files[i].path, "bin/", 4) ? 0755 : 0644;
        if (make_parents(to) != 0 || copy_file(from, to, mode) != 0) {
            snprintf(why, cap, "cannot install %s", m->files[i].path);
            return UPDATE_FAILED;
        }
        step("file_written");
    }
    /* the manifest last: a slot without it is incomplete and never made current */
    char mpath[900];
    snprintf(mpath, sizeof mpath, "%s/manifest.json", dir);
    int fd = open(mpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && write(fd, json, strlen(json)) == (ssize_t)strlen(json) && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    if (!ok || sync_dir(dir) != 0) {
        snprintf(why, cap, "cannot write the slot's manifest");
        return UPDATE_FAILED;
    }
    step("manifest_written");
    /* a release runs on trial until it reports healthy: the launcher rolls back otherwise */
    if (!strcmp(m->type, "release")) {
        char trial[800], cur[800], prev[64] = "";
        snprintf(cur, sizeof cur, "%s/current", base);
        ssize_t n = readlink(cur, prev, sizeof prev - 1);
        prev[n > 0 ? n : 0] = 0;
        snprintf(trial, sizeof trial, "%s/trial.json", base);
        FILE *f = fopen(trial, "w");
        bool tok = f && fprintf(f, "{\"slot\":\"slots/%s\",\"previous\":\"%s\",\"serial\":%lld}\n",
                                slot, prev, (long long)m->serial) > 0;
        if (f)
            tok = fflush(f) == 0 && fsync(fileno(f)) == 0 && fclose(f) == 0 && tok;
        if (!tok) {
            snprintf(why, cap, "cannot write the trial marker");
            return UPDATE_FAILED;
        }
    }
    char link_tmp[800], link_cur[800], target[32];
    snprintf(link_tmp, sizeof link_tmp, "%s/current.new", base);
    snprintf(link_cur, sizeof link_cur, "%s/current", base);
    snprintf(target, sizeof target, "slots/%s", slot);
    unlink(link_tmp);
    if (symlink(target, link_tmp) != 0) {
        snprintf(why, cap, "cannot make the new link");
        return UPDATE_FAILED;
    }
    step("linked");
    if (rename(link_tmp, link_cur) != 0 || sync_dir(base) != 0) {
        snprintf(why, cap, "cannot switch to slot %s", slot);
        return UPDATE_FAILED;
    }
    step("switched");
    return UPDATE_INSTALLED;
}

/* Serials the launcher rolled back (bad_serials, one a line) are never installed again. */
static bool rolled_back(const char *base, int64_t serial) {
    char path[800];
    snprintf(path, sizeof path, "%s/bad_serials", base);
    char *text = file_read(path, 1 << 16, NULL);
    bool bad = false;
    for (char *line = text ? strtok(text, "\n") : NULL; line && !bad; line = strtok(NULL, "\n"))
        bad = atoll(line) == serial;
    free(text);
    return bad;
}

enum update_result update_run(const struct update_cfg *c, char *version, size_t vcap, char *why,
                              size_t cap) {
    char base[700], url[900];
    base_dir(c->state_dir, c->type, base, sizeof base);
    mkdir(c->state_dir, 0700);
    mkdir(base, 0755);
    int64_t installed = update_installed_serial(c->state_dir, c->type, version, vcap);
    snprintf(url, sizeof url, "%s/v1/%s/%s", c->registry,
             !strcmp(c->type, "release") ? "releases" : "content", c->channel);
    struct http_reply r;
    if (http_request(&c->tls, url, NULL, 30000, &r) != 0 || (r.status != 200 && r.status != 404)) {
        snprintf(why, cap, "%s", r.status ? "the registry answered an error" : r.error);
        http_reply_free(&r);
        return UPDATE_FAILED;
    }
    if (r.status == 404) {
        http_reply_free(&r);
        snprintf(why, cap, "nothing published on channel %s", c->channel);
        return UPDATE_NOTHING_NEW;
    }
    struct manifest *m = calloc(1, sizeof *m);
    if (!m) {
        http_reply_free(&r);
        return UPDATE_FAILED;
    }
    char detail[200];
    enum manifest_err e =
        manifest_verify(r.body, &c->trust, c->type, installed, (int64_t)time(NULL), c->hardware, m,
                        detail, sizeof detail);
    enum update_result res;
    if (e == MANIFEST_OLD_SERIAL && m->serial == installed) {
        snprintf(why, cap, "serial %lld is installed", (long long)installed);
        res = UPDATE_NOTHING_NEW;
    } else if (e != MANIFEST_OK) {
        snprintf(why, cap, "%s (%s)", manifest_strerror(e), detail);
        log_warn("update", "%s %s rejected: %s", c->type, m->version, why);
        res = UPDATE_REJECTED;
    } else if (rolled_back(base, m->serial)) {
        snprintf(why, cap, "serial %lld was rolled back on this kiosk", (long long)m->serial);
        log_warn("update", "%s %s refused: %s", c->type, m->version, why);
        res = UPDATE_REJECTED;
    } else {
        log_info("update", "%s %s (serial %lld) verified; installing", c->type, m->version,
                 (long long)m->serial);
        res = download_all(c, base, m, why, cap);
        if (res == UPDATE_INSTALLED)
            res = install(base, m, r.body, why, cap);
        if (res == UPDATE_INSTALLED) {
            snprintf(version, vcap, "%s", m->version);
            log_info("update", "%s %s is current", c->type, m->version);
        } else {
            log_warn("update", "%s %s not installed: %s", c->type, m->version, why);
        }
    }
    free(m);
    http_reply_free(&r);
    return res;
}

int update_content_dir(const char *state_dir, char *out, size_t cap) {
    char probe[900];
    snprintf(out, cap, "%s/content/current", state_dir);
    snprintf(probe, sizeof probe, "%s/i18n/zh-CN.ini", out);
    return access(probe, R_OK) == 0 ? 0 : -1;
}

char *update_state_json(const char *state_dir) {
    cJSON *o = cJSON_CreateObject();
    static const char *const types[] = {"release", "content"};
    for (int i = 0; i < 2; i++) {
        char version[64] = "";
        int64_t serial = update_installed_serial(state_dir, types[i], version, sizeof version);
        cJSON *t = cJSON_AddObjectToObject(o, types[i]);
        cJSON_AddStringToObject(t, "version", version);
        cJSON_AddNumberToObject(t, "serial", (double)serial);
    }
    char path[800];
    snprintf(path, sizeof path, "%s/release/rollback.json", state_dir);
    char *rb = file_read(path, 4096, NULL);
    cJSON *rj = rb ? cJSON_Parse(rb) : NULL;
    if (rj)
        cJSON_AddItemToObject(o, "rollback", rj);
    free(rb);
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

int update_rollback(const char *state_dir, char *why, size_t cap) {
    char base[700], cur[800], target[64] = "", other[64], manifest[900];
    base_dir(state_dir, "release", base, sizeof base);
    snprintf(cur, sizeof cur, "%s/current", base);
    ssize_t n = readlink(cur, target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    if (!target[0]) {
        snprintf(why, cap, "no release is installed");
        return -1;
    }
    snprintf(other, sizeof other, "slots/%s", !strcmp(target, "slots/a") ? "b" : "a");
    snprintf(manifest, sizeof manifest, "%s/%s/manifest.json", base, other);
    if (access(manifest, R_OK) != 0) {
        snprintf(why, cap, "there is no previous release to go back to");
        return -1;
    }
    int64_t serial = update_installed_serial(state_dir, "release", NULL, 0);
    char tmp[800], bad[800];
    snprintf(tmp, sizeof tmp, "%s/current.rollback", base);
    unlink(tmp);
    if (symlink(other, tmp) != 0 || rename(tmp, cur) != 0 || sync_dir(base) != 0) {
        snprintf(why, cap, "cannot switch to %s", other);
        return -1;
    }
    snprintf(bad, sizeof bad, "%s/bad_serials", base);
    FILE *f = fopen(bad, "a");
    if (f) {
        fprintf(f, "%lld\n", (long long)serial);
        fclose(f);
    }
    log_warn("update", "release serial %lld rolled back by staff to %s", (long long)serial, other);
    return 0;
}
