/// The release version, the one source of it: `asset-sidecar --version` prints it, and
/// `scripts/build-deb.sh` reads it from there for the Debian package's version.
let sidecarVersion = "0.1.0"
