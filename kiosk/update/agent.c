/* agent: see agent.h. */
#include "json.h"
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
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "caltime.h"
#include "crypto.h"
#include "file.h"
#include "log.h"
#include "num.h"
#include "slots.h"

/* Test builds: KIOSK_UPDATE_KILL_AT=STEP kills the agent (SIGKILL, as a power cut would) when
 * it reaches STEP: downloaded, slot_cleared, file_written, manifest_written, linked (just
 * before the atomic switch), switched. */
static void step(const char *name) {
    log_debug("update", "step %s", name);
#ifdef KIOSK_TEST_HOOKS
    const char *kill_at = getenv("KIOSK_UPDATE_KILL_AT");
    if (kill_at && !strcmp(kill_at, name))
        raise(SIGKILL);
#endif
}

static void base_dir(const char *state_dir, const char *type, char *out, size_t cap) {
    snprintf(out, cap, "%s/%s", state_dir, type);
}

/* One install under way: its progress as the registry and admin mode see it. */
static const struct clock_src *clock_of(const struct update_cfg *c) {
    return c->clock ? c->clock : clock_system();
}

struct run {
    const struct update_cfg *c;
    const char *base;
    struct update_progress p;
    time_t last_report; /* of a download's progress */
};

static cJSON *progress_json(const struct update_progress *p) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "version", p->version);
    cJSON_AddNumberToObject(o, "serial", (double)p->serial);
    cJSON_AddStringToObject(o, "step", p->step);
    cJSON_AddStringToObject(o, "detail", p->detail);
    cJSON_AddNumberToObject(o, "done", (double)p->done);
    cJSON_AddNumberToObject(o, "total", (double)p->total);
    cJSON_AddNumberToObject(o, "at", (double)p->at);
    return o;
}

static int64_t num(const cJSON *o, const char *key) {
    return json_int(o, key, INT64_MIN / 2, INT64_MAX / 2, 0); /* NaN or past int64: 0 */
}

static void progress_from(const cJSON *o, const char *type, struct update_progress *p) {
    memset(p, 0, sizeof *p);
    snprintf(p->type, sizeof p->type, "%s", type);
    const char *v;
    if ((v = cJSON_GetStringValue(cJSON_GetObjectItem(o, "version"))))
        snprintf(p->version, sizeof p->version, "%s", v);
    if ((v = cJSON_GetStringValue(cJSON_GetObjectItem(o, "step"))))
        snprintf(p->step, sizeof p->step, "%s", v);
    if ((v = cJSON_GetStringValue(cJSON_GetObjectItem(o, "detail"))))
        snprintf(p->detail, sizeof p->detail, "%s", v);
    p->serial = num(o, "serial");
    p->done = num(o, "done");
    p->total = num(o, "total");
    p->at = num(o, "at");
}

/* A step reached: progress.json (replaced whole by rename), the log, the caller's report. */
static void report(struct run *r, const char *name, const char *detail) {
    struct update_progress *p = &r->p;
    snprintf(p->step, sizeof p->step, "%s", name);
    snprintf(p->detail, sizeof p->detail, "%s", detail ? detail : "");
    p->at = clock_wall_s(clock_of(r->c));
    cJSON *o = progress_json(p);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    char path[800];
    snprintf(path, sizeof path, "%s/progress.json", r->base);
    if (!text || file_replace(path, text) != 0)
        log_warn("update", "cannot record the step %s", name);
    free(text);
    if (strcmp(name, "downloading") != 0 || p->done == 0) /* a download: its start only */
        log_info("update", "%s %s: %s%s%s", p->type, p->version, name, p->detail[0] ? ": " : "",
                 p->detail);
    if (r->c->progress)
        r->c->progress(r->c->progress_ctx, p);
}

/* The serial (and version) of the slot manifest at path; 0 when there is none. */
static int64_t slot_serial(const char *path, char *version, size_t vcap) {
    char *json = file_read(path, 4u << 20, NULL);
    cJSON *m = json ? cJSON_Parse(json) : NULL;
    int64_t n = num(m, "serial");
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(m, "version"));
    if (version)
        snprintf(version, vcap, "%s", v ? v : "");
    cJSON_Delete(m);
    free(json);
    return n;
}

int64_t update_installed_serial(const char *state_dir, const char *type, char *version,
                                size_t vcap) {
    char base[700], path[800];
    base_dir(state_dir, type, base, sizeof base);
    snprintf(path, sizeof path, "%s/current/manifest.json", base);
    return slot_serial(path, version, vcap);
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

/* Progress within one file: reported (progress.json, the caller) once a second. */
struct file_progress {
    struct run *run;
    int64_t base_done; /* the bytes of the files before this one */
};

static void on_bytes(void *ctx, long long have) {
    struct file_progress *fp = ctx;
    const struct update_cfg *c = fp->run->c;
    time_t now = (time_t)clock_wall_s(clock_of(c));
    if (now == fp->run->last_report)
        return;
    fp->run->last_report = now;
    fp->run->p.done = fp->base_done + have;
    report(fp->run, "downloading", NULL);
}

/* A file of the installed version with this SHA-256, copied to `to` (and checked): 0, or -1
 * when the installed version has no such file. On a 4G link only what changed is fetched. */
static int from_installed(const char *base, const char *sha, const char *to) {
    char path[800];
    snprintf(path, sizeof path, "%s/current/manifest.json", base);
    char *json = file_read(path, 4u << 20, NULL);
    cJSON *m = json ? cJSON_Parse(json) : NULL;
    free(json);
    const cJSON *f;
    int rc = -1;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(m, "files")) {
        const char *h = cJSON_GetStringValue(cJSON_GetObjectItem(f, "sha256"));
        const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(f, "path"));
        if (!h || !p || strcmp(h, sha) != 0 || strstr(p, ".."))
            continue;
        char from[1100], tmp[920];
        snprintf(from, sizeof from, "%s/current/%s", base, p);
        snprintf(tmp, sizeof tmp, "%s.copy", to);
        if (copy_file(from, tmp, 0644) == 0 && hash_is(tmp, sha) && rename(tmp, to) == 0) {
            rc = 0;
            break;
        }
        unlink(tmp);
    }
    cJSON_Delete(m);
    return rc;
}

/* The state directory's free space in MiB (test builds: KIOSK_UPDATE_FREE_MIB pretends). */
static int64_t free_mib(const char *dir) {
#ifdef KIOSK_TEST_HOOKS
    const char *fake = getenv("KIOSK_UPDATE_FREE_MIB");
    if (fake)
        return num_i64_or(fake, 0, INT64_C(1) << 40, -1);
#endif
    struct statvfs v;
    return statvfs(dir, &v) == 0 ? (int64_t)((uint64_t)v.f_bavail * v.f_frsize >> 20) : -1;
}

/* The store shares the disk: an update never takes the room the citizens' records need. */
#define UPDATE_RESERVE_MIB 256

static enum update_result download_all(struct run *run, const struct manifest *m, char *why,
                                       size_t cap) {
    const struct update_cfg *c = run->c;
    char dl[800];
    snprintf(dl, sizeof dl, "%s/downloads", run->base);
    mkdir(dl, 0755);
    run->p.total = run->p.done = 0;
    for (int i = 0; i < m->nfiles; i++)
        run->p.total += m->files[i].size;
    /* the downloads and the slot's copy, with the store's reserve left over */
    int64_t need = 2 * ((run->p.total + (1 << 20) - 1) >> 20) + UPDATE_RESERVE_MIB,
            have = free_mib(run->base);
    if (have >= 0 && have < need) {
        snprintf(why, cap,
                 "not enough disk space: %lld MiB needed (with %d MiB kept for the "
                 "store), %lld MiB free",
                 (long long)need, UPDATE_RESERVE_MIB, (long long)have);
        return UPDATE_FAILED;
    }
    report(run, "downloading", NULL);
    int reused = 0;
    for (int i = 0; i < m->nfiles; i++) {
        const struct manifest_file *f = &m->files[i];
        char done[900], part[920], url[900];
        snprintf(done, sizeof done, "%s/%s", dl, f->sha256);
        run->p.done += f->size;
        if (hash_is(done, f->sha256))
            continue; /* already here from an earlier try */
        if (from_installed(run->base, f->sha256, done) == 0) {
            reused++; /* unchanged since the installed version: nothing to fetch */
            continue;
        }
        snprintf(part, sizeof part, "%s.part", done);
        struct stat st;
        if (stat(part, &st) == 0 && st.st_size > 0)
            log_info("update", "resuming %s at %lld bytes", f->path, (long long)st.st_size);
        if (stat(part, &st) == 0 && st.st_size > f->size)
            truncate(part, 0); /* longer than the file can be: start over */
        snprintf(url, sizeof url, "%s/v1/blobs/%s", c->net.base, f->sha256);
        char err[300];
        struct file_progress fp = {.run = run, .base_done = run->p.done - f->size};
        struct net_xfer x = {
            .cancel = c->cancel, .progress = on_bytes, .ctx = &fp, .max_bytes = f->size};
        int nrc = net_download(&c->net, url, part, 120000, &x, err, sizeof err);
        if (nrc != NET_OK) {
            snprintf(why, cap, "download of %s: %s (%s)", f->path, net_strerror(nrc), err);
            /* a blob larger than its manifest says is the registry's fault: not retried */
            return nrc == NET_ERR_TOO_LARGE ? UPDATE_REJECTED : UPDATE_FAILED;
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
        run->p.done = fp.base_done + f->size;
        report(run, "downloading", NULL);
    }
    if (reused)
        log_info("update", "%d of %d files taken from the installed version, not downloaded",
                 reused, m->nfiles);
    step("downloaded");
    return UPDATE_INSTALLED;
}

/* The slot `current` does not point at ("a" when none is current). */
static const char *inactive_slot(const char *base) {
    char target[64];
    slots_current(base, target, sizeof target);
    return !strcmp(target, "slots/a") ? "b" : "a";
}

static enum update_result install(const struct update_cfg *c, const char *base,
                                  const struct manifest *m, const char *json, char *why,
                                  size_t cap) {
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
    if (!ok || slots_sync_dir(dir) != 0) {
        snprintf(why, cap, "cannot write the slot's manifest");
        return UPDATE_FAILED;
    }
    step("manifest_written");
    char detail[200] = "";
    if (c->check && c->check(dir, detail, sizeof detail) != 0) {
        unlink(mpath); /* incomplete again: never made current */
        if (slots_mark_bad(base, m->serial, SLOTS_UNLOADABLE, "the bundle does not load") != 0)
            log_warn("update", "the bad serial cannot be recorded");
        snprintf(why, cap, "the bundle does not load: %s", detail);
        return UPDATE_REJECTED;
    }
    /* a release runs on trial until it reports healthy: the launcher rolls back otherwise */
    if (!strcmp(m->type, "release")) {
        char trial[800], prev[64];
        slots_current(base, prev, sizeof prev);
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
    char target[32];
    snprintf(target, sizeof target, "slots/%s", slot);
    step("linked");
    if (slots_switch(base, target) != 0) {
        snprintf(why, cap, "cannot switch to slot %s", slot);
        return UPDATE_FAILED;
    }
    step("switched");
    return UPDATE_INSTALLED;
}

/* Downloads are kept only for an install still to be finished (a cut download resumes);
 * once the newest is installed they are copies of the slot's files, and go. */
static void prune_downloads(const char *base, enum update_result res) {
    if (res != UPDATE_INSTALLED && res != UPDATE_NOTHING_NEW)
        return;
    char dl[800];
    snprintf(dl, sizeof dl, "%s/downloads", base);
    if (remove_tree(dl) != 0 && errno != ENOENT)
        log_warn("update", "the finished downloads cannot be removed");
}

#define ROOT_STEPS_MAX 16 /* root versions walked in one check */

/* The root of trust for this check (TUF's root role): the configured one, then each newer
 * version kept under STATE/trust/root-N.json, then each newer one the registry serves (GET
 * /v1/roots/N), every step checked against the one before; a new one is kept. A root that
 * fails is logged and the walk stops at the last good one. */
static void trust_refresh(const struct update_cfg *c, struct trust *t) {
    *t = c->trust;
    char dir[700];
    snprintf(dir, sizeof dir, "%s/trust", c->state_dir);
    int64_t now = clock_wall_s(clock_of(c));
    for (int step = 0; step < ROOT_STEPS_MAX; step++) {
        char path[800], why[200];
        snprintf(path, sizeof path, "%s/root-%lld.json", dir, (long long)t->version + 1);
        char *json = file_read(path, 64 << 10, NULL);
        bool fetched = false;
        if (!json) {
            char url[900];
            snprintf(url, sizeof url, "%s/v1/roots/%lld", c->net.base, (long long)t->version + 1);
            struct net_req q = {.url = url, .timeout_ms = 15000, .cancel = c->cancel};
            struct net_reply r;
            if (net_send(&c->net, &q, &r) == NET_OK && r.status == 200 && r.body) {
                json = r.body;
                r.body = NULL;
                fetched = true;
            }
            net_reply_free(&r);
        }
        if (!json)
            return; /* nothing newer */
        struct trust next;
        enum manifest_err e = trust_root_verify(json, t, now, &next, why, sizeof why);
        if (e != MANIFEST_OK) {
            log_error("update", "root of trust version %lld refused: %s (%s)",
                      (long long)t->version + 1, manifest_strerror(e), why);
            free(json);
            return;
        }
        if (fetched) {
            mkdir(dir, 0700);
            if (file_replace(path, json) != 0)
                log_warn("update", "root of trust version %lld cannot be kept",
                         (long long)next.version);
            log_info("update", "root of trust now version %lld (%d keys, threshold %d)",
                     (long long)next.version, next.n, next.threshold);
        }
        free(json);
        *t = next;
    }
}

/* The expiry of the installed manifest of this type (0: none installed). */
static int64_t installed_expires(const char *base) {
    char path[800];
    snprintf(path, sizeof path, "%s/current/manifest.json", base);
    char *json = file_read(path, 4u << 20, NULL);
    cJSON *m = json ? cJSON_Parse(json) : NULL;
    int64_t e = json_int(m, "expires", 0, INT64_C(1) << 53, 0);
    cJSON_Delete(m);
    free(json);
    return e;
}

static enum update_result run_once(const struct update_cfg *c, char *version, size_t vcap,
                                   char *why, size_t cap);

enum update_result update_run(const struct update_cfg *c, char *version, size_t vcap, char *why,
                              size_t cap) {
    enum update_result res = run_once(c, version, vcap, why, cap);
    /* a freeze (TUF): the installed manifest has expired and the registry serves nothing
     * newer that holds — someone may be holding this kiosk back. Said as the latest step
     * ("frozen"), which the heartbeat takes to the fleet view and admin mode shows. */
    char base[700];
    base_dir(c->state_dir, c->type, base, sizeof base);
    int64_t installed = update_installed_serial(c->state_dir, c->type, version, vcap);
    int64_t exp = installed > 0 ? installed_expires(base) : 0;
    if ((res == UPDATE_NOTHING_NEW || res == UPDATE_REJECTED) && exp > 0 &&
        exp <= clock_wall_s(clock_of(c))) {
        char when[40], frozen[300];
        caltime_format(exp, "%Y-%m-%d %H:%M", when, sizeof when);
        snprintf(frozen, sizeof frozen,
                 "the installed manifest (serial %lld) expired at %s and the registry serves "
                 "nothing newer", (long long)installed, when);
        log_warn("update", "%s %s: %s", c->type, version, frozen);
        struct run run = {.c = c, .base = base};
        snprintf(run.p.type, sizeof run.p.type, "%s", c->type);
        snprintf(run.p.version, sizeof run.p.version, "%s", version);
        run.p.serial = installed;
        report(&run, "frozen", frozen);
        snprintf(why, cap, "%s", frozen);
        return UPDATE_FROZEN;
    }
    return res;
}

static enum update_result run_once(const struct update_cfg *c, char *version, size_t vcap,
                                   char *why, size_t cap) {
    char base[700], url[900];
    base_dir(c->state_dir, c->type, base, sizeof base);
    mkdir(c->state_dir, 0700);
    mkdir(base, 0755);
    int64_t installed = update_installed_serial(c->state_dir, c->type, version, vcap);
    snprintf(url, sizeof url, "%s/v1/%s/%s", c->net.base,
             !strcmp(c->type, "release") ? "releases" : "content", c->channel);
    /* the manifest's text is verified as it came (its canonical form is checked there), so
     * it is read as text, not through registry_call's JSON */
    struct net_req q = {.url = url, .timeout_ms = 30000, .cancel = c->cancel};
    struct net_reply r;
    int nrc = net_send(&c->net, &q, &r);
    if (nrc != NET_OK || (r.status != 200 && r.status != 404)) {
        snprintf(why, cap, "%s%s%s", net_strerror(nrc == NET_OK ? NET_ERR_STATUS : nrc),
                 r.detail[0] ? ": " : "", r.detail);
        net_reply_free(&r);
        return UPDATE_FAILED;
    }
    if (r.status == 404) {
        net_reply_free(&r);
        snprintf(why, cap, "nothing published on channel %s", c->channel);
        return UPDATE_NOTHING_NEW;
    }
    struct manifest *m = calloc(1, sizeof *m);
    if (!m) {
        net_reply_free(&r);
        return UPDATE_FAILED;
    }
    char detail[200];
    struct trust trust;
    trust_refresh(c, &trust);
    enum manifest_err e =
        manifest_verify(r.body, &trust, c->type, c->channel, installed, clock_wall_s(clock_of(c)), c->hardware, m,
                        detail, sizeof detail);
    struct run run = {.c = c, .base = base};
    snprintf(run.p.type, sizeof run.p.type, "%s", c->type);
    snprintf(run.p.version, sizeof run.p.version, "%s", m->version);
    run.p.serial = m->serial;
    enum update_result res;
    if (e == MANIFEST_OLD_SERIAL && m->serial == installed) {
        snprintf(why, cap, "serial %lld is installed", (long long)installed);
        res = UPDATE_NOTHING_NEW;
    } else if (e != MANIFEST_OK) {
        snprintf(why, cap, "%s (%s)", manifest_strerror(e), detail);
        res = UPDATE_REJECTED;
    } else if (slots_is_bad(base, m->serial)) {
        snprintf(why, cap, "serial %lld was rolled back on this kiosk", (long long)m->serial);
        res = UPDATE_REJECTED;
    } else {
        report(&run, "verified", NULL);
        res = download_all(&run, m, why, cap);
        if (res == UPDATE_INSTALLED) {
            report(&run, "installing", NULL);
            res = install(c, base, m, r.body, why, cap);
        }
        if (res == UPDATE_INSTALLED) {
            snprintf(version, vcap, "%s", m->version);
            report(&run, "installed", NULL);
        }
    }
    if (res == UPDATE_REJECTED || res == UPDATE_FAILED)
        report(&run, res == UPDATE_REJECTED ? "rejected" : "failed", why);
    prune_downloads(base, res);
    free(m);
    net_reply_free(&r);
    return res;
}

int update_content_dir(const char *state_dir, char *out, size_t cap) {
    char probe[900];
    snprintf(out, cap, "%s/content/current", state_dir);
    snprintf(probe, sizeof probe, "%s/i18n/zh-CN.ini", out);
    return access(probe, R_OK) == 0 ? 0 : -1;
}

void update_state_read(const char *state_dir, struct update_state *out) {
    memset(out, 0, sizeof *out);
    static const char *const types[] = {"release", "content"};
    for (int i = 0; i < 2; i++) {
        __typeof__(out->release) *t = i == 0 ? &out->release : &out->content;
        t->serial = update_installed_serial(state_dir, types[i], t->version, sizeof t->version);
        char path[800];
        snprintf(path, sizeof path, "%s/%s/progress.json", state_dir, types[i]);
        char *text = file_read(path, 8192, NULL);
        cJSON *o = text ? cJSON_Parse(text) : NULL;
        if (cJSON_IsObject(o)) {
            progress_from(o, types[i], &t->progress);
            t->has_progress = true;
        }
        cJSON_Delete(o);
        free(text);
    }
    char path[800];
    snprintf(path, sizeof path, "%s/release/trial.json", state_dir);
    char *text = file_read(path, 4096, NULL);
    cJSON *o = text ? cJSON_Parse(text) : NULL;
    out->trial_serial = num(o, "serial");
    if (out->trial_serial != out->release.serial)
        out->trial_serial = 0; /* a marker whose switch never happened */
    cJSON_Delete(o);
    free(text);
    snprintf(path, sizeof path, "%s/release/rollback.json", state_dir);
    text = file_read(path, 4096, NULL);
    o = text ? cJSON_Parse(text) : NULL;
    out->rollback_serial = num(o, "serial");
    out->rollback_at = num(o, "at");
    const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(o, "reason"));
    snprintf(out->rollback_reason, sizeof out->rollback_reason, "%s", why ? why : "");
    out->rollback_code = slots_reason_of(cJSON_GetStringValue(cJSON_GetObjectItem(o, "code")));
    cJSON_Delete(o);
    free(text);
}

char *update_state_json(const char *state_dir) {
    struct update_state st;
    update_state_read(state_dir, &st);
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < 2; i++) {
        const __typeof__(st.release) *t = i == 0 ? &st.release : &st.content;
        cJSON *j = cJSON_AddObjectToObject(o, i == 0 ? "release" : "content");
        cJSON_AddStringToObject(j, "version", t->version);
        cJSON_AddNumberToObject(j, "serial", (double)t->serial);
        if (t->has_progress)
            cJSON_AddItemToObject(j, "progress", progress_json(&t->progress));
    }
    if (st.trial_serial)
        cJSON_AddNumberToObject(o, "trial", (double)st.trial_serial);
    if (st.rollback_serial) {
        cJSON *rb = cJSON_AddObjectToObject(o, "rollback");
        cJSON_AddNumberToObject(rb, "serial", (double)st.rollback_serial);
        cJSON_AddStringToObject(rb, "reason", st.rollback_reason);
        if (st.rollback_code >= 0)
            cJSON_AddStringToObject(rb, "code", slots_reason_name(st.rollback_code));
        cJSON_AddNumberToObject(rb, "at", (double)st.rollback_at);
    }
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

int update_rollback(const char *state_dir, char *why, size_t cap) {
    char base[700], target[64], other[64], manifest[900];
    base_dir(state_dir, "release", base, sizeof base);
    slots_current(base, target, sizeof target);
    if (!target[0]) {
        snprintf(why, cap, "no release is installed");
        return 1;
    }
    snprintf(other, sizeof other, "slots/%s", !strcmp(target, "slots/a") ? "b" : "a");
    snprintf(manifest, sizeof manifest, "%s/%s/manifest.json", base, other);
    int64_t serial = update_installed_serial(state_dir, "release", NULL, 0);
    int64_t previous = slot_serial(manifest, NULL, 0);
    /* the other slot may hold a release that was itself rolled back, or a newer one */
    if (previous == 0 || previous >= serial || slots_is_bad(base, previous)) {
        snprintf(why, cap, "there is no previous release to go back to");
        return 1;
    }
    if (slots_switch(base, other) != 0) {
        snprintf(why, cap, "cannot switch to %s", other);
        return -1;
    }
    if (slots_mark_bad(base, serial, SLOTS_STAFF, "rolled back by staff") != 0)
        log_warn("update", "the rolled-back serial cannot be recorded");
    log_warn("update", "release serial %lld rolled back by staff to %s", (long long)serial, other);
    return 0;
}
