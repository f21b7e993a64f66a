import HTTP1

/// `--fallback /index.html` (behaviour §4.6), for single-page applications: a GET or HEAD whose path
/// names no file is answered with this file, status 200, its own validators, preconditions and
/// ranges. Only a 404 of the files stage falls back — never a hidden path, a path refused by
/// confinement (403), a malformed target (400) or a directory redirect (301) — and, unless
/// `--fallback-extensions any`, only when the last segment has no extension (`/app/settings`
/// falls back, a missing `/app.js` stays 404).
public struct Fallback: Sendable {
    /// Which missing paths fall back.
    public enum Extensions: String, Sendable, CaseIterable {
        /// Only paths whose last segment has no `.` after its first byte.
        case none
        /// Every missing path.
        case any
    }

    public var page: SitePage
    public var extensions: Extensions

    public init(page: SitePage, extensions: Extensions) {
        self.page = page
        self.extensions = extensions
    }

    /// Whether a missing decoded path (`decoded.length` bytes of `path`) falls back.
    func applies(to path: [UInt8], _ decoded: DecodedPath) -> Bool {
        guard extensions == .none else { return true }
        var index = decoded.length
        while index > 0 && path[index - 1] != UInt8(ascii: "/") {
            index -= 1
            if path[index] == UInt8(ascii: ".") && index > 0 && path[index - 1] != UInt8(ascii: "/")
            {
                return false
            }
        }
        return true
    }
}
