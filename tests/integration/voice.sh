#!/usr/bin/env bash
# Spoken prompts ([kiosk] voice = on): espeak-ng through SDL audio (the dummy driver here, as on
# a machine without speakers). Mandarin from the pinyin prompts, English from the catalog;
# off by default.
source "$(dirname "$0")/lib.sh"

cat >"$work/on.ini" <<INI
[kiosk]
voice = on
[paths]
assets = $top/assets
fonts = $top/fonts/fonts.ini
calendar = $top/tests/data/calendar/always.json
INI
printf 'tap 预约签到\nexpect-screen checkin\ntap 返回首页\ntap English\ntap Check in\nexpect-screen checkin\ntap Home\n' >"$work/voice.script"
export SDL_AUDIODRIVER=dummy
capture "$bin/kiosk" --headless --config "$work/on.ini" --state-dir "$work/s1" --script "$work/voice.script"
check "the script ran with the voice on" test "$rc" -eq 0
check "the check-in prompt was said, in Mandarin and in English" test "$(grep -c 'voice: say checkin.prompt_card' <<<"$out")" -eq 2
samples=$(sed -n 's/.*voice: \([0-9]*\) samples spoken.*/\1/p' <<<"$out")
echo "samples spoken: ${samples:-none}"
check "and synthesised: at least 1 s of audio at 22050 Hz" test "${samples:-0}" -ge 22050 ||
    grep -i "voice\|audio" <<<"$out" >&2
capture "$bin/kiosk" --headless --config "$top/tests/ui/kiosk-test.ini" --state-dir "$work/s2" --script "$work/voice.script"
check "off by default: not a word" test "$(grep -c 'voice:' <<<"$out" || true)" -eq 0
finish
