#!/usr/bin/env bash
# One entry point for developers, the demo and CI.
#   ./run.sh build   install what is missing, configure and build (preset dev: Debug, ASan+UBSan)
#   ./run.sh test    build, then run every test with ctest
#   ./run.sh demo    build, then start the kiosk in a window with the sample configuration
#   ./run.sh bench   build the release preset and run the benchmarks under bench/ (tables)
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
    ;;
demo)
    install_packages
    build dev
    mkdir -p .state/demo
    args=(--config packaging/kiosk.ini --state-dir .state/demo --window 1280x720)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        # No display (a server or CI box): run on a virtual one and keep a screenshot to look at.
        log "no display: running on Xvfb; a screenshot of the home screen goes to .state/demo/home.png"
        build/bin/kiosk --headless --config packaging/kiosk.ini --state-dir .state/demo \
            --screenshot .state/demo/home.png
        exec xvfb-run -a -s "-screen 0 1280x720x24" build/bin/kiosk "${args[@]}"
    fi
    exec build/bin/kiosk "${args[@]}"
    ;;
bench)
    install_packages
    build release
    bench/startup.sh build-release/bin
    bench/idcard.sh build-release/bin
    ;;
*)
    echo "usage: ./run.sh build|test|demo|bench" >&2
    exit 2
    ;;
esac
