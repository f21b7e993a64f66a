import ArgumentParser

/// A duration given on the command line: a number with a unit (`ms`, `s`, `m` or `min`, `h`); a bare
/// number means seconds. Stored in milliseconds.
struct DurationArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// The duration in milliseconds.
    var milliseconds: Int64

    init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    init?(argument: String) {
        let units: [(suffix: String, factor: Int64)] = [
            ("ms", 1), ("min", 60_000), ("s", 1000), ("m", 60_000), ("h", 3_600_000),
        ]
        var digits = Substring(argument)
        var factor: Int64 = 1000
        for unit in units where argument.hasSuffix(unit.suffix) {
            digits = argument.dropLast(unit.suffix.count)
            factor = unit.factor
            break
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let value = Int64(digits),
            value <= Int64.max / factor
        else { return nil }
        milliseconds = value * factor
    }

    var description: String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    var defaultValueDescription: String { description }
}

extension Character {
    /// True for the ten ASCII digits only (unlike `isNumber`, which accepts other scripts).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
