"""One client connection over a non-blocking AF_UNIX stream socket, driven by asyncio's
``sock_*`` calls, and a strict parser for HTTP/1.1 response heads.

Raw sockets rather than asyncio streams: a client that stops reading really stops (no transport
keeps draining the socket behind its back), which the slow-reader and stall clients rely on.
"""

import asyncio
import re
import socket
import time
from dataclasses import dataclass, field

#: Largest response head accepted.
MAX_HEAD = 64 * 1024
#: Bytes asked of one receive.
RECEIVE_SIZE = 128 * 1024

_STATUS_LINE = re.compile(rb"HTTP/1\.1 ([1-5][0-9][0-9]) [\x20-\x7e]*")
_FIELD_LINE = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\x21-\x7e](?:[\x20-\x7e\t]*[\x21-\x7e])?)?[ \t]*")


#: Receive buffers of closed connections, reused: allocating 128 KiB per receive would cost
#: an mmap, page faults and an munmap each time.
_BUFFERS = []


class Violation(Exception):
    """A response that breaks the contract: ``kind`` names the rule, the message the case."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class PeerClosed(Exception):
    """The server closed the connection (EOF or reset) while a read expected more bytes."""


@dataclass
class Head:
    """A parsed response head: status and field values by lower-case name."""

    status: int
    fields: dict = field(default_factory=dict)

    def get(self, name: str):
        """The value of a field that must occur at most once, or None."""
        values = self.fields.get(name)
        if values is None:
            return None
        if len(values) != 1:
            raise Violation("framing.duplicate_field", f"{name} appears {len(values)} times")
        return values[0]

    @property
    def closes(self) -> bool:
        """Whether the response announces ``Connection: close``."""
        return any(
            token.strip().lower() == "close"
            for value in self.fields.get("connection", ())
            for token in value.split(","))

    def content_length(self):
        """The Content-Length as an int; a malformed one is a violation."""
        value = self.get("content-length")
        if value is None:
            return None
        if not value.isdigit() or len(value) > 18:
            raise Violation("framing.bad_content_length", repr(value))
        return int(value)


def parse_head(raw: bytes) -> Head:
    """Parses a response head (without its final CRLF CRLF) strictly: status line, then field
    lines of token, colon, visible value; no obs-fold, no bare CR or LF."""
    lines = raw.split(b"\r\n")
    if any(b"\r" in line or b"\n" in line for line in lines):
        raise Violation("framing.malformed_head", "bare CR or LF")
    status = _STATUS_LINE.fullmatch(lines[0])
    if not status:
        raise Violation("framing.malformed_head", f"status line {lines[0][:80]!r}")
    head = Head(int(status.group(1)))
    for line in lines[1:]:
        match = _FIELD_LINE.fullmatch(line)
        if not match:
            raise Violation("framing.malformed_head", f"field line {line[:80]!r}")
        name = match.group(1).decode().lower()
        head.fields.setdefault(name, []).append((match.group(2) or b"").decode("latin-1"))
    return head


class Wire:
    """A connected client socket with a buffer of received, not yet consumed bytes."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.loop = asyncio.get_running_loop()
        self.view = _BUFFERS.pop() if _BUFFERS else memoryview(bytearray(RECEIVE_SIZE))
        self.pending = bytearray()
        self.eof = False
        #: When the last bytes arrived, and how long after them the close came.
        self.last_data = time.monotonic()
        self.close_gap = 0.0
        #: (bytes per receive, pause before each) for a slow reader; None reads at once.
        self.pace = None

    @classmethod
    async def connect(cls, path: str, patience: float):
        """Connects to ``path``. A Unix socket whose backlog is full answers a non-blocking
        connect with EAGAIN (not "in progress"), so that is retried for ``patience`` seconds."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.setblocking(False)
        give_up = time.monotonic() + patience
        while True:
            try:
                sock.connect(path)
                return cls(sock)
            except BlockingIOError:
                if time.monotonic() > give_up:
                    sock.close()
                    raise
                await asyncio.sleep(0.01)
            except OSError:
                sock.close()
                raise

    def close(self) -> None:
        """Closes the socket and gives the receive buffer back (once)."""
        self.sock.close()
        if self.view is not None:
            _BUFFERS.append(self.view)
            self.view = None

    async def send(self, data: bytes) -> bool:
        """Sends all of ``data``; False if the server had already closed (EPIPE, reset)."""
        try:
            await self.loop.sock_sendall(self.sock, data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            return False

    async def receive(self, timeout: float, size: int = RECEIVE_SIZE) -> memoryview:
        """One receive of up to ``size`` bytes into the connection's buffer; the view is
        valid until the next receive. Empty once the server closed (a reset, which a Unix
        socket reports when the server closed with our bytes unread, counts as a close).
        Raises TimeoutError after ``timeout`` seconds."""
        if self.eof:
            return self.view[:0]
        try:
            async with asyncio.timeout(timeout):
                count = await self.loop.sock_recv_into(self.sock, self.view[:size])
        except ConnectionResetError:
            count = 0
        now = time.monotonic()
        if count:
            self.last_data = now
        else:
            self.eof = True
            self.close_gap = now - self.last_data
        return self.view[:count]

    async def read_head(self, timeout: float) -> Head:
        """Reads and parses the next response head. PeerClosed if the connection ends first
        (with the count of stray bytes in its argument); TimeoutError if nothing completes it
        within ``timeout`` seconds."""
        give_up = time.monotonic() + timeout
        searched = 0
        while True:
            end = self.pending.find(b"\r\n\r\n", max(0, searched - 3))
            if end >= 0:
                raw = bytes(self.pending[:end])
                del self.pending[:end + 4]
                return parse_head(raw)
            searched = len(self.pending)
            if searched > MAX_HEAD:
                raise Violation("framing.malformed_head", f"no end of head in {searched} bytes")
            data = await self.receive(max(0.0, give_up - time.monotonic()))
            if not data:
                raise PeerClosed(len(self.pending))
            self.pending += data

    async def read_body(self, length: int, sink, timeout: float) -> int:
        """Passes up to ``length`` body bytes to ``sink`` as they arrive (a bytes-like object
        that is only valid during the call; the receive never reads past the body); stops early
        only when the server closes. Returns the count received. ``timeout`` bounds each
        wait for more bytes (a stall), not the whole body. With ``pace`` set, reads that
        many bytes at a time, pausing before each receive."""
        size, pause = self.pace or (RECEIVE_SIZE, 0.0)
        received = 0
        if self.pending:
            take = min(length, len(self.pending))
            sink(bytes(self.pending[:take]))
            del self.pending[:take]
            received = take
        while received < length:
            if pause:
                await asyncio.sleep(pause)
            data = await self.receive(timeout, min(size, length - received))
            if not data:
                break
            sink(data)
            received += len(data)
        return received

    async def read_to_close(self, timeout: float, limit: int = 1 << 20) -> int:
        """Waits up to ``timeout`` seconds for the server to close; returns the number of
        stray bytes that came before the close. TimeoutError if it stays open."""
        stray = len(self.pending)
        self.pending.clear()
        give_up = time.monotonic() + timeout
        while stray <= limit:
            data = await self.receive(max(0.0, give_up - time.monotonic()))
            if not data:
                return stray
            stray += len(data)
        return stray
