#!/usr/bin/env bash
# The kiosk's sync thread against registryd: home shows that the registry is reachable, or
# that the kiosk works offline; the staff screen says why (an expired certificate, no route).
source "$(dirname "$0")/lib.sh"

"$bin/kioskctl" pki init "$work/pki" >/dev/null
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-01 --office 370602 --out "$work/tls" >/dev/null
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-OLD --office 370602 --out "$work/old" --days -1 >/dev/null
mkdir -p "$work/data"
port=$((20000 + RANDOM % 20000))
"$bin/registryd" --listen "127.0.0.1:$port" --data "$work/data" --pki "$work/pki" 2>"$work/registry.log" &
pids+=($!)
wait_for listening 5 "$work/registry.log"

config() { # config NAME REGISTRY TLS
    cat >"$work/$1.ini" <<INI
[paths]
assets = $top/assets
fonts = $top/fonts/fonts.ini
[sync]
registry = $2
tls = $3
interval = 600
$staff_ini
INI
}
config online "https://127.0.0.1:$port" "$work/tls"
printf 'wait 已连接登记中心 8000\n%s\nwait 数据同步：正常\n' "$staff_login" >"$work/online.script"
check "online: home says the registry is reachable, staff too" \
    "$bin/kiosk" --headless --config "$work/online.ini" --state-dir "$work/s1" --script "$work/online.script"

config down "https://127.0.0.1:1" "$work/tls"
printf 'wait 离线 8000\n%s\nwait 数据同步：未连接 8000\n' "$staff_login" >"$work/down.script"
check "registry down: home says offline (nothing is lost), staff sees it" \
    "$bin/kiosk" --headless --config "$work/down.ini" --state-dir "$work/s2" --script "$work/down.script"

config expired "https://127.0.0.1:$port" "$work/old"
printf '%s\nwait 数据同步：未连接 8000\nwait 本机证书已过期 8000\n' "$staff_login" >"$work/expired.script"
check "an expired kiosk certificate: offline, and the staff screen says the certificate expired" \
    "$bin/kiosk" --headless --config "$work/expired.ini" --state-dir "$work/s3" --script "$work/expired.script"

# The registry's key is not the pinned one (a man in the middle, or a registry moved without
# telling the kiosk): staff read that the registry's identity failed, from the code alone.
cp -r "$work/tls" "$work/badpin"
echo 'sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' >"$work/badpin/registry.pin"
config badpin "https://127.0.0.1:$port" "$work/badpin"
printf '%s\nwait 数据同步：未连接 8000\nwait 登记中心的身份校验未通过 8000\nexpect-not 本机证书已过期\n' "$staff_login" >"$work/badpin.script"
check "a pin mismatch: offline, and the staff screen says the registry's identity failed" \
    "$bin/kiosk" --headless --config "$work/badpin.ini" --state-dir "$work/s4" --script "$work/badpin.script"
finish
