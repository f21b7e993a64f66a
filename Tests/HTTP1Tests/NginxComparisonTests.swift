import Testing

@testable import HTTP1

/// What a server made of a request head: served it (whatever the status), or rejected it.
enum NginxVerdict: Equatable, Sendable, CustomStringConvertible {
    case accepted
    case rejected(Int)

    var description: String {
        switch self {
        case .accepted: "accepted"
        case .rejected(let status): "rejected(\(status))"
        }
    }
}

/// A request sent to nginx 1.22.1 (Debian 12, default `http` settings, one static `server`
/// on a Unix socket), with nginx's verdict and, where this parser deliberately differs, ours.
struct NginxCase: Sendable, CustomTestStringConvertible {
    let name: String
    let request: String
    let nginx: NginxVerdict
    let ours: NginxVerdict?
    let reason: String?

    var testDescription: String { name }

    init(_ name: String, _ request: String, nginx: NginxVerdict) {
        self.name = name
        self.request = request
        self.nginx = nginx
        ours = nil
        reason = nil
    }

    init(
        _ name: String, _ request: String, nginx: NginxVerdict, ours: NginxVerdict,
        because reason: String
    ) {
        self.name = name
        self.request = request
        self.nginx = nginx
        self.ours = ours
        self.reason = reason
    }
}

private func get(_ fields: String) -> String {
    "GET / HTTP/1.1\r\nHost: h\r\n\(fields)\r\n"
}

private let nginxCases: [NginxCase] = [
    // Where nginx and this parser agree.
    NginxCase("minimal GET", get(""), nginx: .accepted),
    NginxCase("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", nginx: .accepted),
    NginxCase("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", nginx: .rejected(400)),
    NginxCase(
        "two Host lines", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", nginx: .rejected(400)),
    NginxCase("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", nginx: .rejected(400)),
    NginxCase("Host with a path", "GET / HTTP/1.1\r\nHost: h/p\r\n\r\n", nginx: .rejected(400)),
    NginxCase("Host IPv6 literal", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", nginx: .accepted),
    NginxCase("HTTP/1.9", "GET / HTTP/1.9\r\nHost: h\r\n\r\n", nginx: .accepted),
    NginxCase("HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", nginx: .rejected(505)),
    NginxCase("HTTP/3.0", "GET / HTTP/3.0\r\nHost: h\r\n\r\n", nginx: .rejected(505)),
    NginxCase("lowercase version", "GET / http/1.1\r\nHost: h\r\n\r\n", nginx: .rejected(400)),
    NginxCase("version with a letter", "GET / HTTP/1.x\r\nHost: h\r\n\r\n", nginx: .rejected(400)),
    NginxCase("bare CR in a value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", nginx: .rejected(400)),
    NginxCase(
        "bare CR after the version", "GET / HTTP/1.1\rHost: h\r\n\r\n", nginx: .rejected(400)),
    NginxCase("obs-fold", get("X-A: b\r\n c\r\n"), nginx: .rejected(400)),
    NginxCase(
        "whitespace before the first field", "GET / HTTP/1.1\r\n Host: h\r\n\r\n",
        nginx: .rejected(400)),
    NginxCase("space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", nginx: .rejected(400)),
    NginxCase("NUL in a value", get("X: a\u{0}b\r\n"), nginx: .rejected(400)),
    NginxCase("empty field name", get(": v\r\n"), nginx: .rejected(400)),
    NginxCase("Content-Length negative", get("Content-Length: -1\r\n"), nginx: .rejected(400)),
    NginxCase("Content-Length with plus", get("Content-Length: +1\r\n"), nginx: .rejected(400)),
    NginxCase("Content-Length hex", get("Content-Length: 0x10\r\n"), nginx: .rejected(400)),
    NginxCase(
        "differing Content-Length lines", get("Content-Length: 0\r\nContent-Length: 1\r\n"),
        nginx: .rejected(400)),
    NginxCase(
        "Content-Length and Transfer-Encoding",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n",
        nginx: .rejected(400)),
    NginxCase(
        "Transfer-Encoding chunked",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", nginx: .accepted),
    NginxCase(
        "Transfer-Encoding gzip, chunked",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        nginx: .rejected(501)),
    NginxCase(
        "Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        nginx: .rejected(400)),
    NginxCase(
        "control byte in target", "GET /a\u{1} HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .rejected(400)),
    NginxCase("asterisk for GET", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .rejected(400)),
    NginxCase(
        "authority-form for GET", "GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n",
        nginx: .rejected(400)),
    NginxCase("absolute-form", "GET http://h/a.txt HTTP/1.1\r\nHost: x\r\n\r\n", nginx: .accepted),
    NginxCase(
        "absolute-form without path", "GET http://h HTTP/1.1\r\nHost: x\r\n\r\n", nginx: .accepted),
    NginxCase(
        "absolute-form with userinfo", "GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n",
        nginx: .rejected(400)),
    NginxCase(
        "absolute-form with empty host", "GET http:///a.txt HTTP/1.1\r\nHost: h\r\n\r\n",
        nginx: .rejected(400)),
    NginxCase("tab as separator", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .rejected(400)),
    NginxCase("one leading empty line", "\r\n" + get(""), nginx: .accepted),
    NginxCase(
        "encoded dot-dot inside the root", "GET /x/%2e%2e/a HTTP/1.1\r\nHost: h\r\n\r\n",
        nginx: .accepted),
    NginxCase(
        "request line of 8192 bytes",
        "GET /\(String(repeating: "a", count: 8176)) HTTP/1.1\r\nHost: h\r\n\r\n",
        nginx: .accepted),
    NginxCase(
        "request line of 8193 bytes",
        "GET /\(String(repeating: "a", count: 8177)) HTTP/1.1\r\nHost: h\r\n\r\n",
        nginx: .rejected(414)),

    // Where this parser is deliberately stricter, or answers differently.
    NginxCase(
        "bare LF line endings", "GET / HTTP/1.1\nHost: h\n\n", nginx: .accepted,
        ours: .rejected(400), because: "behaviour §2.4: lines end in CRLF only"),
    NginxCase(
        "two spaces after the method", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .accepted,
        ours: .rejected(400), because: "RFC 9112 §3: single SP separators"),
    NginxCase(
        "space after the version", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", nginx: .accepted,
        ours: .rejected(400), because: "RFC 9112 §3: the line ends right after the version"),
    NginxCase(
        "two-digit minor version", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", nginx: .accepted,
        ours: .rejected(400), because: "RFC 9112 §2.3: HTTP-version is one DIGIT . one DIGIT"),
    NginxCase(
        "HTTP/0.9 named", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", nginx: .rejected(400),
        ours: .rejected(505), because: "well-formed, unsupported major version (RFC 9110 §15.6.6)"),
    NginxCase(
        "control byte in a value", get("X: a\u{1}b\r\n"), nginx: .accepted,
        ours: .rejected(400), because: "RFC 9110 §5.5: field-value has no CTL"),
    NginxCase(
        "DEL in a value", get("X: \u{7F}\r\n"), nginx: .accepted,
        ours: .rejected(400), because: "RFC 9110 §5.5: DEL is not VCHAR"),
    NginxCase(
        "field name with a paren", get("X(y): v\r\n"), nginx: .accepted,
        ours: .rejected(400),
        because: "RFC 9110 §5.1: names are tokens (nginx drops invalid lines)"),
    NginxCase(
        "Host with userinfo", "GET / HTTP/1.1\r\nHost: u@h\r\n\r\n", nginx: .accepted,
        ours: .rejected(400), because: "RFC 9112 §3.2: Host is uri-host [\":\" port]"),
    NginxCase(
        "Host with a bad port", "GET / HTTP/1.1\r\nHost: h:8o\r\n\r\n", nginx: .accepted,
        ours: .rejected(400), because: "RFC 9112 §3.2: port = *DIGIT"),
    NginxCase(
        "empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", nginx: .rejected(400),
        ours: .accepted, because: "RFC 9110 §7.2: reg-name may be empty"),
    NginxCase(
        "equal Content-Length lines", get("Content-Length: 0\r\nContent-Length: 0\r\n"),
        nginx: .rejected(400), ours: .accepted,
        because: "RFC 9110 §8.6: equal values may be taken as one"),
    NginxCase(
        "Content-Length list of equal values", get("Content-Length: 0, 0\r\n"),
        nginx: .rejected(400), ours: .accepted,
        because: "RFC 9110 §8.6: equal values may be taken as one"),
    NginxCase(
        "Transfer-Encoding gzip", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
        nginx: .rejected(501), ours: .rejected(400),
        because: "RFC 9112 §6.3: chunked not final MUST be 400"),
    NginxCase(
        "Transfer-Encoding chunked twice",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
        nginx: .rejected(501), ours: .rejected(400),
        because: "RFC 9112 §7: chunked is applied once"),
    NginxCase(
        "fragment in target", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .accepted,
        ours: .rejected(400), because: "RFC 9112 §3.2: no fragment in a request-target"),
    NginxCase(
        "raw UTF-8 in target", "GET /café HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .accepted,
        ours: .rejected(400), because: "RFC 3986: only ASCII in a URI"),
    NginxCase(
        "pipe in path", "GET /a|b HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .accepted,
        ours: .rejected(400), because: "RFC 3986 §3.3: | is not a pchar"),
    NginxCase(
        "brace in query", "GET /a?{x} HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .accepted,
        ours: .accepted,
        because: "browsers send raw braces in queries; the query is never looked up"),
    NginxCase(
        "other scheme", "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .accepted,
        ours: .rejected(400), because: "RFC 9112 §3.2.2: absolute-form of an http(s) URI"),
    NginxCase(
        "lowercase method", "get / HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .rejected(400),
        ours: .accepted, because: "RFC 9110 §9.1: a valid token, an unknown method (501)"),
    NginxCase(
        "OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", nginx: .rejected(400),
        ours: .accepted, because: "RFC 9112 §3.2.4: asterisk-form; the server answers 405"),
    NginxCase(
        "five leading empty lines", "\r\n\r\n\r\n\r\n\r\n" + get(""), nginx: .accepted,
        ours: .rejected(400), because: "RFC 9112 §2.2: at least one is skipped; this skips four"),
    NginxCase(
        "101 fields",
        "GET / HTTP/1.1\r\nHost: h\r\n"
            + (0..<100).map { "X-\($0): v\r\n" }.joined() + "\r\n",
        nginx: .accepted, ours: .rejected(431), because: "behaviour §2.5: 100 fields at most"),
]

/// A second opinion: this parser's verdicts against nginx's on the same bytes.
@Suite("RequestParser compared with nginx")
struct NginxComparisonTests {
    @Test("verdict", arguments: nginxCases)
    func verdict(_ testCase: NginxCase) {
        let verdict: NginxVerdict =
            switch parseHead(Array(testCase.request.utf8)) {
            case .complete: .accepted
            case .failed(let error): .rejected(error.status)
            case .incomplete: .rejected(0)
            }
        #expect(verdict == (testCase.ours ?? testCase.nginx), "\(testCase.reason ?? "agrees")")
    }

    @Test func mostCasesAgree() {
        let agreeing = nginxCases.filter { $0.ours == nil }.count
        #expect(agreeing > nginxCases.count / 2)
    }
}
