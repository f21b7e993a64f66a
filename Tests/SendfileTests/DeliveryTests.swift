import Sendfile
import Testing

/// Byte-exact delivery of each kind of queue through a socket too small to take it at once.
@Suite struct DeliveryTests {
    @Test func bytesOnly() throws {
        let pair = try SocketPair()
        let body = pattern(count: 200_000)
        var transfer = Transfer([.bytes(body)])

        let result = try pump(&transfer, through: pair)

        #expect(result.outcome == .done)
        #expect(result.wouldBlockCount > 0, "the small send buffer forces partial writes")
        #expect(result.received == body)
        #expect(transfer.isComplete)
    }

    @Test(arguments: [(0, 300_000), (1_000, 50_000), (299_999, 1)] as [(Int, Int)])
    func fileOnly(offset: Int, length: Int) throws {
        let pair = try SocketPair()
        let contents = pattern(count: 300_000)
        let file = try TemporaryFile(contents: contents)
        var transfer = Transfer([file.segment(offset: Int64(offset), length: Int64(length))])

        let result = try pump(&transfer, through: pair)

        #expect(result.outcome == .done)
        #expect(result.received == Array(contents[offset..<offset + length]))
    }

    @Test func headFileAndTrailingBytes() throws {
        let pair = try SocketPair()
        let head = pattern(count: 1_000, seed: 1)
        let contents = pattern(count: 200_000, seed: 2)
        let tail = pattern(count: 3_000, seed: 3)
        let file = try TemporaryFile(contents: contents)
        var transfer = Transfer([
            .bytes(head), file.segment(length: Int64(contents.count)), .bytes(tail),
        ])

        let result = try pump(&transfer, through: pair)

        #expect(result.outcome == .done)
        #expect(result.received == head + contents + tail)
    }

    /// More byte segments than one `sendmsg` gathers, with a file segment between two runs, so
    /// partial writes land inside segments, on their edges and on gather boundaries.
    @Test func manyByteSegments() throws {
        let pair = try SocketPair()
        let pieces = (0..<60).map { pattern(count: 1 + ($0 * 617) % 4_000, seed: $0) }
        let contents = pattern(count: 20_000, seed: 99)
        let file = try TemporaryFile(contents: contents)
        var transfer = Transfer(pieces[..<40].map(Segment.bytes))
        transfer.append(file.segment(length: Int64(contents.count)))
        for piece in pieces[40...] { transfer.append(.bytes(piece)) }

        let result = try pump(&transfer, through: pair)

        #expect(result.outcome == .done)
        #expect(result.wouldBlockCount > 0)
        #expect(result.received == pieces[..<40].joined() + contents + pieces[40...].joined())
    }
}
