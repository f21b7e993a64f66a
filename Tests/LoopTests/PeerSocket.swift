import Glibc

/// A connected `AF_UNIX` stream pair: the nonblocking end a ``Connection`` owns, and the
/// peer's end the test writes to and reads from without ever waiting.
final class PeerSocket {
    /// The connection's end (nonblocking, as accepted sockets are).
    let local: Int32
    /// The peer's end.
    let peer: Int32
    private var peerOpen = true

    init() throws {
        var descriptors: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &descriptors) == 0 else {
            throw PeerSocketError(call: "socketpair", errno: errno)
        }
        local = descriptors[0]
        peer = descriptors[1]
        guard fcntl(local, F_SETFL, fcntl(local, F_GETFL) | O_NONBLOCK) == 0 else {
            throw PeerSocketError(call: "fcntl", errno: errno)
        }
    }

    deinit {
        close(local)
        if peerOpen { close(peer) }
    }

    /// Writes all of `text` from the peer, as ``send(_:)-([UInt8])`` does.
    @discardableResult
    func send(_ text: String) throws -> Bool {
        try send(Array(text.utf8))
    }

    /// Writes all of `bytes` from the peer, without waiting: false when the socket buffer
    /// is full first.
    @discardableResult
    func send(_ bytes: [UInt8]) throws -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { raw in
                Glibc.send(peer, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if count > 0 {
                offset += count
            } else if errno == EAGAIN {
                return false
            } else if errno != EINTR {
                throw PeerSocketError(call: "send", errno: errno)
            }
        }
        return true
    }

    /// What the peer reads without waiting: the bytes queued, and whether the end of the
    /// stream followed them.
    func receive() throws -> (text: String, ended: Bool) {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { raw in
                recv(peer, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT))
            }
            if count > 0 {
                received += chunk[..<count]
            } else if count == 0 {
                return (String(decoding: received, as: UTF8.self), true)
            } else if errno == EAGAIN {
                return (String(decoding: received, as: UTF8.self), false)
            } else if errno != EINTR {
                throw PeerSocketError(call: "recv", errno: errno)
            }
        }
    }

    /// The peer closes its end.
    func closePeer() {
        peerOpen = false
        close(peer)
    }
}

/// A socket call of the test harness failed.
struct PeerSocketError: Error {
    let call: String
    let errno: Int32
}
