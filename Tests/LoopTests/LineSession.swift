import Sendfile

@testable import Loop

/// A session speaking a toy protocol: a request is one line ending in LF, answered with
/// `answer` followed by the line, and followed by what `plan` says for that request (in
/// order; `.next` once the plan runs out). It records the lines it was handed, so a test can
/// tell body bytes from a next request.
final class LineSession: ConnectionSession {
    var plan: [AfterResponse]
    private(set) var requests: [String] = []
    private(set) var endings: [(ResponseEnding, CloseReason?)] = []

    init(plan: [AfterResponse]) {
        self.plan = plan
    }

    func receive(
        _ bytes: UnsafeRawBufferPointer, full: Bool, moment: LoopMoment,
        into transfer: inout Transfer
    ) -> Reception {
        guard let end = bytes.firstIndex(of: 10) else { return .incomplete }
        let line = String(decoding: bytes[..<end], as: UTF8.self)
        requests.append(line)
        transfer.append(.bytes(Array("answer \(line)\n".utf8)))
        let after = plan.isEmpty ? .next : plan.removeFirst()
        return .respond(consumed: end + 1, then: after)
    }

    func headerTimedOut(
        _ bytes: UnsafeRawBufferPointer, moment: LoopMoment, into transfer: inout Transfer
    ) {
        transfer.append(.bytes(Array("timeout\n".utf8)))
    }

    func responseEnded(_ ending: ResponseEnding, bytesSent: Int64, closing: CloseReason?) {
        endings.append((ending, closing))
    }
}
