#!/usr/bin/env bash
# asset-sidecar against nginx, on the same Unix-socket workloads, measured by the neutral
# peerbench load generator (udsload). One server at a time, never two at once; each must
# first pass peerbench's correctness gate (byte-exact bodies with pipelining, exact ranges).
#
#   Benchmarks/compare.sh                  # builds release, W1 W2 W3 W4z, 10 s each
#   DUR=5 REPEAT=3 Benchmarks/compare.sh   # medians of 3 interleaved runs
#   PEERS=nginx DUR=2 Benchmarks/compare.sh
#
# Environment:
#   DUR        seconds per workload (10)
#   REPEAT     runs per peer and workload, interleaved; the table shows medians (1)
#   PEERS      "nginx sidecar"; without "sidecar" nothing is built
#   WORKLOADS  any of W1 W2 W3 W4 W4z ("W1 W2 W3 W4z")
#   SIDECAR_BIN   unset: swift build -c release and use that; a path: use it as is;
#                 set but empty: skip the sidecar rows
#   SIDECAR_ARGS  flags for the sidecar (see peers/sidecar/start.sh); default "--threads 1",
#                 one event loop against peerbench's one nginx worker (worker_processes 1),
#                 so both sides have one serving thread; "" runs one loop per core
#   PEERBENCH  the peerbench folder (<repo>/../shared/bench)
#   PEERBENCH_TMP, PEERBENCH_ROOT  work folder and document root (/tmp/peerbench, $TMP/www);
#                 the root (1.3 GB) is kept between runs
#   OUT        where raw outputs and results.tsv go ($PEERBENCH_TMP/compare/<time>)
#   NICE       priority of the whole run (-20; 0 disables), as peerbench's run.sh does it
# Exit status: 1 when a peer did not start or failed the correctness gate.
set -euo pipefail

export SIDECAR_ARGS=${SIDECAR_ARGS---threads 1}

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

repo=$(cd "$(dirname "$0")/.." && pwd)
bench=$(cd "${PEERBENCH:-$repo/../shared/bench}" && pwd)
DUR=${DUR:-10}
REPEAT=${REPEAT:-1}
PEERS=${PEERS:-"nginx sidecar"}
WORKLOADS=${WORKLOADS:-"W1 W2 W3 W4z"}
export PEERBENCH_TMP=${PEERBENCH_TMP:-/tmp/peerbench}
root=${PEERBENCH_ROOT:-$PEERBENCH_TMP/www}
out=${OUT:-$PEERBENCH_TMP/compare/$(date +%Y%m%d-%H%M%S)}
work=$(mktemp -d "${TMPDIR:-/tmp}/asset-sidecar-compare.XXXXXX")
tsv=$out/results.tsv
failed=0
running_pids=""
running_stop=""

log() { echo "[$(date +%T)] $*" >&2; }

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

has() { [[ " $1 " == *" $2 "* ]]; }

# kv KEY LINE: the value of KEY=... in a udsload RESULT line.
kv() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -1; }

# ---- prerequisites ----------------------------------------------------------------------
if has "$PEERS" sidecar; then
    if [ -z "${SIDECAR_BIN+set}" ]; then
        log "swift build -c release"
        (cd "$repo" && swift build -c release >&2)
        SIDECAR_BIN=$(cd "$repo" && swift build -c release --show-bin-path)/asset-sidecar
    fi
    if [ -z "$SIDECAR_BIN" ]; then
        log "sidecar skipped: SIDECAR_BIN is empty"
        PEERS=${PEERS//sidecar/}
    fi
    export SIDECAR_BIN
fi
mkdir -p "$out"
export PEERBENCH_BIN=$work/bin
"$bench/build.sh" >&2
udsload=$PEERBENCH_BIN/udsload
log "document root: $("$bench/mkroot.sh" "$root")"

printf 'run\tpeer\tworkload\trps\tmbps\tp99_ms\tsrv_us_req\tsrv_cpu_s\terrors\tsecs\tother_cpu_s\tnote\n' \
    >"$tsv"

# ---- one peer: start, gate, workloads, stop ----------------------------------------------
run_peer() { # run_peer NAME RUN
    local name=$1 run=$2 sock=$work/$1.sock started r w args
    log "== $name (run $run/$REPEAT)"
    started=$("$bench/peers/$name/start.sh" "$sock" "$root" 2>"$out/$name.$run.start.err") || true
    running_pids=$(sed -n 's/^PIDS=//p' <<<"$started" | head -1)
    running_stop=$(sed -n 's/^STOP=//p' <<<"$started" | head -1)
    if [ -z "$running_pids" ]; then
        log "$name did not start: $(tail -3 "$out/$name.$run.start.err")"
        printf '%s\t%s\tstart\t\t\t\t\t\t\t\t\tFAILED\n' "$run" "$name" >>"$tsv"
        failed=1
        return
    fi

    local gate=pass
    r=$("$udsload" -s "$sock" -c 2 -p 2 -d 5 -n 400 -u /1k.bin -u /empty.bin -u /64k.bin \
        -u /1m.bin -V "$root" 2>&1) || true
    echo "$r" >"$out/$name.$run.check1.txt"
    [ "$(kv errors "$(grep '^RESULT' <<<"$r" || true)")" = 0 ] || gate=FAIL
    r=$("$udsload" -s "$sock" -c 2 -d 5 -n 400 -u /256m.bin -R 256M:64K -V "$root" 2>&1) || true
    echo "$r" >"$out/$name.$run.check2.txt"
    [ "$(kv errors "$(grep '^RESULT' <<<"$r" || true)")" = 0 ] || gate=FAIL
    printf '%s\t%s\tcheck\t\t\t\t\t\t\t\t\t%s\n' "$run" "$name" "$gate" >>"$tsv"
    log "$name correctness gate: $gate"
    if [ "$gate" != pass ]; then
        failed=1
        stop_server
        return
    fi

    for w in W1 W2 W3 W4 W4z; do
        has "$WORKLOADS" "$w" || continue
        case $w in
            W1) args=(-c 32 -u /1k.bin) ;;
            W2) args=(-c 32 -u /64k.bin) ;;
            W3) args=(-c 32 -u /256m.bin -R 256M:64K) ;;
            W4) args=(-c 1 -u /1g.bin) ;;
            W4z) args=(-c 1 -u /1g.bin -z) ;;
        esac
        sleep 0.5
        r=$("$udsload" -s "$sock" -d "$DUR" -P "$running_pids" "${args[@]}" 2>&1) || true
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

for run in $(seq "$REPEAT"); do
    for peer in $PEERS; do
        run_peer "$peer" "$run"
    done
done

# ---- the table: medians over runs -------------------------------------------------------
awk -F '\t' -v workloads="$WORKLOADS" -v repeat="$REPEAT" -v dur="$DUR" '
function median(key,    n, i, j, v, t) {
    n = split(values[key], v, " ")
    if (n == 0 || values[key] == "") return ""
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function cell(x, digits) { return x == "" ? "–" : sprintf("%." digits "f", x) }
NR == 1 { next }
$3 == "check" || $3 == "start" { gate[$2] = gate[$2] (gate[$2] == "" ? "" : "/") $12; next }
{
    for (c = 4; c <= 11; c++) if ($c != "") values[$2 SUBSEP $3 SUBSEP c] = values[$2 SUBSEP $3 SUBSEP c] " " $c
    if ($9 != "") errors[$2 SUBSEP $3] += $9
    if ($11 + 0 > bg[$3] + 0) bg[$3] = $11
}
END {
    printf "Correctness gate: nginx %s, sidecar %s\n\n", \
        gate["nginx"] == "" ? "–" : gate["nginx"], gate["sidecar"] == "" ? "–" : gate["sidecar"]
    printf "Medians of %d run(s) of %d s. µs/req is server CPU per response (the fair figure on", repeat, dur
    printf " a shared 2-core machine);\nratio < 1 means the sidecar uses less CPU than nginx.\n\n"
    print "| workload | nginx µs/req | sidecar µs/req | sidecar/nginx | nginx req/s | sidecar req/s | nginx MB/s | sidecar MB/s | errors (nginx/sidecar) | bg CPU s |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    n = split(workloads, w, " ")
    for (i = 1; i <= n; i++) {
        nu = median("nginx" SUBSEP w[i] SUBSEP 7); su = median("sidecar" SUBSEP w[i] SUBSEP 7)
        ratio = (nu != "" && su != "" && nu + 0 > 0) ? sprintf("%.2f", su / nu) : "–"
        ne = ("nginx" SUBSEP w[i]) in errors ? errors["nginx" SUBSEP w[i]] : "–"
        se = ("sidecar" SUBSEP w[i]) in errors ? errors["sidecar" SUBSEP w[i]] : "–"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s/%s | %s |\n", w[i], cell(nu, 2), \
            cell(su, 2), ratio, cell(median("nginx" SUBSEP w[i] SUBSEP 4), 0), \
            cell(median("sidecar" SUBSEP w[i] SUBSEP 4), 0), \
            cell(median("nginx" SUBSEP w[i] SUBSEP 5), 1), \
            cell(median("sidecar" SUBSEP w[i] SUBSEP 5), 1), ne, se, cell(bg[w[i]], 2)
    }
    printf "\nW1 1 KiB, W2 64 KiB, W3 random 64 KiB ranges of 256 MiB (206): 32 connections."
    printf "\nW4/W4z: one connection downloading 1 GiB (W4z: splice reader); MB/s / 1000 = GB/s.\n"
}' "$tsv"
log "raw results: $out"
exit "$failed"
