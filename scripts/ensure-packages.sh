#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are missing, and nothing else.
#   scripts/ensure-packages.sh libsystemd-dev pkg-config curl nginx-light
# nginx-light counts as present when any nginx is installed. apt-get update runs only when
# a package has no installation candidate or the first install attempt fails. While packages
# are installed, /usr/sbin/policy-rc.d says "exit 101", so no service (nginx!) is started on
# this machine; any previous policy-rc.d is put back afterwards.
set -euo pipefail

installed() {
    case $1 in
        nginx-light) command -v nginx >/dev/null ;;
        *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
    esac
}

missing=()
for package in "$@"; do
    installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || {
        echo "missing packages: ${missing[*]} (run as root or install sudo)" >&2
        exit 1
    }
    sudo=(sudo)
fi
echo "installing: ${missing[*]}" >&2

policy=/usr/sbin/policy-rc.d
saved=$(mktemp)
had_policy=no
if [ -e "$policy" ]; then
    had_policy=yes
    cp -p "$policy" "$saved"
fi
restore_policy() {
    if [ "$had_policy" = yes ]; then
        "${sudo[@]}" cp -p "$saved" "$policy"
    else
        "${sudo[@]}" rm -f "$policy"
    fi
    rm -f "$saved"
}
trap restore_policy EXIT
printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
"${sudo[@]}" chmod 755 "$policy"

needs_update=no
for package in "${missing[@]}"; do
    candidate=$(apt-cache policy "$package" 2>/dev/null | sed -n 's/^ *Candidate: //p')
    if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then
        needs_update=yes
    fi
done
install() {
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
}
if [ "$needs_update" = yes ]; then
    "${sudo[@]}" apt-get update -q
    install
elif ! install; then
    # Stale package lists (404 on download): refresh them once and retry.
    "${sudo[@]}" apt-get update -q
    install
fi
