#!/usr/bin/env bash
# The PKI's lifecycle (issue 18 item 5), with the real registryd and kiosk-sync (the kiosk's
# sync code) over TLS on loopback:
#   - a kiosk whose certificate ends within [sync] renew_days renews it over mutual TLS (a new
#     key made on the kiosk, the same subject) and keeps syncing with it; a renewal a crash
#     cut short is finished or forgotten;
#   - kioskctl pki revoke: the kiosk is refused at the handshake at once by the registryd that
#     took the revocation, within REVOCATIONS_RELOAD_S by one that reads it from the store, a
#     session made before it is not resumed, and other kiosks go on;
#   - the registry's key rotates (next-key, restart, rotate, restart) while a kiosk keeps
#     syncing; a kiosk that never learnt the next pin is refused by its pin;
#   - an offline CA: a key and CSR made on the operator's machine, signed at the CA, and a
#     registry without the CA key refuses renewal with a clear reason.
source "$(dirname "$0")/lib.sh" "$@"
registry_up || { not_ok "registryd starts"; finish; }
sync_as() { # TLS_DIR STATE: one kiosk-sync (a store with 2 records made first); out, rc
    [ -d "$2" ] || "$bin/seed_store" "$2" 2 >/dev/null
    capture env KIOSK_LOG_LEVEL=info "$bin/kiosk-sync" --state-dir "$2" --registry "$url" --tls "$1"
    printf '%s\n' "$out" >"$work/sync.out"
}
whoami_as() { # TLS_DIR: curl's exit status of a mutual-TLS whoami
    curl -sS -o /dev/null --cacert "$work/pki/ca.crt" --cert "$1/kiosk.crt" --key "$1/kiosk.key" \
        "$url/v1/whoami" 2>>"$work/curl.log"
}
serial_of() { openssl x509 -in "$1" -noout -serial; }

# --- renewal
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-05 --office 370602 --out "$work/k5" --days 5 >/dev/null
before=$(serial_of "$work/k5/kiosk.crt")
oldpub=$(openssl x509 -in "$work/k5/kiosk.crt" -noout -pubkey)
sync_as "$work/k5" "$work/s5"
check "kiosk-sync with a certificate ending in 5 days succeeds" test "$rc" -eq 0
check "and renewed it (the log says so)" grep -q "certificate ([45] days left) was renewed" "$work/sync.out"
check "a new certificate: another serial" test "$(serial_of "$work/k5/kiosk.crt")" != "$before"
check "of a new key, made on the kiosk" test "$(openssl x509 -in "$work/k5/kiosk.crt" -noout -pubkey)" != "$oldpub"
check "the same subject (CN and O, OU kiosk)" bash -c \
    "openssl x509 -in '$work/k5/kiosk.crt' -noout -subject | grep -q 'O = 370602, OU = kiosk, CN = YT-370602-05'"
check "good for 825 days" bash -c "openssl x509 -in '$work/k5/kiosk.crt' -noout -checkend $((800 * 86400)) >/dev/null"
check "the key matches it, 0600" bash -c "test \$(stat -c %a '$work/k5/kiosk.key') = 600 &&
    test \"\$(openssl pkey -in '$work/k5/kiosk.key' -pubout)\" = \"\$(openssl x509 -in '$work/k5/kiosk.crt' -noout -pubkey)\""
check "nothing half-done is left" bash -c "! ls '$work/k5'/*.new 2>/dev/null | grep -q ."
check "the registry logged the renewal" grep -q "kiosk YT-370602-05 of office 370602 renewed its certificate" "$work/registry.log"
renewed=$(serial_of "$work/k5/kiosk.crt")
sync_as "$work/k5" "$work/s5"
check "the next sync uses it, and renews nothing" bash -c "test $rc -eq 0 && test '$(serial_of "$work/k5/kiosk.crt")' = '$renewed' && ! grep -q renewed '$work/sync.out'"
# a crash after the new key moved in place but before its certificate did
cp "$work/k5/kiosk.crt" "$work/k5-crt"
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-05 --office 370602 --out "$work/k5b" >/dev/null
cp "$work/k5b/kiosk.key" "$work/k5/kiosk.key" && cp "$work/k5b/kiosk.crt" "$work/k5/kiosk.crt.new"
sync_as "$work/k5" "$work/s5"
check "a renewal cut short after the key moved is finished at the next sync" bash -c \
    "test $rc -eq 0 && grep -q 'renewal cut short was finished' '$work/sync.out' && test ! -e '$work/k5/kiosk.crt.new'"
# ...and one cut short before: the half-made key is forgotten, the pair holds
echo junk >"$work/k5/kiosk.key.new"
sync_as "$work/k5" "$work/s5"
check "a renewal cut short before the key moved is forgotten" bash -c "test $rc -eq 0 && test ! -e '$work/k5/kiosk.key.new'"

# --- revocation
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-06 --office 370602 --out "$work/k6" >/dev/null
check "kiosk 06 reaches the registry" whoami_as "$work/k6"
# a session of kiosk 06 made before its revocation, to resume after it
printf 'GET /v1/whoami HTTP/1.1\r\nHost: r\r\nConnection: close\r\n\r\n' |
    timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$work/pki/ca.crt" \
        -cert "$work/k6/kiosk.crt" -key "$work/k6/kiosk.key" -sess_out "$work/k6.sess" -ign_eof >/dev/null 2>&1 || true
capture "$bin/kioskctl" pki revoke --kiosk YT-370602-06 --reason "stolen at a roving point" "${R[@]}"
check "kioskctl pki revoke --kiosk" bash -c "test $rc -eq 0 && grep -q '\"kiosk\":\"YT-370602-06\"' <<<'$out'"
set +e
whoami_as "$work/k6"
r6=$?
set -e
check "kiosk 06 is refused at the handshake (curl $r6)" test "$r6" -eq 56 -o "$r6" -eq 35
check "with the alert certificate revoked" grep -q "certificate revoked" "$work/curl.log"
check "and the registry logged it" grep -q "a revoked certificate (CN YT-370602-06) was refused at the handshake" "$work/registry.log"
printf 'GET /v1/whoami HTTP/1.1\r\nHost: r\r\nConnection: close\r\n\r\n' |
    timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$work/pki/ca.crt" \
        -cert "$work/k6/kiosk.crt" -key "$work/k6/kiosk.key" -sess_in "$work/k6.sess" -ign_eof >"$work/resumed.out" 2>&1 || true
check "there was a session to resume" test -s "$work/k6.sess"
check "its session made before is not resumed" bash -c "! grep -q '^Reused' '$work/resumed.out' && ! grep -q 'YT-370602-06' '$work/resumed.out'"
check "other kiosks go on" whoami_as "$work/tls"
check "the renewed kiosk 05 too" whoami_as "$work/k5"
capture curl -sS --cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" --key "$work/pki/operator.key" "$url/v1/admin/revocations"
check "GET /v1/admin/revocations lists it with its reason" bash -c \
    "jq -e '.revocations[] | select(.kind == \"kiosk\" and .id == \"YT-370602-06\" and .reason == \"stolen at a roving point\")' <<<'$out' >/dev/null"
# by a certificate's serial
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-07 --office 370602 --out "$work/k7" >/dev/null
capture "$bin/kioskctl" pki revoke --cert "$work/k7/kiosk.crt" "${R[@]}"
check "kioskctl pki revoke --cert (its serial)" test "$rc" -eq 0
check "that certificate is refused" bash -c "! curl -sS -o /dev/null --cacert '$work/pki/ca.crt' --cert '$work/k7/kiosk.crt' --key '$work/k7/kiosk.key' '$url/v1/whoami' 2>/dev/null"
# one written to the store by another registryd: read within REVOCATIONS_RELOAD_S (15 s)
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-08 --office 370602 --out "$work/k8" >/dev/null
check "kiosk 08 reaches the registry" whoami_as "$work/k8"
registry_sql "INSERT INTO revocations(kind, id, at, reason) VALUES('kiosk', 'YT-370602-08', strftime('%s','now'), 'by another process')"
t0=$(date +%s%N)
refused=""
for i in $(seq 200); do
    if ! whoami_as "$work/k8" 2>/dev/null; then refused=yes; break; fi
    sleep 0.1
done
t=$((($(date +%s%N) - t0) / 1000000))
echo "# a revocation made by another process was in force after $t ms"
check "one made by another registryd is in force within 16 s ($t ms)" test -n "$refused" -a "$t" -le 16000
capture "$bin/kioskctl" pki revoke --kiosk "bad id!" "${R[@]}"
check "a bad kiosk id is refused with the reason" bash -c "test $rc -ne 0 && grep -q 'expected {\\\\\"kiosk\\\\\":ID}' <<<'$out'"

# --- the registry's key rotated while a kiosk syncs
capture "$bin/kioskctl" pki next-key "$work/pki"
check "kioskctl pki next-key" test "$rc" -eq 0
cp -r "$work/tls" "$work/tls-stale" # a kiosk that never syncs before the rotation
kill "$registry"; wait "$registry" 2>/dev/null || true
registry_start "$work/pki" "$work/data" "$port" "$work/tls" || not_ok "registryd starts again"
sync_as "$work/tls" "$work/s1"
check "the kiosk syncs, and learns two pins" bash -c "test $rc -eq 0 && grep -q ';' '$work/tls/registry.pin' && grep -q 'pins are now two' '$work/sync.out'"
capture "$bin/kioskctl" pki rotate "$work/pki"
check "kioskctl pki rotate" test "$rc" -eq 0
kill "$registry"; wait "$registry" 2>/dev/null || true
registry_start "$work/pki" "$work/data" "$port" "$work/tls" || not_ok "registryd starts with the new key"
sync_as "$work/tls" "$work/s1"
check "the kiosk keeps syncing after the rotation" test "$rc" -eq 0
check "and is back to one pin, the new key's" bash -c "! grep -q ';' '$work/tls/registry.pin'"
sync_as "$work/tls-stale" "$work/s1"
check "a kiosk that never learnt the next pin is refused by its pin" bash -c "test $rc -eq 1 && grep -q 'pinned' '$work/sync.out'"

# --- an offline CA
mkdir -p "$work/alice"
capture "$bin/kioskctl" pki request "$work/alice" --operator
check "kioskctl pki request: a key and a CSR on the operator's machine" bash -c \
    "test $rc -eq 0 && test -s '$work/alice/operator.csr' && test \$(stat -c %a '$work/alice/operator.key') = 600"
capture "$bin/kioskctl" pki sign "$work/pki" "$work/alice/operator.csr" --operator alice --office 370602 --out "$work/alice"
check "kioskctl pki sign at the CA" test "$rc" -eq 0
capture "$bin/kioskctl" fleet --json --registry "$url" --pki "$work/alice"
check "alice's certificate works, kept to her office" bash -c "test $rc -eq 0 && jq -e '.kiosks | length > 0 and all(.office == \"370602\")' <<<'$out' >/dev/null"
# a kiosk whose certificate ends in 3 days, before the CA key leaves the registry's host
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-09 --office 370602 --out "$work/k9" --days 3 >/dev/null
mv "$work/pki/ca.key" "$work/ca.key.offline"
kill "$registry"; wait "$registry" 2>/dev/null || true
registry_start "$work/pki" "$work/data" "$port" "$work/tls" || not_ok "registryd starts without the CA key"
check "registryd says it has no CA key" grep -q "no CA key in .* (an offline CA)" "$work/registry.log"
sync_as "$work/k9" "$work/s9"
check "a renewal is refused with the reason, nothing lost" bash -c "test $rc -eq 1 && grep -q 'offline CA' '$work/registry.log'"
check "and the kiosk keeps its certificate" whoami_as "$work/k9"
finish
