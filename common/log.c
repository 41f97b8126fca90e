/* log: see log.h. */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
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

void log_init(const char *program, enum log_level min) {
    log_program = program;
    log_level_min = min;
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

void log_msg(enum log_level level, const char *tag, const char *fmt, ...) {
    if (level < log_level_min)
        return;
    char line[1024];
    int n = snprintf(line, sizeof line, "%s: %s %s: ", log_program, level_names[level], tag);
    if (n < 0)
        return;
    size_t used = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + used, sizeof line - used, fmt, ap);
    va_end(ap);
    if (m > 0)
        used += (size_t)m < sizeof line - used ? (size_t)m : sizeof line - used - 1;
    if (used >= sizeof line - 1)
        used = sizeof line - 2;
    line[used++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, used);
    (void)w;
    if (level >= LOG_INFO) {
        pthread_mutex_lock(&recent_lock);
        snprintf(recent[recent_next % RECENT_MAX], LOG_RECENT_LEN, "%.*s", (int)(used - 1), line);
        recent_next++;
        pthread_mutex_unlock(&recent_lock);
    }
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
