#!/usr/bin/env bash
# Soak test: 1,000 concurrent Unix-socket connections against a release asset-sidecar for
# SOAK_SECONDS (default 600; CI runs SOAK_SECONDS=120), mixing well-behaved clients (whole
# files, ranges, multi-ranges, HEAD, conditional and pipelined requests, slow readers, all
# verified byte for byte) with hostile ones (aborts, stalled readers, slowloris, idlers,
# invalid requests) while files are replaced by rename and truncated in place. Fails on any
# framing error or violation, on peak RSS over SOAK_RSS_LIMIT_MIB, on descriptors that do not
# return to the idle set, on idle CPU, or on an unclean shutdown. The client is
# Tests/soak/ (Python 3, stdlib only).
#
#   Tests/soak/run.sh                                   # 10 minutes
#   SOAK_SECONDS=120 Tests/soak/run.sh                  # CI
#   ASSET_SIDECAR_BIN=path SOAK_ACTIVATION=socket Tests/soak/run.sh   # under systemd-socket-activate
#
# Other knobs: SOAK_CONNECTIONS (1000), SOAK_WORKERS (2 client processes), SOAK_THREADS
# (server --threads, 2), SOAK_RSS_LIMIT_MIB (256), SOAK_SEED (1), SOAK_MIX (JSON weights
# of client kinds, e.g. '{"pipeline": 1}', to reproduce a problem), SOAK_KEEP=1 keeps the
# work directory (document root, server log). The whole run is bounded by `timeout`.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${SOAK_SECONDS:-600}
connections=${SOAK_CONNECTIONS:-1000}

# Bound everything: the build, the load, the workers' grace to finish (90 s) and the checks.
if [ -z "${SOAK_BOUNDED:-}" ]; then
    export SOAK_BOUNDED=1
    exec timeout --kill-after=15s "$((seconds + 600))s" "$0" "$@"
fi

if [ -z "${ASSET_SIDECAR_BIN:-}" ]; then
    if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
        PATH=$PATH:/opt/swift/usr/bin
    fi
    "$repo/scripts/ensure-packages.sh" libsystemd-dev pkg-config
    (cd "$repo" && swift build -c release)
    ASSET_SIDECAR_BIN=$(cd "$repo" && swift build -c release --show-bin-path)/asset-sidecar
fi
[ "${SOAK_ACTIVATION:-listen}" = listen ] || "$repo/scripts/ensure-packages.sh" systemd
command -v python3 >/dev/null || "$repo/scripts/ensure-packages.sh" python3

# Each connection is a descriptor in the server and in a client process.
ulimit -n $((connections * 2 + 1024))
# No __pycache__ in the source tree.
export PYTHONDONTWRITEBYTECODE=1

workdir=$(mktemp -d /tmp/asset-sidecar-soak.XXXXXX)
cleanup() {
    if [ "${SOAK_KEEP:-}" = 1 ]; then
        echo "soak: kept $workdir" >&2
    else
        rm -rf "$workdir"
    fi
}
trap cleanup EXIT

python3 "$repo/Tests/soak/soak.py" \
    --binary "$ASSET_SIDECAR_BIN" \
    --workdir "$workdir" \
    --seconds "$seconds" \
    --connections "$connections" \
    --workers "${SOAK_WORKERS:-2}" \
    --threads "${SOAK_THREADS:-2}" \
    --activation "${SOAK_ACTIVATION:-listen}" \
    --rss-limit-mib "${SOAK_RSS_LIMIT_MIB:-256}" \
    --seed "${SOAK_SEED:-1}" \
    ${SOAK_MIX:+--mix "$SOAK_MIX"}
