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
}

/// Timeouts in O(1): one intrusive doubly linked list per ``DeadlineKind``, over connection
/// slots. Every deadline of one kind is "now + that kind's duration", so appending at the tail
/// keeps each list sorted and the earliest deadline is always a head.
public struct Deadlines {
    private static let none: Int32 = -1

    private var previous: [Int32] = []
    private var next: [Int32] = []
    private var due: [Int64] = []
    /// The list each slot is in, or -1.
    private var kindOf: [Int8] = []
    private var heads = [Int32](repeating: none, count: DeadlineKind.allCases.count)
    private var tails = [Int32](repeating: none, count: DeadlineKind.allCases.count)

    /// Makes room for slots `0..<count`.
    public mutating func reserve(slots count: Int) {
        while previous.count < count {
            previous.append(Self.none)
            next.append(Self.none)
            due.append(0)
            kindOf.append(-1)
        }
    }

    /// Puts `slot` at the tail of `kind`'s list, due at `time` (taking it out of any list first).
    /// `time` must not be earlier than the deadlines already in that list.
    public mutating func schedule(_ slot: Int, _ kind: DeadlineKind, at time: Int64) {
        cancel(slot)
        let index = Int32(slot)
        let list = kind.rawValue
        previous[slot] = tails[list]
        next[slot] = Self.none
        if tails[list] != Self.none {
            next[Int(tails[list])] = index
        } else {
            heads[list] = index
        }
        tails[list] = index
        due[slot] = time
        kindOf[slot] = Int8(list)
    }

    /// Takes `slot` out of whatever list it is in.
    public mutating func cancel(_ slot: Int) {
        let list = Int(kindOf[slot])
        guard list >= 0 else { return }
        let before = previous[slot]
        let after = next[slot]
        if before != Self.none { next[Int(before)] = after } else { heads[list] = after }
        if after != Self.none { previous[Int(after)] = before } else { tails[list] = before }
        kindOf[slot] = -1
    }

    /// The list `slot` is in, if any.
    public func kind(of slot: Int) -> DeadlineKind? {
        kindOf[slot] < 0 ? nil : DeadlineKind(rawValue: Int(kindOf[slot]))
    }

    /// The earliest deadline over all lists.
    public var earliest: Int64? {
        var best: Int64?
        for head in heads where head != Self.none {
            let time = due[Int(head)]
            if best.map({ time < $0 }) ?? true { best = time }
        }
        return best
    }

    /// Removes and returns one slot whose deadline is at or before `now`.
    public mutating func popExpired(now: Int64) -> (slot: Int, kind: DeadlineKind)? {
        for kind in DeadlineKind.allCases {
            let head = heads[kind.rawValue]
            if head != Self.none, due[Int(head)] <= now {
                cancel(Int(head))
                return (Int(head), kind)
            }
        }
        return nil
    }
}
