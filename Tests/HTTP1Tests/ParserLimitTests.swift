import Testing

@testable import HTTP1

/// behaviour §2.5: the request-line and header-section limits, at their exact boundaries.
@Suite("RequestParser limits")
struct ParserLimitTests {
    /// A request line of exactly `length` bytes, CRLF included.
    private func requestLine(length: Int) -> [UInt8] {
        let fixed = "GET /".utf8.count + " HTTP/1.1\r\n".utf8.count
        return Array("GET /\(String(repeating: "a", count: length - fixed)) HTTP/1.1\r\n".utf8)
    }

    /// A header section of exactly `length` bytes: `Host`, one padded field, the empty line.
    private func headerSection(length: Int) -> [UInt8] {
        let fixed = "Host: h\r\nX: \r\n\r\n".utf8.count
        return Array("Host: h\r\nX: \(String(repeating: "v", count: length - fixed))\r\n\r\n".utf8)
    }

    private let shortLine = Array("GET / HTTP/1.1\r\n".utf8)
    private let shortSection = Array("Host: h\r\n\r\n".utf8)

    @Test func requestLineAtTheLimitIsAccepted() {
        let request = requestLine(length: 8192) + shortSection
        #expect(headOutcome(request) == .complete(length: request.count))
    }

    @Test func requestLineOneOverTheLimitIs414() {
        #expect(
            headOutcome(requestLine(length: 8193) + shortSection) == .failed(.requestLineTooLong))
    }

    @Test func unfinishedRequestLineIs414OnceItCannotFit() {
        let line = requestLine(length: 8193)
        #expect(headOutcome(Array(line[..<8191])) == .incomplete)
        #expect(headOutcome(Array(line[..<8192])) == .failed(.requestLineTooLong))
        // Ending in CR: the LF would be byte 8193.
        let crAtLimit = Array(line[..<8191]) + [UInt8(ascii: "\r")]
        #expect(headOutcome(crAtLimit) == .failed(.requestLineTooLong))
    }

    @Test func requestLineAtTheLimitIsIncompleteUntilItsLF() {
        let line = requestLine(length: 8192)
        #expect(headOutcome(Array(line[..<8190])) == .incomplete)
        #expect(headOutcome(Array(line[..<8191])) == .incomplete)
        #expect(headOutcome(line) == .incomplete)
    }

    @Test func limitIsCheckedBeforeBytesBeyondIt() {
        var line = requestLine(length: 9000)
        line[8500] = UInt8(ascii: "#")
        #expect(headOutcome(line) == .failed(.requestLineTooLong))
        line[100] = UInt8(ascii: "#")
        #expect(headOutcome(line) == .failed(.malformed(.target)))
    }

    @Test func skippedEmptyLinesDoNotCountTowardsTheRequestLine() {
        let request = Array("\r\n\r\n".utf8) + requestLine(length: 8192) + shortSection
        #expect(headOutcome(request) == .complete(length: request.count))
    }

    @Test func headerSectionAtTheLimitIsAccepted() {
        let request = shortLine + headerSection(length: 16384)
        #expect(headOutcome(request) == .complete(length: request.count))
    }

    @Test func headerSectionOneOverTheLimitIs431() {
        #expect(
            headOutcome(shortLine + headerSection(length: 16385)) == .failed(.headerSectionTooLarge)
        )
    }

    @Test func unfinishedHeaderSectionIs431OnceItCannotFit() {
        let request = shortLine + headerSection(length: 16385)
        #expect(headOutcome(Array(request[..<(shortLine.count + 16383)])) == .incomplete)
        #expect(
            headOutcome(Array(request[..<(shortLine.count + 16384)]))
                == .failed(.headerSectionTooLarge)
        )
    }

    @Test func headerSectionAtTheLimitIsIncompleteUntilItsLastLF() {
        let request = shortLine + headerSection(length: 16384)
        #expect(headOutcome(Array(request.dropLast())) == .incomplete)
    }

    @Test func requestLineAndHeaderSectionHaveSeparateLimits() {
        let request = requestLine(length: 8192) + headerSection(length: 16384)
        #expect(headOutcome(request) == .complete(length: 8192 + 16384))
    }

    /// `Host` plus `count - 1` other fields.
    private func fields(_ count: Int) -> [UInt8] {
        var text = "GET / HTTP/1.1\r\nHost: h\r\n"
        for index in 1..<count {
            text += "X-\(index): v\r\n"
        }
        return Array(text.utf8)
    }

    @Test func hundredFieldsAreAccepted() {
        let request = fields(100) + Array("\r\n".utf8)
        #expect(headOutcome(request) == .complete(length: request.count))
    }

    @Test func hundredAndOneFieldsAre431() {
        #expect(headOutcome(fields(101) + Array("\r\n".utf8)) == .failed(.tooManyFields))
    }

    @Test func the101stFieldFailsAsSoonAsItStarts() {
        #expect(headOutcome(fields(100) + [UInt8(ascii: "X")]) == .failed(.tooManyFields))
        #expect(headOutcome(fields(100) + [UInt8(ascii: "\r")]) == .incomplete)
    }

    @Test func configuredLimits() {
        let limits = ParserLimits(requestLine: 16, headerSection: 11, headerCount: 1)
        let request = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(headOutcome(request, limits: limits) == .complete(length: 27))
        #expect(
            headOutcome("GET /a HTTP/1.1\r\nHost: h\r\n\r\n", limits: limits)
                == .failed(.requestLineTooLong))
        #expect(
            headOutcome("GET / HTTP/1.1\r\nHost: hh\r\n\r\n", limits: limits)
                == .failed(.headerSectionTooLarge))
        #expect(
            headOutcome("GET / HTTP/1.1\r\nA: b\r\nHost: h\r\n\r\n", limits: limits)
                == .failed(.tooManyFields))
    }

    @Test func zeroLimitsFailWithoutReading() {
        let limits = ParserLimits(requestLine: 0, headerSection: 0, headerCount: 0)
        #expect(headOutcome("G", limits: limits) == .failed(.requestLineTooLong))
        let noFields = ParserLimits(requestLine: 100, headerSection: 100, headerCount: 0)
        #expect(headOutcome("GET / HTTP/1.0\r\n\r\n", limits: noFields) == .complete(length: 18))
        #expect(headOutcome("GET / HTTP/1.0\r\nA", limits: noFields) == .failed(.tooManyFields))
    }
}
