/* remote: what the central registry can set on a kiosk and what must outlive a restart: the
 * lock (the state directory's "locked" file: the kiosk starts out of service while it is
 * there) and the notice shown on home (in the store under REMOTE_NOTICE_KEY). Safe to call
 * from any thread. */
#ifndef SYNC_REMOTE_H
#define SYNC_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

#define REMOTE_NOTICE_KEY "notice"
/* A citizen's call for staff (呼叫工作人员), JSON {"kind","screen","at"}, kept in the store's kv
 * until a heartbeat carried it to the registry ("" when none). */
#define REMOTE_ALERT_KEY "alert.call_staff"
/* The printer stopped printing (out of paper, cover open...): {"kind":"printer","screen":
 * WHAT,"at"}, kept likewise, set when its state turns from printing to a problem. */
#define REMOTE_ALERT_PRINTER_KEY "alert.printer"
#define REMOTE_NOTICE_MAX 80 /* code points: two lines on home */

/* Creates (durably: written, synced, renamed, directory synced) or removes the lock file.
 * Returns 0 or -1. */
int remote_lock_set(const char *state_dir, bool locked);
bool remote_locked(const char *state_dir);
/* A notice as home may show it: valid UTF-8, control characters (line breaks included) as
 * spaces, at most REMOTE_NOTICE_MAX code points, trimmed. */
void remote_notice_clean(char *out, size_t cap, const char *in);

#endif
