import CLinux
import CSystemd
import Glibc
import SystemPackage

/// Socket activation (behaviour §1.2): takes the descriptors systemd passed, with their names.
enum Activation {
    /// The inherited listening sockets, or an empty list when the process was not
    /// socket-activated. Unsets the `LISTEN_*` variables. Throws when a descriptor is not a
    /// listening `AF_UNIX` stream socket.
    static func inheritedSockets() throws -> [InheritedSocket] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = sd_listen_fds_with_names(1, &names)
        guard count >= 0 else {
            throw StartupError("socket activation: \(Errno(rawValue: -count).description)")
        }
        defer {
            if let names {
                for index in 0..<Int(count) { free(names[index]) }
                free(names)
            }
        }
        var sockets: [InheritedSocket] = []
        for index in 0..<Int(count) {
            let descriptor = SD_LISTEN_FDS_START + Int32(index)
            let name = names?[index].map { String(cString: $0) } ?? "unknown"
            guard sd_is_socket_unix(descriptor, CLINUX_SOCK_STREAM, 1, nil, 0) > 0 else {
                throw StartupError(
                    "inherited descriptor \(descriptor) (\(name)) is not a listening "
                        + "AF_UNIX stream socket")
            }
            sockets.append(InheritedSocket(descriptor: descriptor, name: name))
        }
        return sockets
    }
}
