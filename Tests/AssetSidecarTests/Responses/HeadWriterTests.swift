import Testing

@testable import AssetSidecar

/// Response head rendering.
@Suite struct HeadWriterTests {
    @Test(arguments: [0, 7, 10, 1024, 4_294_967_296, Int64.max] as [Int64])
    func decimals(value: Int64) {
        var out: [UInt8] = []
        HeadWriter.decimal(value, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
    }

    @Test(arguments: [0, 1, 0xabc, UInt64.max] as [UInt64])
    func hex(value: UInt64) {
        var out: [UInt8] = []
        HeadWriter.hex(value, into: &out)
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

    @Test func etagIsStrongOnceTheFileHasSettled() {
        let file = FileSnapshot(
            size: 1024, inode: 0x1f, device: 1, modifiedSeconds: 1_000, modifiedNanoseconds: 5)
        var out: [UInt8] = []
        #expect(!FileValidators.appendETag(of: file, now: 2_000, into: &out))
        #expect(
            String(decoding: out, as: UTF8.self)
                == "\"1f-400-\(String(1_000_000_000_005, radix: 16))\"")
        out.removeAll()
        #expect(FileValidators.appendETag(of: file, now: 1_000, into: &out))
        #expect(out.starts(with: Array("W/\"".utf8)))
    }

    @Test func errorBodiesNameOnlyTheStatus() {
        #expect(
            String(decoding: Responder.errorBody(.notFound), as: UTF8.self) == "404 Not Found\n")
    }
}

/// Per-status counter slots.
@Suite struct StatusIndexTests {
    @Test func indexMatchesAllCases() {
        for (position, status) in Status.allCases.enumerated() {
            #expect(Status.index(of: status) == position)
        }
    }
}
