/* agent: the kiosk's side of updates and content pushes (DESIGN.md §7): fetch the channel's
 * latest manifest, verify it (manifest.h), download the blobs it names (resuming with Range,
 * each checked against its SHA-256), install them into the inactive slot and switch the
 * `current` link atomically. Each step is logged; a failure at any step leaves `current` as
 * it was, so a kiosk always starts on a complete version, old or new.
 *
 * Layout under STATE/<type> (release or content):
 *   slots/a, slots/b     the two slots; the installed one holds manifest.json last
 *   current -> slots/X   switched with rename(2) of a new link
 *   downloads/SHA256     verified blobs; SHA256.part while a download is under way (removed
 *                        once the newest is installed; a file unchanged since the installed
 *                        version is copied from its slot instead of downloaded)
 *   progress.json        the latest install's last step (struct update_progress)
 *   bad_serials, rollback.json   see slots.h
 * Before anything is fetched there must be room for the install and a 256 MiB reserve for
 * the store. Files under bin/ are installed 0755, others 0644. */
#ifndef UPDATE_AGENT_H
#define UPDATE_AGENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "net.h"
#include "manifest.h"

/* One step of an install, as the registry and admin mode are told of it. Steps: verified,
 * downloading (done/total bytes, once a second), installing, installed (a release then
 * runs on trial), rejected and failed (detail says why). Kept in STATE/<type>/progress.json. */
struct update_progress {
    char type[16], version[64], step[16], detail[250];
    int64_t serial, done, total, at;
};
typedef void (*update_progress_fn)(void *ctx, const struct update_progress *p);

struct update_cfg {
    const char *state_dir, *type, *channel, *hardware;
    struct net net; /* the registry */
    struct trust trust;
    update_progress_fn progress; /* optional: called at each step */
    void *progress_ctx;
    /* optional: checks an installed slot before `current` is switched to it (the kiosk loads a
     * content bundle's catalogs, forms and guide): 0, or -1 with why; the bundle is then
     * rejected, its slot left incomplete and its serial never tried again */
    int (*check)(const char *slot_dir, char *why, size_t cap);
    /* optional: a download stops when it turns true (the kiosk is stopping); what came is
     * kept and resumed next time */
    const atomic_bool *cancel;
    /* optional: the clock manifests' expiry and progress are dated by (NULL: the system's) */
    const struct clock_src *clock;
};

enum update_result {
    UPDATE_INSTALLED = 0,
    UPDATE_NOTHING_NEW = 1, /* the latest is what is installed */
    UPDATE_REJECTED = 3,    /* the manifest or a blob failed verification: why says which */
    UPDATE_FAILED = 4,      /* the registry could not be reached, or the disk failed */
    UPDATE_FROZEN = 5,      /* nothing newer, and the installed manifest has expired */
};

/* One check and, when there is something newer and good, its install. version receives
 * the version now current. */
enum update_result update_run(const struct update_cfg *c, char *version, size_t vcap, char *why,
                              size_t cap);
/* The serial of the installed version of a type (0: none). */
int64_t update_installed_serial(const char *state_dir, const char *type, char *version,
                                size_t vcap);

/* What the heartbeat and admin mode say of updates. */
struct update_state {
    struct {
        char version[64]; /* installed ("" : the packaged one) */
        int64_t serial;
        bool has_progress; /* the latest install's last step */
        struct update_progress progress;
    } release, content;
    int64_t trial_serial;    /* a release on trial (0: none) */
    int64_t rollback_serial; /* the last rollback (0: none) */
    int64_t rollback_at;
    char rollback_reason[120];
    int rollback_code; /* enum slots_reason, -1 when the record has none (an older one) */
};
void update_state_read(const char *state_dir, struct update_state *out);
/* The same as JSON text (malloc'd): {"release":{"version","serial","progress"?},
 * "content":{...},"trial":SERIAL?,"rollback":{"serial","reason","at"}?}. */
char *update_state_json(const char *state_dir);
/* Staff's manual rollback: `current` back to the other slot when it holds a complete, older
 * release not itself rolled back; the current serial is marked bad. 0; 1 when there is
 * nothing to go back to; -1 when the switch failed; why says which. */
int update_rollback(const char *state_dir, char *why, size_t cap);
/* The installed content bundle's directory (STATE/content/current, when it holds catalogs):
 * it takes the place of the packaged assets. 0, or -1 when there is none. */
int update_content_dir(const char *state_dir, char *out, size_t cap);

#endif
