#!/usr/bin/env bash
# bench/update.sh BIN_DIR [MIB]: a release of MIB (default 40) MiB in 8 files through the whole
# agent path against registryd over mutual TLS on loopback: manifest fetched and verified,
# blobs downloaded and hashed, installed into the inactive slot, `current` switched; then the
# same release checked again (nothing newer) and a content bundle of the packaged assets.
# Prints a table. No target in the issue: the figures show what a 4G link, not the kiosk, costs.
source "$(dirname "$0")/lib.sh"
mib=${2:-40}
bench_registry YT-BENCH
"$bin/kioskctl" keys new "$work/keys" k1 >/dev/null
mkdir -p "$work/trust" "$work/rel/bin" "$work/rel/lib" && cp "$work/keys/k1.pub" "$work/trust/"
cp "$bin/kiosk" "$work/rel/bin/kiosk"
for i in $(seq 7); do head -c $((mib * 1024 * 1024 / 8)) /dev/urandom >"$work/rel/lib/part$i.bin"; done
ms() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.0f", (b - a) / 1e6}'; }
t0=$(date +%s%N)
"$bin/kioskctl" release build "$work/rel" --out "$work/bundle" --version 9.0.0 --serial 9 --channel 370602 \
    --hardware x86_64-kiosk-1 --sign "$work/keys/k1.key" >/dev/null
t1=$(date +%s%N)
"$bin/kioskctl" release publish "$work/bundle" "${R[@]}" >/dev/null
t2=$(date +%s%N)
agent() {
    "$bin/kiosk-update" --state-dir "$work/state" --registry "$url" --tls "$work/tls" --trust "$work/trust" \
        --type "$1" --channel 370602 --hardware x86_64-kiosk-1 2>/dev/null || true
}
agent release >/dev/null
t3=$(date +%s%N)
agent release >/dev/null
t4=$(date +%s%N)
"$bin/kioskctl" content build "$top/assets" --out "$work/cbundle" --version 1.0.0 --serial 1 --channel 370602 \
    --hardware x86_64-kiosk-1 --sign "$work/keys/k1.key" >/dev/null
"$bin/kioskctl" content publish "$work/cbundle" "${R[@]}" >/dev/null
t5=$(date +%s%N)
agent content >/dev/null
t6=$(date +%s%N)
size=$(du -sm "$work/rel" | cut -f1)
csize=$(du -sk "$top/assets" | cut -f1)
[ "$(readlink "$work/state/release/current")" = slots/a ] || { echo "the release was not installed" >&2; exit 1; }
echo "| measure | figure |"
echo "| --- | --- |"
echo "| release of $size MiB (8 files): build and sign | $(ms "$t0" "$t1") ms |"
echo "| publish to the registry (blobs PUT, manifest POST) | $(ms "$t1" "$t2") ms |"
echo "| kiosk: fetch, verify, download, hash, install, switch | $(ms "$t2" "$t3") ms |"
echo "| kiosk: the same check again (nothing newer) | $(ms "$t3" "$t4") ms |"
echo "| content bundle of the packaged assets ($csize KiB): fetch to switch | $(ms "$t5" "$t6") ms |"
