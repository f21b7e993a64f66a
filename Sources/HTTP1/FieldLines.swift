/// The spans (offsets into the parsed buffer) of every field line of one list-valued field, in
/// order; only a repeated field allocates. A `Sequence` of those spans (`forEach`, `for in`).
///
/// The spans are the field values with surrounding whitespace trimmed; an empty field line is
/// kept as an empty span, so a present-but-empty field is not mistaken for an absent one.
public struct FieldLines: Sendable {
    /// The first line's value, or nil when the field is absent.
    public var first: Range<Int>?
    /// The values of the second and later lines.
    public var more: [Range<Int>] = []

    /// Whether the field is absent.
    public var isEmpty: Bool { first == nil }

    /// Adds the value of one more line.
    public mutating func append(_ value: Range<Int>) {
        if first == nil {
            first = value
        } else {
            more.append(value)
        }
    }

    /// Makes the field absent again; the array of further lines, when a repeated field used it,
    /// is dropped (a repeated list field is rare, and keeping its storage would tie memory to
    /// an idle connection).
    mutating func clear() {
        first = nil
        if !more.isEmpty { more = [] }
    }

    /// Iterates over the lines' values, in order.
    public struct Iterator: IteratorProtocol {
        private var lines: FieldLines
        private var index = -1

        public init(_ lines: FieldLines) {
            self.lines = lines
        }

        public mutating func next() -> Range<Int>? {
            let current = index
            index += 1
            if current < 0 {
                return lines.first
            }
            return current < lines.more.count ? lines.more[current] : nil
        }
    }
}

extension FieldLines: Sequence {
    public func makeIterator() -> Iterator {
        Iterator(self)
    }
}
