#!/usr/bin/env bash
# The fuzz targets run long: each from its seeds (a copy) for RUNS executions (default 10^7)
# or SECONDS (default 3600), whichever comes first, one after another or JOBS at a time.
# Prints a table: target, executions, seconds, executions a second, crashes (a crash stops
# its target; its input is kept under OUT/<target>/ for a regression seed).
#   bench/fuzz.sh [BIN_DIR] [RUNS] [SECONDS] [JOBS] [TARGET...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${1:-$top/build/bin}
runs=${2:-10000000}
secs=${3:-3600}
jobs=${4:-1}
shift $(($# > 4 ? 4 : $#))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=($(cd "$bin" && ls fuzz_* 2>/dev/null))
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/kiosk-fuzz-XXXXXX")}
one() {
    local t=$1 c=${1#fuzz_} d="$out/$1"
    mkdir -p "$d/corpus" "$d/crashes"
    cp "$top/tests/fuzz/corpus/$c/"* "$d/corpus/" 2>/dev/null
    local start=$SECONDS
    KIOSK_ASSETS="$top/assets" "$bin/$t" -runs="$runs" -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$d/crashes/" \
        "$d/corpus" >"$d/log" 2>&1
    local rc=$? el=$((SECONDS - start))
    local n
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | tail -1)
    local crashes
    crashes=$(ls "$d/crashes" | wc -l)
    [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes="exit $rc"
    printf '%-20s %12s %8s %10s %8s\n' "$t" "${n:-?}" "$el" "$(( ${n:-0} / (el > 0 ? el : 1) ))" "$crashes"
}
printf '%-20s %12s %8s %10s %8s\n' target executions seconds exec/s crashes
export -f one
export bin runs secs out top
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'one {}'
echo "# logs and any crashing inputs: $out"
