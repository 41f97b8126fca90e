#!/usr/bin/env bash
# Central configuration (issue 18 item 7): an office's settings and staff accounts are pushed
# as settings.ini in its signed content bundle instead of edited on each kiosk. The running
# kiosk installs the bundle, swaps to it at home and starts again to read the settings; after
# that home shows the office's pushed name, the pushed staff account logs in and the
# terminal's own one no longer does. A bundle whose settings try to set what is the
# terminal's own ([sync]: where it sends citizens' data) is rejected before it is installed,
# with the reason reported to the registry, and nothing changes.
source "$(dirname "$0")/lib.sh" "$@"
check "registryd starts" registry_up
"$bin/kioskctl" keys new "$work/keys" k1 >/dev/null
mkdir -p "$work/trust" && cp "$work/keys/k1.pub" "$work/trust/"
bundle() { # DIR SERIAL: build and publish content DIR as version 0.SERIAL.0, signed by k1
    "$bin/kioskctl" content build "$1" --out "$work/bundle$2" --version "0.$2.0" --serial "$2" \
        --channel 370602 --hardware x86_64-kiosk-1 --sign "$work/keys/k1.key" >/dev/null &&
        "$bin/kioskctl" content publish "$work/bundle$2" "${R[@]}" >/dev/null
}
cp -r "$top/assets" "$work/content"
{
    printf '; the office'"'"'s settings, pushed to its kiosks with the content\n'
    printf '[office]\nname = 烟台市莱山区婚姻登记处\n[kiosk]\nidle_timeout = 120\n[staff]\n'
    echo 135790 | "$bin/kioskctl" staff hash 2002 2>/dev/null
} >"$work/content/settings.ini"
check "a content bundle with the office's settings and a staff account" bundle "$work/content" 3
sync_kiosk_ini "$work/kiosk.ini" "[office]" "code = 370602" "[update]" "trust = $work/trust"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
printf 'wait 已连接登记中心 20000\nexpect-not 烟台市莱山区婚姻登记处\nwait-log "the office'"'"'s settings came with the content" 30000\n' >"$work/push.script"
sed -i 's/wait-log "\(.*\)" 30000/wait-log \1 30000/' "$work/push.script"
kiosk_bg push state
wait_for "registry reachable" 30 "$work/push.log" || true
"$bin/kioskctl" command send YT-370602-01 content "${R[@]}" >/dev/null
kiosk_wait push
check "the running kiosk installs it and, at home, exits for the launcher to start it again (exit $krc: 75)" test "$krc" -eq 75
check "  (its log says so)" grep -q "restarting to apply them" "$work/push.log"
cat >"$work/after.script" <<SCRIPT
expect 烟台市莱山区婚姻登记处
hold @staff 3000
expect-screen admin.login
type 2002
tap @pin
type 135790
tap 登录
expect-screen admin
SCRIPT
capture "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" --script "$work/after.script"
check "after the restart: home shows the pushed name, and the pushed account logs in" test "$rc" -eq 0
[ "$rc" -eq 0 ] || grep -a FAIL <<<"$out"
check "  the kiosk said where its settings came from" grep -q "the office's settings from the content bundle" <<<"$out"
cat >"$work/local.script" <<SCRIPT
hold @staff 3000
expect-screen admin.login
type 1001
tap @pin
type 246810
tap 登录
expect-screen admin.login
SCRIPT
capture "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" --script "$work/local.script"
check "the terminal's own account (1001) no longer logs in: the office's list replaced it" test "$rc" -eq 0

# settings that set what is the terminal's own: refused before the install
cp -r "$work/content" "$work/bad"
printf '[sync]\nregistry = https://elsewhere.example:8443\n' >>"$work/bad/settings.ini"
check "a bundle whose settings set [sync] registry is published" bundle "$work/bad" 4
printf 'wait 已连接登记中心 20000\nwait-log content 0.4.0: rejected 30000\nexpect 烟台市莱山区婚姻登记处\n' >"$work/bad.script"
kiosk_bg bad state
wait_for "registry reachable" 30 "$work/bad.log" || true
"$bin/kioskctl" command send YT-370602-01 content "${R[@]}" >/dev/null
kiosk_wait bad
check "the kiosk rejects it and keeps the settings it had" test "$krc" -eq 0
capture "$bin/kioskctl" fleet updates --json --kiosk YT-370602-01 "${R[@]}"
check "the registry heard why" grep -q '"serial":4,"version":"0.4.0","step":"rejected","detail":"[^"]*terminal' <<<"$out"
finish
