#!/usr/bin/env bash
# The registry's push channel (GET /v1/commands long poll, acknowledgements) against a running
# kiosk: lock and unlock reach it within a second, survive a restart, and wait for the
# citizen at the kiosk; a notice shows on home; "sync" drains the outbox at once; a stopping
# kiosk does not wait out its long poll; an update in progress holds neither a lock nor a stop.
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
sync_kiosk_ini "$work/kiosk.ini" "interval = 600" "command_wait = 50"
send() { "$bin/kioskctl" command send YT-370602-01 "$@" "${R[@]}" >/dev/null; }
ms() { date +%s%3N; }

# 1. lock, unlock and a notice while the kiosk stands on home
cat >"$work/live.script" <<'S'
wait 已连接登记中心 20000
wait-screen out_of_service 15000
expect 本机已由登记机关暂停使用
wait-screen home 15000
wait 今天下午三点起系统维护，请到一号窗口办理。 15000
shot notice
S
kiosk_bg live s1
check "the kiosk reaches the registry" wait_for "registry reachable" 10 "$work/live.log"
sleep 1 # its long poll is open now
t0=$(ms)
send lock
check "lock: acknowledged by the kiosk" wait_for "command 1 lock: ok" 5 "$work/live.log"
check "lock: out of service" wait_for "screen out_of_service" 5 "$work/live.log"
lock_ms=$(($(ms) - t0))
check "lock: there within 1 s of being sent (took $lock_ms ms; the poll waits up to 50 s)" test "$lock_ms" -lt 1000
check "lock: kept in the state directory" test -f "$work/s1/locked"
send unlock
check "unlock: acknowledged" wait_for "command 2 unlock: ok" 5 "$work/live.log"
check "unlock: the lock file is gone" bash -c "sleep 0.5; test ! -e '$work/s1/locked'"
send notice '今天下午三点起系统维护，请到一号窗口办理。'
t0=$(ms)
kiosk_wait live
stop_ms=$(($(ms) - t0))
check "the script saw lock, unlock and the notice on home" test "$krc" -eq 0
check "the kiosk stopped at once with a long poll open (took $stop_ms ms)" test "$stop_ms" -lt 5000
check "the notice screenshot was taken" test -s "$work/shots/notice.png"
capture "$bin/kioskctl" command list --kiosk YT-370602-01 "${R[@]}"
check "the registry has the kiosk's three results" test "$(grep -o '"result":"ok"' <<<"$out" | wc -l)" -eq 3
check "each command is in the audit chain" test "$(sqlite3 "$work/s1/kiosk.db" "SELECT count(*) FROM audit WHERE actor = 'registry'")" -eq 3
check "the audit chain holds" "$bin/kioskctl" audit verify --state-dir "$work/s1"

# 2. a lock sent while the kiosk is off, kept across restarts; the notice is kept too
send lock
printf 'wait-screen out_of_service 15000\n' >"$work/off.script"
kiosk_bg off s1
kiosk_wait off
check "a lock queued while the kiosk was off is carried out when it starts" test "$krc" -eq 0
printf 'expect-screen out_of_service\nwait-screen home 15000\nexpect 今天下午三点起系统维护，请到一号窗口办理。\n' >"$work/restart.script"
kiosk_bg restart s1
wait_for "screen out_of_service" 10 "$work/restart.log" || true
send unlock
kiosk_wait restart
check "after a restart the kiosk is still locked, until unlocked; the notice is kept" test "$krc" -eq 0
send notice ''
printf 'wait 已连接登记中心 20000\nwait 请选择您要办理的业务 10000\nexpect-not 今天下午三点起系统维护\n' >"$work/clear.script"
kiosk_bg clear s1
kiosk_wait clear
check "an empty notice clears it" test "$krc" -eq 0

# 3. a lock waits for the person at the kiosk (here: staff on the staff screen)
cat >"$work/busy.script" <<S
wait 已连接登记中心 20000
$staff_login
wait 离开本页后即停止服务 15000
expect-screen admin
tap 退出登录
expect-screen out_of_service
S
kiosk_bg busy s3
check "busy: the staff screen shows" wait_for "screen admin" 15 "$work/busy.log"
send lock
kiosk_wait busy
check "a lock during a session waits for its end, then takes effect" test "$krc" -eq 0
send unlock

# 4. "sync" drains at once (the interval is 10 minutes)
printf 'wait 已连接登记中心 20000\nwait-screen out_of_service 30000\n' >"$work/sync.script"
kiosk_bg sync s4
check "sync: the kiosk is online" wait_for "registry reachable" 10 "$work/sync.log"
"$bin/seed_store" "$work/s4" 20
send sync
records() { "$bin/kioskctl" records list --json --kiosk YT-370602-01 "${R[@]}" | { grep -o '"id"' || true; } | wc -l; }
n=0
for i in $(seq 50); do n=$(records); [ "$n" -ge 20 ] && break; sleep 0.2; done
check "sync: the 20 records captured meanwhile reach the registry within seconds ($n)" test "$n" -eq 20
send lock
wait "$kpid" || true

# 5. bad input from an operator: unknown command, kiosk-side result for unknown ones
capture "$bin/kioskctl" command send YT-370602-01 reboot "${R[@]}"
check "an unknown command is refused by the registry with a reason" grep -q "sync|lock|unlock|notice" <<<"$out"
capture curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/pki/ca.crt" --cert "$work/tls/kiosk.crt" --key "$work/tls/kiosk.key" -X POST -d '{"result":"ok"}' "$url/v1/commands/999/ack"
check "acknowledging a command the kiosk does not have: 404" test "$out" = 404
capture curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/pki/ca.crt" --cert "$work/tls/kiosk.crt" --key "$work/tls/kiosk.key" "$url/v1/admin/commands"
check "a kiosk certificate cannot queue commands: 403" test "$out" = 403

# 6. An update does not hold a lock back: over a slow link (about 50 kB/s) a content bundle
# with a 2 MB file takes most of a minute to download; a lock sent meanwhile takes effect at
# once, and a kiosk stopping mid-download does not wait for it (what came is kept).
"$bin/kioskctl" keys new "$work/keys" k1 >/dev/null
mkdir -p "$work/trust" && cp "$work/keys/k1.pub" "$work/trust/"
cp -r "$top/assets" "$work/content"
head -c 2000000 /dev/urandom >"$work/content/big.bin"
"$bin/kioskctl" content build "$work/content" --out "$work/bundle" --version 0.9.0 --serial 9 \
    --channel 370602 --hardware x86_64-kiosk-1 --sign "$work/keys/k1.key" >/dev/null
"$bin/kioskctl" content publish "$work/bundle" "${R[@]}" >/dev/null
sport=$((port + 2))
"$bin/cutproxy" "$sport" "$port" lossy 20 50000 0 0 5 2>"$work/slow.log" &
pids+=($!)
sed "s|^registry = .*|registry = https://127.0.0.1:$sport|" "$work/kiosk.ini" >"$work/slow.ini"
printf '[update]\ntrust = %s/trust\nchannel = 370602\npoll = 0\n' "$work" >>"$work/slow.ini"
printf 'wait 已连接登记中心 20000\nwait-screen out_of_service 60000\nwait-log command 14 unlock: ok 30000\n' >"$work/slow.script"
kiosk_bg slow s6 "$work/slow.ini"
check "slow link: the kiosk is online" wait_for "registry reachable" 20 "$work/slow.log"
sleep 1
send unlock # 11: the push channel is open
send content # 12
check "the content download starts" wait_for "content 0.9.0: downloading" 20 "$work/slow.log"
t0=$(ms)
send lock # 13
check "a lock during the download is acknowledged" wait_for "command 13 lock: ok" 10 "$work/slow.log"
lock_ms=$(($(ms) - t0))
check "  within 3 s over the slow link, the download still going (took $lock_ms ms)" \
    bash -c "[ $lock_ms -lt 3000 ] && ! grep -q 'content 0.9.0: installed' '$work/slow.log'"
partway() { # the kiosk's heartbeat shows the content download part of the way through
    local i
    for ((i = 0; i < 50; i++)); do
        "$bin/kioskctl" fleet --json "${R[@]}" | python3 -c '
import json, sys
for k in json.load(sys.stdin)["kiosks"]:
    p = k["last"].get("content", {}).get("progress", {})
    if p.get("step") == "downloading" and 0 < p["done"] < p["total"]:
        print(p["done"], "of", p["total"]); sys.exit(0)
sys.exit(1)' && return 0
        sleep 0.2
    done
    return 1
}
check "the registry sees the download's progress within its file" partway
send unlock
t0=$(ms)
kiosk_wait slow
stop_ms=$(($(ms) - t0))
check "the kiosk stopped mid-download without waiting for it (took $stop_ms ms)" \
    bash -c "[ $krc -eq 0 ] && [ $stop_ms -lt 5000 ] && ! grep -q 'content 0.9.0: installed' '$work/slow.log'"
check "what came is kept for the resume" bash -c "ls '$work/s6/content/downloads/'*.part >/dev/null 2>&1"
finish
