#!/usr/bin/env bash
# 预约签到 end to end: registryd holds today's appointments, the kiosk pulls them, the real
# reader, scanner and printer drivers talk to their simulators. A couple checks in with their
# two cards; the receipt printed by escpos-sim carries a QR whose token verifies offline; the
# check-in reaches the registry. Then every way it can go wrong, each with its message.
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
check "today's appointments are imported" "$bin/kioskctl" appointments import "$top/tests/data/appointments/checkin.csv" "${R[@]}"

check "the device simulators start" sims_up scanner
# this office registers HK/Macao/Taiwan residents and foreigners too (its tests use their cards)
kiosk_ini "$work/kiosk.ini" "$staff_ini" "[office]" "designations = foreign, hkmt"
cards=$top/tests/data/cards
cat >"$work/couple.script" <<SCRIPT
clock 2026-11-23T09:10
wait 已连接登记中心 20000
card $cards/resident_male.json
wait-screen checkin.parties 15000
expect 郑*涛
expect 马*兰
expect 370602********3011
expect-not 郑测涛
expect-not 370602199503123011
expect 请双方依次将身份证放在读卡区
shot checkin_parties
card none
card $cards/resident_male.json
wait 这张身份证已经核验过
card none
card $cards/resident_female_long.json
wait-screen checkin.done 15000
expect 签到成功
expect A001
wait 回执已打印 10000
shot checkin_done
tap 完成
expect-screen rating
expect 请您对本次服务进行评价
shot rating
tap 满意
expect-screen rating.thanks
expect 感谢您的评价
tap @home_done
expect-screen home
expect-not A001
card none
SCRIPT
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
t0=$(date +%s%3N)
check "a couple checks in with their two cards" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/couple.script" --screenshot-dir "$work/shots"
echo "scripted check-in by card, kiosk start to home again: $(($(date +%s%3N) - t0)) ms"
check "the receipt reached the printer" wait_for "job 1" 5 "$work/printer.log"
token=$(zbarimg -q --raw "$work/jobs/0001.png" 2>/dev/null || true)
check "its QR code is a receipt token" grep -q '^MR1\.' <<<"$token"
capture "$bin/kioskctl" receipt verify "$token" --state-dir "$work/state"
check "which verifies offline with the kiosk's key: check-in, office 370602, queue A001" \
    grep -q '"valid":true,"kind":"checkin","office":"370602",.*"queue":"A001"' <<<"$out"
record=$(sed -n 's/.*"record":"\([^"]*\)".*/\1/p' <<<"$out")
capture "$bin/kioskctl" receipt verify "$token" "${R[@]}"
check "and with the key the registry keeps from the kiosk's heartbeats" grep -q '"valid":true,"kind":"checkin".*"queue":"A001"' <<<"$out"
check "naming the kiosk that signed it, the one whose key it is" grep -q '"kiosk":"\([^"]*\)","signer":"\1"' <<<"$out"
check "(a kiosk id, not empty)" grep -q '"signer":"[^"]' <<<"$out"
# one character of the signature's bytes changed: a forgery
at=$((${#token} - 20))
c=A; [ "${token:$at:1}" = A ] && c=B
forged="${token:0:$at}$c${token:$((at + 1))}"
# verify_lines TEXT: admin-mode script lines that verify $token (TEXT on screen) and $forged
verify_lines() {
    printf 'tap 核验回执\nexpect-screen admin.verify\nscan %s\nwait %s 10000\nexpect 排队号 A001\n' "$token" "$1"
    printf 'tap 返回\ntap 核验回执\nscan %s\nwait 回执无效 10000\ntap 返回\ntap 退出登录\n' "$forged"
}
capture "$bin/kioskctl" receipt verify "$forged" --state-dir "$work/state"
check "a forged token does not" test "$rc" -eq 1
for i in $(seq 50); do
    "$bin/kioskctl" records list --json "${R[@]}" | grep -q "$record" && break
    sleep 0.2
done
# 好差评: the rating reaches the registry, counted by office and service (what the kiosk had
# not sent when it quit waits in its outbox for the next sync)
"$bin/kiosk-sync" --state-dir "$work/state" --registry "$url" --tls "$work/tls" >/dev/null 2>&1 || true
for i in $(seq 100); do
    "$bin/kioskctl" ratings --json "${R[@]}" 2>/dev/null | grep -q '"service":"checkin"' && break
    sleep 0.1
done
capture "$bin/kioskctl" ratings "${R[@]}"
check "好差评 at the registry: kioskctl ratings counts one 满意 for check-in at 370602" \
    grep -Eq '^370602 +checkin +0 +1 +0 +0 +0 +1 +100%' <<<"$out"
check "its id is bound to the kiosk that made it (UUIDv8 with the kiosk's tag), which the registry took" \
    test "${record:14:1}" = 8
check "the check-in is at the registry" bash -c "'$bin/kioskctl' records list --json ${R[*]} | grep -q '\"id\":\"$record\",\"kind\":\"checkin\"'"
check "with the appointment and queue number" test "$(registry_payload "$record" | jq -r '"\(.appointment_id) \(.queue_no)"')" = "T-COUPLE A001"
check "no name or ID number in clear in the kiosk's files" \
    bash -c "! grep -rqa -e 郑测涛 -e 370602199503123011 -e 马试兰 -e 370613196811302041 '$work/state'"

# What goes wrong, each with its message (same kiosk state: the appointments are cached).
cat >"$work/problems.script" <<SCRIPT
clock 2026-11-23T09:12
wait 已连接登记中心 20000
card $cards/resident_male.json
wait-screen checkin.problem 15000
expect 本次预约已经签到，排队号 A001
tap 返回首页
card none
card $cards/resident_rare_name.json
wait-screen checkin.problem 15000
expect 您的预约时段是 15:00–15:30，14:00 起可以签到
tap 返回首页
card none
card $cards/hkmt_residence.json
wait-screen checkin.problem 15000
expect 这张身份证已过有效期
tap 返回首页
card none
scan 370602-20261125-01
wait-screen checkin.problem 15000
expect 您的预约不在今天，预约日期是 2026-11-25
tap 返回首页
scan 370602-20261123-99
wait-screen checkin.problem 15000
expect 没有找到您今天在本登记处的预约
shot checkin_not_found
tap 重新查询
expect-screen checkin
tap 输入预约号
expect-screen checkin.number
type 3706022026112301
tap 查询
wait-screen checkin.problem 15000
expect 本次预约已经签到
tap 返回首页
idle 20
tap 预约签到
expect-screen checkin
expect 请将身份证放在读卡区
SCRIPT
check "already checked in, too early, an expired card, another day, no appointment, by number" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/problems.script" --screenshot-dir "$work/shots"

# The printer is out of paper: home says so before anyone starts (the printer's status is asked
# at start and every 30 s; the registry hears it with the heartbeat's devices); the check-in is
# recorded all the same, the receipt stays on the screen with its QR code, and the citizen is
# told that staff can reprint it.
"$bin/simctl" "$work/printer.ctl" status paper_out >/dev/null
cat >"$work/paper.script" <<SCRIPT
clock 2026-11-23T09:20
wait 已连接登记中心 20000
wait 回执将显示在屏幕上 10000
wait-log the printer's alert reached the registry 15000
shot home_printer_problem
card $cards/foreign_permanent.json
wait-screen checkin.done 15000
expect A002
wait 回执未能打印 10000
expect 工作人员可为您补打回执
shot checkin_paper_out
idle 31
expect-screen home
SCRIPT
check "out of paper: recorded, the receipt stays on screen, home after the countdown" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/paper.script" --screenshot-dir "$work/shots"
check "nothing was sent to the printer" test ! -e "$work/jobs/0002.png"
capture curl -sS --cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" --key "$work/pki/operator.key" "$url/v1/admin/alerts?office=370602"
check "staff were alerted through the registry: the printer of YT-370602-01 stopped, once" \
    test "$(grep -o '"kiosk":"YT-370602-01","office":"370602","kind":"printer","screen":"[^"]*paper[^"]*"' <<<"$out" | wc -l)" -eq 1
# Paper again: staff reprint a receipt of today's by its number (not only the latest: A001,
# the first) from admin mode, and verify a receipt's QR there.
"$bin/simctl" "$work/printer.ctl" status ok >/dev/null
cat >"$work/reprint.script" <<SCRIPT
clock 2026-11-23T09:25
$staff_login
expect 今日签到 2 人次
tap 补打回执
expect-screen admin.reprint
expect A002
shot admin_reprint
tap @receipt_A001
expect-screen admin
wait 回执已补打 10000
$(verify_lines 回执有效：由本机签发，未被改动。)
SCRIPT
check "staff reprint one of today's receipts by its number, and verify a real and a forged one" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/reprint.script" --screenshot-dir "$work/shots"
check "the reprint reached the printer" wait_for "job 2" 5 "$work/printer.log"
capture "$bin/kioskctl" receipt verify "$(zbarimg -q --raw "$work/jobs/0002.png" 2>/dev/null || true)" --state-dir "$work/state"
check "its QR verifies: queue A001, the one chosen" grep -q '"valid":true,"kind":"checkin".*"queue":"A001"' <<<"$out"
check "staff actions are audited with the staff number" test "$(sqlite3 "$work/state/kiosk.db" "SELECT count(*) FROM audit WHERE actor = 'staff:1001' AND action IN ('receipt.reprint', 'receipt.verify')")" -eq 3
# A reprint that fails says so (it once kept saying 正在补打)
"$bin/simctl" "$work/printer.ctl" status paper_out >/dev/null
printf 'clock 2026-11-23T09:26\n%s\ntap 补打回执\ntap @receipt_A002\nwait 补打失败 10000\nexpect-not 正在补打\nshot reprint_failed\n' "$staff_login" >"$work/reprint_fail.script"
check "a failed reprint says it failed, and why" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/reprint_fail.script" --screenshot-dir "$work/shots"
"$bin/simctl" "$work/printer.ctl" status ok >/dev/null

# An office that allows walk-ins: someone without an appointment takes a W number, by their
# card (a number is for a person); one a person a day: the same card again gets the same number.
{ cat "$work/kiosk.ini"; printf '[checkin]\nwalk_in = true\n'; } >"$work/walkin.ini"
cat >"$work/walkin.script" <<SCRIPT
clock 2026-11-23T09:50
wait 已连接登记中心 20000
scan 370602-20261123-98
wait-screen checkin.problem 15000
expect 没有找到您今天在本登记处的预约
expect 请将本人身份证放在读卡区
expect-not 现场取号
tap 返回首页
card $cards/resident_walk_in.json
wait-screen checkin.problem 15000
tap 现场取号
wait-screen checkin.done 15000
expect W001
expect 现场取号：无预约
wait 回执已打印 10000
tap 返回首页
card none
card $cards/resident_walk_in.json
wait-screen checkin.problem 15000
tap 现场取号
wait-screen checkin.done 15000
expect W001
expect 您今天已取过号
expect-not W002
wait 回执已打印 10000
tap 返回首页
card none
SCRIPT
check "walk-ins allowed: by card only; a number, and the same number for the same card again" \
    "$bin/kiosk" --headless --config "$work/walkin.ini" --state-dir "$work/state" \
    --script "$work/walkin.script" --screenshot-dir "$work/shots"
check "both receipts printed" wait_for "job 4" 5 "$work/printer.log"
check "one walk-in record, not two" test "$(sqlite3 "$work/state/kiosk.db" "SELECT count(*) FROM checkins WHERE queue_no LIKE 'W%'")" -eq 1
# In English: the walk-in's number again, its receipt bilingual (the office's English name,
# each line's English under the Chinese the window reads)
{ cat "$work/walkin.ini"; printf '[office]\nname_en = Zhifu District Marriage Registry, Yantai\n'; } >"$work/walkin_en.ini"
cat >"$work/walkin_en.script" <<SCRIPT
clock 2026-11-23T09:55
wait 已连接登记中心 20000
tap English
card $cards/resident_walk_in.json
wait-screen checkin.problem 15000
tap @walk_in
wait-screen checkin.done 15000
expect W001
wait printed 10000
tap Home
card none
SCRIPT
check "in English: the walk-in's number again" \
    "$bin/kiosk" --headless --config "$work/walkin_en.ini" --state-dir "$work/state" \
    --script "$work/walkin_en.script" --screenshot-dir "$work/shots"
check "its receipt printed" wait_for "job 5" 5 "$work/printer.log"
check "bilingual: the office's English name, title, number, lines and footer in English under the Chinese" \
    bash -c "iconv -c -f GB18030 -t UTF-8 '$work/jobs/0005.bin' 2>/dev/null | tr -d '\000-\011\013-\037' > '$work/0005.txt' &&
             grep -q '烟台市芝罘区婚姻登记处' '$work/0005.txt' && grep -q 'Zhifu District Marriage Registry, Yantai' '$work/0005.txt' &&
             grep -q '现场取号回执' '$work/0005.txt' && grep -q 'Walk-in ticket' '$work/0005.txt' &&
             grep -q 'Your number' '$work/0005.txt' && grep -q 'Checked in: 2026-11-23' '$work/0005.txt' &&
             grep -q 'Please wait for your number to be called' '$work/0005.txt'" || { cat "$work/0005.txt" >&2; false; }
check "a Chinese citizen's receipt stays Chinese only" bash -c "! grep -aq 'Walk-in ticket' '$work/jobs/0004.bin'"
# An office not designated for 涉外 / 涉港澳台 registration (条例 Art 2) sends those cards to the
# one that is, by name, instead of checking them in or refusing them with a wrong reason
kiosk_ini "$work/plain.ini" "[office]" "designated_office = 烟台市婚姻登记处（涉外婚姻登记）"
cat >"$work/elsewhere.script" <<SCRIPT
clock 2026-11-23T09:58
card $cards/foreign_permanent.json
wait-screen checkin.problem 15000
expect 本登记处不办理港澳台居民、外国人的婚姻登记
expect 烟台市婚姻登记处（涉外婚姻登记）
expect-not 应为18位
shot checkin_elsewhere
tap 返回首页
card none
card $cards/hkmt_residence.json
wait-screen checkin.problem 15000
expect 烟台市婚姻登记处（涉外婚姻登记）
tap 返回首页
card none
tap 婚育户一件事
tap 开始办理
tap 下一步
tap 已阅读，下一步
card $cards/foreign_permanent.json
wait 婚育户一件事仅限内地居民办理 15000
expect-screen joint.party_a
card none
SCRIPT
check "a foreign or HK/Macao/Taiwan card at an office not designated for them: sent to the one that is, by name; the joint bundle excludes them" \
    "$bin/kiosk" --headless --config "$work/plain.ini" --state-dir "$work/state-plain" \
    --script "$work/elsewhere.script" --screenshot-dir "$work/shots"
# a card whose number its card type cannot have (a misread): refused with what to do
jq '.id_number = "370602199503123012"' "$cards/resident_male.json" >"$work/misread.json"
printf 'clock 2026-11-23T09:58\ncard %s\nwait-screen checkin.problem 15000\nexpect 这张证件的号码无法识别\nexpect-not @walk_in\ncard none\n' \
    "$work/misread.json" >"$work/misread.script"
check "a misread card number is refused, not looked up" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/misread.script"
printf 'scan 370602-20261123-98\nwait-screen checkin.problem\nexpect-not 现场取号\n' >"$work/nowalkin.script"
check "without walk-ins allowed, no such button" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/nowalkin.script"

# 办理进度: the office has accepted the couple's check-in; by card or by the receipt's QR the
# kiosk shows the registry's status; a code that is not one of its receipts is refused.
check "the office marks the check-in accepted" "$bin/kioskctl" records status "$record" accepted "${R[@]}"
cat >"$work/progress.script" <<SCRIPT
clock 2026-11-23T09:40
wait 已连接登记中心 20000
tap 办理进度
expect-screen progress
expect 请将身份证放在读卡区
card $cards/resident_female_long.json
wait-screen progress.result 15000
wait 已受理 10000
expect 以下为登记中心的最新状态
expect 预约签到  A001
expect-not 马试兰
shot progress_result
tap 再查一次
expect-screen progress
card none
scan $token
wait-screen progress.result 15000
wait 已受理 10000
tap 再查一次
scan YT-NOT-A-RECEIPT
wait-screen progress.result 15000
expect 无法识别这个二维码
tap 完成
expect-screen rating
tap 非常满意
expect-screen rating.thanks
idle 6
tap 办事指南
tap 评价本服务
expect-screen rating
tap 基本满意
expect-screen rating.thanks
SCRIPT
check "progress by card and by receipt QR shows the registry's status; 好差评 at its end, and the guide's" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/progress.script" --screenshot-dir "$work/shots"
"$bin/kiosk-sync" --state-dir "$work/state" --registry "$url" --tls "$work/tls" >/dev/null 2>&1 || true
capture "$bin/kioskctl" ratings "${R[@]}"
check "好差评 of the progress query (非常满意) and the guide (基本满意) counted apart at the registry" \
    bash -c "grep -Eq '^370602 +progress +1 +0 +0 +0 +0 +1 +100%' <<<'$out' && grep -Eq '^370602 +guide +0 +0 +1 +0 +0 +1 +0%' <<<'$out'"
capture "$bin/kioskctl" fleet "${R[@]}"
check "the fleet view counts each office's 好差评" grep -q "好差评 370602: 3 ratings, 67% satisfied" <<<"$out" ||
    echo "$out" >&2
# Another kiosk of the office, after one sync, tells the first kiosk's receipt from a forgery
# offline (the registry's receipt keys), and finds its status by its QR.
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-02 --office 370602 --out "$work/tls2" >/dev/null
sed "s|^tls = .*|tls = $work/tls2|" "$work/kiosk.ini" >"$work/kiosk2.ini"
cat >"$work/other.script" <<SCRIPT
clock 2026-11-23T09:42
wait 已连接登记中心 20000
$staff_login
$(verify_lines 回执有效：由终端 YT-370602-01 签发，未被改动。)
tap 办理进度
scan $token
wait-screen progress.result 15000
wait 已受理 10000
expect 预约签到  A001
SCRIPT
check "a second kiosk verifies the first one's receipt offline and queries its status" \
    "$bin/kiosk" --headless --config "$work/kiosk2.ini" --state-dir "$work/state2" \
    --script "$work/other.script" --screenshot-dir "$work/shots"
# returned with the office's reason: the citizens read it in 办理进度, in both languages
check "the office returns the check-in with a reason" "$bin/kioskctl" records status "$record" \
    returned --reason "请携带户口簿原件到3号窗口补充材料" "${R[@]}"
cat >"$work/returned.script" <<SCRIPT
clock 2026-11-23T09:43
wait 已连接登记中心 20000
tap 办理进度
scan $token
wait-screen progress.result 15000
wait 已退回，请到窗口咨询 10000
expect 退回原因：请携带户口簿原件到3号窗口补充材料
shot progress_returned
SCRIPT
check "  and 办理进度 shows the reason" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/returned.script" --screenshot-dir "$work/shots"
kill "$registry"; wait "$registry" 2>/dev/null || true
printf 'clock 2026-11-23T09:44\ntap 办理进度\nscan %s\nwait-screen progress.result 15000\nwait 在其他终端办理 15000\n' \
    "$token" >"$work/other_offline.script"
check "  and with the registry down says the record was made at another kiosk" \
    "$bin/kiosk" --headless --config "$work/kiosk2.ini" --state-dir "$work/state2" \
    --script "$work/other_offline.script"
cat >"$work/offline.script" <<SCRIPT
clock 2026-11-23T09:45
wait 离线 10000
tap 办理进度
card none
card $cards/resident_male.json
wait-screen progress.result 15000
wait 暂时无法连接登记中心 15000
expect 登记中心已收到
SCRIPT
check "registry down: the kiosk's own record, marked as possibly out of date" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/offline.script" --screenshot-dir "$work/shots"
[ -z "${CHECKIN_SHOTS:-}" ] || { cp "$work"/shots/*.png "$work/jobs/0001.png" "$CHECKIN_SHOTS/"; cp "$work/jobs/0005.png" "$CHECKIN_SHOTS/receipt_en.png"; }
finish
