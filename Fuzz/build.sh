#!/usr/bin/env bash
# Builds the libFuzzer targets (AddressSanitizer + libFuzzer, optimised, with debug info) from
# the Fuzz package (Fuzz/Package.swift), which depends on the server's library products:
#   Fuzz/build.sh OUTDIR [TARGET...]      (default: every target)
# and copies each target's binary to OUTDIR/TARGET. The package's build folder is Fuzz/.build
# (git ignores it), so later builds are incremental.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: Fuzz/build.sh OUTDIR [TARGET...]" >&2; exit 2; }
out=$1
shift
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
    PATH=$PATH:/opt/swift/usr/bin
fi
# shellcheck source=Fuzz/targets.sh
. "$repo/Fuzz/targets.sh"
# -sanitize=fuzzer instruments for coverage and links libFuzzer; each target's main hands the
# process to libFuzzer's driver (FuzzDriver), so no Swift main competes with libFuzzer's.
flags=(-c release --package-path "$repo/Fuzz" -Xswiftc "-sanitize=fuzzer,address" -Xswiftc -g
    -Xswiftc -use-ld=lld)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    # One build of the whole package, which SwiftPM runs in parallel.
    mapfile -t targets < <(fuzz_targets "$repo")
    echo "building fuzz targets ${targets[*]}" >&2
    timeout 20m nice -n 10 swift build "${flags[@]}"
else
    for target in "${targets[@]}"; do
        echo "building fuzz target $target" >&2
        timeout 20m nice -n 10 swift build "${flags[@]}" --product "$target"
    done
fi
mkdir -p "$out"
bin=$(timeout 5m swift build "${flags[@]}" --show-bin-path)
for target in "${targets[@]}"; do
    cp "$bin/$target" "$out/$target"
done
