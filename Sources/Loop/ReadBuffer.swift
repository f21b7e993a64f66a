/// A connection's receive buffer: bytes `start..<end` are received and not yet consumed.
/// It starts small and grows up to the request-head limit, so idle connections stay cheap and
/// memory per connection is bounded whatever the client sends.
public struct ReadBuffer: ~Copyable {
    public private(set) var storage: UnsafeMutableRawBufferPointer
    public private(set) var start = 0
    public private(set) var end = 0
    /// The most the buffer may grow to.
    public let limit: Int

    public static let initialCapacity = 4096

    public init(limit: Int) {
        self.limit = max(limit, Self.initialCapacity)
        storage = .allocate(byteCount: Self.initialCapacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// The unconsumed bytes.
    public var pending: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[start..<end])
    }
    public var isEmpty: Bool { start == end }
    public var count: Int { end - start }
    /// The pending bytes fill the buffer at its limit: no byte more can be received.
    public var isFull: Bool { end - start >= limit }

    /// Marks `count` bytes at the front as consumed.
    public mutating func consume(_ count: Int) {
        start += count
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Free space after the pending bytes, compacting or growing first; empty when the buffer
    /// is at its limit and full.
    public mutating func freeSpace() -> UnsafeMutableRawBufferPointer {
        if end == storage.count {
            if start > 0 {
                let pendingCount = end - start
                storage.baseAddress!.copyMemory(
                    from: storage.baseAddress! + start, byteCount: pendingCount)
                start = 0
                end = pendingCount
            } else if storage.count < limit {
                let grown = UnsafeMutableRawBufferPointer.allocate(
                    byteCount: min(storage.count * 2, limit), alignment: 16)
                grown.copyMemory(from: UnsafeRawBufferPointer(storage))
                storage.deallocate()
                storage = grown
            }
        }
        return UnsafeMutableRawBufferPointer(rebasing: storage[end...])
    }

    /// Records that `count` bytes were written into the space ``freeSpace()`` returned.
    public mutating func commit(_ count: Int) {
        end += count
    }

    /// Drops everything and shrinks back to the initial size (an idle connection).
    public mutating func shrinkIfLarge() {
        guard isEmpty, storage.count > Self.initialCapacity else { return }
        storage.deallocate()
        storage = .allocate(byteCount: Self.initialCapacity, alignment: 16)
    }
}
