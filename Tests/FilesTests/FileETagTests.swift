import Testing

@testable import Files

/// Entity-tags from file metadata (behaviour §4.1).
@Suite struct FileETagTests {
    @Test func etagIsStrongOnceTheFileHasSettled() {
        let file = FileSnapshot(
            size: 1024, inode: 0x1f, device: 1, modifiedSeconds: 1_000, modifiedNanoseconds: 5)
        var out: [UInt8] = []
        #expect(!FileETag.appendETag(of: file, now: 2_000, into: &out))
        #expect(
            String(decoding: out, as: UTF8.self)
                == "\"1f-400-\(String(1_000_000_000_005, radix: 16))\"")
        out.removeAll()
        #expect(FileETag.appendETag(of: file, now: 1_000, into: &out))
        #expect(out.starts(with: Array("W/\"".utf8)))
    }
}
