import HTTP1

/// A file of a site named on the command line (`--fallback`, `--error-page`): its target
/// decoded once at startup like a request's (behaviour §3.1), then looked up beneath the root, with
/// the open-file cache, like any file — confinement applies, and the bytes are always the file's
/// current ones.
public struct SitePage: Sendable, Equatable {
    /// The target as given (`/index.html`), for messages and the implicit Cache-Control rule.
    public let target: String
    /// The NUL-terminated lookup path.
    public let path: [UInt8]
    public let decoded: DecodedPath

    /// Decodes `target`; nil unless it is an absolute path that names a visible file: no
    /// trailing slash, no segment beginning with `.`, no query, no glob byte (`*`, `?`).
    public init?(_ target: String) {
        let bytes = Array(target.utf8)
        guard bytes.first == UInt8(ascii: "/"), !bytes.contains(UInt8(ascii: "*")),
            !bytes.contains(UInt8(ascii: "?"))
        else { return nil }
        var path: [UInt8] = []
        let result = bytes.withUnsafeBytes { TargetPathDecoder.decode($0, into: &path) }
        guard case .success(let decoded) = result, decoded.length > 0, !decoded.trailingSlash,
            !decoded.hasDotSegment
        else { return nil }
        self.target = target
        self.path = Array(path[..<decoded.length]) + [0]
        self.decoded = decoded
    }

    /// Puts the lookup path in `scratch` (its storage kept).
    func copyPath(into scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: path)
    }
}
