#!/usr/bin/env bash
# The guide is content (assets/guide/<lang>/*.md) that a content push may change: many topics
# stay reachable (paged with ▲ ▼, 关怀版 included), and a missing guide is explained.
source "$(dirname "$0")/lib.sh"

mkdir -p "$work/assets/guide/zh-CN" "$work/assets/guide/en"
cp -r "$top/assets/i18n" "$work/assets/"
for i in $(seq -w 1 14); do
    printf '# 测试主题%s\n\n第%s个主题的内容。\n' "$i" "$i" > "$work/assets/guide/zh-CN/$i-topic.md"
    printf '# Topic %s\n\nText of topic %s.\n' "$i" "$i" > "$work/assets/guide/en/$i-topic.md"
done
printf '[paths]\nassets = %s/assets\nfonts = %s/fonts/fonts.ini\n' "$work" "$top" > "$work/many.ini"
# many.script PAGES THEME: page down PAGES times to the last topic, then back up to the first
many() {
    {
        printf 'tap 办事指南\nexpect 测试主题01\nexpect-not 测试主题14\n'
        for _ in $(seq "$1"); do printf 'tap @topics_down\n'; done
        printf 'expect 测试主题14\ntap 测试主题14\nexpect 第14个主题的内容。\n'
        for _ in $(seq "$1"); do printf 'expect-not 测试主题01\ntap @topics_up\n'; done
        printf 'expect 测试主题01\n'
    } > "$work/many-$2.script"
    "$bin/kiosk" --headless --theme "$2" --config "$work/many.ini" --state-dir "$work/s-$2" \
        --script "$work/many-$2.script"
}
check "fourteen topics are all reachable, three pages" many 2 standard
check "in 关怀版 too (评价本服务 under the list), five pages" many 4 care

# Guide content missing: the guide says so, the kiosk goes on.
mkdir -p "$work/assets2"
cp -r "$top/assets/i18n" "$work/assets2/"
printf '[paths]\nassets = %s/assets2\nfonts = %s/fonts/fonts.ini\n' "$work" "$top" > "$work/noguide.ini"
printf 'tap 办事指南\nexpect-screen guide\nexpect 办事指南暂时无法显示\ntap 返回首页\nexpect-screen home\n' > "$work/noguide.script"
check "a missing guide is explained and home still works" \
    "$bin/kiosk" --headless --config "$work/noguide.ini" --state-dir "$work/s3" --script "$work/noguide.script"

# A damaged page (not UTF-8, binary) is shown as best it can be, and the others still are.
cp "$work/assets/guide/zh-CN/01-topic.md" "$work/assets2/x.md" 2>/dev/null || true
mkdir -p "$work/assets3/guide/zh-CN"
cp -r "$top/assets/i18n" "$work/assets3/"
# (the same bytes every run: random ones sometimes made a title so long that 办公时间 went to
# the list's next page; the fuzz target fuzz_guide takes random pages)
python3 -c 'import random, sys; random.seed(7); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(3000)))' \
    > "$work/assets3/guide/zh-CN/01-garbage.md"
cp "$top/assets/guide/zh-CN/04-hours.md" "$work/assets3/guide/zh-CN/02-hours.md"
printf '[paths]\nassets = %s/assets3\nfonts = %s/fonts/fonts.ini\n' "$work" "$top" > "$work/garbage.ini"
printf 'tap 办事指南\nexpect-screen guide\ntap 办公时间\nexpect 部分特殊日期\n' > "$work/garbage.script"
check "a damaged page does not stop the guide" \
    "$bin/kiosk" --headless --config "$work/garbage.ini" --state-dir "$work/s4" --script "$work/garbage.script"
finish
