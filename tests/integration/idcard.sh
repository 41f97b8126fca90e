#!/usr/bin/env bash
# The real ID card driver (idcard-read) against idcard-sim over a real pty: every synthetic
# card reads back field for field, every fault ends in a successful retry or a clear error,
# and unplugging and plugging the reader back in recovers.
source "$(dirname "$0")/lib.sh"

link="$work/reader"
ctl="$work/reader.ctl"
"$bin/idcard-sim" --link "$link" --control "$ctl" 2>"$work/sim.log" &
pids+=($!)
check "idcard-sim creates its pty link" wait_for . 5 <(for i in $(seq 50); do [ -e "$link" ] && echo up && break; sleep 0.1; done)
sim() { "$bin/simctl" "$ctl" "$@" >/dev/null; }
read_card() { "$bin/idcard-read" "$link" --timeout "${1:-3000}" >"$work/out.json" 2>"$work/err.txt"; }

for card in "$top"/tests/data/cards/*.json; do
    name=$(basename "$card" .json)
    sim insert "$card"
    check "$name: read" read_card
    check "$name: every field as on the card" "$bin/jsonsub" "$card" "$work/out.json"
done
check "the photo comes as 1024 bytes of WLT" grep -q '"photo_wlt_size":1024' "$work/out.json"

# After a read the card must be lifted: the same card is not read twice.
capture read_card 500
check "a card already read is not found again until lifted (exit 3)" test "$rc" -eq 3
check "with a clear message" grep -q "no card on the reader" "$work/err.txt"
sim remove
capture read_card 500
check "no card: exit 3" test "$rc" -eq 3

card="$top/tests/data/cards/resident_male.json"
for fault in checksum truncate garbage silence "silence 3" readfail "readfail 2"; do
    sim insert "$card"
    sim fault $fault
    check "fault $fault: a retry reads the card" read_card
    check "fault $fault: and reads it right" "$bin/jsonsub" "$card" "$work/out.json"
done

sim insert "$card"
sim fault silence 100
capture read_card 1500
check "a reader that never answers: protocol error, exit 5" test "$rc" -eq 5
check "with a clear message" grep -q "protocol error: no valid answer" "$work/err.txt"
sim fault none
sim insert "$card"
sim fault readfail 100
capture read_card 1500
check "a card that always fails to read: exit 5" test "$rc" -eq 5
check "naming the status" grep -q "read failed (41)" "$work/err.txt"
sim fault none
sim remove

# Unplug while idcard-read waits; plug back; the card is read.
sim insert "$card"
sim unplug
check "unplugged: the link is gone" test ! -e "$link"
"$bin/idcard-read" "$link" --timeout 5000 >"$work/replug.json" 2>"$work/replug.err" &
reader=$!
sleep 0.7
sim replug
rc=0
wait "$reader" || rc=$?
check "plugged back in: the waiting read succeeds" test "$rc" -eq 0
check "and reads the card right" "$bin/jsonsub" "$card" "$work/replug.json"

# Unplug in the middle of waiting for a card, and never come back: a device error.
sim remove
sim unplug
capture read_card 1000
check "a reader that stays away: device error, exit 4" test "$rc" -eq 4
check "saying it was unplugged or cannot be opened" grep -Eq "device error: .*(unplugged|cannot open)" "$work/err.txt"
sim replug

capture "$bin/idcard-read" "$work/no-such-device" --timeout 300
check "no such device: exit 4" test "$rc" -eq 4
check "no card data in the simulator's log" bash -c "! grep -q '郑测涛\|370602199503123011' '$work/sim.log'"
finish
