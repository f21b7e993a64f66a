#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine with Swift installed:
#   scripts/test.sh
# Installs what the tests need (only what is missing), builds, runs every Swift test target
# (unit tests, and integration tests that start the built binary under systemd-socket-activate
# and behind nginx), then the static checks of deploy/ and the benchmark command's self-test
# (Benchmarks/selftest.sh), then each front proxy's recipe against the binary
# (Tests/fronts/run.sh), then the real-systemd end-to-end test
# (Tests/e2e/run.sh: a container, so root is needed), the Debian package's build and its
# install-to-purge test in such a container (Tests/e2e/package.sh), then a two-minute soak
# (Tests/soak/run.sh), then the fuzz targets (Fuzz/run.sh) and the sanitizer runs
# (scripts/sanitizers.sh). Exits non-zero on any failure.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

"$repo/scripts/ensure-packages.sh" libsystemd-dev pkg-config nginx-light curl systemd \
    systemd-container haproxy apache2 varnish caddy dpkg-dev lintian man-db prometheus
# The metrics tests read the page with two independent parsers: promtool (from the prometheus
# package above; its service is never started) and the Python client library, from PyPI.
if ! python3 -c 'import prometheus_client' 2>/dev/null; then
    timeout 300 python3 -m pip install --quiet prometheus_client
fi
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
    PATH=$PATH:/opt/swift/usr/bin
fi
command -v swift >/dev/null || { echo "swift not found: install Swift 6 first" >&2; exit 1; }

step() { echo "== $*" >&2; }

step "swift build"
swift build
# The integration tests run this binary (Tests/IntegrationTests/Support/SidecarBinary.swift).
ASSET_SIDECAR_BIN=$(swift build --show-bin-path)/asset-sidecar
export ASSET_SIDECAR_BIN

# A hung test must not hang CI: the suite is bounded (TEST_TIMEOUT, default 15 minutes).
step "swift test"
timeout --kill-after=30s "${TEST_TIMEOUT:-15m}" swift test

step "deploy/check.sh"
deploy/check.sh

# Every § the code, tests and scripts cite is a heading of docs/behaviour.md.
step "scripts/check-citations.sh"
scripts/check-citations.sh --self-test
scripts/check-citations.sh

# The benchmark command's parts, without load: its tables (made-up results) and its cold-start
# client against the binary (Benchmarks/selftest.sh; Benchmarks/compare.sh itself measures).
step "Benchmarks/selftest.sh"
Benchmarks/selftest.sh

# Each front's recipe in deploy/ (nginx, HAProxy, Apache, Varnish, Caddy from Debian's
# packages, each on its own 127.0.0.1 port) in front of the real binary, checked with curl.
step "fronts: Tests/fronts/run.sh"
Tests/fronts/run.sh

# Real systemd in a container (Tests/e2e/run.sh): the deploy units, nginx, the release binary;
# its lifecycle part keeps 300 req/s on nginx through restarts, reloads and a hot upgrade.
step "e2e: Tests/e2e/run.sh"
swift build -c release --static-swift-stdlib
release_bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/asset-sidecar
SIDECAR_BIN=$release_bin timeout --kill-after=15s 360s Tests/e2e/run.sh

# The Debian package (scripts/build-deb.sh) of that same binary, then lintian on it and, in a
# booted systemd container, install, nginx, remove, reinstall, purge (Tests/e2e/package.sh).
step "package: scripts/build-deb.sh, Tests/e2e/package.sh"
deb=$(SIDECAR_BIN=$release_bin LINTIAN=0 scripts/build-deb.sh "$repo/.build/deb" | tail -n 1)
DEB=$deb timeout --kill-after=15s 240s Tests/e2e/package.sh

# The soak (Tests/soak/run.sh): 1,000 connections of mixed, hostile and faulty traffic for two
# minutes; zero framing errors, bounded RSS, descriptors back to idle, idle CPU near zero.
step "soak: Tests/soak/run.sh (SOAK_SECONDS=${SOAK_SECONDS:-120})"
ASSET_SIDECAR_BIN=$release_bin SOAK_SECONDS=${SOAK_SECONDS:-120} Tests/soak/run.sh

# Hostile input: each libFuzzer target's execution-bounded run (a fixed seed and execution count,
# about a minute each; FUZZ_SECONDS=S runs each for S seconds from a random seed instead), then
# the unit tests and the server under AddressSanitizer, UndefinedBehaviorSanitizer and
# ThreadSanitizer.
if [ -n "${FUZZ_SECONDS:-}" ]; then
    step "fuzz: Fuzz/run.sh --seconds $FUZZ_SECONDS"
    Fuzz/run.sh --seconds "$FUZZ_SECONDS"
else
    step "fuzz: Fuzz/run.sh"
    Fuzz/run.sh
fi
step "sanitizers: scripts/sanitizers.sh"
scripts/sanitizers.sh

step "all tests passed"
