#!/usr/bin/env bash
# The kiosk's outbox drain (kiosk-sync, the real libcurl client) against the real registryd
# over mutual TLS on loopback: everything captured arrives exactly once, also when the sync
# is SIGKILLed at random moments during drains and when registryd is killed and restarted
# in the middle; a registry that is down loses nothing.
#
#   sync.sh BIN [PHASE]   PHASE: basic, kills, faults, rest (ctest runs each as its own test,
#                         so that they run side by side); none: all, one after the other
source "$(dirname "$0")/lib.sh"
phase=${2:-all}
want() { [ "$phase" = all ] || [ "$phase" = "$1" ]; }

"$bin/kioskctl" pki init "$work/pki" >/dev/null
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-01 --office 370602 --out "$work/tls" >/dev/null
mkdir -p "$work/data"
# The first start takes any free port (a random one could be another test's); restarts keep it.
# Until then the URL is one nothing listens on.
port=0
url="https://127.0.0.1:1"
start() { registry_start "$work/pki" "$work/data" "$port" "$work/tls" && url="https://127.0.0.1:$port"; }
sync_once() { "$bin/kiosk-sync" --state-dir "$work/kiosk" --registry "$url" --tls "$work/tls" --batch "${1:-100}"; }
registry_count() { registry_sql "SELECT count(*) FROM records"; }
outbox_count() { "$bin/kioskctl" store stats --state-dir "$work/kiosk" | sed 's/.*"outbox":\([0-9]*\).*/\1/'; }
up() { [ -n "${registry:-}" ] && kill -0 "$registry" 2>/dev/null || check "registryd starts" start; }
seeded=0

if want basic; then
# The registry is down: nothing is lost.
"$bin/seed_store" "$work/kiosk" 300
seeded=300
capture sync_once
check "registry down: kiosk-sync says so (exit 1)" test "$rc" -eq 1
check "and all 300 records wait in the outbox" test "$(outbox_count)" -eq 300

up
check "a drain sends all 300" sync_once
check "the registry has exactly 300" test "$(registry_count)" -eq 300
check "the outbox is empty" test "$(outbox_count)" -eq 0
fi

if want kills; then
up
# SIGKILL the sync at random moments during drains: 200 trials, small batches so that the
# kills land before, during and after the registry's commit and the kiosk's acknowledgement.
# The queue is topped up whenever it runs low, so that every run has a drain to be cut.
"$bin/seed_store" "$work/kiosk" 1000
seeded=$((seeded + 1000))
kills=0
for i in $(seq 200); do
    if [ $((i % 10)) -eq 0 ] && [ "$(outbox_count)" -lt 300 ]; then
        "$bin/seed_store" "$work/kiosk" 500
        seeded=$((seeded + 500))
    fi
    "$bin/kiosk-sync" --state-dir "$work/kiosk" --registry "$url" --tls "$work/tls" --batch 5 >/dev/null 2>&1 &
    s=$!
    sleep "$(printf '0.%03d' $((RANDOM % 160 + 40)))" # 40 to 200 ms: start-up, sending, acking
    kill -9 "$s" 2>/dev/null && kills=$((kills + 1))
    wait "$s" 2>/dev/null || true
done
echo "sync killed $kills of 200 times during drains; $(outbox_count) records still queued"
check "at least 150 of the 200 kills hit a running sync" test "$kills" -ge 150
check "after the kills a drain finishes the queue" sync_once
check "the registry has exactly the $seeded captured: none missing, none twice" test "$(registry_count)" -eq "$seeded"
check "the outbox is empty" test "$(outbox_count)" -eq 0

fi

if want faults; then
up
# Kill registryd in the middle of a drain, restart it, drain again.
"$bin/seed_store" "$work/kiosk" 2000
seeded=$((seeded + 2000))
"$bin/kiosk-sync" --state-dir "$work/kiosk" --registry "$url" --tls "$work/tls" --batch 20 >/dev/null 2>&1 &
s=$!
# killed once the drain is under way: the first records are in (not after a fixed time)
for i in $(seq 300); do [ "$(registry_count 2>/dev/null || echo 0)" -gt 0 ] && break; sleep 0.05; done
check "the drain is under way when registryd is killed" test "$(registry_count)" -lt "$seeded"
kill -9 "$registry"
wait "$s" 2>/dev/null || true
check "registryd restarts" start
check "the next drain completes" sync_once
check "the registry has exactly $seeded" test "$(registry_count)" -eq "$seeded"
check "the outbox is empty" test "$(outbox_count)" -eq 0
check "the kiosk's audit chain verifies" "$bin/kioskctl" audit verify --state-dir "$work/kiosk"

# Answers lost after the registry committed: a relay drops them (and lets every other
# connection through so that the drain ends). The kiosk sends again; the registry answers
# "duplicate"; nothing doubles. (The kiosk keeps its connection between requests: a drain's
# first connection loses its answer, the next one carries the rest; so three rounds.)
"$bin/cutproxy" 0 "$port" cut 2500 2 2>"$work/cut.log" &
pids+=($!)
pport=$(bound_port "$work/cut.log")
for round in 70 70 60; do
    "$bin/seed_store" "$work/kiosk" "$round"
    seeded=$((seeded + round))
    for i in $(seq 100); do
        "$bin/kiosk-sync" --state-dir "$work/kiosk" --registry "https://127.0.0.1:$pport" --tls "$work/tls" --batch 10 >/dev/null 2>&1 || true
        [ "$(outbox_count)" -eq 0 ] && break
    done
done
echo "$(grep -c 'cut an answer' "$work/cut.log") answers cut after the registry committed"
check "answers were lost on the way back" test "$(grep -c 'cut an answer' "$work/cut.log")" -ge 3
check "the outbox emptied all the same" test "$(outbox_count)" -eq 0
check "the registry has exactly $seeded: none twice" test "$(registry_count)" -eq "$seeded"

# A slow and lossy link (a roving point on weak 4G): ~80 ms a chunk, 48 kB/s, 5 % of chunks
# stall 1.5 s, 4 % kill the connection mid-request or mid-answer. The kiosk keeps trying until
# the queue is empty; the registry ends with each record once.
"$bin/seed_store" "$work/kiosk" 300
seeded=$((seeded + 300))
"$bin/cutproxy" 0 "$port" lossy 80 48000 4 5 17 2>"$work/lossy.log" &
pids+=($!)
lport=$(bound_port "$work/lossy.log")
tries=0
t0=$(date +%s)
for i in $(seq 200); do
    tries=$i
    "$bin/kiosk-sync" --state-dir "$work/kiosk" --registry "https://127.0.0.1:$lport" --tls "$work/tls" --batch 25 >/dev/null 2>&1 || true
    [ "$(outbox_count)" -eq 0 ] && break
done
drops=$(grep -c 'link dropped' "$work/lossy.log" || true)
stalls=$(grep -c 'stall' "$work/lossy.log" || true)
echo "lossy link: $tries drain runs in $(($(date +%s) - t0)) s; $drops connections dropped, $stalls stalls"
check "the link did drop connections" test "$drops" -ge 1
check "over the lossy link the outbox emptied" test "$(outbox_count)" -eq 0
check "the registry has exactly $seeded: none missing, none twice" test "$(registry_count)" -eq "$seeded"

fi

if want rest; then
up
"$bin/seed_store" "$work/kiosk" 0 # the kiosk's store, empty, when this phase runs alone
# Appointments: operators import them; the kiosk pulls its office's, from its cursor, with
# the cursor in the same transaction; what changed comes again, nothing twice.
check "an operator imports today's appointments" "$bin/kioskctl" appointments import \
    "$top/tests/data/appointments/today.json" --registry "$url" --pki "$work/pki"
capture sync_once
check "the kiosk pulls its office's two (not the other office's)" grep -q '"appointments":2' <<<"$out"
appts() { "$bin/kioskctl" store stats --state-dir "$work/kiosk" | sed 's/.*"appointments":\([0-9]*\).*/\1/'; }
check "two in the kiosk's cache" test "$(appts)" -eq 2
"$bin/kioskctl" appointments import "$top/tests/data/appointments/more.json" --registry "$url" --pki "$work/pki" >/dev/null
capture sync_once
check "a moved appointment and a new one come next" grep -q '"appointments":2' <<<"$out"
check "three in the cache: the moved one replaced, not doubled" test "$(appts)" -eq 3
check "the cursor is kept" test "$(sqlite3 "$work/kiosk/kiosk.db" "SELECT value FROM kv WHERE key = 'appointments.cursor'")" = 5
check "no appointment name in clear in the kiosk's files" bash -c "! grep -q '测试甲' '$work'/kiosk/kiosk.db*"
capture curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/pki/ca.crt" --cert "$work/tls/kiosk.crt" --key "$work/tls/kiosk.key" -X POST -d @"$top/tests/data/appointments/today.json" "$url/v1/admin/appointments"
check "a kiosk certificate cannot use the admin API: 403" test "$out" = 403

# Heartbeats: the fleet view names the kiosk, its version and its backlog.
capture "$bin/kioskctl" fleet --json --registry "$url" --pki "$work/pki"
check "kioskctl fleet lists the kiosk with its version and backlog" grep -q '"kiosk":"YT-370602-01","office":"370602".*"version":"0.1.0","backlog":0' <<<"$out"
capture curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/pki/ca.crt" --cert "$work/tls/kiosk.crt" --key "$work/tls/kiosk.key" "$url/v1/admin/fleet"
check "a kiosk certificate cannot read the fleet: 403" test "$out" = 403

# The registry's key is pinned: a pin of another key refuses the registry.
check "enrolment wrote the registry's key pin" grep -q '^sha256//' "$work/tls/registry.pin"
"$bin/seed_store" "$work/kiosk" 5
seeded=$((seeded + 5))
cp "$work/tls/registry.pin" "$work/registry.pin.good"
echo 'sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' >"$work/tls/registry.pin"
capture sync_once
check "a registry whose key does not match the pin is refused" test "$rc" -eq 1
check "saying why" grep -qi "pinned" <<<"$out"
check "and the records wait" test "$(outbox_count)" -eq 5
cp "$work/registry.pin.good" "$work/tls/registry.pin"
check "with the right pin they go" sync_once
check "the registry has exactly $seeded" test "$(registry_count)" -eq "$seeded"

# A store that cannot be written (every write and sync fails: the test hook's fault VFS, as a
# full or read-only disk would) while the registry is up: kiosk-sync says the store failed
# (exit 3), not that the registry is unreachable; the records wait; once the store works they
# go, once each.
"$bin/seed_store" "$work/kiosk" 4
seeded=$((seeded + 4))
capture env KIOSK_STORE_FAIL_AFTER=0 "$bin/kiosk-sync" --state-dir "$work/kiosk" --registry "$url" --tls "$work/tls"
check "a store that cannot be written: exit 3" test "$rc" -eq 3
check "saying the local store failed" grep -q "the local store failed" <<<"$out"
check "not that the registry is unreachable" bash -c "! grep -q 'could not be reached' <<<\"\$1\"" _ "$out"
check "and the records wait" test "$(outbox_count)" -eq 4
check "with the store working they go" sync_once
check "the registry has exactly $seeded: none twice" test "$(registry_count)" -eq "$seeded"
fi
finish
