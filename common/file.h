/* file: a whole small file into memory, the one reader of the programs' data files (forms,
 * catalogs, guide pages, cards, certificates, ESC/POS streams); and a small file replaced
 * whole, so that a reader sees the old text or the new, never a mix. */
#ifndef COMMON_FILE_H
#define COMMON_FILE_H

#include <stddef.h>

/* The file's bytes (malloc'd, NUL-terminated; *len without the NUL when len is not NULL), or
 * NULL when it cannot be read or is larger than max bytes. */
char *file_read(const char *path, size_t max, size_t *len);

/* Writes text to path.tmp and renames it over path (no fsync: for state that is reported, not
 * kept: a power cut may lose the last one). 0, or -1. */
int file_replace(const char *path, const char *text);

#endif
