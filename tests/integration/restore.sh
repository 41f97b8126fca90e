#!/usr/bin/env bash
# A restore that strands no one (issue 17): a running kiosk syncs records, appointments and
# commands; the registry is backed up while it serves (kioskctl registry backup; on
# PostgreSQL pg_dump without the meta table's rows); more records, an appointment and a
# command come; the backup is restored. The restored registry has a new epoch: the kiosk
# sees it, pulls appointments and commands from the start, and sends again the records it
# keeps. Afterwards every record is at the registry exactly once, the new appointment and
# command reach the kiosk, and neither the database nor the backup holds a name or an ID
# number in clear.
#
#   restore.sh BIN        (under tests/tools/with_pg.sh: the registry on PostgreSQL)
source "$(dirname "$0")/lib.sh"

pg=${RSTORE_PG:-}
check "registryd starts" registry_up
k=(--cacert "$work/pki/ca.crt" --cert "$work/tls/kiosk.crt" --key "$work/tls/kiosk.key")
count() { registry_sql "SELECT count(*) FROM records"; }
distinct() { registry_sql "SELECT count(DISTINCT id) FROM records"; }
send() { "$bin/kioskctl" command send YT-370602-01 notice "$1" "${R[@]}" >/dev/null; }
appt() {
    printf 'booking_no,id,office,slot_start,slot_end,party_a_id,party_a_name\n%s,%s,370602,2031-01-06 09:00,2031-01-06 09:30,370602199001011234,"郑%s"\n' \
        "YT-$1" "$1" "$1" >"$work/$1.csv"
    "$bin/kioskctl" appointments import "$work/$1.csv" "${R[@]}"
}
wait_count() { # N [SECONDS]
    local i
    for i in $(seq $((${2:-30} * 10))); do
        [ "$(count)" = "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

"$bin/seed_store" "$work/kiosk" 100 >/dev/null
capture appt R-1
check "an appointment is imported" grep -q '"stored":1' <<<"$out"
sync_kiosk_ini "$work/kiosk.ini" "interval = 2" "command_wait = 50" "retry_max = 5"
cat >"$work/live.script" <<'S'
wait 已连接登记中心 20000
wait 第一条通知：上午正常办理。 20000
wait 第二条通知：下午两点后暂停。 60000
wait 恢复后的通知：请到三号窗口。 90000
wait-log appointments: 2 pulled 30000
shot restored
S
kiosk_bg live kiosk
send '第一条通知：上午正常办理。'
check "the kiosk's 100 records reach the registry" wait_count 100
check "  and the first notice" wait_for "command 1 notice: ok" 20 "$work/live.log"
check "  and the appointment" wait_for "appointments: 1 pulled" 20 "$work/live.log"

# The backup, made while the registry serves.
if [ -z "$pg" ]; then
    capture "$bin/kioskctl" registry backup "${R[@]}"
    backup=$(jq -r .path <<<"$out")
    check "kioskctl registry backup: a copy in the data folder's backups/" test -s "$backup"
    check "  readable by the registry alone (0600)" test "$(stat -c %a "$backup")" = 600
    check "  whole: 100 records in it" test "$(sqlite3 "$backup" "SELECT count(*) FROM records")" = 100
else
    capture "$bin/kioskctl" registry backup "${R[@]}"
    check "PostgreSQL: kioskctl registry backup names pg_dump instead" grep -q "pg_dump --exclude-table-data=meta" <<<"$out"
    backup="$work/registry.dump"
    check "pg_dump without the meta table's rows, while serving" \
        pg_dump -Fc --exclude-table-data=meta -f "$backup" "$pg dbname=postgres"
fi
epoch1=$(curl -sS "${k[@]}" "$url/v1/whoami" | jq -r .epoch)

# After the backup: 50 more records, a second notice, a second appointment.
"$bin/seed_store" "$work/kiosk" 50 >/dev/null
check "50 more records reach the registry: 150" wait_count 150
send '第二条通知：下午两点后暂停。'
check "  the second notice" wait_for "command 2 notice: ok" 20 "$work/live.log"
appt R-2 >/dev/null
check "  the second appointment" bash -c "for i in \$(seq 200); do [ \$(grep -c 'appointments: 1 pulled' '$work/live.log') -ge 2 ] && exit 0; sleep 0.1; done; exit 1"

# The restore: the registry stopped, its database replaced by the backup, started again on
# the same port.
kill "$registry"
wait "$registry" 2>/dev/null || true
if [ -z "$pg" ]; then
    rm -f "$work/data/registry.db-wal" "$work/data/registry.db-shm"
    cp "$backup" "$work/data/registry.db"
else
    pg_restore --clean --if-exists -d "$pg dbname=postgres" "$backup" 2>"$work/pg_restore.log"
fi
check "the restored registry starts on the same port" registry_start "$work/pki" "$work/data" "$port" "$work/tls"
check "  with 100 records, as backed up" test "$(count)" = 100
epoch2=$(curl -sS "${k[@]}" "$url/v1/whoami" | jq -r .epoch)
check "  and a new epoch ($epoch1 -> $epoch2)" bash -c "[ -n '$epoch2' ] && [ '$epoch2' != null ] && [ '$epoch1' != '$epoch2' ]"
[ -n "$pg" ] || check "  saying it is a restored backup" grep -q "is a restored backup of epoch $epoch1" "$work/registry.log"

# What comes after the restore reaches the kiosk, whose cursors were ahead of it.
appt R-3 >/dev/null
t0=$(date +%s%3N)
send '恢复后的通知：请到三号窗口。'
# (the kiosk's workers found the registry gone for a moment: they come back after their
# backoff, which can have grown to half a minute)
check "the kiosk sees the new epoch" wait_for "the registry was restored from a backup" 90 "$work/live.log"
check "  and sends again the 150 records it keeps" wait_for "150 records it may lack are sent again" 5 "$work/live.log"
check "every record is at the registry again: 150" wait_count 150 90
check "  each exactly once" test "$(distinct)" = 150
kiosk_wait live
check "the command sent after the restore (numbered as one the kiosk had) reaches it" test "$krc" -eq 0
echo "the new notice took $(($(date +%s%3N) - t0)) ms"
check "  and is acknowledged" bash -c "'$bin/kioskctl' command list --kiosk YT-370602-01 ${R[*]} | grep -q '恢复后的通知.*ok'"
stats=$("$bin/kioskctl" store stats --state-dir "$work/kiosk")
check "the appointments pulled from the start: R-1 and R-3 (R-2 came after the backup)" \
    grep -q "appointments: 2 pulled" "$work/live.log"
check "  the kiosk's outbox is empty" test "$(jq .outbox <<<"$stats")" = 0

# Nothing in clear: the seeded records' name and ID number, the appointments' names.
if [ -z "$pg" ]; then
    files=("$work/data/registry.db" "$work/data/registry.db-wal" "$backup")
else
    pg_dump -f "$work/after.sql" "$pg dbname=postgres"
    files=("$work/after.sql" "$backup")
fi
check "no name or ID number in clear in the database or the backup" \
    bash -c "! grep -alE '370602199503123011|370602199001011234|测试|郑R' ${files[*]} 2>/dev/null"
check "  the payloads are there, sealed" test "$(registry_sql "SELECT count(*) FROM records WHERE payload LIKE 's1:%'")" = 150
[ -n "${KEEP:-}" ] && cp -r "$work" /tmp/restore-keep
finish
