/// The kernel's table of `AF_UNIX` sockets (`/proc/net/unix`), to see whether a path is
/// listening without connecting to it (a connection would start a socket-activated sidecar).
enum UnixSocketTable {
    /// `__SO_ACCEPTCON` in the Flags column: the socket is listening.
    private static let acceptingFlag = 0x10000

    /// Whether a socket bound to `path` is listening. `bind` creates the file before `listen`
    /// is called, so the file's existence alone does not mean connections are accepted.
    static func isListening(_ path: String) -> Bool {
        guard let table = try? ProcFile.read("/proc/net/unix") else {
            return false
        }
        // Num RefCount Protocol Flags Type St Inode Path
        for line in table.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count >= 8, columns[7...].joined(separator: " ") == path,
                let flags = Int(columns[3], radix: 16)
            else { continue }
            if flags & acceptingFlag != 0 { return true }
        }
        return false
    }

    /// The inodes of every connected `AF_UNIX` stream socket (type 1, state `SS_CONNECTED`):
    /// connections, as opposed to listeners and datagram sockets such as `sd_notify`'s.
    static func connectedStreamInodes() -> Set<String> {
        guard let table = try? ProcFile.read("/proc/net/unix") else {
            return []
        }
        var inodes: Set<String> = []
        for line in table.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count >= 7, columns[4] == "0001", columns[5] == "03" else { continue }
            inodes.insert(String(columns[6]))
        }
        return inodes
    }
}
