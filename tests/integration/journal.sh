#!/usr/bin/env bash
# Logs to journald with priorities and fields (issue 18 item 6): programs whose stderr is the
# journal's stream (JOURNAL_STREAM names it) send each event with sd_journal_send. In a mount
# namespace of its own, the test puts a stand-in for journald's socket at its path
# (tests/tools/journal_sink.py) and checks what arrives: PRIORITY from the level,
# SYSLOG_IDENTIFIER, KIOSK_ID and OFFICE of the kiosk's certificate, MESSAGE_ID of an event an
# operator alerts on (a revoked certificate refused). Without the stream, stderr as before.
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
    echo "skip: needs root and unshare (a mount namespace for the journal's socket)"
    exit 77
fi
if [ -z "${KIOSK_JOURNAL_NS:-}" ]; then
    # again inside a mount namespace with a /run of its own
    exec unshare -m env KIOSK_JOURNAL_NS=1 bash -c 'mount --make-rprivate / && mount -t tmpfs tmpfs /run && exec "$0" "$@"' "$0" "$@"
fi
source "$(dirname "$0")/lib.sh" "$@"
python3 "$top/tests/tools/journal_sink.py" "$work/journal.jsonl" &
pids+=($!)
check "the journal's stand-in listens" bash -c "for i in \$(seq 100); do test -e '$work/journal.jsonl.ready' && exit 0; sleep 0.1; done; exit 1"
"$bin/seed_store" "$work/s" 1 >/dev/null
registry_up || { not_ok "registryd starts"; finish; }
# stderr a file, JOURNAL_STREAM its device and inode: as systemd starts a unit's program
as_unit() { # LOGFILE COMMAND...: run with the journal as stderr
    local log=$1; shift
    : >"$log"
    JOURNAL_STREAM="$(stat -c '%d:%i' "$log")" "$@" 2>>"$log"
}
# a kiosk's warning: KIOSK_ID and OFFICE from its certificate, PRIORITY 4
set +e
as_unit "$work/sync-stderr" "$bin/kiosk-sync" --state-dir "$work/s" --registry "https://127.0.0.1:1" --tls "$work/tls" >/dev/null
set -e
entry() { jq -c "select($1)" "$work/journal.jsonl" | head -1 | tee "$work/entry.json"; }
e=$(entry '.SYSLOG_IDENTIFIER == "kiosk-sync" and .PRIORITY == "4"')
echo "# $e"
check "kiosk-sync's warning reached the journal with PRIORITY=4" test -n "$e"
check "with KIOSK_ID and OFFICE of its certificate" jq -e '.KIOSK_ID == "YT-370602-01" and .OFFICE == "370602" and .KIOSK_TAG == "sync"' "$work/entry.json"
check "and not on stderr as well" bash -c "! grep -q 'WARN sync' '$work/sync-stderr'"
# registryd under the journal: a revoked kiosk refused, with its MESSAGE_ID
kill "$registry"; wait "$registry" 2>/dev/null || true
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-04 --office 370602 --out "$work/k4" >/dev/null
: >"$work/registryd-stderr"
JOURNAL_STREAM="$(stat -c '%d:%i' "$work/registryd-stderr")" "$bin/registryd" --listen 127.0.0.1:0 \
    --data "$work/data" --pki "$work/pki" 2>>"$work/registryd-stderr" &
registry=$!
pids+=($registry)
check "registryd's start reached the journal (INFO, PRIORITY=6)" bash -c \
    "for i in \$(seq 100); do jq -e 'select(.SYSLOG_IDENTIFIER == \"registryd\" and .PRIORITY == \"6\" and (.MESSAGE | test(\"listening on\")))' '$work/journal.jsonl' >/dev/null && exit 0; sleep 0.1; done; exit 1"
port=$(jq -r 'select(.SYSLOG_IDENTIFIER == "registryd") | .MESSAGE' "$work/journal.jsonl" | sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' | head -1)
url="https://127.0.0.1:$port"
"$bin/kioskctl" pki revoke --kiosk YT-370602-04 --reason test --registry "$url" --pki "$work/pki" >/dev/null
curl -s -o /dev/null --cacert "$work/pki/ca.crt" --cert "$work/k4/kiosk.crt" --key "$work/k4/kiosk.key" "$url/v1/whoami" || true
e=$(entry '.SYSLOG_IDENTIFIER == "registryd" and .MESSAGE_ID == "a6f85c13a6f04432943474befe852a16"')
echo "# $e"
check "the refusal has MESSAGE_ID (a revoked certificate), PRIORITY=4 and the kiosk's KIOSK_ID" \
    jq -e '.PRIORITY == "4" and .KIOSK_ID == "YT-370602-04"' "$work/entry.json"
e=$(entry '.SYSLOG_IDENTIFIER == "registryd" and (.MESSAGE | test("revoked by"))')
check "the revocation itself is a warning in the journal" jq -e '.PRIORITY == "4"' "$work/entry.json"
# without the stream: stderr lines, as ever
capture "$bin/kiosk-sync" --state-dir "$work/s" --registry "https://127.0.0.1:1" --tls "$work/tls"
check "without JOURNAL_STREAM, the warning is a line on stderr" grep -q "kiosk-sync: WARN sync:" <<<"$out"
finish
