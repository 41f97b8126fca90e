#!/usr/bin/env bash
# One entry point for developers, the demo and CI.
#   ./run.sh build   install what is missing, configure and build (preset dev: Debug, ASan+UBSan)
#   ./run.sh test    build, then run every test with ctest (dev: ASan+UBSan), then the threaded
#                    parts' tests again in the tsan preset (ThreadSanitizer)
#   ./run.sh demo    build, then start the kiosk in a window with the sample configuration
#   ./run.sh bench   build the release preset and run the benchmarks under bench/ (tables)
#   ./run.sh package the Debian packages (packaging/debian, dpkg-buildpackage on the release
#                    build) into build-deb/, then lintian on them
set -euo pipefail
cd "$(dirname "$0")"
top=$(pwd)

log() { printf 'run.sh: %s\n' "$*" >&2; }

# Install the Debian packages of packaging/debian-packages.txt that are not installed yet.
install_packages() {
    local want=() missing=() p
    while read -r p; do
        p=${p%%#*}; p=${p//[[:space:]]/}
        [ -n "$p" ] && want+=("$p")
    done < packaging/debian-packages.txt
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The Debian packages: the tree as git sees it (committed or not, ignored files left out)
# copied to build-deb/src with packaging/debian as its debian/, built by dpkg-buildpackage;
# the .debs land in build-deb/, and lintian checks them (every tag it leaves is explained in
# packaging/debian/*.lintian-overrides).
package_debs() {
    local out=$top/build-deb src
    src=$out/src/kiosk-$(sed -n '1s/^kiosk (\([^)]*\)).*/\1/p' packaging/debian/changelog)
    rm -rf "$out" && mkdir -p "$src"
    git ls-files -z -co --exclude-standard | grep -zv '^debian$' | xargs -0 cp --parents -t "$src"
    cp -r packaging/debian "$src/debian"
    (cd "$src" && dpkg-buildpackage -b -us -uc -j"$(nproc)" >"$out/build.log" 2>&1) || {
        tail -40 "$out/build.log" >&2
        log "dpkg-buildpackage failed: $out/build.log"
        return 1
    }
    mv "$out"/src/*.deb "$out"/src/*.changes "$out"/src/*.buildinfo "$out"/ 2>/dev/null || true
    log "packages: $(cd "$out" && ls ./*.deb | tr '\n' ' ')"
    lintian --fail-on error --info "$out"/*.changes
}

build() {
    local preset=$1
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$(nproc)"
}

case "${1:-}" in
build)
    install_packages
    build dev
    ;;
test)
    install_packages
    build dev
    ctest --preset dev
    # the threaded parts again under ThreadSanitizer (tests labelled tsan)
    build tsan
    ctest --preset tsan
    ;;
demo)
    install_packages
    build dev
    d=.state/demo
    mkdir -p "$d/receipts"
    # The device simulators, speaking the real bytes to the kiosk's real drivers.
    build/bin/idcard-sim --link "$d/reader" --control "$d/reader.ctl" 2>"$d/idcard-sim.log" &
    sims=($!)
    build/bin/scanner-sim --link "$d/scanner" --control "$d/scanner.ctl" 2>"$d/scanner-sim.log" &
    sims+=($!)
    build/bin/escpos-sim --listen 127.0.0.1:19100 --out "$d/receipts" --control "$d/printer.ctl" \
        2>"$d/escpos-sim.log" &
    sims+=($!)
    # The reference registry on loopback: a PKI (once), the kiosk enrolled by a one-time
    # token as a real one would be, and today's synthetic appointments for office 370602.
    if [ ! -f "$d/pki/ca.key" ]; then
        build/bin/kioskctl pki init "$d/pki" >/dev/null
    fi
    mkdir -p "$d/registry"
    build/bin/registryd --listen 127.0.0.1:18443 --enroll-listen 127.0.0.1:18444 \
        --data "$d/registry" --pki "$d/pki" 2>"$d/registryd.log" &
    sims+=($!)
    trap 'kill "${sims[@]}" 2>/dev/null || true' EXIT
    trap 'exit 130' INT TERM
    R=(--registry https://127.0.0.1:18443 --pki "$d/pki")
    for i in $(seq 50); do grep -q "enrollment on" "$d/registryd.log" && break; sleep 0.1; done
    if [ ! -f "$d/tls/kiosk.crt" ]; then
        token=$(build/bin/kioskctl enroll token YT-370602-01 370602 "${R[@]}" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
        build/bin/kioskctl enroll kiosk --token "$token" --ca "$d/pki/ca.crt" --out "$d/tls" \
            --registry https://127.0.0.1:18444 >&2
    fi
    # A signing key for releases and content bundles, trusted by the demo kiosk.
    if [ ! -f "$d/keys/demo.key" ]; then
        build/bin/kioskctl keys new "$d/keys" demo >/dev/null
    fi
    mkdir -p "$d/trust" && cp "$d/keys/demo.pub" "$d/trust/"
    tools/demo-appointments.sh 370602 >"$d/appointments.csv"
    build/bin/kioskctl appointments import "$d/appointments.csv" "${R[@]}" >/dev/null
    log "registry: https://127.0.0.1:18443 with today's 17 synthetic appointments for 370602"
    { cat packaging/kiosk.ini; cat <<INI

[devices]
idcard = $top/$d/reader
idcard_control = $top/$d/reader.ctl
scanner = $top/$d/scanner
scanner_control = $top/$d/scanner.ctl
printer = tcp:127.0.0.1:19100
printer_qr = native

[sync]
registry = https://127.0.0.1:18443
tls = $top/$d/tls
interval = 60

[update]
trust = $top/$d/trust

[display]
; the demo runs at any hour: home stays lit outside the office's hours
screen_off = never

[staff]
$(echo 246810 | build/bin/kioskctl staff hash 1001)
INI
    } | sed "s|^assets = /usr/share/kiosk/assets|assets = $top/assets|; s|^fonts = /usr/share/kiosk/fonts/fonts.ini|fonts = $top/fonts/fonts.ini|" >"$d/kiosk.ini"
    cat >&2 <<HELP
run.sh: the kiosk is starting with simulated devices. From another terminal:
  present a card:   build/bin/simctl $d/reader.ctl insert tests/data/cards/resident_male.json
  lift it:          build/bin/simctl $d/reader.ctl remove
  (郑测涛 and 马试兰, tests/data/cards/resident_female_long.json, are booked for this half hour)
  scan their code:  build/bin/simctl $d/scanner.ctl scan 370602-$(TZ=Asia/Shanghai date +%Y%m%d)-00
  printer trouble:  build/bin/simctl $d/printer.ctl status paper_out
  receipts land in $d/receipts/ as PNG. Staff entry: hold the top-left corner for 3 s
  (demo staff number 1001, PIN 246810). Today's other bookings: 370602-$(TZ=Asia/Shanghai date +%Y%m%d)-01 ... -16
  (scan one, or type it without the dashes under 预约签到 > 输入预约号).
  the registry (operator certificate in $d/pki):
    a notice on home: build/bin/kioskctl command send YT-370602-01 notice '今日 15:00 起暂停自助服务' ${R[*]}
    lock / unlock:    build/bin/kioskctl command send YT-370602-01 lock ${R[*]}
    what arrived:     build/bin/kioskctl records list ${R[*]}
    the fleet:        build/bin/kioskctl fleet ${R[*]}
  a content push (a label changed; shown at the next return to home):
    cp -r assets $d/content && sed -i 's/^checkin = 预约签到$/checkin = 预约签到（演示）/' $d/content/i18n/zh-CN.ini
    build/bin/kioskctl content build $d/content --out $d/bundle --version 1.0.1 --serial \$(date +%s) \\
        --channel 370602 --hardware x86_64-kiosk-1 --sign $d/keys/demo.key
    build/bin/kioskctl content publish $d/bundle ${R[*]}
    build/bin/kioskctl command send YT-370602-01 content ${R[*]}
    the steps it went through: build/bin/kioskctl fleet updates ${R[*]}
  a release push (this build as a new version: installed, restarted on trial, committed):
    mkdir -p $d/rel/bin && cp build/bin/kiosk $d/rel/bin/
    build/bin/kioskctl release build $d/rel --out $d/rbundle --version 0.1.1 --serial \$(date +%s) \\
        --channel 370602 --hardware x86_64-kiosk-1 --sign $d/keys/demo.key
    build/bin/kioskctl release publish $d/rbundle ${R[*]}
    build/bin/kioskctl command send YT-370602-01 update ${R[*]}
HELP
    # (the demo runs the sanitizer build: the display stack's own leaks at exit are known)
    export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
    # Ctrl+Shift+Q leaves the demo's kiosk (the installed session has no way out by keyboard)
    export KIOSK_DEV_EXIT=1
    # kiosk-launcher runs the kiosk as systemd would (packaging/debian/kiosk.service): a pushed
    # release runs on trial from the state directory's slots, the packaged kiosk until then.
    args=(build/bin/kiosk-launcher --state-dir "$d" --fallback build/bin/kiosk --
        --config "$d/kiosk.ini" --state-dir "$d" --window 1280x720)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        # No display (a server or CI box): run on a virtual one and keep a screenshot to look at.
        log "no display: running on Xvfb; a screenshot of the home screen goes to $d/home.png"
        build/bin/kiosk --headless --config "$d/kiosk.ini" --state-dir "$d" --screenshot "$d/home.png"
        xvfb-run -a -s "-screen 0 1280x720x24" "${args[@]}"
    else
        "${args[@]}"
    fi
    ;;
package)
    install_packages
    package_debs
    ;;
bench)
    install_packages
    build release
    bench/startup.sh build-release/bin
    build dev
    bench/devices.sh build-release/bin
    bench/sync.sh build-release/bin
    bench/calls.sh build-release/bin
    bench/update.sh build-release/bin
    bench/flows.sh build-release/bin
    bench/touches.sh build-release/bin
    # every fuzz target (built by the dev preset with clang) for FUZZ_SECONDS each (default
    # 600) or 10^7 executions
    bench/fuzz.sh build/bin 10000000 "${FUZZ_SECONDS:-600}" 1
    ;;
*)
    echo "usage: ./run.sh build|test|demo|bench" >&2
    exit 2
    ;;
esac
