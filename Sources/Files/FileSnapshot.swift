import Glibc

/// The metadata of an open file from one `fstat`: a response is built from this snapshot
/// alone (behaviour §3.4).
public struct FileSnapshot: Sendable, Equatable {
    public var size: Int64
    public var inode: UInt64
    public var device: UInt64
    public var modifiedSeconds: Int64
    public var modifiedNanoseconds: Int64
    /// Status-change time (rename, chmod, link count): part of revalidation, not of the ETag.
    public var changedSeconds: Int64 = 0
    public var changedNanoseconds: Int64 = 0
    public var mode: UInt32 = 0

    public init(
        size: Int64, inode: UInt64, device: UInt64, modifiedSeconds: Int64,
        modifiedNanoseconds: Int64
    ) {
        self.size = size
        self.inode = inode
        self.device = device
        self.modifiedSeconds = modifiedSeconds
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    public init(_ info: stat) {
        self.init(
            size: Int64(info.st_size), inode: UInt64(info.st_ino), device: UInt64(info.st_dev),
            modifiedSeconds: Int64(info.st_mtim.tv_sec),
            modifiedNanoseconds: Int64(info.st_mtim.tv_nsec))
        changedSeconds = Int64(info.st_ctim.tv_sec)
        changedNanoseconds = Int64(info.st_ctim.tv_nsec)
        mode = UInt32(info.st_mode)
    }
}
