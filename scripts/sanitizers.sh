#!/usr/bin/env bash
# The unit tests and the server under sanitizers, on a Debian 12 machine with Swift:
#   scripts/sanitizers.sh
# For each of AddressSanitizer (scratch .build-asan), UndefinedBehaviorSanitizer (.build-ubsan)
# and ThreadSanitizer (.build-tsan): the unit tests (not for TSan), then the debug server, with
# two event loops, under the soak's mixed and hostile traffic (Tests/soak/run.sh) for
# LOAD_SECONDS; with ASan also the integration tests, run against the ASan server
# (ASSET_SIDECAR_BIN). Any sanitizer report, failed test, soak failure or non-zero exit fails
# the script; the reports are printed.
#
# UBSan instruments the C only (the CLinux and CSystemd shims, and the C in dependencies): the
# Swift compiler refuses -sanitize=undefined, and Swift code traps on overflow, out-of-bounds
# access and nil by itself. LeakSanitizer stays on with ASan (scripts/lsan-suppressions.txt).
#
# Environment: LOAD_SECONDS (default 30); SANITIZER_SCRATCH, the directory for the .build-*
# scratch paths (default: the repository, where git ignores them); SANITIZER_STEP_TIMEOUT
# (default 20m, per step). Prints the time each step took.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

"$repo/scripts/ensure-packages.sh" libsystemd-dev pkg-config nginx-light curl systemd python3
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
    PATH=$PATH:/opt/swift/usr/bin
fi
command -v swift >/dev/null || { echo "swift not found: install Swift 6 first" >&2; exit 1; }

scratch=${SANITIZER_SCRATCH:-$repo}
load_seconds=${LOAD_SECONDS:-30}
step_timeout=${SANITIZER_STEP_TIMEOUT:-20m}
timings=()

# The servers' sanitizer reports go to files here (log_path), printed when the script ends.
reports=$(mktemp -d "${TMPDIR:-/tmp}/asset-sidecar-sanitizers.XXXXXX")
finish() {
    if compgen -G "$reports/report.*" >/dev/null; then
        echo "== sanitizer reports of the server:" >&2
        cat "$reports"/report.* >&2
    fi
    rm -rf "$reports"
}
trap finish EXIT

# Runs "$@" bounded by the step timeout, and records how long it took under the name $1.
step() {
    local name=$1
    shift
    echo "== $name" >&2
    local start=$SECONDS
    timeout --kill-after=30s "$step_timeout" "$@"
    timings+=("$(printf '%-30s %5ss' "$name" $((SECONDS - start)))")
}

# Runs the soak against the server binary $2 as step $1, then fails if a sanitizer wrote a
# report (a TSan report also stops the server: halt_on_error; ASan and UBSan abort by default).
soak_step() {
    step "$1" env ASSET_SIDECAR_BIN="$2" SOAK_SECONDS="$load_seconds" SOAK_CONNECTIONS=100 \
        SOAK_RSS_LIMIT_MIB=4096 ASAN_OPTIONS="log_path=$reports/report" \
        UBSAN_OPTIONS="print_stacktrace=1:log_path=$reports/report" \
        TSAN_OPTIONS="halt_on_error=1:exitcode=66:log_path=$reports/report" Tests/soak/run.sh
    if compgen -G "$reports/report.*" >/dev/null; then
        echo "sanitizers: $1 reported a problem" >&2
        exit 1
    fi
}

# Swift's backtracer must not hold a crashing process; the sanitizer prints the report.
export SWIFT_BACKTRACE=enable=no
export LSAN_OPTIONS=suppressions=$repo/scripts/lsan-suppressions.txt:print_suppressions=0

# The flags that select each sanitizer, for swift build and swift test alike.
asan=(-c debug --sanitize=address --scratch-path "$scratch/.build-asan")
swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
ubsan_runtime=$swift_bin/../lib/swift/clang/lib/linux/libclang_rt.ubsan_standalone-$(uname -m).a
[ -f "$ubsan_runtime" ] || { echo "no UBSan runtime at $ubsan_runtime" >&2; exit 1; }
ubsan=(-c debug --scratch-path "$scratch/.build-ubsan" -Xcc -fsanitize=undefined
    -Xcc -fno-sanitize-recover=undefined -Xlinker "$ubsan_runtime")
tsan=(-c debug --sanitize=thread --scratch-path "$scratch/.build-tsan")

step "ASan: unit tests" swift test "${asan[@]}" --skip IntegrationTests
step "ASan: server build" swift build "${asan[@]}" --product asset-sidecar
asan_bin=$(swift build "${asan[@]}" --show-bin-path)/asset-sidecar
soak_step "ASan: server under the soak" "$asan_bin"
step "ASan: integration tests" env ASSET_SIDECAR_BIN="$asan_bin" \
    swift test "${asan[@]}" --filter IntegrationTests

step "UBSan: unit tests" swift test "${ubsan[@]}" --skip IntegrationTests
step "UBSan: server build" swift build "${ubsan[@]}" --product asset-sidecar
soak_step "UBSan: server under the soak" "$(swift build "${ubsan[@]}" --show-bin-path)/asset-sidecar"

step "TSan: server build" swift build "${tsan[@]}" --product asset-sidecar
soak_step "TSan: server under the soak" "$(swift build "${tsan[@]}" --show-bin-path)/asset-sidecar"

echo "== sanitizers: no report; time per step:" >&2
printf '   %s\n' "${timings[@]}" >&2
