#!/usr/bin/env bash
# The kiosk's sync thread against registryd: home shows that the registry is reachable, or
# that the kiosk works offline; the staff screen says why (an expired certificate, no route).
source "$(dirname "$0")/lib.sh"

"$bin/kioskctl" pki init "$work/pki" >/dev/null
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-01 --office 370602 --out "$work/tls" >/dev/null
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-OLD --office 370602 --out "$work/old" --days -1 >/dev/null
mkdir -p "$work/data"
registry_start "$work/pki" "$work/data" 0 "$work/tls" || { echo "registryd did not start" >&2; exit 1; }

config() { # config NAME REGISTRY TLS
    cat >"$work/$1.ini" <<INI
[paths]
assets = $top/assets
fonts = $top/fonts/fonts.ini
calendar = $top/tests/data/calendar/always.json
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
# The audit chain anchored at the registry: its head, signed with the kiosk's receipt key, goes
# with every heartbeat; a chain truncated or rewritten on the kiosk still verifies on its own,
# but not against the registry's anchors.
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-07 --office 370602 --out "$work/tls7" >/dev/null
sync_a() { "$bin/kiosk-sync" --state-dir "$work/a" --registry "https://127.0.0.1:$port" --tls "$work/tls7" >/dev/null 2>&1 || true; }
op=(--cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" --key "$work/pki/operator.key")
alarms() { curl -sS "${op[@]}" "https://127.0.0.1:$port/v1/admin/audit-alarms?kiosk=YT-370602-07"; }
"$bin/seed_store" "$work/a" 6
sync_a
sync_a
check "an honest kiosk raises no audit alarm" test "$(alarms)" = '{"alarms":[]}'
averify() { capture "$bin/kioskctl" audit verify --state-dir "$work/a" --registry "https://127.0.0.1:$port" --pki "$work/pki" --kiosk YT-370602-07; }
averify
check "kioskctl audit verify with the registry: exit 0" test "$rc" -eq 0
check "  the chain matches its anchors" grep -q "matches the registry's [1-9][0-9]* anchors" <<<"$out"
sqlite3 "$work/a/kiosk.db" "DELETE FROM audit WHERE seq > 3"
capture "$bin/kioskctl" audit verify --state-dir "$work/a"
check "a truncated chain still verifies on its own" test "$rc" -eq 0
averify
check "but not against the registry's anchors (exit 1)" test "$rc" -eq 1
check "  saying it was truncated" grep -q "audit chain truncated: row [0-9]*, anchored at the registry, is gone" <<<"$out"
sync_a
check "the registry sees it truncated" grep -q "audit chain truncated" <<<"$(alarms)"
check "and logs it" grep -q "YT-370602-07: audit chain truncated" "$work/registry.log"
"$bin/seed_store" "$work/b" 4
rm -rf "$work/a"; mv "$work/b" "$work/a"
sync_a # a new store: a new chain, anchored anew only past the old head (and the alarm stands)
"$bin/seed_store" "$work/a" 30 # the chain grows past what the registry holds
sync_a
sync_a # the registry now asks for the hash of the row it anchored
before=$(alarms | grep -o '"detail"' | wc -l)
row=$(sqlite3 "$work/a/kiosk.db" "SELECT value FROM kv WHERE key = 'audit.check'")
sqlite3 "$work/a/kiosk.db" "UPDATE audit SET hash = randomblob(32) WHERE seq = $row"
sync_a
check "a row rewritten below the head (its hash changed): the registry says so" \
    grep -q "audit chain rewritten: row $row changed" <<<"$(alarms)"
check "(one more alarm)" test "$(alarms | grep -o '"detail"' | wc -l)" -gt "$before"
# Record ids are bound to the kiosk that made them: a copy of kiosk 08's store (its outbox and
# key) synced with another office's kiosk's certificate has every record refused and set aside
# there; kiosk 08's own sync then delivers them all, as it made them.
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-08 --office 370602 --out "$work/tls8" >/dev/null
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370699-09 --office 370699 --out "$work/tls9" >/dev/null
"$bin/seed_store" "$work/c" 5 YT-370602-08
cp -a "$work/c" "$work/c-copy"
capture "$bin/kiosk-sync" --state-dir "$work/c-copy" --registry "https://127.0.0.1:$port" --tls "$work/tls9"
check "another kiosk syncing a copy of 08's outbox: exit 4, all 5 rejected and set aside" \
    bash -c "test $rc -eq 4 && grep -q '\"rejected\":5,.*\"left\":5,\"set_aside\":5' <<<'$out'"
capture "$bin/kiosk-sync" --state-dir "$work/c" --registry "https://127.0.0.1:$port" --tls "$work/tls8"
check "08's own sync: exit 0, all 5 accepted (none duplicate)" \
    bash -c "test $rc -eq 0 && grep -q '\"accepted\":5,\"duplicate\":0,\"rejected\":0' <<<'$out'"
capture curl -sS "${op[@]}" "https://127.0.0.1:$port/v1/admin/records?kiosk=YT-370602-08"
check "  the registry holds 5 records of 08" test "$(grep -o '"id":' <<<"$out" | wc -l)" -eq 5
capture curl -sS "${op[@]}" "https://127.0.0.1:$port/v1/admin/records?kiosk=YT-370699-09"
check "  and none of the other kiosk" test "$out" = '{"records":[]}'
finish
