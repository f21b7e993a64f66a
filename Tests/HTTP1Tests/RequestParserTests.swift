import Testing

@testable import HTTP1

/// A request the parser must accept, and the head it must produce.
struct ValidHead: Sendable, CustomTestStringConvertible {
    let name: String
    let request: String
    let expected: HeadSummary

    var testDescription: String { name }
    var bytes: [UInt8] { Array(request.utf8) }

    init(_ name: String, _ request: String, _ expected: HeadSummary = HeadSummary()) {
        self.name = name
        self.request = request
        self.expected = expected
    }
}

/// A request the parser must reject, and why.
struct InvalidHead: Sendable, CustomTestStringConvertible {
    let name: String
    let request: String
    let error: ParseError

    var testDescription: String { name }
    var bytes: [UInt8] { Array(request.utf8) }

    init(_ name: String, _ request: String, _ reason: MalformedReason) {
        self.init(name, request, error: .malformed(reason))
    }

    init(_ name: String, _ request: String, error: ParseError) {
        self.name = name
        self.request = request
        self.error = error
    }
}

/// `GET <target> HTTP/1.1` with `Host: h` and the given field lines.
private func get(_ target: String = "/", _ fields: String...) -> String {
    "GET \(target) HTTP/1.1\r\nHost: h\r\n" + fields.map { $0 + "\r\n" }.joined() + "\r\n"
}

private let validHeads: [ValidHead] = [
    ValidHead("minimal GET", get()),
    ValidHead("HEAD", "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", HeadSummary(method: .head)),
    ValidHead(
        "HTTP/1.0 without Host closes", "GET / HTTP/1.0\r\n\r\n",
        HeadSummary(version: .http10, host: nil, keepAlive: false)),
    ValidHead(
        "HTTP/1.0 with keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        HeadSummary(version: .http10, host: nil, connectionKeepAlive: true, keepAlive: true)),
    ValidHead(
        "HTTP/1.0 with keep-alive and close",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
        HeadSummary(
            version: .http10, host: nil, connectionClose: true, connectionKeepAlive: true,
            keepAlive: false)),
    ValidHead(
        "HTTP/1.1 with close", get("/", "Connection: close"),
        HeadSummary(connectionClose: true, keepAlive: false)),
    ValidHead(
        "Connection options are a case-insensitive list over several lines",
        get("/", "Connection: Upgrade, CLOSE", "connection: ,Keep-Alive ,"),
        HeadSummary(connectionClose: true, connectionKeepAlive: true, keepAlive: false)),
    ValidHead(
        "Connection options that only contain close are not close",
        get("/", "Connection: closed, xclose, close-ish, keep-alive2")),
    ValidHead(
        "HTTP/1.9 is treated as HTTP/1.1", "GET / HTTP/1.9\r\nHost: h\r\n\r\n", HeadSummary()),
    ValidHead(
        "path and query", get("/a/b.css?v=1&x=%20"),
        HeadSummary(path: "/a/b.css", query: "v=1&x=%20")
    ),
    ValidHead("empty query", get("/a?"), HeadSummary(path: "/a", query: "")),
    ValidHead(
        "query may contain ? and /", get("/a?b?c/d:@"), HeadSummary(path: "/a", query: "b?c/d:@")),
    ValidHead(
        "every byte RFC 3986 allows in a path, and a lone %",
        get("/AZaz09-._~!$&'()*+,;=:@%2F/%"), HeadSummary(path: "/AZaz09-._~!$&'()*+,;=:@%2F/%")),
    ValidHead(
        "absolute-form: path, query and host from the target",
        "GET http://example.com/p/q?x HTTP/1.1\r\nHost: other\r\n\r\n",
        HeadSummary(path: "/p/q", query: "x", host: "example.com")),
    ValidHead(
        "absolute-form: scheme is case-insensitive, https, port",
        "GET HTTPS://Example.com:8443/x HTTP/1.1\r\nHost: h\r\n\r\n",
        HeadSummary(path: "/x", host: "Example.com:8443")),
    ValidHead(
        "absolute-form: empty path reads as /", "GET http://t HTTP/1.1\r\nHost: h\r\n\r\n",
        HeadSummary(path: "/", host: "t")),
    ValidHead(
        "absolute-form: empty path with query", "GET http://t?x=1 HTTP/1.1\r\nHost: h\r\n\r\n",
        HeadSummary(path: "/", query: "x=1", host: "t")),
    ValidHead(
        "absolute-form: IPv6 literal", "GET http://[::1]:80/i HTTP/1.1\r\nHost: h\r\n\r\n",
        HeadSummary(path: "/i", host: "[::1]:80")),
    ValidHead(
        "absolute-form in HTTP/1.0 gives the host", "GET http://t/ HTTP/1.0\r\n\r\n",
        HeadSummary(version: .http10, host: "t", keepAlive: false)),
    ValidHead(
        "OPTIONS * is accepted with an empty path", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
        HeadSummary(method: .known, path: "")),
    ValidHead(
        "CONNECT authority-form is accepted with an empty path",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        HeadSummary(method: .known, path: "", host: "example.com:443")),
    ValidHead(
        "POST is known", "POST /f HTTP/1.1\r\nHost: h\r\n\r\n",
        HeadSummary(method: .known, path: "/f")),
    ValidHead("PUT is known", "PUT / HTTP/1.1\r\nHost: h\r\n\r\n", HeadSummary(method: .known)),
    ValidHead(
        "DELETE is known", "DELETE / HTTP/1.1\r\nHost: h\r\n\r\n", HeadSummary(method: .known)),
    ValidHead("PATCH is known", "PATCH / HTTP/1.1\r\nHost: h\r\n\r\n", HeadSummary(method: .known)),
    ValidHead("TRACE is known", "TRACE / HTTP/1.1\r\nHost: h\r\n\r\n", HeadSummary(method: .known)),
    ValidHead(
        "another token is an unknown method", "BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n",
        HeadSummary(method: .unknown, path: "/pot")),
    ValidHead(
        "methods are case-sensitive", "get / HTTP/1.1\r\nHost: h\r\n\r\n",
        HeadSummary(method: .unknown)),
    ValidHead(
        "a method that extends GET is unknown", "GETS / HTTP/1.1\r\nHost: h\r\n\r\n",
        HeadSummary(method: .unknown)),
    ValidHead(
        "Host with port", "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
        HeadSummary(host: "example.com:8080")),
    ValidHead(
        "Host IPv4", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", HeadSummary(host: "127.0.0.1")),
    ValidHead(
        "Host IPv6 literal with port", "GET / HTTP/1.1\r\nHost: [2001:db8::1]:443\r\n\r\n",
        HeadSummary(host: "[2001:db8::1]:443")),
    ValidHead(
        "Host empty (RFC 9110 §7.2)", "GET / HTTP/1.1\r\nHost:\r\n\r\n", HeadSummary(host: "")),
    ValidHead(
        "Host with percent-encoding and an empty port",
        "GET / HTTP/1.1\r\nHost: ex%41mple:\r\n\r\n", HeadSummary(host: "ex%41mple:")),
    ValidHead(
        "field names are case-insensitive",
        "GET / HTTP/1.1\r\nHOST: h\r\nIF-NONE-MATCH: \"x\"\r\ncOnTeNt-LeNgTh: 0\r\n\r\n",
        HeadSummary(contentLength: 0, ifNoneMatch: ["\"x\""])),
    ValidHead(
        "OWS around a value is trimmed",
        "GET / HTTP/1.1\r\nHost: \t h \t\r\nRange:bytes=1-\r\n\r\n",
        HeadSummary(range: "bytes=1-")),
    ValidHead("values may hold obs-text", get("/", "X-Name: café ✓")),
    ValidHead("values may hold spaces and tabs", get("/", "User-Agent: a b\tc  d")),
    ValidHead("values may be empty", get("/", "X-Empty:", "X-Blank:  \t ")),
    ValidHead("values may hold colons", get("/", "X-Colon: a:b::")),
    ValidHead("field names may hold any tchar", get("/", "X!#$%&'*+-.^_`|~1: v")),
    ValidHead(
        "names that resemble interpreted fields are skipped",
        get(
            "/", "Hosts: x", "X-Host: y", "Content-Lengthy: abc", "Content-Length-X: -1",
            "Rangee: r", "Transfer-Encodings: gzip", "If-Matchx: m", "Connectio: close")),
    ValidHead("Content-Length", get("/", "Content-Length: 42"), HeadSummary(contentLength: 42)),
    ValidHead("Content-Length zero", get("/", "Content-Length: 0"), HeadSummary(contentLength: 0)),
    ValidHead(
        "Content-Length with leading zeros", get("/", "Content-Length: 007"),
        HeadSummary(contentLength: 7)),
    ValidHead(
        "Content-Length with 18 digits", get("/", "Content-Length: 999999999999999999"),
        HeadSummary(contentLength: 999_999_999_999_999_999)),
    ValidHead(
        "Content-Length list of equal values (RFC 9110 §8.6)",
        get("/", "Content-Length: 5, 5,5 ,05"), HeadSummary(contentLength: 5)),
    ValidHead(
        "Content-Length repeated with the same value",
        get("/", "Content-Length: 5", "Content-Length: 5"), HeadSummary(contentLength: 5)),
    ValidHead(
        "Transfer-Encoding chunked", get("/", "Transfer-Encoding: chunked"),
        HeadSummary(transferEncoding: .chunked)),
    ValidHead(
        "Transfer-Encoding CHUNKED with empty elements", get("/", "Transfer-Encoding: , Chunked ,"),
        HeadSummary(transferEncoding: .chunked)),
    ValidHead(
        "Transfer-Encoding over two lines, the first empty",
        get("/", "Transfer-Encoding:", "Transfer-Encoding: chunked"),
        HeadSummary(transferEncoding: .chunked)),
    ValidHead("Range", get("/", "Range: bytes=0-99"), HeadSummary(range: "bytes=0-99")),
    ValidHead("Range repeated is ignored", get("/", "Range: bytes=0-1", "Range: bytes=0-1")),
    ValidHead(
        "If-None-Match over two lines",
        get("/", "If-None-Match: \"a\", \"b\"", "If-None-Match: W/\"c\""),
        HeadSummary(ifNoneMatch: ["\"a\", \"b\"", "W/\"c\""])),
    ValidHead(
        "If-None-Match over three lines",
        get("/", "If-None-Match: \"a\"", "If-None-Match: \"b\"", "If-None-Match: \"c\""),
        HeadSummary(ifNoneMatch: ["\"a\"", "\"b\"", "\"c\""])),
    ValidHead(
        "an empty If-None-Match is present", get("/", "If-None-Match:"),
        HeadSummary(ifNoneMatch: [""])),
    ValidHead("If-Match", get("/", "If-Match: *"), HeadSummary(ifMatch: ["*"])),
    ValidHead(
        "Accept-Encoding over two lines",
        get("/", "Accept-Encoding: gzip, br;q=0.5", "accept-encoding: zstd"),
        HeadSummary(acceptEncoding: ["gzip, br;q=0.5", "zstd"])),
    ValidHead(
        "conditional singletons",
        get(
            "/", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT",
            "If-Unmodified-Since: Mon, 07 Nov 1994 08:49:37 GMT", "If-Range: \"e\""),
        HeadSummary(
            ifModifiedSince: "Sun, 06 Nov 1994 08:49:37 GMT",
            ifUnmodifiedSince: "Mon, 07 Nov 1994 08:49:37 GMT", ifRange: "\"e\"")),
    ValidHead(
        "conditional singletons repeated are ignored",
        get(
            "/", "If-Modified-Since: a", "If-Unmodified-Since: b", "If-Range: c",
            "If-Modified-Since: a", "If-Unmodified-Since: b", "If-Range: c")),
    ValidHead("one leading empty line is skipped", "\r\n" + get()),
    ValidHead("four leading empty lines are skipped", "\r\n\r\n\r\n\r\n" + get()),
    ValidHead(
        "a typical request from nginx",
        "GET /assets/app.3f9a1c2b.js HTTP/1.1\r\nHost: static.example\r\n"
            + "X-Real-IP: 203.0.113.7\r\nX-Forwarded-For: 203.0.113.7\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\r\n"
            + "Accept: */*\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"
            + "If-None-Match: \"1a2b-3c4d\"\r\n\r\n",
        HeadSummary(
            path: "/assets/app.3f9a1c2b.js", host: "static.example",
            ifNoneMatch: ["\"1a2b-3c4d\""], acceptEncoding: ["gzip, deflate, br, zstd"])),
]

private let invalidHeads: [InvalidHead] = [
    // Request line.
    InvalidHead("lowercase HTTP-version", "GET / http/1.1\r\nHost: h\r\n\r\n", .version),
    InvalidHead("no HTTP-version (HTTP/0.9)", "GET /\r\n\r\n", .requestLine),
    InvalidHead("method alone", "GET\r\n\r\n", .requestLine),
    InvalidHead("two spaces after the method", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("two spaces before the version", "GET /  HTTP/1.1\r\nHost: h\r\n\r\n", .version),
    InvalidHead("tab as separator", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", .method),
    InvalidHead("leading space", " GET / HTTP/1.1\r\nHost: h\r\n\r\n", .method),
    InvalidHead("method with a non-token byte", "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", .method),
    InvalidHead("space after the version", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", .version),
    InvalidHead("version with a letter", "GET / HTTP/1.x\r\nHost: h\r\n\r\n", .version),
    InvalidHead("version without a dot", "GET / HTTP/11\r\nHost: h\r\n\r\n", .version),
    InvalidHead("version with two-digit minor", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", .version),
    InvalidHead(
        "HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", error: .unsupportedVersion),
    InvalidHead(
        "HTTP/0.9 named", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", error: .unsupportedVersion),
    InvalidHead(
        "HTTP/2 connection preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        error: .unsupportedVersion),
    // Request-target.
    InvalidHead("fragment in target", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("fragment in query", "GET /a?b#c HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("raw space in target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", .version),
    InvalidHead("double quote in target", "GET /a\"b HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("angle bracket in target", "GET /<a> HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("backslash in target", "GET /a\\b HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("brace in target", "GET /{a} HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("hash in query", "GET /a?b#c HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("raw UTF-8 in target", "GET /café HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("control byte in target", "GET /a\u{1}b HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("DEL in target", "GET /a\u{7F} HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("CR ends the target", "GET /a\r\nHost: h\r\n\r\n", .requestLine),
    InvalidHead("asterisk for GET", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("asterisk for HEAD", "HEAD * HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead(
        "authority-form for GET", "GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("relative target", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("other scheme", "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("scheme with one slash", "GET http:/p HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("userinfo in target", "GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("empty host in target", "GET http:///p HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead("bad port in target", "GET http://h:8x/ HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    InvalidHead(
        "unclosed IP-literal in target", "GET http://[::1/ HTTP/1.1\r\nHost: h\r\n\r\n",
        .target),
    InvalidHead(
        "authority-form without port", "CONNECT example.com HTTP/1.1\r\nHost: h\r\n\r\n",
        .target),
    InvalidHead("asterisk followed by more", "OPTIONS *x HTTP/1.1\r\nHost: h\r\n\r\n", .target),
    // Line endings.
    InvalidHead("bare LF line endings", "GET / HTTP/1.1\nHost: h\n\n", .bareLF),
    InvalidHead("bare LF ends a field line", "GET / HTTP/1.1\r\nHost: h\n\r\n", .bareLF),
    InvalidHead("bare LF as the empty line", "GET / HTTP/1.1\r\nHost: h\r\n\n", .bareLF),
    InvalidHead("bare LF in a field name", "GET / HTTP/1.1\r\nHost\n\r\n", .bareLF),
    InvalidHead("bare LF before the request line", "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", .bareLF),
    InvalidHead("bare CR after the version", "GET / HTTP/1.1\rHost: h\r\n\r\n", .bareCR),
    InvalidHead("bare CR in a field value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", .bareCR),
    InvalidHead("bare CR as the empty line", "GET / HTTP/1.1\r\nHost: h\r\n\rX", .bareCR),
    InvalidHead("bare CR before the request line", "\rGET / HTTP/1.1\r\nHost: h\r\n\r\n", .bareCR),
    InvalidHead(
        "five leading empty lines", "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
        .leadingEmptyLines),
    // Field lines.
    InvalidHead("obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX-A: b\r\n c\r\n\r\n", .obsFold),
    InvalidHead(
        "obs-fold with a tab", "GET / HTTP/1.1\r\nHost: h\r\nX-A: b\r\n\tc\r\n\r\n", .obsFold),
    InvalidHead(
        "whitespace before the first field", "GET / HTTP/1.1\r\n Host: h\r\n\r\n",
        .whitespaceBeforeFirstField),
    InvalidHead(
        "space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", .whitespaceBeforeColon),
    InvalidHead(
        "tab before colon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", .whitespaceBeforeColon),
    InvalidHead("field line without colon", "GET / HTTP/1.1\r\nHosth\r\n\r\n", .fieldName),
    InvalidHead("empty field name", "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", .fieldName),
    InvalidHead("field name with a paren", "GET / HTTP/1.1\r\nHo(st: h\r\n\r\n", .fieldName),
    InvalidHead(
        "field name with UTF-8", "GET / HTTP/1.1\r\nHost: h\r\nNäme: v\r\n\r\n", .fieldName),
    InvalidHead("NUL in a value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{0}b\r\n\r\n", .fieldValue),
    InvalidHead("control byte in a value", "GET / HTTP/1.1\r\nHost: h\u{1}\r\n\r\n", .fieldValue),
    InvalidHead("DEL in a value", "GET / HTTP/1.1\r\nHost: h\r\nX: \u{7F}\r\n\r\n", .fieldValue),
    // Host.
    InvalidHead("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", .missingHost),
    InvalidHead(
        "HTTP/1.1 absolute-form without Host", "GET http://h/ HTTP/1.1\r\n\r\n", .missingHost),
    InvalidHead(
        "two Host lines", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .duplicateHost),
    InvalidHead(
        "two equal Host lines", "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", .duplicateHost),
    InvalidHead(
        "two Host lines in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", .duplicateHost
    ),
    InvalidHead("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .invalidHost),
    InvalidHead("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@h\r\n\r\n", .invalidHost),
    InvalidHead("Host with a path", "GET / HTTP/1.1\r\nHost: h/p\r\n\r\n", .invalidHost),
    InvalidHead("Host with a bad port", "GET / HTTP/1.1\r\nHost: h:8o\r\n\r\n", .invalidHost),
    InvalidHead("Host with two ports", "GET / HTTP/1.1\r\nHost: h:1:2\r\n\r\n", .invalidHost),
    InvalidHead("Host with bad percent", "GET / HTTP/1.1\r\nHost: h%zz\r\n\r\n", .invalidHost),
    InvalidHead("Host with cut percent", "GET / HTTP/1.1\r\nHost: h%4\r\n\r\n", .invalidHost),
    InvalidHead("Host unclosed bracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", .invalidHost),
    InvalidHead("Host empty brackets", "GET / HTTP/1.1\r\nHost: []\r\n\r\n", .invalidHost),
    InvalidHead("Host junk after bracket", "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", .invalidHost),
    InvalidHead("Host list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", .invalidHost),
    InvalidHead("invalid Host in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a b\r\n\r\n", .invalidHost),
    // Content-Length.
    InvalidHead("Content-Length negative", get("/", "Content-Length: -1"), .invalidContentLength),
    InvalidHead("Content-Length with plus", get("/", "Content-Length: +1"), .invalidContentLength),
    InvalidHead("Content-Length hex", get("/", "Content-Length: 0x10"), .invalidContentLength),
    InvalidHead("Content-Length decimal", get("/", "Content-Length: 5.0"), .invalidContentLength),
    InvalidHead(
        "Content-Length inner space", get("/", "Content-Length: 1 2"), .invalidContentLength),
    InvalidHead("Content-Length empty", get("/", "Content-Length:"), .invalidContentLength),
    InvalidHead(
        "Content-Length with 19 digits", get("/", "Content-Length: 1000000000000000000"),
        .invalidContentLength),
    InvalidHead(
        "Content-Length overflowing Int64",
        get("/", "Content-Length: 99999999999999999999999"), .invalidContentLength),
    InvalidHead(
        "Content-Length trailing comma", get("/", "Content-Length: 5,"), .invalidContentLength),
    InvalidHead(
        "Content-Length empty element", get("/", "Content-Length: 5,,5"), .invalidContentLength),
    InvalidHead(
        "Content-Length differing list", get("/", "Content-Length: 5, 6"),
        .conflictingContentLength),
    InvalidHead(
        "Content-Length differing lines", get("/", "Content-Length: 5", "Content-Length: 6"),
        .conflictingContentLength),
    // Transfer-Encoding.
    InvalidHead(
        "Content-Length and Transfer-Encoding",
        get("/", "Content-Length: 5", "Transfer-Encoding: chunked"),
        .contentLengthWithTransferEncoding),
    InvalidHead(
        "Transfer-Encoding and Content-Length",
        get("/", "Transfer-Encoding: chunked", "Content-Length: 5"),
        .contentLengthWithTransferEncoding),
    InvalidHead(
        "Transfer-Encoding in HTTP/1.0",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10),
    InvalidHead("Transfer-Encoding gzip", get("/", "Transfer-Encoding: gzip"), .chunkedNotFinal),
    InvalidHead(
        "Transfer-Encoding chunked, gzip", get("/", "Transfer-Encoding: chunked, gzip"),
        .chunkedNotFinal),
    InvalidHead(
        "Transfer-Encoding chunked then gzip on two lines",
        get("/", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip"), .chunkedNotFinal),
    InvalidHead("Transfer-Encoding empty", get("/", "Transfer-Encoding:"), .chunkedNotFinal),
    InvalidHead(
        "Transfer-Encoding chunked with a parameter", get("/", "Transfer-Encoding: chunked;x=1"),
        .chunkedNotFinal),
    InvalidHead(
        "Transfer-Encoding chunked twice", get("/", "Transfer-Encoding: chunked, chunked"),
        .chunkedRepeated),
    InvalidHead(
        "Transfer-Encoding chunked on two lines",
        get("/", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"), .chunkedRepeated),
    InvalidHead(
        "Transfer-Encoding gzip, chunked", get("/", "Transfer-Encoding: gzip, chunked"),
        error: .unsupportedTransferCoding),
]

/// behaviour §2 request rules, one named case each: valid heads with the fields they yield, invalid
/// heads with the rule they break, split points, pipelining.
@Suite("RequestParser")
struct RequestParserTests {
    @Test("accepts", arguments: validHeads)
    func accepts(_ valid: ValidHead) throws {
        let bytes = valid.bytes
        let head = try #require(parsedHead(bytes))
        #expect(head.length == bytes.count)
        #expect(HeadSummary(head, in: bytes) == valid.expected)
    }

    @Test("rejects", arguments: invalidHeads)
    func rejects(_ invalid: InvalidHead) {
        #expect(headOutcome(invalid.bytes) == .failed(invalid.error))
    }

    /// Every prefix of a valid head is incomplete: no split point turns into an error.
    @Test("incomplete at every split point", arguments: validHeads)
    func incompleteUntilComplete(_ valid: ValidHead) {
        let bytes = valid.bytes
        for end in 0..<bytes.count {
            let prefix = Array(bytes[..<end])
            #expect(headOutcome(prefix) == .incomplete, "prefix of \(end) bytes")
        }
    }

    /// A prefix of an invalid head is either incomplete or fails for the same reason: an
    /// error never depends on bytes that have not arrived.
    @Test("errors are stable as bytes arrive", arguments: invalidHeads)
    func stableErrors(_ invalid: InvalidHead) {
        let bytes = invalid.bytes
        for end in 0..<bytes.count {
            let result = headOutcome(Array(bytes[..<end]))
            #expect(
                result == .incomplete || result == .failed(invalid.error), "prefix of \(end) bytes")
        }
    }

    /// A head followed by a second request, or by body bytes: `length` covers the head alone.
    @Test("pipelined requests", arguments: validHeads)
    func pipelined(_ valid: ValidHead) throws {
        let first = valid.bytes
        let second = Array("HEAD /second?x HTTP/1.1\r\nHost: two\r\n\r\n".utf8)
        let bytes = first + second
        let head = try #require(parsedHead(bytes))
        #expect(head.length == first.count)
        #expect(HeadSummary(head, in: bytes) == valid.expected)

        let rest = Array(bytes[head.length...])
        let next = try #require(parsedHead(rest))
        #expect(next.length == second.count)
        #expect(
            HeadSummary(next, in: rest)
                == HeadSummary(method: .head, path: "/second", query: "x", host: "two"))
    }

    @Test func bodyBytesAreNotPartOfTheHead() throws {
        let request = Array("POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello".utf8)
        let head = try #require(parsedHead(request))
        #expect(head.length == request.count - 5)
        #expect(head.contentLength == 5)
    }

    @Test func bodyThatLooksLikeARequestIsNotParsedAsOne() throws {
        let body = "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n"
        let request = Array(
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        let head = try #require(parsedHead(request))
        #expect(head.length == request.count - body.utf8.count)
        #expect(head.contentLength == Int64(body.utf8.count))
    }

    /// Errors in complete lines are reported before the head ends, so a client that sends a
    /// broken head and waits gets its 400 at once instead of a timeout.
    @Test(
        "errors are reported before the head is complete",
        arguments: [
            ("GET / HTTP/1.1\nHost", MalformedReason.bareLF),
            ("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b", .obsFold),
            ("GET / HTTP/1.1\r\nHost : h", .whitespaceBeforeColon),
            ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n", .duplicateHost),
            ("GET / HTTP/1.1\r\nContent-Length: x\r\n", .invalidContentLength),
            ("GET /a#", .target),
            ("GET / HTTQ", .version),
        ])
    func earlyErrors(_ request: String, _ reason: MalformedReason) {
        #expect(headOutcome(request) == .failed(.malformed(reason)))
    }

    @Test func emptyBufferIsIncomplete() {
        #expect(headOutcome([]) == .incomplete)
        #expect(headOutcome("\r") == .incomplete)
        #expect(headOutcome("\r\n") == .incomplete)
    }

    @Test func statusCodes() {
        #expect(ParseError.malformed(.bareCR).status == 400)
        #expect(ParseError.requestLineTooLong.status == 414)
        #expect(ParseError.headerSectionTooLarge.status == 431)
        #expect(ParseError.tooManyFields.status == 431)
        #expect(ParseError.unsupportedVersion.status == 505)
        #expect(ParseError.unsupportedTransferCoding.status == 501)
    }

    @Test func spansPointIntoTheBuffer() throws {
        let request = Array("GET /p?q HTTP/1.1\r\nHost: h\r\nRange: bytes=1-2\r\n\r\n".utf8)
        let head = try #require(parsedHead(request))
        #expect(head.methodName == 0..<3)
        #expect(head.path == 4..<6)
        #expect(head.query == 7..<8)
        #expect(head.host == 25..<26)
        #expect(head.range == 35..<44)
    }

    @Test func absoluteFormEmptyPathIsTheSlashOfTheVersion() throws {
        let request = Array("GET http://t HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        let head = try #require(parsedHead(request))
        #expect(head.path == 17..<18)
        #expect(request[17] == UInt8(ascii: "/"))
    }

    @Test func singleFieldLinesDoNotAllocate() throws {
        let request = Array(get("/", "If-None-Match: \"a\"", "Accept-Encoding: gzip").utf8)
        let head = try #require(parsedHead(request))
        #expect(head.ifNoneMatch.more.isEmpty && head.ifNoneMatch.more.capacity == 0)
        #expect(head.acceptEncoding.more.capacity == 0)
        #expect(head.ifMatch.isEmpty)
        #expect(!head.ifNoneMatch.isEmpty)
    }

    @Test func aReusedHeadKeepsNothingOfThePreviousRequest() throws {
        let parser = RequestParser()
        var head = RequestHead()
        let first = Array(
            ("GET http://a/x?q HTTP/1.1\r\nHost: b\r\nConnection: close\r\nRange: bytes=0-1\r\n"
                + "If-None-Match: \"a\"\r\nIf-None-Match: \"b\"\r\nAccept-Encoding: br\r\n"
                + "If-Modified-Since: x\r\nContent-Length: 0\r\n\r\n").utf8)
        #expect(first.withUnsafeBytes { parser.parse($0, into: &head) } == .complete)
        #expect(head.ifNoneMatch.more.count == 1 && head.query != nil && head.connectionClose)

        let second = Array("GET /y HTTP/1.0\r\n\r\n".utf8)
        #expect(second.withUnsafeBytes { parser.parse($0, into: &head) } == .complete)
        let fresh = try #require(parsedHead(second))
        #expect(head.path == fresh.path && head.query == nil && head.host == nil)
        #expect(head.version == .http10 && !head.connectionClose && head.contentLength == nil)
        #expect(head.range == nil && head.ifModifiedSince == nil && head.length == second.count)
        #expect(head.ifNoneMatch.isEmpty && head.ifNoneMatch.more.isEmpty)
        #expect(head.acceptEncoding.isEmpty && head.ifMatch.isEmpty)

        let broken = Array("GET /z HTTP/1.1\r\nHost: h\r\nHost: i\r\n\r\n".utf8)
        #expect(
            broken.withUnsafeBytes { parser.parse($0, into: &head) }
                == .failed(.malformed(.duplicateHost)))
    }
}
