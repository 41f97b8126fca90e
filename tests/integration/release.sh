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
finish
