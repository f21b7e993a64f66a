import Foundation
import Glibc

/// File operations on a ``TempSite`` beyond writing whole files: fixed modification times,
/// sparse and huge files, writes at an offset, truncation, replacement by rename, and special
/// files (FIFOs, sockets).
extension TempSite {
    /// A fixed modification time well in the past (2023-11-14 22:13:20 UTC), so validators
    /// are stable and strong.
    static let pastModificationTime = 1_700_000_000
    /// `pastModificationTime` as an IMF-fixdate (RFC 9110 §5.6.7).
    static let pastModificationDate = "Tue, 14 Nov 2023 22:13:20 GMT"

    /// Sets the modification (and access) time of `relativePath` to `seconds` since the epoch.
    func setModificationTime(_ relativePath: String, seconds: Int = pastModificationTime) throws {
        var times = [
            timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0),
        ]
        try SupportError.check(
            utimensat(AT_FDCWD, path(relativePath), &times, AT_SYMLINK_NOFOLLOW),
            "utimensat \(relativePath)")
    }

    /// Creates (or resizes) `relativePath` to `size` bytes with `ftruncate`: a sparse file
    /// that reads as zeros wherever nothing was written.
    func makeSparse(_ relativePath: String, size: Int64) throws {
        try withDescriptor(relativePath, O_WRONLY | O_CREAT) { fd in
            try SupportError.check(ftruncate(fd, off_t(size)), "ftruncate \(relativePath)")
        }
    }

    /// Writes `bytes` at `offset` in the existing file `relativePath` (`pwrite`).
    func write(_ relativePath: String, _ bytes: [UInt8], at offset: Int64) throws {
        try withDescriptor(relativePath, O_WRONLY) { fd in
            var done = 0
            while done < bytes.count {
                let count = bytes[done...].withUnsafeBytes {
                    pwrite(fd, $0.baseAddress, $0.count, off_t(offset) + off_t(done))
                }
                try SupportError.check(count, "pwrite \(relativePath)")
                done += count
            }
        }
    }

    /// Cuts or extends the existing file `relativePath` to `size` bytes in place (`ftruncate`
    /// on the same inode, as an in-place rewrite does).
    func truncate(_ relativePath: String, to size: Int64) throws {
        try withDescriptor(relativePath, O_WRONLY) { fd in
            try SupportError.check(ftruncate(fd, off_t(size)), "ftruncate \(relativePath)")
        }
    }

    /// Replaces `relativePath` by a new file of `bytes`, written beside it and renamed over
    /// it: the deploy-by-rename of the README (a new inode; the old one stays intact).
    func replaceByRename(_ relativePath: String, _ bytes: [UInt8]) throws {
        let staging = relativePath + ".staging"
        try write(staging, bytes)
        try SupportError.check(rename(path(staging), path(relativePath)), "rename \(staging)")
    }

    /// Creates a FIFO (named pipe) at `relativePath`.
    func makeFIFO(_ relativePath: String) throws {
        try SupportError.check(mkfifo(path(relativePath), 0o644), "mkfifo \(relativePath)")
    }

    /// Binds an `AF_UNIX` stream socket at `relativePath` and closes it, leaving a socket file
    /// that nothing listens on.
    func makeSocketFile(_ relativePath: String) throws {
        let fd = try SupportError.check(
            socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0), "socket")
        defer { close(fd) }
        _ = try UnixAddress(path: path(relativePath)).withSockaddr {
            try SupportError.check(bind(fd, $0, $1), "bind \(relativePath)")
        }
    }

    private func withDescriptor(
        _ relativePath: String, _ flags: Int32, _ body: (Int32) throws -> Void
    ) throws {
        let fd = try SupportError.check(
            open(path(relativePath), flags | O_CLOEXEC, 0o644), "open \(relativePath)")
        defer { close(fd) }
        try body(fd)
    }
}
