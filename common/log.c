/* log: see log.h. */
/* sd-journal.h brings syslog.h, whose LOG_DEBUG and LOG_INFO macros (7 and 6) would take the
 * place of log.h's levels: it comes first, and they go */
#include <systemd/sd-journal.h>
#undef LOG_DEBUG
#undef LOG_INFO
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *log_program = "kiosk";
static enum log_level log_level_min = LOG_INFO;

#define RECENT_MAX 32
static char recent[RECENT_MAX][LOG_RECENT_LEN];
static int recent_next;
static pthread_mutex_t recent_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
static const int level_priority[] = {7, 6, 4, 3}; /* syslog's debug, info, warning, err */
static bool to_journal;
static char ident_kiosk[80], ident_office[16];

/* systemd's journal is our stderr when JOURNAL_STREAM names its device and inode */
static bool stderr_is_journal(void) {
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
           (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_set_identity(const char *kiosk_id, const char *office) {
    snprintf(ident_kiosk, sizeof ident_kiosk, "%s", kiosk_id ? kiosk_id : "");
    snprintf(ident_office, sizeof ident_office, "%s", office ? office : "");
}

void log_init(const char *program, enum log_level min) {
    log_program = program;
    log_level_min = min;
    to_journal = stderr_is_journal();
    const char *env = getenv("KIOSK_LOG_LEVEL");
    if (!env)
        return;
    for (int i = LOG_DEBUG; i <= LOG_ERROR; i++) {
        if (strcasecmp(env, level_names[i]) == 0)
            log_level_min = (enum log_level)i;
    }
}

enum log_level log_min_level(void) {
    return log_level_min;
}

static void log_line(enum log_level level, const char *tag, const char *msgid, const char *kiosk,
                     const char *office, const char *fmt, va_list ap) {
    if (level < log_level_min)
        return;
    char line[1024];
    int n = snprintf(line, sizeof line, "%s: %s %s: ", log_program, level_names[level], tag);
    if (n < 0)
        return;
    size_t used = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    int m = vsnprintf(line + used, sizeof line - used, fmt, ap);
    const char *message = line + used;
    if (m > 0)
        used += (size_t)m < sizeof line - used ? (size_t)m : sizeof line - used - 1;
    if (used >= sizeof line - 1)
        used = sizeof line - 2;
    if (to_journal) {
        if (!kiosk || !kiosk[0])
            kiosk = ident_kiosk;
        if (!office || !office[0])
            office = ident_office;
        char f_kiosk[100], f_office[40], f_msgid[60];
        snprintf(f_kiosk, sizeof f_kiosk, "KIOSK_ID=%s", kiosk);
        snprintf(f_office, sizeof f_office, "OFFICE=%s", office);
        snprintf(f_msgid, sizeof f_msgid, "MESSAGE_ID=%s", msgid ? msgid : "");
        /* the fields left empty are not sent (sd_journal_send takes NULL as the end) */
        const char *extra[3];
        int ne = 0;
        if (kiosk[0])
            extra[ne++] = f_kiosk;
        if (office[0])
            extra[ne++] = f_office;
        if (msgid)
            extra[ne++] = f_msgid;
        if (sd_journal_send("MESSAGE=%s: %s", tag, message, "PRIORITY=%d", level_priority[level],
                            "SYSLOG_IDENTIFIER=%s", log_program, "KIOSK_TAG=%s", tag,
                            ne > 0 ? "%s" : NULL, ne > 0 ? extra[0] : NULL,
                            ne > 1 ? "%s" : NULL, ne > 1 ? extra[1] : NULL,
                            ne > 2 ? "%s" : NULL, ne > 2 ? extra[2] : NULL, NULL) >= 0)
            goto recent; /* else the journal is gone: stderr, as without it */
    }
    line[used++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, used);
    (void)w;
recent:
    if (level >= LOG_INFO) {
        size_t len = line[used - 1] == '\n' ? used - 1 : used;
        pthread_mutex_lock(&recent_lock);
        snprintf(recent[recent_next % RECENT_MAX], LOG_RECENT_LEN, "%.*s", (int)len, line);
        recent_next++;
        pthread_mutex_unlock(&recent_lock);
    }
}

void log_msg(enum log_level level, const char *tag, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    log_line(level, tag, NULL, NULL, NULL, fmt, ap);
    va_end(ap);
}

void log_event(enum log_level level, const char *tag, const char *message_id, const char *kiosk,
               const char *office, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    log_line(level, tag, message_id, kiosk, office, fmt, ap);
    va_end(ap);
}

int log_recent(char (*lines)[LOG_RECENT_LEN], int max) {
    pthread_mutex_lock(&recent_lock);
    int have = recent_next < RECENT_MAX ? recent_next : RECENT_MAX;
    int n = have < max ? have : max;
    for (int i = 0; i < n; i++)
        snprintf(lines[i], LOG_RECENT_LEN, "%s", recent[(recent_next - n + i) % RECENT_MAX]);
    pthread_mutex_unlock(&recent_lock);
    return n;
}
