#!/usr/bin/env bash
# Static checks of deploy/ (SPEC §8.2), in a temporary directory, in well under a second:
#   1. systemd-analyze verify on the socket units (the assets socket and the optional metrics
#      socket) and the service unit: ANY output is a failure
#      (verify exits 0 on "…, ignoring" problems such as misspelled keys or bad values);
#   2. systemd-analyze security --offline: overall exposure at most SECURITY_THRESHOLD/10;
#   3. nginx -t on a generated main configuration that includes deploy/nginx/asset-sidecar.conf
#      (with its listen directive moved to a Unix socket: nginx -t binds what it tests).
# Needs systemd (systemd-analyze) and nginx; neither needs to be running.
set -euo pipefail

deploy=$(cd "$(dirname "$0")" && pwd)
threshold=${SECURITY_THRESHOLD:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/asset-sidecar-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() {
    echo "deploy/check.sh: FAIL: $*" >&2
    exit 1
}

for tool in systemd-analyze nginx; do
    command -v "$tool" >/dev/null || fail "$tool not found"
done

# A root tree for systemd-analyze: the distribution's units, ours, and a stub for every
# program an Exec*= line names (verify fails when an ExecStart binary is missing).
root=$work/root
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
units=(asset-sidecar.socket asset-sidecar-metrics.socket asset-sidecar.service)
for unit in "${units[@]}"; do cp "$deploy/$unit" "$root/etc/systemd/system/"; done
sed -n 's/^Exec[A-Za-z]*=[-@:+!|]*\([^ ]*\).*/\1/p' "$deploy/asset-sidecar.service" |
    while read -r program; do
        [ -e "$root$program" ] && continue
        mkdir -p "$root$(dirname "$program")"
        printf '#!/bin/sh\nexit 0\n' > "$root$program"
        chmod 755 "$root$program"
    done

verify=$(systemd-analyze verify --root="$root" --man=no "${units[@]}" 2>&1) ||
    fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify printed:"$'\n'"$verify"
echo "ok: systemd-analyze verify ${units[*]} (no output)"

security=$(systemd-analyze security --offline=true --root="$root" --threshold="$threshold" \
    asset-sidecar.service 2>&1) ||
    fail "systemd-analyze security above $threshold/10:"$'\n'"$(grep -E '✗|Overall' <<<"$security")"
echo "ok: systemd-analyze security: $(grep 'Overall exposure level' <<<"$security")"

# nginx -t with everything (pid, logs, temp paths) inside the temporary prefix. nginx -t binds
# the listen sockets it tests, so the copy under test listens on a Unix socket instead of port 80.
mkdir -p "$work/nginx/logs"
sed -E "s|^([[:space:]]*)listen[[:space:]]+[^;]*;|\1listen unix:$work/nginx/check.sock;|" \
    "$deploy/nginx/asset-sidecar.conf" >"$work/nginx/asset-sidecar.conf"
if grep -E '^[[:space:]]*listen[[:space:]]' "$work/nginx/asset-sidecar.conf" |
    grep -qv 'unix:'; then
    fail "a listen directive in deploy/nginx/asset-sidecar.conf was not redirected to a Unix socket"
fi
cat > "$work/nginx/nginx.conf" <<CONF
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $work/nginx/asset-sidecar.conf;
}
CONF
nginx_out=$(nginx -t -q -p "$work/nginx" -e "$work/nginx/logs/error.log" \
    -c "$work/nginx/nginx.conf" 2>&1) || fail "nginx -t:"$'\n'"$nginx_out"
echo "ok: nginx -t with deploy/nginx/asset-sidecar.conf included"
