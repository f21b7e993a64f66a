import Glibc

/// The metadata a cached file is revalidated with: one `fstatat` of its path beneath the root,
/// compared field by field with the snapshot taken when it was opened.
public enum FileStamp {
    /// Whether the NUL-terminated `path` beneath `root` still has the metadata of `snapshot`
    /// (for variants and directory stamps).
    public static func isCurrent(_ path: [UInt8], root: DocumentRoot, _ snapshot: FileSnapshot)
        -> Bool
    {
        var info = stat()
        return read(path, root, into: &info) && unchanged(snapshot, info)
    }

    /// `fstatat` of a NUL-terminated path beneath `root`.
    public static func stamp(_ path: [UInt8], root: DocumentRoot) -> stat? {
        var info = stat()
        return read(path, root, into: &info) ? info : nil
    }

    /// One `fstatat` of `path` beneath `root` into `info` (in place: a `stat` is 144 bytes).
    @inline(__always)
    private static func read(_ path: [UInt8], _ root: DocumentRoot, into info: inout stat) -> Bool {
        path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                fstatat(root.descriptor, $0.baseAddress!, &info, 0) == 0
            }
        }
    }

    @inlinable
    public static func unchanged(_ snapshot: FileSnapshot, _ info: stat) -> Bool {
        let now = FileSnapshot(info)
        return now.inode == snapshot.inode && now.device == snapshot.device
            && now.size == snapshot.size && now.modifiedSeconds == snapshot.modifiedSeconds
            && now.modifiedNanoseconds == snapshot.modifiedNanoseconds
            && now.changedSeconds == snapshot.changedSeconds
            && now.changedNanoseconds == snapshot.changedNanoseconds && now.mode == snapshot.mode
    }
}
