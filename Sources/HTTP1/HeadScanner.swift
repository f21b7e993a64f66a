/// One parse of a request head: a single forward pass that validates every byte it reads and
/// records the spans of the fields the server uses into the caller's head. Created by
/// `RequestParser.parse`.
///
/// Each phase reads at most as far as its limit allows (`window(from:limit:)`); running out of
/// bytes there is an error when the limit was the reason, and `ScanStop.incomplete` when the
/// buffer simply ends. A valid prefix of a valid head is therefore always incomplete, never an
/// error, and a syntax error in a complete line is reported even before the head is complete.
public struct HeadScanner {
    /// Empty lines (CRLF) skipped before the request line (RFC 9112 §2.2).
    public static let maxLeadingEmptyLines = 4

    private let bytes: HeadBytes
    private let limits: ParserLimits

    private var targetAuthority: Range<Int>?
    private var fieldCount = 0
    /// The `FieldName.bit`s of the fields seen at least once, and at least twice.
    private var seen: UInt16 = 0
    private var repeated: UInt16 = 0
    private var lastCodingIsChunked = false
    private var chunkedCount = 0
    private var hasOtherCoding = false

    public init(bytes: HeadBytes, limits: ParserLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Parses the head at the start of the buffer into `head`, which is cleared first and is
    /// complete only when the outcome is `.complete`.
    public consuming func scan(into head: inout RequestHead) -> ParseOutcome {
        head.clear()
        do throws(ScanStop) {
            var index = try skipEmptyLines()
            index = try requestLine(from: index, &head)
            index = try fieldLines(from: index, &head)
            try finish(length: index, &head)
            return .complete
        } catch {
            switch error {
            case .incomplete: return .incomplete
            case .failed(let error): return .failed(error)
            }
        }
    }

    /// The end of the bytes a phase starting at `start` may read: the buffer's end, or the
    /// limit's if that comes first (or at the same place), in which case running out means the
    /// phase cannot fit the limit.
    private func window(from start: Int, limit: Int) -> (end: Int, capped: Bool) {
        bytes.count - start >= limit ? (start + limit, true) : (bytes.count, false)
    }

    private static func malformed(_ reason: MalformedReason) -> ScanStop {
        .failed(.malformed(reason))
    }

    /// The error for a line that ends in `byte` where CRLF was expected.
    private static func lineEnd(_ byte: UInt8, otherwise reason: MalformedReason) -> ScanStop {
        malformed(byte == UInt8(ascii: "\n") ? .bareLF : reason)
    }

    // MARK: - Request line

    private func skipEmptyLines() throws(ScanStop) -> Int {
        var index = 0
        var lines = 0
        while index < bytes.count, HeadBytes.isLineEnd(bytes[index]) {
            guard bytes[index] == UInt8(ascii: "\r") else { throw Self.malformed(.bareLF) }
            guard index + 1 < bytes.count else { throw .incomplete }
            guard bytes[index + 1] == UInt8(ascii: "\n") else { throw Self.malformed(.bareCR) }
            lines += 1
            guard lines <= Self.maxLeadingEmptyLines else {
                throw Self.malformed(.leadingEmptyLines)
            }
            index += 2
        }
        return index
    }

    /// Parses `method SP request-target SP HTTP-version CRLF`; returns the index after the LF.
    private mutating func requestLine(
        from start: Int, _ head: inout RequestHead
    ) throws(ScanStop) -> Int {
        let (end, capped) = window(from: start, limit: limits.requestLine)
        let exhausted: ScanStop = capped ? .failed(.requestLineTooLong) : .incomplete

        var index = bytes.skip(ByteClass.token, from: start, to: end)
        guard index < end else { throw exhausted }
        guard bytes[index] == UInt8(ascii: " "), index > start else {
            throw Self.malformed(HeadBytes.isLineEnd(bytes[index]) ? .requestLine : .method)
        }
        head.methodName = start..<index
        head.method = Method(
            token: UnsafeRawBufferPointer(start: bytes.base + start, count: index - start))
        index += 1

        var emptyPath = false
        index = try target(
            from: index, end: end, exhausted: exhausted, emptyPath: &emptyPath, &head)
        guard index < end else { throw exhausted }
        guard bytes[index] == UInt8(ascii: " ") else {
            throw Self.malformed(HeadBytes.isLineEnd(bytes[index]) ? .requestLine : .target)
        }
        index += 1

        if emptyPath {
            // The "/" of "HTTP/", which `httpVersion` checks.
            head.path = index + 4..<index + 5
        }
        return try httpVersion(from: index, end: end, exhausted: exhausted, &head)
    }

    /// Parses the request-target up to (not including) the SP after it. Sets `emptyPath` for
    /// an absolute-form target without a path.
    private mutating func target(
        from start: Int, end: Int, exhausted: ScanStop, emptyPath: inout Bool,
        _ head: inout RequestHead
    ) throws(ScanStop) -> Int {
        guard start < end else { throw exhausted }
        var index = start
        if bytes[index] == UInt8(ascii: "/") {
            index = bytes.skip(ByteClass.path, from: index, to: end)
            head.path = start..<index
        } else if let schemeLength = try bytes.absoluteFormScheme(at: index, end: end, exhausted) {
            index += schemeLength
            let authorityStart = index
            index = bytes.skip(ByteClass.authority, from: index, to: end)
            guard index < end else { throw exhausted }
            let authority = authorityStart..<index
            guard bytes.isValidAuthority(authority, requireHost: true, requirePort: false) else {
                throw Self.malformed(.target)
            }
            targetAuthority = authority
            if bytes[index] == UInt8(ascii: "/") {
                index = bytes.skip(ByteClass.path, from: index, to: end)
                head.path = authority.upperBound..<index
            } else {
                emptyPath = true
            }
        } else if head.method == .get || head.method == .head {
            throw Self.malformed(.target)
        } else if bytes[index] == UInt8(ascii: "*") {
            head.path = start..<start
            return index + 1
        } else {
            index = bytes.skip(ByteClass.authority, from: index, to: end)
            guard index < end else { throw exhausted }
            guard bytes.isValidAuthority(start..<index, requireHost: true, requirePort: true)
            else { throw Self.malformed(.target) }
            head.path = start..<start
            return index
        }
        guard index < end else { throw exhausted }
        if bytes[index] == UInt8(ascii: "?") {
            let queryStart = index + 1
            index = bytes.skip(ByteClass.query, from: queryStart, to: end)
            head.query = queryStart..<index
        }
        return index
    }

    /// Parses `HTTP/` DIGIT `.` DIGIT CRLF; returns the index after the LF.
    private func httpVersion(
        from start: Int, end: Int, exhausted: ScanStop, _ head: inout RequestHead
    ) throws(ScanStop) -> Int {
        let pattern: StaticString = "HTTP/0.0\r\n"
        let major = start + 5
        let minor = start + 7
        if end - start >= 10 {
            // The common case: compare "HTTP/" and "." as one word, the digits and CRLF aside.
            let mask = UInt64(littleEndian: 0x00FF_00FF_FFFF_FFFF)
            let word = bytes.base.loadUnaligned(fromByteOffset: start, as: UInt64.self)
            let expected = UnsafeRawPointer(pattern.utf8Start).loadUnaligned(as: UInt64.self)
            let lineEnd = bytes.base.loadUnaligned(fromByteOffset: start + 8, as: UInt16.self)
            if word & mask == expected & mask, ASCII.isDigit(bytes[major]),
                ASCII.isDigit(bytes[minor]), lineEnd == UInt16(littleEndian: 0x0A0D)
            {
                return try acceptVersion(
                    major: bytes[major], minor: bytes[minor], next: start + 10, &head)
            }
        }
        // Byte by byte, to tell a partial version from a wrong one and to name the error.
        for offset in 0..<10 {
            guard start + offset < end else { throw exhausted }
            let byte = bytes[start + offset]
            switch offset {
            case 5, 7:
                guard ASCII.isDigit(byte) else { throw Self.malformed(.version) }
            case 8:
                guard byte == UInt8(ascii: "\r") else {
                    throw Self.lineEnd(byte, otherwise: .version)
                }
            case 9:
                guard byte == UInt8(ascii: "\n") else { throw Self.malformed(.bareCR) }
            default:
                guard byte == pattern.utf8Start[offset] else { throw Self.malformed(.version) }
            }
        }
        return try acceptVersion(
            major: bytes[major], minor: bytes[minor], next: start + 10, &head)
    }

    /// Records a syntactically valid version (RFC 9112 §2.6); returns `next`.
    private func acceptVersion(
        major: UInt8, minor: UInt8, next: Int, _ head: inout RequestHead
    ) throws(ScanStop) -> Int {
        guard major == UInt8(ascii: "1") else { throw .failed(.unsupportedVersion) }
        head.version = minor == UInt8(ascii: "0") ? .http10 : .http11
        return next
    }

    // MARK: - Field lines

    /// Parses the field lines and the empty line after them; returns the index after its LF.
    private mutating func fieldLines(
        from start: Int, _ head: inout RequestHead
    ) throws(ScanStop) -> Int {
        let (end, capped) = window(from: start, limit: limits.headerSection)
        let exhausted: ScanStop = capped ? .failed(.headerSectionTooLarge) : .incomplete
        var index = start
        while true {
            guard index < end else { throw exhausted }
            let first = bytes[index]
            if first == UInt8(ascii: "\r") {
                guard index + 1 < end else { throw exhausted }
                guard bytes[index + 1] == UInt8(ascii: "\n") else {
                    throw Self.malformed(.bareCR)
                }
                return index + 2
            }
            if first == UInt8(ascii: "\n") {
                throw Self.malformed(.bareLF)
            }
            if ASCII.isWhitespace(first) {
                throw Self.malformed(index == start ? .whitespaceBeforeFirstField : .obsFold)
            }
            fieldCount += 1
            guard fieldCount <= limits.headerCount else { throw .failed(.tooManyFields) }

            let nameStart = index
            index = bytes.skip(ByteClass.token, from: index, to: end)
            guard index < end else { throw exhausted }
            guard bytes[index] == UInt8(ascii: ":"), index > nameStart else {
                let byte = bytes[index]
                let reason: MalformedReason =
                    ASCII.isWhitespace(byte) ? .whitespaceBeforeColon : .fieldName
                throw Self.lineEnd(byte, otherwise: reason)
            }
            let nameEnd = index

            let valueStart = bytes.skipWhitespace(from: index + 1, to: end)
            index = bytes.skipFieldValue(from: valueStart, to: end)
            guard index < end else { throw exhausted }
            guard bytes[index] == UInt8(ascii: "\r") else {
                throw Self.lineEnd(bytes[index], otherwise: .fieldValue)
            }
            guard index + 1 < end else { throw exhausted }
            guard bytes[index + 1] == UInt8(ascii: "\n") else { throw Self.malformed(.bareCR) }
            let value = bytes.trimmingTrailingWhitespace(valueStart..<index)
            index += 2

            if let name = FieldName(name: bytes.base + nameStart, count: nameEnd - nameStart) {
                try record(name, value, &head)
            }
        }
    }

    /// Interprets one line of a field the server uses.
    private mutating func record(
        _ name: FieldName, _ value: Range<Int>, _ head: inout RequestHead
    ) throws(ScanStop) {
        if seen & name.bit != 0 {
            repeated |= name.bit
        }
        seen |= name.bit
        switch name {
        case .host:
            guard repeated & name.bit == 0 else { throw Self.malformed(.duplicateHost) }
            guard bytes.isValidAuthority(value, requireHost: false, requirePort: false) else {
                throw Self.malformed(.invalidHost)
            }
            head.host = value
        case .connection:
            recordConnectionOptions(value, &head)
        case .contentLength:
            try recordContentLength(value, &head)
        case .transferEncoding:
            recordTransferCodings(value)
        case .range:
            head.range = head.range ?? value
        case .ifMatch:
            head.ifMatch.append(value)
        case .ifNoneMatch:
            head.ifNoneMatch.append(value)
        case .acceptEncoding:
            head.acceptEncoding.append(value)
        case .ifModifiedSince:
            head.ifModifiedSince = head.ifModifiedSince ?? value
        case .ifUnmodifiedSince:
            head.ifUnmodifiedSince = head.ifUnmodifiedSince ?? value
        case .ifRange:
            head.ifRange = head.ifRange ?? value
        }
    }

    private func recordConnectionOptions(_ value: Range<Int>, _ head: inout RequestHead) {
        let bytes = bytes
        bytes.forEachListElement(value) { option in
            if bytes.equalsIgnoringCase(option, "close") {
                head.connectionClose = true
            } else if bytes.equalsIgnoringCase(option, "keep-alive") {
                head.connectionKeepAlive = true
            }
        }
    }

    /// `Content-Length = 1*DIGIT`; a list of equal values, on one line or several, stands for
    /// one value (RFC 9110 §8.6). Empty elements are not allowed.
    private func recordContentLength(
        _ value: Range<Int>, _ head: inout RequestHead
    ) throws(ScanStop) {
        var index = value.lowerBound
        while true {
            index = bytes.skipWhitespace(from: index, to: value.upperBound)
            let start = index
            var length: Int64 = 0
            while index < value.upperBound, ASCII.isDigit(bytes[index]) {
                guard index - start < 18 else { throw Self.malformed(.invalidContentLength) }
                length = length * 10 + Int64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            guard index > start else { throw Self.malformed(.invalidContentLength) }
            if let contentLength = head.contentLength, contentLength != length {
                throw Self.malformed(.conflictingContentLength)
            }
            head.contentLength = length
            index = bytes.skipWhitespace(from: index, to: value.upperBound)
            guard index < value.upperBound else { return }
            guard bytes[index] == UInt8(ascii: ",") else {
                throw Self.malformed(.invalidContentLength)
            }
            index += 1
        }
    }

    /// Notes the codings listed; `finish(length:)` judges them once all lines are read.
    private mutating func recordTransferCodings(_ value: Range<Int>) {
        let bytes = bytes
        bytes.forEachListElement(value) { coding in
            let isChunked = bytes.equalsIgnoringCase(coding, "chunked")
            chunkedCount += isChunked ? 1 : 0
            hasOtherCoding = hasOtherCoding || !isChunked
            lastCodingIsChunked = isChunked
        }
    }

    // MARK: - Result

    /// Checks the rules that span fields, and completes the head.
    private func finish(length: Int, _ head: inout RequestHead) throws(ScanStop) {
        if head.version == .http11, seen & FieldName.host.bit == 0 {
            throw Self.malformed(.missingHost)
        }
        if seen & FieldName.transferEncoding.bit != 0 {
            guard head.version == .http11 else { throw Self.malformed(.transferEncodingInHTTP10) }
            guard head.contentLength == nil else {
                throw Self.malformed(.contentLengthWithTransferEncoding)
            }
            guard lastCodingIsChunked else { throw Self.malformed(.chunkedNotFinal) }
            guard chunkedCount == 1 else { throw Self.malformed(.chunkedRepeated) }
            guard !hasOtherCoding else { throw .failed(.unsupportedTransferCoding) }
            head.transferEncoding = .chunked
        }
        if repeated & FieldName.range.bit != 0 {
            head.range = nil
        }
        if repeated & FieldName.ifModifiedSince.bit != 0 {
            head.ifModifiedSince = nil
        }
        if repeated & FieldName.ifUnmodifiedSince.bit != 0 {
            head.ifUnmodifiedSince = nil
        }
        if repeated & FieldName.ifRange.bit != 0 {
            head.ifRange = nil
        }
        if let targetAuthority {
            head.host = targetAuthority
        }
        head.length = length
    }
}
