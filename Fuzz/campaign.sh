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

# The whole campaign is one function, read before it starts: the script may change on disk
# while a campaign of an hour runs.
main() {
    repo=$(cd "$(dirname "$0")/.." && pwd)
    usage() {
        echo "usage: Fuzz/campaign.sh [--execs N | --seconds S] [--no-build] [TARGET...]" >&2
        exit 2
    }
    budget=(-runs=10000000)
    limit=0
    build=yes
    named=()
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
                named+=("$1")
                shift
                ;;
        esac
    done
    # shellcheck source=Fuzz/targets.sh
    . "$repo/Fuzz/targets.sh"
    targets=("${named[@]}")
    if [ ${#targets[@]} -eq 0 ]; then
        mapfile -t targets < <(fuzz_targets "$repo")
    fi
    scratch=${FUZZ_SCRATCH:-$repo/.build-fuzz}
    mkdir -p "$scratch/logs" "$scratch/artifacts"
    if [ "$build" = yes ]; then
        "$repo/Fuzz/build.sh" "$scratch/bin" "${named[@]}"
    fi

    # libFuzzer reports crashes itself; Swift's own backtracer would hold the dying process.
    export SWIFT_BACKTRACE=enable=no
    # An execution budget has no time limit of its own: allow a day, so nothing runs forever.
    wall=$((limit > 0 ? limit + 600 : 86400))
    failed=()
    for target in "${targets[@]}"; do
        binary=$scratch/bin/$target
        mapfile -t folders < <(fuzz_seeds "$repo" "$target")
        seeds=${folders[0]}
        work=$scratch/campaign/$target
        merged=$scratch/campaign/$target.merged
        log=$scratch/logs/campaign-$target.log
        [ -x "$binary" ] || { echo "no binary $binary" >&2; exit 1; }
        mkdir -p "$work" "$seeds"
        mapfile -t options < <(fuzz_options "$repo" "$target" "$scratch/artifacts/$target-")
        status=0
        timeout --kill-after=30s "$wall" nice -n 10 "$binary" "${options[@]}" "${budget[@]}" \
            "$work" "${folders[@]}" >"$log" 2>&1 || status=$?
        files=-
        if [ "$status" = 0 ]; then
            # Minimise into a fresh folder that starts with the hand-written seeds (any name that is
            # not libFuzzer's 40-hex-digit one), which are kept as they are, and with the other seed
            # folders' inputs (another target's corpus), which are left out again afterwards. The
            # merge adds the fewest earlier finds and new inputs that cover every edge the folder
            # does not cover yet (edges, not hit counts: the corpus stays small).
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
            for folder in "${folders[@]:1}"; do
                for file in "$folder"/*; do
                    [ -f "$file" ] && cp "$file" "$merged/other-$(basename "$file")"
                done
            done
            timeout --kill-after=30s 3600 nice -n 10 "$binary" -set_cover_merge=1 -use_counters=0 \
                "${options[@]}" "$merged" "$merged.found" "$work" >>"$log" 2>&1 || status=$?
            rm -f "$merged"/other-*
        fi
        if [ "$status" = 0 ]; then
            find "$seeds" -mindepth 1 -maxdepth 1 -type f -delete
            cp "$merged"/* "$seeds"/
            files=$(find "$seeds" -type f | wc -l)
        fi
        printf '%-14s %12s executions  %8s/s  %5s corpus files  %s\n' "$target" \
            "$(fuzz_stat "$log" number_of_executed_units)" \
            "$(fuzz_stat "$log" average_exec_per_sec)" "$files" "$(fuzz_outcome "$status" "$log")"
        if [ "$status" != 0 ]; then
            failed+=("$target")
        fi
    done

    if [ ${#failed[@]} -gt 0 ]; then
        echo "campaign failed: ${failed[*]} (logs and inputs in $scratch)" >&2
        exit 1
    fi
}

main "$@"
