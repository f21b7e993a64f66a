import HTTP1

/// Conditional request evaluation (RFC 9110 §13, behaviour §5.1–§5.2), one function per rule.
///
/// Dates arrive already parsed as seconds since the Unix epoch. For `If-Unmodified-Since` and
/// `If-Modified-Since`, nil means "absent or not a valid HTTP-date": RFC 9110 §13.1.3 and
/// §13.1.4 tell a recipient to ignore an invalid date, which is the same as its absence (a
/// field that looks like a list of dates, or that has more than one member, is invalid too;
/// the caller's date parser decides).
/// Entity-tag fields arrive as `FieldValueList`, nil when absent.
public enum Preconditions {
    /// Evaluates the preconditions in the order of RFC 9110 §13.2.2:
    ///
    /// 1. If-Match present: false → 412.
    /// 2. Otherwise If-Unmodified-Since present: false → 412.
    /// 3. If-None-Match present: false → 304.
    /// 4. Otherwise If-Modified-Since present: false → 304.
    /// 5. Otherwise proceed (If-Range is for the caller, see `ifRangeAllowsPartial`).
    ///
    /// Only GET and HEAD get this far (every other method is refused first, behaviour §2.1), so
    /// steps 3 and 4 always take their GET/HEAD branch.
    public static func evaluate(
        ifMatch: FieldValueList?, ifUnmodifiedSince: Int64?, ifNoneMatch: FieldValueList?,
        ifModifiedSince: Int64?, validators: Validators, now: Int64
    ) -> PreconditionOutcome {
        if ifMatch == nil, ifUnmodifiedSince == nil, ifNoneMatch == nil, ifModifiedSince == nil {
            return .proceed
        }
        return validators.etag.withUnsafeBytes { etagBytes in
            let current = EntityTag(parsing: etagBytes)
            if let ifMatch {
                if !ifMatchHolds(ifMatch, current: current) {
                    return .preconditionFailed
                }
            } else if let ifUnmodifiedSince,
                !ifUnmodifiedSinceHolds(ifUnmodifiedSince, lastModified: validators.lastModified)
            {
                return .preconditionFailed
            }
            if let ifNoneMatch {
                if !ifNoneMatchHolds(ifNoneMatch, current: current) {
                    return .notModified
                }
            } else if let ifModifiedSince,
                !ifModifiedSinceHolds(
                    ifModifiedSince, lastModified: validators.lastModified, now: now)
            {
                return .notModified
            }
            return .proceed
        }
    }

    /// If-Match (RFC 9110 §13.1.1): true if the value is `*` (a current representation
    /// exists: this server only evaluates preconditions for files it found) or lists an
    /// entity-tag that matches the current one by strong comparison. A weak current tag never
    /// matches a listed tag.
    public static func ifMatchHolds(_ field: FieldValueList, current: EntityTag?) -> Bool {
        EntityTagList.matches(field, current: current, weakComparison: false)
    }

    /// If-Unmodified-Since (RFC 9110 §13.1.4): false if the representation's last modification
    /// is more recent than `date`.
    public static func ifUnmodifiedSinceHolds(_ date: Int64, lastModified: Int64) -> Bool {
        lastModified <= date
    }

    /// If-None-Match (RFC 9110 §13.1.2): false if the value is `*` (a current representation
    /// exists) or lists an entity-tag that matches the current one by weak comparison.
    public static func ifNoneMatchHolds(_ field: FieldValueList, current: EntityTag?) -> Bool {
        !EntityTagList.matches(field, current: current, weakComparison: true)
    }

    /// If-Modified-Since (RFC 9110 §13.1.3): false ("not modified") if the last modification is
    /// earlier than or equal to `date`. A date later than the server's current time `now` is
    /// ignored, so the condition holds (behaviour §5.1; RFC 2616 §14.25 called such a date invalid,
    /// and it can only come from a clock that is wrong).
    public static func ifModifiedSinceHolds(_ date: Int64, lastModified: Int64, now: Int64) -> Bool
    {
        if date > now {
            return true
        }
        return lastModified > date
    }

    /// If-Range (RFC 9110 §13.1.5, behaviour §5.2): whether the Range field may be honoured. Call it
    /// only for a GET with both Range and If-Range; when it returns false, answer with the
    /// whole representation (200).
    ///
    /// - An entity-tag (`"…"` or `W/"…"`) holds only if it matches the current entity-tag by
    ///   strong comparison; a weak tag, listed or current, never does.
    /// - Anything else must be an HTTP-date (`parseDate` returns nil otherwise) exactly equal to
    ///   Last-Modified, and Last-Modified must be strong, taken here to mean the representation
    ///   is not weak-validated (`validators.isWeak` is false).
    /// - A value that is neither is false: sending the whole representation is always safe.
    public static func ifRangeAllowsPartial(
        value: UnsafeRawBufferPointer, validators: Validators,
        parseDate: (UnsafeRawBufferPointer) -> Int64?
    ) -> Bool {
        let trimmed = ASCII.trimmed(value)
        guard !trimmed.isEmpty else {
            return false
        }
        if trimmed[0] == 0x22 || (trimmed.count > 1 && trimmed[0] == 0x57 && trimmed[1] == 0x2F) {
            guard let listed = EntityTag(parsing: trimmed) else {
                return false
            }
            return validators.etag.withUnsafeBytes { etagBytes in
                guard let current = EntityTag(parsing: etagBytes) else {
                    return false
                }
                return EntityTag.strongMatch(listed, current)
            }
        }
        guard !validators.isWeak, let date = parseDate(trimmed) else {
            return false
        }
        return date == validators.lastModified
    }
}
