#!/usr/bin/env bash
# kioskctl pki: a CA with the registry's and an operator's certificates, kiosk enrolment,
# keys 0600, and verification that refuses expired certificates and other CAs.
source "$(dirname "$0")/lib.sh"

check "pki init" "$bin/kioskctl" pki init "$work/pki"
for f in ca registry operator; do
    check "$f.crt and $f.key" test -s "$work/pki/$f.crt" -a -s "$work/pki/$f.key"
    check "$f.key is 0600" test "$(stat -c %a "$work/pki/$f.key")" = 600
done
capture "$bin/kioskctl" pki init "$work/pki"
check "init refuses to replace an existing CA" test "$rc" -eq 1
check "enroll a kiosk" "$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-01 --office 370602 --out "$work/kiosk"
check "kiosk.key is 0600" test "$(stat -c %a "$work/kiosk/kiosk.key")" = 600
check "with the CA beside it" cmp -s "$work/kiosk/ca.crt" "$work/pki/ca.crt"
capture "$bin/kioskctl" pki verify "$work/pki/ca.crt" "$work/kiosk/kiosk.crt"
check "the kiosk certificate names the kiosk and its office" test "$out" = "ok: CN=YT-370602-01 O=370602"
capture "$bin/kioskctl" pki verify "$work/pki/ca.crt" "$work/pki/registry.crt"
check "the registry certificate chains to the CA" test "$rc" -eq 0
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-OLD --office 370602 --out "$work/old" --days -1 >/dev/null
capture "$bin/kioskctl" pki verify "$work/pki/ca.crt" "$work/old/kiosk.crt"
check "an expired certificate is refused, saying so" grep -q "refused: certificate has expired" <<<"$out"
"$bin/kioskctl" pki init "$work/other" >/dev/null
capture "$bin/kioskctl" pki verify "$work/other/ca.crt" "$work/kiosk/kiosk.crt"
check "a certificate of another CA is refused" test "$rc" -eq 1
capture "$bin/kioskctl" pki enroll "$work/pki" --kiosk X --office 3706 --out "$work/bad"
check "a bad office code: exit 2" test "$rc" -eq 2
# certificates made in the same second get different serials (they once shared the time)
for i in 1 2 3 4 5; do
    "$bin/kioskctl" pki enroll "$work/pki" --kiosk "YT-370602-1$i" --office 370602 --out "$work/s$i" >/dev/null
done
serials=$(for i in 1 2 3 4 5; do openssl x509 -in "$work/s$i/kiosk.crt" -noout -serial; done; openssl x509 -in "$work/pki/ca.crt" -noout -serial)
check "six certificates, six serials" test "$(sort -u <<<"$serials" | wc -l)" -eq 6
check "  of 127 bits or so (not a time)" test "$(head -1 <<<"$serials" | sed 's/serial=//' | wc -c)" -ge 30
finish
