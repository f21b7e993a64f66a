#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/build.sh) and runs each from its seed corpus in
# Fuzz/corpus/TARGET (see Fuzz/targets.sh). Fails when any target crashes, leaks, times out or
# breaks one of its invariants; prints the executions of each target.
#   Fuzz/run.sh [--seconds S] [TARGET...]
# Without --seconds (what CI runs): a budget of executions, not of time, so that how busy the
# machine is does not decide how much is tried: libFuzzer's seed 1 and each target's own
# execution count (fuzz_executions in Fuzz/targets.sh, about a minute each here), from the seeds
# alone, with Swift's hashing made deterministic. Two such runs try the same inputs until a
# comparison operand that is an address (they differ between processes) steers a mutation, a
# few thousand executions in; the rest explores alike but not identically.
# With --seconds S: a random seed for S seconds per target, to look further (as
# Fuzz/campaign.sh does at length); what it finds belongs in the seeds.
# FUZZ_SCRATCH (default: .build-fuzz in the repository, which git ignores) holds the binaries,
# logs and crashing inputs; each run's corpus is a fresh folder there, removed afterwards (the
# seeds are never written). Reproduce a crash by running the target on the saved input:
#   .build-fuzz/bin/TARGET .build-fuzz/artifacts/TARGET-crash-...
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
usage() {
    echo "usage: Fuzz/run.sh [--seconds S] [TARGET...]" >&2
    exit 2
}
seconds=
if [ "${1:-}" = --seconds ]; then
    [ $# -ge 2 ] || usage
    seconds=$2
    shift 2
    case $seconds in '' | *[!0-9]*) usage ;; esac
fi
case ${1:-} in -*) usage ;; esac
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
# Without it, every process seeds Swift's Hasher afresh and sets and dictionaries take
# different branches.
export SWIFT_DETERMINISTIC_HASHING=1
failed=()
for target in "${targets[@]}"; do
    corpus=$(mktemp -d "$scratch/corpus-$target.XXXXXX")
    log=$scratch/logs/$target.log
    mapfile -t options < <(fuzz_options "$repo" "$target" "$scratch/artifacts/$target-")
    mapfile -t seeds < <(fuzz_seeds "$repo" "$target")
    if [ -n "$seconds" ]; then
        budget=(-max_total_time="$seconds")
        wall=$((seconds + 120))
    else
        budget=(-seed=1 -runs="$(fuzz_executions "$target")")
        # Bounds a hung or crawling run; the budget is executions, so this never decides a pass.
        wall=1200
    fi
    status=0
    timeout --kill-after=10s "$wall" "$scratch/bin/$target" "${budget[@]}" "${options[@]}" \
        "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
    rm -rf "$corpus"
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
