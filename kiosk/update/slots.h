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
/* The serial goes into bad_serials and rollback.json says why. 0 or -1. */
int slots_mark_bad(const char *base, int64_t serial, const char *reason);
bool slots_is_bad(const char *base, int64_t serial);

#endif
