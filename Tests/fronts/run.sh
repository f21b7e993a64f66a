#!/usr/bin/env bash
# The fronts test (issue 11, part 1): the real asset-sidecar binary behind each front proxy's
# recipe in deploy/, each front from Debian's packages, started here as a child process with
# its own configuration, pid and log files in a temporary directory, listening on 127.0.0.1
# only (never the system service, never /etc). Through each front, with curl:
#   - a whole file, byte-exact (sha256);
#   - a single range: 206, the exact bytes and Content-Range;
#   - If-None-Match with the ETag of a 200: 304, no body;
#   - a directory without its slash: 301 with the relative `Location: docs/`, and that
#     redirect followed through the front yields the index;
#   - Accept-Encoding: gzip: the .gz sibling's bytes, Content-Encoding: gzip and
#     Vary: Accept-Encoding; without Accept-Encoding the identity bytes;
#   - a text file without a variant asked with Accept-Encoding: gzip: the identity bytes and
#     the sidecar's own ETag, then 304 for it (a front compressing on the fly fails this);
#   - If-Match with another tag: 412 (Varnish: 200, as its recipe documents); a range beyond
#     the end: 416 with Content-Range: bytes */size;
#   - several ranges: what the recipe documents for that front (206 multipart/byteranges, or
#     416 for Varnish 7.1).
# Last, the sidecar must still run and have logged no error. The recipes are used as they
# are, with only the socket path and the port replaced.
#
#   Tests/fronts/run.sh                          # every front; installs missing packages
#   FRONTS="haproxy caddy" Tests/fronts/run.sh   # some of them
#
# Environment: ASSET_SIDECAR_BIN (default: `swift build --show-bin-path`/asset-sidecar),
# FRONTS (default: nginx haproxy apache varnish caddy), FRONTS_PORT (first port, default
# 18101; one port per front), FRONTS_KEEP=1 keeps the work directory (configurations, logs),
# FRONTS_DEPLOY (default: deploy/) the recipes to test, e.g. a modified copy for a negative run.
# Output: one PASS/FAIL line per check and front, then "N passed, M failed". Exit status 0
# only when nothing failed. The whole run is bounded by `timeout` (170 s).
set -euo pipefail
export LC_ALL=C

if [ -z "${FRONTS_BOUNDED:-}" ]; then
    export FRONTS_BOUNDED=1
    exec timeout --kill-after=10s 170s "$0" "$@"
fi

repo=$(cd "$(dirname "$0")/../.." && pwd)
deploy=${FRONTS_DEPLOY:-$repo/deploy}
fronts=${FRONTS:-nginx haproxy apache varnish caddy}
first_port=${FRONTS_PORT:-18101}
# The socket path every recipe is written for (and port 80); the test replaces only these.
recipe_socket=/run/asset-sidecar/assets.sock

"$repo/scripts/ensure-packages.sh" curl nginx-light haproxy apache2 varnish caddy

if [ -z "${ASSET_SIDECAR_BIN:-}" ]; then
    if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
        PATH=$PATH:/opt/swift/usr/bin
    fi
    ASSET_SIDECAR_BIN=$(cd "$repo" && swift build --show-bin-path)/asset-sidecar
fi
[ -x "$ASSET_SIDECAR_BIN" ] || { echo "no binary at $ASSET_SIDECAR_BIN (swift build)" >&2; exit 1; }

work=$(mktemp -d /tmp/asset-sidecar-fronts.XXXXXX)
# Fronts that drop privileges (Apache's children, nginx's workers) must reach the socket.
chmod 755 "$work"
sock=$work/assets.sock
# The processes this script started and has not stopped yet.
sidecar_pid=
front_pid=

passed=0
failed=0
pass() {
    echo "PASS $1"
    passed=$((passed + 1))
}
fail() {
    echo "FAIL $1${2:+: $2}"
    failed=$((failed + 1))
}

# Stops one process this script started: SIGTERM, up to 10 s, then SIGKILL; reaps it.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

finish() {
    local rc=$? pid
    set +e
    trap - EXIT
    for pid in $front_pid $sidecar_pid; do stop_pid "$pid"; done
    if [ "${FRONTS_KEEP:-}" = 1 ]; then
        echo "kept $work" >&2
    else
        rm -rf "$work"
    fi
    [ "$rc" = 0 ] || [ "$failed" != 0 ] || fail "run.sh stopped unexpectedly" "status $rc"
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ] && [ "$rc" = 0 ] && exit 0
    exit 1
}
trap finish EXIT

# ---- the site: known bytes, a directory with an index, a stylesheet with a .gz sibling.
site=$work/site
mkdir -p "$site/media" "$site/docs"
head -c 307201 /dev/urandom >"$site/media/data.bin"
printf '<!doctype html>\n<title>docs</title>\n<p>the docs index</p>\n' >"$site/docs/index.html"
for ((i = 0; i < 200; i++)); do
    printf '.rule-%d { color: #%06x; margin: %dpx; }\n' "$i" "$((i * 4099))" "$i"
done >"$site/style.css"
gzip -9 -n -c "$site/style.css" >"$site/style.css.gz"
# Text with no precompressed sibling: a front that compresses on the fly would change it.
for ((i = 0; i < 500; i++)); do printf 'note %d: nothing is compressed on the way\n' "$i"; done \
    >"$site/notes.txt"
# Older than a second, so that every ETag is strong (a fresh file gets a weak one).
find "$site" -exec touch -d '2026-01-01 00:00:00 UTC' {} +
data_size=$(stat -c %s "$site/media/data.bin")
data_sha=$(sha256sum "$site/media/data.bin" | cut -d' ' -f1)
range_first=100000
range_last=165535
dd if="$site/media/data.bin" of="$work/expected-range" iflag=skip_bytes,count_bytes \
    skip=$range_first count=$((range_last - range_first + 1)) status=none

# ---- the sidecar, on a socket every front's user can connect to.
"$ASSET_SIDECAR_BIN" --listen "$sock" --socket-mode 0666 --root "$site" --threads 2 \
    >"$work/sidecar.log" 2>&1 &
sidecar_pid=$!
for ((i = 0; i < 100; i++)); do
    [ -S "$sock" ] && break
    kill -0 "$sidecar_pid" 2>/dev/null || break
    sleep 0.1
done
if ! [ -S "$sock" ]; then
    fail "sidecar: listening on $sock" "$(tail -n 5 "$work/sidecar.log")"
    exit 1
fi

# curl against a front, bounded; never through a proxy from the environment.
fetch() {
    timeout 20s curl -sS --noproxy '*' --max-time 15 "$@"
}

# The value of header NAME in the last response of a `curl -D` file (case-insensitive name).
header() {
    tr -d '\r' <"$1" | awk -v name="$(tr '[:upper:]' '[:lower:]' <<<"$2")" '
        /^HTTP\// { value = "" }
        { split($0, kv, ":"); if (tolower(kv[1]) == name) { sub(/^[^:]*:[ \t]*/, ""); value = $0 } }
        END { print value }'
}

# The ETag the sidecar itself gives notes.txt (a front must pass it unchanged).
timeout 20s curl -sS --max-time 15 --unix-socket "$sock" -o /dev/null -D "$work/notes.head" \
    http://localhost/notes.txt
notes_etag=$(header "$work/notes.head" ETag)

# Copies recipe $1 to $2 with the socket path and then each further "FROM=>TO" replaced;
# every pattern must occur in the recipe (so a changed recipe cannot go untested).
template() {
    local recipe=$1 out=$2 pair from to text
    shift 2
    text=$(<"$recipe")
    for pair in "$recipe_socket=>$sock" "$@"; do
        from=${pair%%=>*}
        to=${pair#*=>}
        [[ $text == *"$from"* ]] || { echo "'$from' not in $recipe" >&2; return 1; }
        text=${text//"$from"/"$to"}
    done
    printf '%s\n' "$text" >"$out"
}

# ---- how each front is configured and started, from its recipe. Each writes its files in
# directory $1, listens on 127.0.0.1:$2 and runs in the foreground (its PID is $!).
start_nginx() {
    local dir=$1 port=$2
    template "$deploy/nginx/asset-sidecar.conf" "$dir/asset-sidecar.conf" \
        "listen 80;=>listen 127.0.0.1:$port;" || return 1
    mkdir -p "$dir/logs"
    cat >"$dir/nginx.conf" <<CONF
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/asset-sidecar.conf;
}
CONF
    nginx -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf" >"$dir/front.log" 2>&1 &
}

start_haproxy() {
    local dir=$1 port=$2
    template "$deploy/haproxy/asset-sidecar.cfg" "$dir/asset-sidecar.cfg" \
        "bind :80=>bind 127.0.0.1:$port" || return 1
    # Debian's haproxy.cfg has a global section (chroot, user, log); this one keeps the
    # process as it is and logs to its stderr.
    printf 'global\n    log stderr format raw local0\n' >"$dir/global.cfg"
    haproxy -db -p "$dir/haproxy.pid" -f "$dir/global.cfg" -f "$dir/asset-sidecar.cfg" \
        >"$dir/front.log" 2>&1 &
}

start_apache() {
    local dir=$1 port=$2 modules=/usr/lib/apache2/modules
    template "$deploy/apache/asset-sidecar.conf" "$dir/asset-sidecar.conf" \
        "<VirtualHost *:80>=><VirtualHost *:$port>" || return 1
    # A private ServerRoot with the modules Debian enables that matter here: mod_proxy,
    # mod_proxy_http, and mod_deflate with Debian's own deflate.conf lines (the recipe must
    # keep it off its responses).
    cat >"$dir/httpd.conf" <<CONF
ServerRoot "$dir"
DefaultRuntimeDir "$dir"
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error.log"
LogLevel warn
ServerName localhost
User www-data
Group www-data
Listen 127.0.0.1:$port
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule filter_module $modules/mod_filter.so
LoadModule deflate_module $modules/mod_deflate.so
LoadModule env_module $modules/mod_env.so
LoadModule proxy_module $modules/mod_proxy.so
LoadModule proxy_http_module $modules/mod_proxy_http.so
Include /etc/apache2/mods-available/deflate.conf
Include "$dir/asset-sidecar.conf"
CONF
    apache2 -f "$dir/httpd.conf" -DFOREGROUND >"$dir/front.log" 2>&1 &
}

start_varnish() {
    local dir=$1 port=$2
    template "$deploy/varnish/asset-sidecar.vcl" "$dir/asset-sidecar.vcl" || return 1
    # -j none: no privilege separation, so no jail user is needed (the socket is 0666 anyway);
    # -T none: no management port.
    varnishd -F -j none -T none -n "$dir/varnish" -a "127.0.0.1:$port" \
        -f "$dir/asset-sidecar.vcl" -s malloc,64m -P "$dir/varnishd.pid" \
        >"$dir/front.log" 2>&1 &
}

start_caddy() {
    local dir=$1 port=$2
    template "$deploy/caddy/Caddyfile" "$dir/site.Caddyfile" ":80 {=>:$port {" || return 1
    # Global options for the test only: no admin endpoint, no certificates, 127.0.0.1.
    cat >"$dir/Caddyfile" <<CONF
{
    admin off
    auto_https off
    default_bind 127.0.0.1
    storage file_system $dir/data
}
import $dir/site.Caddyfile
CONF
    HOME=$dir XDG_DATA_HOME=$dir/data XDG_CONFIG_HOME=$dir/config \
        caddy run --config "$dir/Caddyfile" --adapter caddyfile --pidfile "$dir/caddy.pid" \
        >"$dir/front.log" 2>&1 &
}

# ---- the checks. Each runs against the front at $url, keeps its responses in $dir (TAG.head,
# TAG.body), sets `label` (what the PASS/FAIL line says) and, when it fails, `detail`.

# GET through the front; the head goes to $dir/$1.head, the body to $dir/$1.body. Prints the
# status code (000 when curl got no response).
get() {
    local tag=$1
    shift
    fetch -o "$dir/$tag.body" -D "$dir/$tag.head" -w '%{http_code}' "$@" "$url$path" || true
}

# Does the response in $dir/$1.head carry Vary with Accept-Encoding?
varies_on_encoding() {
    grep -qi '^vary:.*accept-encoding' "$dir/$1.head"
}

check_whole() {
    local code sha
    label="whole file ($data_size bytes) byte-exact"
    path=/media/data.bin
    code=$(get whole)
    sha=$(sha256sum <"$dir/whole.body" | cut -d' ' -f1)
    detail="status $code, $(wc -c <"$dir/whole.body") bytes"
    [ "$code" = 200 ] && [ "$sha" = "$data_sha" ]
}

# GET $path with `Range: bytes=$2` (tag $1): is the status $3 and Content-Range $4?
ranged() {
    local code
    code=$(get "$1" -H "Range: bytes=$2")
    detail="status $code, Content-Range '$(header "$dir/$1.head" Content-Range)'"
    [ "$code" = "$3" ] && [ "$(header "$dir/$1.head" Content-Range)" = "$4" ]
}

check_range() {
    local want="bytes $range_first-$range_last/$data_size"
    label="single range: 206, $want, exact bytes"
    path=/media/data.bin
    ranged range "$range_first-$range_last" 206 "$want" &&
        cmp -s "$dir/range.body" "$work/expected-range"
}

# Uses the ETag of check_whole's 200.
check_revalidate() {
    local code etag
    etag=$(header "$dir/whole.head" ETag)
    label="If-None-Match: $etag (from the 200): 304 with that ETag, no body"
    path=/media/data.bin
    code=$(get inm -H "If-None-Match: $etag")
    detail="status $code, ETag '$(header "$dir/inm.head" ETag)'"
    [ -n "$etag" ] && [ "$code" = 304 ] && ! [ -s "$dir/inm.body" ] &&
        [ "$(header "$dir/inm.head" ETag)" = "$etag" ]
}

check_redirect() {
    local code location
    label="/docs: 301 Location: docs/, followed: the index"
    path=/docs
    code=$(get redirect)
    location=$(header "$dir/redirect.head" Location)
    detail="status $code, Location '$location'"
    [ "$code" = 301 ] && [ "$location" = docs/ ] || return 1
    code=$(fetch -L --max-redirs 2 -o "$dir/index.body" -w '%{http_code} %{url_effective}' \
        "$url/docs" || true)
    detail="followed: $code"
    [ "$code" = "200 $url/docs/" ] && cmp -s "$dir/index.body" "$site/docs/index.html"
}

check_gzip() {
    local code coding
    label="Accept-Encoding: gzip: the .gz bytes, Content-Encoding: gzip, Vary"
    path=/style.css
    code=$(get gzip -H 'Accept-Encoding: gzip')
    coding=$(header "$dir/gzip.head" Content-Encoding)
    detail="status $code, Content-Encoding '$coding', Vary '$(header "$dir/gzip.head" Vary)'"
    [ "$code" = 200 ] && [ "$coding" = gzip ] && varies_on_encoding gzip &&
        cmp -s "$dir/gzip.body" "$site/style.css.gz"
}

check_identity() {
    local code coding
    label="no Accept-Encoding: the identity bytes, Vary"
    path=/style.css
    code=$(get identity)
    coding=$(header "$dir/identity.head" Content-Encoding)
    detail="status $code, Content-Encoding '$coding', Vary '$(header "$dir/identity.head" Vary)'"
    [ "$code" = 200 ] && [ -z "$coding" ] && varies_on_encoding identity &&
        cmp -s "$dir/identity.body" "$site/style.css"
}

# A front that compresses on the fly changes the bytes and the ETag, and then no longer gets
# a 304 for its own ETag.
check_no_variant() {
    local code coding etag
    label="no variant, Accept-Encoding: gzip: identity bytes, the sidecar's ETag, then 304"
    path=/notes.txt
    code=$(get plain -H 'Accept-Encoding: gzip')
    coding=$(header "$dir/plain.head" Content-Encoding)
    etag=$(header "$dir/plain.head" ETag)
    detail="status $code, Content-Encoding '$coding', ETag '$etag' (sidecar: $notes_etag)"
    [ "$code" = 200 ] && [ -z "$coding" ] && [ "$etag" = "$notes_etag" ] &&
        cmp -s "$dir/plain.body" "$site/notes.txt" || return 1
    code=$(get plain-inm -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag")
    detail="If-None-Match: $etag: status $code"
    [ "$code" = 304 ]
}

# What the recipe documents: 412, or 200 from Varnish's cache (it ignores If-Match).
check_precondition() {
    local code want=412
    [ "$front" = varnish ] && want=200
    label="If-Match: \"other\": $want"
    [ "$want" = 200 ] && label="$label (the front's documented limit)"
    path=/media/data.bin
    code=$(get if-match -H 'If-Match: "other"')
    detail="status $code"
    [ "$code" = "$want" ]
}

check_unsatisfiable() {
    local want="bytes */$data_size"
    label="range beyond the end: 416, Content-Range: $want"
    path=/media/data.bin
    ranged unsatisfiable "$data_size-" 416 "$want"
}

# What the recipe documents: 206 multipart/byteranges with both parts, or 416 (Varnish 7.1).
check_multirange() {
    local code ctype parts want=206
    [ "$front" = varnish ] && want=416
    path=/media/data.bin
    code=$(get multi -H 'Range: bytes=0-99,200000-200099')
    ctype=$(header "$dir/multi.head" Content-Type)
    detail="status $code, Content-Type '$ctype'"
    if [ "$want" = 416 ]; then
        label="two ranges: 416 (the front's documented limit)"
        [ "$code" = 416 ]
    else
        label="two ranges: 206 multipart/byteranges with both parts"
        parts=$(grep -c $'^Content-Range: bytes [0-9]*-[0-9]*/'"$data_size"$'\r$' \
            "$dir/multi.body" || true)
        [ "$code" = 206 ] && [[ $ctype == multipart/byteranges\;* ]] && [ "$parts" = 2 ]
    fi
}

checks=(whole range revalidate redirect gzip identity no_variant precondition unsatisfiable
    multirange)

# Is port $1 answered by anything (before its front starts, it must not be)?
answers() {
    [ "$(timeout 3s curl -s --noproxy '*' --max-time 2 -o /dev/null -w '%{http_code}' \
        "http://127.0.0.1:$1/" || true)" != 000 ]
}

# Waits (bounded) until something answers on port $1, while process $2 lives.
wait_http() {
    local port=$1 pid=$2 i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        answers "$port" && return 0
        sleep 0.1
    done
    return 1
}

port=$first_port
for front in $fronts; do
    dir=$work/$front
    mkdir -p "$dir"
    url=http://127.0.0.1:$port
    if answers "$port"; then
        fail "$front: port $port is free" "something already answers there"
    elif ! "start_$front" "$dir" "$port"; then
        fail "$front: configured from its recipe"
    else
        front_pid=$!
        if wait_http "$port" "$front_pid"; then
            for check in "${checks[@]}"; do
                label=$check
                detail=
                if "check_$check"; then
                    pass "$front: $label"
                else
                    fail "$front: $label" "$detail"
                fi
            done
        else
            fail "$front: started on $url" \
                "$(tail -n 8 "$dir/front.log" "$dir"/*error.log 2>/dev/null)"
        fi
        stop_pid "$front_pid"
        front_pid=
    fi
    port=$((port + 1))
done

# The sidecar served every front without crashing or logging an error (priority 3 or more
# severe: <0> to <3>).
if kill -0 "$sidecar_pid" 2>/dev/null && ! grep -q '^<[0-3]>' "$work/sidecar.log"; then
    pass "sidecar: still running, no error logged"
else
    fail "sidecar: still running, no error logged" \
        "$(grep '^<[0-3]>' "$work/sidecar.log" | head -n 3)"
fi
