#!/usr/bin/env bash
# Builds asset-sidecar and serves examples/site on a Unix socket, socket-activated the way
# systemd does it, in the foreground (Ctrl-C stops it). On a fresh Debian 12 machine with Swift:
#   scripts/run-example.sh
# RUNDIR (default: a new temporary directory) holds the socket and the served copy of the site.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

"$repo/scripts/ensure-packages.sh" libsystemd-dev pkg-config curl systemd
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
    PATH=$PATH:/opt/swift/usr/bin
fi
command -v swift >/dev/null || { echo "swift not found: install Swift 6 first" >&2; exit 1; }

swift build -c release
bin=$(swift build -c release --show-bin-path)/asset-sidecar

if [ -n "${RUNDIR:-}" ]; then
    rundir=$RUNDIR
    mkdir -p "$rundir"
else
    rundir=$(mktemp -d "${TMPDIR:-/tmp}/asset-sidecar-example.XXXXXX")
fi
sock=$rundir/assets.sock
site=$rundir/site
rm -rf "$site" "$sock"
cleanup() {
    rm -rf "$site" "$sock"
    [ -n "${RUNDIR:-}" ] || rmdir "$rundir"
}
trap cleanup EXIT

# Serve a copy, plus a 1 MiB file for range requests that is generated rather than committed:
# 16384 lines of 64 bytes, each starting with its own byte offset.
cp -R examples/site "$site"
mkdir -p "$site/media"
awk 'BEGIN { for (i = 0; i < 16384; i++) printf "%08d %-54s\n", i * 64, "example line" }' \
    >"$site/media/sample.txt"
gzip -9 -n -k "$site/style.css"

url=http://localhost
cat <<EOF

Serving $site
on $sock (socket-activated; the server starts on the first connection).
Try, from another terminal:

  # a whole file, with its response header
  curl -i --unix-socket $sock $url/
  # HEAD: the same header, no body
  curl -I --unix-socket $sock $url/app.js
  # bytes 64-191: 206 Partial Content with Content-Range: bytes 64-191/1048576
  curl -i --unix-socket $sock -r 64-191 $url/media/sample.txt
  # revalidation: 304 Not Modified when the ETag still matches
  etag=\$(curl -sI --unix-socket $sock $url/style.css | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
  curl -i --unix-socket $sock -H "If-None-Match: \$etag" $url/style.css
  # a content-hashed name: Cache-Control: public, max-age=31536000, immutable
  curl -I --unix-socket $sock $url/bytes.3c995fba.js
  # the precompressed style.css.gz, chosen by Accept-Encoding
  curl -I --unix-socket $sock -H 'Accept-Encoding: gzip' $url/style.css
  # a directory without its slash: 301 with Location: media/
  curl -I --unix-socket $sock $url/media

Ctrl-C stops the server.

EOF

systemd-socket-activate -l "$sock" --fdname=assets -- "$bin" --root "$site"
