#!/usr/bin/env bash
# The kiosk with its real device drivers against the three simulators: a card presented to
# the reader starts a check-in (this kiosk has no appointments: it says so, and shows nothing
# of the card in clear), a scanned booking code likewise, the
# staff entry shows the devices and prints a test receipt whose QR code reads back.
source "$(dirname "$0")/lib.sh"

"$bin/idcard-sim" --link "$work/reader" --control "$work/reader.ctl" 2>"$work/idcard.log" &
pids+=($!)
"$bin/scanner-sim" --link "$work/scanner" --control "$work/scanner.ctl" 2>"$work/scanner.log" &
pids+=($!)
"$bin/escpos-sim" --listen "127.0.0.1:0" --out "$work/jobs" --control "$work/printer.ctl" \
    2>"$work/printer.log" &
pids+=($!)
port=$(bound_port "$work/printer.log")
for i in $(seq 50); do
    [ -e "$work/reader" ] && [ -e "$work/scanner" ] && [ -S "$work/printer.ctl" ] && break
    sleep 0.1
done

cat >"$work/kiosk.ini" <<INI
[office]
name = 烟台市芝罘区婚姻登记处
code = 370602
[paths]
assets = $top/assets
fonts = $top/fonts/fonts.ini
calendar = $top/tests/data/calendar/always.json
[devices]
idcard = $work/reader
idcard_control = $work/reader.ctl
scanner = $work/scanner
scanner_control = $work/scanner.ctl
printer = tcp:127.0.0.1:$port
printer_qr = native
[kiosk]
card_remind = 0
[joint]
booking = optional
$staff_ini
INI

cat >"$work/devices.script" <<SCRIPT
clock 2026-11-23T09:30
expect-screen home
card $top/tests/data/cards/resident_male.json
wait-screen checkin.problem
expect 没有找到您今天在本登记处的预约
expect-not 郑测涛
expect-not 370602199503123011
shot card
tap 返回首页
expect-screen home
card none
scan YT-20261123-0042
wait-screen checkin.problem
expect 没有找到您今天在本登记处的预约
tap 返回首页
$staff_login
wait 身份证读卡器：正常
wait 回执打印机：正常
tap 打印测试页
wait 测试页已打印。
SCRIPT

export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
check "card, scan and test print through the real drivers" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/devices.script" --screenshot-dir "$work"
check "the test receipt reached the printer" wait_for "job 1" 5 "$work/printer.log"
check "and its QR code reads back" test "$(zbarimg -q --raw "$work/jobs/0001.png" 2>/dev/null)" = KIOSK-TEST-RECEIPT
check "the check-in screen was drawn" test -s "$work/card.png"

# A card reader that is not there: the staff screen says so and the kiosk goes on; after the
# grace time home says check-in and the joint application need the window, and they say why.
sed -i "s|^idcard = .*|idcard = $work/no-reader|" "$work/kiosk.ini"
cat >"$work/missing.script" <<SCRIPT
$staff_login
wait 身份证读卡器：未连接
tap 返回首页
expect-screen home
expect-not 身份证读卡器暂时无法使用
idle 21
expect 身份证读卡器暂时无法使用：预约签到、婚育户一件事请到服务窗口办理
shot home_reader_missing
tap 婚育户一件事
expect-screen unavailable
expect 此项业务需要读取双方的身份证
shot joint_reader_missing
tap 返回首页
scan YT-20261123-0042
wait-screen unavailable
tap 返回首页
tap 办事指南
expect-screen guide
SCRIPT
check "a missing reader is reported, not fatal; after 20 s the services that read cards close, the others go on" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state2" \
    --script "$work/missing.script" --screenshot-dir "$work"

# The reader unplugged while the kiosk runs, and plugged back: the services open again.
sed -i "s|^idcard = .*|idcard = $work/reader|" "$work/kiosk.ini"
cat >"$work/replug.script" <<SCRIPT
expect-screen home
wait-log card reader unreachable 15000
idle 21
expect 身份证读卡器暂时无法使用
wait-log card reader back 20000
expect-not 身份证读卡器暂时无法使用
tap 婚育户一件事
expect-screen joint
SCRIPT
kiosk_bg replug state3
wait_for "screen home" 20 "$work/replug.log" || true
sleep 0.5
"$bin/simctl" "$work/reader.ctl" unplug >/dev/null
wait_for "card reader missing for" 20 "$work/replug.log" || true
"$bin/simctl" "$work/reader.ctl" replug >/dev/null
kiosk_wait replug
check "unplugged: closed after the grace time; plugged back: open again" test "$krc" -eq 0
[ -z "${DEVICES_SHOTS:-}" ] || cp "$work"/*_reader_missing.png "$DEVICES_SHOTS/"
finish
