/* log: see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *log_program = "kiosk";
static enum log_level log_level_min = LOG_INFO;

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
}
