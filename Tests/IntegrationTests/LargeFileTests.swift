import Testing

/// Files and offsets beyond 4 GiB (32-bit overflow would show here).
@Suite("Files larger than 4 GiB")
struct LargeFileTests {
    static let size: Int64 = 5 << 30
    static let fourGiB: Int64 = 1 << 32

    /// behaviour §3.6, §5.3: a sparse 5 GiB file with markers written across and past the 4 GiB
    /// mark: HEAD reports the full length, and ranges there give the exact bytes and
    /// Content-Range.
    @Test func rangesPastFourGiB() throws {
        let site = try TempSite()
        try site.makeSparse("huge.bin", size: Self.size)
        let across = SeededBytes.make(count: 64, seed: 41)
        let beyond = SeededBytes.make(count: 4096, seed: 42)
        let tail = SeededBytes.make(count: 16, seed: 43)
        let acrossAt = Self.fourGiB - 32
        let beyondAt = Self.fourGiB + 123_457
        try site.write("huge.bin", across, at: acrossAt)
        try site.write("huge.bin", beyond, at: beyondAt)
        try site.write("huge.bin", tail, at: Self.size - 16)
        let served = try SupervisedSidecar(site)
        let client = try served.connect()

        let head = try client.get("/huge.bin", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "5368709120")

        let cases: [(range: String, first: Int64, bytes: [UInt8])] = [
            ("bytes=\(acrossAt)-\(acrossAt + 63)", acrossAt, across),
            ("bytes=\(beyondAt)-\(beyondAt + 4095)", beyondAt, beyond),
            ("bytes=\(beyondAt + 100)-\(beyondAt + 199)", beyondAt + 100, Array(beyond[100..<200])),
            ("bytes=-16", Self.size - 16, tail),
            ("bytes=\(Self.size - 16)-", Self.size - 16, tail),
            ("bytes=\(Self.size - 8)-99999999999", Self.size - 8, Array(tail[8...])),
        ]
        for (range, first, bytes) in cases {
            let response = try client.get("/huge.bin", ["Range: \(range)"])
            let last = first + Int64(bytes.count) - 1
            #expect(response.status == 206, "\(range)")
            #expect(response.header("Content-Range") == "bytes \(first)-\(last)/\(Self.size)")
            #expect(response.header("Content-Length") == String(bytes.count))
            #expect(response.body == bytes, "\(range)")
        }

        let past = try client.get("/huge.bin", ["Range: bytes=\(Self.size)-"])
        #expect(past.status == 416)
        #expect(past.header("Content-Range") == "bytes */\(Self.size)")
    }
}
