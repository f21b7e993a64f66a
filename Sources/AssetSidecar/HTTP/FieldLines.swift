/// The spans (offsets into the parsed buffer) of every field line of one list-valued field, in
/// order; only a repeated field allocates.
///
/// The spans are the field values with surrounding whitespace trimmed; an empty field line is
/// kept as an empty span, so a present-but-empty field is not mistaken for an absent one.
struct FieldLines: Sendable {
    /// The first line's value, or nil when the field is absent.
    var first: Range<Int>?
    /// The values of the second and later lines.
    var more: [Range<Int>] = []

    /// Whether the field is absent.
    var isEmpty: Bool { first == nil }

    /// Adds the value of one more line.
    mutating func append(_ value: Range<Int>) {
        if first == nil {
            first = value
        } else {
            more.append(value)
        }
    }

    /// Calls `body` with each line's value, in order.
    func forEach(_ body: (Range<Int>) throws -> Void) rethrows {
        guard let first else { return }
        try body(first)
        for value in more {
            try body(value)
        }
    }
}
