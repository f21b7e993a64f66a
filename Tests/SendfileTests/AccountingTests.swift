import Sendfile
import Testing

/// `bytesSent`, `fileBytesSent`, `totalBytes`, `isComplete`, and reuse after `reset()`.
@Suite struct AccountingTests {
    @Test func countsBytesAndFileBytes() throws {
        let pair = try SocketPair()
        let file = try TemporaryFile(contents: pattern(count: 100_000))
        var transfer = Transfer()
        transfer.append(.bytes(pattern(count: 10)))
        transfer.append(file.segment(offset: 5, length: 60_000))
        transfer.append(.bytes(pattern(count: 20)))
        transfer.append(file.segment(offset: 90_000, length: 10_000))
        #expect(transfer.totalBytes == 70_030)
        #expect(!transfer.isComplete)

        let result = try pump(&transfer, through: pair)

        #expect(result.outcome == .done)
        #expect(result.wouldBlockCount > 0)
        #expect(transfer.isComplete)
        #expect(transfer.bytesSent == 70_030)
        #expect(transfer.fileBytesSent == 70_000)
        #expect(sendPromptly(&transfer, to: pair.sender) == .done)
        #expect(transfer.bytesSent == 70_030)
    }

    @Test func resetStartsOver() throws {
        let pair = try SocketPair()
        let file = try TemporaryFile(contents: pattern(count: 1_000))
        var transfer = Transfer([.bytes([1, 2]), file.segment(length: 1_000)])
        #expect(try pump(&transfer, through: pair).outcome == .done)

        transfer.reset()

        #expect(transfer.segments.isEmpty)
        #expect(transfer.isComplete)
        #expect(transfer.bytesSent == 0 && transfer.fileBytesSent == 0)
        transfer.append(.bytes([3]))
        let result = try pump(&transfer, through: pair)
        #expect(result.outcome == .done)
        #expect(result.received == [3])
        #expect(transfer.bytesSent == 1 && transfer.fileBytesSent == 0)
    }
}
