#!/usr/bin/env bash
# The benchmark command's own parts, checked without measuring anything (no load, a few seconds):
#   - tables.py on made-up results.tsv/extras.tsv: medians (not means) over runs, ms per GB for
#     W4z, the ratios to nginx, to lighttpd and to the better of the two, "–" for what is
#     missing, the defaults table and the extras table, a failed gate shown as FAIL;
#   - coldstart.py against the real binary: socket-activated (`connect`) and with --listen
#     (`spawn`) it reports a median; a body that differs from the file and a 404 make it fail.
#
#   Benchmarks/selftest.sh      # ASSET_SIDECAR_BIN: the binary (default: swift build's)
# Output: one PASS/FAIL line per check, then "N passed, M failed"; exit status 0 only when
# nothing failed. Bounded by `timeout` (120 s).
set -euo pipefail
export LC_ALL=C

if [ -z "${SELFTEST_BOUNDED:-}" ]; then
    export SELFTEST_BOUNDED=1
    exec timeout --kill-after=10s 120s "$0" "$@"
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
here=$repo/Benchmarks
ASSET_SIDECAR_BIN=${ASSET_SIDECAR_BIN:-$(cd "$repo" && swift build --show-bin-path)/asset-sidecar}
[ -x "$ASSET_SIDECAR_BIN" ] || { echo "no binary at $ASSET_SIDECAR_BIN (swift build)" >&2; exit 1; }

work=$(mktemp -d /tmp/asset-sidecar-bench-selftest.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

verdict() { # verdict NAME STATUS DETAIL: one check, passed when STATUS is 0; DETAIL on failure
    if [ "$2" = 0 ]; then
        echo "PASS $1"
        passed=$((passed + 1))
    else
        echo "FAIL $1: $3"
        failed=$((failed + 1))
    fi
}

check() { # check NAME TEXT LINE: TEXT has the line LINE
    local status=0
    grep -qxF -- "$3" <<<"$2" || status=1
    verdict "$1" "$status" "no line '$3' in:"$'\n'"$2"
}

# ---- tables.py ----------------------------------------------------------------------------
row() { # row RUN PEER WORKLOAD RPS MBPS SRV_US_REQ SRV_CPU_S SECS
    printf '%s\t%s\t%s\t%s\t%s\t0.5\t%s\t%s\t0\t%s\t0.25\t\n' "$@"
}
{
    printf 'run\tpeer\tworkload\trps\tmbps\tp99_ms\tsrv_us_req\tsrv_cpu_s\terrors\tsecs\t'
    printf 'other_cpu_s\tnote\n'
    for peer in sidecar-1 nginx lighttpd sidecar nginx-auto; do
        printf '1\t%s\tcheck\t\t\t\t\t\t\t\t\tpass\n' "$peer"
    done
    printf '1\th2o\tcheck\t\t\t\t\t\t\t\t\tFAIL\n'
    # W1: the sidecar's median is 6 (a mean would be 37).
    row 1 sidecar-1 W1 1000 1 6 1 10
    row 2 sidecar-1 W1 1000 1 100 1 10
    row 3 sidecar-1 W1 1000 1 5 1 10
    for run in 1 2 3; do
        row "$run" nginx W1 2000 2 8 1 10
        row "$run" lighttpd W1 3000 3 4 1 10
    done
    # W4z: 1,000 MB/s for 10 s at 1 s CPU = 100 ms per GB; nginx 2,000 MB/s = 50 ms per GB.
    row 1 sidecar-1 W4z 1 1000 1000000 1 10
    row 1 nginx W4z 2 2000 500000 1 10
    row 1 sidecar W2 500 32 12 1 10
    row 1 nginx-auto W2 600 39 10 1 10
} >"$work/results.tsv"
{
    printf 'metric\tpeer\tvalue\tnote\n'
    printf 'instructions\tsidecar-1\t9000\t\ninstructions\tnginx\t12000\t\n'
    printf 'instructions\tlighttpd\t6000\t\nsize\tsidecar\t15600000\t\n'
    printf 'coldstart\tsidecar\t8.6\t\ncoldstart\tnginx\t\t\ncoldstart\tlighttpd\t4.3\t\n'
} >"$work/extras.tsv"
tables=$(python3 "$here/tables.py" "$work/results.tsv" "$work/extras.tsv" 2)
check "tables: W1 medians and ratios (to nginx, lighttpd, the better)" "$tables" \
    "| W1 1 KiB | 6.00 | 8.00 | 4.00 | 0.75 | 1.50 | 1.50 | 1,000 | 2,000 | 3,000 | 0/0/0 | 0.25 |"
w4z="| W4z 1 GiB, splice reader (ms/GB) | 100 | 50 | – | 2.00 | – | 2.00"
check "tables: W4z in ms per GB and GB/s, lighttpd missing" "$tables" \
    "$w4z | 1.00 | 2.00 | – | 0/0/– | 0.25 |"
check "tables: defaults row" "$tables" \
    "| W2 64 KiB | 12.00 | 10.00 | 1.20 | 500 | 600 | 0/0 | 0.25 |"
check "tables: instructions row" "$tables" \
    "| W1 user instructions per request (callgrind) | 9,000 | 12,000 | 6,000 | 0.75 | 1.50 |"
cold="| cold start, first byte of 1 KiB, ms (sidecar: static build, activated)"
check "tables: a failed measurement is –" "$tables" "$cold | 8.6 | – | 4.3 | – | 2.00 |"
check "tables: size in MB" "$tables" \
    "| stripped binary, MB (sidecar: static build) | 15.6 | – | – | – | – |"
gate="Correctness gate (byte-exact bodies, pipelined; exact 206 ranges):"
check "tables: the gate line shows a failure" "$tables" \
    "$gate sidecar-1 pass, nginx pass, lighttpd pass, sidecar pass, nginx-auto pass, h2o FAIL"

# ---- coldstart.py against the real binary -------------------------------------------------
mkdir -p "$work/www" "$work/other"
head -c 1024 /dev/urandom >"$work/www/1k.bin"
head -c 1024 /dev/urandom >"$work/other/1k.bin"
head -c 1024 /dev/urandom >"$work/other/missing.bin"
sock=$work/cold.sock

coldstart() { # coldstart MODE FILE -> "STATUS<newline>OUTPUT"
    local status=0 output
    output=$("$here/coldstart.py" "$1" "$sock" "$2" 2 -- "${@:3}" 2>&1) || status=$?
    printf '%s\n%s\n' "$status" "$output"
}
expect_median() { # expect_median NAME RESULT: exit 0 and a median of the two runs
    local status=0
    [ "$(head -1 <<<"$2")" = 0 ] && grep -Eq '^median_ms=[0-9]+\.[0-9]{3} runs=2$' <<<"$2" ||
        status=1
    verdict "$1" "$status" "wanted exit 0 and a median:"$'\n'"$2"
}
expect_failure() { # expect_failure NAME RESULT MESSAGE: exit 1 and MESSAGE
    local status=0
    [ "$(head -1 <<<"$2")" = 1 ] && grep -qF "$3" <<<"$2" || status=1
    verdict "$1" "$status" "wanted exit 1 and '$3':"$'\n'"$2"
}
activated=(systemd-socket-activate -l "$sock" --fdname=assets -- "$ASSET_SIDECAR_BIN" --root
    "$work/www")
listening=("$ASSET_SIDECAR_BIN" --listen "$sock" --root "$work/www")
expect_median "coldstart: socket-activated" \
    "$(coldstart connect "$work/www/1k.bin" "${activated[@]}")"
expect_median "coldstart: from spawn, --listen" \
    "$(coldstart spawn "$work/www/1k.bin" "${listening[@]}")"
expect_failure "coldstart: a body other than the file's fails" \
    "$(coldstart connect "$work/other/1k.bin" "${activated[@]}")" "body differs from the file"
expect_failure "coldstart: a 404 fails" \
    "$(coldstart spawn "$work/other/missing.bin" "${listening[@]}")" "unexpected status line"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
