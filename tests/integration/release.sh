#!/usr/bin/env bash
# Releases and content through the registry: kioskctl makes signing keys, builds a bundle
# (manifest signed with two keys + content-addressed blobs) and publishes it; kiosks fetch the
# latest manifest of their channel and the blobs, resuming a download with Range. The
# registry takes only blobs that hash to their name and manifests whose blobs are all there.
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
K=(--cacert "$work/pki/ca.crt" --cert "$work/tls/kiosk.crt" --key "$work/tls/kiosk.key")
mkdir -p "$work/src/bin" "$work/src/share"
printf '#!/bin/sh\necho v2\n' >"$work/src/bin/kiosk"
head -c 200000 /dev/urandom >"$work/src/share/big.bin"
check "two signing keys" bash -c "'$bin/kioskctl' keys new '$work/keys' k1 >/dev/null && '$bin/kioskctl' keys new '$work/keys' k2 >/dev/null"
check "the private key is 0600" test "$(stat -c %a "$work/keys/k1.key")" = 600
check "a release bundle, signed twice" "$bin/kioskctl" release build "$work/src" --out "$work/bundle" \
    --version 0.2.0 --serial 2 --channel 370602 --hardware x86_64-kiosk-1 \
    --sign "$work/keys/k1.key" --sign "$work/keys/k2.key"
check "two blobs, named by their SHA-256" test "$(ls "$work/bundle/blobs" | wc -l)" -eq 2
check "published" "$bin/kioskctl" release publish "$work/bundle" "${R[@]}"
capture curl -sS "${K[@]}" "$url/v1/releases/370602"
check "a kiosk gets the latest manifest of its channel" test "$out" = "$(cat "$work/bundle/manifest.json")"
sha=$(sha256sum "$work/src/share/big.bin" | cut -d' ' -f1)
curl -sS "${K[@]}" "$url/v1/blobs/$sha" -o "$work/got"
check "and the blobs" cmp -s "$work/got" "$work/src/share/big.bin"
head -c 70000 "$work/src/share/big.bin" >"$work/part"
capture curl -sS -w '%{http_code}' "${K[@]}" -r 70000- "$url/v1/blobs/$sha" -o "$work/rest"
check "a cut download resumes with Range (206)" test "$out" = 206
cat "$work/part" "$work/rest" >"$work/joined"
check "and the pieces make the file" cmp -s "$work/joined" "$work/src/share/big.bin"
capture curl -sS -o /dev/null -w '%{http_code}' "${K[@]}" "$url/v1/releases/999999"
check "nothing on another channel: 404" test "$out" = 404
O=(--cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" --key "$work/pki/operator.key")
capture curl -sS -o /dev/null -w '%{http_code}' "${O[@]}" -X PUT --data-binary 'not it' "$url/v1/admin/blobs/$sha"
check "a blob that does not hash to its name: 400" test "$out" = 400
sed "s/$sha/$(printf '0%.0s' $(seq 64))/" "$work/bundle/manifest.json" >"$work/missing.json"
capture curl -sS -o /dev/null -w '%{http_code}' "${O[@]}" -X POST --data-binary @"$work/missing.json" "$url/v1/admin/manifests"
check "a manifest whose blob was never uploaded: 409" test "$out" = 409
capture curl -sS -o /dev/null -w '%{http_code}' "${K[@]}" -X POST --data-binary @"$work/bundle/manifest.json" "$url/v1/admin/manifests"
check "a kiosk cannot publish: 403" test "$out" = 403

# A staged rollout: serial 3 goes to a share of the channel's kiosks; each kiosk has a fixed
# bucket 0..99 (the first two bytes of SHA-256 of its id, mod 100) and gets a release when
# its bucket is below the share. Widening the share reaches it; 0 stops the rollout.
h=$(printf %s YT-370602-01 | sha256sum | cut -c1-4)
bucket=$((16#$h % 100))
latest() { curl -sS "${K[@]}" "$url/v1/releases/370602" | sed -n 's/.*"serial":\([0-9]*\).*/\1/p'; }
check "serial 3 built" "$bin/kioskctl" release build "$work/src" --out "$work/bundle3" --version 0.3.0 --serial 3 \
    --channel 370602 --hardware x86_64-kiosk-1 --sign "$work/keys/k1.key"
check "published to $bucket % of the kiosks (this kiosk's bucket is $bucket)" \
    "$bin/kioskctl" release publish "$work/bundle3" --rollout "$bucket" "${R[@]}"
check "the kiosk, just outside the share, still gets serial 2" test "$(latest)" = 2
check "widened by one point" "$bin/kioskctl" release rollout 3 $((bucket + 1)) --channel 370602 "${R[@]}"
check "the kiosk gets serial 3" test "$(latest)" = 3
check "stopped (0 %)" "$bin/kioskctl" release rollout 3 0 --channel 370602 "${R[@]}"
check "the kiosk is offered serial 2 again (its agent refuses a lower serial)" test "$(latest)" = 2
capture "$bin/kioskctl" release rollout 9 50 --channel 370602 "${R[@]}"
check "a rollout of a serial never published: refused" test "$rc" -ne 0
capture "$bin/kioskctl" release publish "$work/bundle3" --rollout 101 "${R[@]}"
check "a share over 100: refused before anything is sent" test "$rc" -eq 2
finish
