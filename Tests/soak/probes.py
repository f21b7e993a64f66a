"""The requests well-behaved clients send, each with the rule its response must follow.

A probe renders its request bytes and verifies the response whose head has been read: status,
fields, and every body byte against the pattern. ``verify`` returns ``"ok"``, or
``"truncated"`` when the server closed early because the mutator truncated the file (the only
early close a well-behaved client accepts); anything else raises a Violation.
"""

import re

from content import BY_NAME
from wire import Head, Violation, Wire

_CONTENT_RANGE = re.compile(r"bytes ([0-9]+)-([0-9]+)/([0-9]+)")
_UNSATISFIED_RANGE = re.compile(r"bytes \*/([0-9]+)")
_MULTIPART = re.compile(r"multipart/byteranges; ?boundary=([0-9A-Za-z'()+_,./:=?-]{1,70})")
#: Largest multipart body a probe buffers.
MAX_MULTIPART = 4 << 20


def render(method: str, target: str, headers=(), close=False, version="HTTP/1.1") -> bytes:
    """The bytes of one request (``Host`` first, ``Connection: close`` last if asked)."""
    lines = [f"{method} {target} {version}", "Host: soak.test"]
    lines += [f"{name}: {value}" for name, value in headers]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def weak_equal(left: str, right: str) -> bool:
    """RFC 9110 §8.8.3.2 weak comparison of two entity-tags."""
    return left.removeprefix("W/") == right.removeprefix("W/")


def expect_status(head: Head, allowed, what: str) -> None:
    """Raises unless the status is one of ``allowed``."""
    if head.status not in allowed:
        raise Violation("protocol.wrong_status", f"{what}: {head.status}, wanted {sorted(allowed)}")


def content_range(head: Head, name: str):
    """(first, last, complete length) from a 206's Content-Range."""
    match = _CONTENT_RANGE.fullmatch(head.get("content-range") or "")
    if not match:
        raise Violation("framing.bad_content_range", f"{name}: {head.get('content-range')!r}")
    return tuple(int(group) for group in match.groups())


async def read_checked_body(wire: Wire, ctx, name: str, etag: str, offset: int, length: int):
    """Reads ``length`` body bytes of ``name`` from file offset ``offset``, comparing each one.
    An early close is expected only on a file the mutator truncates, and only at or past the
    length it truncates to (bytes before that point exist in every state of the file)."""
    check = ctx.verifier.body(name, etag, offset)
    received = await wire.read_body(length, check, ctx.progress_timeout)
    end = check.finish()
    if received == length:
        return "ok"
    spec = BY_NAME[name]
    if spec.role == "trunc" and end >= spec.truncated_size:
        ctx.tally.expect("truncated")
        return "truncated"
    raise Violation(
        "framing.short_body",
        f"{name}: closed after {received} of {length} body bytes (file offsets {offset}..{end}), "
        f"{wire.close_gap:.2f} s after the last bytes")


def served_span(head: Head, name: str):
    """(file offset of the first body byte, complete length) of a 200 or 206."""
    if head.status == 206:
        first, _, length = content_range(head, name)
        return first, length
    return 0, head.content_length()


class Probe:
    """A request and the response it must get. ``close`` asks the server to close after it."""

    name = ""
    close = False

    def request(self) -> bytes:
        """The request bytes."""
        raise NotImplementedError

    async def verify(self, wire: Wire, head: Head, ctx) -> str:
        """Verifies the response (head already read); reads its body."""
        raise NotImplementedError


class Whole(Probe):
    """GET or HEAD answered with the whole file (200): plain requests, and those whose Range
    or conditional fields must be ignored or fail."""

    def __init__(self, name, method="GET", headers=(), close=False, target=None,
                 version="HTTP/1.1"):
        self.name = name
        self.method = method
        self.headers = tuple(headers)
        self.close = close or version == "HTTP/1.0"
        self.target = target or "/" + name
        self.version = version
        #: (ETag, Last-Modified) of the response, once verified.
        self.validators = None

    def request(self) -> bytes:
        return render(self.method, self.target, self.headers, self.close and
                      self.version != "HTTP/1.0", self.version)

    async def verify(self, wire, head, ctx):
        expect_status(head, {200}, f"{self.method} {self.target} {self.headers}")
        length = head.content_length()
        etag = ctx.verifier.representation(head, self.name, length)
        self.validators = (etag, head.get("last-modified"))
        if self.method == "HEAD":
            return "ok"
        return await read_checked_body(wire, ctx, self.name, etag, 0, length)


class Single(Probe):
    """GET with one byte range: ``first-last``, ``first-`` or the suffix ``-count``. The
    expected answer is computed from the complete length the response states, since a
    truncated file has another length (which the verifier checks is one it can have)."""

    def __init__(self, name, first=None, last=None, suffix=None, unit="bytes", close=False):
        self.name = name
        self.first, self.last, self.suffix = first, last, suffix
        self.unit = unit
        self.close = close

    @property
    def spec(self) -> str:
        """The Range field value."""
        if self.suffix is not None:
            return f"{self.unit}=-{self.suffix}"
        return f"{self.unit}={self.first}-{'' if self.last is None else self.last}"

    def request(self) -> bytes:
        return render("GET", "/" + self.name, [("Range", self.spec)], self.close)

    def span(self, length: int):
        """(offset, count) to send for a file of ``length`` bytes; None if unsatisfiable;
        "whole" for a suffix range of an empty file (RFC 9110 §14.1.2 and §14.2)."""
        if self.suffix is not None:
            if self.suffix == 0:
                return None
            if length == 0:
                return "whole"
            count = min(self.suffix, length)
            return (length - count, count)
        if self.first >= length:
            return None
        end = length - 1 if self.last is None else min(self.last, length - 1)
        return (self.first, end - self.first + 1)

    async def verify(self, wire, head, ctx):
        what = f"{self.name} Range: {self.spec}"
        expect_status(head, {200, 206, 416}, what)
        if head.status == 416:
            match = _UNSATISFIED_RANGE.fullmatch(head.get("content-range") or "")
            if not match:
                raise Violation("framing.bad_content_range", f"{what}: 416 with "
                                f"{head.get('content-range')!r}")
            length = int(match.group(1))
            if self.span(length) is not None:
                raise Violation("protocol.wrong_status", f"{what}: 416 for length {length}")
            if length not in BY_NAME[self.name].lengths:
                raise Violation("framing.wrong_length", f"{what}: 416 for length {length}")
            await wire.read_body(head.content_length(), lambda data: None, ctx.progress_timeout)
            return "ok"
        if head.status == 200:
            length = head.content_length()
            if self.span(length) != "whole":
                raise Violation("protocol.wrong_status", f"{what}: 200 for length {length}")
            ctx.verifier.representation(head, self.name, length)
            return "ok"
        first, last, length = content_range(head, self.name)
        if self.span(length) != (first, last - first + 1):
            raise Violation("framing.bad_content_range", f"{what}: got {first}-{last}/{length}, "
                            f"wanted {self.span(length)}")
        if head.content_length() != last - first + 1:
            raise Violation("framing.bad_content_length",
                            f"{what}: {head.content_length()} for {first}-{last}")
        etag = ctx.verifier.representation(head, self.name, length)
        return await read_checked_body(wire, ctx, self.name, etag, first, last - first + 1)


def coalesce(ranges):
    """The parts a server must send for ``ranges`` (inclusive pairs): sorted, with
    overlapping and touching ranges merged. The clients only ask for ranges that overlap,
    touch, or lie at least 1000 bytes apart, so any reasonable merging gap gives this."""
    parts = []
    for first, last in sorted(ranges):
        if parts and first <= parts[-1][1] + 1:
            parts[-1] = (parts[-1][0], max(parts[-1][1], last))
        else:
            parts.append((first, last))
    return parts


class Multi(Probe):
    """GET with several ranges of a file that is never truncated: a plain 206 if they merge
    into one part, else multipart/byteranges whose every part is parsed and compared."""

    def __init__(self, name, ranges, close=False):
        self.name = name
        self.ranges = list(ranges)
        self.close = close

    @property
    def spec(self) -> str:
        """The Range field value."""
        return "bytes=" + ",".join(f"{first}-{last}" for first, last in self.ranges)

    def request(self) -> bytes:
        return render("GET", "/" + self.name, [("Range", self.spec)], self.close)

    async def verify(self, wire, head, ctx):
        what = f"{self.name} Range: {self.spec}"
        expect_status(head, {206}, what)
        parts = coalesce(self.ranges)
        if len(parts) == 1:
            first, last, length = content_range(head, self.name)
            if (first, last) != parts[0]:
                raise Violation("framing.bad_content_range", f"{what}: got {first}-{last}")
            etag = ctx.verifier.representation(head, self.name, length)
            return await read_checked_body(wire, ctx, self.name, etag, first, last - first + 1)
        match = _MULTIPART.fullmatch(head.get("content-type") or "")
        if not match:
            raise Violation("framing.multipart", f"{what}: Content-Type "
                            f"{head.get('content-type')!r}")
        length = head.content_length()
        if length > MAX_MULTIPART:
            raise Violation("framing.multipart", f"{what}: Content-Length {length}")
        body = bytearray()
        received = await wire.read_body(length, body.extend, ctx.progress_timeout)
        if received != length:
            raise Violation("framing.short_body", f"{what}: {received} of {length} bytes")
        self._parse(bytes(body), match.group(1).encode(), parts, head, ctx)
        return "ok"

    def _parse(self, body: bytes, boundary: bytes, parts, head: Head, ctx) -> None:
        """Walks the multipart body (RFC 9110 §14.6, RFC 2046 §5.1.1): each part's fields,
        its Content-Range, its bytes, and the delimiters, to the exact end."""
        what = f"{self.name} Range: {self.spec}"
        etag = head.get("etag")
        complete = None
        position = 0
        delimiter = b"--" + boundary + b"\r\n"
        for index, (first, last) in enumerate(parts):
            if not body.startswith(delimiter, position):
                raise Violation("framing.multipart", f"{what}: no delimiter at {position}")
            fields_end = body.find(b"\r\n\r\n", position + len(delimiter))
            if fields_end < 0:
                raise Violation("framing.multipart", f"{what}: part {index} has no blank line")
            lines = body[position + len(delimiter):fields_end].split(b"\r\n")
            fields = dict(line.decode("latin-1").split(": ", 1) for line in lines if b": " in line)
            if len(fields) != len(lines) or "Content-Range" not in fields:
                raise Violation("framing.multipart", f"{what}: part {index} fields {lines}")
            match = _CONTENT_RANGE.fullmatch(fields["Content-Range"])
            if not match or (int(match.group(1)), int(match.group(2))) != (first, last):
                raise Violation("framing.multipart", f"{what}: part {index} is "
                                f"{fields['Content-Range']}, wanted {first}-{last}")
            complete = int(match.group(3))
            start = fields_end + 4
            check = ctx.verifier.body(self.name, etag, first)
            check(body[start:start + last - first + 1])
            check.finish()
            position = start + last - first + 1
            delimiter = b"\r\n--" + boundary + b"\r\n"
        ctx.verifier.representation(head, self.name, complete)
        if body[position:] != b"\r\n--" + boundary + b"--\r\n":
            raise Violation("framing.multipart", f"{what}: bad close delimiter or "
                            f"{len(body) - position} stray bytes at the end")


class NotModified(Probe):
    """A conditional GET that must get 304 (no body) while the file is unchanged. For a file
    the mutator replaces, a 200 with another ETag is right too: the file changed."""

    def __init__(self, name, field, value, etag=None, close=False):
        self.name = name
        self.field = field
        self.value = value
        self.etag = etag
        self.close = close

    def request(self) -> bytes:
        return render("GET", "/" + self.name, [(self.field, self.value)], self.close)

    async def verify(self, wire, head, ctx):
        what = f"{self.name} {self.field}: {self.value}"
        changeable = BY_NAME[self.name].role != "stable"
        expect_status(head, {304, 200} if changeable else {304}, what)
        if head.status == 304:
            served = head.get("etag")
            if served is None or (self.etag and not weak_equal(served, self.etag)):
                raise Violation("protocol.bad_304", f"{what}: ETag {served!r}")
            if head.get("content-length") is not None and \
                    head.content_length() not in BY_NAME[self.name].lengths:
                raise Violation("framing.bad_content_length", f"{what}: 304 with "
                                f"{head.get('content-length')}")
            ctx.tally.expect("not_modified")
            return "ok"
        length = head.content_length()
        etag = ctx.verifier.representation(head, self.name, length)
        if self.etag and weak_equal(etag, self.etag):
            raise Violation("protocol.wrong_status", f"{what}: 200 with the same ETag")
        return await read_checked_body(wire, ctx, self.name, etag, 0, length)


class IfRange(Probe):
    """GET with Range and If-Range: a strong ETag that still matches gives 206; a weak one
    (never matches, RFC 9110 §13.1.5) or a changed file gives the whole file (200)."""

    def __init__(self, name, etag, first, last, close=False):
        self.name = name
        self.etag = etag
        self.first, self.last = first, last
        self.close = close

    def request(self) -> bytes:
        headers = [("Range", f"bytes={self.first}-{self.last}"), ("If-Range", self.etag)]
        return render("GET", "/" + self.name, headers, self.close)

    async def verify(self, wire, head, ctx):
        what = f"{self.name} If-Range: {self.etag}"
        weak = self.etag.startswith("W/")
        if head.status == 206 and not weak:
            etag = head.get("etag")
            if etag != self.etag:
                raise Violation("protocol.wrong_status", f"{what}: 206 for ETag {etag}")
            probe = Single(self.name, self.first, self.last)
            return await probe.verify(wire, head, ctx)
        expect_status(head, {200}, what)
        length = head.content_length()
        etag = ctx.verifier.representation(head, self.name, length)
        if not weak and etag == self.etag:
            raise Violation("protocol.wrong_status", f"{what}: 200 though the ETag matches")
        return await read_checked_body(wire, ctx, self.name, etag, 0, length)


class Status(Probe):
    """A request answered with a short status response on a connection that stays usable:
    404, 405 (with Allow), 412, 416 (with Content-Range), 301 (with Location)."""

    def __init__(self, target, allowed, method="GET", headers=(), close=False, name=""):
        self.target = target
        self.allowed = frozenset(allowed)
        self.method = method
        self.headers = tuple(headers)
        self.close = close
        self.name = name

    def request(self) -> bytes:
        return render(self.method, self.target, self.headers, self.close)

    async def verify(self, wire, head, ctx):
        what = f"{self.method} {self.target} {self.headers}"
        expect_status(head, self.allowed, what)
        if head.status == 405 and head.get("allow") != "GET, HEAD":
            raise Violation("protocol.bad_405", f"{what}: Allow {head.get('allow')!r}")
        if head.status == 301 and head.get("location") is None:
            raise Violation("protocol.bad_301", f"{what}: no Location")
        if head.status == 416 and not _UNSATISFIED_RANGE.fullmatch(
                head.get("content-range") or ""):
            raise Violation("framing.bad_content_range", f"{what}: {head.get('content-range')}")
        length = head.content_length()
        if self.method != "HEAD":
            received = await wire.read_body(length, lambda data: None, ctx.progress_timeout)
            if received != length:
                raise Violation("framing.short_body", f"{what}: {received} of {length}")
        return "ok"
