import Dispatch
import Sendfile
import SystemPackage

/// How long one `send` call may take before it counts as spinning.
let promptness = DispatchTimeInterval.seconds(10)

/// Runs one `transfer.send(to:limit:)` on another thread and returns its outcome, or nil when the
/// call has not returned within ``promptness``. A call that spins thus fails its test instead of
/// hanging the run (the spinning thread is abandoned and `transfer` is left as it was).
func sendPromptly(
    _ transfer: inout Transfer, to socket: FileDescriptor, limit: Int64 = .max
) -> TransferOutcome? {
    let box = SendResult(transfer)
    let finished = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        var copy = box.transfer
        box.outcome = copy.send(to: socket, limit: limit)
        box.transfer = copy
        finished.signal()
    }
    guard finished.wait(timeout: .now() + promptness) == .success else { return nil }
    transfer = box.transfer
    return box.outcome
}

/// The state handed to and back from the sending thread. Each field is written before the
/// semaphore is signalled and read only after a successful wait, so access never overlaps.
private final class SendResult: @unchecked Sendable {
    var transfer: Transfer
    var outcome: TransferOutcome?

    init(_ transfer: Transfer) {
        self.transfer = transfer
    }
}
