import ArgumentParser

/// A byte count given on the command line: a number with an optional binary suffix
/// (`k`, `m`, `g` for KiB, MiB, GiB; either case).
struct ByteCountArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// The count in bytes.
    var bytes: Int64

    init(bytes: Int64) {
        self.bytes = bytes
    }

    init?(argument: String) {
        var digits = Substring(argument)
        var factor: Int64 = 1
        switch argument.last {
        case "k", "K": factor = 1 << 10
        case "m", "M": factor = 1 << 20
        case "g", "G": factor = 1 << 30
        default: break
        }
        if factor != 1 { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let value = Int64(digits),
            value <= Int64.max / factor
        else { return nil }
        bytes = value * factor
    }

    var description: String {
        for (suffix, shift) in [("g", 30), ("m", 20), ("k", 10)]
        where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(suffix)"
        }
        return "\(bytes)"
    }

    var defaultValueDescription: String { description }
}
