/// Work a handler asks its loop to carry beside the connections: a descriptor polled in the
/// loop's epoll set (level-triggered), and a duty at the start of every turn. The loop knows
/// nothing of what the descriptor is (the serving stage uses it for file-change events).
///
/// Ordering: every descriptor of an attachment that one `epoll_wait` reports ready is handled
/// before any connection event of the same return is dispatched, and when the return is full
/// (as many events as the buffer holds, so some ready descriptors may wait for the next call)
/// every attachment is handled anyway. An attachment's readiness that was pending when the
/// kernel collected the ready list is therefore acted on before any request read in that turn.
public protocol LoopAttachment: AnyObject {
    /// The descriptor to poll for readability, or nil when there is none.
    var descriptor: Int32? { get }
    /// The descriptor is (or may be) readable: read it until it would block.
    func readable()
    /// A turn of the loop begins at monotonic `now` milliseconds (every turn, at least once a
    /// heartbeat): cheap periodic work, no system call unless something is due.
    func turnBegins(now: Int64)
}
