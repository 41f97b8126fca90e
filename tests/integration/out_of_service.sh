#!/usr/bin/env bash
# The out-of-service screen: a kiosk locked by the registry, and a kiosk whose content is gone.
source "$(dirname "$0")/lib.sh"

printf 'expect-screen out_of_service\nexpect 暂停服务\nexpect 已由登记机关暂停使用\nidle 600\nexpect-screen out_of_service\nshot oos\n' > "$work/oos.script"
mkdir -p "$work/locked"
touch "$work/locked/locked"
check "a locked kiosk shows out_of_service and stays there" \
    "$bin/kiosk" --headless --config "$config" --state-dir "$work/locked" --script "$work/oos.script" --screenshot-dir "$work"

# Content missing: assets without i18n catalogs. The built-in catalog still explains.
mkdir -p "$work/assets"
cp -r "$top/assets/guide" "$work/assets/"
printf '[paths]\nassets = %s/assets\nfonts = %s/fonts/fonts.ini\n' "$work" "$top" > "$work/broken.ini"
printf 'expect-screen out_of_service\nexpect 暂停服务\nexpect 显示内容缺失或已损坏\n' > "$work/broken.script"
check "missing catalogs show out_of_service in words" \
    "$bin/kiosk" --headless --config "$work/broken.ini" --state-dir "$work/s2" --script "$work/broken.script"

# A script with a typo fails before anything runs, naming the line.
printf 'expect-screen home\ntapp 办事指南\n' > "$work/typo.script"
capture "$bin/kiosk" --headless --config "$config" --state-dir "$work/s4" --script "$work/typo.script"
check "a script typo exits 2" test "$rc" -eq 2
check "naming the line" grep -q "typo.script:2: unknown command" <<<"$out"
printf 'expect 不存在的文字\n' > "$work/fail.script"
capture "$bin/kiosk" --headless --config "$config" --state-dir "$work/s5" --script "$work/fail.script"
check "a failing expect exits 1" test "$rc" -eq 1
check "with the failing line" grep -q "fail.script:1: expect 不存在的文字: not visible on screen home" <<<"$out"
finish
