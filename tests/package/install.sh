#!/usr/bin/env bash
# The packages as an office installs them (DESIGN.md §12, issue 18): ./run.sh package builds
# them (lintian without errors), a fresh Debian 12 made by debootstrap takes them with
# apt-get install ./…deb, and there, from the installed paths and configuration only:
#   - every unit passes systemd-analyze verify, and systemd-analyze security rates registryd
#     at most 2.0 and the kiosk at most 4.5;
#   - the system users came from sysusers.d, the conffiles hold every setting;
#   - registryd starts from its unit's command lines (ExecStartPre, ExecStart), makes its PKI
#     with the configured names, and answers a kiosk enrolled by a one-time token;
#   - the kiosk session (kiosk-session under cage's headless backend) runs the installed kiosk
#     as a Wayland client: grim's screenshots of the session show home in landscape and, with
#     [display] rotation = 90, in portrait; the kiosk in it heartbeats to that registry.
# Needs root (debootstrap, chroot) and Debian's mirror (KIOSK_DEBIAN_MIRROR). Screenshots and
# logs are kept in $KIOSK_PACKAGE_OUT (default build-deb/test).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${KIOSK_PACKAGE_OUT:-$top/build-deb/test}
mirror=${KIOSK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
check() { local what=$1; shift; local rc=0; "$@" || rc=$?; if [ $rc -eq 0 ]; then ok "$what"; else not_ok "$what (exit $rc)"; fi; }
wait_for() { # PATTERN SECONDS FILE
    local i
    for ((i = 0; i < $2 * 10; i++)); do grep -q -- "$1" "$3" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
if [ "$(id -u)" -ne 0 ]; then
    echo "skip: the package test needs root (debootstrap and chroot)"
    exit 77
fi

# 1. the packages
"$top/run.sh" package >"$top/build-deb.log" 2>&1 || { tail -30 "$top/build-deb.log"; echo "not ok - ./run.sh package"; exit 1; }
ok "./run.sh package built the packages, and lintian found no errors"
mkdir -p "$out"
mv "$top/build-deb.log" "$out/package.log"
debs=("$top"/build-deb/kiosk_*.deb "$top"/build-deb/kiosk-common_*.deb "$top"/build-deb/kiosk-registry_*.deb "$top"/build-deb/kiosk-tools_*.deb)

# 2. a fresh Debian 12
root=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-chroot-XXXXXX")
chmod 755 "$root" # its / for every user in it
mounted=()
session=""
cleanup() {
    [ -n "$session" ] && kill "$session" 2>/dev/null
    local u
    for u in kiosk kiosk-registry; do
        u=$(chroot "$root" id -u "$u" 2>/dev/null) && pkill -U "$u" 2>/dev/null || true
    done
    local m
    for ((m = ${#mounted[@]} - 1; m >= 0; m--)); do umount -l "${mounted[m]}" 2>/dev/null || true; done
    rm -rf --one-file-system "$root" || echo "# $root could not be removed whole"
}
# the test's own status, whatever the clean-up meets
trap 'rc=$?; set +e; cleanup; exit $rc' EXIT
t0=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$out/debootstrap.log" 2>&1 ||
    { tail -20 "$out/debootstrap.log"; echo "not ok - debootstrap"; exit 1; }
ok "debootstrap made a Debian 12 in $(($(date +%s) - t0)) s"
for m in proc sys dev dev/pts; do mount --bind "/$m" "$root/$m" && mounted+=("$root/$m"); done
# shared memory of Wayland's buffers (grim's, the clients')
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm" && mounted+=("$root/dev/shm")
cp /etc/resolv.conf "$root/etc/resolv.conf"
# as in an image being built: the packages' services are not started in the chroot
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
mkdir -p "$root/debs" && cp "${debs[@]}" "$root/debs/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
t0=$(date +%s)
# grim: the test's screenshots of the session; man-db: systemd-analyze verify reads the units'
# Documentation= pages with man (neither is a dependency of the packages)
if in_root sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /debs/*.deb grim man-db' >"$out/apt.log" 2>&1; then
    ok "apt-get install ./…deb took the four packages and their dependencies ($(($(date +%s) - t0)) s)"
else
    tail -30 "$out/apt.log"; not_ok "apt-get install ./…deb"; exit 1
fi

# 3. what the packages put there
check "the kiosk user (sysusers.d) is in the kiosk group and video, input, render" \
    sh -c "in_groups=\$(chroot '$root' id -nG kiosk); for g in kiosk video input render; do echo \" \$in_groups \" | grep -q \" \$g \"; done"
check "registryd's own user (sysusers.d)" in_root getent passwd kiosk-registry
for f in /etc/kiosk/kiosk.ini /etc/kiosk/registry.ini; do
    check "$f is a conffile" grep -qx "$f" "$root/var/lib/dpkg/info/"kiosk*.conffiles
done
check "the udev rules name the devices the configuration uses" sh -c "
    for d in idcard printer scanner; do
        grep -q \"SYMLINK+=\\\"kiosk-\$d\\\"\" '$root/lib/udev/rules.d/60-kiosk-devices.rules' &&
        grep -q \"/dev/kiosk-\$d\" '$root/etc/kiosk/kiosk.ini' || exit 1
    done
    ! grep SYMLINK '$root/lib/udev/rules.d/60-kiosk-devices.rules' | grep -qv 'GROUP=\"kiosk\".*ID_MM_DEVICE_IGNORE}=\"1\"'"
# udev reads the rules without a complaint (udevadm test names a bad line "file:LINE: ...")
in_root udevadm test /sys/class/tty/tty0 >"$out/udevadm-test.log" 2>&1 || true
check "udev reads 60-kiosk-devices.rules without a complaint" bash -c \
    "grep -q '60-kiosk-devices.rules' '$out/udevadm-test.log' && ! grep -E '60-kiosk-devices.rules:[0-9]+' '$out/udevadm-test.log'"
for u in kiosk registryd; do
    check "systemd-analyze verify $u.service" in_root systemd-analyze verify "/lib/systemd/system/$u.service"
done
score() { in_root systemd-analyze security --offline=yes "/lib/systemd/system/$1.service" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'; }
rs=$(score registryd) ks=$(score kiosk)
echo "# systemd-analyze security: registryd $rs, kiosk $ks"
check "systemd-analyze security: registryd ${rs:-?} <= 2.0" awk -v s="$rs" 'BEGIN{exit !(s != "" && s + 0 <= 2.0)}'
check "systemd-analyze security: kiosk ${ks:-?} <= 4.5" awk -v s="$ks" 'BEGIN{exit !(s != "" && s + 0 <= 4.5)}'
check "man pages for every program and both configuration files" sh -c "
    for p in kiosk.8 kiosk-launcher.8 kiosk-session.8 kiosk-sync.8 kiosk-update.8 registryd.8 kioskctl.1 \
             idcard-sim.1 idcard-read.1 simctl.1 escpos-sim.1 escpos-render.1 escpos-print.1 scanner-sim.1 \
             kiosk.ini.5 registry.ini.5; do
        ls '$root'/usr/share/man/man*/\$p.gz >/dev/null || { echo missing \$p; exit 1; }
    done"

# 4. registryd from its unit's command lines, on loopback ports of the test's choosing
sed -i 's/^listen = .*/listen = 127.0.0.1:0/; s/^enroll_listen = .*/enroll_listen = 127.0.0.1:0/;
        s/^console_listen = .*/console_listen = 127.0.0.1:0/; s/^metrics_listen = .*/metrics_listen = 127.0.0.1:0/;
        s/^;names = .*/names = registry.test, 10.9.8.7/' \
    "$root/etc/kiosk/registry.ini"
unit_line() { sed -n "s/^$1=//p" "$root/lib/systemd/system/registryd.service"; }
# what StateDirectory= makes before ExecStartPre runs
in_root install -d -m 0700 -o kiosk-registry -g kiosk-registry /var/lib/kiosk-registry
as_registry() { chroot --userspec=kiosk-registry:kiosk-registry "$root" env -i PATH=/usr/sbin:/usr/bin LANG=C.UTF-8 "$@"; }
# shellcheck disable=SC2046 # the unit's command line, split as systemd splits it (no quotes)
check "ExecStartPre (registryd --init-pki) made the PKI" as_registry $(unit_line ExecStartPre)
check "the registry's certificate names the configured hosts" sh -c \
    "openssl x509 -in '$root/var/lib/kiosk-registry/pki/registry.crt' -noout -ext subjectAltName | grep -q 'DNS:registry.test' &&
     openssl x509 -in '$root/var/lib/kiosk-registry/pki/registry.crt' -noout -ext subjectAltName | grep -q 'IP Address:10.9.8.7'"
# shellcheck disable=SC2046
as_registry $(unit_line ExecStart) 2>"$out/registryd.log" &
registryd=$!
check "registryd (ExecStart) listens" wait_for "enrollment on" 20 "$out/registryd.log"
port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$out/registryd.log" | head -1)
mport=$(sed -n 's|.*metrics on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$out/registryd.log" | head -1)
check "its /metrics answers (the package's metrics_listen)" bash -c "curl -sS http://127.0.0.1:$mport/metrics | grep -qx 'registry_up 1'"
eport=$(sed -n 's/.*enrollment on 127.0.0.1:\([0-9]*\).*/\1/p' "$out/registryd.log" | head -1)
# an operator's certificate of the province, from the PKI the first start made
as_registry kioskctl pki operator /var/lib/kiosk-registry/pki --name test-operator --province \
    --out /var/lib/kiosk-registry/op >/dev/null
R=(--registry "https://127.0.0.1:$port" --pki /var/lib/kiosk-registry/op)
token=$(as_registry kioskctl enroll token YT-370602-09 370602 "${R[@]}" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
cp "$root/var/lib/kiosk-registry/pki/ca.crt" "$root/tmp/registry-ca.crt" && chmod 644 "$root/tmp/registry-ca.crt"
in_root install -d -m 0700 -o kiosk -g kiosk /var/lib/kiosk # what StateDirectory= makes
as_kiosk() { chroot --userspec=kiosk:kiosk "$root" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/var/lib/kiosk "$@"; }
check "the kiosk enrolls with a one-time token" as_kiosk kioskctl enroll kiosk --token "$token" \
    --ca /tmp/registry-ca.crt --out /var/lib/kiosk/tls --registry "https://127.0.0.1:$eport"
# the office's settings: the registry this kiosk syncs with
sed -i "s|^;registry = .*|registry = https://127.0.0.1:$port|" "$root/etc/kiosk/kiosk.ini"

# 5. the installed kiosk renders home from the installed paths and configuration
check "the installed kiosk renders home headless" as_kiosk /usr/lib/kiosk/kiosk --headless --screenshot /tmp/home.png
cp "$root/tmp/home.png" "$out/home-headless.png" 2>/dev/null || true
check "and the session's branded screen (kiosk --splash)" as_kiosk /usr/lib/kiosk/kiosk --splash --headless --screenshot /tmp/splash.png
cp "$root/tmp/splash.png" "$out/splash.png" 2>/dev/null || true

# 6. the session: cage's headless backend, the installed kiosk as its Wayland client
shoot() { # NAME ROTATION [X_DISPLAY]: the session with that rotation (on cage's headless
    # backend, or its X11 backend on that display), and grim's screenshot of it
    local name=$1 rot=$2 rt=/tmp/xdg-$1 backend=(WLR_BACKENDS=headless)
    [ -z "${3:-}" ] || backend=(WLR_BACKENDS=x11 DISPLAY="$3")
    # (screen_off never: the test may run outside the office's hours, when home is dark)
    sed "s/^rotation = .*/rotation = $rot/; s/^screen_off = .*/screen_off = never/" \
        "$root/etc/kiosk/kiosk.ini" >"$root/tmp/kiosk-$name.ini"
    chmod 644 "$root/tmp/kiosk-$name.ini"
    in_root install -d -m 0700 -o kiosk -g kiosk "$rt"
    chroot --userspec=kiosk:kiosk "$root" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/var/lib/kiosk \
        XDG_RUNTIME_DIR="$rt" "${backend[@]}" WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
        KIOSK_CONFIG="/tmp/kiosk-$name.ini" /usr/lib/kiosk/kiosk-session >"$out/session-$name.log" 2>&1 &
    session=$!
    if wait_for "health reported" 60 "$out/session-$name.log" && wait_for "app: registry reachable" 30 "$out/session-$name.log"; then
        ok "the session ($name) runs the installed kiosk under cage, healthy"
    else
        not_ok "the session ($name) runs the installed kiosk under cage, healthy"
    fi
    if [ -n "${3:-}" ]; then
        # cage's X11 output is a window, 1024x768 at first: the screen's size, as a panel's
        local w
        w=$(xwininfo -display "$3" -root -children | awk '/1024x768/ {print $1; exit}')
        check "cage's output window on the X display" test -n "$w"
        [ -z "$w" ] || DISPLAY=$3 xdotool windowsize "$w" 1920 1080
    fi
    sleep 2 # the frame after the registry's status arrived (grim takes what is on the output)
    check "grim's screenshot of the session ($name)" chroot --userspec=kiosk:kiosk "$root" env -i \
        XDG_RUNTIME_DIR="$rt" WAYLAND_DISPLAY=wayland-0 grim "$rt/shot.png"
    cp "$root$rt/shot.png" "$out/session-$name.png" 2>/dev/null || true
    check "the session's kiosk is a Wayland client" grep -q "video wayland" "$out/session-$name.log"
    local uid splash
    uid=$(chroot "$root" id -u kiosk)
    splash=$(pgrep -U "$uid" -f '/usr/lib/kiosk/kiosk.*--splash' | wc -l)
    check "under it, the splash ($splash kiosk --splash, $(pgrep -U "$uid" -x kiosk | wc -l) kiosk processes)" \
        test "$splash" -eq 1 -a "$(pgrep -U "$uid" -x kiosk | wc -l)" -eq 2
    kill "$session" 2>/dev/null; wait "$session" 2>/dev/null || true
    session=""
    uid=$(chroot "$root" id -u kiosk)
    pkill -U "$uid" 2>/dev/null || true
    # gone before the next session starts (its processes are counted)
    for i in $(seq 100); do pgrep -U "$uid" >/dev/null || break; sleep 0.1; done
    pkill -KILL -U "$uid" 2>/dev/null || true
}
# landscape as a panel mounted upside down: wlroots 0.15's headless output shows nothing of a
# client that covers it untransformed (its direct scanout of the client's buffer; a real
# output scans it out), while a transformed output is composited
shoot landscape 180
shoot portrait 90
# 1920x1080: cage's X11 backend in an Xvfb of that size (its output a window, sized to it),
# since the headless backend's outputs are 1280x720 and cage cannot set a mode
mkdir -p "$root/tmp/.X11-unix" && mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix" && mounted+=("$root/tmp/.X11-unix")
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$out/xvfb.display" 2>"$out/xvfb.log" &
xvfb=$!
for i in $(seq 100); do [ -s "$out/xvfb.display" ] && break; sleep 0.1; done
xd=":$(tr -d '\n' <"$out/xvfb.display")"
DISPLAY=$xd shoot fullhd 0 "$xd"
kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null || true
size() { python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print('%dx%d' % struct.unpack('>II', d[16:24]))" "$1"; }
check "landscape: 1280x720 (wlroots' headless output)" test "$(size "$out/session-landscape.png")" = 1280x720
check "portrait: 720x1280 (cage -r)" test "$(size "$out/session-portrait.png")" = 720x1280
check "1920x1080 (cage's X11 output)" test "$(size "$out/session-fullhd.png")" = 1920x1080
# home, not the splash under it: a point inside home's first card is white (the splash is red
# all over but its words)
px() { python3 "$top/tests/tools/png_pixel.py" "$out/session-$1.png" "$2" "$3"; }
for s in "fullhd 500 560" "landscape 333 373" "portrait 180 700"; do
    set -- $s
    check "the $1 screenshot shows home over the splash (a card's white at $2,$3: $(px "$@"))" \
        test "$(px "$@")" = 255,255,255
done
check "the kiosk's heartbeat reached the installed registry" sh -c \
    "chroot --userspec=kiosk-registry:kiosk-registry '$root' kioskctl fleet --json ${R[*]} | grep -q YT-370602-09"
kill "$registryd" 2>/dev/null; wait "$registryd" 2>/dev/null || true

echo "# $passed passed, $failed failed; screenshots and logs in $out"
[ "$failed" -eq 0 ]
