/* file: a whole small file into memory, the one reader of the programs' data files (forms,
 * catalogs, guide pages, cards, certificates, ESC/POS streams). */
#ifndef COMMON_FILE_H
#define COMMON_FILE_H

#include <stddef.h>

/* The file's bytes (malloc'd, NUL-terminated; *len without the NUL when len is not NULL), or
 * NULL when it cannot be read or is larger than max bytes. */
char *file_read(const char *path, size_t max, size_t *len);

#endif
