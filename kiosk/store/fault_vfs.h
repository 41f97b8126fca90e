/* fault_vfs: see fault_vfs.c. Test builds only (KIOSK_TEST_HOOKS). */
#ifndef STORE_FAULT_VFS_H
#define STORE_FAULT_VFS_H

/* Registers the VFS (once) and returns its name for sqlite3_open_v2. */
const char *fault_vfs_register(void);
/* Lets `after` writes and syncs through, then fails the next one (and, with keep_failing,
 * every one after it); -1 disarms. */
void fault_vfs_arm(int after, int keep_failing);
/* Failures injected since the last arm. */
int fault_vfs_failures(void);

#endif
