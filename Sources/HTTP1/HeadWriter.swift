/// Appends a response head to a reusable byte array: status line, fields, the empty line.
/// Writes bytes directly (no String), so rendering a head costs no allocation once the array
/// has grown to size.
public struct HeadWriter {
    /// Status lines for every status, rendered once.
    private static let statusLines: [Int: [UInt8]] = Dictionary(
        uniqueKeysWithValues: Status.allCases.map { ($0.rawValue, $0.statusLine) })

    public static func statusLine(_ status: Status) -> [UInt8] {
        statusLines[status.rawValue]!
    }

    /// Appends `name: value\r\n` for a static value.
    @inlinable @inline(__always)
    public static func field(_ name: StaticString, _ value: StaticString, into out: inout [UInt8]) {
        ASCII.append(name, to: &out)
        out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
        ASCII.append(value, to: &out)
        out.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }

    /// Appends `name: value\r\n` for a byte value.
    @inlinable @inline(__always)
    public static func field<Bytes: Sequence<UInt8>>(
        _ name: StaticString, bytes value: Bytes, into out: inout [UInt8]
    ) {
        ASCII.append(name, to: &out)
        out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
        out.append(contentsOf: value)
        out.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }

    /// Appends `name: <decimal>\r\n`.
    @inlinable @inline(__always)
    public static func field(_ name: StaticString, decimal value: Int64, into out: inout [UInt8]) {
        ASCII.append(name, to: &out)
        out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
        ASCII.appendDecimal(value, to: &out)
        out.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }
}
