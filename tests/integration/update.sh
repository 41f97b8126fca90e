#!/usr/bin/env bash
# The update agent (kiosk-update) against registryd: a release signed by two trusted keys is
# downloaded, checked and installed into the inactive slot, then `current` switches. Every bad
# case is rejected with its reason and `current` untouched; a download cut short resumes; the
# agent killed (SIGKILL) at each step of an install leaves a complete version current.
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
for k in k1 k2 k3; do "$bin/kioskctl" keys new "$work/keys" $k >/dev/null; done
mkdir -p "$work/trust"
cp "$work/keys/k1.pub" "$work/keys/k2.pub" "$work/trust/" # k3 is not trusted
HW=x86_64-kiosk-1
# release SERIAL HARDWARE KEY... : builds and publishes version 0.SERIAL.0
release() {
    local serial=$1 hw=$2
    shift 2
    rm -rf "$work/src" "$work/bundle"
    mkdir -p "$work/src/bin" "$work/src/share"
    printf '#!/bin/sh\necho %s\n' "$serial" >"$work/src/bin/kiosk"
    head -c 150000 /dev/urandom >"$work/src/share/data.bin"
    printf 'the same in every release\n' >"$work/src/share/static.txt"
    local signs=()
    for k in "$@"; do signs+=(--sign "$work/keys/$k.key"); done
    "$bin/kioskctl" release build "$work/src" --out "$work/bundle" --version "0.$serial.0" \
        --serial "$serial" --channel 370602 --hardware "$hw" "${signs[@]}" >/dev/null &&
        "$bin/kioskctl" release publish "$work/bundle" "${R[@]}" >/dev/null
}
update() {
    capture "$bin/kiosk-update" --state-dir "$work/state" --registry "$url" --tls "$work/tls" \
        --trust "$work/trust" --threshold 2 --type release --channel 370602 --hardware "$HW"
}
current() { cat "$work/state/release/current/manifest.json" 2>/dev/null | sed -n 's/.*"version":"\([^"]*\)".*/\1/p'; }
# complete: every file of the current slot's manifest is there with its hash
complete() {
    local dir="$work/state/release/current" ok=0
    python3 - "$dir" <<'PY' || ok=1
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
for f in m["files"]:
    p = os.path.join(d, f["path"])
    assert hashlib.sha256(open(p, "rb").read()).hexdigest() == f["sha256"], p
PY
    return $ok
}

release 2 $HW k1 k2
update
check "a release signed by two trusted keys is installed" test "$rc" -eq 0
check "current is slot a, complete" bash -c "[ \"\$(readlink '$work/state/release/current')\" = slots/a ]"
check "with its files and hashes" complete
check "bin/ files are executable" test -x "$work/state/release/current/bin/kiosk"
update
check "the same serial again: nothing newer (exit 1)" test "$rc" -eq 1

release 3 $HW k1
update
check "one signature of the two needed: rejected (exit 3)" test "$rc" -eq 3
check "  saying: too few trusted signatures" grep -q 'too few trusted signatures' <<<"$out"
check "and current untouched" test "$(current)" = 0.2.0
release 4 $HW k1 k3
update
check "a key not trusted: rejected, naming it (exit 3)" test "$rc" -eq 3
check "  saying: not trust" grep -q 'not trust' <<<"$out"
release 5 aarch64-kiosk-1 k1 k2
update
check "another hardware class: rejected (exit 3)" test "$rc" -eq 3
check "  saying: hardware" grep -q 'hardware' <<<"$out"
check "current still 0.2.0" test "$(current)" = 0.2.0

# A manifest changed after signing, an expired one, and a serial below the installed one,
# each on a channel of its own (the registry serves a channel's newest): each rejected with
# its reason, and the running version untouched.
on() { # on CHANNEL: one update check on CHANNEL
    capture "$bin/kiosk-update" --state-dir "$work/state" --registry "$url" --tls "$work/tls" \
        --trust "$work/trust" --threshold 2 --type release --channel "$1" --hardware "$HW"
}
build_on() { # build_on CHANNEL SERIAL DAYS: $work/src signed by k1 and k2 into $work/b-CHANNEL
    "$bin/kioskctl" release build "$work/src" --out "$work/b-$1" --version "0.$2.0" --serial "$2" \
        --channel "$1" --hardware "$HW" --days "$3" --sign "$work/keys/k1.key" \
        --sign "$work/keys/k2.key" >/dev/null
}
build_on tampered 50 30
sed -i 's/"version":"0.50.0"/"version":"0.51.0"/' "$work/b-tampered/manifest.json"
"$bin/kioskctl" release publish "$work/b-tampered" "${R[@]}" >/dev/null
on tampered
check "a manifest changed after signing: rejected (exit 3)" test "$rc" -eq 3
check "  saying: a signature does not hold" grep -q 'a signature does not hold' <<<"$out"
build_on expired 51 -1
"$bin/kioskctl" release publish "$work/b-expired" "${R[@]}" >/dev/null
on expired
check "an expired manifest: rejected (exit 3)" test "$rc" -eq 3
check "  saying: expired" grep -q 'the manifest has expired' <<<"$out"
build_on lower 1 30
"$bin/kioskctl" release publish "$work/b-lower" "${R[@]}" >/dev/null
on lower
check "serial 1 with serial 2 installed: rejected (exit 3)" test "$rc" -eq 3
check "  saying: serial not above the installed one" grep -q 'serial not above the installed one' <<<"$out"
check "current still 0.2.0" bash -c "[ \"\$(sed -n 's/.*\"version\":\"\([^\"]*\)\".*/\1/p' '$work/state/release/current/manifest.json')\" = 0.2.0 ]"
check "  and complete" complete

release 6 $HW k1 k2
sha=$(sha256sum "$work/src/share/data.bin" | cut -d' ' -f1)
head -c 150000 /dev/urandom >"$work/data/blobs/$sha" # the registry's copy is damaged
update
check "a blob whose hash differs: rejected (exit 3)" test "$rc" -eq 3
check "  saying: SHA-256 differs" grep -q 'SHA-256 differs' <<<"$out"
check "current untouched and complete" bash -c "[ \"\$(cat '$work/state/release/current/manifest.json' | grep -o '\"version\":\"0.2.0\"')\" ] "
check "still complete" complete

release 7 $HW k1 k2
# a disk too full: the install does not start (the store keeps its reserve), and says why
capture env KIOSK_UPDATE_FREE_MIB=200 "$bin/kiosk-update" --state-dir "$work/state" --registry "$url" \
    --tls "$work/tls" --trust "$work/trust" --threshold 2 --type release --channel 370602 --hardware "$HW"
check "too little disk space: not installed (exit 4), current untouched" bash -c "[ $rc -eq 4 ] && [ \"$(current)\" = 0.2.0 ]"
check "  saying: not enough disk space" grep -q "not enough disk space: 258 MiB needed" <<<"$out"
sha=$(sha256sum "$work/src/share/data.bin" | cut -d' ' -f1)
mkdir -p "$work/state/release/downloads"
head -c 70000 "$work/src/share/data.bin" >"$work/state/release/downloads/$sha.part"
update
check "a download cut at 70000 bytes resumes there" grep -q "resuming share/data.bin at 70000 bytes" <<<"$out"
check "and installs: 0.7.0 in slot b" bash -c "[ $rc -eq 0 ] && [ \"\$(readlink '$work/state/release/current')\" = slots/b ]"
check "complete" complete
check "no downloads are kept once installed" test ! -e "$work/state/release/downloads"
release 8 $HW k1 k2
update
check "0.8.0: its unchanged file is taken from the installed version, not downloaded" \
    bash -c "[ $rc -eq 0 ] && grep -q '1 of 3 files taken from the installed version' <<<'$out'"
check "complete" complete

# SIGKILL at every step of an install: afterwards a complete version is current, old or new,
# and the next run finishes the job.
serial=9
for s in downloaded slot_cleared file_written manifest_written linked switched; do
    release $serial $HW k1 k2
    before=$(current)
    capture env KIOSK_UPDATE_KILL_AT=$s "$bin/kiosk-update" --state-dir "$work/state" --registry "$url" \
        --tls "$work/tls" --trust "$work/trust" --threshold 2 --type release --channel 370602 --hardware "$HW"
    now=$(current)
    if [ "$rc" -eq 137 ] && complete && { [ "$now" = "$before" ] || [ "$now" = "0.$serial.0" ]; }; then
        ok "killed at $s: $now is current and complete"
    else
        not_ok "killed at $s (exit $rc): current '$now' (was $before)"
    fi
    update
    check "after the kill at $s the next run installs 0.$serial.0" bash -c "[ \"$(current)\" = 0.$serial.0 ] || [ $rc -eq 1 ]"
    serial=$((serial + 1))
done

# --- issue 13: what an attacker on the update path does ---
top_serial=$serial
# an unknown extra signature does not reject a release its trusted signatures carry
release $top_serial $HW k1 k2 k3
update
check "k1+k2 plus an unknown k3: installed (extra signatures are not counted, not fatal)" test "$rc" -eq 0
serial=$((top_serial + 1))
# a manifest for another channel, served on this one (a beta release on channel 370602)
build_on beta-testing $serial 30
"$bin/kioskctl" release publish "$work/b-beta-testing" "${R[@]}" >/dev/null
sqlite3 "$work/data/registry.db" "UPDATE manifests SET channel = '370602' WHERE channel = 'beta-testing'"
update
check "a beta-testing manifest served on 370602: rejected (exit 3)" test "$rc" -eq 3
check "  saying: for another channel" grep -q "for another channel (beta-testing, this kiosk follows 370602)" <<<"$out"
serial=$((serial + 1))
# a blob that is larger than its manifest says: cut at the listed size, never kept
release $serial $HW k1 k2
sha=$(sha256sum "$work/src/share/data.bin" | cut -d' ' -f1)
head -c $((3 << 20)) /dev/urandom >"$work/data/blobs/$sha" # listed as 150,000 bytes
update
check "a blob larger than listed: rejected (exit 3)" test "$rc" -eq 3
check "  saying: more than the 150000 bytes the manifest lists" grep -q "more than the 150000 bytes the manifest lists" <<<"$out"
check "  and nothing of it is kept on the kiosk's disk" \
    test "$(find "$work/state/release" -name "$sha*" -size +150000c | wc -l)" -eq 0
serial=$((serial + 1))
# the registry serves one byte for bytes=0-0
op_blob=$(ls "$work/data/blobs" | head -1)
capture curl -sS -r 0-0 --cacert "$work/pki/ca.crt" --cert "$work/tls/kiosk.crt" --key "$work/tls/kiosk.key" \
    -o "$work/range.out" -w '%{http_code}' "$url/v1/blobs/$op_blob"
check "Range bytes=0-0: one byte, 206 (answered $out, $(stat -c %s "$work/range.out") bytes)" \
    test "$out" = 206 -a "$(stat -c %s "$work/range.out")" -eq 1
# a freeze: the installed manifest has expired and nothing newer comes
inst="$work/state/release/current/manifest.json"
cp "$inst" "$work/manifest.saved"
sed -i 's/"expires":[0-9]*/"expires":1000000000/' "$inst"
update
check "an expired installed manifest and nothing newer: reported as a freeze (exit 5)" test "$rc" -eq 5
check "  saying so" grep -q "frozen? the installed manifest (serial [0-9]*) expired at 2001-09-09" <<<"$out"
check "  as the latest step, for the heartbeat and admin mode" grep -q '"step":"frozen"' "$work/state/release/progress.json"
cp "$work/manifest.saved" "$inst"
# the root of trust rotates: version 1 (k1, k2) from the trust directory's keys, then version 2
# (k2, k3: k1 out, and revoked) signed by the current keys and the new ones
"$bin/kioskctl" keys new "$work/keys" k4 >/dev/null
"$bin/kioskctl" root build --out "$work/root1" --version 1 --threshold 2 --key "$work/keys/k1.pub" \
    --key "$work/keys/k2.pub" --sign "$work/keys/k1.key" --sign "$work/keys/k2.key" >/dev/null
"$bin/kioskctl" root build --out "$work/root2" --version 2 --threshold 2 --key "$work/keys/k2.pub" \
    --key "$work/keys/k3.pub" --revoke "$work/keys/k1.pub" --sign "$work/keys/k1.key" \
    --sign "$work/keys/k2.key" --sign "$work/keys/k3.key" >/dev/null
"$bin/kioskctl" root publish "$work/root1" "${R[@]}" >/dev/null
"$bin/kioskctl" root publish "$work/root2" "${R[@]}" >/dev/null
release $serial $HW k1 k2
update
check "after the rotation a release signed by k1+k2 is refused (k1 revoked)" test "$rc" -eq 3
check "  and the kiosk keeps roots 1 and 2" test -s "$work/state/trust/root-1.json" -a -s "$work/state/trust/root-2.json"
serial=$((serial + 1))
release $serial $HW k2 k3
update
check "a release signed by k2+k3 (the new keys) is installed" test "$rc" -eq 0
# a root signed by the new keys alone (k3, k4) is refused: the current keys must sign it
"$bin/kioskctl" root build --out "$work/root3" --version 3 --threshold 2 --key "$work/keys/k3.pub" \
    --key "$work/keys/k4.pub" --sign "$work/keys/k3.key" --sign "$work/keys/k4.key" >/dev/null
"$bin/kioskctl" root publish "$work/root3" "${R[@]}" >/dev/null
serial=$((serial + 1))
release $serial $HW k3 k4
update
check "a root not signed by the current keys is refused: k3+k4 releases are not taken" test "$rc" -eq 3
check "  logged with its reason" grep -q "root of trust version 3 refused: too few trusted signatures" <<<"$out"
# symlinks and devices are never packed into a release
rm -rf "$work/src"; mkdir -p "$work/src/bin"; echo x >"$work/src/bin/kiosk"
ln -s "$work/pki/ca.key" "$work/src/bin/ca.key"
capture "$bin/kioskctl" release build "$work/src" --out "$work/bl" --version 9.9.9 --serial 999 \
    --channel 370602 --hardware "$HW" --sign "$work/keys/k2.key"
check "a symbolic link in the source: release build refuses (exit 1)" test "$rc" -eq 1
check "  naming it" grep -q "ca.key is a symbolic link: refused" <<<"$out"
check "  and the CA's key is in no blob" bash -c "! grep -rqs 'PRIVATE KEY' '$work/bl/blobs'"
finish
