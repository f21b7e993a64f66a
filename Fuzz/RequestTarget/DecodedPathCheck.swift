import FuzzSupport
import HTTP1

/// The shape every successfully decoded path must have (behaviour §2.3, §3.2), checked on the bytes
/// `TargetPathDecoder.decode` wrote.
enum DecodedPathCheck {
    /// Checks `output` (path bytes, then the NUL) against `path`, the decode's description of it.
    static func check(_ output: [UInt8], _ path: DecodedPath) {
        FuzzCheck.require(output.count == path.length + 1, "output is not the path and a NUL")
        FuzzCheck.require(output.last == 0, "no NUL terminator")
        let bytes = output[..<path.length]
        for byte in bytes {
            FuzzCheck.require(byte >= 0x20 && byte != 0x7F, "control byte \(byte) in the path")
        }
        let segments =
            bytes.isEmpty
            ? [] : bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for segment in segments {
            FuzzCheck.require(!segment.isEmpty, "empty segment or leading/trailing /")
            FuzzCheck.require(
                !segment.elementsEqual([0x2E]) && !segment.elementsEqual([0x2E, 0x2E]),
                "dot-segment left in the path")
        }
        let hasDotSegment = segments.contains { $0.first == UInt8(ascii: ".") }
        FuzzCheck.require(path.hasDotSegment == hasDotSegment, "hasDotSegment is wrong")
        let isWellKnown = segments.first?.elementsEqual(".well-known".utf8) ?? false
        FuzzCheck.require(path.isWellKnown == isWellKnown, "isWellKnown is wrong")
    }

    /// `bytes` as a raw path that decodes to them again: a leading `/`, and `%` escaped.
    static func reencoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var raw: [UInt8] = [UInt8(ascii: "/")]
        for byte in bytes {
            if byte == UInt8(ascii: "%") {
                raw += Array("%25".utf8)
            } else {
                raw.append(byte)
            }
        }
        return raw
    }
}
