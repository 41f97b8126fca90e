#!/usr/bin/env bash
# kioskctl's command table: every command answers --help with its usage (exit 0) before it
# runs, so asking changes nothing; a bad argument is named (exit 2); the store tools on a
# missing or empty directory say so and create nothing.
source "$(dirname "$0")/lib.sh"

capture "$bin/kioskctl" --help
check "kioskctl --help lists the commands (exit 0)" test "$rc" -eq 0
n=$(grep -c '^  kioskctl ' <<<"$out")
echo "$n commands listed"
check "at least 24 of them" test "$n" -ge 24
helps=0
while read -r group sub; do
    capture "$bin/kioskctl" $group $sub --help
    if [ "$rc" -eq 0 ] && grep -q "^usage: kioskctl $group" <<<"$out"; then
        helps=$((helps + 1))
    else
        echo "kioskctl $group $sub --help: exit $rc: $out" >&2
    fi
done < <(sed -n 's/^  kioskctl \([a-z]*\) \([a-z]*\).*/\1 \2/p' <<<"$(bash -c "'$bin/kioskctl' --help")")
check "every one of the $n answers GROUP SUB --help with its usage, exit 0" test "$helps" -eq "$n"

check "kioskctl pki init DIR --help exits 0" "$bin/kioskctl" pki init "$work/pki" --help
check "and creates nothing" test ! -e "$work/pki"
capture "$bin/kioskctl" keys new "$work/keys" demo --help
check "keys new --help creates no key" test ! -e "$work/keys"

capture "$bin/kioskctl" fleet --frob --registry https://127.0.0.1:1 --pki "$work"
check "an unknown option: exit 2" test "$rc" -eq 2
check "naming it" grep -q -- "--frob is not an option" <<<"$out"
capture "$bin/kioskctl" pki enroll "$work/p" --kiosk K --office 370602 --out "$work/o" --days soon
check "a bad number: exit 2" test "$rc" -eq 2
check "naming it" grep -q "soon --days takes a whole number" <<<"$out"
capture "$bin/kioskctl" release rollout 7 150 --channel c --registry https://127.0.0.1:1 --pki "$work"
check "a share over 100: exit 2, named" bash -c "[ $rc -eq 2 ] && grep -q '150 is not a share' <<<\"\$1\"" _ "$out"
capture "$bin/kioskctl" nope
check "an unknown command: exit 2" test "$rc" -eq 2
check "saying so" grep -q "nope is not a command" <<<"$out"

capture "$bin/kioskctl" audit verify --state-dir "$work/none"
check "audit verify on a missing directory: exit 3" test "$rc" -eq 3
check "saying there is no store" grep -q "no kiosk store there" <<<"$out"
check "and creating nothing" test ! -e "$work/none"
mkdir "$work/empty"
capture "$bin/kioskctl" store stats --state-dir "$work/empty"
check "store stats on an empty directory: exit 3" test "$rc" -eq 3
check "leaving it empty" test -z "$(ls -A "$work/empty")"
: >"$work/empty/kiosk.db"
capture "$bin/kioskctl" audit verify --state-dir "$work/empty"
check "an empty kiosk.db is no store either (exit 3), and no key is made" \
    bash -c "[ $rc -eq 3 ] && [ ! -e '$work/empty/data.key' ]"

# and on a real store the tools still read it
"$bin/seed_store" "$work/kiosk" 3
check "audit verify on a real store: ok" "$bin/kioskctl" audit verify --state-dir "$work/kiosk"
capture "$bin/kioskctl" store stats --state-dir "$work/kiosk"
check "store stats counts its outbox" grep -q '"outbox":3' <<<"$out"
finish
