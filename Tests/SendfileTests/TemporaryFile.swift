import Sendfile
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// A file in `/tmp`, unlinked as soon as it is created, open for reading and writing and closed
/// when the value goes away.
final class TemporaryFile {
    /// The open file.
    let descriptor: FileDescriptor

    /// Creates the file holding `contents`.
    init(contents: [UInt8] = []) throws {
        var template = Array("/tmp/sendfile-tests-XXXXXX".utf8CString)
        let raw = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if raw == -1 { throw Errno(rawValue: errno) }
        descriptor = FileDescriptor(rawValue: raw)
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        try descriptor.writeAll(toAbsoluteOffset: 0, contents)
    }

    deinit {
        try? descriptor.close()
    }

    /// A segment for `length` bytes of this file from `offset`.
    func segment(offset: Int64 = 0, length: Int64) -> Segment {
        .file(descriptor, offset: offset, length: length)
    }

    /// Cuts or extends the file to `size` bytes (`ftruncate`).
    func resize(to size: Int64) throws {
        try descriptor.resize(to: size)
    }

    /// Writes `bytes` at `offset` without moving the file position.
    func write(_ bytes: [UInt8], at offset: Int64) throws {
        try descriptor.writeAll(toAbsoluteOffset: offset, bytes)
    }

    /// The file's own position, which `Transfer` must never move.
    func position() throws -> Int64 {
        try descriptor.seek(offset: 0, from: .current)
    }
}
