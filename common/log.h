/* log: one line per event on stderr, "program: LEVEL tag: message"; under systemd, whose
 * journal is the stderr (JOURNAL_STREAM), each event goes to the journal instead with its
 * priority and fields: SYSLOG_IDENTIFIER (the program), KIOSK_TAG (the tag), KIOSK_ID and
 * OFFICE (log_set_identity: the kiosk's, from its certificate), and MESSAGE_ID for the
 * events an operator alerts on (log_event; the ids below, docs/operations.md).
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

/* The kiosk's identity, added to every event in the journal (NULL: none). Call before any
 * thread logs. */
void log_set_identity(const char *kiosk_id, const char *office);
/* An event an operator alerts on: message_id one of LOG_MSGID_*, and a kiosk and office it is
 * about (NULL: the process's identity). */
void log_event(enum log_level level, const char *tag, const char *message_id, const char *kiosk,
               const char *office, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* MESSAGE_IDs (journalctl MESSAGE_ID=...) */
#define LOG_MSGID_SERVER_ERROR "9805a00b81bb4db59cb53db7bdca80d5"   /* registryd answered 5xx */
#define LOG_MSGID_CERT_REVOKED "a6f85c13a6f04432943474befe852a16"   /* a revoked certificate refused */
#define LOG_MSGID_CERT_RENEWED "1c938e8a7e1947bb8e02ec007095e48a"   /* a kiosk renewed its certificate */
#define LOG_MSGID_UPDATE_FAILED "4235fb41e56543a5a3b44d11467fdbc8"  /* an update failed or rolled back */
#define LOG_MSGID_OUT_OF_SERVICE "68bea2976513430c99b4c9c4ce2a79d0" /* a kiosk out of service */

#define log_debug(tag, ...) log_msg(LOG_DEBUG, tag, __VA_ARGS__)
#define log_info(tag, ...) log_msg(LOG_INFO, tag, __VA_ARGS__)
#define log_warn(tag, ...) log_msg(LOG_WARN, tag, __VA_ARGS__)
#define log_error(tag, ...) log_msg(LOG_ERROR, tag, __VA_ARGS__)

#endif
