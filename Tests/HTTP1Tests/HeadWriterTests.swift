import Testing

@testable import HTTP1

/// Response head rendering.
@Suite struct HeadWriterTests {
    @Test(
        arguments: [
            0, 7, 9, 10, 99, 100, 101, 1005, 1024, 99_999, 4_294_967_296,
            1_000_000_000_000_000_000, Int64.max,
        ] as [Int64])
    func decimals(value: Int64) {
        var out: [UInt8] = []
        ASCII.appendDecimal(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
    }

    @Test func everyDecimalBelowOneHundredThousandAppendsItsDigits() {
        var out = Array("x".utf8)
        for value in Int64(0)..<100_000 {
            out.removeLast(out.count - 1)
            ASCII.appendDecimal(value, to: &out)
            guard String(decoding: out, as: UTF8.self) == "x\(value)" else {
                Issue.record("\(value) came out as \(String(decoding: out, as: UTF8.self))")
                return
            }
        }
        out.removeLast(out.count - 1)
        ASCII.appendDecimal(-5, to: &out)
        #expect(out == Array("x0".utf8))
    }

    @Test(arguments: [0, 1, 0xabc, UInt64.max] as [UInt64])
    func hex(value: UInt64) {
        var out: [UInt8] = []
        ASCII.appendHex(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value, radix: 16))
    }

    @Test func fields() {
        var out: [UInt8] = []
        HeadWriter.field("Accept-Ranges", "bytes", into: &out)
        HeadWriter.field("Content-Length", decimal: 42, into: &out)
        HeadWriter.field("ETag", bytes: Array("\"x\"".utf8), into: &out)
        #expect(
            String(decoding: out, as: UTF8.self)
                == "Accept-Ranges: bytes\r\nContent-Length: 42\r\nETag: \"x\"\r\n")
    }

    @Test func statusLines() {
        for status in Status.allCases {
            let line = String(decoding: HeadWriter.statusLine(status), as: UTF8.self)
            #expect(line.hasPrefix("HTTP/1.1 \(status.rawValue) "))
            #expect(line.hasSuffix("\r\n"))
        }
        #expect(
            String(decoding: HeadWriter.statusLine(.partialContent), as: UTF8.self)
                == "HTTP/1.1 206 Partial Content\r\n")
    }
}

/// Per-status counter slots.
@Suite struct StatusOrdinalTests {
    @Test func ordinalMatchesAllCases() {
        for (position, status) in Status.allCases.enumerated() {
            #expect(status.ordinal == position)
        }
    }
}
