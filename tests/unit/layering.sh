#!/usr/bin/env bash
# The rules of DESIGN.md §1 as a test: a file that includes across a forbidden edge fails it,
# naming the file, the line and the rule. Direct includes are checked (a header of a layer
# names what that layer may use; the build's PRIVATE links keep the rest out of sight).
#
#   layering.sh ROOT          check the tree at ROOT (exit 1 on a violation)
#   layering.sh --self-test   plant one violation of each rule in a copy and check that each
#                             is found
set -uo pipefail

# rule: NAME ~ files (extended regex on the path) ~ forbidden include (extended regex on the
# include's file name, and on its whole target) ~ files excused (regex; "-" none)
rules() {
    cat <<'RULES'
sdl-only-in-ui ~ ^(kiosk|drivers|common|registry|tools)/.*\.[ch]$ ~ ^SDL ~ ^(kiosk/ui/|kiosk/main\.c$|drivers/printer/escpos_(sim|render)(_main)?\.c$)
curl-only-in-net ~ ^(kiosk|drivers|common|registry|tools)/.*\.[ch]$ ~ ^curl/ ~ ^kiosk/net/
screens-are-views ~ ^kiosk/screens/ ~ ^(store|net|sync|workers|bus|remote|idcard_reader|idcard_text|ga467|printer|escpos|escpos_parse|scanner|serial|sqlite3|socket)\.h$ ~ -
app-not-screens ~ ^kiosk/(app|flows|content|workers|sync|net|store|domain|update)/ ~ ^(screens|chrome)\.h$ ~ -
drivers-know-no-kiosk ~ ^drivers/ ~ @KIOSK_HEADERS@ ~ -
domain-is-pure ~ ^(kiosk/domain/|drivers/idcard/(ga467|idcard_text)\.c$|drivers/printer/(escpos|escpos_parse)\.c$) ~ ^(unistd|fcntl|dirent|termios|pthread|sqlite3|file|serial|store|net|log|socket|stat)\.h$ ~ -
workers-below-app ~ ^kiosk/(workers|sync|net|store|content|update)/ ~ ^(app|screens|joint|checkin|progress|admin|paper)\.h$ ~ -
net-below-sync ~ ^kiosk/net/ ~ ^(store|sync|workers|app)\.h$ ~ -
RULES
}

check_tree() {
    local root=$1 bad=0 kiosk_headers
    cd "$root" || return 2
    # the headers that live in kiosk/ (drivers may include none of them)
    kiosk_headers="^($(find kiosk -name '*.h' -printf '%f\n' | sed 's/\./\\./g' | sort -u | paste -sd'|'))$"
    local files
    files=$(find kiosk drivers common registry tools -name '*.[ch]' | sort)
    # every include once: "file:line:target"
    local incs
    incs=$(grep -H -n -E '^[[:space:]]*#[[:space:]]*include' $files |
           sed -E 's/^([^:]+):([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1:\2:\3/')
    local line name scope forbid excused f ln target
    while read -r line; do
        [ -z "$line" ] && continue
        name=${line%% ~ *}; line=${line#* ~ }
        scope=${line%% ~ *}; line=${line#* ~ }
        forbid=${line%% ~ *}; excused=${line#* ~ }
        forbid=${forbid//@KIOSK_HEADERS@/$kiosk_headers}
        while IFS=: read -r f ln target; do
            [[ $f =~ $scope ]] || continue
            [ "$excused" != "-" ] && [[ $f =~ $excused ]] && continue
            if [[ $target =~ $forbid ]] || [[ ${target##*/} =~ $forbid ]]; then
                echo "layering: $f:$ln: #include $target breaks rule '$name'"
                bad=1
            fi
        done <<<"$incs"
    done < <(rules)
    # no include cycle between folders: the folder graph sorts topologically (tsort says
    # "loop" otherwise)
    local edges loops h d
    declare -A home=()
    while read -r h d; do
        [ -z "${home[$h]:-}" ] && home[$h]=$d
    done < <(find kiosk drivers common registry tools -name '*.h' -printf '%f %h\n' | sort)
    edges=$(while IFS=: read -r f h; do
        d=${home[${h##*/}]:-}
        [ -n "$d" ] && [ "$d" != "${f%/*}" ] && echo "${f%/*} $d"
    done < <(grep -H -o -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]+"' $files |
             sed -E 's/:[^"]*"([^"]+)"$/:\1/') | sort -u)
    loops=$(tsort <<<"$edges" 2>&1 >/dev/null | grep -v 'input contains a loop' || true)
    if [ -n "$loops" ]; then
        echo "layering: an include cycle between folders:"
        sed 's/^tsort: /  /' <<<"$loops"
        bad=1
    fi
    return $bad
}

if [ "${1:-}" = "--self-test" ]; then
    src=$(cd "$(dirname "$0")/../.." && pwd)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    fails=0
    fresh_copy() { # the tree's sources, anew, in $tmp/t
        rm -rf "$tmp/t" && mkdir -p "$tmp/t"
        (cd "$src" && cp -r --parents kiosk drivers common registry tools "$tmp/t/") 2>/dev/null
    }
    plant() { # plant RULE FILE LINE
        fresh_copy
        printf '%s\n' "$3" >>"$tmp/t/$2"
        out=$(check_tree "$tmp/t")
        if grep -q "$2:.*'$1'" <<<"$out"; then
            echo "ok - a planted '$3' in $2 breaks '$1'"
        else
            echo "not ok - a planted '$3' in $2 was not found by '$1'"
            fails=$((fails + 1))
        fi
    }
    plant sdl-only-in-ui kiosk/flows/checkin.c '#include <SDL.h>'
    plant curl-only-in-net kiosk/sync/sync.c '#include <curl/curl.h>'
    plant screens-are-views kiosk/screens/home.c '#include "store.h"'
    plant screens-are-views kiosk/screens/admin.c '#include "idcard_reader.h"'
    plant app-not-screens kiosk/app/app.c '#include "screens.h"'
    plant drivers-know-no-kiosk drivers/printer/printer.c '#include "app.h"'
    plant domain-is-pure kiosk/domain/rules.c '#include <unistd.h>'
    plant domain-is-pure drivers/idcard/ga467.c '#include "log.h"'
    plant workers-below-app kiosk/workers/reader.c '#include "app.h"'
    plant net-below-sync kiosk/net/net.c '#include "store.h"'
    # a cycle: sync includes workers, which includes sync
    fresh_copy
    printf '#include "workers.h"\n' >>"$tmp/t/kiosk/sync/remote.c"
    out=$(check_tree "$tmp/t")
    if grep -q "include cycle" <<<"$out"; then
        echo "ok - a planted cycle between kiosk/sync and kiosk/workers is found"
    else
        echo "not ok - a planted cycle between kiosk/sync and kiosk/workers was not found"
        fails=$((fails + 1))
    fi
    # and the tree as it is passes
    if out=$(check_tree "$src"); then
        echo "ok - the tree keeps every rule"
    else
        echo "$out"
        echo "not ok - the tree breaks a rule"
        fails=$((fails + 1))
    fi
    echo "$((12 - fails)) passed, $fails failed"
    [ "$fails" -eq 0 ]
    exit
fi

check_tree "${1:-.}"
