import HTTP1

/// Validators of a file (behaviour §4.1): a strong ETag from inode, size and modification time in
/// nanoseconds, weak while the file was modified within the last second, since a rewrite in the
/// same second could otherwise keep a strong validator unchanged (RFC 9110 §8.8.1).
public enum FileETag {
    /// Appends the entity-tag, quotes and `W/` included, to `out`; returns whether it is weak.
    @discardableResult
    public static func appendETag(of file: FileSnapshot, now: Int64, into out: inout [UInt8])
        -> Bool
    {
        let weak = file.modifiedSeconds >= now - 1
        if weak { out.append(contentsOf: [87, 47]) }
        out.append(34)
        ASCII.appendHex(file.inode, to: &out)
        out.append(45)
        ASCII.appendHex(UInt64(file.size), to: &out)
        out.append(45)
        let nanoseconds = file.modifiedSeconds &* 1_000_000_000 &+ file.modifiedNanoseconds
        ASCII.appendHex(UInt64(bitPattern: nanoseconds), to: &out)
        out.append(34)
        return weak
    }
}
