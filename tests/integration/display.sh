#!/usr/bin/env bash
# The waiting room's display ([kiosk] role = display) against registryd: its heartbeats say it
# is a display; a walk-in checks in at a kiosk; window 1 calls the ticket; the call reaches the
# display through its push channel, which shows the number and the window and speaks them
# (espeak through SDL's dummy audio); while the registry is down it says 叫号暂停.
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
check "the device simulators start" sims_up
kiosk_ini "$work/kiosk.ini" "[checkin]" "walk_in = true"
display_ini "voice_english = on"
"$bin/kioskctl" queue window 370602 1 marriage,joint --name 1号窗口 "${R[@]}" >/dev/null
export SDL_AUDIODRIVER=dummy LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
cat >"$work/display.script" <<SCRIPT
expect-screen display
wait 请留意叫号 20000
shot display_idle
wait W001 60000
expect 请到 1号窗口
shot display_call
wait-log voice: say display.call 10000
wait-log call: W001 to window 1 30000
wait 叫号暂停 30000
expect-not W001
shot display_paused
wait W001 60000
SCRIPT
display_up
cards=$top/tests/data/cards
printf 'card %s/resident_walk_in.json\nwait-screen checkin.problem 15000\ntap 现场取号\nwait-screen checkin.done 15000\nexpect W001\ncard none\n' \
    "$cards" >"$work/walkin.script"
check "a walk-in checks in at the kiosk: W001" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/sk" --script "$work/walkin.script"
for i in $(seq 100); do
    "$bin/kioskctl" queue show 370602 --json "${R[@]}" | grep -q '"queue_no":"W001"' && break
    sleep 0.2
done
t0=$(date +%s%3N)
capture "$bin/kioskctl" queue call 370602 1 "${R[@]}"
check "window 1 calls it" grep -q '"ticket":[0-9]' <<<"$out"
check "the display shows the call" wait_for "call: W001 to window 1" 10 "$work/display.log"
echo "from the call to the display: $(($(date +%s%3N) - t0)) ms"
# the registry stops: the display says 叫号暂停 rather than showing what may be stale; back,
# it shows the calls again
kill "$registry"
wait "$registry" 2>/dev/null || true
for i in $(seq 300); do # down until the display has said so (its shot of it)
    [ -s "$work/shots/display_paused.png" ] && break
    sleep 0.1
done
check "registryd restarts on its port" registry_start "$work/pki" "$work/data" "$port" "$work/tls"
kiosk_wait display
check "the display's script: the number and the window on screen, spoken; 叫号暂停 while the registry was down, the calls again after" test "$krc" -eq 0
check "spoken in Mandarin, the number digit by digit, the window's number" \
    grep -q 'voice: say display.call: qing3 W ling2 ling2 yi1 hao4, dao4 yi1 hao4 chuang1 kou3 ban4 li3' "$work/display.log"
check "and in English after it ([kiosk] voice_english = on), letters and digits one by one" \
    grep -q 'voice: say display.call in English: Number W 0 0 1 , please go to window 1 ' "$work/display.log"
samples=$(sed -n 's/.*voice: \([0-9]*\) samples spoken.*/\1/p' "$work/display.log")
echo "samples spoken: ${samples:-none}"
check "and synthesised with its chime: at least 5 s of audio at 22050 Hz (chime 1 s, Mandarin, English)" \
    test "${samples:-0}" -ge 110250
check "no personal data on the display's log" bash -c "! grep -q -e 孙样例 -e 370602199001013015 '$work/display.log'"
[ -z "${DISPLAY_SHOTS:-}" ] || cp "$work"/shots/display_*.png "$DISPLAY_SHOTS/"
finish
