import FuzzSupport
import HTTP1
import Semantics

/// Properties of `ContentCoding.choose` (behaviour §4.3, RFC 9110 §12.5.3) for one input.
enum CodingCheck {
    /// Checks the choice for the input's Accept-Encoding lines: it is available; removing other
    /// variants does not change it; joining the lines with commas (RFC 9110 §5.3) or upper-casing
    /// the field does not change it; no field at all means identity.
    static func check(_ input: NegotiationInput) {
        FuzzCheck.require(
            ContentCoding.choose(acceptEncoding: nil, available: input.available) == .identity,
            "no Accept-Encoding does not choose identity")
        let field = input.list(input.acceptEncoding)
        let chosen = ContentCoding.choose(acceptEncoding: field, available: input.available)
        if let chosen {
            FuzzCheck.require(chosen.isIn(input.available), "\(chosen) is not available")
        }
        for raw in UInt8(0)..<8 {
            let subset = AvailableCodings(rawValue: raw)
            guard input.available.isSuperset(of: subset) else { continue }
            let narrowed = ContentCoding.choose(acceptEncoding: field, available: subset)
            if chosen?.isIn(subset) ?? true {
                FuzzCheck.require(
                    narrowed == chosen, "fewer variants chose \(String(describing: narrowed))")
            }
        }
        guard !input.acceptEncoding.isEmpty else { return }
        for transform in [joined, uppercased] {
            let bytes = transform(input)
            let other = bytes.withUnsafeBytes {
                ContentCoding.choose(acceptEncoding: FieldValueList($0), available: input.available)
            }
            FuzzCheck.require(
                other == chosen, "equivalent field chose \(String(describing: other))")
        }
    }

    /// The Accept-Encoding lines combined into one, separated by commas.
    private static func joined(_ input: NegotiationInput) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, line) in input.acceptEncoding.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += input.slice(line)
        }
        return bytes
    }

    /// The combined field with ASCII letters upper-cased.
    private static func uppercased(_ input: NegotiationInput) -> [UInt8] {
        joined(input).map { $0 &- 0x61 < 26 ? $0 - 0x20 : $0 }
    }
}
