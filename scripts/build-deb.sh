#!/usr/bin/env bash
# Builds the Debian package asset-sidecar_VERSION_ARCH.deb (behaviour §8) into OUTDIR (default:
# .build/deb) and runs lintian on it:
#   scripts/build-deb.sh [OUTDIR]
# The last line of output is the path of the .deb. Contents:
#   /usr/bin/asset-sidecar                   release build, --static-swift-stdlib, stripped
#   /lib/systemd/system/asset-sidecar.{socket,service}, asset-sidecar-metrics.socket
#                                            deploy/'s units as they are
#   /usr/share/man/man1/asset-sidecar.1.gz   swift-argument-parser's generate-manual plugin
#   /usr/share/bash-completion/completions/asset-sidecar, /usr/share/zsh/vendor-completions/
#   _asset-sidecar, /usr/share/fish/vendor_completions.d/asset-sidecar.fish
#                                            --generate-completion-script
#   /usr/share/doc/asset-sidecar/            copyright, changelog.Debian.gz, and
#                                            examples/nginx/asset-sidecar.conf (deploy/nginx).
#                                            An example, not a conffile: in conf.d it would
#                                            add a `listen 80` server to every nginx at once.
#   /usr/share/lintian/overrides/asset-sidecar  deploy/debian/lintian-overrides
# Maintainer scripts: deploy/debian/{postinst,prerm,postrm}, written after dh_installsystemd's
# snippets (enable and start asset-sidecar.socket on install, stop on remove, forget the
# enablement on purge); postinst creates the document root /srv/assets, postrm --purge
# removes it when empty.
#
# Environment:
#   SIDECAR_BIN     package this release binary instead of building one (scripts/test.sh
#                   passes the one it built with `swift build -c release --static-swift-stdlib`)
#   DEB_REVISION    the Debian revision (default 1): the package version is
#                   `asset-sidecar --version`-DEB_REVISION
#   DEB_MAINTAINER  the Maintainer field
#   SOURCE_DATE_EPOCH  the date of the changelog entry, the man page and every file (default:
#                   the last commit's), so that two builds of one commit are identical
#   LINTIAN=0       skip lintian (it is required otherwise)
#
# lintian (Debian 12, lintian 2.116) must report no error and no warning (--fail-on
# error,warning). One override, deploy/debian/lintian-overrides: initial-upload-closes-no-bugs
# (the package is not uploaded to Debian, there is no ITP bug to close). What it reports at
# the info level, and why it stays:
#   hardening-no-bindnow         swift build links without -z now; adding it would change
#                                every build's linker flags (Package.swift), not only this one
#   hardening-no-fortify-functions  Swift code calls no _chk variants of libc functions
#   package-supports-alternative-init-but-no-init.d-script  the service is socket-activated
#                                and Type=notify: it runs under systemd only, by design
#   spelling-error-in-binary     strings of the statically linked Swift runtime and ICU data
set -euo pipefail
export LC_ALL=C.UTF-8

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
outdir=${1:-$repo/.build/deb}
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

"$repo/scripts/ensure-packages.sh" dpkg-dev lintian libsystemd-dev pkg-config binutils
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
    PATH=$PATH:/opt/swift/usr/bin
fi
command -v swift >/dev/null || { echo "swift not found: install Swift 6 first" >&2; exit 1; }

step() { echo "== build-deb: $*" >&2; }

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH

# The man page. The plugin builds every product before it runs generate-manual on the
# executable; the debug configuration keeps it away from the static release binary (a
# release build by the plugin would relink .build/release/asset-sidecar without
# --static-swift-stdlib), and scripts/test.sh has built debug already.
step "man page (swift package generate-manual)"
nice -n 10 swift package generate-manual --configuration debug \
    --date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)" --authors "the asset-sidecar authors" >&2
manual=$repo/.build/plugins/GenerateManual/outputs/AssetSidecar/asset-sidecar.1
[ -s "$manual" ] || { echo "generate-manual wrote no $manual" >&2; exit 1; }

if [ -n "${SIDECAR_BIN:-}" ]; then
    bin=$SIDECAR_BIN
else
    step "release build (--static-swift-stdlib)"
    nice -n 10 swift build -c release --static-swift-stdlib >&2
    bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/asset-sidecar
fi
[ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 1; }
# The static-stdlib build links no Swift runtime library dynamically; the package's
# Depends below are computed from what it does link.
if objdump -p "$bin" | grep -E 'NEEDED +libswift' >&2; then
    echo "$bin links the Swift runtime dynamically: build with --static-swift-stdlib" >&2
    exit 1
fi

upstream=$("$bin" --version)
[[ $upstream =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || { echo "bad version from --version: '$upstream'" >&2; exit 1; }
version=$upstream-${DEB_REVISION:-1}
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-asset-sidecar maintainers <asset-sidecar@lists.example.org>}
deb=$outdir/asset-sidecar_${version}_$arch.deb
step "asset-sidecar $version ($arch) from $bin"

stage=$(mktemp -d "${TMPDIR:-/tmp}/asset-sidecar-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root
doc=$root/usr/share/doc/asset-sidecar
install -d -m 755 "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" \
    "$root/usr/share/man/man1" "$root/usr/share/bash-completion/completions" \
    "$root/usr/share/zsh/vendor-completions" "$root/usr/share/fish/vendor_completions.d" \
    "$doc/examples/nginx" "$root/usr/share/lintian/overrides"

# The binary, stripped the way dh_strip does it (lintian: unstripped-binary-or-object).
install -m 755 "$bin" "$root/usr/bin/asset-sidecar"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/bin/asset-sidecar"
[ "$("$root/usr/bin/asset-sidecar" --version)" = "$upstream" ] ||
    { echo "the stripped binary does not run" >&2; exit 1; }

for unit in asset-sidecar.socket asset-sidecar.service asset-sidecar-metrics.socket; do
    install -m 644 "$repo/deploy/$unit" "$root/lib/systemd/system/"
done
# The unit must start the binary this package installs.
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$root/lib/systemd/system/asset-sidecar.service")
[ "$exec_start" = /usr/bin/asset-sidecar ] ||
    { echo "deploy/asset-sidecar.service: ExecStart=$exec_start, the package installs /usr/bin/asset-sidecar" >&2; exit 1; }

# generate-manual's mdoc has an empty line between discussion paragraphs, which mdoc
# warns about (lintian: groff-message); .Pp is mdoc's paragraph break.
sed 's/^$/.Pp/' "$manual" | gzip -9n >"$root/usr/share/man/man1/asset-sidecar.1.gz"
chmod 644 "$root/usr/share/man/man1/asset-sidecar.1.gz"

# bash sources completion files: no #! line (lintian: bash-completion-with-hashbang).
"$bin" --generate-completion-script bash | sed '1{/^#!/d}' \
    >"$root/usr/share/bash-completion/completions/asset-sidecar"
"$bin" --generate-completion-script zsh >"$root/usr/share/zsh/vendor-completions/_asset-sidecar"
"$bin" --generate-completion-script fish >"$root/usr/share/fish/vendor_completions.d/asset-sidecar.fish"
for script in "$root/usr/share/bash-completion/completions/asset-sidecar" \
    "$root/usr/share/zsh/vendor-completions/_asset-sidecar" \
    "$root/usr/share/fish/vendor_completions.d/asset-sidecar.fish"; do
    [ -s "$script" ] || { echo "empty completion script $script" >&2; exit 1; }
    chmod 644 "$script"
done

install -m 644 "$repo/deploy/debian/copyright" "$doc/copyright"
install -m 644 "$repo/deploy/nginx/asset-sidecar.conf" "$doc/examples/nginx/"
install -m 644 "$repo/deploy/debian/lintian-overrides" \
    "$root/usr/share/lintian/overrides/asset-sidecar"
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo "asset-sidecar ($version) unstable; urgency=medium"
    echo
    echo "  * Built by scripts/build-deb.sh from commit $commit."
    echo
    echo " -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.Debian.gz"
chmod 644 "$doc/changelog.Debian.gz"

for script in postinst prerm postrm; do
    install -m 755 "$repo/deploy/debian/$script" "$root/DEBIAN/$script"
done

# Depends, computed by dpkg-shlibdeps from the binary's NEEDED entries and the symbol
# versions it uses (glibc, libstdc++, libgcc_s, libsystemd); it reads debian/control of a
# stand-in source tree.
mkdir -p "$stage/src/debian"
printf 'Source: asset-sidecar\n\nPackage: asset-sidecar\nArchitecture: any\n' \
    >"$stage/src/debian/control"
depends=$(cd "$stage/src" && dpkg-shlibdeps -O "$root/usr/bin/asset-sidecar" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')
[[ $depends == *libc6* && $depends == *libsystemd0* ]] ||
    { echo "dpkg-shlibdeps gave Depends: '$depends'" >&2; exit 1; }

installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@INSTALLED_SIZE@|$installed_size|" -e "s|@DEPENDS@|$depends|" \
    "$repo/deploy/debian/control" >"$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
    xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

rm -f "$deb"
dpkg-deb --build --root-owner-group -Zxz "$root" "$deb" >&2
step "$(du -h "$deb" | cut -f1) $deb; Depends: $depends"

if [ "${LINTIAN:-1}" != 0 ]; then
    step "lintian"
    lintian --fail-on error,warning --display-info "$deb" >&2
    step "lintian: no error, no warning"
fi
echo "$deb"
