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

# Containment, PASS/FAIL bookkeeping, the traps, the preconditions: Tests/e2e/container.sh.
# shellcheck source=Tests/e2e/container.sh
. "$here/container.sh"
[ -x "$bin" ] || die "sidecar binary" "SIDECAR_BIN=$bin is not an executable"
case $mode in host | debootstrap) ;; *) die "E2E_MODE" "'$mode' is neither host nor debootstrap" ;; esac

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
e2e_checks_units "$work/units" inside.sh "asset-sidecar end-to-end checks" \
    "Wants=asset-sidecar.socket asset-sidecar-metrics.socket nginx.service" \
    "After=asset-sidecar.socket asset-sidecar-metrics.socket nginx.service"

# nginx: the deploy snippet unchanged (listen 80, upstream keepalive), plus a test server
# without upstream keepalive for the exit-on-idle case.
e2e_nginx_main "$work/nginx/nginx.conf"
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

e2e_boot "$run_timeout" "${nspawn[@]}"
