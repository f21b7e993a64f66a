import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// A connected `AF_UNIX` stream socket pair standing in for a client connection: a nonblocking
/// sending end with a shrunken send buffer, and a receiving end the test reads without blocking.
final class SocketPair {
    /// The end a ``Transfer`` writes to.
    let sender: FileDescriptor
    /// The end the test reads from, playing the peer.
    let receiver: FileDescriptor
    /// False once the test has closed the receiving end.
    private var receiverIsOpen = true

    /// Connects a pair; `sendBuffer` bytes are requested for `SO_SNDBUF` (the kernel doubles it).
    init(sendBuffer: Int32 = 4096) throws {
        var descriptors: [Int32] = [-1, -1]
        try Self.check(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &descriptors))
        sender = FileDescriptor(rawValue: descriptors[0])
        receiver = FileDescriptor(rawValue: descriptors[1])
        var size = sendBuffer
        try Self.check(
            setsockopt(
                sender.rawValue, SOL_SOCKET, SO_SNDBUF, &size,
                socklen_t(MemoryLayout.size(ofValue: size))
            )
        )
        let flags = fcntl(sender.rawValue, F_GETFL)
        try Self.check(flags)
        try Self.check(fcntl(sender.rawValue, F_SETFL, flags | O_NONBLOCK))
    }

    deinit {
        try? sender.close()
        if receiverIsOpen { try? receiver.close() }
    }

    /// Closes the receiving end: the peer hangs up.
    func closeReceiver() throws {
        receiverIsOpen = false
        try receiver.close()
    }

    /// Reads everything queued at the receiving end without waiting for more.
    func drain() throws -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                recv(receiver.rawValue, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
            }
            if count > 0 {
                received += chunk[..<count]
                continue
            }
            if count == 0 { return received }
            let error = Errno(rawValue: errno)
            if error == .interrupted { continue }
            if error == .wouldBlock { return received }
            throw error
        }
    }

    /// Throws the current `errno` when a C call returned -1.
    private static func check(_ result: Int32) throws {
        if result == -1 { throw Errno(rawValue: errno) }
    }
}
