#!/usr/bin/env bash
# The release path end to end with the real kiosk. kiosk-launcher runs the packaged kiosk; an
# operator publishes a release that holds this build's kiosk and pushes it (`update`); the
# kiosk installs it into slot a, returns home and exits 75; the launcher starts the release on
# trial; it reports healthy — store open, home drawn, reader, printer and scanner probed (the
# simulators) — and is committed. Then release 3: the same kiosk whose card reader no longer
# answers (its wrapper points it at a reader that is not there: what a broken driver looks
# like from outside). It starts, draws home, but the reader that worked under release 2 is
# silent: the trial runs out, the launcher goes back to release 2 and reports why. The
# registry hears each step, and admin mode shows the rollback and its reason.
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
check "the device simulators start" sims_up scanner
"$bin/kioskctl" keys new "$work/keys" k1 >/dev/null
mkdir -p "$work/trust" && cp "$work/keys/k1.pub" "$work/trust/"
S=$work/state
kiosk_ini "$work/kiosk.ini" "[update]" "trust = $work/trust" "$staff_ini"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
# publish SERIAL DIR: a release of DIR, signed by k1
publish() {
    "$bin/kioskctl" release build "$2" --out "$work/bundle$1" --version "$1.0.0" --serial "$1" \
        --channel 370602 --hardware x86_64-kiosk-1 --sign "$work/keys/k1.key" >/dev/null &&
        "$bin/kioskctl" release publish "$work/bundle$1" "${R[@]}" >/dev/null
}
events() { # the release steps the registry heard for serial $1, oldest first
    "$bin/kioskctl" fleet updates --json --kiosk YT-370602-01 "${R[@]}" |
        grep -o "\"type\":\"release\",\"serial\":$1,\"version\":\"[^\"]*\",\"step\":\"[a-z_]*\"" |
        sed 's/.*"step":"//; s/"//' | tac | tr '\n' ' '
}
wait_events() { # wait_events SERIAL EXPECTED SECONDS
    local i
    for ((i = 0; i < $3 * 5; i++)); do
        [ "$(events "$1")" = "$2" ] && return 0
        sleep 0.2
    done
    echo "  heard: $(events "$1")" >&2
    return 1
}

mkdir -p "$work/r2/bin" && cp "$bin/kiosk" "$work/r2/bin/kiosk"
check "release 2 (this build's kiosk) published" publish 2 "$work/r2"

"$bin/kiosk-launcher" --state-dir "$S" --fallback "$bin/kiosk" --trial-seconds 20 -- \
    --headless --config "$work/kiosk.ini" --state-dir "$S" 2>"$work/launcher.log" &
launcher=$!
pids+=($launcher)
check "the packaged kiosk starts under the launcher and reports its health" \
    wait_for "health reported" 30 "$work/launcher.log"
check "the launcher keeps it as the devices' baseline: reader, printer, scanner answer" \
    wait_for '"reader":"ok","printer":"ok","scanner":"ok"' 5 "$S/release/devices.json"

"$bin/kioskctl" command send YT-370602-01 update "${R[@]}" >/dev/null
check "the kiosk installs release 2 and asks to be started again" \
    wait_for "asked to be started again" 60 "$work/launcher.log"
check "the launcher starts release 2 on trial" wait_for "current/bin/kiosk (on trial)" 10 "$work/launcher.log"
check "it reports healthy with its devices probed: committed" \
    wait_for "release serial 2 is healthy: committed" 30 "$work/launcher.log"
alive_fresh() { # the running kiosk's main loop touches release/alive every 5 s
    sleep 6
    [ -e "$S/release/alive" ] && [ $(($(date +%s) - $(stat -c %Y "$S/release/alive"))) -le 6 ]
}
check "its main loop shows it is alive to the launcher (release/alive, every 5 s)" alive_fresh
check "slot a is current, no trial left" bash -c "[ \"\$(readlink '$S/release/current')\" = slots/a ] && [ ! -e '$S/release/trial.json' ]"
check "the registry heard each step of release 2" wait_events 2 "verified downloading installing installed " 20
fleet_has() { # fleet_has PATTERN: the kiosk's last heartbeat matches, within 20 s
    local i
    for ((i = 0; i < 100; i++)); do
        "$bin/kioskctl" fleet --json "${R[@]}" | grep -q -- "$1" && return 0
        sleep 0.2
    done
    return 1
}
check "its heartbeat: release 2.0.0 in slot a, every device answering, free disk space" \
    fleet_has '"release":{"version":"2.0.0","serial":2.*"slot":"slots/a","devices":{"reader":"ok","printer":"ok","scanner":"ok"},"disk_free_mib":[0-9]'

# Release 3: the same kiosk, started by a wrapper with a reader that is not there.
mkdir -p "$work/r3/bin"
cp "$bin/kiosk" "$work/r3/bin/kiosk.bin"
sed "s|^idcard = .*|idcard = $work/no-reader|" "$work/kiosk.ini" >"$work/r3/kiosk-dead-reader.ini"
cat >"$work/r3/bin/kiosk" <<'SH'
#!/bin/sh
# release 3: this kiosk with a card reader that does not answer (the last --config wins)
here=$(dirname "$0")
exec "$here/kiosk.bin" "$@" --config "$here/../kiosk-dead-reader.ini"
SH
chmod +x "$work/r3/bin/kiosk"
check "release 3 (a reader that no longer answers) published" publish 3 "$work/r3"
"$bin/kioskctl" command send YT-370602-01 update "${R[@]}" >/dev/null
check "the launcher starts release 3 on trial" wait_for "release/current/bin/kiosk (on trial)" 60 "$work/launcher.log"
check "it reports its health: the reader does not answer" wait_for '"reader":"unreachable"' 30 "$work/launcher.log"
t0=$(date +%s)
check "the trial runs out: release 3 is rolled back" \
    wait_for "release serial 3 rolled back: a device stopped answering under the new release: reader" 40 "$work/launcher.log"
check "  within the trial time (20 s) of its start" test $(($(date +%s) - t0)) -lt 30
check "slot a (release 2) is current again" test "$(readlink "$S/release/current")" = slots/a
check "serial 3 is marked bad" grep -qx 3 "$S/release/bad_serials"
healthy_again() { # a health report after the rollback
    local i
    for ((i = 0; i < 150; i++)); do
        sed -n '/release serial 3 rolled back/,$p' "$work/launcher.log" | grep -q "health reported" && return 0
        sleep 0.2
    done
    return 1
}
check "release 2 runs again and reports healthy" healthy_again
sleep 1
check "the registry heard release 3's install and its rollback" \
    wait_events 3 "verified downloading installing installed rolled_back " 30
table_says() { # kioskctl fleet's table: release 2.0.0, every device, the rollback
    local i
    for ((i = 0; i < 50; i++)); do
        "$bin/kioskctl" fleet "${R[@]}" >"$work/fleet.txt"
        grep -Eq '^YT-370602-01 +370602 .* 2\.0\.0 .* ok/ok/ok +rolled back serial 3: a device stopped' \
            "$work/fleet.txt" && return 0
        sleep 0.2
    done
    cat "$work/fleet.txt"
    return 1
}
check "kioskctl fleet: a table with the kiosk, its release, its devices and the rollback" table_says
newest_step() { # kioskctl fleet updates: its first row is the rollback of release 3
    "$bin/kioskctl" fleet updates --kiosk YT-370602-01 "${R[@]}" | sed -n 2p |
        grep -Eq 'YT-370602-01 +release +3 +- +rolled_back +a device stopped'
}
check "kioskctl fleet updates: the steps as a table, newest first" newest_step

kill "$launcher"
wait "$launcher" 2>/dev/null || true
no_kiosk() { ! pgrep -f -- "--state-dir $S" >/dev/null; }
check "the launcher stops the kiosk with it" no_kiosk
# (and 回退版本 refuses: the other slot holds release 3, which was rolled back)
printf '%s\nexpect 上次成功同步：\nexpect 软件发布版本：2.0.0\nexpect 已回退\nexpect 原本正常的设备无响应\nshot admin_rollback\ntap 回退版本\nexpect 没有可以回退的上一版本\n' \
    "$staff_login" >"$work/admin.script"
mkdir -p "$work/shots"
capture "$bin/kiosk" --headless --config "$work/kiosk.ini" --state-dir "$S" --script "$work/admin.script" \
    --screenshot-dir "$work/shots"
check "admin mode shows release 2.0.0 and the rollback with its reason; no manual rollback into release 3" \
    test "$rc" -eq 0
check "  the slot stays" test "$(readlink "$S/release/current")" = slots/a
[ "$rc" -eq 0 ] || grep -e FAIL -e "ERROR layout" <<<"$out"
[ -z "${RELEASE_SHOTS:-}" ] || cp "$work"/shots/*.png "$RELEASE_SHOTS/"
finish
