/// One parse of a request head: a single forward pass that validates every byte it reads and
/// records the spans of the fields the server uses. Created by `RequestParser.parse`.
///
/// Each phase reads at most as far as its limit allows (`window(from:limit:)`); running out of
/// bytes there is an error when the limit was the reason, and `ScanStop.incomplete` when the
/// buffer simply ends. A valid prefix of a valid head is therefore always incomplete, never an
/// error, and a syntax error in a complete line is reported even before the head is complete.
struct HeadScanner {
    /// Empty lines (CRLF) skipped before the request line (RFC 9112 §2.2).
    static let maxLeadingEmptyLines = 4

    private let bytes: UnsafeRawPointer
    private let count: Int
    private let classes: UnsafePointer<UInt8>
    private let limits: ParserLimits

    private var method = Method.unknown
    private var methodName = 0..<0
    private var version = HTTPVersion.http11
    private var path = 0..<0
    private var query: Range<Int>?
    private var targetAuthority: Range<Int>?
    private var fieldCount = 0
    /// The `FieldName.bit`s of the fields seen at least once, and at least twice.
    private var seen: UInt16 = 0
    private var repeated: UInt16 = 0
    private var host: Range<Int>?
    private var connectionClose = false
    private var connectionKeepAlive = false
    private var contentLength: Int64?
    private var lastCodingIsChunked = false
    private var chunkedCount = 0
    private var hasOtherCoding = false
    private var range: Range<Int>?
    private var ifMatch = FieldLines()
    private var ifNoneMatch = FieldLines()
    private var acceptEncoding = FieldLines()
    private var ifModifiedSince: Range<Int>?
    private var ifUnmodifiedSince: Range<Int>?
    private var ifRange: Range<Int>?

    /// `classes` is `ByteClass.table`; `bytes` holds `count` bytes.
    init(
        bytes: UnsafeRawPointer, count: Int, classes: UnsafePointer<UInt8>, limits: ParserLimits
    ) {
        self.bytes = bytes
        self.count = count
        self.classes = classes
        self.limits = limits
    }

    /// Parses the head at the start of the buffer.
    mutating func scan() -> ParseResult {
        do throws(ScanStop) {
            var index = try skipEmptyLines()
            index = try requestLine(from: index)
            index = try fieldLines(from: index)
            return .complete(try head(length: index))
        } catch {
            switch error {
            case .incomplete: return .incomplete
            case .failed(let error): return .failed(error)
            }
        }
    }

    // MARK: - Bytes

    @inline(__always)
    private func byte(_ index: Int) -> UInt8 {
        bytes.load(fromByteOffset: index, as: UInt8.self)
    }

    @inline(__always)
    private func isClass(_ byte: UInt8, _ bits: UInt8) -> Bool {
        classes[Int(byte)] & bits != 0
    }

    /// The first index at or after `index`, and before `end`, whose byte is not in `bits`.
    @inline(__always)
    private func skip(_ bits: UInt8, from index: Int, to end: Int) -> Int {
        var index = index
        while index < end, isClass(byte(index), bits) {
            index += 1
        }
        return index
    }

    @inline(__always)
    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// The end of the bytes a phase starting at `start` may read: the buffer's end, or the
    /// limit's if that comes first (or at the same place), in which case running out means the
    /// phase cannot fit the limit.
    private func window(from start: Int, limit: Int) -> (end: Int, capped: Bool) {
        count - start >= limit ? (start + limit, true) : (count, false)
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
        while index < count, byte(index) == UInt8(ascii: "\r") || byte(index) == UInt8(ascii: "\n") {
            guard byte(index) == UInt8(ascii: "\r") else { throw Self.malformed(.bareLF) }
            guard index + 1 < count else { throw .incomplete }
            guard byte(index + 1) == UInt8(ascii: "\n") else { throw Self.malformed(.bareCR) }
            lines += 1
            guard lines <= Self.maxLeadingEmptyLines else {
                throw Self.malformed(.leadingEmptyLines)
            }
            index += 2
        }
        return index
    }

    /// Parses `method SP request-target SP HTTP-version CRLF`; returns the index after the LF.
    private mutating func requestLine(from start: Int) throws(ScanStop) -> Int {
        let (end, capped) = window(from: start, limit: limits.requestLine)
        let exhausted: ScanStop = capped ? .failed(.requestLineTooLong) : .incomplete

        var index = skip(ByteClass.token, from: start, to: end)
        guard index < end else { throw exhausted }
        guard byte(index) == UInt8(ascii: " "), index > start else {
            let byte = byte(index)
            let isEnd = byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
            throw Self.malformed(isEnd ? .requestLine : .method)
        }
        methodName = start..<index
        method = Method(token: UnsafeRawBufferPointer(start: bytes + start, count: index - start))
        index += 1

        var implicitRootPath = false
        index = try target(from: index, end: end, exhausted: exhausted, implicitRoot: &implicitRootPath)
        guard index < end else { throw exhausted }
        guard byte(index) == UInt8(ascii: " ") else {
            let byte = byte(index)
            let isEnd = byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
            throw Self.malformed(isEnd ? .requestLine : .target)
        }
        index += 1

        let versionStart = index
        index = try httpVersion(from: index, end: end, exhausted: exhausted)
        if implicitRootPath {
            path = versionStart + 4..<versionStart + 5
        }
        return index
    }

    /// Parses the request-target up to (not including) the SP after it.
    private mutating func target(
        from start: Int, end: Int, exhausted: ScanStop, implicitRoot: inout Bool
    ) throws(ScanStop) -> Int {
        guard start < end else { throw exhausted }
        var index = start
        if byte(index) == UInt8(ascii: "/") {
            index = skip(ByteClass.path, from: index, to: end)
            path = start..<index
        } else if let schemeLength = try absoluteFormScheme(at: index, end: end, exhausted) {
            index += schemeLength
            let authorityStart = index
            index = skip(ByteClass.authority, from: index, to: end)
            guard index < end else { throw exhausted }
            guard isValidAuthority(authorityStart..<index, requireHost: true, requirePort: false)
            else { throw Self.malformed(.target) }
            targetAuthority = authorityStart..<index
            if byte(index) == UInt8(ascii: "/") {
                let pathStart = index
                index = skip(ByteClass.path, from: index, to: end)
                path = pathStart..<index
            } else {
                implicitRoot = true
            }
        } else if method == .get || method == .head {
            throw Self.malformed(.target)
        } else if byte(index) == UInt8(ascii: "*") {
            path = start..<start
            return index + 1
        } else {
            index = skip(ByteClass.authority, from: index, to: end)
            guard index < end else { throw exhausted }
            guard isValidAuthority(start..<index, requireHost: true, requirePort: true) else {
                throw Self.malformed(.target)
            }
            path = start..<start
            return index
        }
        guard index < end else { throw exhausted }
        if byte(index) == UInt8(ascii: "?") {
            index += 1
            let queryStart = index
            index = skip(ByteClass.query, from: index, to: end)
            query = queryStart..<index
        }
        return index
    }

    /// The length of `http://` or `https://` (scheme case-insensitive) at `index`, or nil when
    /// the bytes there are not one of those.
    private func absoluteFormScheme(
        at index: Int, end: Int, _ exhausted: ScanStop
    ) throws(ScanStop) -> Int? {
        let http: StaticString = "https://"
        var offset = 0
        while offset < 8 {
            guard index + offset < end else { throw exhausted }
            let byte = byte(index + offset)
            let expected = http.utf8Start[offset]
            if offset < 5 {
                if offset == 4, byte == UInt8(ascii: ":") {
                    // "http:" — the rest must be "//" at offsets 5 and 6.
                    for slash in 5...6 {
                        guard index + slash < end else { throw exhausted }
                        guard self.byte(index + slash) == UInt8(ascii: "/") else { return nil }
                    }
                    return 7
                }
                guard byte | 0x20 == expected else { return nil }
            } else {
                guard byte == expected else { return nil }
            }
            offset += 1
        }
        return 8
    }

    /// Parses `HTTP/` DIGIT `.` DIGIT CRLF; returns the index after the LF.
    private mutating func httpVersion(
        from start: Int, end: Int, exhausted: ScanStop
    ) throws(ScanStop) -> Int {
        let pattern: StaticString = "HTTP/0.0\r\n"
        for offset in 0..<10 {
            guard start + offset < end else { throw exhausted }
            let byte = byte(start + offset)
            switch offset {
            case 5, 7:
                guard isDigit(byte) else { throw Self.malformed(.version) }
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
        let major = byte(start + 5)
        let minor = byte(start + 7)
        guard major == UInt8(ascii: "1") else { throw .failed(.unsupportedVersion) }
        version = minor == UInt8(ascii: "0") ? .http10 : .http11
        return start + 10
    }

    // MARK: - Field lines

    /// Parses the field lines and the empty line after them; returns the index after its LF.
    private mutating func fieldLines(from start: Int) throws(ScanStop) -> Int {
        let (end, capped) = window(from: start, limit: limits.headerSection)
        let exhausted: ScanStop = capped ? .failed(.headerSectionTooLarge) : .incomplete
        var index = start
        while true {
            guard index < end else { throw exhausted }
            let first = byte(index)
            if first == UInt8(ascii: "\r") {
                guard index + 1 < end else { throw exhausted }
                guard byte(index + 1) == UInt8(ascii: "\n") else { throw Self.malformed(.bareCR) }
                return index + 2
            }
            if first == UInt8(ascii: "\n") {
                throw Self.malformed(.bareLF)
            }
            if isWhitespace(first) {
                throw Self.malformed(index == start ? .whitespaceBeforeFirstField : .obsFold)
            }
            fieldCount += 1
            guard fieldCount <= limits.headerCount else { throw .failed(.tooManyFields) }

            let nameStart = index
            index = skip(ByteClass.token, from: index, to: end)
            guard index < end else { throw exhausted }
            guard byte(index) == UInt8(ascii: ":"), index > nameStart else {
                let byte = byte(index)
                let reason: MalformedReason = isWhitespace(byte) ? .whitespaceBeforeColon : .fieldName
                throw Self.lineEnd(byte, otherwise: reason)
            }
            let nameEnd = index
            index += 1

            while index < end, isWhitespace(byte(index)) {
                index += 1
            }
            let valueStart = index
            index = skip(ByteClass.fieldValue, from: index, to: end)
            guard index < end else { throw exhausted }
            guard byte(index) == UInt8(ascii: "\r") else {
                throw Self.lineEnd(byte(index), otherwise: .fieldValue)
            }
            guard index + 1 < end else { throw exhausted }
            guard byte(index + 1) == UInt8(ascii: "\n") else { throw Self.malformed(.bareCR) }
            var valueEnd = index
            while valueEnd > valueStart, isWhitespace(byte(valueEnd - 1)) {
                valueEnd -= 1
            }
            index += 2

            if let name = FieldName(name: bytes + nameStart, count: nameEnd - nameStart) {
                try record(name, valueStart..<valueEnd)
            }
        }
    }

    /// Interprets one line of a field the server uses.
    private mutating func record(_ name: FieldName, _ value: Range<Int>) throws(ScanStop) {
        if seen & name.bit != 0 {
            repeated |= name.bit
        }
        seen |= name.bit
        switch name {
        case .host:
            guard repeated & name.bit == 0 else { throw Self.malformed(.duplicateHost) }
            guard isValidAuthority(value, requireHost: false, requirePort: false) else {
                throw Self.malformed(.invalidHost)
            }
            host = value
        case .connection:
            recordConnectionOptions(value)
        case .contentLength:
            try recordContentLength(value)
        case .transferEncoding:
            recordTransferCodings(value)
        case .range:
            range = range ?? value
        case .ifMatch:
            ifMatch.append(value)
        case .ifNoneMatch:
            ifNoneMatch.append(value)
        case .acceptEncoding:
            acceptEncoding.append(value)
        case .ifModifiedSince:
            ifModifiedSince = ifModifiedSince ?? value
        case .ifUnmodifiedSince:
            ifUnmodifiedSince = ifUnmodifiedSince ?? value
        case .ifRange:
            ifRange = ifRange ?? value
        }
    }

    /// Calls `body` with each non-empty element of the comma-separated list in `value`, with
    /// its surrounding whitespace trimmed (RFC 9110 §5.6.1).
    @inline(__always)
    private func forEachListElement(_ value: Range<Int>, _ body: (Range<Int>) -> Void) {
        var index = value.lowerBound
        while index < value.upperBound {
            while index < value.upperBound,
                byte(index) == UInt8(ascii: ",") || isWhitespace(byte(index))
            {
                index += 1
            }
            let start = index
            while index < value.upperBound, byte(index) != UInt8(ascii: ",") {
                index += 1
            }
            var end = index
            while end > start, isWhitespace(byte(end - 1)) {
                end -= 1
            }
            if end > start {
                body(start..<end)
            }
        }
    }

    /// Whether the bytes of `span` equal `lowercase` ignoring ASCII case. Setting bit 5 maps no
    /// byte of a field value other than the two letters onto a letter, and only CR onto `-`.
    private func equalsIgnoringCase(_ span: Range<Int>, _ lowercase: StaticString) -> Bool {
        guard span.count == lowercase.utf8CodeUnitCount else { return false }
        for offset in 0..<span.count
        where byte(span.lowerBound + offset) | 0x20 != lowercase.utf8Start[offset] {
            return false
        }
        return true
    }

    private mutating func recordConnectionOptions(_ value: Range<Int>) {
        var close = false
        var keepAlive = false
        forEachListElement(value) { option in
            if equalsIgnoringCase(option, "close") {
                close = true
            } else if equalsIgnoringCase(option, "keep-alive") {
                keepAlive = true
            }
        }
        connectionClose = connectionClose || close
        connectionKeepAlive = connectionKeepAlive || keepAlive
    }

    /// `Content-Length = 1*DIGIT`; a list of equal values, on one line or several, stands for
    /// one value (RFC 9110 §8.6). Empty elements are not allowed.
    private mutating func recordContentLength(_ value: Range<Int>) throws(ScanStop) {
        var index = value.lowerBound
        while true {
            while index < value.upperBound, isWhitespace(byte(index)) {
                index += 1
            }
            let start = index
            var length: Int64 = 0
            while index < value.upperBound, isDigit(byte(index)) {
                guard index - start < 18 else { throw Self.malformed(.invalidContentLength) }
                length = length * 10 + Int64(byte(index) &- UInt8(ascii: "0"))
                index += 1
            }
            guard index > start else { throw Self.malformed(.invalidContentLength) }
            while index < value.upperBound, isWhitespace(byte(index)) {
                index += 1
            }
            if let contentLength, contentLength != length {
                throw Self.malformed(.conflictingContentLength)
            }
            contentLength = length
            guard index < value.upperBound else { return }
            guard byte(index) == UInt8(ascii: ",") else {
                throw Self.malformed(.invalidContentLength)
            }
            index += 1
        }
    }

    /// Notes the codings listed; `head(length:)` judges them once all lines are read.
    private mutating func recordTransferCodings(_ value: Range<Int>) {
        var chunked = 0
        var last: Bool?
        var other = false
        forEachListElement(value) { coding in
            let isChunked = equalsIgnoringCase(coding, "chunked")
            chunked += isChunked ? 1 : 0
            other = other || !isChunked
            last = isChunked
        }
        chunkedCount += chunked
        hasOtherCoding = hasOtherCoding || other
        lastCodingIsChunked = last ?? lastCodingIsChunked
    }

    /// Whether `span` is `uri-host [":" port]` (RFC 3986 §3.2.2–3.2.3, RFC 9110 §7.2): an
    /// IP-literal (its bytes checked, not its structure), or a reg-name or IPv4 address with
    /// valid percent-encoding, then an optional port of digits. A userinfo (`@`) is invalid.
    private func isValidAuthority(
        _ span: Range<Int>, requireHost: Bool, requirePort: Bool
    ) -> Bool {
        var index = span.lowerBound
        let end = span.upperBound
        if index < end, byte(index) == UInt8(ascii: "[") {
            index = skip(ByteClass.ipLiteral, from: index + 1, to: end)
            guard index < end, index > span.lowerBound + 1, byte(index) == UInt8(ascii: "]") else {
                return false
            }
            index += 1
        } else {
            while index < end, byte(index) != UInt8(ascii: ":") {
                let byte = byte(index)
                if byte == UInt8(ascii: "%") {
                    guard index + 2 < end, isClass(self.byte(index + 1), ByteClass.hexDigit),
                        isClass(self.byte(index + 2), ByteClass.hexDigit)
                    else { return false }
                    index += 3
                } else {
                    guard isClass(byte, ByteClass.regName) else { return false }
                    index += 1
                }
            }
            guard index > span.lowerBound || !requireHost else { return false }
        }
        guard index < end else { return !requirePort }
        guard byte(index) == UInt8(ascii: ":") else { return false }
        index += 1
        while index < end {
            guard isDigit(byte(index)) else { return false }
            index += 1
        }
        return true
    }

    // MARK: - Result

    /// Checks the rules that span fields and builds the head.
    private func head(length: Int) throws(ScanStop) -> RequestHead {
        if version == .http11, seen & FieldName.host.bit == 0 {
            throw Self.malformed(.missingHost)
        }
        var transferEncoding = TransferCoding.none
        if seen & FieldName.transferEncoding.bit != 0 {
            guard version == .http11 else { throw Self.malformed(.transferEncodingInHTTP10) }
            guard contentLength == nil else {
                throw Self.malformed(.contentLengthWithTransferEncoding)
            }
            guard lastCodingIsChunked else { throw Self.malformed(.chunkedNotFinal) }
            guard chunkedCount == 1 else { throw Self.malformed(.chunkedRepeated) }
            guard !hasOtherCoding else { throw .failed(.unsupportedTransferCoding) }
            transferEncoding = .chunked
        }
        func singleton(_ name: FieldName, _ value: Range<Int>?) -> Range<Int>? {
            repeated & name.bit == 0 ? value : nil
        }
        return RequestHead(
            method: method,
            methodName: methodName,
            version: version,
            path: path,
            query: query,
            host: targetAuthority ?? host,
            connectionClose: connectionClose,
            connectionKeepAlive: connectionKeepAlive,
            contentLength: contentLength,
            transferEncoding: transferEncoding,
            range: singleton(.range, range),
            ifMatch: ifMatch,
            ifNoneMatch: ifNoneMatch,
            acceptEncoding: acceptEncoding,
            ifModifiedSince: singleton(.ifModifiedSince, ifModifiedSince),
            ifUnmodifiedSince: singleton(.ifUnmodifiedSince, ifUnmodifiedSince),
            ifRange: singleton(.ifRange, ifRange),
            length: length
        )
    }
}
