#!/usr/bin/env bash
# Regenerates link/symbol-order.txt, the order in which lld lays out the release binary's
# functions (Package.swift passes it as --symbol-ordering-file): every function of the binary
# that runs from exec through start-up and while serving, hottest first, so that the code the
# server touches sits together instead of scattered over 10 MB of text. Each page fault on the
# binary maps its whole 64 KiB neighbourhood, so scattered code costs resident memory: with
# this order the serving process's peak RSS under W1 fell from 11.4 to 10.0 MiB (Benchmarks/
# compare.sh MEASURE=rss). The Swift standard library's non-generic code is one section of
# 1.6 MB that no order can split; the rest moves function by function.
#
#   scripts/symbol-order.sh        # release build, a run under callgrind, ~1 min
#
# Names that later disappear are ignored by the linker, so a stale order costs only memory;
# run this again after changes to the request path or start-up and commit the result.
# Needs libsystemd-dev and pkg-config (the build), valgrind, curl, python3 and binutils (strip),
# installed when missing.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/ensure-packages.sh" libsystemd-dev pkg-config valgrind curl python3 binutils
cd "$repo"
swift build -c release --static-swift-stdlib >&2
binary=$(swift build -c release --static-swift-stdlib --show-bin-path)/asset-sidecar

work=$(mktemp -d /tmp/symbol-order.XXXXXX)
server=
cleanup() {
    [ -z "$server" ] || kill -TERM "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# valgrind cannot read this toolchain's DWARF; the symbol table is all that is needed.
cp "$binary" "$work/asset-sidecar"
strip -g "$work/asset-sidecar"
root=$work/root
cp -r "$repo/examples/site" "$root"
head -c 1024 /dev/urandom >"$root/1k.bin"
head -c 65536 /dev/urandom >"$root/64k.bin"
gzip -k -9 "$root/style.css"

socket=$work/order.sock
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/callgrind.out" \
    "$work/asset-sidecar" --listen "$socket" --root "$root" --threads 1 \
    >"$work/valgrind.log" 2>&1 &
server=$!
for _ in $(seq 600); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { cat "$work/valgrind.log" >&2; exit 1; }

# The kinds of answer the server gives, several times each over kept-alive connections.
get() { curl -sS --unix-socket "$socket" "$@" >/dev/null; }
urls() { for _ in $(seq "$1"); do echo "http://localhost$2"; done; }
# shellcheck disable=SC2046
get $(urls 200 /1k.bin) $(urls 50 /64k.bin) $(urls 20 /) $(urls 20 /missing)
get -H 'Range: bytes=100-4195' $(urls 20 /64k.bin)
get -H 'Range: bytes=0-9,100-199' $(urls 10 /64k.bin)
get -H 'Accept-Encoding: gzip, br' $(urls 20 /style.css)
get -I $(urls 20 /1k.bin)
tag=$(curl -sS --unix-socket "$socket" -o /dev/null -D - http://localhost/1k.bin |
    tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
get -H "If-None-Match: $tag" $(urls 20 /1k.bin)
kill -TERM "$server"
wait "$server" || true
server=

python3 - "$work/callgrind.out" "$repo/link/symbol-order.txt" <<'PY'
import collections, re, sys

# callgrind names objects and functions once, as "ob=(N) name" / "fn=(N) name", and by
# number after that; cost lines ("LINE COST") follow the function they belong to, except the
# one after a "calls=" line, which is the callee's inclusive cost.
objects, functions, owner, cost = {}, {}, {}, collections.Counter()
current_object = current_function = None
after_call = False
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    match = re.match(r"^(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line)
    if match:
        kind, number, name = match.groups()
        table = objects if kind.endswith("ob") else functions
        if name:
            table[number] = name
        if kind == "ob":
            current_object = objects[number]
        elif kind == "fn":
            current_function = functions[number]
            owner[current_function] = current_object
        continue
    if line.startswith("calls="):
        after_call = True
        continue
    if current_function and re.match(r"^[+-]?\d+ \d+$", line):
        if not after_call:
            cost[current_function] += int(line.split()[1])
        after_call = False

ours = sys.argv[1].rsplit("/", 1)[0] + "/asset-sidecar"
names = []
for name, binary in owner.items():
    name = re.sub(r"'\d+$", "", name)  # callgrind's marks of recursion depth
    if binary == ours and not name.startswith(("(", "0x")) and name not in names:
        names.append(name)
names.sort(key=lambda name: -cost[name])
with open(sys.argv[2], "w") as out:
    out.write("\n".join(names) + "\n")
print(f"{len(names)} functions -> {sys.argv[2]}", file=sys.stderr)
PY
