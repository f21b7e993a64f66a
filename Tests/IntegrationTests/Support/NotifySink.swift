import Glibc

/// A test-owned `NOTIFY_SOCKET`: an `AF_UNIX` datagram socket with `SO_PASSCRED` that keeps
/// what a process sends with `sd_notify`, the way systemd's manager would receive it.
final class NotifySink {
    /// The value for `NOTIFY_SOCKET`: a path, or `@name` for an abstract socket.
    let address: String
    /// Every message received so far, oldest first.
    private(set) var received: [NotifyMessage] = []

    private let fd: Int32
    private let directory: TempDirectory?

    /// Binds a datagram socket at a fresh temporary path, or at a unique abstract name.
    init(abstract: Bool = false) throws {
        if abstract {
            directory = nil
            address = "@asset-sidecar-it-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        } else {
            let directory = try TempDirectory(prefix: "asset-sidecar-notify")
            self.directory = directory
            address = directory.path("notify.sock")
        }
        fd = try SupportError.check(
            socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0), "socket")
        do {
            _ = try UnixAddress(path: address).withSockaddr {
                try SupportError.check(bind(fd, $0, $1), "bind \(address)")
            }
            var on: Int32 = 1
            try SupportError.check(
                setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, socklen_t(MemoryLayout<Int32>.size)),
                "setsockopt SO_PASSCRED")
        } catch {
            close(fd)
            throw error
        }
    }

    deinit {
        close(fd)
    }

    /// The next message, or nil when none arrives within `timeout`.
    func receive(timeout: Duration) throws -> NotifyMessage? {
        guard try PollWait.ready(fd, for: POLLIN, until: Deadline(after: timeout)) != nil else {
            return nil
        }
        let message = try read()
        received.append(message)
        return message
    }

    /// Messages until `message` contains `assignment` (e.g. `"READY=1"`), which it returns;
    /// throws, listing what did arrive, if that takes longer than `timeout`.
    @discardableResult
    func waitFor(_ assignment: String, timeout: Duration) throws -> NotifyMessage {
        let deadline = Deadline(after: timeout)
        let start = received.count
        while !deadline.hasPassed {
            let left = deadline.instant - .now
            if let message = try receive(timeout: left), message.contains(assignment) {
                return message
            }
        }
        let seen = received[start...].map(\.description).joined(separator: "; ")
        throw SupportError.timedOut("no \(assignment) on \(address) (received: \(seen))")
    }

    /// Every message that arrives during `duration` (for counting periodic `WATCHDOG=1`).
    func receiveAll(during duration: Duration) throws -> [NotifyMessage] {
        let deadline = Deadline(after: duration)
        var messages: [NotifyMessage] = []
        while !deadline.hasPassed {
            if let message = try receive(timeout: deadline.instant - .now) {
                messages.append(message)
            }
        }
        return messages
    }

    /// Reads one datagram with its control messages. Credentials name the sender; descriptors
    /// (`systemd-notify`'s barrier) are closed at once, which releases the sender.
    private func read() throws -> NotifyMessage {
        var data = [UInt8](repeating: 0, count: 65536)
        var control = [UInt8](repeating: 0, count: 512)
        let (count, flags, controlLength) = try data.withUnsafeMutableBytes { dataBytes in
            try control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: dataBytes.baseAddress, iov_len: dataBytes.count)
                return try withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var header = msghdr()
                    header.msg_iov = vectorPointer
                    header.msg_iovlen = 1
                    header.msg_control = controlBytes.baseAddress
                    header.msg_controllen = controlBytes.count
                    let count = try SupportError.check(
                        recvmsg(fd, &header, Int32(MSG_CMSG_CLOEXEC)), "recvmsg")
                    return (count, header.msg_flags, header.msg_controllen)
                }
            }
        }
        guard flags & Int32(MSG_TRUNC | MSG_CTRUNC) == 0 else {
            throw SupportError.unavailable("notify datagram or its control data was truncated")
        }
        let text = String(decoding: data[..<count], as: UTF8.self)
        return NotifyMessage(text: text, senderPID: Self.senderPID(control[..<controlLength]))
    }

    /// Walks the `cmsghdr` list (the CMSG_* macros are not imported): returns the PID from
    /// `SCM_CREDENTIALS` and closes any descriptors from `SCM_RIGHTS`.
    private static func senderPID(_ control: ArraySlice<UInt8>) -> pid_t? {
        let headerSize = MemoryLayout<cmsghdr>.size
        let scmRights: Int32 = 1
        let scmCredentials: Int32 = 2
        var pid: pid_t?
        control.withUnsafeBytes { bytes in
            var offset = 0
            while offset + headerSize <= bytes.count {
                let header = bytes.loadUnaligned(fromByteOffset: offset, as: cmsghdr.self)
                let length = Int(header.cmsg_len)
                guard length >= headerSize, offset + length <= bytes.count else { break }
                let payload = offset + headerSize
                if header.cmsg_level == SOL_SOCKET && header.cmsg_type == scmCredentials {
                    pid = bytes.loadUnaligned(fromByteOffset: payload, as: pid_t.self)
                } else if header.cmsg_level == SOL_SOCKET && header.cmsg_type == scmRights {
                    for index in 0..<(length - headerSize) / 4 {
                        close(
                            bytes.loadUnaligned(fromByteOffset: payload + 4 * index, as: Int32.self)
                        )
                    }
                }
                offset += (length + 7) & ~7
            }
        }
        return pid
    }
}
