/// `Cache-Control` by path (behaviour §4.4): operator rules `PATTERN=VALUE` in order, first match
/// wins; without a match, content-hashed names get `public, max-age=31536000, immutable` and
/// other names no field at all.
///
/// Patterns are ``PathPattern`` globs. A name is content-hashed when a component before its
/// extension, after a `.` or `-`, is 8–64 lowercase hex digits with at least one digit and one
/// letter (`app.3f9a1c2b.js`), or 8 characters of `[A-Za-z0-9_-]` mixing a digit, an uppercase
/// and a lowercase letter (`index-BXk7Wq2N.js`, as Vite names chunks).
public struct CacheControlRules: Sendable {
    /// One `--cache-control` rule.
    public struct Rule: Sendable, Equatable {
        public var pattern: [UInt8]
        public var value: [UInt8]

        public init(pattern: [UInt8], value: [UInt8]) {
            self.pattern = pattern
            self.value = value
        }
    }

    public let rules: [Rule]

    public static let immutable: [UInt8] = Array("public, max-age=31536000, immutable".utf8)

    /// Rules already validated by the configuration builder, in order.
    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// The `Cache-Control` value for the relative lookup `path` (no leading `/`), if any.
    public func value(for path: UnsafeRawBufferPointer) -> [UInt8]? {
        for rule in rules where Self.matches(rule.pattern, path) {
            return rule.value
        }
        return Self.isContentHashed(PathPattern.finalSegment(path)) ? Self.immutable : nil
    }

    /// Whether `pattern` matches `path` (a ``PathPattern``).
    public static func matches(_ pattern: [UInt8], _ path: UnsafeRawBufferPointer) -> Bool {
        PathPattern(pattern).matches(path)
    }

    /// Whether a file name carries a content hash (see the type's documentation).
    public static func isContentHashed(_ name: [UInt8]) -> Bool {
        var start = 0
        for (index, byte) in name.enumerated() where byte == 46 || byte == 45 {
            if index > start, start > 0, byte == 46, isHash(name[start..<index]) {
                return true
            }
            start = index + 1
        }
        return false
    }

    private static func isHash(_ token: ArraySlice<UInt8>) -> Bool {
        let digits = token.contains { (48...57).contains($0) }
        let lower = token.contains { (97...122).contains($0) }
        let upper = token.contains { (65...90).contains($0) }
        let hex = token.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        if (8...64).contains(token.count) && hex && digits && lower { return true }
        let base64 = token.allSatisfy {
            (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0)
                || $0 == 95 || $0 == 45
        }
        return token.count == 8 && base64 && digits && lower && upper
    }
}
