import Sendfile
import Testing

/// A peer that does not read, and a transfer resumed after it drains the socket.
@Suite struct BackpressureTests {
    @Test func wouldBlockThenResume() throws {
        let pair = try SocketPair()
        let head = pattern(count: 700, seed: 1)
        let contents = pattern(count: 500_000, seed: 2)
        let tail = pattern(count: 900, seed: 3)
        let file = try TemporaryFile(contents: contents)
        var transfer = Transfer([
            .bytes(head), file.segment(length: Int64(contents.count)), .bytes(tail),
        ])
        let expected = head + contents + tail

        #expect(sendPromptly(&transfer, to: pair.sender) == .wouldBlock)
        let firstCount = transfer.bytesSent
        #expect(firstCount > 0 && firstCount < Int64(expected.count))
        #expect(sendPromptly(&transfer, to: pair.sender) == .wouldBlock)
        #expect(transfer.bytesSent == firstCount, "a full socket takes nothing more")
        let early = try pair.drain()
        #expect(early == Array(expected[..<Int(firstCount)]))

        let result = try pump(&transfer, through: pair)

        #expect(result.outcome == .done)
        #expect(early + result.received == expected)
    }

    /// Each call stops once its byte limit is used up, and resuming stays byte-exact. With no
    /// byte segment in reach, the limit is exact: `sendfile` is never asked for more.
    @Test func limitYields() throws {
        let pair = try SocketPair(sendBuffer: 1 << 20)
        let limit: Int64 = 16_384
        let head = pattern(count: 100, seed: 1)
        let contents = pattern(count: 1 << 20, seed: 2)
        let tail = pattern(count: 100, seed: 3)
        let file = try TemporaryFile(contents: contents)
        var transfer = Transfer([
            .bytes(head), file.segment(length: Int64(contents.count)), .bytes(tail),
        ])
        var received: [UInt8] = []
        var outcome: TransferOutcome? = .yielded
        var calls = 0
        while outcome == .yielded, calls < maximumCalls {
            let before = transfer.bytesSent
            outcome = sendPromptly(&transfer, to: pair.sender, limit: limit)
            calls += 1
            received += try pair.drain()
            let sent = transfer.bytesSent - before
            if outcome == .yielded {
                #expect(sent >= limit && sent <= limit + Int64(tail.count))
            }
            if before + sent < Int64(head.count + contents.count) {
                #expect(sent == limit, "call \(calls) ended inside the file segment")
            }
        }

        #expect(outcome == .done)
        #expect(calls == (head.count + contents.count + tail.count - 1) / Int(limit) + 1)
        #expect(received == head + contents + tail)
        #expect(transfer.bytesSent == Int64(received.count))
    }
}
