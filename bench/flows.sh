#!/usr/bin/env bash
# bench/flows.sh BIN_DIR [RUNS]: a scripted check-in by card and a scripted 婚育户一件事 against
# registryd and the device simulators (the release build, headless), timed from the kiosk's
# own log lines: check-in from the first card read to the done screen (two card reads at
# 115200 baud included), the joint application with every service
# from its start page to the done screen (two card reads for the cards, two for the
# declarations). Median of RUNS (default 5), as a table.
source "$(dirname "$0")/lib.sh"
runs=${2:-5}
export TZ=CST-8
bench_registry YT-BENCH
bench_devices "[checkin]" "early_minutes = 720" "late_minutes = 720"
"$bin/kioskctl" appointments import "$top/tests/data/appointments/checkin.csv" \
    "${R[@]}" >/dev/null
cards=$top/tests/data/cards
printf 'clock 2026-11-23T09:10\nwait 已连接登记中心 10000\ncard %s/resident_male.json\nwait-screen checkin.parties\ncard none\ncard %s/resident_female_long.json\nwait-screen checkin.done\ntap 返回首页\ncard none\n' "$cards" "$cards" >"$work/checkin.script"
grep -v '^shot ' "$top/tests/data/scripts/joint_full.script" | sed "s|CARDS|$cards|g" >"$work/joint.script"
# ms between the first line matching $2 and the first matching $3 of a timestamped log $1
span() { awk -v a="$2" -v b="$3" '$0 ~ a && !s {s=$1} $0 ~ b && s && !e {e=$1} END {printf "%.0f", (e - s) / 1e6}' "$1"; }
run() { # run SCRIPT STATE LOG: the kiosk's log lines, each with the time it arrived
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$2" --script "$1" 2>&1 |
        while IFS= read -r line; do echo "$(date +%s%N) $line"; done >"$3"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}'; }
c=() j=()
for i in $(seq "$runs"); do
    run "$work/checkin.script" "$work/s$i" "$work/c$i.log"
    c+=("$(span "$work/c$i.log" 'devices: card read' 'screen checkin.done')")
    run "$work/joint.script" "$work/j$i" "$work/j$i.log"
    j+=("$(span "$work/j$i.log" 'screen joint$|screen joint \(' 'screen joint.done')")
    sqlite3 "$work/data/registry.db" "DELETE FROM records" # the couple checks in again
done
echo "| measure (median of $runs) | figure | runs |"
echo "| --- | --- | --- |"
echo "| check-in by card: first card read to the receipt screen | $(printf '%s\n' "${c[@]}" | median) ms | ${c[*]} |"
echo "| 婚育户一件事 scripted, every service: start page to the receipt screen | $(printf '%s\n' "${j[@]}" | median) ms | ${j[*]} |"
