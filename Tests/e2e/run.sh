#!/usr/bin/env bash
# The real-systemd end-to-end test (behaviour §1, §7, §8): boots systemd in a systemd-nspawn
# container, installs deploy/'s units and nginx snippet as they are, starts only the sockets
# (and nginx), and checks through nginx and the sockets what only a real service manager
# shows: lazy activation, readiness, the sandbox, the watchdog, exit-on-idle with
# re-activation, the metrics socket and `systemd-analyze security`.
#
#   SIDECAR_BIN=/path/to/asset-sidecar Tests/e2e/run.sh      # needs root and systemd-nspawn
#
# Build the binary with `swift build -c release --static-swift-stdlib` (scripts/test.sh does).
# Environment:
#   SIDECAR_BIN     the binary (default: .build/release/asset-sidecar)
#   E2E_MODE        host (default): `systemd-nspawn -D / --volatile=yes`, the container is a
#                   tmpfs root with this machine's /usr read-only; nothing is downloaded
#                   (about 25 s on an idle 2-core machine, most of it the watchdog and idle
#                   cases; up to a minute under load).
#                   debootstrap: a minimal bookworm rootfs, built once with debootstrap
#                   (about 2 minutes, network) and cached in E2E_CACHE, booted with
#                   --volatile=overlay so the cache stays pristine (about 25 s once cached).
#   E2E_CACHE       cache directory for the debootstrap rootfs (default /var/cache/asset-sidecar-e2e)
#   E2E_MIRROR      Debian mirror for debootstrap (default: the first URI in apt's sources)
#   E2E_TIMEOUT     seconds for the container run, boot to power-off (default 150)
#   E2E_KEEP=1      keep the work directory (console log, journal, results) for inspection
#   E2E_DEPLOY      the directory with the units and nginx/ to test (default: deploy/), e.g. a
#                   modified copy for a negative run
#
# Containment (Tests/e2e, see the systemd-testing notes): a systemd manager started in the
# host's root cgroup takes over every process on the machine. So the container runs in its own
# cgroup subtree (name=systemd and cgroup2 only; nspawn gives it a cgroup namespace rooted
# there), in a private mount namespace with a tmpfs /run (nspawn's propagation directories
# stay out of the host's /run), with a private network (only lo inside). The trap kills what
# is left in that subtree, by PID, and removes it. Every command is bounded by `timeout`.
#
# Output: one PASS/FAIL line per check (details indented), then "N passed, M failed" as the
# last line. Exit status 0 only when nothing failed.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
deploy=${E2E_DEPLOY:-$repo/deploy}
mode=${E2E_MODE:-host}
bin=${SIDECAR_BIN:-$repo/.build/release/asset-sidecar}
cache=${E2E_CACHE:-/var/cache/asset-sidecar-e2e}
run_timeout=${E2E_TIMEOUT:-150}
watchdog_sec=3
started=$(date +%s%N)

passed=0
failed=0
host_results=()
host_pass() { host_results+=("PASS $1"); }
host_fail() { host_results+=("FAIL $1${2:+: $2}"); }

work=
cg_name=asset-e2e-$$
cg_roots=()
finish() {
    local rc=$?
    set +e
    trap - EXIT INT TERM ERR
    if [ "$rc" != 0 ] && ! printf '%s\n' "${host_results[@]}" | grep -q '^FAIL'; then
        host_fail "run.sh stopped unexpectedly" "status $rc after line ${err_line:-?}"
    fi
    cleanup
    if [ -n "$work" ] && [ -s "$work/e2e/out/result.txt" ]; then
        cat "$work/e2e/out/result.txt" | grep -v '^DONE$'
    fi
    local line
    for line in "${host_results[@]}"; do echo "$line"; done
    if [ -n "$work" ]; then
        passed=$(grep -c '^PASS ' "$work/e2e/out/result.txt" 2>/dev/null)
        failed=$(grep -c '^FAIL ' "$work/e2e/out/result.txt" 2>/dev/null)
    fi
    for line in "${host_results[@]}"; do
        case $line in PASS*) passed=$((passed + 1)) ;; FAIL*) failed=$((failed + 1)) ;; esac
    done
    if [ "$failed" != 0 ] && [ -n "$work" ] && [ -s "$work/console.log" ]; then
        echo "---- last lines of the container console ($work/console.log):"
        tail -n 25 "$work/console.log"
    fi
    if [ -n "$work" ]; then
        if [ "${E2E_KEEP:-0}" = 1 ] || { [ "$failed" != 0 ] && [ -n "${CI:-}" ]; }; then
            echo "work directory kept: $work"
        else
            rm -rf "$work"
        fi
    fi
    echo "wall time $((($(date +%s%N) - started) / 1000000)) ms (mode $mode)"
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ] && [ "$rc" = 0 ] && exit 0
    exit 1
}
err_line=
trap 'err_line=$LINENO' ERR
trap finish EXIT
container=
on_signal() {
    host_fail "interrupted"
    # nspawn powers the container off on SIGTERM; whatever is left after 5 s is killed below.
    if [ -n "$container" ]; then
        kill -TERM "$container" 2>/dev/null
        for ((i = 0; i < 50; i++)); do kill -0 "$container" 2>/dev/null || break; sleep 0.1; done
    fi
    exit 1
}
trap on_signal INT TERM

die() { host_fail "$1" "${2:-}"; exit 1; }

# ---- preconditions ------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "run as root" "systemd-nspawn needs root"
for tool in systemd-nspawn unshare timeout findmnt; do
    command -v $tool >/dev/null || die "$tool installed" "apt-get install systemd-container util-linux"
done
[ -x "$bin" ] || die "sidecar binary" "SIDECAR_BIN=$bin is not an executable"
case $mode in host | debootstrap) ;; *) die "E2E_MODE" "'$mode' is neither host nor debootstrap" ;; esac

# The cgroup hierarchies the container's manager may write to: name=systemd and cgroup2 on
# a hybrid or legacy host, the one cgroup2 tree on a unified host.
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    cg_roots=(/sys/fs/cgroup)
else
    [ -d /sys/fs/cgroup/systemd ] && cg_roots+=(/sys/fs/cgroup/systemd)
    [ -d /sys/fs/cgroup/unified ] && cg_roots+=(/sys/fs/cgroup/unified)
fi
[ ${#cg_roots[@]} -gt 0 ] || die "cgroup hierarchies" "neither name=systemd nor cgroup2 is mounted"

# Processes left in a subtree are ours (this run, or a killed earlier run of this script):
# SIGKILL them by PID, then remove the subtree bottom-up. Bounded.
remove_cgroup() {
    local dir=$1 i pids
    [ -d "$dir" ] || return 0
    for ((i = 0; i < 50; i++)); do
        pids=$(find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)
        [ -z "$pids" ] && break
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null
        sleep 0.1
    done
    find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
    [ ! -d "$dir" ]
}
cleanup() {
    local root ok=yes
    for root in "${cg_roots[@]}"; do
        remove_cgroup "$root/$cg_name" || ok=no
    done
    if [ -n "${cgroups_before:-}" ]; then
        local leaked
        leaked=$(comm -13 <(echo "$cgroups_before") <(list_cgroups) |
            grep -E "asset-e2e|\.slice|\.scope|/payload|/supervisor" || true)
        if [ "$ok" = yes ] && [ -z "$leaked" ]; then
            host_pass "cleanup: container cgroup subtree removed, no cgroup created elsewhere"
        else
            host_fail "cleanup: cgroups" "left: ${leaked:-$cg_name}"
        fi
    fi
    if [ -n "${mounts_before:-}" ]; then
        local new
        new=$(comm -13 <(echo "$mounts_before") <(list_mounts) || true)
        if [ -z "$new" ]; then
            host_pass "cleanup: no mount left on the host"
        else
            host_fail "cleanup: no mount left on the host" "$(tr '\n' ' ' <<<"$new")"
        fi
    fi
}
list_cgroups() { find /sys/fs/cgroup -mindepth 1 -type d 2>/dev/null | sort; }
list_mounts() { findmnt -rn -o TARGET | sort; }

# Earlier runs that were killed hard may have left empty subtrees.
for root in "${cg_roots[@]}"; do
    for dir in "$root"/asset-e2e-*; do
        [ -d "$dir" ] || continue
        owner=${dir##*-}
        kill -0 "$owner" 2>/dev/null || remove_cgroup "$dir" || true
    done
done

# ---- the debootstrap rootfs (E2E_MODE=debootstrap), cached ------------------------------
rootfs=/
if [ "$mode" = debootstrap ]; then
    command -v debootstrap >/dev/null || die "debootstrap installed" "apt-get install debootstrap"
    rootfs=$cache/bookworm-rootfs
    if [ ! -e "$rootfs/.complete" ]; then
        mirror=${E2E_MIRROR:-$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
        mirror=${mirror:-http://deb.debian.org/debian}
        echo "building the bookworm rootfs in $rootfs from $mirror (once; about 2 minutes)" >&2
        mkdir -p "$cache"
        rm -rf "$rootfs.tmp"
        if ! timeout 900 debootstrap --variant=minbase \
            --include=systemd,systemd-sysv,dbus,nginx-light,curl,libstdc++6 \
            bookworm "$rootfs.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1; then
            rm -rf "$rootfs.tmp"
            die "debootstrap bookworm rootfs" "see $cache/debootstrap.log"
        fi
        timeout 60 chroot "$rootfs.tmp" apt-get clean >/dev/null 2>&1 || true
        # No service may start itself in the image: policy-rc.d stays out, nothing is enabled.
        touch "$rootfs.tmp/.complete"
        rm -rf "$rootfs"
        mv "$rootfs.tmp" "$rootfs"
    fi
fi

# ---- the work tree: units, nginx, assets, binary -----------------------------------------
work=$(mktemp -d "${E2E_WORKDIR:-/var/tmp}/asset-sidecar-e2e.XXXXXX")
chmod 755 "$work"
mkdir -p "$work/units/asset-sidecar.service.d" "$work/nginx/conf.d" "$work/e2e/bin" \
    "$work/e2e/out" "$work/srv/assets/media"
# Outside the sandbox's hidden paths (/tmp, /home): the container sees it at /e2e/bin.
install -m 755 "$bin" "$work/e2e/bin/asset-sidecar"
install -m 644 "$here/inside.sh" "$here/probe.pl" "$work/e2e/"

# The deploy units, unchanged.
for unit in asset-sidecar.socket asset-sidecar-metrics.socket asset-sidecar.service; do
    [ -f "$deploy/$unit" ] || die "deploy/$unit exists"
    install -m 644 "$deploy/$unit" "$work/units/"
done
# The test drop-in adjusts paths and the watchdog only; the idle drop-in adds --exit-idle-after.
exec_line=$(sed -n 's/^ExecStart=//p' "$deploy/asset-sidecar.service" | head -1)
program=${exec_line%% *}
exec_args=${exec_line#"$program"}
cat >"$work/units/asset-sidecar.service.d/e2e.conf" <<EOF
# e2e test drop-in: the binary is bound at /e2e/bin; a short watchdog for the hang test.
[Service]
ExecStart=
ExecStart=/e2e/bin/asset-sidecar$exec_args
WatchdogSec=${watchdog_sec}s
EOF
cat >"$work/e2e/idle.conf" <<EOF
# e2e test drop-in (runtime), for the exit-on-idle case only.
[Service]
ExecStart=
ExecStart=/e2e/bin/asset-sidecar$exec_args --exit-idle-after 1s
EOF
# The sandbox probe: the deploy service's sections with the probe as ExecStart.
awk '
    /^\[Install\]/ { skip = 1; next }
    /^\[/ { skip = 0 }
    skip { next }
    /^(Description|Requires|After)=/ { next }
    /^(ExecStart|ExecReload|WatchdogSec|Restart|RestartPreventExitStatus|TimeoutStopSec)=/ { next }
    /^Type=/ { print "Type=oneshot"; next }
    { print }
    /^\[Unit\]/ { print "Description=e2e sandbox probe with the hardening of asset-sidecar.service" }
    /^\[Service\]/ {
        print "ExecStart=/usr/bin/perl /e2e/probe.pl"
        print "StandardOutput=truncate:/e2e/out/probe.txt"
    }
' "$deploy/asset-sidecar.service" >"$work/units/e2e-probe.service"
cat >"$work/units/e2e-checks.service" <<EOF
[Unit]
Description=asset-sidecar end-to-end checks
Wants=asset-sidecar.socket asset-sidecar-metrics.socket nginx.service
After=asset-sidecar.socket asset-sidecar-metrics.socket nginx.service
# The manager exits (and the container with it) when the checks are done.
SuccessAction=exit-force
FailureAction=exit-force

[Service]
Type=oneshot
ExecStart=/bin/bash /e2e/inside.sh
StandardOutput=append:/e2e/out/inside.log
StandardError=inherit
TimeoutStartSec=$((run_timeout * 9 / 10))s
EOF
cat >"$work/units/asset-e2e.target" <<EOF
[Unit]
Description=asset-sidecar end-to-end test
Requires=basic.target
After=basic.target
Wants=e2e-checks.service
EOF

# nginx: the deploy snippet unchanged (listen 80, upstream keepalive), plus a test server
# without upstream keepalive for the exit-on-idle case.
cat >"$work/nginx/nginx.conf" <<'EOF'
user www-data;
worker_processes 2;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log notice;
events { worker_connections 512; }
http {
    access_log /var/log/nginx/access.log;
    include /etc/nginx/conf.d/*.conf;
}
EOF
install -m 644 "$deploy/nginx/asset-sidecar.conf" "$work/nginx/conf.d/"
cat >"$work/nginx/conf.d/e2e-no-keepalive.conf" <<'EOF'
# e2e only: a plain upstream (Connection: close), so the sidecar sees no idle connection.
server {
    listen 127.0.0.1:8081;
    location / {
        proxy_pass http://unix:/run/asset-sidecar/assets.sock;
        proxy_http_version 1.1;
    }
}
EOF

# Assets: a page and a 1 MiB file of 64-byte lines, each starting with its byte offset.
cat >"$work/srv/assets/index.html" <<'EOF'
<!doctype html><title>asset-sidecar e2e</title><p>served by asset-sidecar through nginx</p>
EOF
awk 'BEGIN { for (i = 0; i < 16384; i++) printf "%08d %-54s\n", i * 64, "asset-sidecar e2e" }' \
    >"$work/srv/assets/media/sample.bin"
chmod -R a+rX "$work/srv" "$work/e2e"

# ---- boot -------------------------------------------------------------------------------
nspawn=(systemd-nspawn --quiet --machine=asset-e2e --register=no --keep-unit
    --private-network --console=pipe --link-journal=no
    --bind-ro="$work/units:/etc/systemd/system"
    --bind-ro="$work/nginx:/etc/nginx"
    --tmpfs=/var/log/nginx --tmpfs=/var/lib/nginx
    --bind="$work/e2e:/e2e"
    --bind="$work/srv/assets:/srv/assets")
if [ "$mode" = host ]; then
    # An empty tmpfs root with the host's /usr read-only; /etc gets only what is needed.
    nspawn+=(-D / --volatile=yes)
    for file in /etc/passwd /etc/group /etc/nsswitch.conf /etc/os-release /etc/alternatives \
        /etc/ld.so.cache; do
        [ -e "$file" ] && nspawn+=(--bind-ro="$(readlink -f "$file"):$file")
    done
else
    nspawn+=(-D "$rootfs" --volatile=overlay)
fi
nspawn+=(-b systemd.unit=asset-e2e.target systemd.show_status=no)

cgroups_before=$(list_cgroups)
mounts_before=$(list_mounts)
for root in "${cg_roots[@]}"; do
    mkdir "$root/$cg_name"
done
boot_start=$(date +%s%N)
rc=0
# In the background, so that a signal to this script is handled at once (bash runs traps
# only between foreground commands, but `wait` is interruptible).
(
    for root in "${cg_roots[@]}"; do echo $BASHPID >"$root/$cg_name/cgroup.procs"; done
    exec timeout --kill-after=10 "$run_timeout" \
        unshare --mount --propagation private -- /bin/sh -c \
        'mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run && exec "$@"' sh "${nspawn[@]}"
) </dev/null >"$work/console.log" 2>&1 &
container=$!
wait "$container" || rc=$?
container=
boot_ms=$((($(date +%s%N) - boot_start) / 1000000))

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    host_fail "container finished within ${run_timeout}s" "timed out (exit $rc)"
elif ! grep -qx DONE "$work/e2e/out/result.txt" 2>/dev/null; then
    host_fail "container ran every check" "exit $rc, the checks did not finish"
else
    host_pass "container booted, ran every check and powered off (exit $rc, ${boot_ms} ms)"
fi
