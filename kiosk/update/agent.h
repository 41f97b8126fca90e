/* agent: the kiosk's side of updates and content pushes (DESIGN.md §7): fetch the channel's
 * latest manifest, verify it (manifest.h), download the blobs it names (resuming with Range,
 * each checked against its SHA-256), install them into the inactive slot and switch the
 * `current` link atomically. Each step is logged; a failure at any step leaves `current` as
 * it was, so a kiosk always starts on a complete version, old or new.
 *
 * Layout under STATE/<type> (release or content):
 *   slots/a, slots/b     the two slots; the installed one holds manifest.json last
 *   current -> slots/X   switched with rename(2) of a new link
 *   downloads/SHA256     verified blobs; SHA256.part while a download is under way
 * Files under bin/ are installed 0755, others 0644. */
#ifndef UPDATE_AGENT_H
#define UPDATE_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "manifest.h"

struct update_cfg {
    const char *state_dir, *registry, *type, *channel, *hardware;
    struct http_tls tls;
    struct trust trust;
};

enum update_result {
    UPDATE_INSTALLED = 0,
    UPDATE_NOTHING_NEW = 1, /* the latest is what is installed */
    UPDATE_REJECTED = 3,    /* the manifest or a blob failed verification: why says which */
    UPDATE_FAILED = 4,      /* the registry could not be reached, or the disk failed */
};

/* One check and, when there is something newer and good, its install. version receives
 * the version now current. */
enum update_result update_run(const struct update_cfg *c, char *version, size_t vcap, char *why,
                              size_t cap);
/* The serial of the installed version of a type (0: none). */
int64_t update_installed_serial(const char *state_dir, const char *type, char *version,
                                size_t vcap);

/* What the heartbeat and admin mode say of updates: {"release":{"version","serial"},
 * "content":{...},"rollback":{...}} as JSON text (malloc'd). */
char *update_state_json(const char *state_dir);
/* Staff's manual rollback: `current` back to the other slot when it holds a complete
 * release; the current serial is marked bad. 0, or -1 with why. */
int update_rollback(const char *state_dir, char *why, size_t cap);
/* The installed content bundle's directory (STATE/content/current, when it holds catalogs):
 * it takes the place of the packaged assets. 0, or -1 when there is none. */
int update_content_dir(const char *state_dir, char *out, size_t cap);

#endif
