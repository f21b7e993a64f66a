import Foundation
import Testing

/// One row of a conformance table: the rule it enforces (behaviour section and RFC clause), one
/// request, and the exact answer: status, field values, absent fields, body bytes.
///
/// Field values in `fields` and `expect` may hold tokens that are replaced, just before the
/// request is sent, by what the sidecar currently says of the target (found with a `HEAD`):
/// `{etag}` its ETag, `{etag:br}` / `{etag:zstd}` / `{etag:gzip}` the ETag of that
/// precompressed variant, `{lm}` its Last-Modified.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    /// The behaviour section (docs/behaviour.md), e.g. `§5.1`.
    var spec: String
    /// The RFC clause, e.g. `RFC 9110 §13.2.2 step 3`.
    var rfc: String
    /// What the row shows, in a few words.
    var what: String
    var method = "GET"
    /// The request target, e.g. `/r.bin?x=1`.
    var target: String
    /// Request fields, `Name: value` each, after `Host: localhost`.
    var fields: [String] = []
    /// Ask the sidecar started with ``ConformanceSite/alternateArguments``.
    var alternate = false
    var status: Int
    /// Fields that must be present exactly once with exactly this value.
    var expect: [String: String] = [:]
    /// Fields that must be absent.
    var absent: [String] = []
    var body: ConformanceBody = .unchecked

    var testDescription: String { "\(spec) \(rfc): \(what)" }
}

/// What a row expects of the response body.
enum ConformanceBody: Sendable {
    /// Not checked by the row (the generic rules still apply).
    case unchecked
    /// No body bytes at all (HEAD, 304).
    case empty
    /// The whole file at this path (relative to the root).
    case file(String)
    /// Bytes `range` of the file at this path.
    case slice(String, ClosedRange<Int>)
    /// Exactly this text.
    case text(String)
}

extension ConformanceSite {
    /// Runs `row`: substitutes its tokens, sends it, and checks status, fields and body, plus
    /// the rules every response obeys (``checkCommonRules(_:method:sourceLocation:)``).
    @discardableResult
    func run(_ row: ConformanceCase, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> HTTPResponse
    {
        let fields = try row.fields.map {
            try substitute($0, target: row.target, alternate: row.alternate)
        }
        let response = try send(
            row.method, row.target, fields, alternate: row.alternate,
            sourceLocation: sourceLocation)
        #expect(
            response.status == row.status, "\(row.testDescription)", sourceLocation: sourceLocation)
        for (name, value) in row.expect.sorted(by: { $0.key < $1.key }) {
            let expected = try substitute(value, target: row.target, alternate: row.alternate)
            #expect(
                response.headers(named: name) == [expected],
                "\(name) in \(row.testDescription)", sourceLocation: sourceLocation)
        }
        for name in row.absent {
            #expect(
                response.headers(named: name).isEmpty, "\(name) must be absent: \(row.what)",
                sourceLocation: sourceLocation)
        }
        let expected: [UInt8]? =
            switch row.body {
            case .unchecked: nil
            case .empty: []
            case .file(let path): bytes(path)
            case .slice(let path, let range): Array(bytes(path)[range])
            case .text(let text): Array(text.utf8)
            }
        if let expected {
            #expect(
                response.body == expected,
                "body: \(ByteComparison.describe(response.body, expected)) (\(row.what))",
                sourceLocation: sourceLocation)
        }
        return response
    }

    /// Sends `method target` with `fields` on a new connection, pipelining a `HEAD` for the
    /// probe file behind it, and returns the response after checking the common rules. The
    /// probe's answer proves that the response was framed exactly (its Content-Length was its
    /// body, a HEAD or 304 had none); a response with `Connection: close` must instead be
    /// followed by the end of the connection and nothing else.
    func send(
        _ method: String, _ target: String, _ fields: [String] = [], alternate: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> HTTPResponse {
        try send(
            raw: UnixHTTPClient.request(method, target, fields), method: method,
            alternate: alternate, sourceLocation: sourceLocation)
    }

    /// ``send(_:_:_:alternate:sourceLocation:)`` for a request given as raw text.
    func send(
        raw request: String, method: String, alternate: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> HTTPResponse {
        let client = try UnixHTTPClient(path: alternate ? alternateSocket : socket)
        try client.send(request + UnixHTTPClient.request("HEAD", "/" + ConformanceLayout.probe))
        let response = try client.readResponse(method: method)
        checkCommonRules(response, method: method, sourceLocation: sourceLocation)
        if response.headers(named: "Connection").contains(where: { $0.lowercased() == "close" }) {
            let rest = try client.readUntilClosed()
            #expect(
                rest.isEmpty, "\(rest.count) bytes after a response with Connection: close",
                sourceLocation: sourceLocation)
        } else {
            let probe = try client.readResponse(method: "HEAD")
            #expect(
                probe.status == 200
                    && probe.header("Content-Length") == String(ConformanceLayout.probeLength),
                """
                the pipelined HEAD /probe.txt got \(probe.status), Content-Length \
                \(probe.header("Content-Length") ?? "none"): the response before it was not \
                framed exactly
                """, sourceLocation: sourceLocation)
        }
        return response
    }

    /// The rules of behaviour §4.1 that hold for every response: one IMF-fixdate `Date`; one
    /// `Content-Length` unless 304 (which has none, and no body); on 200/206 `Content-Type`,
    /// an IMF-fixdate `Last-Modified`, a well-formed `ETag` and `Accept-Ranges: bytes`; no
    /// field value or body names the document root; an error or redirect body is short plain
    /// text naming its status and no path under `/tmp`.
    func checkCommonRules(
        _ response: HTTPResponse, method: String, sourceLocation: SourceLocation
    ) {
        let dates = response.headers(named: "Date")
        #expect(
            dates.count == 1 && dates.allSatisfy(HTTPDateFormat.isIMFFixdate),
            "§4.1 Date: \(dates)", sourceLocation: sourceLocation)
        let lengths = response.headers(named: "Content-Length")
        if response.status == 304 {
            #expect(
                lengths.isEmpty, "§5.1 a 304 has no Content-Length", sourceLocation: sourceLocation)
        } else {
            #expect(
                lengths.count == 1, "§4.1 Content-Length: \(lengths)",
                sourceLocation: sourceLocation)
        }
        if response.status == 200 || response.status == 206 {
            let modified = response.headers(named: "Last-Modified")
            #expect(
                modified.count == 1 && modified.allSatisfy(HTTPDateFormat.isIMFFixdate),
                "§4.1 Last-Modified: \(modified)", sourceLocation: sourceLocation)
            let etags = response.headers(named: "ETag")
            #expect(
                etags.count == 1 && etags.allSatisfy(Self.isEntityTag),
                "§4.1 ETag: \(etags)", sourceLocation: sourceLocation)
            #expect(
                response.headers(named: "Content-Type").count == 1,
                "§4.1 Content-Type", sourceLocation: sourceLocation)
            #expect(
                response.headers(named: "Accept-Ranges") == ["bytes"],
                "§4.1 Accept-Ranges", sourceLocation: sourceLocation)
        }
        let leaks = response.headers.filter { $0.value.contains(root) }.map(\.name)
        #expect(
            leaks.isEmpty && !response.text.contains(root),
            "§4.1 the response names the document root (fields \(leaks))",
            sourceLocation: sourceLocation)
        if response.status >= 300 && response.status != 304 {
            let text = response.text
            #expect(
                !text.contains(root) && !text.contains("/tmp"),
                "§4.1 the error body reveals a path: \(text.debugDescription)",
                sourceLocation: sourceLocation)
            #expect(
                response.headers(named: "Content-Type") == ["text/plain; charset=utf-8"],
                "§4.1 an error body is plain text", sourceLocation: sourceLocation)
            if method != "HEAD" {
                #expect(
                    response.body.count <= 100 && text.hasPrefix("\(response.status) "),
                    "§4.1 a short error body naming the status: \(text.debugDescription)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// Replaces the tokens of ``ConformanceCase`` in `text` by the current validators of
    /// `target`.
    func substitute(_ text: String, target: String, alternate: Bool) throws -> String {
        guard text.contains("{") else { return text }
        var result = text
        for coding in ["", "br", "zstd", "gzip"] {
            let token = coding.isEmpty ? "{etag}" : "{etag:\(coding)}"
            if result.contains(token) {
                let fields = coding.isEmpty ? [] : ["Accept-Encoding: \(coding)"]
                let etag = try validator(
                    "ETag", of: target, fields, alternate: alternate, coding: coding)
                result = result.replacingOccurrences(of: token, with: etag)
            }
        }
        if result.contains("{lm}") {
            let date = try validator("Last-Modified", of: target, [], alternate: alternate)
            result = result.replacingOccurrences(of: "{lm}", with: date)
        }
        return result
    }

    /// The value of `name` in the answer to `HEAD target` with `fields`; with `coding`, the
    /// answer must be in that content coding.
    func validator(
        _ name: String, of target: String, _ fields: [String] = [], alternate: Bool = false,
        coding: String = ""
    ) throws -> String {
        let client = try UnixHTTPClient(path: alternate ? alternateSocket : socket)
        let response = try client.get(target, fields, method: "HEAD")
        guard response.status == 200, let value = response.header(name),
            response.header("Content-Encoding") == (coding.isEmpty ? nil : coding)
        else {
            throw SupportError.unavailable(
                "HEAD \(target) \(fields) gave \(response.status) without \(name) or coding "
                    + "\(coding.isEmpty ? "identity" : coding)")
        }
        return value
    }

    /// `entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE` (RFC 9110 §8.8.3).
    static func isEntityTag(_ value: String) -> Bool {
        var bytes = Array(value.utf8)[...]
        if bytes.starts(with: "W/".utf8) { bytes = bytes.dropFirst(2) }
        guard bytes.count >= 2, bytes.first == 0x22, bytes.last == 0x22 else { return false }
        return bytes.dropFirst().dropLast().allSatisfy { $0 == 0x21 || ($0 >= 0x23 && $0 != 0x7F) }
    }

    /// Whether `value` is a strong entity-tag (no `W/`).
    static func isStrong(_ value: String) -> Bool {
        isEntityTag(value) && !value.hasPrefix("W/")
    }
}
