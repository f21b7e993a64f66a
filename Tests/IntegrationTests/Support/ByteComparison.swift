import Glibc

/// Fast comparison of large bodies (`memcmp` in blocks), with the offset of the first
/// difference for the failure message.
enum ByteComparison {
    /// The first offset where `actual` and `expected` differ (a length difference counts at
    /// the end of the shorter one), or nil when they are identical.
    static func firstDifference(_ actual: [UInt8], _ expected: [UInt8]) -> Int? {
        let common = min(actual.count, expected.count)
        let block = 65536
        let found: Int? = actual.withUnsafeBytes { a in
            expected.withUnsafeBytes { e in
                var offset = 0
                while offset < common {
                    let length = min(block, common - offset)
                    if memcmp(a.baseAddress! + offset, e.baseAddress! + offset, length) != 0 {
                        for index in offset..<offset + length where a[index] != e[index] {
                            return index
                        }
                    }
                    offset += length
                }
                return nil
            }
        }
        if let found { return found }
        return actual.count == expected.count ? nil : common
    }

    /// A one-line verdict for `#expect` messages: "identical", or where and how they differ.
    static func describe(_ actual: [UInt8], _ expected: [UInt8]) -> String {
        guard let offset = firstDifference(actual, expected) else { return "identical" }
        let got = offset < actual.count ? String(actual[offset]) : "end"
        let want = offset < expected.count ? String(expected[offset]) : "end"
        return "\(actual.count) bytes vs \(expected.count) expected; first difference at "
            + "offset \(offset): got \(got), expected \(want)"
    }
}
