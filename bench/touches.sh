#!/usr/bin/env bash
# bench/touches.sh BIN_DIR: the touches and screens a couple needs for 婚育户一件事 with every
# service (marriage, the hukou's marital status, birth registration, household move), from
# their marriage booking, scripted key by key
# (tests/data/scripts/joint_full.script) against registryd and the device simulators, in the
# standard theme and in 关怀版. A screen is a step, picker or keyboard shown (once however often
# it is returned to); a touch is a tap or a key. Target (issue 14): at most 90 touches and 20
# screens. Prints a table, then the touches made on each screen.
source "$(dirname "$0")/lib.sh"
export TZ=CST-8
bench_registry YT-BENCH
bench_devices
# the couple's marriage booking: 婚育户一件事 follows it (found by the man's card: no touch)
"$top/tests/data/appointments/couple.sh" >"$work/booking.csv"
"$bin/kioskctl" appointments import "$work/booking.csv" "${R[@]}" >/dev/null
sed "s|CARDS|$top/tests/data/cards|g" "$top/tests/data/scripts/joint_full.script" >"$work/joint.script"
# the 关怀版 run: the same answers, with the pages' extra 下一页 (fewer rows fit) taken from
# the care test's script
sed -n '/^cat >"$work\/joint.script" <<SCRIPT$/,/^SCRIPT$/p' "$top/tests/integration/care_flows.sh" |
    sed '1d;$d' | sed "s|\$cards|$top/tests/data/cards|g" |
    sed 's/^tap 婚育户一件事$/wait 已连接登记中心 20000\ncount start\ntap 婚育户一件事/; s/^wait-screen joint.done 15000$/&\ncount stop/' >"$work/care.script"
run() { # run SCRIPT LOG [ARGS]: the count line of the kiosk's log
    local s=$1 l=$2
    shift 2
    KIOSK_LAYOUT_CHECK=0 "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state-$l" \
        --script "$s" --screenshot-dir "$work" "$@" 2>"$work/$l.log" || { grep FAIL "$work/$l.log" >&2; return 1; }
    sed -n 's/.*count: //p' "$work/$l.log"
}
std=$(run "$work/joint.script" std)
sqlite3 "$work/data/registry.db" "DELETE FROM records" # the couple applies again
care=$(run "$work/care.script" care --theme care)
t() { sed -n 's/^\([0-9]*\) touches.*/\1/p' <<<"$1"; }
s() { sed -n 's/.* \([0-9]*\) screens.*/\1/p' <<<"$1"; }
echo "| 婚育户一件事 | touches | screens | target |"
echo "| --- | --- | --- | --- |"
echo "| standard, every service (marital status, birth, household move) | $(t "$std") | $(s "$std") | ≤ 90 touches, ≤ 20 screens |"
echo "| 关怀版, birth registration and household move | $(t "$care") | $(s "$care") | (larger rows: more pages) |"
echo "| issue 14's flow, three services (before it: 159, 33) | 61 | 19 | |"
echo
echo "touches a screen (standard):"
sed 's/.*screens: //' <<<"$std" | tr ' ' '\n' | sed 's/^/  /'
