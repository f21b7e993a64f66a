"""Well-behaved sessions: every response must be exactly right, every body byte must match,
and the only early close accepted is that of a file the mutator truncated."""

import asyncio
import socket

import choices
from content import BY_NAME
from probes import IfRange, NotModified, Single, Status, Whole
from session import Context, answer, expect_close, run_in_turn, run_open
from wire import Violation, Wire


async def get_session(wire: Wire, ctx: Context) -> None:
    """One to five whole GETs on one connection."""
    count = ctx.rng.randint(1, 5)
    probes = [choices.whole_get(ctx.rng, close=index == count - 1) for index in range(count)]
    await run_in_turn(wire, ctx, "get", probes)


async def range_session(wire: Wire, ctx: Context) -> None:
    """One to six single-range GETs."""
    count = ctx.rng.randint(1, 6)
    probes = [choices.single_range(ctx.rng, choices.any_file(ctx.rng), index == count - 1)
              for index in range(count)]
    await run_in_turn(wire, ctx, "range", probes)


async def multirange_session(wire: Wire, ctx: Context) -> None:
    """One to four multi-range GETs."""
    count = ctx.rng.randint(1, 4)
    probes = [choices.multi_range(ctx.rng, index == count - 1) for index in range(count)]
    await run_in_turn(wire, ctx, "multirange", probes)


async def head_session(wire: Wire, ctx: Context) -> None:
    """One to six HEADs, some with a Range field (which HEAD ignores, behaviour §2.2)."""
    count = ctx.rng.randint(1, 6)
    probes = []
    for index in range(count):
        headers = [("Range", "bytes=0-9")] if ctx.rng.random() < 0.2 else []
        probes.append(Whole(ctx.rng.choice(list(BY_NAME)), method="HEAD", headers=headers,
                            close=index == count - 1))
    await run_in_turn(wire, ctx, "head", probes)


async def conditional_session(wire: Wire, ctx: Context) -> None:
    """Learns a file's validators with HEAD, then revalidates: the current ETag, its
    Last-Modified and ``*`` give 304 (or 200 with a new ETag once the mutator replaced the
    file); stale validators give 200; If-Range gives 206 or 200; a failing If-Match 412."""
    name = ctx.rng.choice(choices.SMALL)
    learn = Whole(name, method="HEAD")
    await run_open(wire, ctx, "conditional", learn)
    etag, modified = learn.validators
    size = BY_NAME[name].size
    steps = [
        NotModified(name, "If-None-Match", etag, etag),
        NotModified(name, "If-Modified-Since", modified),
        NotModified(name, "If-None-Match", "*"),
        Whole(name, headers=[("If-None-Match", '"stale-etag"')]),
        Whole(name, headers=[("If-None-Match", '"stale", W/"other"')]),
        Whole(name, headers=[("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")]),
        Whole(name, headers=[("If-Modified-Since", "not a date")]),
        Whole(name, headers=[("Range", "bytes=0-9"), ("If-Range", '"stale"')]),
        Status("/" + name, {412}, headers=[("If-Match", '"nope"')], name=name),
    ]
    if size > 1:
        first = ctx.rng.randrange(size - 1)
        steps.append(IfRange(name, etag, first, ctx.rng.randrange(first, size)))
    probes = ctx.rng.sample(steps, ctx.rng.randint(2, len(steps)))
    probes[-1].close = True
    await run_in_turn(wire, ctx, "conditional", probes)


async def pipeline_session(wire: Wire, ctx: Context) -> None:
    """Sends a batch of requests at once (or in random fragments) and reads the answers in
    order. Variants: a deep batch that outgrows the server's read buffer, and a half-close
    (shutdown of the sending side) instead of ``Connection: close``."""
    rng = ctx.rng
    probes = choices.pipelined(rng, pad=1000 if rng.random() < 0.15 else 0)
    half_close = rng.random() < 0.2
    probes[-1].close = not half_close
    data = b"".join(probe.request() for probe in probes)
    if rng.random() < 0.3:
        cuts = sorted(rng.sample(range(1, len(data)), min(8, len(data) - 1)))
        for start, end in zip([0] + cuts, cuts + [len(data)]):
            await wire.send(data[start:end])
            await asyncio.sleep(rng.uniform(0, 0.005))
    else:
        await wire.send(data)
    if half_close:
        wire.sock.shutdown(socket.SHUT_WR)
    ctx.tally.request("pipeline", len(probes))
    for probe in probes:
        if await answer(wire, ctx, probe) == "truncated":
            return
    await expect_close(wire, "pipeline")


async def slowread_session(wire: Wire, ctx: Context) -> None:
    """Reads 1 MiB (a whole file, or a range of a 64 MiB one) 64 KiB at a time with a pause:
    far slower than the server sends, so the server keeps finding the socket full and must
    resume on EPOLLOUT; yet fast enough that it never waits the send timeout for room, so
    the reader must get every byte (the files it reads are never truncated).

    The server sees progress only when the reader has drained the socket almost empty
    (a Unix socket wakes its writer once less than a quarter of the send buffer is queued),
    about 256 KiB here: a reader slower than 256 KiB per send timeout (about 51 KiB/s for
    5 s) is closed, like nginx's send_timeout between two writes. This one reads 640 KiB/s,
    so even a loop lag of a second per read keeps it above that."""
    if ctx.rng.random() < 0.5:
        probe = Whole("stable/large.bin", close=True)
    else:
        first = ctx.rng.randrange(63 << 20)
        probe = Single("stable/huge.bin", first, first + (1 << 20) - 1, close=True)
    wire.pace = (64 << 10, 0.1)
    try:
        await run_in_turn(wire, ctx, "slowread", [probe])
    except Violation as violation:
        if violation.kind != "framing.short_body":
            raise
        raise Violation("timeout.slow_reader_closed", violation.detail) from None
