#!/usr/bin/env bash
# A content push on a running kiosk: the operator builds a content bundle (the assets with a
# changed label, a changed form field and a calendar that closes the office that day), signs and publishes it, and sends the kiosk the
# `content` command; the kiosk's agent verifies and installs it, and the kiosk, standing on
# home, swaps to it at once: the new label shows, the form asks with the new field's label.
# The kiosk starts on the installed content after a restart too.
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
check "the device simulators start" sims_up
"$bin/kioskctl" keys new "$work/keys" k1 >/dev/null
mkdir -p "$work/trust" && cp "$work/keys/k1.pub" "$work/trust/"
cp -r "$top/assets" "$work/content"
sed -i 's/^checkin = 预约签到$/checkin = 预约签到（新）/' "$work/content/i18n/zh-CN.ini"
sed -i 's/"男方联系电话"/"男方手机号码"/' "$work/content/forms/joint.json"
# and a calendar closing the office on the test day: the calendar is content too
jq '.holidays += [{"date": "2026-11-23", "name": "内容推送测试日"}] | .offices |= map(if .code == "370602" then .closed = ["2026-11-23"] else . end)' \
    "$top/assets/calendar/calendar.json" >"$work/content/calendar/calendar.json"
check "a content bundle with a new label and a new field label" "$bin/kioskctl" content build "$work/content" \
    --out "$work/bundle" --version 0.3.0 --serial 3 --channel 370602 --hardware x86_64-kiosk-1 --sign "$work/keys/k1.key"
check "published" "$bin/kioskctl" content publish "$work/bundle" "${R[@]}"
kiosk_ini "$work/kiosk.ini" "[update]" "trust = $work/trust"
sed -i '/^calendar = /d' "$work/kiosk.ini" # the content's calendar, pushed with it
# bundle DIR SERIAL KEY: build and publish content DIR as version 0.SERIAL.0
bundle() {
    "$bin/kioskctl" content build "$1" --out "$work/bundle$2" --version "0.$2.0" --serial "$2" \
        --channel 370602 --hardware x86_64-kiosk-1 --sign "$work/keys/$3.key" >/dev/null &&
        "$bin/kioskctl" content publish "$work/bundle$2" "${R[@]}" >/dev/null
}
# push_during NAME PATTERN: runs the kiosk on $work/NAME.script, sends it the content command
# once PATTERN is in its log, and waits for it: its exit status in $krc
push_during() {
    kiosk_bg "$1" state
    wait_for "$2" 30 "$work/$1.log" || true
    "$bin/kioskctl" command send YT-370602-01 content "${R[@]}" >/dev/null
    kiosk_wait "$1"
}
cards=$top/tests/data/cards
cat >"$work/push.script" <<SCRIPT
clock 2026-11-23T10:00
wait 已连接登记中心 20000
expect-not 预约签到（新）
wait 预约签到（新） 30000
expect 今天是内容推送测试日，本处休息。
$joint_to_card_a
card $cards/resident_male.json
wait-screen joint.party_a_form 15000
expect 男方手机号码
tap 返回首页
card none
SCRIPT
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
push_during push "registry reachable"
check "the kiosk on home swapped to the new content: label, calendar and form field" test "$krc" -eq 0
check "it logged the swap" grep -q "content swapped" "$work/push.log"
capture "$bin/kioskctl" command list --kiosk YT-370602-01 "${R[@]}"
check "the kiosk reported the install" grep -q '"result":"ok: installed 0.3.0"' <<<"$out"
check "and audited it" test "$(sqlite3 "$work/state/kiosk.db" "SELECT count(*) FROM audit WHERE action = 'content.installed'")" -eq 1
printf 'expect 预约签到（新）\nwait 已连接登记中心 20000\n' >"$work/restart.script"
check "after a restart the kiosk starts on the installed content" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" --script "$work/restart.script"
capture "$bin/kioskctl" fleet --json "${R[@]}"
check "its heartbeat reports the content version" grep -q '"content":{"version":"0.3.0","serial":3' <<<"$out"
capture "$bin/kioskctl" fleet updates --json --kiosk YT-370602-01 "${R[@]}"
steps=$(grep -o '"serial":3,"version":"0.3.0","step":"[a-z_]*"' <<<"$out" | sed 's/.*"step":"//; s/"//' | tac | tr '\n' ' ')
check "the registry heard each step of the install: $steps" test "$steps" = "verified downloading installing installed "

# A push that arrives while a citizen is mid-form waits for the return to home: the form keeps
# the labels it started with, and home shows the new ones.
cp -r "$top/assets" "$work/content4"
sed -i 's/^checkin = 预约签到$/checkin = 预约签到（第四版）/' "$work/content4/i18n/zh-CN.ini"
sed -i 's/"男方联系电话"/"男方移动电话"/' "$work/content4/forms/joint.json"
check "a second bundle published" bundle "$work/content4" 4 k1
cat >"$work/session.script" <<SCRIPT
clock 2026-11-23T10:00
wait 已连接登记中心 20000
$joint_to_card_a
card $cards/resident_male.json
wait-screen joint.party_a_form 15000
wait-log content 0.4.0: installed 30000
expect 男方手机号码
expect-not 男方移动电话
tap 返回首页
tap @confirm_yes
card none
wait 预约签到（第四版） 10000
$joint_to_card_a
card $cards/resident_male.json
wait-screen joint.party_a_form 15000
expect 男方移动电话
tap 返回首页
tap @confirm_yes
card none
SCRIPT
push_during session "screen joint"
check "a push mid-form: the form kept its labels; home, and the next form, show the new ones" test "$krc" -eq 0

# A bundle signed by a key the kiosk does not trust: rejected, reported, nothing changes.
"$bin/kioskctl" keys new "$work/keys" rogue >/dev/null
bundle "$work/content4" 5 rogue
printf 'wait-log content 0.5.0: rejected 30000\nexpect 预约签到（第四版）\nwait-log step rejected reported 10000\n' >"$work/rogue.script"
push_during rogue "registry reachable"
check "a bundle of an unknown key is rejected on the running kiosk, which stays on 0.4.0" test "$krc" -eq 0
sleep 1
capture "$bin/kioskctl" fleet updates --json --kiosk YT-370602-01 "${R[@]}"
check "the registry heard the rejection and its reason" grep -q '"serial":5,"version":"0.5.0","step":"rejected","detail":"[^"]*does not trust' <<<"$out"

# Without a push: the periodic check ([update] poll, here 6 s) finds bundle 0.6.0 by itself.
sed -i 's/"男方移动电话"/"男方手机"/' "$work/content4/forms/joint.json"
bundle "$work/content4" 6 k1
sed 's/^trust = .*/&\npoll = 6/' "$work/kiosk.ini" >"$work/kiosk-poll.ini"
printf 'wait-log content 0.6.0: installed 30000\nwait-log content swapped 5000\n' >"$work/poll.script"
capture "$bin/kiosk" --headless --config "$work/kiosk-poll.ini" --state-dir "$work/state" --script "$work/poll.script"
check "the periodic check installs a newer bundle without a push, and home swaps to it" test "$rc" -eq 0
[ "$rc" -eq 0 ] || grep FAIL <<<"$out"

# A bundle that is signed but does not load (its form is cut short): rejected before the
# switch, nothing changes, and it is not tried again.
cp -r "$work/content4" "$work/content7"
head -c 300 "$top/assets/forms/joint.json" >"$work/content7/forms/joint.json"
bundle "$work/content7" 7 k1
printf 'wait-log content 0.7.0: rejected 30000\nexpect 预约签到（第四版）\nwait-log step rejected reported 10000\n' >"$work/broken.script"
push_during broken "registry reachable"
check "a signed bundle whose form does not load is rejected; the kiosk stays on 0.6.0" test "$krc" -eq 0
check "  with the reason" grep -q "content 0.7.0: rejected: the bundle does not load: its joint form" "$work/broken.log"
check "  its serial is not tried again" grep -qx 7 "$work/state/content/bad_serials"
check "  current is 0.6.0" grep -q '"version":"0.6.0"' "$work/state/content/current/manifest.json"
finish
