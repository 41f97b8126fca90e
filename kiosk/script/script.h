/* script: UI automation scripts for headless QA (DESIGN §6).
 *
 * One command a line, '#' starts a comment:
 *   tap TEXT | tap @ID        press and release the widget (as a finger would)
 *   hold TEXT|@ID MS          press, keep it pressed MS ms of (script) time, release
 *   type TEXT                 TEXT committed into the focused field, as an input method would
 *   press KEYS                tap the on-screen key of each character of KEYS in turn (one
 *                             touch a key: 13800000001 is eleven touches)
 *   card FILE | card none     present / remove a card at the reader simulator (through the
 *                             control socket [devices] idcard_control of the configuration)
 *   scan TEXT                 the barcode scanner simulator reads TEXT (scanner_control)
 *   expect TEXT               TEXT is visible on the current screen (@ID: that widget is)
 *   expect-not TEXT           TEXT (or @ID) is not visible (e.g. personal data after a reset)
 *   expect-screen ID          the current screen is ID, or one of its steps (checkin is also
 *                             checkin.done; checkin.done is that step only)
 *   wait-screen ID [MS]       wait (real time, default 5000 ms) until screen ID shows
 *   wait TEXT [MS]            wait (real time, default 5000 ms) until TEXT is visible
 *   wait-log TEXT [MS]        wait until one of the kiosk's latest log lines holds TEXT (what
 *                             a background thread did, e.g. a content bundle installed)
 *   shot NAME                 save the screen as NAME.png in the screenshot dir
 *   idle SECONDS              let SECONDS of idle time pass (script time: costs nothing)
 *   clock YYYY-MM-DDTHH:MM    pin the wall clock (local time), for stable screenshots
 *   expect-wiped              every byte of the session arena is zero (after a reset)
 *   count start | count stop  count the touches (tap, hold, each key of press) and the
 *                             screens (distinct screen and step ids, a picker or keyboard
 *                             being one) between them; stop logs "count: N touches, M
 *                             screens: id(touches) id(touches) ..." (bench/touches.sh)
 *
 * "hold", "expect-not", "wait", "wait-log", "expect-wiped" and "clock" are additions to the
 * list of DESIGN §6: the staff entry is a long press, privacy checks need to see that
 * something is gone, a push that arrives mid-session is seen in the log only (the screen must
 * not change), and reference screenshots need a clock that does not move.
 * The whole file is parsed before anything runs, so a typo fails at once with its line. */
#ifndef SCRIPT_SCRIPT_H
#define SCRIPT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "clock.h"

enum script_op {
    SCRIPT_TAP,
    SCRIPT_HOLD,
    SCRIPT_TYPE,
    SCRIPT_CARD,
    SCRIPT_SCAN,
    SCRIPT_EXPECT,
    SCRIPT_EXPECT_NOT,
    SCRIPT_EXPECT_SCREEN,
    SCRIPT_WAIT_SCREEN,
    SCRIPT_WAIT_TEXT,
    SCRIPT_WAIT_LOG,
    SCRIPT_SHOT,
    SCRIPT_IDLE,
    SCRIPT_CLOCK,
    SCRIPT_EXPECT_WIPED,
    SCRIPT_LAYOUT_CHECK,
    SCRIPT_PRESS,
    SCRIPT_COUNT,
};

struct script_cmd {
    enum script_op op;
    int line;
    char arg[256];
    int64_t num; /* ms for hold and wait-screen, seconds for idle, epoch seconds for clock */
};

/* Parses one line. Returns 1 with *out filled, 0 for a blank or comment line, -1 with the
 * reason in err. Pure. */
int script_parse_line(const char *line, struct script_cmd *out, char *err, size_t errsize);

enum script_status { SCRIPT_NEXT, SCRIPT_WAITING, SCRIPT_DONE, SCRIPT_FAILED };

struct script {
    char path[512];
    struct script_cmd *cmds;
    size_t n;
    size_t pc;
    int phase;          /* progress inside a command of several steps (hold) */
    int64_t deadline;   /* real-time deadline of wait-screen */
    int hold_x, hold_y; /* where a hold pressed */
    char error[1024];
    /* what the runner works on */
    struct app *app;
    struct clock_manual *clock;   /* script time */
    const struct clock_src *real; /* real time, for wait-screen */
    const char *shot_dir;
    /* count start .. count stop */
    bool counting;
    int touches;
    char seen[64][96]; /* the screens seen, in order */
    int seen_touches[64]; /* the touches made on each */
    int nseen;
};

/* Reads and parses path. Returns 0, or -1 with the reason in s->error. */
int script_load(struct script *s, const char *path);
void script_free(struct script *s);
/* Runs the next command, or the next step of it. SCRIPT_NEXT: call again once the events it
 * queued were handled and the screen redrawn; SCRIPT_WAITING: call again after waiting a
 * little; SCRIPT_DONE: every line passed; SCRIPT_FAILED: s->error names the line. */
enum script_status script_step(struct script *s);

#endif
