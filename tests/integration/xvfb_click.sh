#!/usr/bin/env bash
# The real windowed kiosk under Xvfb: a real mouse click (xdotool) on 办事指南 opens the guide,
# and Ctrl+Shift+Q (the development exit) ends the kiosk cleanly.
source "$(dirname "$0")/lib.sh"

Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
wait_for . 10 "$work/display" || { echo "Xvfb did not start"; cat "$work/xvfb.log"; exit 1; }
export DISPLAY=":$(head -1 "$work/display")"

export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
KIOSK_DEV_EXIT=1 KIOSK_LOG_LEVEL=debug "$bin/kiosk" --window 1280x720 --config "$config" --state-dir "$work/state" \
    >"$work/kiosk.log" 2>&1 &
kiosk=$!
pids+=($kiosk)
check "the kiosk shows home in a window" wait_for "app: screen home" 20 "$work/kiosk.log"
for i in $(seq 50); do wid=$(xdotool search --pid "$kiosk" 2>/dev/null | head -1); [ -n "$wid" ] && break; sleep 0.1; done
check "its window is on the display" test -n "$wid"
check "and is not fullscreen: 1280x720" bash -c "xdotool getwindowgeometry '$wid' | grep -q 'Geometry: 1280x720'"

# Where the guide tile is, in canvas pixels, scaled to the 1280x720 window (factor 2/3).
rect=$(grep -o 'widget home.guide rect=[0-9,]*' "$work/kiosk.log" | head -1 | cut -d= -f2)
IFS=, read -r x y w h <<<"$rect"
cx=$(((x + w / 2) * 1280 / 1920))
cy=$(((y + h / 2) * 720 / 1080))
sleep 0.5
xdotool mousemove --window "$wid" --sync "$cx" "$cy" click 1
check "a real click on 办事指南 opens the guide" wait_for "app: screen guide" 10 "$work/kiosk.log"

# The home button, top right of the guide.
rect=$(grep -o 'widget guide.home rect=[0-9,]*' "$work/kiosk.log" | head -1 | cut -d= -f2)
IFS=, read -r x y w h <<<"$rect"
xdotool mousemove --window "$wid" --sync $(((x + w / 2) * 1280 / 1920)) $(((y + h / 2) * 720 / 1080)) click 1
check "and 返回首页 goes back home" wait_for "screen home (session wiped)" 10 "$work/kiosk.log"

# A keyboard-wedge scanner: a code typed as a fast burst ending in Enter is a scan...
xdotool type --delay 4 "YT-WEDGE-0001"
xdotool key --delay 4 Return
check "a keyboard-wedge burst arrives as a scan" wait_for "code scanned (keyboard wedge)" 10 "$work/kiosk.log"
check "and starts a check-in with it (no appointment here: it says so)" wait_for "app: screen checkin.problem" 10 "$work/kiosk.log"
rect=$(grep -o 'widget checkin.home rect=[0-9,]*' "$work/kiosk.log" | head -1 | cut -d= -f2)
IFS=, read -r x y w h <<<"$rect"
xdotool mousemove --window "$wid" --sync $(((x + w / 2) * 1280 / 1920)) $(((y + h / 2) * 720 / 1080)) click 1
# ...and a person typing slowly is not.
xdotool type --delay 250 "1234"
xdotool key Return
sleep 0.5
check "slow typing is not taken for a scan" test "$(grep -c 'code scanned' "$work/kiosk.log")" -eq 1

xdotool key ctrl+shift+q
set +e
for i in $(seq 50); do kill -0 "$kiosk" 2>/dev/null || break; sleep 0.1; done
wait "$kiosk"; rc=$?
set -e
check "Ctrl+Shift+Q ends the kiosk with exit 0" test "$rc" -eq 0
if grep -q "ERROR" "$work/kiosk.log"; then not_ok "no errors in the log"; grep -A12 ERROR "$work/kiosk.log" | head -40; else ok "no errors in the log"; fi
finish
