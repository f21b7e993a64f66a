#!/usr/bin/env bash
# asset-sidecar against nginx and lighttpd on the same files over the same kind of Unix socket,
# measured by the neutral peerbench tools (../shared/bench). One server at a time, never two at
# once; each must first pass peerbench's correctness gate (byte-exact bodies with pipelining,
# exact ranges). Prints three markdown tables:
#   1. one serving thread: sidecar --threads 1 vs nginx worker_processes 1 vs lighttpd (one
#      process), W1 W2 W3 W4z, server CPU per request and the ratios;
#   2. the defaults: sidecar with one loop per CPU vs nginx worker_processes auto, W1 W2 W3;
#   3. the rest: W1 user instructions per request (callgrind), syscalls per request (W1, W3),
#      cold start to the first byte, peak RSS (W1, 1,000 connections), stripped binary size.
#
#   Benchmarks/compare.sh                  # builds release (static and dynamic), ~12 min
#   QUICK=1 Benchmarks/compare.sh          # smoke run, ~2 min: every row, short and noisy
#   PEERS="sidecar-1 nginx" MEASURE=cpu DUR=5 Benchmarks/compare.sh
#
# Environment:
#   QUICK      1: short defaults for every knob below (DUR=2 REPEAT=1, fewer requests and runs)
#   DUR        seconds per workload (10)
#   REPEAT     runs per peer and workload, interleaved; the tables show medians (3)
#   PEERS      any of "sidecar-1 nginx lighttpd sidecar nginx-auto" (all): sidecar-1 is
#              --threads 1, sidecar its default (one loop per CPU), nginx one worker,
#              nginx-auto worker_processes auto, lighttpd one process
#   WORKLOADS  any of W1 W2 W3 W4 W4z ("W1 W2 W3 W4z"); the defaults rows use W1-W3 of them
#   MEASURE    any of "cpu instructions syscalls coldstart rss" (all); the binary size is free
#   CG_REQUESTS, CG_WARM   requests counted / sent first under callgrind (20000, 2000)
#   SYSCALL_SECS  seconds of load per workload under strace (3)
#   COLD_RUNS  cold starts per server, after one uncounted warm-up; the median is shown (10)
#   RSS_DUR    seconds of W1 at 32 and then at 1,000 connections before VmHWM is read (5):
#              the serving process (nginx: its worker) and the sum over all processes
#   SIDECAR_BIN   unset: swift build -c release --static-swift-stdlib (what the package ships)
#                 and use that; a path: use it as is; set but empty: no sidecar rows
#   SIDECAR_DYNAMIC_BIN  the dynamically linked build, for its cold start. Unset: swift build
#                 -c release --scratch-path .build-dynamic; set but empty: that row is skipped
#   SIDECAR_ARGS  more flags for both sidecar peers ("")
#   PEERBENCH  the peerbench folder (<repo>/../shared/bench)
#   PEERBENCH_TMP, PEERBENCH_ROOT  work folder and document root (/tmp/peerbench, $TMP/www);
#                 the root (1.3 GB) is kept between runs
#   OUT        where raw outputs, results.tsv and extras.tsv go ($PEERBENCH_TMP/compare/<time>)
#   NICE       priority of the whole run (-20; 0 disables), as peerbench's run.sh does it
# Needs libsystemd-dev and pkg-config (to build the sidecar), gcc, binutils (strip), python3,
#   systemd (systemd-socket-activate), nginx, lighttpd, valgrind and strace: installs those
#   missing with scripts/ensure-packages.sh (no service starts).
# Exit status: 1 when a peer did not start, failed the correctness gate or a measurement failed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
PEERS=${PEERS:-"sidecar-1 nginx lighttpd sidecar nginx-auto"}
MEASURE=${MEASURE:-"cpu instructions syscalls coldstart rss"}

log() { echo "[$(date +%T)] $*" >&2; }

has() { [[ " $1 " == *" $2 "* ]]; }

# ---- prerequisites, at normal priority ---------------------------------------------------
"$repo/scripts/ensure-packages.sh" libsystemd-dev pkg-config gcc binutils python3 systemd nginx-light \
    lighttpd valgrind strace
wants_sidecar() { has "$PEERS" sidecar || has "$PEERS" sidecar-1; }
if wants_sidecar; then
    if [ -z "${SIDECAR_BIN+set}" ]; then
        log "swift build -c release --static-swift-stdlib"
        (cd "$repo" && nice -n 10 swift build -c release --static-swift-stdlib >&2)
        SIDECAR_BIN=$(cd "$repo" && swift build -c release --static-swift-stdlib \
            --show-bin-path)/asset-sidecar
    fi
    if [ -z "$SIDECAR_BIN" ]; then
        log "sidecar skipped: SIDECAR_BIN is empty"
        PEERS=$(tr ' ' '\n' <<<"$PEERS" | grep -v '^sidecar' | paste -sd ' ' -)
    fi
    export SIDECAR_BIN
fi
if wants_sidecar && has "$MEASURE" coldstart && [ -z "${SIDECAR_DYNAMIC_BIN+set}" ]; then
    log "swift build -c release --scratch-path .build-dynamic"
    (cd "$repo" && nice -n 10 swift build -c release --scratch-path .build-dynamic >&2)
    SIDECAR_DYNAMIC_BIN=$(cd "$repo" && swift build -c release --scratch-path .build-dynamic \
        --show-bin-path)/asset-sidecar
fi
export SIDECAR_DYNAMIC_BIN=${SIDECAR_DYNAMIC_BIN:-}

NICE=${NICE:--20}
# Run in our own session with that session's autogroup at high priority, so that background
# jobs at nice 0 barely disturb the measurement (sched_autogroup: nice only counts inside a
# session). The outer process waits and passes on INT/TERM, so Ctrl-C still stops the servers.
if [ "$NICE" != 0 ] && [ -z "${COMPARE_SESSION:-}" ]; then
    export COMPARE_SESSION=1
    setsid "$0" "$@" &
    inner=$!
    trap 'kill -TERM "$inner" 2>/dev/null || true' INT TERM
    status=0
    wait "$inner" || status=$?
    while kill -0 "$inner" 2>/dev/null; do
        status=0
        wait "$inner" || status=$?
    done
    exit "$status"
fi
if [ "$NICE" != 0 ]; then
    renice -n "$NICE" -p $$ >/dev/null
    echo "$NICE" >/proc/$$/autogroup 2>/dev/null || true
fi

here=$repo/Benchmarks
bench=$(cd "${PEERBENCH:-$repo/../shared/bench}" && pwd)
if [ "${QUICK:-0}" = 1 ]; then
    DUR=${DUR:-2} REPEAT=${REPEAT:-1} CG_REQUESTS=${CG_REQUESTS:-2000} CG_WARM=${CG_WARM:-500}
    SYSCALL_SECS=${SYSCALL_SECS:-1} COLD_RUNS=${COLD_RUNS:-3} RSS_DUR=${RSS_DUR:-2}
fi
DUR=${DUR:-10}
REPEAT=${REPEAT:-3}
WORKLOADS=${WORKLOADS:-"W1 W2 W3 W4z"}
CG_REQUESTS=${CG_REQUESTS:-20000}
CG_WARM=${CG_WARM:-2000}
SYSCALL_SECS=${SYSCALL_SECS:-3}
COLD_RUNS=${COLD_RUNS:-10}
RSS_DUR=${RSS_DUR:-5}
export SIDECAR_ARGS=${SIDECAR_ARGS:-}
export PEERBENCH_TMP=${PEERBENCH_TMP:-/tmp/peerbench}
root=${PEERBENCH_ROOT:-$PEERBENCH_TMP/www}
export PEERBENCH_ROOT=$root
out=${OUT:-$PEERBENCH_TMP/compare/$(date +%Y%m%d-%H%M%S)}
work=$(mktemp -d "${TMPDIR:-/tmp}/asset-sidecar-compare.XXXXXX")
tsv=$out/results.tsv
extras=$out/extras.tsv
failed=0
running_pids=""
running_stop=""

# stop_server: the STOP command (or TERM), up to 15 s (the sidecar drains), then KILL.
stop_server() {
    [ -n "$running_pids" ] || return 0
    local pid alive
    if [ -n "$running_stop" ]; then
        sh -c "$running_stop" >/dev/null 2>&1 || true
    else
        for pid in ${running_pids//,/ }; do kill -TERM "$pid" 2>/dev/null || true; done
    fi
    for _ in $(seq 150); do
        alive=0
        for pid in ${running_pids//,/ }; do
            # A zombie (exited, not yet reaped by its new parent) counts as stopped.
            if kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat")" != Z ]; then
                alive=1
            fi
        done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for pid in ${running_pids//,/ }; do kill -KILL "$pid" 2>/dev/null || true; done
    running_pids=""
    running_stop=""
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# kv KEY LINE: the value of KEY=... in a line of KEY=VALUE words (udsload's RESULT line).
kv() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -1; }

# extra METRIC PEER VALUE [NOTE]: one row of extras.tsv (an empty VALUE marks a failure).
extra() {
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$extras"
    if [ -z "$3" ]; then
        failed=1
        log "$2 $1: FAILED ${4:-}"
    else
        log "$2 $1: $3 ${4:-}"
    fi
}

# peer_command NAME: the peer's start command, called as CMD SOCKET ROOT (peerbench's contract,
# the same rows as peerbench's run.sh).
peer_command() {
    case $1 in
        nginx) echo "env NGINX_WORKERS=1 $bench/peers/nginx/start.sh" ;;
        nginx-auto) echo "env NGINX_WORKERS=auto $bench/peers/nginx/start.sh" ;;
        lighttpd) echo "$bench/peers/lighttpd/start.sh" ;;
        sidecar) echo "env -u SIDECAR_THREADS $bench/peers/sidecar/start.sh" ;;
        sidecar-1) echo "env SIDECAR_THREADS=1 $bench/peers/sidecar/start.sh" ;;
        *) return 1 ;;
    esac
}

# start_peer NAME SOCKET LOG: starts it; sets running_pids and running_stop (empty: no start).
start_peer() {
    local started cmd
    cmd=$(peer_command "$1")
    # shellcheck disable=SC2086 # the command is words, as in peerbench's run.sh
    started=$(timeout 60 $cmd "$2" "$root" 2>"$3") || true
    running_pids=$(sed -n 's/^PIDS=//p' <<<"$started" | head -1)
    running_stop=$(sed -n 's/^STOP=//p' <<<"$started" | head -1)
    [ -n "$running_pids" ] || log "$1 did not start: $(tail -3 "$3")"
}

# peer_config NAME SOCKET: starts and stops the peer once so that its start.sh writes its
# configuration for SOCKET; prints the configuration file's path (nginx and lighttpd only).
peer_config() {
    start_peer "$1" "$2" "$out/$1.config.err"
    [ -n "$running_pids" ] || return 1
    stop_server
    echo "$PEERBENCH_TMP/run/$1/$1.conf"
}

# tree_pids PIDS: the comma-separated PIDS and all their descendants, one per line.
tree_pids() {
    local level next pid children
    read -ra level <<<"${1//,/ }"
    for _ in $(seq 64); do
        [ ${#level[@]} -gt 0 ] || break
        printf '%s\n' "${level[@]}"
        next=()
        for pid in "${level[@]}"; do
            read -ra children <<<"$(ps -o pid= --ppid "$pid" 2>/dev/null | paste -sd ' ' -)"
            next+=("${children[@]}")
        done
        level=("${next[@]}")
    done
}

# peak_rss PIDS: "SERVING ALL", VmHWM in MiB of the largest serving process (a descendant when
# there are any: nginx's worker, not its master) and the sum over all the processes.
peak_rss() {
    local pid kind roots=" ${1//,/ } "
    for pid in $(tree_pids "$1"); do
        kind=d
        [[ $roots == *" $pid "* ]] && kind=r
        sed -n "s/^VmHWM:[[:space:]]*\([0-9]*\) kB/$kind \1/p" "/proc/$pid/status" 2>/dev/null ||
            true
    done | awk '{ all += $2; if ($2 > top[$1]) top[$1] = $2 }
        END { printf "%.1f %.1f\n", (top["d"] > 0 ? top["d"] : top["r"]) / 1024, all / 1024 }'
}

mkdir -p "$out"
export PEERBENCH_BIN=$work/bin
"$bench/build.sh" >&2
udsload=$PEERBENCH_BIN/udsload
log "document root: $("$bench/mkroot.sh" "$root")"
# 1,000 connections need more descriptors than the usual soft limit of 1,024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

printf '%s\t' run peer workload rps mbps p99_ms srv_us_req srv_cpu_s errors secs other_cpu_s >"$tsv"
printf 'note\n' >>"$tsv"
printf 'metric\tpeer\tvalue\tnote\n' >"$extras"

# ---- the correctness gate ------------------------------------------------------------------
passed=""
gate_failed=""

# start_gated NAME SOCKET RUN: starts the peer and runs peerbench's correctness gate on it
# (byte-exact bodies with pipelining, exact 206 ranges); fails, with the peer stopped, when
# it does not start or does not pass. Records the outcome in results.tsv.
start_gated() {
    local name=$1 sock=$2 run=$3 gate=pass r
    start_peer "$name" "$sock" "$out/$name.$run.start.err"
    if [ -z "$running_pids" ]; then
        printf '%s\t%s\tstart\t\t\t\t\t\t\t\t\tFAILED\n' "$run" "$name" >>"$tsv"
        failed=1
        gate_failed="$gate_failed $name"
        return 1
    fi
    r=$(timeout 30 "$udsload" -s "$sock" -c 2 -p 2 -d 5 -n 400 -u /1k.bin -u /empty.bin \
        -u /64k.bin -u /1m.bin -V "$root" 2>&1) || true
    echo "$r" >"$out/$name.$run.check1.txt"
    [ "$(kv errors "$(grep '^RESULT' <<<"$r" || true)")" = 0 ] || gate=FAIL
    r=$(timeout 30 "$udsload" -s "$sock" -c 2 -d 5 -n 400 -u /256m.bin -R 256M:64K -V "$root" \
        2>&1) || true
    echo "$r" >"$out/$name.$run.check2.txt"
    [ "$(kv errors "$(grep '^RESULT' <<<"$r" || true)")" = 0 ] || gate=FAIL
    printf '%s\t%s\tcheck\t\t\t\t\t\t\t\t\t%s\n' "$run" "$name" "$gate" >>"$tsv"
    log "$name correctness gate: $gate"
    if [ "$gate" != pass ]; then
        failed=1
        gate_failed="$gate_failed $name"
        stop_server
        return 1
    fi
    has "$passed" "$name" || passed="$passed $name"
}

# gated NAME: whether NAME passed the gate in this run (gating it now if it has not been yet).
gated() {
    has "$gate_failed" "$1" && return 1
    has "$passed" "$1" && return 0
    start_gated "$1" "$work/$1.sock" gate || return 1
    stop_server
}

# ---- CPU per request: one peer at a time, the gate, then the workloads --------------------
run_peer() { # run_peer NAME RUN
    local name=$1 run=$2 sock=$work/$1.sock r w args
    log "== $name (run $run/$REPEAT)"
    start_gated "$name" "$sock" "$run" || return 0

    for w in W1 W2 W3 W4 W4z; do
        has "$WORKLOADS" "$w" || continue
        case $name:$w in sidecar:W4* | nginx-auto:W4*) continue ;; esac
        case $w in
            W1) args=(-c 32 -u /1k.bin) ;;
            W2) args=(-c 32 -u /64k.bin) ;;
            W3) args=(-c 32 -u /256m.bin -R 256M:64K) ;;
            W4) args=(-c 1 -u /1g.bin) ;;
            W4z) args=(-c 1 -u /1g.bin -z) ;;
        esac
        sleep 0.5
        r=$(timeout $((${DUR%.*} + 30)) "$udsload" -s "$sock" -d "$DUR" -P "$running_pids" \
            "${args[@]}" 2>&1) || true
        echo "$r" >"$out/$name.$run.$w.txt"
        r=$(grep '^RESULT' <<<"$r" || true)
        # other_cpu_s: CPU used by everything but client and server (background noise).
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n' "$run" "$name" "$w" \
            "$(kv rps "$r")" "$(kv mbps "$r")" "$(kv p99_ms "$r")" "$(kv srv_us_req "$r")" \
            "$(kv srv_cpu_s "$r")" "$(kv errors "$r")" "$(kv secs "$r")" \
            "$(kv other_cpu_s "$r")" >>"$tsv"
        log "$name $w: ${r:-no RESULT line, see $out/$name.$run.$w.txt}"
    done
    stop_server
}

if has "$MEASURE" cpu; then
    for run in $(seq "$REPEAT"); do
        for peer in $PEERS; do
            run_peer "$peer" "$run"
        done
    done
fi

# The like-for-like peers (one serving thread each) that passed the gate: the third table's.
single=""
for peer in sidecar-1 nginx lighttpd; do
    has "$PEERS" "$peer" && gated "$peer" && single="$single $peer"
done

# ---- stripped binary size -----------------------------------------------------------------
if [ -n "${SIDECAR_BIN:-}" ]; then
    strip -o "$work/asset-sidecar.stripped" "$SIDECAR_BIN"
    extra size sidecar "$(stat -c %s "$work/asset-sidecar.stripped")" "static, strip"
fi
if [ -n "$SIDECAR_DYNAMIC_BIN" ]; then
    strip -o "$work/asset-sidecar-dynamic.stripped" "$SIDECAR_DYNAMIC_BIN"
    extra size_dynamic sidecar "$(stat -c %s "$work/asset-sidecar-dynamic.stripped")" \
        "dynamic, strip; needs the Swift runtime's shared libraries"
fi

# ---- W1 user instructions per request (callgrind) ---------------------------------------
if has "$MEASURE" instructions; then
    export CG_SOCK=$work/cg.sock WARM=$CG_WARM
    for peer in $single; do
        log "== $peer under callgrind ($CG_REQUESTS requests)"
        cmd=()
        case $peer in
            sidecar-1)
                # valgrind cannot read this toolchain's DWARF: a copy without debug info.
                strip -g -o "$work/asset-sidecar.nodebug" "$SIDECAR_BIN"
                cmd=("$work/asset-sidecar.nodebug" --listen '{SOCK}' --root '{ROOT}' --threads 1)
                # shellcheck disable=SC2206 # flags, as the peer's start.sh takes them
                cmd+=($SIDECAR_ARGS)
                ;;
            nginx)
                # The peer's own configuration, in one process so that callgrind sees the worker.
                if conf=$(peer_config nginx "$CG_SOCK"); then
                    sed 's/^master_process on;/master_process off;/' "$conf" >"$work/nginx-cg.conf"
                    cmd=(nginx -e "$work/nginx-cg.err" -c "$work/nginx-cg.conf")
                fi
                ;;
            lighttpd)
                if conf=$(peer_config lighttpd "$CG_SOCK"); then
                    cp "$conf" "$work/lighttpd-cg.conf"
                    cmd=(lighttpd -D -f "$work/lighttpd-cg.conf")
                fi
                ;;
        esac
        r=""
        if [ ${#cmd[@]} -gt 0 ]; then
            r=$(timeout 1200 "$bench/instructions.sh" "$peer" "$CG_REQUESTS" "${cmd[@]}" \
                2>"$out/$peer.callgrind.err") || true
        fi
        echo "$r" >"$out/$peer.callgrind.txt"
        extra instructions "$peer" "$(kv Ir_per_req "$r")" "$(kv requests "$r") requests"
    done
fi

# ---- syscalls per request (strace -c under W1 and W3, 4 connections) --------------------
if has "$MEASURE" syscalls; then
    for peer in $single; do
        log "== $peer under strace"
        r=$(timeout $((4 * SYSCALL_SECS + 60)) "$bench/syscalls.sh" "$peer" \
            "$(peer_command "$peer")" "$SYSCALL_SECS" 2>"$out/$peer.syscalls.err") || true
        echo "$r" >"$out/$peer.syscalls.txt"
        for w in W1 W3; do
            n=$(sed -n "s/^== $peer $w: \([0-9]*\) requests.*/\1/p" <<<"$r")
            calls=$(awk '$NF == "total" { print $4 }' "$PEERBENCH_TMP/$peer.$w.strace" 2>/dev/null \
                || true)
            value=""
            if [ -n "$n" ] && [ "$n" -gt 0 ] && [ -n "$calls" ]; then
                value=$(awk -v c="$calls" -v n="$n" 'BEGIN { printf "%.2f", c / n }')
            fi
            extra "syscalls_$w" "$peer" "$value" "$calls calls / ${n:-?} requests"
        done
        # syscalls.sh sends TERM and returns: wait until the server has let go of its socket.
        for _ in $(seq 150); do
            python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' \
                "$PEERBENCH_TMP/$peer.sc.sock" 2>/dev/null || break
            sleep 0.1
        done
    done
fi

# ---- cold start: exec to the first byte of a 1 KiB answer --------------------------------
if has "$MEASURE" coldstart; then
    cold() { # cold METRIC PEER MODE CMD...: coldstart.py's median into extras.tsv
        local metric=$1 peer=$2 mode=$3 r
        shift 3
        log "== $peer cold start ($metric)"
        r=$(timeout $((COLD_RUNS * 25 + 30)) "$here/coldstart.py" "$mode" "$work/cold.sock" \
            "$root/1k.bin" "$COLD_RUNS" -- "$@" 2>"$out/$peer.$metric.err") || true
        echo "$r" >"$out/$peer.$metric.txt"
        extra "$metric" "$peer" "$(kv median_ms "$(tail -1 <<<"$r")")" \
            "median of $COLD_RUNS, $mode"
    }
    activate=(systemd-socket-activate -l "$work/cold.sock" --fdname=assets --)
    if has "$single" sidecar-1 || { has "$PEERS" sidecar && gated sidecar; }; then
        # shellcheck disable=SC2086 # flags, as the peer's start.sh takes them
        cold coldstart sidecar connect "${activate[@]}" "$SIDECAR_BIN" --root "$root" $SIDECAR_ARGS
        if [ -n "$SIDECAR_DYNAMIC_BIN" ]; then
            # shellcheck disable=SC2086
            cold coldstart_dynamic sidecar connect "${activate[@]}" "$SIDECAR_DYNAMIC_BIN" \
                --root "$root" $SIDECAR_ARGS
        fi
    fi
    if has "$single" nginx && conf=$(peer_config nginx "$work/cold.sock"); then
        cp "$conf" "$work/nginx-cold.conf"
        cold coldstart nginx spawn nginx -e "$work/nginx-cold.err" -c "$work/nginx-cold.conf"
    fi
    if has "$single" lighttpd && conf=$(peer_config lighttpd "$work/cold.sock"); then
        cp "$conf" "$work/lighttpd-cold.conf"
        cold coldstart lighttpd spawn lighttpd -D -f "$work/lighttpd-cold.conf"
    fi
fi

# ---- peak RSS (VmHWM): W1 at 32 connections, then at 1,000 ------------------------------
if has "$MEASURE" rss; then
    for peer in $single; do
        log "== $peer peak RSS"
        start_peer "$peer" "$work/$peer.sock" "$out/$peer.rss.start.err"
        if [ -z "$running_pids" ]; then
            extra rss_w1 "$peer" "" "did not start"
            continue
        fi
        for conns in 32 1000; do
            r=$(timeout $((${RSS_DUR%.*} + 30)) "$udsload" -s "$work/$peer.sock" -c "$conns" \
                -d "$RSS_DUR" -u /1k.bin 2>&1) || true
            echo "$r" >"$out/$peer.rss.$conns.txt"
            read -r serving all <<<"$(peak_rss "$running_pids")"
            errors=$(kv errors "$(grep '^RESULT' <<<"$r" || true)")
            metric=rss_w1
            [ "$conns" = 32 ] || metric=rss_1000
            if [ "$errors" != 0 ]; then
                serving=""
                all=""
            fi
            extra "$metric" "$peer" "$serving" "MiB, serving process; errors=${errors:-?}"
            extra "${metric}_all" "$peer" "$all" "MiB, all processes; errors=${errors:-?}"
        done
        stop_server
    done
fi

# ---- the tables ---------------------------------------------------------------------------
python3 "$here/tables.py" "$tsv" "$extras" "$(nproc)"
log "raw results: $out"
exit "$failed"
