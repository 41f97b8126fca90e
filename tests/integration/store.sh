#!/usr/bin/env bash
# The store seen from outside: the kiosk audits a staff action; kioskctl verifies the chain,
# names the first row someone altered, and reports counts; a store that cannot be opened puts
# the kiosk out of service with the reason.
source "$(dirname "$0")/lib.sh"

cat >"$work/kiosk.ini" <<INI
[paths]
assets = $top/assets
fonts = $top/fonts/fonts.ini
calendar = $top/tests/data/calendar/always.json
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

# Keys and stores that fail loudly: each of these once made a new key or an empty store and
# went on, stranding the records; now each keeps the kiosk out of service, saying which, and
# the records stay (the kiosk comes back as it was once the right files are restored).
oos_says() { # oos_says DIR TEXT: the kiosk on DIR shows out of service with TEXT
    printf 'expect-screen out_of_service\nexpect %s\n' "$2" >"$work/oos.script"
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$1" --script "$work/oos.script"
}
pending() { sqlite3 "$1/kiosk.db" "SELECT count(*) FROM outbox"; }
"$bin/seed_store" "$work/keys" 20
check "20 records wait in the outbox" test "$(pending "$work/keys")" -eq 20
check "the store's marker is kept outside the database" test -s "$work/keys/store.id"
mv "$work/keys/data.key" "$work/keys/data.key.saved"
check "a lost data key: out of service, asking for the key" oos_says "$work/keys" "数据密钥丢失"
check "and no new key is made over the sealed data" test ! -e "$work/keys/data.key"
capture "$bin/kiosk-sync" --state-dir "$work/keys" --registry https://127.0.0.1:1 --tls "$work/keys"
check "kiosk-sync refuses too, saying why (exit 3)" test "$rc" -eq 3
check "(the key is missing, data exists)" grep -q "data key is missing but the store holds sealed data" <<<"$out"
head -c 32 /dev/urandom >"$work/keys/data.key"; chmod 600 "$work/keys/data.key"
check "a replaced data key: out of service" oos_says "$work/keys" "数据密钥与已存的记录不符"
chmod 644 "$work/keys/data.key.saved"; cp -p "$work/keys/data.key.saved" "$work/keys/data.key"
capture "$bin/kioskctl" store stats --state-dir "$work/keys"
check "a key readable by others is refused" test "$rc" -ne 0
chmod 600 "$work/keys/data.key"
cp "$work/keys/kiosk.db" "$work/keys.db.saved"
: >"$work/keys/kiosk.db"
check "an emptied store: out of service, asking for the store" oos_says "$work/keys" "记录库缺失、为空或已损坏"
check "and it is not made anew" test ! -s "$work/keys/kiosk.db"
head -c 4096 /dev/urandom >"$work/keys/kiosk.db"
check "a store that is not a database: the same" oos_says "$work/keys" "记录库缺失、为空或已损坏"
"$bin/seed_store" "$work/other" 1
rm -f "$work/keys/kiosk.db-wal" "$work/keys/kiosk.db-shm"
cp "$work/other/kiosk.db" "$work/keys/kiosk.db"; cp "$work/other/data.key" "$work/keys/data.key"
check "another kiosk's store and key: the same" oos_says "$work/keys" "记录库缺失、为空或已损坏"
rm -f "$work/keys/kiosk.db-wal" "$work/keys/kiosk.db-shm"
cp "$work/keys.db.saved" "$work/keys/kiosk.db"; cp "$work/keys/data.key.saved" "$work/keys/data.key"; chmod 600 "$work/keys/data.key"
capture "$bin/kioskctl" store stats --state-dir "$work/keys"
check "restored: the store opens again ($out)" test "$rc" -eq 0
check "with its 20 records still waiting" test "$(pending "$work/keys")" -eq 20

mkdir -p "$work/broken/kiosk.db"
printf 'expect-screen out_of_service\nexpect 数据存储出现故障\n' >"$work/broken.script"
check "a store that cannot be opened: out of service, saying why" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/broken" --script "$work/broken.script"
finish
