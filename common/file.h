/* file: a whole small file into memory, the one reader of the programs' data files (forms,
 * catalogs, guide pages, cards, certificates, ESC/POS streams); and a small file replaced
 * whole, so that a reader sees the old text or the new, never a mix. */
#ifndef COMMON_FILE_H
#define COMMON_FILE_H

#include <stddef.h>

/* The file's bytes (malloc'd, NUL-terminated; *len without the NUL when len is not NULL), or
 * NULL when it cannot be read, is larger than max bytes, or is not a regular file (a device
 * such as /dev/zero, a FIFO or a directory: errno EINVAL) — a configured path is never read
 * without end, nor does opening it block. */
char *file_read(const char *path, size_t max, size_t *len);

/* An INI file (inih) read whole with file_read first, at most max bytes: inih's return (0,
 * the first bad line, or -1 when the file cannot be read). */
int file_ini(const char *path, size_t max,
             int (*handler)(void *user, const char *section, const char *name, const char *value),
             void *user);

/* Writes text to path.tmp and renames it over path (no fsync: for state that is reported, not
 * kept: a power cut may lose the last one). 0, or -1. */
int file_replace(const char *path, const char *text);

#endif
