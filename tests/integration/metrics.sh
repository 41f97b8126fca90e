#!/usr/bin/env bash
# registryd's GET /metrics (issue 18 item 6): a real kiosk syncing every 2 s is seen, with its
# backlog and certificate's days; stopped, it shows as silent once two of its intervals have
# passed (and not before); requests are counted with their latencies; the queue's waiting
# tickets and the revocations are there; every metric packaging/alerts.yml uses is exported,
# and promtool takes the exposition as valid.
source "$(dirname "$0")/lib.sh" "$@"
registry_extra=(--metrics-listen 127.0.0.1:0)
registry_up || { not_ok "registryd starts"; finish; }
mport=$(sed -n 's|.*metrics on http://127\.0\.0\.1:\([0-9]*\)/metrics.*|\1|p' "$work/registry.log" | head -1)
check "registryd says where its metrics are" test -n "$mport"
metrics() { curl -sS "http://127.0.0.1:$mport/metrics"; }
value() { metrics | awk -v m="$1" '$1 == m {print $2}'; }
check "GET /metrics answers registry_up 1" test "$(value registry_up)" = 1
check "anything else on that listener is 404" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/v1/whoami")" = 404

"$bin/seed_store" "$work/kiosk" 3 >/dev/null
sync_kiosk_ini "$work/kiosk.ini" "interval = 2" "command_wait = 0" "retry_max = 5"
printf 'wait 已连接登记中心 20000\nwait-log heartbeat-never-matches 8000\n' >"$work/live.script"
kiosk_bg live kiosk
k='{kiosk="YT-370602-01",office="370602"}'
seen=""
for i in $(seq 100); do
    [ "$(value "registry_kiosk_silent$k")" = 0 ] && seen=yes && break
    sleep 0.2
done
check "the syncing kiosk is seen, and not silent" test -n "$seen"
check "registry_kiosks{state=\"seen\"} 1" test "$(value 'registry_kiosks{state="seen"}')" = 1
for i in $(seq 50); do [ "$(value "registry_kiosk_backlog$k")" = 0 ] && break; sleep 0.2; done
check "its backlog is there (3 records sent: 0 left)" test "$(value "registry_kiosk_backlog$k")" = 0
days=$(value "registry_kiosk_certificate_expiry_days$k")
check "its certificate's days left ($days of 825)" test "${days:-0}" -ge 823
kill "$kpid" 2>/dev/null; wait "$kpid" 2>/dev/null || true
stopped=$(date +%s%N)
# silent after two intervals (4 s), measured on the registry's own age of the last heartbeat
sleep 2
check "2 s after it stopped: not yet silent" test "$(value "registry_kiosk_silent$k")" = 0
quiet="" age=""
for i in $(seq 100); do
    metrics >"$work/scrape.txt"
    if awk -v m="registry_kiosk_silent$k" '$1 == m && $2 == 1 {f = 1} END {exit !f}' "$work/scrape.txt"; then
        quiet=yes
        age=$(awk -v m="registry_kiosk_last_seen_seconds$k" '$1 == m {print $2}' "$work/scrape.txt")
        break
    fi
    sleep 0.1
done
t=$((($(date +%s%N) - stopped) / 1000000))
echo "# silent $t ms after the kiosk stopped, its last heartbeat ${age:-?} s old (interval 2 s)"
# (the last heartbeat came before the kill: silent is timed from it, by the registry's clock)
check "then silent, once its last heartbeat is older than two intervals (${age:-?} s)" \
    test -n "$quiet" -a "${age:-0}" -gt 4
check "registry_kiosks{state=\"silent\"} 1" test "$(value 'registry_kiosks{state="silent"}')" = 1
check "requests counted: 2xx" test "$(value 'registry_requests_total{code="2xx"}')" -gt 3
check "with their latencies (histogram count = the sum of the classes)" bash -c "m=\$(curl -sS http://127.0.0.1:$mport/metrics);
    c=\$(awk '\$1 == \"registry_request_duration_seconds_count\" {print \$2}' <<<\"\$m\");
    s=\$(awk '/^registry_requests_total/ {s += \$2} END {print s}' <<<\"\$m\"); test \"\$c\" -gt 0 -a \"\$c\" -le \"\$s\""
days=$(value 'registry_certificate_expiry_days{cert="registry"}')
check "the registry's certificate's days ($days)" test "${days:-0}" -ge 800
q=$(value 'registry_queue_waiting{office="370602"}')
check "the office's queue length is there ($q waiting)" test -n "$q"
"$bin/kioskctl" pki revoke --kiosk YT-370602-99 "${R[@]}" >/dev/null
check "registry_revocations 1" test "$(value registry_revocations)" = 1
metrics >"$work/metrics.txt"
missing=$(grep -o 'registry_[a-z_]*' "$top/packaging/alerts.yml" | sed 's/_bucket$//' | sort -u |
    while read -r m; do grep -q "^$m" "$work/metrics.txt" || echo "$m"; done)
check "every metric of packaging/alerts.yml is exported${missing:+ (missing: $missing)}" test -z "$missing"
if command -v promtool >/dev/null; then
    check "promtool check metrics takes the exposition" bash -c "promtool check metrics <'$work/metrics.txt' 2>&1 | { ! grep -qi 'error'; }"
fi
finish
