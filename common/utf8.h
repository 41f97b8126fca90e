/* utf8: decoding and small helpers for UTF-8 text. Pure; no allocation. */
#ifndef COMMON_UTF8_H
#define COMMON_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..len). Stores it in *cp and returns the bytes used (1-4).
 * Invalid or truncated input yields U+FFFD and consumes one byte; len 0 returns 0. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (at least 4 bytes); returns the bytes written, 0 for an invalid cp. */
size_t utf8_encode(uint32_t cp, char *out);

/* 1 when s[0..len) is well-formed UTF-8 (no overlong forms, surrogates or bytes past
 * U+10FFFF) with no NUL byte, else 0. */
int utf8_valid(const char *s, size_t len);
/* Number of code points in a NUL-terminated string. */
size_t utf8_count(const char *s);

/* Byte length of the string without its last code point (for backspace). */
size_t utf8_drop_last(const char *s, size_t len);

#endif
