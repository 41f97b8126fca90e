#!/usr/bin/env bash
# Every business the office does, checked in at the kiosk against registryd and the device
# simulators (DOMAIN.md §1, kiosk/domain/business.h): a divorce application (both), its second
# visit on day 29 (refused, naming the day it opens), day 45 (accepted) and day 61 (deemed
# withdrawn), a withdrawal by one party (and one after the cooling-off, refused), a 补领 by one
# party, a ceremony with its hall, counselling with its counsellor. Each gets the queue prefix
# of its type and reaches the registry with its type. Then the registry's own 受理 date: the
# office accepts the application, and a second-visit booking imported without a date carries it.
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
capture "$bin/kioskctl" appointments import "$top/tests/data/appointments/business.csv" "${R[@]}"
check "a booking of each type is imported" test "$out" = '{"stored":13,"refused":0,"errors":[]}'
check "the device simulators start" sims_up scanner
kiosk_ini "$work/kiosk.ini" "[business]" "divorce_final.room = 二楼离婚登记室" \
    "divorce_final.room_en = divorce room, 2nd floor"
cards=$top/tests/data/cards
# scan BOOKING, both cards, the number: the lines of a couple's check-in to number N
couple() {
    printf 'scan %s\nwait-screen checkin.parties 15000\n' "$1"
    printf 'card %s/resident_male.json\nwait 已核验 10000\ncard none\n' "$cards"
    printf 'card %s/resident_female_long.json\n' "$cards"
    printf 'wait-screen checkin.done 15000\nexpect %s\n' "$2"
}
home() { printf 'card none\ntap 完成\nexpect-screen rating\ntap 跳过\nwait-screen home 5000\n'; }
{
    printf 'clock 2026-12-01T09:10\nwait 已连接登记中心 20000\n'
    couple 370602-20261201-11 L001
    printf 'expect 离婚登记申请\nexpect 离婚登记室\nshot business_divorce_apply\n'
    home
    # day 29: not yet, and the day it opens
    printf 'scan 370602-20261201-12\nwait-screen checkin.problem 15000\n'
    printf 'expect 今天是受理后第29日\nexpect 自2026年12月3日起办理\nexpect 最迟2027年1月1日\n'
    printf 'shot business_day29\ntap 返回首页\n'
    couple 370602-20261201-13 L002
    printf 'expect 离婚登记（申领离婚证）\nexpect 二楼离婚登记室\n'
    home
    printf 'scan 370602-20261201-14\nwait-screen checkin.problem 15000\n'
    printf 'expect 视为撤回离婚登记申请\nexpect 双方最迟应于2026年11月30日共同到场\nshot business_day61\ntap 返回首页\n'
    # a withdrawal: her card alone is enough
    printf 'scan 370602-20261201-15\nwait-screen checkin.parties 15000\nexpect 一方到场即可办理\n'
    printf 'card %s/resident_female_long.json\nwait-screen checkin.done 15000\nexpect L003\n' "$cards"
    printf 'expect 撤回离婚登记申请\nshot business_withdraw\n'
    home
    printf 'scan 370602-20261201-16\nwait-screen checkin.problem 15000\nexpect 不能再撤回\ntap 返回首页\n'
    # 补领 by the one party, found by the card
    printf 'card %s/resident_walk_in.json\nwait-screen checkin.done 15000\nexpect B001\nexpect 补领结婚证\n' "$cards"
    printf 'expect 补领证件窗口\n'
    home
    couple 370602-20261201-18 C001
    printf 'expect 颁证仪式\nexpect 一号颁证厅\nshot business_ceremony\n'
    home
    printf 'card %s/resident_young.json\nwait-screen checkin.done 15000\nexpect F001\n' "$cards"
    printf 'expect 辅导员 王老师\nexpect 婚姻家庭辅导室\n'
    home
} >"$work/types.script"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
check "each type checks in: L001 L002 L003 B001 C001 F001, day 29 and 61 and a late withdrawal refused" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/types.script" --screenshot-dir "$work/shots"
# the receipts: the second visit's names the day and the office's room for it (job 2)
receipt_text() { iconv -c -f GB18030 -t UTF-8 "$work/jobs/$1.bin" 2>/dev/null | tr -d '\000-\011\013-\037'; }
check "six receipts printed" wait_for "job 6" 10 "$work/printer.log"
check "the second visit's receipt: its business, 受理 date and day, and its room" \
    bash -c "receipt=\$(iconv -c -f GB18030 -t UTF-8 '$work/jobs/0002.bin' | tr -d '\000-\011\013-\037'); \
             grep -q '办理事项：离婚登记（申领离婚证）' <<<\"\$receipt\" && \
             grep -q '受理日期：2026-10-17（今天是第45日）' <<<\"\$receipt\" && \
             grep -q '办理地点：二楼离婚登记室' <<<\"\$receipt\""
check "the withdrawal's receipt names the one who came, not the other" \
    bash -c "receipt=\$(iconv -c -f GB18030 -t UTF-8 '$work/jobs/0003.bin' | tr -d '\000-\011\013-\037'); \
             grep -q '马\*兰' <<<\"\$receipt\" && ! grep -q '郑\*涛' <<<\"\$receipt\""
check "the ceremony's receipt names its hall" \
    bash -c "iconv -c -f GB18030 -t UTF-8 '$work/jobs/0005.bin' | tr -d '\000-\011\013-\037' | grep -q '办理地点：一号颁证厅'"
for i in $(seq 100); do
    [ "$("$bin/kioskctl" records list --kiosk YT-370602-01 "${R[@]}" | grep -c checkin)" -ge 6 ] && break
    sleep 0.2
done
capture "$bin/kioskctl" records list --kiosk YT-370602-01 "${R[@]}"
for pair in "divorce_apply L001" "divorce_final L002" "divorce_withdraw L003" \
    "reissue_marriage B001" "ceremony C001" "counselling F001"; do
    check "at the registry: $pair" grep -Eq "checkin .* ${pair% *} +${pair#* }\$" <<<"$out"
done

# The office queue at the registry: windows serving some types call only theirs, in order.
"$bin/kioskctl" queue window 370602 1 marriage,joint --name 1号窗口 --room 结婚登记室 "${R[@]}" >/dev/null
"$bin/kioskctl" queue window 370602 5 divorce_apply,divorce_withdraw,divorce_final --name 5号窗口 \
    --room 离婚登记室 --every 0 "${R[@]}" >/dev/null
"$bin/kioskctl" queue window 370602 7 reissue_marriage,ceremony,counselling --name 7号窗口 "${R[@]}" >/dev/null
capture "$bin/kioskctl" queue show 370602 "${R[@]}"
check "the check-ins are the office's tickets, each with its type" \
    bash -c "grep -Eq 'L001 +divorce_apply +离婚登记室 +waiting' <<<\"\$0\" && grep -Eq 'C001 +ceremony +一号颁证厅 +waiting' <<<\"\$0\" && grep -q '6 waiting' <<<\"\$0\"" "$out"
ticket_of() { "$bin/kioskctl" queue show 370602 --json "${R[@]}" | jq -r ".tickets[] | select(.queue_no == \"$1\") | .id"; }
called() { "$bin/kioskctl" queue call 370602 "$1" "${R[@]}" | jq -r '.ticket'; }
check "window 5 calls the divorces only: L001, L002, L003, then nothing" \
    test "$(called 5) $(called 5) $(called 5) $(called 5)" = "$(ticket_of L001) $(ticket_of L002) $(ticket_of L003) null"
check "window 7: B001 and F001 (09:00), then C001 (10:00): by their slots" \
    test "$(called 7) $(called 7) $(called 7)" = "$(ticket_of B001) $(ticket_of F001) $(ticket_of C001)"
check "window 1 has none of them" test "$(called 1)" = null
l1=$(ticket_of L001)
capture "$bin/kioskctl" queue no-show 370602 "$l1" "${R[@]}"
check "a no-show before three calls is refused" grep -q "after 3 calls" <<<"$out"
"$bin/kioskctl" queue recall 370602 "$l1" "${R[@]}" >/dev/null
"$bin/kioskctl" queue recall 370602 "$l1" "${R[@]}" >/dev/null
check "after the third call it is marked no-show" "$bin/kioskctl" queue no-show 370602 "$l1" "${R[@]}"
check "a transfer to another room lands in that room's queue" \
    bash -c "'$bin/kioskctl' queue transfer 370602 $(ticket_of C001) room:离婚登记室 ${R[*]} >/dev/null && test \"\$('$bin/kioskctl' queue call 370602 5 ${R[*]} | jq -r .ticket)\" = $(ticket_of C001)"

# The registry records the 受理 date when the office accepts the application; a second-visit
# booking then needs no date of its own.
capture "$bin/kioskctl" records list --kiosk YT-370602-01 "${R[@]}"
apply=$(awk '/divorce_apply/ {print $1}' <<<"$out")
check "the divorce application's record is there" test -n "$apply"
next() { # next ID TYPE DATE: a booking of the couple's on DATE 09:00
    printf 'id,office,booking_no,type,slot_start,slot_end,party_a_id,party_a_name,party_b_id,party_b_name\n'
    printf '%s,370602,%s,%s,%s 09:00,%s 09:30,370602199503123011,郑测涛,370613196811302041,马试兰\n' \
        "$1" "370602-${3//-/}-21" "$2" "$3" "$3"
}
d45=$(TZ=Asia/Shanghai date -d '+45 days' +%Y-%m-%d)
next B-NEXT divorce_final "$d45" >"$work/next.csv"
capture "$bin/kioskctl" appointments import "$work/next.csv" "${R[@]}"
check "before the office accepted it: refused, saying why" \
    grep -q '"refused":1,.*no accepted_on, and the registry has no accepted divorce application' <<<"$out"
check "the office accepts the application" "$bin/kioskctl" records status "$apply" accepted "${R[@]}"
check "the registry logs its 受理 date" grep -q "divorce application accepted on $(TZ=Asia/Shanghai date +%Y-%m-%d)" "$work/registry.log"
capture "$bin/kioskctl" appointments import "$work/next.csv" "${R[@]}"
check "then the second-visit booking imports" test "$out" = '{"stored":1,"refused":0,"errors":[]}'
cat >"$work/next.script" <<SCRIPT
clock ${d45}T09:10
wait 已连接登记中心 20000
$(couple "370602-${d45//-/}-21" L001)
SCRIPT
check "and checks in on day 45 after today's 受理" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/next.script" --screenshot-dir "$work/shots"
check "its receipt says day 45" wait_for "job 7" 10 "$work/printer.log"
check "(受理 today, day 45)" \
    bash -c "iconv -c -f GB18030 -t UTF-8 '$work/jobs/0007.bin' | tr -d '\000-\011\013-\037' | grep -q '受理日期：$(TZ=Asia/Shanghai date +%Y-%m-%d)（今天是第45日）'"
check "no name or ID number in clear in the kiosk's files" \
    bash -c "! grep -rqa -e 郑测涛 -e 370602199503123011 -e 马试兰 -e 孙样例 '$work/state'"
# The office calendar (content: assets/calendar/): a holiday the office works (节假日常态办), one
# it closes, a 调休 Saturday, a usual Saturday, an evening; walk-in numbers only while open; a
# divorce period whose last day is a closed day ends on the next open day (民法典 203).
kiosk_ini "$work/cal.ini" "[paths]" "calendar = $top/tests/data/calendar/calendar.json" \
    "[checkin]" "walk_in = true"
walk_in() { # walk_in: the card of someone without a booking, to take a walk-in number
    printf 'card %s/resident_rare_name.json\nwait-screen checkin.problem 15000\n' "$cards"
}
{
    printf 'clock 2027-01-01T10:00\nwait 已连接登记中心 20000\n'
    printf 'expect 今天是元旦，本处照常办公（节假日常态办），办公时间 09:00–12:00、13:30–17:00。\nshot calendar_holiday_open\n'
    walk_in
    # where it waits, once the sync took it to the registry: nobody before it
    printf 'tap 现场取号\nwait-screen checkin.done 15000\nexpect W001\nwait 前面没有人在等候 15000\ncard none\ntap 完成\ntap 跳过\nwait-screen home 5000\n'
    printf 'clock 2027-02-06T10:00\nwait 今天是春节，本处休息。下一个办公日是2月7日（星期日） 5000\nshot calendar_closed\n'
    walk_in
    printf 'expect-not @walk_in\nexpect 现在不能现场取号。今天是春节，本处休息。\ncard none\ntap 返回首页\n'
    printf 'clock 2027-01-09T10:00\nwait 今天是调休上班日，本处照常办公 5000\n'
    walk_in
    # the first walk-in still waits: one before it, at 10 minutes a ticket for window 1
    printf 'tap 现场取号\nwait-screen checkin.done 15000\nexpect W001\nwait 前面还有 1 位，预计等候约 10 分钟。 15000\nshot calendar_ahead\ncard none\ntap 完成\ntap 跳过\nwait-screen home 5000\n'
    printf 'clock 2027-01-16T10:00\nwait 今天本处休息。下一个办公日是1月18日（星期一） 5000\n'
    printf 'clock 2027-01-11T17:30\nwait 今天的办公时间（09:00–12:00、13:30–17:00）已结束。下一个办公日是1月12日（星期二） 5000\n'
    printf 'clock 2027-01-12T08:30\nwait 本处 09:00 开始办公 5000\n'
    printf 'clock 2027-01-12T09:01\nwait 09:01 5000\nexpect-not 开始办公\n'
    # day 60 after 2026-12-08 is 2027-02-06, a closed day: day 61 is the last
    printf 'clock 2027-02-07T09:10\n'
    couple 370602-20270207-01 L001
    printf 'card none\ntap 完成\ntap 跳过\nwait-screen home 5000\n'
    printf 'clock 2027-02-08T09:10\nscan 370602-20270208-01\nwait-screen checkin.problem 15000\n'
    printf 'expect 视为撤回\nexpect 期限最后一日本处不办公，按法律规定顺延至2027年2月7日\nshot calendar_moved\ntap 返回首页\n'
    # the guide: the office's hours and its coming days from the calendar
    printf 'clock 2027-01-01T10:00\ntap 办事指南\ntap 办公时间\n'
    printf 'expect 本处办公时间：星期一至星期五 09:00–12:00、13:30–17:00。\nexpect 法定节假日：本处照常办公（节假日常态办）。\n'
    printf 'expect 1月1日（星期五）　元旦：照常办公 09:00–12:00、13:30–17:00\nexpect 1月9日（星期六）　调休上班：照常办公\n'
    printf 'expect 2月6日（星期六）　春节：休息\nexpect 本处办理内地居民的婚姻登记；港澳台居民、外国人的婚姻登记请到\nshot calendar_guide\n'
} >"$work/calendar.script"
check "the calendar: a worked holiday, a closed one, a 调休 Saturday, a Saturday, an evening, a moved deadline, the guide's hours" \
    "$bin/kiosk" --headless --config "$work/cal.ini" --state-dir "$work/calstate" \
    --script "$work/calendar.script" --screenshot-dir "$work/shots"
# A roving point (巡回登记点, in the calendar): staff set the kiosk there; home says where it is
# and when it opens; that point's booking checks in, the office's is sent to the office; the
# guide lists the point's coming dates.
kiosk_ini "$work/rv.ini" "$staff_ini" "[paths]" "calendar = $top/tests/data/calendar/calendar.json"
cat >"$work/roving.script" <<SCRIPT
clock 2027-01-08T08:40
wait 已连接登记中心 20000
$staff_login
tap 切换巡回点
expect 所在地点：解甲庄巡回登记点
tap 切换巡回点
expect 所在地点：本登记处
tap 切换巡回点
tap 退出登录
wait 本机在巡回登记点：解甲庄巡回登记点（莱山区解甲庄街道便民服务中心），今天 09:00 开始办理（09:00–11:30）。 5000
clock 2027-01-08T09:10
wait 今天办理时间 09:00–11:30 5000
shot roving_home
$(couple 370602-20270108-01 A001)
card none
tap 完成
tap 跳过
wait-screen home 5000
scan 370602-20270108-02
wait-screen checkin.problem 15000
expect 您的预约不在这里办理，而在：烟台市芝罘区婚姻登记处
shot roving_other_place
tap 返回首页
tap 办事指南
tap 办公时间
expect 巡回登记点
expect 解甲庄巡回登记点（莱山区解甲庄街道便民服务中心）：1月8日（星期五）、1月22日（星期五）、2月5日（星期五） 09:00–11:30
expect-not 别的办事处的点
shot roving_guide
tap 返回首页
clock 2027-01-08T12:00
wait 现在不在办理时间。下一次办理：1月22日（星期五） 09:00–11:30 5000
SCRIPT
check "a roving point: set by staff, said on home, its booking checked in, the office's sent there, its dates in the guide" \
    "$bin/kiosk" --headless --config "$work/rv.ini" --state-dir "$work/rvstate" \
    --script "$work/roving.script" --screenshot-dir "$work/shots"
point_of_checkins() { registry_payloads checkin | jq -r '.point // empty'; }
for i in $(seq 100); do
    point_of_checkins | grep -qx YT-RV-01 && break
    sleep 0.2
done
check "the roving point's check-in at the registry names the point" grep -qx YT-RV-01 <<<"$(point_of_checkins)"
[ -z "${BUSINESS_SHOTS:-}" ] || { cp "$work"/shots/business_*.png "$work"/shots/calendar_*.png "$work"/shots/roving_*.png "$BUSINESS_SHOTS/"; cp "$work/jobs/0002.png" "$BUSINESS_SHOTS/receipt_divorce_final.png"; }
finish
