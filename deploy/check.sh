#!/usr/bin/env bash
# Static checks of deploy/ (behaviour §8.2), in a temporary directory, in about a second:
#   1. systemd-analyze verify on the socket units (the assets socket and the optional metrics
#      socket) and the service unit: ANY output is a failure
#      (verify exits 0 on "…, ignoring" problems such as misspelled keys or bad values);
#   2. systemd-analyze security --offline: overall exposure at most SECURITY_THRESHOLD/10;
#   3. nginx -t on a generated main configuration that includes deploy/nginx/asset-sidecar.conf
#      (with its listen directive moved to a Unix socket: nginx -t binds what it tests);
#   4. the other fronts' recipes: `haproxy -c` (no warning either), `apache2 -t` on a private
#      main configuration that loads mod_proxy and includes the recipe, `varnishd -C` (compiles
#      the VCL), `caddy validate` and `caddy fmt` (the Caddyfile is formatted as caddy would).
#      Tests/fronts/run.sh runs each of them for real.
# Needs systemd (systemd-analyze), nginx, haproxy, apache2, varnish and caddy; none needs to be
# running, and none is started.
set -euo pipefail

deploy=$(cd "$(dirname "$0")" && pwd)
threshold=${SECURITY_THRESHOLD:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/asset-sidecar-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() {
    echo "deploy/check.sh: FAIL: $*" >&2
    exit 1
}

for tool in systemd-analyze nginx haproxy apache2 varnishd caddy; do
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

# HAProxy: the recipe after a global section with a log target (Debian's haproxy.cfg has one).
mkdir -p "$work/haproxy"
printf 'global\n    log stderr format raw local0\n' >"$work/haproxy/global.cfg"
haproxy_out=$(haproxy -c -f "$work/haproxy/global.cfg" -f "$deploy/haproxy/asset-sidecar.cfg" 2>&1) ||
    fail "haproxy -c:"$'\n'"$haproxy_out"
if grep -E '\[(WARNING|ALERT)\]' <<<"$haproxy_out"; then
    fail "haproxy -c warned about deploy/haproxy/asset-sidecar.cfg"
fi
echo "ok: haproxy -c -f deploy/haproxy/asset-sidecar.cfg (no warning)"

# Apache: a private ServerRoot whose main configuration loads what the recipe needs (on Debian,
# a2enmod proxy proxy_http; mod_env is enabled by default) and includes it. apache2 -t binds
# nothing.
modules=/usr/lib/apache2/modules
mkdir -p "$work/apache"
cat >"$work/apache/httpd.conf" <<CONF
ServerRoot "$work/apache"
DefaultRuntimeDir "$work/apache"
PidFile "$work/apache/httpd.pid"
ErrorLog "$work/apache/error.log"
ServerName localhost
Listen 80
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule env_module $modules/mod_env.so
LoadModule proxy_module $modules/mod_proxy.so
LoadModule proxy_http_module $modules/mod_proxy_http.so
Include "$deploy/apache/asset-sidecar.conf"
CONF
apache_out=$(apache2 -t -f "$work/apache/httpd.conf" 2>&1) || fail "apache2 -t:"$'\n'"$apache_out"
[ "$apache_out" = "Syntax OK" ] || fail "apache2 -t printed:"$'\n'"$apache_out"
echo "ok: apache2 -t with deploy/apache/asset-sidecar.conf included"

# Varnish: compile the VCL (the backend socket need not exist; VCC only notes it).
varnish_out=$(varnishd -C -n "$work/varnish" -f "$deploy/varnish/asset-sidecar.vcl" 2>&1 >/dev/null) ||
    fail "varnishd -C:"$'\n'"$varnish_out"
echo "ok: varnishd -C -f deploy/varnish/asset-sidecar.vcl"

# Caddy: adapt and provision the Caddyfile (nothing is bound), and its formatting.
caddy_out=$(HOME=$work/caddy XDG_DATA_HOME=$work/caddy/data XDG_CONFIG_HOME=$work/caddy/config \
    caddy validate --config "$deploy/caddy/Caddyfile" --adapter caddyfile 2>&1) ||
    fail "caddy validate:"$'\n'"$caddy_out"
caddy fmt "$deploy/caddy/Caddyfile" | cmp -s - "$deploy/caddy/Caddyfile" ||
    fail "deploy/caddy/Caddyfile is not formatted (caddy fmt --overwrite deploy/caddy/Caddyfile)"
echo "ok: caddy validate and caddy fmt on deploy/caddy/Caddyfile"
