import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// An ordered queue of segments written to a nonblocking stream socket, resumable after partial
/// writes.
///
/// Bytes in memory go out with `sendmsg(2)` (`MSG_NOSIGNAL`, gathering consecutive byte segments
/// into one call); file ranges with `sendfile(2)` and an explicit 64-bit offset, so the file's own
/// position is never used or moved. `send` never sleeps and never retries a call that made no
/// progress, except after `EINTR`. `sendfile` itself can raise `SIGPIPE` on a closed peer: a
/// process using this type ignores `SIGPIPE`.
public struct Transfer: Sendable {
    /// The largest count one `sendfile(2)` call accepts.
    static let sendfileMaximum: Int64 = 0x7fff_f000
    /// How many byte segments one `sendmsg` gathers at most.
    static let gatherMaximum = 16

    /// The queue, in wire order.
    public private(set) var segments: [Segment] = []
    /// The first segment not yet completely written.
    private var current = 0
    /// How far into `segments[current]` the socket has already taken bytes.
    private var progress: Int64 = 0
    /// Bytes written so far, over all segments.
    public private(set) var bytesSent: Int64 = 0
    /// Bytes written so far by `sendfile`.
    public private(set) var fileBytesSent: Int64 = 0

    /// An empty transfer; add segments with ``append(_:)``.
    public init() {}

    /// A transfer of `segments`, in order; empty ones are dropped, as by ``append(_:)``.
    public init(_ segments: [Segment]) {
        self.segments = segments.filter { $0.count > 0 }
    }

    /// The total number of bytes the transfer puts on the wire.
    public var totalBytes: Int64 {
        segments.reduce(0) { $0 + $1.count }
    }

    /// True when every segment has been written.
    public var isComplete: Bool { current >= segments.count }

    /// Appends a segment; empty ones are dropped.
    public mutating func append(_ segment: Segment) {
        if segment.count > 0 { segments.append(segment) }
    }

    /// Empties the queue, keeping its storage for the next response. Segment by segment: a
    /// response has two or three, and `removeAll(keepingCapacity:)` cost 128 instructions more
    /// per response for them (callgrind, W1).
    public mutating func reset() {
        while segments.popLast() != nil {}
        current = 0
        progress = 0
        bytesSent = 0
        fileBytesSent = 0
    }

    /// Writes as much as the socket takes, at most about `limit` bytes, and says why it stopped.
    public mutating func send(to socket: FileDescriptor, limit: Int64 = .max) -> TransferOutcome {
        var budget = limit
        while current < segments.count {
            if budget <= 0 { return .yielded }
            let step: Step
            switch segments[current] {
            case .bytes:
                step = sendBytes(to: socket)
            case .file(let file, let offset, let length):
                step = sendFile(file, offset: offset, length: length, to: socket, budget: budget)
            }
            switch step {
            case .wrote(let count):
                budget -= count
                bytesSent += count
                advance(by: count)
            case .stop(let outcome):
                return outcome
            }
        }
        return .done
    }

    /// The result of one system call.
    private enum Step {
        case wrote(Int64)
        case stop(TransferOutcome)
    }

    /// Moves the cursor `count` bytes forward across segment boundaries.
    private mutating func advance(by count: Int64) {
        var left = count
        while left > 0, current < segments.count {
            let remaining = segments[current].count - progress
            if left >= remaining {
                left -= remaining
                current += 1
                progress = 0
            } else {
                progress += left
                left = 0
            }
        }
    }

    /// One `sendmsg` of the byte segments starting at the cursor: a plain `send` for a lone
    /// segment (a response head followed by a file, the common case), else a gather of up to
    /// ``gatherMaximum`` segments from a stack-allocated `iovec` array. No heap allocation.
    private mutating func sendBytes(to socket: FileDescriptor) -> Step {
        let skip = Int(progress)
        let gatherable = segments[current...].prefix(Self.gatherMaximum).prefix {
            if case .bytes = $0 { true } else { false }
        }
        if gatherable.count == 1, case .bytes(let bytes) = segments[current] {
            return bytes.withUnsafeBytes { raw in
                retrying {
                    Glibc.send(
                        socket.rawValue, raw.baseAddress! + skip, raw.count - skip,
                        Int32(MSG_NOSIGNAL))
                }
            }
        }
        return withUnsafeTemporaryAllocation(of: iovec.self, capacity: Self.gatherMaximum) {
            vectors in
            // The arrays outlive the call: `segments` holds them and is not mutated meanwhile.
            withExtendedLifetime(segments) {
                var count = 0
                for case .bytes(let bytes) in gatherable {
                    bytes.withUnsafeBytes { raw in
                        let start = count == 0 ? skip : 0
                        vectors[count] = iovec(
                            iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + start),
                            iov_len: raw.count - start)
                    }
                    count += 1
                }
                var message = msghdr()
                message.msg_iov = vectors.baseAddress
                message.msg_iovlen = count
                return retrying { sendmsg(socket.rawValue, &message, Int32(MSG_NOSIGNAL)) }
            }
        }
    }

    /// Runs a write call again after `EINTR` and classifies its result.
    private func retrying(_ call: () -> Int) -> Step {
        while true {
            let written = call()
            if written >= 0 { return .wrote(Int64(written)) }
            let error = Errno(rawValue: errno)
            if error == .interrupted { continue }
            return .stop(Self.outcome(for: error))
        }
    }

    /// One `sendfile` of the file segment at the cursor, at most `budget` bytes.
    private mutating func sendFile(
        _ file: FileDescriptor, offset: Int64, length: Int64, to socket: FileDescriptor,
        budget: Int64
    ) -> Step {
        let remaining = length - progress
        let count = Int(min(remaining, budget, Self.sendfileMaximum))
        var position = off_t(offset + progress)
        while true {
            let written = sendfile(socket.rawValue, file.rawValue, &position, count)
            if written > 0 {
                fileBytesSent += Int64(written)
                return .wrote(Int64(written))
            }
            if written == 0 { return .stop(.fileTruncated(missing: remaining)) }
            let error = Errno(rawValue: errno)
            if error == .interrupted { continue }
            return .stop(Self.outcome(for: error))
        }
    }

    /// Classifies a failed call.
    private static func outcome(for error: Errno) -> TransferOutcome {
        switch error {
        case .wouldBlock, .resourceTemporarilyUnavailable: .wouldBlock
        case .brokenPipe, .connectionReset: .peerGone(error)
        default: .failed(error)
        }
    }
}
