"""What every client session shares: the server's timeouts, a client's context, and the
steps of an exchange (send, read and check the response, expect the close)."""

import asyncio
import random
from dataclasses import dataclass

from tally import Tally
from verifier import Verifier
from wire import Head, PeerClosed, Violation, Wire

#: How long the server may take to close after a response that announced it.
CLOSE_WAIT = 5.0
#: Longest pause after connecting and between two requests on one connection. Without
#: pauses every client is always busy and the workers' loops fall behind (by a second), which
#: blurs every timing; with them the connections stay open between requests, as nginx's
#: upstream keep-alive connections do, and the server still gets as many requests as the
#: workers can make.
THINK_TIME = 0.5


@dataclass
class Settings:
    """The server's timeouts (seconds) and how long a client waits for any progress."""

    header_timeout: float
    idle_timeout: float
    send_timeout: float
    progress_timeout: float = 30.0


@dataclass
class Context:
    """What one client needs: where to connect, until when, its random source, and the
    worker's shared verifier and tally."""

    path: str
    deadline: float
    settings: Settings
    verifier: Verifier
    tally: Tally
    rng: random.Random

    @property
    def progress_timeout(self) -> float:
        """The longest wait for any progress on a well-behaved request."""
        return self.settings.progress_timeout


def check_head(head: Head, probe, ctx: Context) -> None:
    """Rules for every response to a well-behaved request: no 5xx, a Date, a Content-Length
    (except 304), and ``Connection: close`` exactly when the request asked for it."""
    ctx.tally.status(head.status)
    what = f"{probe.name or getattr(probe, 'target', '')}"
    if head.status >= 500:
        raise Violation("framing.status_5xx", f"{what}: {head.status}")
    if head.get("date") is None:
        raise Violation("framing.missing_date", what)
    if head.status != 304 and head.content_length() is None:
        raise Violation("framing.missing_content_length", f"{what}: {head.status}")
    if probe.close and not head.closes:
        raise Violation("protocol.missing_connection_close", what)
    if head.closes and not probe.close:
        raise Violation("protocol.unexpected_close", f"{what}: {head.status}")


async def answer(wire: Wire, ctx: Context, probe) -> str:
    """Reads and verifies the response to ``probe``."""
    try:
        head = await wire.read_head(ctx.progress_timeout)
    except PeerClosed as closed:
        raise Violation("protocol.closed_keepalive" if not closed.args[0] else
                        "framing.partial_head", f"{probe.name}: closed before a response "
                        f"({closed.args[0]} bytes of a head)") from None
    except TimeoutError:
        raise Violation("hang.no_response", f"{probe.name}: no response in "
                        f"{ctx.progress_timeout} s") from None
    check_head(head, probe, ctx)
    return await probe.verify(wire, head, ctx)


async def expect_close(wire: Wire, what: str, violation: str = "framing.extra_bytes") -> None:
    """The server must close now, sending nothing more."""
    try:
        stray = await wire.read_to_close(CLOSE_WAIT)
    except TimeoutError:
        raise Violation("protocol.not_closed", f"{what}: still open {CLOSE_WAIT} s after "
                        "a response that closes") from None
    if stray:
        raise Violation(violation, f"{what}: {stray} bytes after the last response")


async def run_open(wire: Wire, ctx: Context, kind: str, probe) -> None:
    """Sends one request that leaves the connection open and verifies its response."""
    await wire.send(probe.request())
    ctx.tally.request(kind)
    await answer(wire, ctx, probe)


async def run_in_turn(wire: Wire, ctx: Context, kind: str, probes: list) -> None:
    """Sends the probes one at a time, each a pause after the previous response; the last one
    asks for the close, which must follow."""
    for index, probe in enumerate(probes):
        if index:
            await asyncio.sleep(ctx.rng.uniform(0, THINK_TIME))
        if wire.pending:
            raise Violation("framing.extra_bytes", f"{len(wire.pending)} bytes before a request")
        if not await wire.send(probe.request()):
            raise Violation("protocol.closed_keepalive", f"{probe.name}: send failed")
        ctx.tally.request(kind)
        if await answer(wire, ctx, probe) == "truncated":
            return
    await expect_close(wire, probes[-1].name)
