#!/usr/bin/env bash
# The store seen from outside: the kiosk audits a staff action; kioskctl verifies the chain,
# names the first row someone altered, and reports counts; a store that cannot be opened puts
# the kiosk out of service with the reason.
source "$(dirname "$0")/lib.sh"

cat >"$work/kiosk.ini" <<INI
[paths]
assets = $top/assets
fonts = $top/fonts/fonts.ini
[devices]
printer = tcp:127.0.0.1:1
$staff_ini
INI
printf '%s\ntap 打印测试页\nwait 测试页未能打印\ntap 退出登录\nexpect-screen home\n' "$staff_login" >"$work/staff.script"
check "a staff action is carried out and audited" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" --script "$work/staff.script"
capture "$bin/kioskctl" audit verify --state-dir "$work/state"
check "kioskctl audit verify: ok" test "$rc" -eq 0 -a "$out" = "audit chain ok"
capture "$bin/kioskctl" store stats --state-dir "$work/state"
check "kioskctl store stats: the login, the test print and the logout audited" grep -q '"audit":3' <<<"$out"
check "by whom" test "$(sqlite3 "$work/state/kiosk.db" "SELECT group_concat(actor || ' ' || action, ', ') FROM audit")" = "staff login.ok, staff:1001 printer.test, staff:1001 logout"
check "the data key is 0600" test "$(stat -c %a "$work/state/data.key")" = 600
sqlite3 "$work/state/kiosk.db" "UPDATE audit SET detail = 'altered' WHERE seq = 1"
capture "$bin/kioskctl" audit verify --state-dir "$work/state"
check "an altered row breaks the chain (exit 1)" test "$rc" -eq 1
check "and is named" grep -q "audit chain broken at row 1" <<<"$out"
capture "$bin/kioskctl" audit verify
check "kioskctl without --state-dir: exit 2" test "$rc" -eq 2

# A write that fails (test builds inject it: every write after the first N fails): out of
# service at once, saying why, then the kiosk exits 70 for the service manager to restart it.
printf 'hold @staff 3000\ntype 1001\ntap @pin\ntype 246810\ntap 登录\nwait-screen out_of_service 3000\nexpect 数据存储出现故障\nidle 11\n' >"$work/fail.script"
capture env KIOSK_STORE_FAIL_AFTER=0 "$bin/kiosk" --headless --config "$work/kiosk.ini" \
    --state-dir "$work/state" --script "$work/fail.script"
check "a failed write: out of service, then exit 70 to be restarted" test "$rc" -eq 70
check "logged as a store failure" grep -q "store write failed" <<<"$out"
capture "$bin/kioskctl" audit verify --state-dir "$work/state"
check "the failed write added nothing: the chain reads as before (broken only where altered)" grep -q "broken at row 1" <<<"$out"

mkdir -p "$work/broken/kiosk.db"
printf 'expect-screen out_of_service\nexpect 数据存储出现故障\n' >"$work/broken.script"
check "a store that cannot be opened: out of service, saying why" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/broken" --script "$work/broken.script"
finish
