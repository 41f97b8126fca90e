#!/usr/bin/env bash
# kiosk-launcher and the trial of a new release: one that reports healthy is committed; one
# that exits at start (three times) and one that never reports healthy both end back on the
# previous version automatically, and their serials are never installed again. (The
# "releases" here are small shell programs standing in for the kiosk: what is under test is
# the launcher's and the agent's handling of them.)
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
for k in k1 k2; do "$bin/kioskctl" keys new "$work/keys" $k >/dev/null; done
mkdir -p "$work/trust" && cp "$work/keys/"*.pub "$work/trust/"
S=$work/state
# release SERIAL BODY: bin/kiosk runs BODY with the state directory as $1
release() {
    rm -rf "$work/src" "$work/bundle"
    mkdir -p "$work/src/bin"
    printf '#!/bin/sh\n%s\n' "$2" >"$work/src/bin/kiosk"
    "$bin/kioskctl" release build "$work/src" --out "$work/bundle" --version "0.$1.0" --serial "$1" \
        --channel 370602 --hardware x86_64-kiosk-1 --sign "$work/keys/k1.key" --sign "$work/keys/k2.key" >/dev/null &&
        "$bin/kioskctl" release publish "$work/bundle" "${R[@]}" >/dev/null
}
update() {
    capture "$bin/kiosk-update" --state-dir "$S" --registry "$url" --tls "$work/tls" --trust "$work/trust" \
        --threshold 2 --type release --channel 370602 --hardware x86_64-kiosk-1
}
launch() { capture timeout 60 "$bin/kiosk-launcher" --state-dir "$S" --trial-seconds 3 -- "$S"; }
slot() { readlink "$S/release/current"; }

# what the kiosk writes once its store is open, home drawn and devices probed (none here)
healthy='printf "{\"devices\":{}}\n" >"$1/release/healthy"'
release 2 "$healthy; sleep 1; exit 0"
update
check "release 2 installed into slot a, on trial" bash -c "[ \"\$(readlink '$S/release/current')\" = slots/a ] && [ -e '$S/release/trial.json' ]"
launch
check "it reports healthy and exits 0: the launcher exits 0" test "$rc" -eq 0
check "the trial is committed" test ! -e "$S/release/trial.json"

release 3 'exit 1'
update
check "release 3 (exits at start) installed into slot b" test "$(slot)" = slots/b
launch
check "after three crashes the launcher went back to release 2, which ran" test "$rc" -eq 0
check "current is slot a again" test "$(slot)" = slots/a
check "serial 3 is marked bad" grep -qx 3 "$S/release/bad_serials"
check "and reported" grep -q '"serial":3,"reason":"crashed at start"' "$S/release/rollback.json"
check "it crashed exactly three times" test "$(grep -c 'crash [0-9]' <<<"$out")" -eq 3
update
check "the agent does not install serial 3 again" bash -c "[ $rc -eq 3 ] && [ \"\$(readlink '$S/release/current')\" = slots/a ]"
check "  saying so" grep -q "was rolled back" <<<"$out"

release 4 'sleep 30'
update
check "release 4 (never healthy) installed" test "$(slot)" = slots/b
t0=$(date +%s)
launch
check "no health report within 3 s: back to release 2, which ran" test "$rc" -eq 0
check "within the trial time, not the release's 30 s" test $(($(date +%s) - t0)) -lt 15
check "current is slot a" test "$(slot)" = slots/a
check "reported" grep -q '"serial":4,"reason":"no health report in time"' "$S/release/rollback.json"

# A kiosk that installed a release asks to be started again (exit 75): not a crash.
release 5 "$healthy"'; [ -e "$1/again" ] && exit 0; touch "$1/again"; exit 75'
update
launch
check "exit 75 starts the current release again at once, without counting a crash" \
    bash -c "[ $rc -eq 0 ] && [ -e '$S/again' ]"
check "  logged as such" grep -q "asked to be started again" <<<"$out"
check "  and no crash counted" test "$(grep -c 'crash [0-9]' <<<"$out")" -eq 0

# Staff roll back by hand in admin mode: the previous slot becomes current, the kiosk exits
# 75 for the launcher to start it, and the serial is not installed again.
check "release 5 is current in slot b" test "$(slot)" = slots/b
printf '%s\ntap 回退版本\n' "$staff_login" >"$work/rollback.script"
capture "$bin/kiosk" --headless --config "$top/tests/ui/kiosk-test.ini" --state-dir "$S" --script "$work/rollback.script"
check "the kiosk exits 75 after a manual rollback" test "$rc" -eq 75
check "current is slot a (release 2) again" test "$(slot)" = slots/a
check "serial 5 is marked bad" grep -qx 5 "$S/release/bad_serials"
check "and audited" test "$(sqlite3 "$S/kiosk.db" "SELECT count(*) FROM audit WHERE actor = 'staff:1001' AND action = 'release.rollback'")" -eq 1

# A kiosk whose main loop stops (it touched STATE/release/alive, then not): killed after
# --hang-seconds and started again.
release 7 "$healthy"'; touch "$1/release/alive"; [ -e "$1/hung-once" ] && exit 0; touch "$1/hung-once"; sleep 60'
update
t0=$(date +%s)
capture timeout 60 "$bin/kiosk-launcher" --state-dir "$S" --trial-seconds 20 --hang-seconds 2 -- "$S"
check "a hung kiosk is killed and started again" bash -c "[ $rc -eq 0 ] && [ -e '$S/hung-once' ]"
check "  saying so" grep -q "stopped answering for 2 s: killed" <<<"$out"
check "  within seconds, not the release's 60" test $(($(date +%s) - t0)) -lt 20

# Staff close the kiosk for maintenance: a second tap confirms, the kiosk exits 76, and so does
# the launcher (the systemd unit does not restart on 76).
printf '%s\ntap 退出到维护\nexpect 确认请再按一次\ntap 退出到维护\n' "$staff_login" >"$work/maint.script"
capture "$bin/kiosk" --headless --config "$top/tests/ui/kiosk-test.ini" --state-dir "$S" --script "$work/maint.script"
check "exit to maintenance: the kiosk exits 76 after the second tap" test "$rc" -eq 76
check "  audited" test "$(sqlite3 "$S/kiosk.db" "SELECT count(*) FROM audit WHERE actor = 'staff:1001' AND action = 'kiosk.maintenance'")" -eq 1
release 8 "$healthy"'; exit 76'
update
launch
check "the launcher ends with 76 too, without a restart or a crash counted" \
    bash -c "[ $rc -eq 76 ] && [ \$(grep -c 'started ' <<<'$out') -eq 1 ]"
check "  saying why" grep -q "closed for maintenance" <<<"$out"
finish
