import HTTP1

/// Operator fields by path (`--header 'PATTERN=Name: value'`, behaviour §4.5): added to the 200, 206
/// and 304 responses of the files whose path matches, never to errors. The same
/// ``PathPattern`` globs and first-match rule as `--cache-control`, where every `--header` with
/// the same pattern belongs to one set: the first pattern that matches adds its whole set (so
/// `*.html` can carry several security fields), later patterns none.
///
/// The fields are rendered once at startup; each representation copies its set when its file
/// is opened, so a response only appends bytes it already holds.
public struct HeaderRules: Sendable {
    /// One `--header` field, checked by ``check(name:value:)``.
    public struct Rule: Sendable, Equatable {
        public var pattern: PathPattern
        public var name: [UInt8]
        public var value: [UInt8]

        public init(pattern: PathPattern, name: [UInt8], value: [UInt8]) {
            self.pattern = pattern
            self.name = name
            self.value = value
        }
    }

    /// One set: the pattern and its fields, rendered (`Name: value\r\n` each).
    private struct FieldSet: Sendable {
        var pattern: PathPattern
        var lines: [UInt8]
    }

    private let sets: [FieldSet]

    /// Whether no rule is configured.
    public var isEmpty: Bool { sets.isEmpty }

    /// Rules already checked, in command-line order; rules with equal patterns form one set.
    public init(rules: [Rule]) {
        var sets: [FieldSet] = []
        for rule in rules {
            var line = rule.name
            line.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            line.append(contentsOf: rule.value)
            line.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
            if let index = sets.firstIndex(where: { $0.pattern == rule.pattern }) {
                sets[index].lines.append(contentsOf: line)
            } else {
                sets.append(FieldSet(pattern: rule.pattern, lines: line))
            }
        }
        self.sets = sets
    }

    /// The rendered fields for the relative lookup `path` (no leading `/`, no NUL); empty when
    /// no pattern matches.
    public func lines(for path: UnsafeRawBufferPointer) -> [UInt8] {
        sets.first { $0.pattern.matches(path) }?.lines ?? []
    }

    /// Why `name: value` cannot be an operator field, or nil when it can: the name must be a
    /// token and not one the server writes or a hop-by-hop field (RFC 9110 §5.1, §7.6.1); the
    /// value non-empty field-value bytes without surrounding whitespace (RFC 9110 §5.5: no CR,
    /// LF or NUL, so no field can be injected).
    public static func check(name: [UInt8], value: [UInt8]) -> String? {
        guard !name.isEmpty, name.allSatisfy({ ByteClass.table[Int($0)] & ByteClass.token != 0 })
        else { return "the field name must be a token" }
        let lowered = String(decoding: name, as: UTF8.self).lowercased()
        if lowered == "cache-control" { return "Cache-Control is set with --cache-control" }
        if serverOwned.contains(lowered) || lowered.hasPrefix("proxy-") {
            return "\(String(decoding: name, as: UTF8.self)) is written by the server itself"
        }
        guard !value.isEmpty,
            value.allSatisfy({ ByteClass.table[Int($0)] & ByteClass.fieldValue != 0 }),
            value.first != 32, value.first != 9, value.last != 32, value.last != 9
        else { return "the value must be visible field-value bytes (no CR, LF or NUL)" }
        return nil
    }

    /// Fields the server writes on some response, and hop-by-hop fields (RFC 9110 §7.6.1),
    /// lowercased: an operator copy would send them twice or break the framing.
    public static let serverOwned: Set<String> = [
        "accept-ranges", "allow", "connection", "content-encoding", "content-length",
        "content-range", "content-type", "date", "etag", "keep-alive", "last-modified", "location",
        "te", "trailer", "transfer-encoding", "upgrade", "vary",
    ]
}
