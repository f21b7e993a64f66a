import Semantics

/// Surgery on NUL-terminated lookup paths (relative to the root, no leading `/`): the index
/// file of a directory, a variant's sibling name, the parent directory, the final segment.
enum LookupPath {
    /// The name served for a directory requested with a trailing slash.
    static let indexName: [UInt8] = Array("index.html".utf8)

    /// Turns the lookup path of a directory (`length` bytes) into that of its index file.
    static func appendIndex(to path: inout [UInt8], length: Int) {
        truncate(&path, to: length)
        path.removeLast()
        if length > 0 { path.append(UInt8(ascii: "/")) }
        path.append(contentsOf: indexName)
        path.append(0)
    }

    /// Cuts the lookup path back to its first `length` bytes plus the NUL.
    static func truncate(_ path: inout [UInt8], to length: Int) {
        path.removeSubrange(length...)
        path.append(0)
    }

    /// The lookup path of `path`'s sibling in `coding` (`NAME.br`, `NAME.zst`, `NAME.gz`).
    static func variant(of path: [UInt8], _ coding: ContentCoding) -> [UInt8] {
        var variant = path
        variant.removeLast()
        let suffix = coding.fileSuffix
        variant.append(
            contentsOf: UnsafeBufferPointer(
                start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
        variant.append(0)
        return variant
    }

    /// The lookup path of the directory holding `path` ("." for the root).
    static func parent(of path: [UInt8]) -> [UInt8] {
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else {
            return [UInt8(ascii: "."), 0]
        }
        return Array(path[..<slash]) + [0]
    }

    /// The final segment (after the last `/`) of a lookup path, without its NUL.
    static func lastSegment(of path: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = path.count
        if end > 0 && path[end - 1] == 0 { end -= 1 }
        var start = end
        while start > 0 && path[start - 1] != UInt8(ascii: "/") { start -= 1 }
        return UnsafeRawBufferPointer(rebasing: path[start..<end])
    }
}
