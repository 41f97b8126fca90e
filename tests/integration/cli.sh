#!/usr/bin/env bash
# The kiosk's command line: help, bad arguments, and the headless screenshot.
source "$(dirname "$0")/lib.sh"

check "--help prints the usage and exits 0" bash -c "'$bin/kiosk' --help | grep -q -- '--screenshot FILE'"

capture "$bin/kiosk" --window 12x
check "a bad --window exits 2" test "$rc" -eq 2
check "with a one-line reason" test "$(printf '%s\n' "$out" | wc -l)" -eq 1
capture "$bin/kiosk" --bogus
check "an unknown option exits 2" test "$rc" -eq 2
capture "$bin/kiosk" --lang fr
check "an unknown language exits 2" test "$rc" -eq 2
capture "$bin/kiosk" --config /nonexistent.ini --headless --screenshot "$work/x.png"
check "a missing config file exits 2" test "$rc" -eq 2

"$bin/kiosk" --headless --config "$config" --state-dir "$work/state" --screenshot "$work/home.png"
check "--screenshot writes a PNG" test -s "$work/home.png"
check "of 1920x1080" test "$(png_size "$work/home.png")" = 1920x1080
check "that shows the Chinese home screen" "$bin/pngdiff" "$work/home.png" "$top/tests/ui/ref/home_zh.png" 3

# The office's time zone drives the clock, whatever the machine's (a default install is UTC):
# home shows Shanghai's hour, not UTC's (8 hours apart). An unknown zone is refused.
# (an hour that turns while the kiosk starts is tried again: the hour seen must be the same
# before and after)
tz_run() {
    sh_hour=$(TZ=Asia/Shanghai date +%H) utc_hour=$(TZ=UTC date +%H)
    printf 'expect %s:\nexpect-not %s:\n' "$sh_hour" "$utc_hour" >"$work/tz.script"
    env TZ=UTC "$bin/kiosk" --headless --config "$config" --state-dir "$work/state" --script "$work/tz.script" && tz_rc=0 || tz_rc=$?
    [ "$(TZ=Asia/Shanghai date +%H)" = "$sh_hour" ]
}
tz_run || tz_run
check "TZ=UTC, [office] timezone by default Asia/Shanghai: home shows $sh_hour:, not $utc_hour:" \
    test "$tz_rc" -eq 0
printf '[office]\ntimezone = Mars/Olympus_Mons\n' >"$work/tz.ini"
capture "$bin/kiosk" --headless --config "$work/tz.ini" --screenshot "$work/tz.png"
check "an unknown time zone is refused, naming the line" bash -c "test $rc -eq 2 && grep -q 'tz.ini line 2' <<<'$out'"

# The layout check (run at every shot of every UI script) fails on a planted overlap, naming
# the two widgets, the language and the theme.
printf 'layout-check\n' >"$work/lc.script"
check "the layout check passes on home" \
    "$bin/kiosk" --headless --config "$config" --state-dir "$work/state" --script "$work/lc.script"
capture env KIOSK_PLANT_OVERLAP=1 "$bin/kiosk" --headless --config "$config" --state-dir "$work/state" --script "$work/lc.script"
check "and fails on a planted overlap" test "$rc" -ne 0
check "  naming both widgets, in every language and theme" \
    test "$(grep -c 'ERROR layout: home: \[[a-zA-Z-]* [a-z-]*\] @checkin .* and @planted .* overlap' <<<"$out")" -eq 8

# A config whose values are wrong names the line.
printf '[kiosk]\nidle_timeout = soon\n' > "$work/bad.ini"
capture "$bin/kiosk" --headless --config "$work/bad.ini" --screenshot "$work/y.png"
check "a bad value is refused" test "$rc" -eq 2
check "naming file and line" grep -q "bad.ini line 2" <<<"$out"
# configured paths that are devices or FIFOs: refused at once, never read without end (fonts =
# /dev/zero once hung start-up, deaf to SIGTERM)
mkfifo "$work/fifo"
for dev in /dev/zero "$work/fifo"; do
    printf '[paths]\nassets = %s/assets\nfonts = %s\n' "$top" "$dev" >"$work/dev.ini"
    capture timeout 20 "$bin/kiosk" --headless --config "$work/dev.ini" --state-dir "$work/devstate" --screenshot "$work/d.png"
    check "fonts = $dev: the kiosk refuses it at once (exit 2, not a hang)" test "$rc" -eq 2
done
capture timeout 20 "$bin/kiosk" --headless --config /dev/zero --screenshot "$work/d.png"
check "a configuration that is /dev/zero: refused (exit 2)" test "$rc" -eq 2
# SIGTERM at every stage of start-up (before the configuration is read, while fonts, content
# and the store open, at the first frame, in the main loop): the kiosk is gone within 2 s
printf 'wait-screen never.there 60000\n' >"$work/long.script"
for d in 0 0.01 0.03 0.06 0.1 0.2 0.5 1; do
    "$bin/kiosk" --headless --config "$top/tests/ui/kiosk-test.ini" --state-dir "$work/sig" \
        --script "$work/long.script" >/dev/null 2>&1 &
    p=$!
    sleep "$d"
    t0=$(date +%s%N)
    kill -TERM "$p" 2>/dev/null || true
    for i in $(seq 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    gone=$(kill -0 "$p" 2>/dev/null && echo no || echo yes)
    ms=$((($(date +%s%N) - t0) / 1000000))
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    check "SIGTERM ${d} s into start-up: gone in ${ms} ms" test "$gone" = yes
done
finish
