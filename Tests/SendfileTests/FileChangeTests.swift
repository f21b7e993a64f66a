import Sendfile
import Testing

/// Files that shrink or grow between planning a segment and sending it.
@Suite struct FileChangeTests {
    @Test func truncatedBeforeSending() throws {
        let pair = try SocketPair()
        let head = pattern(count: 10, seed: 1)
        let contents = pattern(count: 100_000, seed: 2)
        let file = try TemporaryFile(contents: contents)
        var transfer = Transfer([
            .bytes(head), file.segment(offset: 1_000, length: 90_000), .bytes([1, 2, 3]),
        ])
        try file.resize(to: 40_000)

        let result = try pump(&transfer, through: pair)

        #expect(result.outcome == .fileTruncated(missing: 51_000))
        #expect(result.received == head + contents[1_000..<40_000])
        #expect(transfer.fileBytesSent == 39_000)
        try expectStuck(&transfer, at: .fileTruncated(missing: 51_000), pair: pair)
    }

    /// The file is cut after the first part of the segment went out: ahead of the cursor, or
    /// `behind` it (below what was already sent, so nothing more of the file goes out).
    @Test(arguments: [(600_000, false), (1_000, true)] as [(Int, Bool)])
    func truncatedWhileSending(cut: Int, behind: Bool) throws {
        let pair = try SocketPair()
        let contents = pattern(count: 1 << 20)
        let file = try TemporaryFile(contents: contents)
        var transfer = Transfer([file.segment(length: Int64(contents.count))])
        #expect(sendPromptly(&transfer, to: pair.sender) == .wouldBlock)
        let early = try pair.drain()
        try #require((early.count > cut) == behind)
        try file.resize(to: Int64(cut))

        let result = try pump(&transfer, through: pair)

        let sent = max(cut, early.count)
        #expect(result.outcome == .fileTruncated(missing: Int64(contents.count - sent)))
        #expect(early + result.received == Array(contents[..<sent]))
        #expect(transfer.bytesSent == Int64(sent))
        try expectStuck(
            &transfer, at: .fileTruncated(missing: Int64(contents.count - sent)), pair: pair)
    }

    @Test func grownFile() throws {
        let pair = try SocketPair()
        let contents = pattern(count: 100_000, seed: 1)
        let tail = pattern(count: 50, seed: 2)
        let file = try TemporaryFile(contents: contents)
        var transfer = Transfer([file.segment(length: Int64(contents.count)), .bytes(tail)])
        try file.write(pattern(count: 30_000, seed: 3), at: Int64(contents.count))

        let result = try pump(&transfer, through: pair)

        #expect(result.outcome == .done)
        #expect(result.received == contents + tail)
        #expect(transfer.fileBytesSent == Int64(contents.count))
    }

    /// Calls `send` again on a transfer that must not move any more: each call returns promptly
    /// with `outcome`, counts nothing and puts nothing on the wire.
    private func expectStuck(
        _ transfer: inout Transfer, at outcome: TransferOutcome, pair: SocketPair,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let sent = transfer.bytesSent
        for _ in 0..<3 {
            #expect(
                sendPromptly(&transfer, to: pair.sender) == outcome, sourceLocation: sourceLocation)
        }
        #expect(transfer.bytesSent == sent, sourceLocation: sourceLocation)
        #expect(try pair.drain().isEmpty, sourceLocation: sourceLocation)
    }
}
