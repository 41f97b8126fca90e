#!/usr/bin/env bash
# Two registryd processes on one PostgreSQL (run by tests/tools/with_pg.sh) and one data
# folder for the blobs: any process answers any kiosk. A command an operator posts to one
# reaches, within a second, the long poll a kiosk holds on the other (LISTEN/NOTIFY), both
# ways; a blob published through one is served by the other; a record sent to one is known
# to the other.
source "$(dirname "$0")/lib.sh"
check "a PostgreSQL of the test's own (tests/tools/with_pg.sh)" test -n "${RSTORE_PG:-}"
check "registryd A starts" registry_up
a_pid=$registry a_url=$url
# (B logs at debug level: a poll whose kiosk went away, below)
if KIOSK_LOG_LEVEL=debug registry_start "$work/pki" "$work/data" 0 "$work/tls"; then
    ok "registryd B starts on the same database and data folder"
else
    not_ok "registryd B starts on the same database and data folder"
fi
b_pid=$registry b_url="https://127.0.0.1:$port"
K=(--cacert "$work/pki/ca.crt" --cert "$work/tls/kiosk.crt" --key "$work/tls/kiosk.key")
O=(--cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" --key "$work/pki/operator.key")

# poll_on URL FROM TO: the kiosk's long poll held on URL while an operator posts a command to
# FROM's process; prints the milliseconds from the post to the poll's answer
poll_across() {
    local poll=$1 post=$2 text=$3 t0 t1
    curl -s "${K[@]}" "$poll/v1/commands?after=0&wait=30" >"$work/poll.out" &
    local cpid=$!
    # held: the process's log says nothing of polls, so wait until the answer would have come
    # back at once if there were anything to say, then a little for the request to be parked
    for i in $(seq 50); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.02; done
    t0=$(date +%s%3N)
    "$bin/kioskctl" command send YT-370602-01 notice "$text" --registry "$post" --pki "$work/pki" >/dev/null
    wait "$cpid"
    t1=$(date +%s%3N)
    echo $((t1 - t0))
}
ms=$(poll_across "$b_url" "$a_url" "from A")
echo "a command posted to A reached the poll held on B in $ms ms"
check "a command posted to A reaches the poll held on B" grep -q '"arg":"from A"' "$work/poll.out"
check "  within 1 s" test "$ms" -lt 1000
after=$(sed -n 's/.*"seq":\([0-9]*\).*/\1/p' "$work/poll.out" | tail -1)
curl -s "${K[@]}" -X POST -d '{"result":"ok"}' "$b_url/v1/commands/$after/ack" >/dev/null
ms=$(poll_across "$a_url" "$b_url" "from B")
echo "a command posted to B reached the poll held on A in $ms ms"
check "and one posted to B reaches the poll held on A within 1 s" \
    bash -c "grep -q '\"arg\":\"from B\"' '$work/poll.out' && test $ms -lt 1000"
check "the commands' numbers are the database's: 1 and 2" \
    test "$(registry_sql "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM commands")" = "1,2"

# a blob through A, served by B
head -c 200000 /dev/urandom >"$work/blob"
sha=$(sha256sum "$work/blob" | cut -d' ' -f1)
check "a blob is published through A" curl -sf "${O[@]}" -X PUT --data-binary @"$work/blob" "$a_url/v1/admin/blobs/$sha" -o /dev/null
check "  and B serves it, the same bytes" bash -c "curl -sf ${K[*]} '$b_url/v1/blobs/$sha' | cmp -s - '$work/blob'"

# a record through A, its status from B
id=$(python3 -c 'import os, time; h = "%012x" % int(time.time() * 1000) + "7" + os.urandom(2).hex()[:3] + "8" + os.urandom(8).hex()[:15]; print("-".join([h[:8], h[8:12], h[12:16], h[16:20], h[20:32]]))')
capture curl -s "${K[@]}" -H 'Content-Type: application/json' "$a_url/v1/checkins" \
    -d "{\"records\":[{\"id\":\"$id\",\"payload\":{\"business\":\"marriage\",\"queue_no\":\"A001\"}}]}"
check "a check-in sent to A is accepted" grep -q '"status":"accepted"' <<<"$out"
capture curl -s "${K[@]}" "$b_url/v1/status?ids=$id"
check "  and B knows it" grep -q '"status":"received"' <<<"$out"
capture curl -s "${K[@]}" -H 'Content-Type: application/json' "$b_url/v1/checkins" \
    -d "{\"records\":[{\"id\":\"$id\",\"payload\":{\"business\":\"marriage\",\"queue_no\":\"A001\"}}]}"
check "  and takes it again as a duplicate, not a second record" grep -q '"status":"duplicate"' <<<"$out"
check "one row at the database" test "$(registry_sql "SELECT count(*) FROM records WHERE id = '$id'")" = 1

# two more on one port (reuse_port, packaging/registry/registry-a.ini): both bind it, and
# requests to it are answered; each process logs the kiosks it served
shared=$((20000 + RANDOM % 20000))
printf '[registry]\nlisten = 127.0.0.1:%s\nreuse_port = on\ndatabase = %s dbname=postgres\ndata = %s\npki = %s\n' \
    "$shared" "$RSTORE_PG" "$work/data" "$work/pki" >"$work/shared.ini"
for n in 1 2; do
    "$bin/registryd" --config "$work/shared.ini" 2>"$work/shared$n.log" &
    pids+=($!)
done
check "two registryd listen on one port (SO_REUSEPORT)" \
    bash -c "for i in \$(seq 150); do grep -q 'listening on 127.0.0.1:$shared' '$work/shared1.log' && grep -q 'listening on 127.0.0.1:$shared' '$work/shared2.log' && exit 0; sleep 0.1; done; exit 1"
fails=0
for i in $(seq 40); do
    curl -sf "${K[@]}" "https://127.0.0.1:$shared/v1/whoami" -o /dev/null || fails=$((fails + 1))
done
check "  and 40 fresh connections to it are all answered" test "$fails" -eq 0
# a kiosk that goes away mid-poll (4G dropped): its connection is closed at once, not held
# for the rest of the wait (the log line is at debug level: B was started with it)
curl -s "${K[@]}" "$b_url/v1/commands?after=999999&wait=50" >/dev/null &
cpid=$!
for i in $(seq 50); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.02; done
kill "$cpid" 2>/dev/null || true
check "a poll whose kiosk went away is closed at once, not after its 50 s" \
    wait_for "YT-370602-01 went away during its long poll" 5 "$work/registry.log"
# a TLS session made with A resumes on B (the ticket keys come from the shared data key): a
# kiosk reconnecting lands on either process without a full mutual handshake
tls_to() { # PORT [s_client options]
    local p=$1
    shift
    printf 'GET /v1/whoami HTTP/1.1\r\nHost: registry\r\nConnection: close\r\n\r\n' |
        timeout 10 openssl s_client -connect "127.0.0.1:$p" -cert "$work/tls/kiosk.crt" \
            -key "$work/tls/kiosk.key" -CAfile "$work/pki/ca.crt" -ign_eof "$@" 2>&1 || true
}
tls_to "${a_url##*:}" -sess_out "$work/a.sess" >/dev/null
capture tls_to "${b_url##*:}" -sess_in "$work/a.sess"
check "a TLS session made with A resumes on B" grep -q "^Reused, TLSv1.3" <<<"$out"
check "  and B knows the kiosk from it" grep -q '"kiosk":"YT-370602-01"' <<<"$out"
finish
