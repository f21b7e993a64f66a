import Glibc

/// Reads a `/proc` file whole. Its size shows as 0, so it is read until end-of-file in
/// `read(2)` calls rather than by a size-based API, which can stop after the first page.
enum ProcFile {
    /// The text of `path`.
    static func read(_ path: String) throws -> String {
        let fd = try SupportError.check(open(path, O_RDONLY | O_CLOEXEC), "open \(path)")
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw SupportError.system("read \(path)", errno: errno)
            }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
