import Sendfile
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A peer that hangs up: the transfer reports it instead of the process dying of `SIGPIPE`,
/// which `sendfile` raises and a process using ``Transfer`` must ignore.
@Suite struct PeerGoneTests {
    init() {
        signal(SIGPIPE, SIG_IGN)
    }

    @Test func closedBeforeBytes() throws {
        let pair = try SocketPair()
        var transfer = Transfer([.bytes(pattern(count: 1_000))])
        try pair.closeReceiver()

        try expectPeerGone(&transfer, pair: pair)
    }

    @Test func closedBeforeFile() throws {
        let pair = try SocketPair()
        let file = try TemporaryFile(contents: pattern(count: 1_000))
        var transfer = Transfer([file.segment(length: 1_000)])
        try pair.closeReceiver()

        try expectPeerGone(&transfer, pair: pair)
        #expect(transfer.fileBytesSent == 0)
    }

    /// The peer hangs up with unsent file bytes queued and sent bytes left unread.
    @Test func closedMidway() throws {
        let pair = try SocketPair()
        let file = try TemporaryFile(contents: pattern(count: 200_000))
        var transfer = Transfer([.bytes([1]), file.segment(length: 200_000), .bytes([2])])
        #expect(sendPromptly(&transfer, to: pair.sender) == .wouldBlock)
        let sent = transfer.bytesSent
        try pair.closeReceiver()

        try expectPeerGone(&transfer, pair: pair)
        #expect(transfer.bytesSent == sent)
    }

    /// Every call on `transfer` reports the lost peer promptly, sending nothing more.
    private func expectPeerGone(
        _ transfer: inout Transfer, pair: SocketPair,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let sent = transfer.bytesSent
        for _ in 0..<2 {
            let outcome = sendPromptly(&transfer, to: pair.sender)
            #expect(
                outcome == .peerGone(.brokenPipe) || outcome == .peerGone(.connectionReset),
                "got \(String(describing: outcome))", sourceLocation: sourceLocation)
        }
        #expect(transfer.bytesSent == sent, sourceLocation: sourceLocation)
        #expect(!transfer.isComplete, sourceLocation: sourceLocation)
    }
}
