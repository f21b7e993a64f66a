import HTTP1

/// An entity-tag viewed in place (RFC 9110 §8.8.3): whether it is weak, and its `opaque-tag`
/// including the double quotes.
///
/// `entity-tag = [ weak ] opaque-tag`, `weak = %s"W/"` (case-sensitive),
/// `opaque-tag = DQUOTE *etagc DQUOTE`, `etagc = %x21 / %x23-7E / obs-text`.
/// The span is borrowed and must outlive the value.
public struct EntityTag {
    /// Whether the tag carried the `W/` prefix.
    public var isWeak: Bool
    /// The `opaque-tag`, quotes included.
    public var opaqueTag: UnsafeRawBufferPointer

    /// A tag from its parts.
    public init(isWeak: Bool, opaqueTag: UnsafeRawBufferPointer) {
        self.isWeak = isWeak
        self.opaqueTag = opaqueTag
    }

    /// Parses `bytes` as exactly one entity-tag (surrounding `OWS` allowed), or returns nil.
    public init?(parsing bytes: UnsafeRawBufferPointer) {
        let trimmed = ASCII.trimmed(bytes)
        guard let (tag, end) = EntityTag.scan(trimmed, from: 0), end == trimmed.count else {
            return nil
        }
        self = tag
    }

    /// Reads an entity-tag starting at `start` in `bytes` and returns it with the index just
    /// past its closing quote, or nil if no well-formed entity-tag starts there.
    public static func scan(_ bytes: UnsafeRawBufferPointer, from start: Int)
        -> (tag: EntityTag, end: Int)?
    {
        var index = start
        var isWeak = false
        if index + 1 < bytes.count, bytes[index] == 0x57, bytes[index + 1] == 0x2F {
            isWeak = true
            index += 2
        }
        guard index < bytes.count, bytes[index] == 0x22 else {
            return nil
        }
        let quote = index
        index += 1
        while index < bytes.count, bytes[index] != 0x22 {
            let byte = bytes[index]
            // etagc: %x21 / %x23-7E / obs-text (%x80-FF); the closing quote ends the loop.
            guard byte >= 0x21, byte != 0x7F else {
                return nil
            }
            index += 1
        }
        guard index < bytes.count else {
            return nil
        }
        let tag = EntityTag(
            isWeak: isWeak, opaqueTag: ASCII.slice(bytes, quote..<(index + 1)))
        return (tag, index + 1)
    }

    /// Strong comparison (RFC 9110 §8.8.3.2): both tags are strong and their opaque-tags are
    /// identical character by character.
    public static func strongMatch(_ lhs: EntityTag, _ rhs: EntityTag) -> Bool {
        !lhs.isWeak && !rhs.isWeak && ASCII.equal(lhs.opaqueTag, rhs.opaqueTag)
    }

    /// Weak comparison (RFC 9110 §8.8.3.2): the opaque-tags are identical character by
    /// character, whether either or both tags are weak.
    public static func weakMatch(_ lhs: EntityTag, _ rhs: EntityTag) -> Bool {
        ASCII.equal(lhs.opaqueTag, rhs.opaqueTag)
    }
}
