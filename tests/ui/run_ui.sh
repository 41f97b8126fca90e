#!/usr/bin/env bash
# Runs one UI script on the headless kiosk and compares every shot it took with its reference
# in tests/ui/ref/ (pngdiff, 0.5 % of the pixels at most).
#   run_ui.sh BIN_DIR SCRIPT
# UPDATE_REFS=1 copies the shots over the references instead (review them before committing).
set -euo pipefail
bin=$1
script=$2
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$script" .script)
out=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-ui-$name-XXXXXX")
trap 'rm -rf "$out"' EXIT
export TZ=CST-8

"$bin/kiosk" --headless --config "$here/kiosk-test.ini" --state-dir "$out/state" \
    --script "$script" --screenshot-dir "$out"

fail=0
for shot in "$out"/*.png; do
    [ -e "$shot" ] || continue
    ref="$here/ref/$(basename "$shot")"
    if [ "${UPDATE_REFS:-0}" = 1 ]; then
        cp "$shot" "$ref"
        echo "updated $ref"
    elif [ ! -f "$ref" ]; then
        echo "no reference for $(basename "$shot"): run with UPDATE_REFS=1 and review it"
        fail=1
    elif ! "$bin/pngdiff" "$shot" "$ref" 0.5 "$out/diff-$(basename "$shot")"; then
        mkdir -p "${KIOSK_UI_FAILED_DIR:-$here/../../build/ui-failed}"
        cp "$shot" "$out/diff-$(basename "$shot")" "${KIOSK_UI_FAILED_DIR:-$here/../../build/ui-failed}/" 2>/dev/null || true
        fail=1
    fi
done
exit $fail
