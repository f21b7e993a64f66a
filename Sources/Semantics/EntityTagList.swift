import HTTP1

/// Reads the value of `If-Match` or `If-None-Match`, `"*" / #entity-tag`
/// (RFC 9110 §13.1.1, §13.1.2), across all of the field's lines.
///
/// Entity-tags may contain commas, so the list is tokenised tag by tag rather than split at
/// commas. A field that does not follow the grammar (an empty value, a bare word, `*` mixed
/// with tags, anything but a comma between tags) is treated as listing nothing: it matches no
/// representation. For `If-Match` that fails the precondition (412); for `If-None-Match` it
/// lets the request proceed, and If-Modified-Since is still skipped because the field is
/// present (RFC 9110 §13.2.2).
public enum EntityTagList {
    /// Whether the field is `*` or lists a tag that matches `current`, by weak comparison when
    /// `weakComparison` is true and strong comparison otherwise (RFC 9110 §8.8.3.2).
    ///
    /// `*` matches any current representation; `current` is nil when the representation has no
    /// entity-tag, so that only `*` can match.
    public static func matches(_ lines: FieldValueList, current: EntityTag?, weakComparison: Bool)
        -> Bool
    {
        var elements = 0
        var sawStar = false
        var matched = false
        let wellFormed = lines.forEachLine { line in
            var index = 0
            while true {
                while index < line.count,
                    line[index] == 0x2C || ASCII.isWhitespace(line[index])
                {
                    index += 1
                }
                guard index < line.count else {
                    return true
                }
                if line[index] == 0x2A {
                    sawStar = true
                    index += 1
                } else if let (tag, end) = EntityTag.scan(line, from: index) {
                    if let current, !matched {
                        matched =
                            weakComparison
                            ? EntityTag.weakMatch(tag, current)
                            : EntityTag.strongMatch(tag, current)
                    }
                    index = end
                } else {
                    return false
                }
                elements += 1
                while index < line.count, ASCII.isWhitespace(line[index]) {
                    index += 1
                }
                guard index == line.count || line[index] == 0x2C else {
                    return false
                }
            }
        }
        guard wellFormed, elements > 0 else {
            return false
        }
        if sawStar {
            return elements == 1
        }
        return matched
    }
}
