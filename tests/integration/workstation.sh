#!/usr/bin/env bash
# Clerk workstation certificates (issue 18 item 5) on the console with console_client_certs:
# a browser without a workstation's certificate is refused at the handshake; a workstation of
# office 370602 shows the login page, its clerk logs in and works; a clerk of office 370699
# with the right password is refused there (and audited); a kiosk's certificate is no
# workstation's; a revoked workstation is refused; the .p12 for the browser holds the pair.
source "$(dirname "$0")/lib.sh" "$@"
registry_extra=(--console-listen 127.0.0.1:0 --assets "$top/assets" --console-client-certs)
check "registryd starts with the console for workstations" registry_up
cport=$(sed -n 's|.*clerk console on https://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/registry.log" | head -1)
c="https://127.0.0.1:$cport"
capture "$bin/kioskctl" pki workstation "$work/pki" --name 芝罘-1号窗口 --office 370602 --out "$work/ws"
check "kioskctl pki workstation" test "$rc" -eq 0
check "  its key and .p12 are 0600" test "$(stat -c %a "$work/ws/workstation.key")$(stat -c %a "$work/ws/workstation.p12")" = 600600
check "  the .p12 holds the workstation's certificate" bash -c \
    "openssl pkcs12 -in '$work/ws/workstation.p12' -passin pass: -nokeys 2>/dev/null | openssl x509 -noout -subject | grep -q 'OU = workstation'"
echo pass-one-23 | "$bin/kioskctl" clerk add yt01-li --office 370602 --name 李华 "${R[@]}" >/dev/null
echo pass-two-45 | "$bin/kioskctl" clerk add lw01-wang --office 370699 --name 王芳 "${R[@]}" >/dev/null
ws=(--cacert "$work/pki/ca.crt" --cert "$work/ws/workstation.crt" --key "$work/ws/workstation.key")
set +e
curl -sS -o /dev/null --cacert "$work/pki/ca.crt" "$c/login" 2>"$work/nocert.err"
nocert=$?
set -e
check "a browser without a workstation's certificate is refused at the handshake (curl $nocert)" test "$nocert" -ne 0
check "the workstation gets the login page" bash -c "curl -sS ${ws[*]} -c '$work/jar' '$c/login' | grep -q 窗口工作人员登录"
login() { # ID PASSWORD: status of the login from the workstation
    local token
    token=$(curl -sS "${ws[@]}" -c "$work/jar" -b "$work/jar" "$c/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    curl -sS "${ws[@]}" -c "$work/jar" -b "$work/jar" -o "$work/login.html" -w '%{http_code}' \
        --data-urlencode "id=$1" --data-urlencode "password=$2" --data-urlencode "csrf=$token" "$c/login"
}
check "its office's clerk logs in there" test "$(login yt01-li pass-one-23)" = 303
check "  and works there (the queue page)" bash -c "curl -sS ${ws[*]} -b '$work/jar' '$c/queue' | grep -q 李华"
rm -f "$work/jar"
check "another office's clerk, with the right password, is refused there" test "$(login lw01-wang pass-two-45)" = 403
check "  with the reason" grep -q "此工作站不属于您的登记处" "$work/login.html"
check "  logged" grep -q "clerk lw01-wang of office 370699 refused on workstation 芝罘-1号窗口 of office 370602" "$work/registry.log"
capture "$bin/kioskctl" clerk audit --office 370699 --json "${R[@]}"
check "  and audited" grep -q "login_wrong_workstation" <<<"$out"
check "a kiosk's certificate is no workstation's" bash -c "curl -sS --cacert '$work/pki/ca.crt' --cert '$work/tls/kiosk.crt' --key '$work/tls/kiosk.key' -c '$work/jar2' '$c/login' >/dev/null;
    t=\$(curl -sS --cacert '$work/pki/ca.crt' --cert '$work/tls/kiosk.crt' --key '$work/tls/kiosk.key' -b '$work/jar2' '$c/login' | sed -n 's/.*name=\"csrf\" value=\"\([0-9a-f]*\)\".*/\1/p' | head -1);
    code=\$(curl -sS --cacert '$work/pki/ca.crt' --cert '$work/tls/kiosk.crt' --key '$work/tls/kiosk.key' -b '$work/jar2' -o /dev/null -w '%{http_code}' --data-urlencode id=yt01-li --data-urlencode password=pass-one-23 --data-urlencode csrf=\$t '$c/login');
    test \"\$code\" = 403"
"$bin/kioskctl" pki revoke --cert "$work/ws/workstation.crt" --reason "stolen laptop" "${R[@]}" >/dev/null
set +e
curl -sS -o /dev/null "${ws[@]}" "$c/login" 2>/dev/null
revoked=$?
set -e
check "a revoked workstation is refused at the handshake (curl $revoked)" test "$revoked" -ne 0
finish
