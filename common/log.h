/* log: one line per event on stderr, "program: LEVEL tag: message".
 *
 * Never pass personal data (names, ID numbers, addresses, phone numbers) to these functions:
 * log lines leave the kiosk with support bundles. Log ids and counts instead.
 * Thread-safe: each line is written with a single write(2). */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the program name printed on each line and the lowest level printed.
 * The environment variable KIOSK_LOG_LEVEL (debug|info|warn|error) overrides min. */
void log_init(const char *program, enum log_level min);
enum log_level log_min_level(void);
void log_msg(enum log_level level, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The last lines at INFO or above (oldest first), for the staff screen: at most max lines of
 * at most LOG_RECENT_LEN bytes each. Returns how many. */
#define LOG_RECENT_LEN 200
int log_recent(char (*lines)[LOG_RECENT_LEN], int max);

#define log_debug(tag, ...) log_msg(LOG_DEBUG, tag, __VA_ARGS__)
#define log_info(tag, ...) log_msg(LOG_INFO, tag, __VA_ARGS__)
#define log_warn(tag, ...) log_msg(LOG_WARN, tag, __VA_ARGS__)
#define log_error(tag, ...) log_msg(LOG_ERROR, tag, __VA_ARGS__)

#endif
