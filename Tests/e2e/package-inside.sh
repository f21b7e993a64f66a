#!/bin/bash
# The checks of the Debian package test. Tests/e2e/package.sh boots systemd in a container
# whose /usr and /var/lib/dpkg are overlays; this script runs there as e2e-checks.service.
# One line per check goes to /e2e/out/result.txt ("PASS name" / "FAIL name: why"), details
# indented below it, and "DONE" at the end. Every command is bounded by a timeout and every
# loop by a count. Not meant to run on a host: it installs and purges a package.
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export SYSTEMD_PAGER="" SYSTEMD_COLORS=0 LC_ALL=C DEBIAN_FRONTEND=noninteractive

out=/e2e/out
result=$out/result.txt
# shellcheck source=/dev/null
. /e2e/expect.env # deb=, version=, upgrade_deb=, upgrade_version=
work=$(mktemp -d /tmp/e2e.XXXXXX)
socket=asset-sidecar.socket
service=asset-sidecar.service
units="$socket asset-sidecar-metrics.socket $service"
sock=/run/asset-sidecar/assets.sock
nginx=http://127.0.0.1 # the shipped snippet's server (listen 80)

# pass, fail, info, check, expect, prop (Tests/e2e/checks.sh)
# shellcheck source=Tests/e2e/checks.sh
. /e2e/checks.sh
# dpkg_do NAME ARGS...: runs dpkg, PASS when it succeeds; its output goes to the details.
dpkg_do() {
    local name=$1 log
    shift
    if log=$(timeout 120 dpkg "$@" 2>&1); then
        pass "$name"
    else
        fail "$name" "dpkg $* failed"
        sed 's/^/     /' <<<"$log" | tail -n 15 >>"$result"
    fi
}
status_of() { dpkg-query -W -f '${db:Status-Abbrev}' asset-sidecar 2>/dev/null | tr -d ' '; }
# fetch NAME PATH WANT: a GET through nginx must be 200 with exactly the bytes of WANT.
fetch() {
    local code
    code=$(timeout 15 curl -s -o "$work/got" -w '%{http_code}' --max-time 10 "$nginx$2")
    if [ "$code" = 200 ] && cmp -s "$work/got" "$3"; then
        pass "$1"
    else
        fail "$1" "status $code, $(stat -c %s "$work/got" 2>/dev/null || echo 0) bytes"
        info "sidecar: $(timeout 10 journalctl --no-pager -o cat -u $service | tail -n 3 | tr '\n' ' ')"
    fi
}
# What could be left after a purge: every state a package's units leave in /etc and /var.
unit_state() {
    find /etc/systemd /var/lib/systemd /run/systemd/system /run/asset-sidecar 2>/dev/null |
        grep -i asset-sidecar | sort
}
# The things a purge must leave as they were before the first install.
snapshot() {
    {
        echo "## unit state"
        unit_state
        echo "## passwd, group"
        md5sum /etc/passwd /etc/group
        echo "## users and groups named asset-sidecar"
        getent passwd asset-sidecar
        getent group asset-sidecar
        echo "## unit files"
        timeout 5 systemctl list-unit-files --no-legend 'asset-sidecar*'
    } 2>&1
}

: >"$result"
echo "package checks started at $(date -u +%H:%M:%S.%N)" >"$out/inside.log"

# The host's policy-rc.d (a container image's "exit 101") would keep deb-systemd-invoke
# from starting the socket. It is removed from this container's /usr overlay only.
if [ -e /usr/sbin/policy-rc.d ]; then
    rm -f /usr/sbin/policy-rc.d
    info "(removed the host's /usr/sbin/policy-rc.d in the container's /usr overlay)"
fi
snapshot >"$work/before"
# Directories that existed before: the package's own directories must be gone after a purge.
dpkg-deb -c "$deb" | awk '$1 ~ /^d/ { sub(/^\.\/?/, "/", $6); print $6 }' | sed 's|/$||' |
    grep -v '^$' | while read -r dir; do [ -d "$dir" ] && echo "$dir"; done >"$work/dirs-before"

# ---- 1. install -------------------------------------------------------------------------
dpkg_do "dpkg -i installs the package" -i "$deb"
expect "dpkg status: installed" "$(status_of)" ii
expect "dpkg version" "$(dpkg-query -W -f '${Version}' asset-sidecar 2>&1)" "$version"
expect "asset-sidecar on PATH is /usr/bin/asset-sidecar" "$(command -v asset-sidecar)" \
    /usr/bin/asset-sidecar
expect "asset-sidecar --version is the package's upstream version" \
    "$(timeout 5 asset-sidecar --version 2>&1)" "${version%-*}"
for unit in $units; do
    expect "$unit installed in /lib/systemd/system" \
        "$(prop "$unit" LoadState) $(prop "$unit" FragmentPath)" "loaded /lib/systemd/system/$unit"
done
expect "postinst enabled asset-sidecar.socket" "$(timeout 5 systemctl is-enabled $socket 2>&1)" enabled
expect "postinst started asset-sidecar.socket: listening" \
    "$(prop $socket ActiveState)/$(prop $socket SubState)" active/listening
expect "the metrics socket is installed, not enabled" \
    "$(timeout 5 systemctl is-enabled asset-sidecar-metrics.socket 2>&1)" disabled
expect "the service waits for the first connection (inactive)" "$(prop $service ActiveState)" inactive
expect "socket file root:www-data 0660" "$(stat -c '%U:%G %a' $sock 2>&1)" "root:www-data 660"
expect "postinst created the document root /srv/assets (root, 0755, empty)" \
    "$(stat -c '%U %a' /srv/assets 2>&1) $(find /srv/assets -mindepth 1 2>/dev/null | wc -l)" \
    "root 755 0"
# What an operator runs after installing (a no-op here: postinst did it).
check "systemctl enable --now asset-sidecar.socket" timeout 30 systemctl enable --now --quiet $socket

# ---- 2. man page and completions --------------------------------------------------------
expect "man -w asset-sidecar" "$(timeout 10 man -w asset-sidecar 2>&1)" \
    /usr/share/man/man1/asset-sidecar.1.gz
man_err=$(timeout 20 man --warnings -E UTF-8 -Tutf8 asset-sidecar 2>&1 >/dev/null)
expect "the man page renders without warnings" "$man_err" ""
timeout 20 man -E ascii asset-sidecar 2>/dev/null | sed 's/.\x08//g' >"$work/man.txt"
check "the man page documents --exit-idle-after" grep -qF -- '--exit-idle-after' "$work/man.txt"
# The bash completion, sourced the way bash-completion does, completes an option.
# shellcheck disable=SC2016
completed=$(timeout 10 bash -c '. /usr/share/bash-completion/completions/asset-sidecar
    COMP_WORDS=(asset-sidecar --sym); COMP_CWORD=1
    COMP_LINE="asset-sidecar --sym"; COMP_POINT=${#COMP_LINE}
    _asset-sidecar asset-sidecar --sym asset-sidecar; echo "${COMPREPLY[*]}"' 2>&1)
expect "bash completion: --sym completes to --symlinks" "$completed" --symlinks
expect "zsh completion installed" \
    "$(head -n 1 /usr/share/zsh/vendor-completions/_asset-sidecar 2>&1)" "#compdef asset-sidecar"
check "fish completion installed" grep -q -- "complete -c 'asset-sidecar'" \
    /usr/share/fish/vendor_completions.d/asset-sidecar.fish

# ---- 3. through nginx, with the shipped snippet -----------------------------------------
snippet=/usr/share/doc/asset-sidecar/examples/nginx/asset-sidecar.conf
check "the nginx snippet is in /usr/share/doc/asset-sidecar/examples/nginx/" test -s $snippet
cp $snippet /etc/nginx/conf.d/
check "nginx -t with the snippet" timeout 10 nginx -t -q
check "nginx started" timeout 30 systemctl start nginx.service
# An operator's site: a page and 300 KiB of random bytes.
echo '<!doctype html><title>asset-sidecar package</title>' >"$work/index.html"
head -c 307200 /dev/urandom >"$work/blob.bin"
install -m 644 "$work/index.html" "$work/blob.bin" /srv/assets/
fetch "GET /blob.bin through nginx: 200, byte-exact (activates the service)" /blob.bin "$work/blob.bin"
expect "the service runs /usr/bin/asset-sidecar" \
    "$(readlink /proc/"$(prop $service MainPID)"/exe 2>&1)" /usr/bin/asset-sidecar
code=$(timeout 15 curl -s -o "$work/range" -w '%{http_code}' --max-time 10 -r 1000-1999 $nginx/blob.bin)
tail -c +1001 "$work/blob.bin" | head -c 1000 >"$work/range.want"
if [ "$code" = 206 ] && cmp -s "$work/range" "$work/range.want"; then
    pass "range through nginx: 206, the exact 1000 bytes"
else
    fail "range through nginx: 206, the exact 1000 bytes" "status $code"
fi

# ---- 4. upgrade: the running service restarts, the socket stays open --------------------
pid=$(prop $service MainPID)
listening_since=$(prop $socket ActiveEnterTimestampMonotonic)
dpkg_do "dpkg -i upgrades the package" -i "$upgrade_deb"
expect "dpkg version after the upgrade" "$(dpkg-query -W -f '${Version}' asset-sidecar 2>&1)" \
    "$upgrade_version"
new_pid=$(prop $service MainPID)
if [ "$(prop $service ActiveState)" = active ] && [ "$new_pid" != "$pid" ] && [ "$new_pid" != 0 ]; then
    pass "upgrade restarted the running service (MainPID $pid, then $new_pid)"
else
    fail "upgrade restarted the running service" \
        "$(prop $service ActiveState), MainPID $pid, then $new_pid"
fi
# Active since before the upgrade: never stopped (SubState is "running" while its service is).
expect "upgrade kept the socket open (active since before)" \
    "$(prop $socket ActiveState) $(prop $socket ActiveEnterTimestampMonotonic)" \
    "active $listening_since"
fetch "after the upgrade: GET /blob.bin through nginx, byte-exact" /blob.bin "$work/blob.bin"

# ---- 5. remove, reinstall ---------------------------------------------------------------
dpkg -L asset-sidecar >"$work/files"
info "$(wc -l <"$work/files") paths in dpkg -L asset-sidecar"
# The package's files (not directories), for the purge checks.
while read -r path; do
    if [ ! -d "$path" ]; then echo "$path"; fi
done <"$work/files" >"$work/package-files"
dpkg_do "dpkg -r removes the package" -r asset-sidecar
expect "dpkg status after remove: config-files" "$(status_of)" rc
expect "remove stopped the socket and the service" \
    "$(prop $socket ActiveState) $(prop $service ActiveState)" "inactive inactive"
check "remove: no socket file" test ! -e $sock
check "remove: /usr/bin/asset-sidecar gone" test ! -e /usr/bin/asset-sidecar
check "remove: /srv/assets and the operator's files kept" cmp -s /srv/assets/blob.bin "$work/blob.bin"
dpkg_do "dpkg -i reinstalls the package" -i "$deb"
expect "reinstall: the socket is enabled and listening again" \
    "$(timeout 5 systemctl is-enabled $socket 2>&1) $(prop $socket SubState)" "enabled listening"
fetch "reinstall: GET /blob.bin through nginx, byte-exact" /blob.bin "$work/blob.bin"

# ---- 6. purge: nothing of the package is left --------------------------------------------
# after_purge LABEL: the package's files, units, enablement, socket and user are gone.
after_purge() {
    local label=$1 left=
    expect "$label: dpkg knows nothing of asset-sidecar" "$(status_of)" ""
    while read -r path; do
        if [ -e "$path" ] || [ -L "$path" ]; then left="$left $path"; fi
    done <"$work/package-files"
    expect "$label: none of the package's $(wc -l <"$work/package-files") files is left" "$left" ""
    left=
    while read -r path; do
        [ -d "$path" ] && ! grep -qx "$path" "$work/dirs-before" && left="$left $path"
    done < <(dpkg-deb -c "$deb" | awk '$1 ~ /^d/ { sub(/^\.\/?/, "/", $6); print $6 }' | sed 's|/$||')
    expect "$label: no directory of the package's is left" "$left" ""
    snapshot >"$work/after"
    if diff -u "$work/before" "$work/after" >"$work/diff"; then
        pass "$label: no unit, enablement symlink, mask, helper state, socket, user or group left"
    else
        fail "$label: no unit, enablement symlink, mask, helper state, socket, user or group left"
        sed -n 's/^[-+][^-+]/     &/p' "$work/diff" | head -n 15 >>"$result"
    fi
    expect "$label: no asset-sidecar process" \
        "$(for exe in /proc/[0-9]*/exe; do readlink "$exe"; done 2>/dev/null | grep -c asset-sidecar)" 0
}
timeout 30 systemctl stop nginx.service
# First with the operator's files still in /srv/assets: they stay.
dpkg_do "dpkg --purge (with files in /srv/assets)" --purge asset-sidecar
after_purge "purge"
check "purge kept /srv/assets with the operator's files" cmp -s /srv/assets/blob.bin "$work/blob.bin"
# Then once more with /srv/assets emptied: the purge removes it.
dpkg_do "dpkg -i after a purge" -i "$deb"
expect "install after a purge: socket enabled and listening" \
    "$(timeout 5 systemctl is-enabled $socket 2>&1) $(prop $socket SubState)" "enabled listening"
rm -f /srv/assets/blob.bin /srv/assets/index.html
dpkg_do "dpkg --purge (empty /srv/assets)" --purge asset-sidecar
after_purge "second purge"
check "purge removed the empty /srv/assets" test ! -e /srv/assets

timeout 10 journalctl --no-pager -b >"$out/journal.txt" 2>&1
echo DONE >>"$result"
rm -rf "$work"
exit 0
