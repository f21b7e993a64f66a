/// The kinds of timeout a connection can be waiting on; each has one fixed duration.
public enum DeadlineKind: Int, CaseIterable, Sendable {
    /// Waiting for a complete request head (behaviour §2.5, 408).
    case header
    /// Keep-alive with nothing pending.
    case idle
    /// A response blocked on a full socket buffer.
    case send
    /// Reading and dropping what the peer still sends: an unused body before the next request,
    /// or anything after the final response (a lingering close, RFC 9112 §9.6). Bytes that
    /// arrive never extend it.
    case discard
    /// Keep-alive with nothing pending while the loop drains: the quiet period after which
    /// the connection is closed (``EventLoop/drainQuietPeriod``).
    case quiet
}

/// Timeouts in O(1): one intrusive, circular doubly linked list per ``DeadlineKind``, over
/// connection slots. Every deadline of one kind is "now + that kind's duration", so appending at
/// the tail keeps each list sorted and the earliest deadline is always a head.
///
/// The lists live in one array of nodes: first one sentinel per kind (its own neighbour when
/// the list is empty), then one node per slot. Each operation touches the array through one
/// mutable buffer, so it costs one uniqueness check, not one per field written (callgrind, W1:
/// six parallel arrays and two head/tail arrays cost 168 instructions more per request).
public struct Deadlines {
    /// One list link: a sentinel, or a slot's place in the list of `kind`.
    private struct Node {
        var previous: Int32
        var next: Int32
        var due: Int64 = 0
        /// The list a slot's node is in, or -1.
        var kind: Int8 = -1
    }

    private static let kinds = DeadlineKind.allCases.count

    private var nodes: [Node] = (0..<Deadlines.kinds).map {
        Node(previous: Int32($0), next: Int32($0))
    }

    /// Makes room for slots `0..<count`.
    public mutating func reserve(slots count: Int) {
        while nodes.count < count + Self.kinds {
            nodes.append(Node(previous: -1, next: -1))
        }
    }

    /// Puts `slot` at the tail of `kind`'s list, due at `time` (taking it out of any list first).
    /// `time` must not be earlier than the deadlines already in that list.
    public mutating func schedule(_ slot: Int, _ kind: DeadlineKind, at time: Int64) {
        nodes.withUnsafeMutableBufferPointer { nodes in
            let node = slot + Self.kinds
            Self.unlink(node, in: nodes)
            let sentinel = kind.rawValue
            let last = Int(nodes[sentinel].previous)
            nodes[node].previous = Int32(last)
            nodes[node].next = Int32(sentinel)
            nodes[node].due = time
            nodes[node].kind = Int8(sentinel)
            nodes[last].next = Int32(node)
            nodes[sentinel].previous = Int32(node)
        }
    }

    /// Takes `slot` out of whatever list it is in.
    public mutating func cancel(_ slot: Int) {
        nodes.withUnsafeMutableBufferPointer { Self.unlink(slot + Self.kinds, in: $0) }
    }

    /// Takes the node at `node` out of its list, if it is in one.
    private static func unlink(_ node: Int, in nodes: UnsafeMutableBufferPointer<Node>) {
        guard nodes[node].kind >= 0 else { return }
        let before = Int(nodes[node].previous)
        let after = Int(nodes[node].next)
        nodes[before].next = Int32(after)
        nodes[after].previous = Int32(before)
        nodes[node].kind = -1
    }

    /// The list `slot` is in, if any.
    public func kind(of slot: Int) -> DeadlineKind? {
        DeadlineKind(rawValue: Int(nodes[slot + Self.kinds].kind))
    }

    /// The earliest deadline over all lists.
    public var earliest: Int64? {
        var best: Int64?
        for sentinel in 0..<Self.kinds where nodes[sentinel].next != Int32(sentinel) {
            let time = nodes[Int(nodes[sentinel].next)].due
            if best.map({ time < $0 }) ?? true { best = time }
        }
        return best
    }

    /// Removes and returns one slot whose deadline is at or before `now`.
    public mutating func popExpired(now: Int64) -> (slot: Int, kind: DeadlineKind)? {
        for kind in DeadlineKind.allCases {
            let head = Int(nodes[kind.rawValue].next)
            if head != kind.rawValue, nodes[head].due <= now {
                cancel(head - Self.kinds)
                return (head - Self.kinds, kind)
            }
        }
        return nil
    }
}
