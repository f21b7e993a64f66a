import HTTP1

/// The dotfile rule (behaviour §3.2), in one place.
enum HiddenPath {
    /// Whether the decoded lookup path (`decoded.length` bytes of `path`) is hidden: some
    /// segment begins with `.`, except a leading `.well-known`.
    static func isHidden(_ path: [UInt8], _ decoded: DecodedPath) -> Bool {
        guard decoded.hasDotSegment else { return false }
        var index = 0
        var first = true
        while index < decoded.length {
            var end = index
            while end < decoded.length && path[end] != UInt8(ascii: "/") { end += 1 }
            if path[index] == UInt8(ascii: ".") && !(first && decoded.isWellKnown) { return true }
            first = false
            index = end + 1
        }
        return false
    }
}
