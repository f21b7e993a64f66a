/// The spans (offsets into the parsed buffer) of every field line of one list-valued field, in
/// order; only a repeated field allocates. A `Sequence` of those spans (`forEach`, `for in`).
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

    /// Iterates over the lines' values, in order.
    struct Iterator: IteratorProtocol {
        private var lines: FieldLines
        private var index = -1

        init(_ lines: FieldLines) {
            self.lines = lines
        }

        mutating func next() -> Range<Int>? {
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
    func makeIterator() -> Iterator {
        Iterator(self)
    }
}
