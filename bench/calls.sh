#!/usr/bin/env bash
# bench/calls.sh BIN_DIR [N]: a window's call reaching the waiting room's display (issue 16:
# within 1 s through the push channel). registryd, a display kiosk ([kiosk] role = display,
# headless, its long poll open) and one ticket; the window calls it, then recalls it N times
# (default 20); each recall, from starting `kioskctl queue call|recall` (its TLS handshake
# included) to the display's log line of the call, polled every 5 ms. A table.
source "$(dirname "$0")/lib.sh"
n=${2:-20}
bench_registry YT-BENCH-D1
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-BENCH-01 --office 370602 --out "$work/tls-k" >/dev/null
"$bin/kioskctl" queue window 370602 1 marriage --name 1号窗口 "${R[@]}" >/dev/null
# one walk-in's check-in, as a kiosk sends it
now=$(date +%s)
id=$(python3 -c 'import os, time; h = "%012x" % int(time.time() * 1000) + "7" + os.urandom(2).hex()[:3] + "8" + os.urandom(8).hex()[:15]; print("-".join([h[:8], h[8:12], h[12:16], h[16:20], h[20:32]]))') # a UUIDv7
answer=$(curl -s --cacert "$work/pki/ca.crt" --cert "$work/tls-k/kiosk.crt" --key "$work/tls-k/kiosk.key" \
    -H 'Content-Type: application/json' "$url/v1/checkins" \
    -d "{\"records\":[{\"id\":\"$id\",\"payload\":{\"walk_in\":true,\"business\":\"marriage\",\"queue_no\":\"W001\",\"office\":\"370602\",\"checked_in_at\":$now}}]}")
grep -q accepted <<<"$answer" || { echo "bench: the check-in was not taken: $answer" >&2; exit 1; }
{
    printf '[office]\ncode = 370602\nname = 烟台市芝罘区婚姻登记处\n'
    printf '[paths]\nassets = %s/assets\nfonts = %s/fonts/fonts.ini\ncalendar = %s/tests/data/calendar/always.json\n' "$top" "$top" "$top"
    printf '[sync]\nregistry = %s\ntls = %s/tls\ninterval = 600\n[kiosk]\nrole = display\n' "$url" "$work"
} >"$work/display.ini"
printf 'expect-screen display\nwait NEVER-SHOWN 600000\n' >"$work/display.script"
"$bin/kiosk" --headless --config "$work/display.ini" --state-dir "$work/sd" --script "$work/display.script" \
    2>"$work/display.log" &
pids+=($!)
for i in $(seq 300); do
    "$bin/kioskctl" fleet --json "${R[@]}" | grep -q '"role":"display"' && break
    sleep 0.1
done
# the first call waits for the display's long poll if it is not open yet: not counted
ticket=$("$bin/kioskctl" queue call 370602 1 "${R[@]}" | sed -n 's/.*"ticket":\([0-9]*\).*/\1/p')
for j in $(seq 2000); do
    grep -q "call: W001 to window 1" "$work/display.log" && break
    sleep 0.005
done
ms=()
for i in $(seq "$n"); do
    seen=$(grep -c "call: W001 to window 1" "$work/display.log" || true)
    t0=$(date +%s%N)
    "$bin/kioskctl" queue recall 370602 "$ticket" "${R[@]}" >/dev/null
    for j in $(seq 2000); do
        [ "$(grep -c "call: W001 to window 1" "$work/display.log" || true)" -gt "$seen" ] && break
        sleep 0.005
    done
    t1=$(date +%s%N)
    ms+=($(((t1 - t0) / 1000000)))
done
sorted=($(printf '%s\n' "${ms[@]}" | sort -n))
p50=${sorted[$((n / 2))]}
p95=${sorted[$(((n * 95 + 99) / 100 - 1))]}
max=${sorted[$((n - 1))]}
echo "| measure | figure | target |"
echo "| --- | --- | --- |"
echo "| a window's call to the display ($n recalls; from kioskctl's start, its handshake included, to the display's log line) | p50 $p50 ms, p95 $p95 ms, max $max ms | ≤ 1000 ms |"
