#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/build.sh) and runs each for SECONDS (default 60), starting
# from its seed corpus in Fuzz/corpus/TARGET (see Fuzz/targets.sh). Fails when any target crashes, leaks, times out
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
# shellcheck source=Fuzz/targets.sh
. "$repo/Fuzz/targets.sh"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(fuzz_targets "$repo")
fi
scratch=${FUZZ_SCRATCH:-$repo/.build-fuzz}
mkdir -p "$scratch/logs" "$scratch/artifacts"

"$repo/Fuzz/build.sh" "$scratch/bin" "$@"

# libFuzzer reports crashes itself; Swift's own backtracer would hold the dying process.
export SWIFT_BACKTRACE=enable=no
failed=()
for target in "${targets[@]}"; do
    corpus=$scratch/corpus/$target
    log=$scratch/logs/$target.log
    mkdir -p "$corpus"
    mapfile -t options < <(fuzz_options "$repo" "$target" "$scratch/artifacts/$target-")
    mapfile -t seeds < <(fuzz_seeds "$repo" "$target")
    status=0
    timeout --kill-after=10s $((seconds + 120)) "$scratch/bin/$target" \
        -max_total_time="$seconds" "${options[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 ||
        status=$?
    printf '%-14s %12s executions  %8s/s  %s\n' "$target" \
        "$(fuzz_stat "$log" number_of_executed_units)" "$(fuzz_stat "$log" average_exec_per_sec)" \
        "$(fuzz_outcome "$status" "$log")"
    if [ "$status" != 0 ]; then
        failed+=("$target")
    fi
done

echo "$((${#targets[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing failed: ${failed[*]} (logs and inputs in $scratch)" >&2
    exit 1
fi
