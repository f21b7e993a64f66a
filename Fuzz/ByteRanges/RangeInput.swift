import Semantics

/// How the range target reads its input: an optional first line `LENGTH MAXRANGES` (decimal)
/// followed by the `Range` field value, e.g. "1000 16\nbytes=0-99,-5". Without that line the
/// whole input is the value, resolved against 10 000 bytes with at most 16 ranges.
struct RangeInput {
    /// The representation length (saturated at `Int64.max`).
    var length: Int64 = 10_000
    /// The `--max-ranges` setting, 0 to 64.
    var maxRanges = 16
    /// The `Range` field value.
    var value: UnsafeRawBufferPointer

    /// Splits `input` into its settings and the value.
    init(_ input: UnsafeRawBufferPointer) {
        value = input
        guard let newline = input.firstIndex(of: 0x0A),
            let space = input[..<newline].firstIndex(of: 0x20),
            let length = Self.decimal(input[..<space]),
            let maxRanges = Self.decimal(input[(space + 1)..<newline])
        else { return }
        self.length = length
        self.maxRanges = Int(min(maxRanges, 64))
        value = UnsafeRawBufferPointer(rebasing: input[(newline + 1)...])
    }

    /// The value of one or more decimal digits, saturated at `Int64.max`; nil for anything else.
    private static func decimal(_ digits: Slice<UnsafeRawBufferPointer>) -> Int64? {
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(Int64(byte - 0x30))
            value = overflow || carry ? Int64.max : sum
        }
        return value
    }
}
