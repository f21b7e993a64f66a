"""Invalid and refused requests, each with the statuses it may get and whether the server must
close the connection after answering (behaviour §2.1–§2.5, §3.2–§3.3, §5).

Every case that must close is followed on the wire by a valid pipelined request, which the
server must not answer: after a framing error nothing more on that connection is trusted. A
case with a body carries a whole request for another file inside it (SMUGGLED); the response
to that smuggled request must never appear.
"""

from dataclasses import dataclass

HOST = b"Host: soak.test\r\n"
#: The request hidden in request bodies; answering it means a body was read as a request.
SMUGGLED = b"GET /stable/page.html HTTP/1.1\r\n" + HOST + b"\r\n"
#: The valid request pipelined after every case.
FOLLOW_UP = b"GET /stable/small.js HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n"
#: The lengths of the two files, to tell their responses apart.
SMUGGLED_LENGTH = 4096
FOLLOW_UP_LENGTH = 100


@dataclass(frozen=True)
class Invalid:
    """One hostile request: ``statuses`` it may be answered with; ``closes`` whether the
    server must close after the answer (framing errors); otherwise the connection may stay
    open, and then the follow-up request must be answered normally."""

    label: str
    data: bytes
    statuses: frozenset
    closes: bool


def _get(target: bytes = b"/stable/one.txt", fields: bytes = HOST, version=b"HTTP/1.1") -> bytes:
    return b"GET " + target + b" " + version + b"\r\n" + fields + b"\r\n"


def _case(label, data, statuses, closes=True) -> Invalid:
    return Invalid(label, data, frozenset(statuses), closes)


CASES = (
    _case("missing-host", _get(fields=b""), {400}),
    _case("duplicate-host", _get(fields=HOST + b"Host: other.test\r\n"), {400}),
    _case("cl-and-te", _get(fields=HOST + b"Content-Length: 0\r\nTransfer-Encoding: chunked\r\n"),
          {400}),
    _case("invalid-content-length", _get(fields=HOST + b"Content-Length: 1x\r\n"), {400}),
    _case("conflicting-content-length",
          _get(fields=HOST + b"Content-Length: 1\r\nContent-Length: 2\r\n"), {400}),
    _case("obs-fold", _get(fields=HOST + b"X-Fold: a\r\n b\r\n"), {400}),
    _case("bare-cr", _get(fields=HOST + b"X-A: a\rb\r\n"), {400}),
    _case("bare-lf", b"GET /stable/one.txt HTTP/1.1\nHost: soak.test\n\n", {400}),
    _case("field-without-colon", _get(fields=HOST + b"Junk\r\n"), {400}),
    _case("space-before-colon", _get(fields=HOST + b"X-A : b\r\n"), {400}),
    _case("control-in-value", _get(fields=HOST + b"X-A: a\x01b\r\n"), {400}),
    _case("nul-in-value", _get(fields=HOST + b"X-A: a\x00b\r\n"), {400}),
    _case("encoded-nul", _get(b"/stable/one%00.txt"), {400}),
    _case("encoded-slash", _get(b"/stable%2Fone.txt"), {400}),
    _case("encoded-control", _get(b"/stable/%0Aone.txt"), {400}),
    _case("double-space", b"GET  /stable/one.txt HTTP/1.1\r\n" + HOST + b"\r\n", {400}),
    _case("bad-version", _get(version=b"HTTP/1.x"), {400}),
    _case("http2-version", _get(version=b"HTTP/2.0"), {400, 505}),
    _case("tls-hello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(32) + b"\r\n\r\n",
          {400}),
    _case("long-request-line", _get(b"/" + b"a" * 9000), {414}),
    _case("large-header-section", _get(fields=HOST + b"X-Big: " + b"b" * 17000 + b"\r\n"),
          {431}),
    _case("many-fields", _get(fields=HOST + b"".join(b"X-F%d: v\r\n" % n for n in range(101))),
          {431}),
    _case("unknown-method", b"BREW /stable/one.txt HTTP/1.1\r\n" + HOST + b"\r\n",
          {405, 501}, closes=False),
    _case("lowercase-method", b"get /stable/one.txt HTTP/1.1\r\n" + HOST + b"\r\n",
          {400, 405, 501}, closes=False),
    _case("options-asterisk", b"OPTIONS * HTTP/1.1\r\n" + HOST + b"\r\n", {400, 405, 501},
          closes=False),
    _case("post", b"POST /stable/one.txt HTTP/1.1\r\n" + HOST + b"\r\n", {405}, closes=False),
    _case("post-with-body",
          b"POST /stable/one.txt HTTP/1.1\r\n" + HOST
          + b"Content-Length: %d\r\n\r\n" % len(SMUGGLED) + SMUGGLED,
          {405, 400, 413}, closes=False),
    _case("get-with-body",
          _get(fields=HOST + b"Content-Length: %d\r\n" % len(SMUGGLED)) + SMUGGLED,
          {200, 400, 413}, closes=False),
    _case("head-with-body",
          b"HEAD /stable/one.txt HTTP/1.1\r\n" + HOST
          + b"Content-Length: %d\r\n\r\n" % len(SMUGGLED) + SMUGGLED,
          {200, 400, 413}, closes=False),
    _case("chunked-get",
          _get(fields=HOST + b"Transfer-Encoding: chunked\r\n")
          + b"%x\r\n" % len(SMUGGLED) + SMUGGLED + b"\r\n0\r\n\r\n",
          {200, 400, 413}, closes=False),
    _case("dot-dot", _get(b"/../../../../etc/passwd"), {400, 404}, closes=False),
    _case("inner-dot-dot", _get(b"/stable/../../etc/passwd"), {400, 404}, closes=False),
    _case("dotfile", _get(b"/stable/.hidden"), {404}, closes=False),
    _case("missing-file", _get(b"/nope/none.bin"), {404}, closes=False),
    _case("directory", _get(b"/stable"), {301}, closes=False),
    _case("directory-without-index", _get(b"/stable/"), {404}, closes=False),
    _case("unsatisfiable-range", _get(b"/stable/page.html", HOST + b"Range: bytes=999999-\r\n"),
          {416}, closes=False),
    _case("if-match-fails", _get(b"/stable/page.html", HOST + b'If-Match: "nope"\r\n'), {412},
          closes=False),
)
