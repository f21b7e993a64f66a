# Sourced by the real-systemd end-to-end tests (Tests/e2e/run.sh, Tests/e2e/package.sh): the
# containment of a systemd manager booted in systemd-nspawn, and the PASS/FAIL bookkeeping.
# See /work/shared/notes/systemd-testing.md: a systemd manager started in the host's root
# cgroup takes over every process on the machine. So the container runs in its own cgroup
# subtree (name=systemd and cgroup2 only; nspawn gives it a cgroup namespace rooted there),
# in a private mount namespace with a tmpfs /run (nspawn's propagation directories stay out
# of the host's /run), with a private network (the caller passes --private-network). The EXIT
# trap kills what is left in that subtree, by PID, removes it, and checks that no cgroup and
# no mount is left on the host. Every command is bounded by `timeout`.
#
# The caller sets `mode` and `started` (date +%s%N), then sources this file, which installs
# the traps and checks the preconditions; it then fills `work` (a directory whose
# e2e/out/result.txt the container writes, "PASS name" / "FAIL name: why" lines and "DONE" at
# the end; e2e_checks_units writes the units that run the checks) and calls e2e_boot with the
# systemd-nspawn command line, which also puts Tests/e2e/checks.sh in $work/e2e. On exit the
# results are printed, host checks after the container's, then "N passed, M failed"; the
# exit status is 0 only when nothing failed. E2E_KEEP=1 keeps the work directory (also kept on failure in CI).
# shellcheck shell=bash
e2e_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

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
        host_fail "$(basename "$0") stopped unexpectedly" "status $rc after line ${err_line:-?}"
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
        # Our own subtree is checked above; another run's (asset-e2e-PID, started meanwhile
        # on this machine) is that run's business.
        leaked=$(comm -13 <(echo "$cgroups_before") <(list_cgroups) |
            grep -Ev "/asset-e2e-[0-9]+(/|$)" |
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

# e2e_checks_units DIR SCRIPT DESCRIPTION [UNIT_LINE...]: writes into DIR (the container's
# /etc/systemd/system) asset-e2e.target, the boot target, and e2e-checks.service, which runs
# /e2e/SCRIPT once, then powers the container off; UNIT_LINEs go to its [Unit] section.
e2e_checks_units() {
    local dir=$1 script=$2 description=$3 line
    shift 3
    {
        echo "[Unit]"
        echo "Description=$description"
        for line in "$@"; do echo "$line"; done
        echo "# The manager exits (and the container with it) when the checks are done."
        echo "SuccessAction=exit-force"
        echo "FailureAction=exit-force"
        echo
        echo "[Service]"
        echo "Type=oneshot"
        echo "ExecStart=/bin/bash /e2e/$script"
        echo "StandardOutput=append:/e2e/out/inside.log"
        echo "StandardError=inherit"
        echo "TimeoutStartSec=$((run_timeout * 9 / 10))s"
    } >"$dir/e2e-checks.service"
    cat >"$dir/asset-e2e.target" <<EOF
[Unit]
Description=$description
Requires=basic.target
After=basic.target
Wants=e2e-checks.service
EOF
}

# e2e_nginx_main FILE: nginx's main configuration for the container (www-data, logs in
# /var/log/nginx); the server blocks come from /etc/nginx/conf.d/*.conf.
e2e_nginx_main() {
    cat >"$1" <<'EOF'
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
}

# e2e_boot TIMEOUT NSPAWN_COMMAND...: boots the container in the cgroup subtree and a private
# mount namespace, bounded by TIMEOUT seconds, with its console in $work/console.log; then one
# host check: it ran every check (result.txt ends in DONE) and powered off in time.
e2e_boot() {
    local run_timeout=$1 boot_start boot_ms rc=0 root
    shift
    # The helpers the scripts inside the container source (pass, fail, expect, ...).
    install -m 644 "$e2e_lib/checks.sh" "$work/e2e/"
    cgroups_before=$(list_cgroups)
    mounts_before=$(list_mounts)
    for root in "${cg_roots[@]}"; do
        mkdir "$root/$cg_name"
    done
    boot_start=$(date +%s%N)
    # In the background, so that a signal to this script is handled at once (bash runs traps
    # only between foreground commands, but `wait` is interruptible).
    (
        for root in "${cg_roots[@]}"; do echo $BASHPID >"$root/$cg_name/cgroup.procs"; done
        exec timeout --kill-after=10 "$run_timeout" \
            unshare --mount --propagation private -- /bin/sh -c \
            'mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run && exec "$@"' sh "$@"
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
}
