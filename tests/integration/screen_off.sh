#!/usr/bin/env bash
# [display] screen_off = calendar (issue 18 item 2): the kiosk on home goes dark outside the
# office's hours by its content calendar (09:00-12:00 and 13:30-17:00 on weekdays), a touch
# lights home for a minute without pressing anything, and home lights by itself at opening.
# Without the setting (its default, never) home stays lit at night.
source "$(dirname "$0")/lib.sh" "$@"
ini() { # FILE SCREEN_OFF
    printf '[office]\nname = 烟台市芝罘区婚姻登记处\ncode = 370602\n[paths]\nassets = %s/assets\nfonts = %s/fonts/fonts.ini\n[display]\nscreen_off = %s\n' \
        "$top" "$top" "$2" >"$1"
}
ini "$work/dark.ini" calendar
cat >"$work/dark.script" <<'S'
clock 2026-11-23T22:00
wait-log screen dark: outside the office's hours 5000
expect-not 预约签到
shot dark
tap 预约签到
wait 预约签到 3000
expect-screen home
idle 61
wait-log screen dark 5000
expect-not 预约签到
clock 2026-11-24T08:59
idle 62
wait 预约签到 5000
shot opened
S
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
capture "$bin/kiosk" --headless --config "$work/dark.ini" --state-dir "$work/s1" --script "$work/dark.script" --screenshot-dir "$work"
check "dark at 22:00, lit for a minute by a touch (pressing nothing), dark again, lit at 09:00" test "$rc" -eq 0
[ "$rc" -eq 0 ] || grep -a "FAIL" <<<"$out"
check "the dark frame is black" python3 -c "
import struct, sys, zlib
d = open('$work/dark.png', 'rb').read()
w, h = struct.unpack('>II', d[16:24])
i, idat = 8, b''
while i < len(d):
    n, t = struct.unpack('>I4s', d[i:i + 8])
    if t == b'IDAT': idat += d[i + 8:i + 8 + n]
    i += 12 + n
raw = zlib.decompress(idat)
sys.exit(0 if max(raw[j] for j in range(0, len(raw), 997) if j % (w * 3 + 1)) == 0 else 1)"
ini "$work/lit.ini" never
printf 'clock 2026-11-23T22:00\nidle 2\nexpect 预约签到\n' >"$work/lit.script"
capture "$bin/kiosk" --headless --config "$work/lit.ini" --state-dir "$work/s2" --script "$work/lit.script"
check "with screen_off = never, home stays lit at night" test "$rc" -eq 0
finish
