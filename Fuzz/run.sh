#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/build.sh) and runs each for SECONDS (default 60), starting
# from its seed corpus in Fuzz/corpus/TARGET. Fails when any target crashes, leaks, times out
# or breaks one of its invariants; prints the executions of each target.
#   Fuzz/run.sh [SECONDS] [TARGET...]
# FUZZ_SCRATCH (default: .build-fuzz in the repository, which git ignores) holds the binaries,
# each target's growing corpus (the seeds are never written), logs, and crashing inputs.
# Reproduce a crash by running the target on the saved input:
#   .build-fuzz/bin/TARGET .build-fuzz/artifacts/TARGET-crash-...
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
if [ $# -gt 0 ]; then
    shift
fi
case $seconds in
    '' | *[!0-9]*) echo "usage: Fuzz/run.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    # Every folder of Fuzz/ with a main.swift is a target.
    for entry in "$repo"/Fuzz/*/main.swift; do
        targets+=("$(basename "$(dirname "$entry")")")
    done
fi
scratch=${FUZZ_SCRATCH:-$repo/.build-fuzz}
mkdir -p "$scratch/logs" "$scratch/artifacts"

"$repo/Fuzz/build.sh" "$scratch/bin" "${targets[@]}"

# libFuzzer reports crashes itself; Swift's own backtracer would hold the dying process.
export SWIFT_BACKTRACE=enable=no
failed=()
for target in "${targets[@]}"; do
    corpus=$scratch/corpus/$target
    log=$scratch/logs/$target.log
    mkdir -p "$corpus"
    options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$scratch/artifacts/$target-")
    if [ -f "$repo/Fuzz/dict/$target.dict" ]; then
        options+=(-dict="$repo/Fuzz/dict/$target.dict")
    fi
    status=0
    timeout --kill-after=10s $((seconds + 120)) "$scratch/bin/$target" "${options[@]}" \
        "$corpus" "$repo/Fuzz/corpus/$target" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    printf '%-14s %12s executions  %8s/s  %s\n' "$target" "${runs:-?}" "${rate:-?}" \
        "$([ "$status" = 0 ] && echo ok || echo "FAILED (exit $status)")"
    if [ "$status" != 0 ]; then
        failed+=("$target")
        grep -v '^#[0-9]' "$log" | tail -n 40 >&2
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing failed: ${failed[*]} (logs and inputs in $scratch)" >&2
    exit 1
fi
