/* mask: personal data as it may be shown on screen and paper (DOMAIN.md §6, GB/T 35273 7.2).
 * Pure. Names keep their first and last character (郑*涛; a two-character name keeps the first:
 * 张*); ID numbers keep the 6-digit region and the last 4 (370602********3011). */
#ifndef DOMAIN_MASK_H
#define DOMAIN_MASK_H

#include <stddef.h>

/* Writes the masked name into out (size bytes, NUL-terminated). Returns out. */
char *mask_name(const char *name, char *out, size_t size);
/* Writes the masked ID number into out. Numbers shorter than 10 characters are masked whole
 * but for the last 2. Returns out. */
char *mask_id_number(const char *id, char *out, size_t size);

/* Writes the masked address into out: the first 9 characters (province, city, district as a
 * card spells them) and **** for the rest (山东省烟台市芝罘区****). Returns out. */
char *mask_address(const char *address, char *out, size_t size);

#endif
