"""Hostile sessions: clients that go away, stop reading, trickle their heads, idle, or send
invalid requests. Their early closes are expected; a violation is a server that does not close
them, closes them at the wrong time, or answers them wrongly."""

import asyncio
import random
import time

import choices
from invalid import CASES, FOLLOW_UP, FOLLOW_UP_LENGTH, SMUGGLED, SMUGGLED_LENGTH
from probes import Single, Whole, read_checked_body, served_span
from session import Context, check_head, expect_close, run_open
from wire import PeerClosed, Violation, Wire

#: Most pieces a slowloris client sends (it is cancelled long before).
MAX_TRICKLE = 1000
#: How long past a timeout the server enforces a client waits for the close.
TIMEOUT_SLACK = 5.0


async def abort_session(wire: Wire, ctx: Context) -> None:
    """Asks for a large file and goes away: right after the request, halfway through the
    request, or after a random part of the body."""
    rng = ctx.rng
    name = rng.choice(choices.BIG + choices.HUGE)
    probe = Whole(name) if rng.random() < 0.7 else Single(name, rng.randrange(4 << 20))
    data = probe.request()
    ctx.tally.request("abort")
    ctx.tally.expect("aborted")
    mode = rng.random()
    if mode < 0.1:
        await wire.send(data[:len(data) // 2])
        ctx.tally.expect("aborted_in_head")
        return
    await wire.send(data)
    if mode < 0.25:
        return
    head = await wire.read_head(ctx.progress_timeout)
    check_head(head, probe, ctx)
    if head.status == 416:
        return
    length = head.content_length()
    offset, complete = served_span(head, name)
    etag = ctx.verifier.representation(head, name, complete)
    wanted = rng.randrange(min(length, 4 << 20) + 1)
    await read_checked_body(wire, ctx, name, etag, offset, wanted)


async def stall_session(wire: Wire, ctx: Context) -> None:
    """Reads the start of a large file, then stops reading for longer than the send timeout:
    the server must close the connection, so what arrives afterwards is only what was
    already queued, never the rest of the file."""
    name = ctx.rng.choice(("stable/big.bin", "stable/huge.bin"))
    probe = Whole(name, close=True)
    await wire.send(probe.request())
    ctx.tally.request("stall")
    head = await wire.read_head(ctx.progress_timeout)
    check_head(head, probe, ctx)
    length = head.content_length()
    etag = ctx.verifier.representation(head, name, length)
    check = ctx.verifier.body(name, etag, 0)
    before = await wire.read_body(512 << 10, check, ctx.progress_timeout)
    await asyncio.sleep(ctx.settings.send_timeout + 3)
    after = await wire.read_body(length - before, check, ctx.progress_timeout)
    check.finish()
    if before + after == length:
        raise Violation("timeout.stalled_reader_served", f"{name}: got all {length} bytes "
                        f"after stalling {ctx.settings.send_timeout + 3} s")
    ctx.tally.expect("stalled_closed")
    ctx.tally.timing("stall_bytes_after", after)


async def slowloris_session(wire: Wire, ctx: Context) -> None:
    """Trickles a request head (silence, one byte at a time, or endless field lines, or the
    same after one answered request) and records when the server closes: it must answer 408
    or close, one header timeout after the head began."""
    rng = ctx.rng
    form = rng.choice(("silent", "bytes", "fields", "second-request"))
    ctx.tally.request("slowloris")
    if form == "second-request":
        await run_open(wire, ctx, "slowloris", Whole("stable/small.js"))
    started = time.monotonic()
    give_up = started + ctx.settings.header_timeout + TIMEOUT_SLACK
    trickle = asyncio.create_task(_trickle(wire, form, rng))
    try:
        try:
            head = await wire.read_head(give_up - started)
        except PeerClosed:
            head = None
        if head is not None:
            ctx.tally.status(head.status)
            if head.status != 408:
                raise Violation("protocol.wrong_status", f"slowloris {form}: {head.status}, "
                                "wanted 408 or a close")
            ctx.tally.expect("slowloris_408")
            await wire.read_to_close(max(0.0, give_up - time.monotonic()), limit=4096)
    except TimeoutError:
        raise Violation("timeout.slowloris_not_closed", f"{form}: open after "
                        f"{ctx.settings.header_timeout + TIMEOUT_SLACK} s") from None
    finally:
        trickle.cancel()
    ctx.tally.timing(f"slowloris_close:{form}", time.monotonic() - started)
    ctx.tally.expect("slowloris_closed")


async def _trickle(wire: Wire, form: str, rng: random.Random) -> None:
    """Sends the slow head until the server closes: one byte at a time of a request head
    (then more field bytes), or a request line followed by one whole field line at a time."""
    if form == "silent":
        return
    data = b"GET /stable/page.html HTTP/1.1\r\nHost: soak.test\r\n"
    if form == "fields" and not await wire.send(data):
        return
    for line in range(MAX_TRICKLE):
        if form == "fields":
            piece = b"X-Slow-%d: %d\r\n" % (line, rng.randrange(10**6))
        else:
            piece, data = data[:1], data[1:] or b"X"
        if not await wire.send(piece):
            return
        await asyncio.sleep(rng.uniform(0.3, 0.8))


async def idle_session(wire: Wire, ctx: Context) -> None:
    """Gets one small file and then stays silent: the server must close after the idle
    timeout, counted from the end of the response."""
    await run_open(wire, ctx, "idle", Whole("stable/small.js"))
    started = time.monotonic()
    try:
        stray = await wire.read_to_close(ctx.settings.idle_timeout + TIMEOUT_SLACK)
    except TimeoutError:
        raise Violation("timeout.idle_not_closed", f"open after "
                        f"{ctx.settings.idle_timeout + TIMEOUT_SLACK} s") from None
    if stray:
        raise Violation("framing.extra_bytes", f"idle: {stray} unsolicited bytes")
    ctx.tally.timing("idle_close", time.monotonic() - started)
    ctx.tally.expect("idle_closed")


async def invalid_session(wire: Wire, ctx: Context) -> None:
    """Sends one invalid or refused request followed by a valid one (FOLLOW_UP). The answer
    must have an allowed status; after a framing error the server must close without
    answering the follow-up; otherwise the follow-up is answered and a request hidden in a
    body (SMUGGLED) never is."""
    case = ctx.rng.choice(CASES)
    ctx.tally.request("invalid")
    is_head = case.data.startswith(b"HEAD ")
    await wire.send(case.data + FOLLOW_UP)
    try:
        head = await wire.read_head(ctx.progress_timeout)
    except PeerClosed:
        raise Violation("protocol.no_error_response", f"{case.label}: closed without an "
                        "answer") from None
    ctx.tally.status(head.status)
    if head.status not in case.statuses:
        raise Violation("protocol.wrong_status", f"{case.label}: {head.status}, wanted "
                        f"{sorted(case.statuses)}")
    length = head.content_length()
    if length is None:
        raise Violation("framing.missing_content_length", f"{case.label}: {head.status}")
    if not is_head:
        await wire.read_body(length, lambda data: None, ctx.progress_timeout)
    if case.closes and not head.closes:
        raise Violation("protocol.missing_connection_close", f"{case.label}: {head.status}")
    if head.closes:
        await expect_close(wire, case.label, "protocol.answered_after_close")
        ctx.tally.expect("invalid_closed")
        return
    follow = await wire.read_head(ctx.progress_timeout)
    if follow.content_length() == SMUGGLED_LENGTH and SMUGGLED in case.data:
        raise Violation("protocol.request_smuggling", f"{case.label}: the request inside the "
                        f"body was answered ({follow.status}, {SMUGGLED_LENGTH} bytes)")
    probe = Whole("stable/small.js", close=True)
    check_head(follow, probe, ctx)
    if follow.content_length() != FOLLOW_UP_LENGTH:
        raise Violation("framing.wrong_response", f"{case.label}: follow-up answered with "
                        f"{follow.status}, {follow.content_length()} bytes")
    await probe.verify(wire, follow, ctx)
    await expect_close(wire, case.label)
