/// A glob over request paths, shared by `--cache-control` and `--header` (behaviour §4.4): `*`
/// matches within one segment, `**` across segments, `?` one byte of a segment; a pattern
/// without `/` matches the final segment anywhere (`*.html`), one with `/` the whole path from
/// its leading `/` (`/static/**`).
public struct PathPattern: Sendable, Equatable {
    /// The pattern as given.
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether the pattern matches the relative lookup `path` (no leading `/`, no NUL).
    public func matches(_ path: UnsafeRawBufferPointer) -> Bool {
        if !bytes.contains(47) {
            return Self.glob(bytes[...], Self.finalSegment(path)[...])
        }
        var subject: [UInt8] = [47]
        subject.append(contentsOf: path)
        return Self.glob(bytes[...], subject[...])
    }

    /// The bytes after the last `/`.
    public static func finalSegment(_ path: UnsafeRawBufferPointer) -> [UInt8] {
        let start = (path.lastIndex(of: 47) ?? -1) + 1
        return Array(path[start...])
    }

    /// Glob matching with `*` (not across `/`), `**` (across `/`) and `?`.
    private static func glob(_ pattern: ArraySlice<UInt8>, _ subject: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return subject.isEmpty }
        let rest = pattern.dropFirst()
        switch first {
        case 42 where rest.first == 42:
            let after = rest.dropFirst()
            for start in subject.indices + [subject.endIndex]
            where glob(after, subject[start...]) {
                return true
            }
            return false
        case 42:
            var index = subject.startIndex
            while true {
                if glob(rest, subject[index...]) { return true }
                if index == subject.endIndex || subject[index] == 47 { return false }
                index += 1
            }
        case 63:
            guard let byte = subject.first, byte != 47 else { return false }
            return glob(rest, subject.dropFirst())
        default:
            guard subject.first == first else { return false }
            return glob(rest, subject.dropFirst())
        }
    }
}
