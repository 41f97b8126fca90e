# Shared helpers of the integration tests (sourced).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${1:?usage: $0 BIN_DIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-it-XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export TZ=CST-8
config="$top/tests/ui/kiosk-test.ini"
passed=0
failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
check() { # check "what" command...
    local what=$1; shift
    local rc=0
    "$@" || rc=$?
    if [ "$rc" -eq 0 ]; then ok "$what"; else not_ok "$what (exit $rc)"; fi
}
# Runs a command that may fail: its stdout and stderr in $out, its exit status in $rc.
capture() {
    rc=0
    out=$("$@" 2>&1) || rc=$?
}
# Waits up to $2 seconds for the pattern $1 in file $3.
wait_for() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        grep -q -- "$1" "$3" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
# Width and height of a PNG, from its IHDR chunk.
png_size() {
    local b
    b=($(od -An -tu1 -j16 -N8 "$1"))
    echo "$(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]))x$(((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]))"
}
# registry_start PKI DATA PORT TLS: starts registryd (pid in $registry) and waits until it
# answers a kiosk whose certificate is in TLS. PORT 0: any free port, the one it bound (from
# its log) in $port.
# (registry_extra: more options for registryd, such as the console's listener; under
# tests/tools/with_pg.sh, RSTORE_PG set, its storage is that PostgreSQL's)
registry_extra=()
registry_start() {
    local log="$work/registry.log" seen p i db=()
    seen=$(cat "$log" 2>/dev/null | wc -l)
    [ -z "${RSTORE_PG:-}" ] || db=(--database "$RSTORE_PG dbname=postgres")
    "$bin/registryd" --listen "127.0.0.1:$3" --data "$2" --pki "$1" "${db[@]}" "${registry_extra[@]}" 2>>"$log" &
    registry=$!
    pids+=($registry)
    for i in $(seq 150); do # up to 15 s: a loaded machine runs several tests at once
        p=$3
        [ "$p" = 0 ] && p=$(tail -n +$((seen + 1)) "$log" |
            sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' | head -1)
        if [ -n "$p" ] && curl -s -o /dev/null --cacert "$1/ca.crt" --cert "$4/kiosk.crt" \
            --key "$4/kiosk.key" "https://127.0.0.1:$p/v1/whoami"; then
            port=$p
            return 0
        fi
        kill -0 "$registry" 2>/dev/null || return 1 # it could not listen (port taken)
        sleep 0.1
    done
    return 1
}
# The [staff] section of the tests' kiosk configurations: staff 1001 with PIN 246810.
staff_ini='[staff]
1001 = pbkdf2-sha256$100000$y5roAD_rfgObuYukSqya0A$Str_xgS3aNrjFUi1OOU6jrM2gZ2BdfyTtKG_HvchpXw'
# Script lines that open admin mode and log in as 1001.
staff_login='hold @staff 3000
expect-screen admin.login
type 1001
tap @pin
type 246810
tap 登录
expect-screen admin'
# Script lines from home to party A's card step of 婚育户一件事 (no service chosen).
joint_to_card_a='tap 婚育户一件事
tap 开始办理
tap 下一步
tap 已阅读，下一步'
# registry_sql SQL: one query of the registry's storage, its rows as text (SQLite in
# $work/data, or the PostgreSQL of RSTORE_PG).
registry_sql() {
    if [ -n "${RSTORE_PG:-}" ]; then
        psql "$RSTORE_PG dbname=postgres" -qAtc "$1"
    else
        sqlite3 "$work/data/registry.db" "$1"
    fi
}
# registry_payload ID: a record's payload as the registry answers operators (it is sealed in
# the database); registry_payloads KIND: the payloads of every record of KIND, one a line.
registry_payload() {
    curl -sS --cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" --key "$work/pki/operator.key" \
        "$url/v1/admin/records/$1" | jq -c .payload
}
registry_payloads() {
    local id
    for id in $(curl -sS --cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" --key "$work/pki/operator.key" \
        "$url/v1/admin/records?limit=1000" | jq -r --arg k "$1" '.records[] | select(.kind == $k) | .id'); do
        registry_payload "$id"
    done
}
# registry_up: a PKI, kiosk YT-370602-01 of office 370602 enrolled into $work/tls, registryd
# on a free loopback port; sets port, url and R (the operator's --registry/--pki options).
registry_up() {
    "$bin/kioskctl" pki init "$work/pki" >/dev/null
    "$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-01 --office 370602 --out "$work/tls" >/dev/null
    mkdir -p "$work/data" "$work/shots"
    # port 0: registryd takes a free port and logs it; no port can be taken by another test
    registry_start "$work/pki" "$work/data" 0 "$work/tls" || return 1
    url="https://127.0.0.1:$port"
    R=(--registry "$url" --pki "$work/pki")
}
# bound_port LOG: the port a program started on port 0 says it bound ("listening on port N"),
# waited for up to 15 s (a loaded machine runs several tests at once); fails without one.
bound_port() {
    local i p
    for i in $(seq 150); do
        p=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$1" 2>/dev/null | head -1)
        [ -n "$p" ] && echo "$p" && return 0
        sleep 0.1
    done
    return 1
}
# sims_up: idcard-sim and escpos-sim (TCP on a free port, $pport), and scanner-sim when given
# "scanner"; waits until they are there (up to 15 s: a loaded machine runs several tests at
# once). The [devices] lines for them are in $devices_ini.
sims_up() {
    "$bin/idcard-sim" --link "$work/reader" --control "$work/reader.ctl" 2>"$work/idcard.log" &
    pids+=($!)
    "$bin/escpos-sim" --listen "127.0.0.1:0" --out "$work/jobs" --control "$work/printer.ctl" \
        2>"$work/printer.log" &
    pids+=($!)
    pport=$(bound_port "$work/printer.log") || return 1
    devices_ini="[devices]
idcard = $work/reader
idcard_control = $work/reader.ctl
printer = tcp:127.0.0.1:$pport
printer_qr = native"
    if [ "${1:-}" = scanner ]; then
        "$bin/scanner-sim" --link "$work/scanner" --control "$work/scanner.ctl" 2>"$work/scanner.log" &
        pids+=($!)
        devices_ini="$devices_ini
scanner = $work/scanner
scanner_control = $work/scanner.ctl"
    fi
    for i in $(seq 150); do
        [ -e "$work/reader" ] && [ -S "$work/printer.ctl" ] &&
            { [ "${1:-}" != scanner ] || [ -e "$work/scanner" ]; } && return 0
        sleep 0.1
    done
    return 1
}
# kiosk_ini FILE [LINES...]: the tests' kiosk configuration for office 370602 with the
# simulators of sims_up and the registry of registry_up, then LINES (more sections).
kiosk_ini() {
    local f=$1
    shift
    {
        printf '[office]\nname = 烟台市芝罘区婚姻登记处\ncode = 370602\n'
        printf '[paths]\nassets = %s/assets\nfonts = %s/fonts/fonts.ini\ncalendar = %s/tests/data/calendar/always.json\n' "$top" "$top" "$top"
        printf '%s\n' "$devices_ini"
        printf '[sync]\nregistry = %s\ntls = %s/tls\ninterval = 600\n' "$url" "$work"
        # no 请取回您的身份证 while a script holds a card on the reader: the scripts' clock
        # follows real time, and a slow run (ThreadSanitizer) would reach the 20 s; the test
        # of the reminder sets it
        printf '[kiosk]\ncard_remind = 0\n'
        # 婚育户一件事 without a marriage booking: the tests of its other parts; the booking
        # scripts of it_joint set required, the default
        printf '[joint]\nbooking = optional\n'
        [ $# -eq 0 ] || printf '%s\n' "$@"
    } >"$f"
}
# sync_kiosk_ini FILE [LINES...]: a kiosk without devices that syncs with $url over $work/tls,
# staff 1001, the [sync] section's further LINES (interval, command_wait, ...) last.
sync_kiosk_ini() {
    local f=$1
    shift
    {
        printf '%s\n' "$staff_ini"
        printf '[paths]\nassets = %s/assets\nfonts = %s/fonts/fonts.ini\ncalendar = %s/tests/data/calendar/always.json\n' "$top" "$top" "$top"
        printf '[sync]\nregistry = %s\ntls = %s/tls\n' "$url" "$work"
        [ $# -eq 0 ] || printf '%s\n' "$@"
    } >"$f"
}
# display_ini [LINES...]: $work/display.ini, a waiting room's display ([kiosk] role = display,
# voice on, then LINES) of office 370602: kiosk YT-370602-D1 enrolled into $work/tls-d, no
# devices. display_up: it runs $work/display.script in the background (kiosk_bg display) and
# is waited for until its heartbeat at the registry says it is a display (checked).
display_ini() {
    "$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-D1 --office 370602 --out "$work/tls-d" >/dev/null
    kiosk_ini "$work/display.ini" "[kiosk]" "role = display" "voice = on" "$@"
    sed -i "s|^tls = .*|tls = $work/tls-d|; /^idcard\\|^printer\\|^scanner/d" "$work/display.ini"
}
display_up() {
    kiosk_bg display sd "$work/display.ini"
    local i
    for i in $(seq 150); do
        "$bin/kioskctl" fleet --json "${R[@]}" | grep -q '"role":"display"' && break
        sleep 0.1
    done
    check "the display's heartbeat says it is a display" \
        bash -c "'$bin/kioskctl' fleet --json ${R[*]} | grep -q '\"role\":\"display\"'"
}
# kiosk_bg NAME STATE [CONFIG]: the kiosk on $work/NAME.script in the background, on the
# state directory $work/STATE and CONFIG (default $work/kiosk.ini); its log in $work/NAME.log,
# its pid in $kpid. kiosk_wait NAME: waits for it; its exit status in $krc (a failing script
# line is shown).
kiosk_bg() {
    mkdir -p "$work/shots"
    "$bin/kiosk" --headless --config "${3:-$work/kiosk.ini}" --state-dir "$work/$2" \
        --script "$work/$1.script" --screenshot-dir "$work/shots" 2>"$work/$1.log" &
    kpid=$!
    pids+=($kpid)
}
kiosk_wait() {
    wait "$kpid" && krc=0 || krc=$?
    grep -a -e "FAIL" -e "ERROR layout" "$work/$1.log" || true
}
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
