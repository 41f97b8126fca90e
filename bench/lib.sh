# Shared set-up of the benchmarks (sourced): $bin, $top, a work directory removed at exit
# with the programs started in $pids, and bench_registry.
set -euo pipefail
bin=${1:-build-release/bin}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-bench-XXXXXX")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
# bench_registry KIOSK: a PKI, KIOSK of office 370602 enrolled into $work/tls, and registryd
# on a random loopback port, waited for; sets port, url and R (the operator's options).
bench_registry() {
    "$bin/kioskctl" pki init "$work/pki" >/dev/null
    "$bin/kioskctl" pki enroll "$work/pki" --kiosk "$1" --office 370602 --out "$work/tls" >/dev/null
    mkdir -p "$work/data"
    port=$((20000 + RANDOM % 20000))
    url="https://127.0.0.1:$port"
    R=(--registry "$url" --pki "$work/pki")
    "$bin/registryd" --listen "127.0.0.1:$port" --data "$work/data" --pki "$work/pki" 2>/dev/null &
    pids+=($!)
    local i
    for i in $(seq 100); do
        curl -s -o /dev/null --cacert "$work/pki/ca.crt" --cert "$work/tls/kiosk.crt" \
            --key "$work/tls/kiosk.key" "$url/v1/whoami" && return 0
        sleep 0.1
    done
    echo "bench: registryd did not start on port $port" >&2
    return 1
}
# bench_devices: the reader and printer simulators on $work (the printer on port + 1), and
# $work/kiosk.ini for a kiosk of office 370602 that uses them and the registry, plus any
# lines given (sections of their own).
bench_devices() {
    "$bin/idcard-sim" --link "$work/reader" --control "$work/reader.ctl" 2>/dev/null &
    pids+=($!)
    "$bin/escpos-sim" --listen "127.0.0.1:$((port + 1))" --out "$work/jobs" --control "$work/printer.ctl" 2>/dev/null &
    pids+=($!)
    local i
    for i in $(seq 50); do [ -S "$work/reader.ctl" ] && [ -S "$work/printer.ctl" ] && break; sleep 0.1; done
    {
        printf '[office]\ncode = 370602\n[paths]\nassets = %s/assets\nfonts = %s/fonts/fonts.ini\ncalendar = %s/tests/data/calendar/always.json\n' "$top" "$top" "$top"
        printf '[devices]\nidcard = %s/reader\nidcard_control = %s/reader.ctl\nprinter = tcp:127.0.0.1:%s\n' "$work" "$work" "$((port + 1))"
        printf '[sync]\nregistry = https://127.0.0.1:%s\ntls = %s/tls\n' "$port" "$work"
        [ $# -eq 0 ] || printf '%s\n' "$@"
    } >"$work/kiosk.ini"
}
