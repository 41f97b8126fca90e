#!/usr/bin/env bash
# bench/idle_traffic.sh BIN_DIR [SECONDS]: an idle kiosk's traffic to the registry (issue 17:
# at most 1 MB a day; about 7.6 MB before kept connections, resumed TLS and key changes).
# A relay on loopback counts the bytes both ways and the connections. Two runs of SECONDS
# (default 130) each, since the two kinds of traffic have their own clocks:
#   the sync cycle (ping, outbox, appointments, heartbeat, receipt keys): [sync] interval = 90
#     s (45 to 90, jittered: each cycle after the registry closed the idle connection at 30 s,
#     as at the default 600 s, so each resumes a TLS session), no push channel; the cycles
#     counted from the kiosk's debug log;
#   the push channel's long poll: [sync] command_wait = 50 s (the default), cycles every hour.
# Each run's first cycle or poll (the kiosk starting: full handshake) is left out; the figures
# per cycle and per poll, and a day at the defaults (a cycle every 600 s, a poll every 50 s
# less the registry's jitter of up to a fifth: taken as 45 s).
source "$(dirname "$0")/lib.sh"
secs=${2:-200}
bench_registry YT-BENCH-IDLE
run() { # run NAME INTERVAL COMMAND_WAIT: the kiosk idle for $secs behind the relay
    python3 "$top/bench/count_relay.py" 0 "$port" "$work/$1.count" >"$work/$1.relay" &
    local relay=$! rport i
    pids+=($relay)
    for i in $(seq 50); do rport=$(sed -n 's/listening on port //p' "$work/$1.relay"); [ -n "$rport" ] && break; sleep 0.1; done
    {
        printf '[office]\ncode = 370602\n[paths]\nassets = %s/assets\nfonts = %s/fonts/fonts.ini\n' "$top" "$top"
        printf 'calendar = %s/tests/data/calendar/always.json\n' "$top"
        printf '[sync]\nregistry = https://127.0.0.1:%s\ntls = %s/tls\ninterval = %s\ncommand_wait = %s\n' \
            "$rport" "$work" "$2" "$3"
    } >"$work/$1.ini"
    printf 'wait-log NEVER-LOGGED %s\n' $(((secs + 60) * 1000)) >"$work/$1.script"
    KIOSK_LOG_LEVEL=debug "$bin/kiosk" --headless --config "$work/$1.ini" --state-dir "$work/$1.state" \
        --script "$work/$1.script" 2>"$work/$1.log" &
    local kiosk=$!
    pids+=($kiosk)
    # the start (a full handshake, the first cycle or poll) is not idle traffic
    for i in $(seq 200); do grep -q "registry reachable" "$work/$1.log" 2>/dev/null && break; sleep 0.1; done
    sleep 3
    read -r u0 d0 c0 <"$work/$1.count"
    local n0 n1
    n0=$(grep -c "a cycle done" "$work/$1.log" || true)
    sleep "$secs"
    read -r u1 d1 c1 <"$work/$1.count"
    n1=$(grep -c "a cycle done" "$work/$1.log" || true)
    kill "$kiosk" "$relay" 2>/dev/null || true
    wait "$kiosk" "$relay" 2>/dev/null || true
    echo "$((u1 - u0)) $((d1 - d0)) $((c1 - c0)) $((n1 - n0))"
}
read -r cu cd cc cycles <<<"$(run cycles 90 0)"
read -r pu pd pc _ <<<"$(run polls 3600 50)"
[ "$cycles" -gt 0 ] || { echo "bench: no sync cycle in $secs s" >&2; exit 1; }
polls=$(awk -v s="$secs" 'BEGIN{printf "%.2f", s / 45}')
per_cycle=$(awk -v b=$((cu + cd)) -v n="$cycles" 'BEGIN{printf "%.0f", b / n}')
per_poll=$(awk -v b=$((pu + pd)) -v n="$polls" 'BEGIN{printf "%.0f", b / n}')
day=$(awk -v c="$per_cycle" -v p="$per_poll" 'BEGIN{printf "%.2f", (c * 86400 / 600 + p * 86400 / 45) / 1e6}')
echo "| measure | figure | target |"
echo "| --- | --- | --- |"
echo "| an idle kiosk's sync cycles ($cycles in $secs s: $cu B up, $cd B down, $cc new connections) | $per_cycle B a cycle | |"
echo "| the push channel's long polls ($secs s at about 45 s a poll: $pu B up, $pd B down, $pc new connections) | $per_poll B a poll | |"
echo "| an idle kiosk's day at the defaults (a cycle every 600 s, a poll every 45 s) | $day MB | ≤ 1 MB |"
