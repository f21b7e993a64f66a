/// Appends a response head to a reusable byte array: status line, fields, the empty line.
/// Writes bytes directly (no String), so rendering a head costs no allocation once the array
/// has grown to size.
struct HeadWriter {
    /// Status lines for every status, rendered once.
    private static let statusLines: [Int: [UInt8]] = Dictionary(
        uniqueKeysWithValues: Status.allCases.map { ($0.rawValue, $0.statusLine) })

    static func statusLine(_ status: Status) -> [UInt8] {
        statusLines[status.rawValue]!
    }

    /// Appends `name: value\r\n` for a static value.
    @inline(__always)
    static func field(_ name: StaticString, _ value: StaticString, into out: inout [UInt8]) {
        append(name, into: &out)
        out.append(contentsOf: [58, 32])
        append(value, into: &out)
        out.append(contentsOf: [13, 10])
    }

    /// Appends `name: value\r\n` for a byte value.
    @inline(__always)
    static func field<Bytes: Sequence<UInt8>>(
        _ name: StaticString, bytes value: Bytes, into out: inout [UInt8]
    ) {
        append(name, into: &out)
        out.append(contentsOf: [58, 32])
        out.append(contentsOf: value)
        out.append(contentsOf: [13, 10])
    }

    /// Appends `name: <decimal>\r\n`.
    @inline(__always)
    static func field(_ name: StaticString, decimal value: Int64, into out: inout [UInt8]) {
        append(name, into: &out)
        out.append(contentsOf: [58, 32])
        decimal(value, into: &out)
        out.append(contentsOf: [13, 10])
    }

    /// Appends a static string's bytes.
    @inline(__always)
    static func append(_ text: StaticString, into out: inout [UInt8]) {
        out.append(
            contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a non-negative integer in decimal (negative values are written as 0).
    static func decimal(_ value: Int64, into out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var remaining = UInt64(max(value, 0))
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                count += 1
                raw[24 - count] = UInt8(truncatingIfNeeded: 48 + remaining % 10)
                remaining /= 10
            } while remaining > 0
            out.append(contentsOf: raw[(24 - count)...])
        }
    }

    /// Appends `value` in lowercase hexadecimal.
    static func hex(_ value: UInt64, into out: inout [UInt8]) {
        let alphabet: StaticString = "0123456789abcdef"
        var shift = 60
        while shift > 0 && (value >> UInt64(shift)) == 0 { shift -= 4 }
        while shift >= 0 {
            out.append(alphabet.utf8Start[Int((value >> UInt64(shift)) & 0xf)])
            shift -= 4
        }
    }
}
