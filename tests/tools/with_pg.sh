#!/usr/bin/env bash
# with_pg.sh COMMAND [ARGS...]: runs COMMAND with a throwaway PostgreSQL of its own, named by
# RSTORE_PG ("host=127.0.0.1 port=N user=kiosk": add dbname=...): initdb into a new folder
# under /tmp, pg_ctl on a free loopback port (tried again on another when taken), as an
# unprivileged user (nobody, when run as root: PostgreSQL refuses root), without fsync (a
# test's data need not outlive a crash; PG_DURABLE=1 keeps fsync and synchronous commits on,
# as a benchmark needs); stopped and removed afterwards, whatever COMMAND did.
# Its exit status is COMMAND's.
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "with_pg: no PostgreSQL server (packaging/debian-packages.txt: postgresql)" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-pg-XXXXXX")
as=()
if [ "$(id -u)" = 0 ]; then
    chown nobody "$dir"
    as=(runuser -u nobody --)
fi
stop() {
    "${as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
"${as[@]}" "$pgbin/initdb" -D "$dir/data" -U kiosk --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 2; }
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ -z "${PG_DURABLE:-}" ] || durability=""
up=
for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 30000))
    if "${as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=200" \
        start >/dev/null 2>&1; then
        up=1
        break
    fi
done
[ -n "$up" ] || { echo "with_pg: PostgreSQL did not start" >&2; tail -20 "$dir/server.log" >&2; exit 2; }
export RSTORE_PG="host=127.0.0.1 port=$port user=kiosk"
set +e
"$@"
rc=$?
set -e
exit $rc
