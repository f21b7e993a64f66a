#!/usr/bin/env bash
# The Debian package's end-to-end test: lintian on the .deb, then, in systemd booted in a
# systemd-nspawn container (Tests/e2e/package-inside.sh): dpkg -i, the socket enabled and
# listening, nginx with the shipped snippet, a file fetched byte-exact through nginx, the man
# page and the completions, an upgrade (the service restarted, the socket kept open),
# remove, reinstall, and purge twice (with a file an operator left
# in /srv/assets, which stays, and with it empty, which goes), checking each time that no
# file of the package, unit, enablement symlink, socket or user is left.
#
#   DEB=.build/deb/asset-sidecar_0.1.0-1_amd64.deb Tests/e2e/package.sh   # root, systemd-nspawn
#
# scripts/build-deb.sh builds the .deb (scripts/test.sh runs both). Environment:
#   DEB             the package (default: the newest .build/deb/asset-sidecar_*.deb)
#   E2E_TIMEOUT     seconds for the container run, boot to power-off (default 150)
#   E2E_KEEP=1      keep the work directory (console log, journal, results)
#
# The container is `systemd-nspawn -D / --volatile=yes` (Tests/e2e/run.sh's host mode: an
# empty tmpfs root, this machine's /usr, nothing downloaded), with two overlays so that dpkg
# can install: /usr is an overlay (the host's read-only below, a directory of this run's
# above), /var/lib/dpkg a copy of the host's package database. The host's /usr and
# /var/lib/dpkg are never written. /etc starts empty but for copies of passwd, group and what nginx needs, so
# what the package leaves in /etc shows. Containment and bookkeeping: Tests/e2e/container.sh
# (own cgroup subtree, private mount namespace with a tmpfs /run, private network, every
# command under `timeout`, cleanup trap).
#
# Output: one PASS/FAIL line per check, then "N passed, M failed"; exit 0 only when nothing
# failed.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mode=host
run_timeout=${E2E_TIMEOUT:-150}
started=$(date +%s%N)
# shellcheck source=Tests/e2e/container.sh
. "$here/container.sh"

deb=${DEB:-$(find "$repo/.build/deb" -maxdepth 1 -name 'asset-sidecar_*.deb' -printf '%T@ %p\n' \
    2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)}
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
    die "the .deb" "DEB=${deb:-?} is not a file: run scripts/build-deb.sh"
fi
for tool in dpkg-deb lintian; do
    command -v $tool >/dev/null || die "$tool installed" "apt-get install dpkg lintian"
done

# ---- lintian, on the host ---------------------------------------------------------------
if lintian_out=$(timeout 300 lintian --fail-on error,warning --display-info "$deb" 2>&1); then
    host_pass "lintian: no error, no warning ($(grep -c '^I: ' <<<"$lintian_out") info tags)"
else
    host_fail "lintian: no error, no warning" "$(grep -E '^[EW]: ' <<<"$lintian_out" | tr '\n' ' ')"
fi

# ---- the work tree ----------------------------------------------------------------------
work=$(mktemp -d "${E2E_WORKDIR:-/var/tmp}/asset-sidecar-package.XXXXXX")
chmod 755 "$work"
mkdir -p "$work/units" "$work/nginx/conf.d" "$work/etc" "$work/e2e/out" "$work/e2e/pkg" \
    "$work/upper/usr"
# dpkg's database: a copy of the host's (about 35 MB; nspawn cannot overlay a directory
# whose parent the volatile root does not have).
cp -a /var/lib/dpkg "$work/dpkg"
install -m 644 "$deb" "$work/e2e/pkg/"
install -m 644 "$here/package-inside.sh" "$work/e2e/"
# The same package with a higher version, for the upgrade case: repacked, nothing rebuilt.
version=$(dpkg-deb -f "$deb" Version)
dpkg-deb -R "$deb" "$work/repack"
sed -i "s/^Version: .*/Version: $version+e2e1/" "$work/repack/DEBIAN/control"
dpkg-deb --build --root-owner-group "$work/repack" "$work/e2e/pkg/upgrade.deb" >/dev/null
rm -rf "$work/repack"
cat >"$work/e2e/expect.env" <<EOF
deb=/e2e/pkg/$(basename "$deb")
version=$version
upgrade_deb=/e2e/pkg/upgrade.deb
upgrade_version=$version+e2e1
EOF
# Writable copies: a maintainer script that added a user or group would show in them.
install -m 644 /etc/passwd /etc/group "$work/etc/"
# A machine id, so that this boot is not a first boot: on one, systemd would apply the
# presets to the writable /etc/systemd/system and enable (and start) systemd-networkd,
# network-online waits, nginx and more.
tr -d - </proc/sys/kernel/random/uuid >"$work/etc/machine-id"

e2e_checks_units "$work/units" package-inside.sh "asset-sidecar package checks"
# nginx's main configuration; the test copies the package's snippet into conf.d.
e2e_nginx_main "$work/nginx/nginx.conf"
chmod -R a+rX "$work/e2e"

# ---- boot -------------------------------------------------------------------------------
nspawn=(systemd-nspawn --quiet --machine=asset-e2e-pkg --register=no --keep-unit
    --private-network --console=pipe --link-journal=no
    -D / --volatile=yes
    --overlay="/usr:$work/upper/usr:/usr"
    --bind="$work/dpkg:/var/lib/dpkg"
    --bind="$work/units:/etc/systemd/system"
    --bind="$work/nginx:/etc/nginx"
    --bind="$work/etc/passwd:/etc/passwd" --bind="$work/etc/group:/etc/group"
    --tmpfs=/var/log/nginx --tmpfs=/var/lib/nginx
    --bind="$work/e2e:/e2e")
nspawn+=(--bind-ro="$work/etc/machine-id:/etc/machine-id")
for file in /etc/nsswitch.conf /etc/os-release /etc/alternatives /etc/ld.so.cache \
    /etc/manpath.config /etc/groff; do
    [ -e "$file" ] && nspawn+=(--bind-ro="$(readlink -f "$file"):$file")
done
nspawn+=(-b systemd.unit=asset-e2e.target systemd.show_status=no)

# The overlays' upper directories are this run's: the host's /usr and package database must
# be as they were.
host_state() { ls -l /usr/bin/asset-sidecar 2>&1; dpkg-query -W asset-sidecar 2>&1 || true; }
host_before=$(host_state)
e2e_boot "$run_timeout" "${nspawn[@]}"

if [ "$(host_state)" = "$host_before" ]; then
    host_pass "host untouched: /usr/bin/asset-sidecar and dpkg's record of it as before"
else
    host_fail "host untouched" "before: $host_before; after: $(host_state)"
fi
