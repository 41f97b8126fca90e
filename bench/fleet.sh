#!/usr/bin/env bash
# bench/fleet.sh BIN_DIR MODE [N] [RECORDS]: the fleet benchmark (issue 17), bench_fleet against
# registryd, a table of what each registry process took and what the kiosks saw.
#   sqlite N       one registryd on SQLite, N kiosks (default 2000; target: heartbeat p99
#                  <= 300 ms)
#   pg N           two registryd on one PostgreSQL, on one port (SO_REUSEPORT), N kiosks
#                  (default 10000; targets: heartbeat p99 <= 500 ms, every command within 2 s,
#                  no connection refused)
#   kill N R       two registryd on PostgreSQL, N kiosks (default 100) sending R records each
#                  (default 2000) in batches of 100, one registryd SIGKILLed once a third is in
#                  and started again: every record must be stored exactly once
# Each kiosk heartbeats every HEARTBEAT seconds (default 60: ten times the kiosk's default
# interval of 600 s) and holds a long poll; an operator posts COMMANDS a second (default 5)
# to random kiosks. PostgreSQL runs with fsync on (PG_DURABLE). Records are counted at the
# database: rows and distinct (kiosk, id).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-build-release/bin}" && pwd)
mode=${2:-sqlite}
if [ "$mode" != sqlite ] && [ -z "${RSTORE_PG:-}" ]; then
    PG_DURABLE=1 exec "$top/tests/tools/with_pg.sh" "$0" "$@"
fi
case $mode in
sqlite) n=${3:-2000} procs=1 ;;
pg) n=${3:-10000} procs=2 ;;
kill) n=${3:-100} procs=2 records=${4:-2000} ;;
*) echo "usage: bench/fleet.sh BIN_DIR sqlite|pg|kill [N] [RECORDS]" >&2; exit 2 ;;
esac
heartbeat=${HEARTBEAT:-60} commands=${COMMANDS:-5} duration=${DURATION:-150}
work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-fleet-XXXXXX")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/kioskctl" pki init "$work/pki" >/dev/null
mkdir -p "$work/data"
port=$((20000 + RANDOM % 20000))
db=()
[ "$mode" = sqlite ] || db=("database = $RSTORE_PG dbname=postgres")
for i in $(seq "$procs"); do
    printf '[registry]\nlisten = 127.0.0.1:%s\ndata = %s\npki = %s\nreuse_port = on\n%s\n' \
        "$port" "$work/data" "$work/pki" "${db[@]}" >"$work/r$i.ini"
done
reg=()
start() { # start I: registry process I, waited for
    "$bin/registryd" --config "$work/r$1.ini" 2>>"$work/r$1.log" &
    reg[$1]=$!
    pids+=($!)
    local k
    for k in $(seq 300); do
        grep -q "listening on" "$work/r$1.log" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "fleet: registryd $1 did not start" >&2
    exit 1
}
for i in $(seq "$procs"); do start "$i"; done
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # clock ticks, user + system
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
tick=$(getconf CLK_TCK)
declare -A cpu0
for i in $(seq "$procs"); do cpu0[$i]=$(cpu "${reg[$i]}"); done
count() {
    if [ "$mode" = sqlite ]; then
        sqlite3 "$work/data/registry.db" "SELECT count(*), count(DISTINCT kiosk || '/' || id) FROM records" | tr '|' ' '
    else
        psql "$RSTORE_PG dbname=postgres" -qAtc "SELECT count(*), count(DISTINCT (kiosk, id)) FROM records" | tr '|' ' '
    fi
}
args=(--pki "$work/pki" --target "127.0.0.1:$port" --kiosks "$n" --procs 4)
if [ "$mode" = kill ]; then
    args+=(--heartbeat 0 --records "$records" --batch 100 --duration 600 --ramp 100)
else
    args+=(--heartbeat "$heartbeat" --commands "$commands" --duration "$duration" --ramp "${RAMP:-500}")
fi
t0=$(date +%s)
"$bin/bench_fleet" "${args[@]}" >"$work/fleet.json" 2>"${FLEET_LOG:-$work/fleet.log}" &
fleet=$!
pids+=($fleet)
killed=
conns=()
while kill -0 "$fleet" 2>/dev/null; do
    sleep 1
    if [ "$mode" = kill ] && [ -z "$killed" ]; then
        read -r rows _ < <(count)
        if [ "$rows" -ge $((n * records / 3)) ]; then
            kill -9 "${reg[1]}"
            killed="SIGKILLed registryd 1 at $rows records"
            sleep 1
            start 1
            cpu0[1]=$(cpu "${reg[1]}")
        fi
    fi
    # the connections each process holds, at their most
    for i in $(seq "$procs"); do
        c=$(ls "/proc/${reg[$i]}/fd" 2>/dev/null | wc -l)
        [ "${conns[$i]:-0}" -ge "$c" ] || conns[$i]=$c
    done
done
wait "$fleet" || { cat "$work/fleet.log" >&2; exit 1; }
secs=$(($(date +%s) - t0))
read -r rows distinct < <(count)
j=$(cat "$work/fleet.json")
q() { jq -r "$1" <<<"$j"; }
echo "fleet: mode $mode, $n kiosks, $procs registryd ($( [ "$mode" = sqlite ] && echo SQLite || echo PostgreSQL, fsync on)), $secs s"
printf '%-28s %s\n' "process" "descriptors (max) | RSS MB | CPU s"
for i in $(seq "$procs"); do
    printf '%-28s %s | %s | %s\n' "registryd $i" "${conns[$i]:-0}" "$(($(rss "${reg[$i]}") / 1024))" \
        "$(awk -v a="$(cpu "${reg[$i]}")" -v b="${cpu0[$i]}" -v t="$tick" 'BEGIN {printf "%.1f", (a - b) / t}')"
done
printf '%-28s %s\n' "bench_fleet (the kiosks)" "CPU $(q .fleet_cpu_s) s"
[ "$mode" = sqlite ] || printf '%-28s %s\n' "PostgreSQL" "CPU $(ps -C postgres -o times= | awk '{s += $1} END {print s}') s (every backend, since it started)"
printf '%-28s %s\n' "connections made" "$(q .connects) ($(q .resumed) resumed, $(q .connect_errors) failed)"
if [ "$mode" != kill ]; then
    printf '%-28s %s\n' "heartbeats" "$(q .heartbeats) ok, $(q .heartbeat_errors) failed (every ${heartbeat} s)"
    printf '%-28s %s\n' "heartbeat after the ramp" "p50 $(q .heartbeat_after_ramp.p50_ms) ms, p99 $(q .heartbeat_after_ramp.p99_ms) ms, max $(q .heartbeat_after_ramp.max_ms) ms ($(q .heartbeat_after_ramp.n) of them; ramp $(q .ramp_s) s)"
    printf '%-28s %s\n' "heartbeat, the last minute" "p50 $(q .heartbeat_last_60s.p50_ms) ms, p99 $(q .heartbeat_last_60s.p99_ms) ms, max $(q .heartbeat_last_60s.max_ms) ms ($(q .heartbeat_last_60s.n) of them)"
    printf '%-28s %s\n' "long polls" "$(q .polls) answered, $(q .poll_errors) failed"
    printf '%-28s %s\n' "commands" "$(q .commands_posted) posted, $(q .commands_received) delivered, $(q .acks) acknowledged"
    printf '%-28s %s\n' "command delivery" "p50 $(q .command_delivery.p50_ms) ms, p99 $(q .command_delivery.p99_ms) ms, max $(q .command_delivery.max_ms) ms"
else
    printf '%-28s %s\n' "fault" "$killed"
    printf '%-28s %s\n' "records sent" "$((n * records)) by $(q .kiosks_all_records_sent) kiosks that finished; answered $(q .records_accepted) accepted, $(q .records_duplicate) duplicate; $(q .record_batch_errors) batches failed and were sent again"
    printf '%-28s %s\n' "records/s" "$(awk -v r="$rows" -v s="$secs" 'BEGIN {printf "%.0f", r / s}')"
fi
printf '%-28s %s\n' "records at the database" "$rows rows, $distinct distinct ($((rows - distinct)) doubled)"
echo "$j" >"${FLEET_JSON:-/dev/null}"
