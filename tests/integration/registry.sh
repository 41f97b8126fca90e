#!/usr/bin/env bash
# registryd over real TLS on loopback: TLS 1.3 and client certificates of its CA only; the
# kiosk's identity from its certificate; idempotent records that survive a restart; clear 4xx
# answers for bad input. (The kiosk's own sync client comes next; curl stands in here.)
source "$(dirname "$0")/lib.sh"

"$bin/kioskctl" pki init "$work/pki" >/dev/null
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-01 --office 370602 --out "$work/kiosk" >/dev/null
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-OLD --office 370602 --out "$work/old" --days -1 >/dev/null
"$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370699-09 --office 370699 --out "$work/squat" >/dev/null
"$bin/kioskctl" pki init "$work/other" >/dev/null
"$bin/kioskctl" pki enroll "$work/other" --kiosk YT-FAKE --office 370602 --out "$work/fake" >/dev/null
mkdir -p "$work/data"
# The first start takes any free port (a random one could be another test's); restarts keep it.
port=0
start() { registry_start "$work/pki" "$work/data" "$port" "$work/kiosk" && url="https://127.0.0.1:$port"; }
k=(--cacert "$work/pki/ca.crt" --cert "$work/kiosk/kiosk.crt" --key "$work/kiosk/kiosk.key")
check "registryd starts" start
id1=0194f000-0000-7000-8000-000000000001
id2=0194f000-0000-7000-8000-000000000002
capture curl -sS "${k[@]}" "$url/v1/whoami"
check "the kiosk's identity and office come from its certificate, with the registry's epoch" \
    test "$(jq -c '{kiosk, office, e: (.epoch | test("^[0-9a-f]{32}$"))}' <<<"$out")" = '{"kiosk":"YT-370602-01","office":"370602","e":true}'
capture curl -sS "${k[@]}" -X POST -d "{\"records\":[{\"id\":\"$id1\",\"payload\":{\"n\":1}},{\"id\":\"bad\",\"payload\":{}},{\"id\":\"$id2\",\"payload\":{\"n\":2}}]}" "$url/v1/applications"
check "a batch: accepted, rejected with a reason, accepted" grep -q "\"$id1\",\"status\":\"accepted\".*\"bad\",\"status\":\"rejected\",\"reason\".*\"$id2\",\"status\":\"accepted\"" <<<"$out"
capture curl -sS "${k[@]}" -X POST -d "{\"records\":[{\"id\":\"$id1\",\"payload\":{\"n\":1}}]}" "$url/v1/applications"
check "the same record again is a duplicate, not a second row" grep -q '"status":"duplicate"' <<<"$out"
kill "$registry"; wait "$registry" 2>/dev/null || true
check "registryd restarts" start
capture curl -sS "${k[@]}" -X POST -d "{\"records\":[{\"id\":\"$id2\",\"payload\":{\"n\":2}}]}" "$url/v1/checkins"
check "records survive a restart (still a duplicate)" grep -q '"status":"duplicate"' <<<"$out"
capture curl -sS "${k[@]}" "$url/v1/status?ids=$id1,unknown-id"
check "status of records" test "$out" = "{\"statuses\":[{\"id\":\"$id1\",\"status\":\"received\"},{\"id\":\"unknown-id\",\"status\":\"unknown\"}]}"
# A kiosk of another office posts kiosk A's pending record ids first (they are in every
# receipt's QR code). A kiosk that knows its id tags the ids it makes (common/uuid.h): the
# squatter's posts are refused, and A's records reach the registry as A sent them.
# tagged KIOSK HEX24: the id of the first 12 bytes HEX24 made by KIOSK, computed apart from the C
tagged() {
    python3 - "$1" "$2" <<'PY'
import hashlib, sys
b = bytes.fromhex(sys.argv[2])
t = hashlib.sha256(b"kiosk-record-id-1\0" + sys.argv[1].encode() + b"\0" + b).digest()[:4]
h = (b + t).hex()
print(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
PY
}
sq=(--cacert "$work/pki/ca.crt" --cert "$work/squat/kiosk.crt" --key "$work/squat/kiosk.key")
op=(--cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" --key "$work/pki/operator.key")
batch() { local b='' i; for i in "${ids[@]}"; do b+="${b:+,}{\"id\":\"$i\",\"payload\":{\"who\":\"$1\"}}"; done; echo "{\"records\":[$b]}"; }
ids=($(tagged YT-370602-01 0194f00000008000800000a1) $(tagged YT-370602-01 0194f00000008000800000a2) $(tagged YT-370602-01 0194f00000008000800000a3))
capture curl -sS "${sq[@]}" -X POST -d "$(batch forged)" "$url/v1/checkins"
check "the squatter's posts of A's tagged ids: rejected x3" test "$(grep -o '"status":"rejected","reason":"the id was made by another kiosk' <<<"$out" | wc -l)" -eq 3
check "  and logged, naming the squatter" grep -q "YT-370699-09 (office 370699) sent 3 record ids another kiosk made: refused" "$work/registry.log"
capture curl -sS "${k[@]}" -X POST -d "$(batch A)" "$url/v1/checkins"
check "A's own posts of them: accepted x3" test "$(grep -o '"status":"accepted"' <<<"$out" | wc -l)" -eq 3
capture curl -sS "${op[@]}" "$url/v1/admin/records/${ids[1]}"
check "the registry holds A's record as A sent it, and only A's" grep -q '"kiosk":"YT-370602-01","office":"370602".*"payload":{"who":"A"}' <<<"$out"
capture curl -sS "${op[@]}" "$url/v1/admin/records?kiosk=YT-370699-09"
check "the squatter has no row" test "$out" = '{"records":[]}'
# Untagged ids (a kiosk not yet enrolled, or an older release) say nothing of who made them:
# the registry keys them by (kiosk, id), so the squatter's rows stay its own, flagged.
ids=(0194f000-0000-7000-8000-0000000000a1 0194f000-0000-7000-8000-0000000000a2 0194f000-0000-7000-8000-0000000000a3)
capture curl -sS "${sq[@]}" -X POST -d "$(batch forged)" "$url/v1/checkins"
capture curl -sS "${k[@]}" -X POST -d "$(batch A)" "$url/v1/checkins"
check "untagged: the owner's records after a squatter's: accepted x3, never duplicate" test "$(grep -o '"status":"accepted"' <<<"$out" | wc -l)" -eq 3
capture curl -sS "${op[@]}" "$url/v1/admin/records/${ids[1]}?kiosk=YT-370602-01"
check "  the registry holds A's record as A sent it" grep -q '"kiosk":"YT-370602-01","office":"370602".*"payload":{"who":"A"}' <<<"$out"
capture curl -sS -o /dev/null -w '%{http_code}' "${op[@]}" "$url/v1/admin/records/${ids[1]}"
check "  an id two kiosks sent: the operator names the kiosk (409)" test "$out" = 409
capture curl -sS "${op[@]}" "$url/v1/admin/records?kiosk=YT-370699-09"
check "  the squatter's rows are its own, flagged shared_id" grep -q '"kiosk":"YT-370699-09","office":"370699".*"shared_id":1' <<<"$out"
# 好差评: a rating is checked where it is counted (a known service, a level 1-5, known reasons)
r1=$(tagged YT-370602-01 0194f00000008000800000d1) r2=$(tagged YT-370602-01 0194f00000008000800000d2)
capture curl -sS "${k[@]}" -X POST -d "{\"records\":[{\"id\":\"$r1\",\"payload\":{\"service\":\"checkin\",\"level\":5,\"reasons\":[]}},{\"id\":\"$r2\",\"payload\":{\"service\":\"checkin\",\"level\":7}}]}" "$url/v1/ratings"
check "a rating of 5 accepted, one of 7 rejected saying why" \
    grep -q "\"$r1\",\"status\":\"accepted\".*\"$r2\",\"status\":\"rejected\",\"reason\":\"a rating needs a known service and a level from 1 to 5\"" <<<"$out"
capture curl -sS "${op[@]}" "$url/v1/admin/ratings?office=370602"
check "  and counted by office, service and level" test "$out" = '{"ratings":[{"office":"370602","service":"checkin","level":5,"count":1}]}'
capture curl -sS "${sq[@]}" "$url/v1/status?ids=$id1"
check "another office's kiosk is not told of this office's record" grep -q '"status":"unknown"' <<<"$out"
# Bytes a JSON parser would cut or pass on: refused whole, not stored in part.
capture curl -sS -o /dev/null -w '%{http_code}' "${k[@]}" -X POST --data-binary $'{"records":[{"id":"0194f000-0000-7000-8000-0000000000b1","payload":{"n":"\xff\xfe"}}]}' "$url/v1/checkins"
check "invalid UTF-8 in a body: 400" test "$out" = 400
capture curl -sS -o /dev/null -w '%{http_code}' "${k[@]}" -X POST -d '{"records":[{"id":"0194f000-0000-7000-8000-0000000000b2","payload":{"n":"a\u0000b"}}]}' "$url/v1/checkins"
check "an escaped NUL in a body: 400" test "$out" = 400
capture curl -sS -o /dev/null -w '%{http_code}' "${k[@]}" -X POST -d '{"records":[{"id":"0194f000-0000-7000-8000-0000000000b3","payload":{"n":"a\\u0000b"}}]}' "$url/v1/checkins"
check "a backslash before u0000 is text: 200" test "$out" = 200
# A heartbeat whose strings carry terminal escapes: kioskctl fleet prints them harmless.
curl -sS "${k[@]}" -X POST -d '{"version":"\u001b[2J\u001b]0;owned\u0007\u009b1m","backlog":0}' "$url/v1/heartbeat" >/dev/null
"$bin/kioskctl" fleet --registry "$url" --pki "$work/pki" >"$work/fleet.txt" 2>&1 || true
check "kioskctl fleet shows the kiosk" grep -q "YT-370602-01" "$work/fleet.txt"
check "  with no escape or other control byte of the heartbeat on the terminal" \
    bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f\\x7f]' '$work/fleet.txt' && ! grep -q \$'\\xc2\\x9b' '$work/fleet.txt'"
check "registry.db is 0600 and its folder 0700" \
    test "$(stat -c %a "$work/data/registry.db")/$(stat -c %a "$work/data")" = 600/700
capture curl -sS -o /dev/null -w '%{http_code}' "${k[@]}" -X POST -d 'not json' "$url/v1/applications"
check "malformed JSON: 400" test "$out" = 400
capture curl -sS -o /dev/null -w '%{http_code}' "${k[@]}" "$url/v1/applications"
check "GET on a POST API: 405" test "$out" = 405
capture curl -sS -o /dev/null -w '%{http_code}' "${k[@]}" "$url/v1/nothing"
check "unknown API: 404" test "$out" = 404
capture curl -sS --cacert "$work/pki/ca.crt" "$url/v1/whoami"
check "no client certificate: refused in the handshake" test "$rc" -ne 0
capture curl -sS --cacert "$work/pki/ca.crt" --cert "$work/fake/kiosk.crt" --key "$work/fake/kiosk.key" "$url/v1/whoami"
check "a certificate of another CA: refused" test "$rc" -ne 0
capture curl -sS --cacert "$work/pki/ca.crt" --cert "$work/old/kiosk.crt" --key "$work/old/kiosk.key" "$url/v1/whoami"
check "an expired kiosk certificate: refused" test "$rc" -ne 0
# Why it was refused: a client that sends nothing before reading gets the server's alert
# whole (curl sends its request at once, and the server's close can reset the connection
# before the alert is read).
said=1
capture bash -c "sleep 1 | timeout 5 openssl s_client -connect 127.0.0.1:$port -CAfile '$work/pki/ca.crt' -cert '$work/old/kiosk.crt' -key '$work/old/kiosk.key' -quiet"
grep -qi "alert certificate expired" <<<"$out" && said=0
check "saying it expired" test "$said" -eq 0
# curl sends its request before it reads the alert: the registry must not reset the
# connection before the alert is read (it drains and half-closes; see registryd.c)
told=0
for i in $(seq 10); do
    capture curl -sS --cacert "$work/pki/ca.crt" --cert "$work/old/kiosk.crt" --key "$work/old/kiosk.key" "$url/v1/whoami"
    if grep -q "alert certificate expired" <<<"$out"; then told=$((told + 1)); fi
done
check "a client that sends at once also reads why, every time ($told of 10)" test "$told" -eq 10
check "the refusal is logged" grep -q "TLS handshake refused: certificate expired" "$work/registry.log"
capture curl -sS --tlsv1.2 --tls-max 1.2 "${k[@]}" "$url/v1/whoami"
check "TLS 1.2: refused" test "$rc" -ne 0
capture curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" --key "$work/pki/operator.key" "$url/v1/applications" -X POST -d '{"records":[]}'
check "an operator certificate cannot post kiosk records: 403" test "$out" = 403

# Operators: records list (no payloads), CSV import with a clear error by row
O=(--registry "$url" --pki "$work/pki")
capture "$bin/kioskctl" records list --json "${O[@]}"
check "records list: the two records, without their payloads" \
    bash -c "grep -q '\"id\":\"$id2\",\"kind\":\"application\",\"kiosk\":\"YT-370602-01\",\"office\":\"370602\"' <<<'$out' && ! grep -q payload <<<'$out'"
capture "$bin/kioskctl" records list --kiosk nobody "${O[@]}"
check "records list by kiosk: a header and nothing else" test "$(wc -l <<<"$out")" -eq 1
printf 'booking_no,id,office,slot_start,slot_end,party_a_id,party_a_name\nYT-9,C-1,370602,2026-11-23 09:00,2026-11-23 09:30,370602199503123011,"郑,测涛"\n' >"$work/a.csv"
capture "$bin/kioskctl" appointments import "$work/a.csv" "${O[@]}"
check "CSV import of appointments" test "$out" = '{"stored":1,"refused":0,"errors":[]}'
# an appointment as the office's kiosks get it (it is sealed in the database)
appt() { curl -sS "${k[@]}" "$url/v1/appointments?since=0" | jq -r --arg id "$1" ".appointments[] | select(.id == \$id) | $2"; }
check "CSV times are China Standard Time" test "$(appt C-1 .slot_start)" = 1795395600
check "  and the appointment is sealed in the database (no name, no ID number)" \
    bash -c "! grep -aq -e 370602199503123011 -e 郑 '$work/data/registry.db' '$work/data/registry.db-wal' && sqlite3 '$work/data/registry.db' \"SELECT json FROM appointments WHERE id = 'C-1'\" | grep -q '^s1:'"
# The demo's day (run.sh demo): 16 couples and the couple of the test cards the demo's help
# names, booked for the half hour it runs in, under the booking number it prints.
"$top/tools/demo-appointments.sh" 370602 2026-11-23 10:10 >"$work/demo.csv"
capture "$bin/kioskctl" appointments import "$work/demo.csv" "${O[@]}"
check "the demo's appointments import: 17" test "$out" = '{"stored":17,"refused":0,"errors":[]}'
card_id() { sed -n 's/.*"id_number": *"\([^"]*\)".*/\1/p' "$top/tests/data/cards/$1.json"; }
check "  370602-20261123-00 is the test cards' couple, 10:00-10:30" test \
    "$(appt DEMO-370602-2026-11-23-00 '"\(.booking_no) \(.party_a_id) \(.party_b_id) \(.slot_end - .slot_start)"')" \
    = "370602-20261123-00 $(card_id resident_male) $(card_id resident_female_long) 1800"
printf 'id,office\nx,370602\n' >"$work/bad.csv"
capture "$bin/kioskctl" appointments import "$work/bad.csv" "${O[@]}"
check "a CSV without the needed columns is refused, naming what is missing" grep -q "row 1: the header has no column booking_no" <<<"$out"

# Enrollment: a one-time token and a CSR on the enrollment listener; the key stays on the kiosk
kill "$registry"; wait "$registry" 2>/dev/null || true
cat >"$work/registry.ini" <<INI
[registry]
listen = 127.0.0.1:$port
enroll_listen = 127.0.0.1:0
data = data
pki = pki
untagged_ids_until = 2025-01-01
INI
printf '[registry]\nuntagged_ids_until = 2025-13-01\n' >"$work/bad.ini"
capture "$bin/registryd" --config "$work/bad.ini"
check "untagged_ids_until that is no date: registryd says so and stops" \
    bash -c "test $rc -ne 0 && grep -q 'untagged_ids_until takes a date YYYY-MM-DD' <<<'$out'"
"$bin/registryd" --config "$work/registry.ini" 2>>"$work/registry.log" &
registry=$!
pids+=($registry)
check "registryd starts from --config (paths relative to the file)" wait_for "enrollment on 127.0.0.1:" 15 "$work/registry.log"
eport=$(sed -n 's/.*enrollment on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/registry.log" | head -1)
capture "$bin/kioskctl" enroll token YT-370602-07 370602 --hours 2 "${O[@]}"
token=$(sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p' <<<"$out")
check "an operator makes a one-time token" test "${#token}" -eq 32
capture "$bin/kioskctl" enroll token YT-370602-08 370602 "${O[@]}"
check "without --hours too (good for 24 hours)" bash -c "test $rc -eq 0 && grep -q '\"token\":\"[0-9a-f]\{32\}\"' <<<'$out'"
capture "$bin/kioskctl" enroll token YT-370602-08 370602 --hours 0 "${O[@]}"
check "--hours 0 is refused by kioskctl" bash -c "test $rc -eq 2 && grep -q 'hours takes 1 to 336' <<<'$out'"
capture "$bin/kioskctl" enroll kiosk --token "$token" --ca "$work/pki/ca.crt" --out "$work/new" --registry "https://127.0.0.1:$eport"
check "the kiosk enrolls with it" test "$rc" -eq 0
check "its key (made on the kiosk; only the CSR travelled) is 0600" test "$(stat -c %a "$work/new/kiosk.key")" = 600
capture curl -sS --cacert "$work/new/ca.crt" --cert "$work/new/kiosk.crt" --key "$work/new/kiosk.key" "$url/v1/whoami"
check "the new certificate names the kiosk and office of the token" \
    test "$(jq -c '{kiosk, office}' <<<"$out")" = '{"kiosk":"YT-370602-07","office":"370602"}'
check "the pin it got is the registry's" test "$(cat "$work/new/registry.pin")" = "$(cat "$work/kiosk/registry.pin")"
capture "$bin/kioskctl" enroll kiosk --token "$token" --ca "$work/pki/ca.crt" --out "$work/again" --registry "https://127.0.0.1:$eport"
check "a token works once" grep -q "unknown, used or expired" <<<"$out"
capture curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/pki/ca.crt" -X POST -d '{"token":"x","csr":"not a csr"}' "https://127.0.0.1:$eport/v1/enroll"
check "a malformed CSR: 400" test "$out" = 400
capture curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/pki/ca.crt" "https://127.0.0.1:$eport/v1/whoami"
check "the enrollment listener serves nothing else: 404" test "$out" = 404
capture curl -sS -o /dev/null -w '%{http_code}' "${k[@]}" -X POST -d '{"kiosk":"X","office":"370602"}' "$url/v1/admin/enroll-tokens"
check "a kiosk certificate cannot make tokens: 403" test "$out" = 403
# With untagged_ids_until = 2025-01-01 (every kiosk enrolled and on a release that tags): an
# untagged id made after it is refused, one made before and a tagged one are taken.
late=0194f100-0000-7000-8000-0000000000c1 early=018f0000-0000-7000-8000-0000000000c2
mine=$(tagged YT-370602-01 0194f10000008000800000c3)
capture curl -sS "${k[@]}" -X POST -d "{\"records\":[{\"id\":\"$late\",\"payload\":{}},{\"id\":\"$early\",\"payload\":{}},{\"id\":\"$mine\",\"payload\":{}}]}" "$url/v1/checkins"
check "untagged after the cut-over: rejected, saying why; before it and tagged: accepted" \
    grep -q "\"$late\",\"status\":\"rejected\",\"reason\":\"an untagged id made after.*\"$early\",\"status\":\"accepted\".*\"$mine\",\"status\":\"accepted\"" <<<"$out"
# TLS session resumption (issue 17: a kiosk on 4G resumes instead of a full mutual
# handshake): the second connection resumes the first's session, and the registry still knows
# the kiosk from the certificate the session was made with
whoami_tls() {
    printf 'GET /v1/whoami HTTP/1.1\r\nHost: registry\r\nConnection: close\r\n\r\n' |
        timeout 10 openssl s_client -connect "127.0.0.1:$port" -cert "$work/kiosk/kiosk.crt" \
            -key "$work/kiosk/kiosk.key" -CAfile "$work/pki/ca.crt" -ign_eof "$@" 2>&1 || true
}
whoami_tls -sess_out "$work/tls.sess" >/dev/null
capture whoami_tls -sess_in "$work/tls.sess"
check "a kiosk's TLS session is resumed (it was refused with an internal-error alert)" grep -q "^Reused, TLSv1.3" <<<"$out"
check "  and the resumed session is the kiosk's" grep -q '"kiosk":"YT-370602-01"' <<<"$out"
# each TLS 1.3 ticket is used once: a resumed connection brings a new one, and the kiosk's
# next connection resumes again (without it every other reconnection was a full handshake)
whoami_tls -sess_in "$work/tls.sess" -sess_out "$work/tls2.sess" >/dev/null
capture whoami_tls -sess_in "$work/tls2.sess"
check "  and the ticket a resumed connection brings resumes the next" grep -q "^Reused, TLSv1.3" <<<"$out"
# a kept connection the registry closes when idle ends with close_notify (an EOF without it
# makes OpenSSL 3 clients strike off the session they would resume)
capture bash -c "(printf 'GET /v1/whoami HTTP/1.1\r\nHost: registry\r\n\r\n'; sleep 40) | timeout 45 openssl s_client -connect 127.0.0.1:$port -cert '$work/kiosk/kiosk.crt' -key '$work/kiosk/kiosk.key' -CAfile '$work/pki/ca.crt' -ign_eof -msg 2>&1"
check "a kept connection closed idle (30 s) ends with close_notify" grep -q "Alert.*close_notify\|level=warning, description=close notify" <<<"$out"

# Operators kept to their office (issue 17): a certificate of office 370699 sees and changes
# nothing of 370602; one of 370602 reads its own records; the province's (pki init's) all.
"$bin/kioskctl" pki operator "$work/pki" --name 王芳 --office 370699 --out "$work/op699" >/dev/null
"$bin/kioskctl" pki operator "$work/pki" --name 张敏 --office 370602 --out "$work/op602" >/dev/null
P699=(--registry "$url" --pki "$work/op699")
P602=(--registry "$url" --pki "$work/op602")
op699=(--cacert "$work/pki/ca.crt" --cert "$work/op699/operator.crt" --key "$work/op699/operator.key")
check "pki operator: an office's certificate (O = its code)" \
    bash -c "openssl x509 -in '$work/op699/operator.crt' -noout -subject -nameopt utf8 | grep -q 'O=370699, OU=operator, CN=王芳'"
capture "$bin/kioskctl" records list --json "${P699[@]}"
check "370699's operator: none of 370602's records in the list" \
    test "$(jq '[.records[] | select(.office != "370699")] | length' <<<"$out")" = 0
capture "$bin/kioskctl" records list --json --office 370602 "${P699[@]}"
check "  asking for 370602's: refused" grep -q "another office" <<<"$out"
capture curl -sS -w ' %{http_code}' "${op699[@]}" "$url/v1/admin/records/$id2"
check "  a 370602 record by its id: 404, as if there were none" grep -q "no such record.* 404$" <<<"$out"
capture "$bin/kioskctl" records status "$id2" returned --reason x "${P699[@]}"
check "  nor can it set its status" grep -q "no such record" <<<"$out"
capture "$bin/kioskctl" fleet --json "${P699[@]}"
check "  the fleet: no 370602 kiosk" bash -c "! grep -q YT-370602 <<<'$out'"
printf 'booking_no,id,office,slot_start,slot_end,party_a_id,party_a_name\nYT-X,X-1,370602,2026-11-23 09:00,2026-11-23 09:30,370602199503123011,"郑测涛"\n' >"$work/x.csv"
capture "$bin/kioskctl" appointments import "$work/x.csv" "${P699[@]}"
check "  an appointment of 370602: refused" grep -q '"stored":0,"refused":1.*another office' <<<"$out"
capture "$bin/kioskctl" queue show 370602 "${P699[@]}"
check "  370602's queue: refused" grep -q "another office" <<<"$out"
capture "$bin/kioskctl" enroll token YT-370602-09 370602 "${P699[@]}"
check "  a token for a 370602 kiosk: refused" grep -q "another office" <<<"$out"
capture "$bin/kioskctl" command send YT-370602-01 lock "${P699[@]}"
check "  commands, backups and releases are the province's" grep -q "province's operators" <<<"$out"
check "  and the refusals are logged" grep -q "operator 王芳 of office 370699 asked for record $id2 of office 370602: refused" "$work/registry.log"
capture curl -sS "${op699[@]/op699/op602}" "$url/v1/admin/records/$id2"
check "370602's operator reads its record whole" bash -c "jq -e '.office == \"370602\" and (.payload | type == \"object\")' <<<'$out' >/dev/null"
capture "$bin/kioskctl" records list --json "${O[@]}"
check "the province's operator lists every office's" bash -c "jq -e '.records | length >= 2' <<<'$out' >/dev/null"
finish
