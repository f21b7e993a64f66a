#!/usr/bin/env bash
# A fuzz campaign, separate from CI's short run (Fuzz/run.sh): runs each target for an
# execution or time budget, then merges and minimises what it found into Fuzz/corpus/TARGET,
# and prints the executions of each target.
#   Fuzz/campaign.sh [--execs N | --seconds S] [--no-build] [TARGET...]
# Default budget: --execs 10000000. Default targets: every folder of Fuzz/ with a main.swift.
# The targets run one at a time under `nice -n 10`. A target's seed folder is replaced only
# when its run and its merge both succeeded; a crash leaves the folder alone, keeps the
# crashing input in FUZZ_SCRATCH/artifacts and fails the campaign.
# FUZZ_SCRATCH (default .build-fuzz in the repository, which git ignores) holds the binaries,
# the working corpora (FUZZ_SCRATCH/campaign/TARGET) and the logs.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
usage() {
    echo "usage: Fuzz/campaign.sh [--execs N | --seconds S] [--no-build] [TARGET...]" >&2
    exit 2
}
budget=(-runs=10000000)
limit=0
build=yes
targets=()
while [ $# -gt 0 ]; do
    case $1 in
        --execs | --seconds)
            [ $# -ge 2 ] || usage
            case $2 in '' | *[!0-9]*) usage ;; esac
            if [ "$1" = --execs ]; then
                budget=(-runs="$2")
                limit=0
            else
                budget=(-max_total_time="$2")
                limit=$2
            fi
            shift 2
            ;;
        --no-build)
            build=no
            shift
            ;;
        -*) usage ;;
        *)
            targets+=("$1")
            shift
            ;;
    esac
done
if [ ${#targets[@]} -eq 0 ]; then
    for entry in "$repo"/Fuzz/*/main.swift; do
        targets+=("$(basename "$(dirname "$entry")")")
    done
fi
scratch=${FUZZ_SCRATCH:-$repo/.build-fuzz}
mkdir -p "$scratch/logs" "$scratch/artifacts"
if [ "$build" = yes ]; then
    "$repo/Fuzz/build.sh" "$scratch/bin" "${targets[@]}"
fi

# libFuzzer reports crashes itself; Swift's own backtracer would hold the dying process.
export SWIFT_BACKTRACE=enable=no
# An execution budget has no time limit of its own: allow a day, so nothing runs forever.
wall=$((limit > 0 ? limit + 600 : 86400))
failed=()
for target in "${targets[@]}"; do
    binary=$scratch/bin/$target
    seeds=$repo/Fuzz/corpus/$target
    work=$scratch/campaign/$target
    merged=$scratch/campaign/$target.merged
    log=$scratch/logs/campaign-$target.log
    [ -x "$binary" ] || { echo "no binary $binary" >&2; exit 1; }
    mkdir -p "$work" "$seeds"
    options=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$scratch/artifacts/$target-")
    if [ -f "$repo/Fuzz/dict/$target.dict" ]; then
        options+=(-dict="$repo/Fuzz/dict/$target.dict")
    fi
    status=0
    timeout --kill-after=30s "$wall" nice -n 10 "$binary" "${options[@]}" "${budget[@]}" \
        "$work" "$seeds" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    files=-
    if [ "$status" = 0 ]; then
        # Minimise into a fresh folder that starts with the hand-written seeds (any name that is
        # not libFuzzer's 40-hex-digit one), which are kept as they are: merging adds only the
        # earlier finds and new inputs that reach coverage the folder does not have yet.
        rm -rf "$merged" "$merged.found"
        mkdir -p "$merged" "$merged.found"
        for file in "$seeds"/*; do
            [ -f "$file" ] || continue
            if [[ $(basename "$file") =~ ^[0-9a-f]{40}$ ]]; then
                cp "$file" "$merged.found/"
            else
                cp "$file" "$merged/"
            fi
        done
        timeout --kill-after=30s 3600 nice -n 10 "$binary" -merge=1 "${options[@]}" \
            "$merged" "$merged.found" "$work" >>"$log" 2>&1 || status=$?
    fi
    if [ "$status" = 0 ]; then
        find "$seeds" -mindepth 1 -maxdepth 1 -type f -delete
        cp "$merged"/* "$seeds"/
        files=$(find "$seeds" -type f | wc -l)
    fi
    printf '%-14s %12s executions  %8s/s  %5s corpus files  %s\n' "$target" "${runs:-?}" \
        "${rate:-?}" "$files" "$([ "$status" = 0 ] && echo ok || echo "FAILED (exit $status)")"
    if [ "$status" != 0 ]; then
        failed+=("$target")
        grep -v '^#[0-9]' "$log" | tail -n 40 >&2
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "campaign failed: ${failed[*]} (logs and inputs in $scratch)" >&2
    exit 1
fi
