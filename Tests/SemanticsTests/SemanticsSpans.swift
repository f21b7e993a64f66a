import HTTP1

@testable import Semantics

/// Lends test field lines to the semantics code laid out as the request parser leaves them.
enum SemanticsSpans {
    /// Calls `body` with the field lines `lines` laid out in one buffer, as the request parser
    /// leaves them, or with nil when `lines` is nil (the field is absent).
    static func withList<Result>(_ lines: [String]?, _ body: (FieldValueList?) throws -> Result)
        rethrows -> Result
    {
        guard let lines, !lines.isEmpty else {
            return try body(nil)
        }
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        for line in lines {
            let start = buffer.count
            buffer.append(contentsOf: line.utf8)
            ranges.append(start..<buffer.count)
            buffer.append(contentsOf: "\r\nX: y\r\n".utf8)  // bytes that must not leak in
        }
        return try buffer.withUnsafeBytes { base in
            try body(FieldValueList(base: base, first: ranges[0], more: Array(ranges.dropFirst())))
        }
    }
}
