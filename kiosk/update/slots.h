/* slots: the A/B slot links of STATE/<type> (DESIGN.md §7), shared by the update agent and
 * the launcher: which slot is current, an atomic switch, and a release marked bad.
 *
 *   current -> slots/X       switched by rename(2) of a new link, then the directory fsynced
 *   bad_serials              serials rolled back, one a line: never installed again
 *   rollback.json            the last rollback {"serial","reason","at"}, for the heartbeat */
#ifndef UPDATE_SLOTS_H
#define UPDATE_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The target of base/current ("slots/a"), "" when none. */
void slots_current(const char *base, char *out, size_t cap);
/* base/current -> target ("slots/b"), atomically; "" removes the link. 0 or -1. */
int slots_switch(const char *base, const char *target);
/* fsync of a directory, so that a rename in it survives a power cut. */
int slots_sync_dir(const char *dir);
/* Why a release or bundle was rolled back or refused, as a code that screens translate (the
 * reason text beside it is for logs and operators). */
enum slots_reason {
    SLOTS_CRASHED,    /* crashed max_crashes times on trial */
    SLOTS_SILENT,     /* no health report in time */
    SLOTS_DEVICES,    /* a device that answered before stopped answering */
    SLOTS_STAFF,      /* staff rolled it back */
    SLOTS_UNLOADABLE, /* a content bundle that does not load */
};
/* "crashed", "silent", "devices", "staff", "unloadable" (rollback.json's "code"); and back
 * (-1 for a text that is none of them, as in a rollback.json of an older version). */
const char *slots_reason_name(enum slots_reason r);
int slots_reason_of(const char *name);
/* The serial goes into bad_serials and rollback.json says why: {"serial","reason","code",
 * "at"}. 0 or -1. */
int slots_mark_bad(const char *base, int64_t serial, enum slots_reason code, const char *reason);
bool slots_is_bad(const char *base, int64_t serial);

#endif
