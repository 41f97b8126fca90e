#!/usr/bin/env bash
# The office's side end to end, in a real browser: registryd with the clerk console, a kiosk
# and the waiting room's display; headless Chromium (Debian's) driven by puppeteer-core over
# the DevTools protocol (tests/console/console.test.js). Wrong passwords lock a clerk out; the
# clerk logs in; a couple files 婚育户一件事 at the kiosk (simulators); the ticket appears on
# the open page; a window of other types has nothing for it; window 1 calls it; the display
# shows it and speaks it; the clerk opens the application (unmasked) and the 声明书 PDF
# (pdftotext finds both names), returns it with a reason, which the kiosk's 办理进度 shows;
# forged posts are refused; another office's clerk sees none of it; through a registry
# restart the open page says the connection is lost, the display says 叫号暂停, and the
# session and the calls go on. Every action is in the console's audit log.
source "$(dirname "$0")/lib.sh"

chromium=${CHROMIUM:-/usr/bin/chromium}
check "Debian's chromium is installed (packaging/debian-packages.txt)" test -x "$chromium"
check "node and npm are there" bash -c "command -v node && command -v npm"
# puppeteer-core, pinned by tests/console/package-lock.json, in the build tree's own folder
nodedir="$bin/../console-test"
mkdir -p "$nodedir"
if ! cmp -s "$top/tests/console/package-lock.json" "$nodedir/package-lock.json" ||
    [ ! -d "$nodedir/node_modules/puppeteer-core" ]; then
    cp "$top/tests/console/package.json" "$top/tests/console/package-lock.json" "$nodedir/"
    check "puppeteer-core installs from npm (pinned)" \
        npm ci --prefix "$nodedir" --ignore-scripts --no-audit --no-fund --loglevel=error
fi
cp "$top/tests/console/console.test.js" "$nodedir/"

registry_extra=(--console-listen 127.0.0.1:0 --assets "$top/assets")
check "registryd starts with the clerk console" registry_up
cport=$(sed -n 's|.*clerk console on https://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/registry.log" | head -1)
check "  on a port of its own" test -n "$cport"
registry_extra=(--console-listen "127.0.0.1:$cport" --assets "$top/assets") # the same after a restart
check "the device simulators start" sims_up scanner

# the office: two windows of different types; clerks of this office and of another
"$bin/kioskctl" queue window 370602 1 marriage,joint --name 1号窗口 --room 结婚登记室 "${R[@]}" >/dev/null
"$bin/kioskctl" queue window 370602 5 divorce_apply,divorce_withdraw,divorce_final --name 5号窗口 \
    --room 离婚登记室 "${R[@]}" >/dev/null
check "an operator makes the clerks' accounts" bash -c "
    echo window-3-pass | '$bin/kioskctl' clerk add yt01-zhang --office 370602 --name 张敏 ${R[*]} &&
    echo li-window-pass | '$bin/kioskctl' clerk add yt01-li --office 370602 --name 李丽 ${R[*]} &&
    echo other-office-pass | '$bin/kioskctl' clerk add fs01-wang --office 370699 --name 王芳 ${R[*]}"
capture bash -c "echo short | '$bin/kioskctl' clerk add yt01-zhao --office 370602 --name 赵 ${R[*]} 2>&1"
check "  a password under 10 characters is refused, saying why" grep -q "密码至少 10 个字符" <<<"$out"

# the waiting room's display
"$top/tests/data/appointments/couple.sh" >"$work/booking.csv"
check "the couple's marriage booking is imported" "$bin/kioskctl" appointments import "$work/booking.csv" "${R[@]}"
kiosk_ini "$work/kiosk.ini" "[joint]" "booking = required"
display_ini
export SDL_AUDIODRIVER=dummy LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
cat >"$work/display.script" <<SCRIPT
expect-screen display
wait 请留意叫号 20000
wait J001 120000
expect 请到 1号窗口
shot display_console_call
wait-log voice: say display.call 10000
wait 叫号暂停 120000
expect-not J001
shot display_console_paused
wait J001 120000
SCRIPT
display_up

cards=$top/tests/data/cards
sed "s|CARDS|$cards|g" "$top/tests/data/scripts/joint_full.script" >"$work/couple.script"
name_a=$(jq -r .name "$cards/resident_male.json")
name_b=$(jq -r .name "$cards/resident_female_long.json")
id_a=$(jq -r .id_number "$cards/resident_male.json")

# the browser test's steps, answered here
step() {
    case $1 in
    joint)
        "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
            --script "$work/couple.script" --screenshot-dir "$work/shots" 2>"$work/couple.log" ||
            { echo "failed: the kiosk's script (see couple.log)"; return; }
        "$bin/kiosk-sync" --state-dir "$work/state" --registry "$url" --tls "$work/tls" >/dev/null 2>&1 || true
        for i in $(seq 100); do
            "$bin/kioskctl" queue show 370602 --json "${R[@]}" | grep -q '"queue_no":"J001"' && { echo done; return; }
            sleep 0.2
        done
        echo "failed: no ticket J001 at the registry" ;;
    display_shows)
        wait_for "call: J001 to window 1" 10 "$work/display.log" && echo done || echo "failed: the display did not show it" ;;
    registry_down)
        kill "$registry"
        wait "$registry" 2>/dev/null || true
        for i in $(seq 600); do # down until the display has said so (its shot of it)
            [ -s "$work/shots/display_console_paused.png" ] && { echo done; return; }
            sleep 0.1
        done
        echo "failed: the display did not say 叫号暂停" ;;
    registry_up)
        registry_start "$work/pki" "$work/data" "$port" "$work/tls" && echo done || echo "failed: registryd did not start again" ;;
    kiosk_alert)
        "$bin/kioskctl" pki enroll "$work/pki" --kiosk YT-370602-02 --office 370602 --out "$work/tls2" >/dev/null
        sed "s|^tls = .*|tls = $work/tls2|; s|^idcard = .*|idcard = $work/no-reader|" "$work/kiosk.ini" >"$work/kiosk2.ini"
        printf 'wait 已连接登记中心 20000\ntap 办理进度\ntap @call_staff\nexpect 已通知工作人员\nwait-log the call for staff reached the registry 20000\n' >"$work/alert.script"
        "$bin/kiosk" --headless --config "$work/kiosk2.ini" --state-dir "$work/state2" \
            --script "$work/alert.script" 2>"$work/alert.log" && echo done ||
            echo "failed: the kiosk's script (see alert.log)" ;;
    display_again)
        for i in $(seq 300); do
            [ "$(grep -c 'call: J001 to window 1' "$work/display.log")" -ge 2 ] && { echo done; return; }
            sleep 0.1
        done
        echo "failed: the recall did not reach the display" ;;
    *) echo "failed: no step $1" ;;
    esac
}
mkdir -p "$work/browser"
spki=$(openssl x509 -in "$work/pki/registry.crt" -pubkey -noout | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | base64)
coproc BROWSER {
    CONSOLE_URL="https://127.0.0.1:$cport" CHROMIUM="$chromium" SPKI="$spki" OUT="$work/browser" \
        NAMES="$name_a,$name_b" ID_A="$id_a" NODE_PATH="$nodedir/node_modules" \
        node "$nodedir/console.test.js" 2>"$work/browser.log"
}
bpid=$BROWSER_PID
pids+=($bpid)
exec 4<&"${BROWSER[0]}" 5>&"${BROWSER[1]}"
while IFS= read -r line <&4; do
    case $line in
    "STEP "*)
        # in this shell, not a subshell: registryd started again stays ours ($registry)
        step "${line#STEP }" >"$work/answer"
        answer=$(cat "$work/answer")
        echo "  step ${line#STEP }: $answer"
        echo "$answer" >&5 ;;
    "ok - "*) ok "browser: ${line#ok - }" ;;
    "not ok - "*) not_ok "browser: ${line#not ok - }" ;;
    *) echo "  $line" ;;
    esac
done
wait "$bpid" && brc=0 || brc=$?
check "the browser test ran to its end" test "$brc" -eq 0 || tail -20 "$work/browser.log" >&2

kiosk_wait display
check "the display's script: the call shown and spoken, 叫号暂停 while the registry was down, the call again after" test "$krc" -eq 0
check "spoken in Mandarin, the number digit by digit, the window's number" \
    grep -q 'voice: say display.call: qing3 J ling2 ling2 yi1 hao4, dao4 yi1 hao4 chuang1 kou3 ban4 li3' "$work/display.log"
samples=$(sed -n 's/.*voice: \([0-9]*\) samples spoken.*/\1/p' "$work/display.log" | head -1)
echo "samples spoken: ${samples:-none}"
check "and synthesised: at least 2 s of audio at 22050 Hz" test "${samples:-0}" -ge 44100
check "the display's screenshot of the call is a whole 1920x1080 frame" \
    test "$(png_size "$work/shots/display_console_call.png")" = 1920x1080

pdftotext "$work/browser/declaration.pdf" "$work/declaration.txt" 2>/dev/null || true
check "the 声明书 the browser got names both parties (pdftotext)" \
    bash -c "grep -q '$name_a' '$work/declaration.txt' && grep -q '$name_b' '$work/declaration.txt'"

# the citizens' 办理进度, by the receipt's QR: the reason the clerk gave
token=$(zbarimg -q --raw "$work/jobs/0001.png" 2>/dev/null || true)
cat >"$work/progress.script" <<SCRIPT
wait 已连接登记中心 20000
tap 办理进度
scan $token
wait-screen progress.result 15000
wait 已退回，请到窗口咨询 10000
expect 退回原因：请双方携带户口簿原件到1号窗口补充材料
shot progress_console_returned
SCRIPT
check "the kiosk's 办理进度 shows the clerk's reason" \
    "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$work/state" \
    --script "$work/progress.script" --screenshot-dir "$work/shots"

capture "$bin/kioskctl" clerk audit --office 370602 "${R[@]}"
for action in login_failed login_locked login call view_record declaration status csrf_refused recall done logout; do
    check "the audit log has $action by the clerk's id" grep -Eq "(yt01-zhang|yt01-li) +370602 +$action " <<<"$out"
done
check "  and the status with its reason" grep -q "returned: 请双方携带户口簿原件到1号窗口补充材料" <<<"$out"
capture "$bin/kioskctl" clerk audit --office 370699 "${R[@]}"
check "the other office's log has its clerk's login and nothing of 370602's record" \
    bash -c "grep -q 'fs01-wang' <<<'$out' && ! grep -q 'view_record' <<<'$out'"
capture "$bin/kioskctl" clerk list --office 370602 "${R[@]}"
check "kioskctl clerk list shows yt01-li locked" grep -Eq "^yt01-li +370602 .* locked " <<<"$out"
check "kioskctl clerk unlock lifts it" "$bin/kioskctl" clerk unlock yt01-li "${R[@]}"
capture "$bin/kioskctl" clerk list --office 370602 "${R[@]}"
check "  and she is active again" grep -Eq "^yt01-li +370602 .* active " <<<"$out"
check "no password in the registry's log" bash -c "! grep -q -e window-3-pass -e not-her-password '$work/registry.log'"
[ -z "${CONSOLE_SHOTS:-}" ] || cp "$work"/browser/*.png "$work"/shots/display_console_*.png \
    "$work/shots/progress_console_returned.png" "$CONSOLE_SHOTS/"
finish
