/// The request fields the parser interprets; every other field is validated and skipped.
public enum FieldName: UInt8 {
    case host
    case connection
    case contentLength
    case transferEncoding
    case range
    case ifMatch
    case ifNoneMatch
    case ifModifiedSince
    case ifUnmodifiedSince
    case ifRange
    case acceptEncoding

    /// This field's bit in a set of fields.
    public var bit: UInt16 { 1 << rawValue }

    /// Recognises a field name case-insensitively, without allocating. `name` must be a token:
    /// the comparison folds case by setting bit 5, which maps no other token byte onto a letter
    /// or `-`.
    public init?(name: UnsafeRawPointer, count: Int) {
        switch count {
        case 4 where Self.matches(name, "host"): self = .host
        case 5 where Self.matches(name, "range"): self = .range
        case 8 where Self.matches(name, "if-match"): self = .ifMatch
        case 8 where Self.matches(name, "if-range"): self = .ifRange
        case 10 where Self.matches(name, "connection"): self = .connection
        case 13 where Self.matches(name, "if-none-match"): self = .ifNoneMatch
        case 14 where Self.matches(name, "content-length"): self = .contentLength
        case 15 where Self.matches(name, "accept-encoding"): self = .acceptEncoding
        case 17 where Self.matches(name, "if-modified-since"): self = .ifModifiedSince
        case 17 where Self.matches(name, "transfer-encoding"): self = .transferEncoding
        case 19 where Self.matches(name, "if-unmodified-since"): self = .ifUnmodifiedSince
        default: return nil
        }
    }

    /// Compares `name`, of the same length as `lowercase` (at least 4), with `lowercase` a word
    /// at a time; the last word overlaps the previous one instead of reading past the end.
    @inline(__always)
    private static func matches(_ name: UnsafeRawPointer, _ lowercase: StaticString) -> Bool {
        let count = lowercase.utf8CodeUnitCount
        let expected = UnsafeRawPointer(lowercase.utf8Start)
        if count < 8 {
            func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt32 {
                base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            }
            let fold: UInt32 = 0x2020_2020
            return word(name, 0) | fold == word(expected, 0)
                && word(name, count - 4) | fold == word(expected, count - 4)
        }
        func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
            base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        }
        let fold: UInt64 = 0x2020_2020_2020_2020
        var offset = 0
        while offset < count - 8 {
            guard word(name, offset) | fold == word(expected, offset) else { return false }
            offset += 8
        }
        return word(name, count - 8) | fold == word(expected, count - 8)
    }
}
