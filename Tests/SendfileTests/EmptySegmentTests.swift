import Sendfile
import Testing

/// Segments that put no bytes on the wire, given to the initializer or to `append`: they are
/// dropped, so they can neither stall a call nor send anything.
@Suite struct EmptySegmentTests {
    @Test func onlyEmptyBytes() throws {
        let pair = try SocketPair()
        var transfer = Transfer([.bytes([])])

        #expect(sendPromptly(&transfer, to: pair.sender) == .done)
        #expect(try pair.drain().isEmpty)
    }

    @Test func emptyAndNegativeSegmentsAmongOthers() throws {
        let pair = try SocketPair()
        let file = try TemporaryFile(contents: pattern(count: 1_000))
        let empties: [Segment] = [
            .bytes([]), file.segment(length: 0), file.segment(offset: 10, length: -1),
        ]
        var transfer = Transfer(empties + [.bytes([1, 2])] + empties + [.bytes([3])] + empties)
        for segment in empties { transfer.append(segment) }

        let result = try pump(&transfer, through: pair)

        #expect(result.outcome == .done)
        #expect(result.received == [1, 2, 3])
        #expect(transfer.segments == [.bytes([1, 2]), .bytes([3])])
        #expect(transfer.totalBytes == 3)
    }
}
