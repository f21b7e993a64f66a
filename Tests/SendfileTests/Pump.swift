import Sendfile
import Testing

/// What driving a transfer with ``pump(_:through:limit:sourceLocation:)`` produced.
struct PumpResult {
    /// The outcome that ended the run; nil when the run was given up.
    var outcome: TransferOutcome?
    /// Every byte the receiver got during the run, in order.
    var received: [UInt8] = []
    /// How many calls returned `.wouldBlock`.
    var wouldBlockCount = 0
    /// How many calls returned `.yielded`.
    var yieldedCount = 0
}

/// The most `send` calls one pump makes before giving up.
let maximumCalls = 100_000

/// Drives `transfer` the way an event loop would: send, read everything that arrived, and call
/// again after `.wouldBlock` or `.yielded`, until any other outcome.
///
/// Everything sent before the run must already have been read. After every call the pump checks
/// that the receiver got exactly the bytes `bytesSent` grew by. It records an issue and gives up
/// when a call spins, when three calls in a row make no progress although the receiver has
/// drained the socket, or after ``maximumCalls`` calls.
func pump(
    _ transfer: inout Transfer, through pair: SocketPair, limit: Int64 = .max,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> PumpResult {
    var result = PumpResult()
    let start = transfer.bytesSent
    var stalls = 0
    for _ in 0..<maximumCalls {
        let before = transfer.bytesSent
        guard let outcome = sendPromptly(&transfer, to: pair.sender, limit: limit) else {
            Issue.record("send did not return within \(promptness)", sourceLocation: sourceLocation)
            return result
        }
        result.received += try pair.drain()
        #expect(
            start + Int64(result.received.count) == transfer.bytesSent,
            "the receiver got other bytes than bytesSent counts", sourceLocation: sourceLocation)
        switch outcome {
        case .wouldBlock: result.wouldBlockCount += 1
        case .yielded: result.yieldedCount += 1
        default:
            result.outcome = outcome
            return result
        }
        stalls = transfer.bytesSent == before ? stalls + 1 : 0
        if stalls == 3 {
            Issue.record("no progress after \(outcome) three times", sourceLocation: sourceLocation)
            return result
        }
    }
    Issue.record("not finished after \(maximumCalls) calls", sourceLocation: sourceLocation)
    return result
}
