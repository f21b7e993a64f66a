"""Constant load through the nginx front, for the lifecycle part of the real-systemd e2e test
(Tests/e2e/lifecycle.sh runs it inside the container; Tests/e2e/report.py reads what it writes).

CONNECTIONS keep-alive connections to nginx on 127.0.0.1 share RATE requests per second: small
files (compared byte for byte), single ranges of the large files (compared with the file's
bytes) and whole 3-7 MiB files (checked by SHA-256). One more connection is a slow reader that
takes the ~24 MiB file again and again at SLOW MiB/s, also checked by SHA-256. Every request is
one record: when it started, when its head and its last byte came, and its outcome -- ok, or a
failure of one kind:
  status  the response's status is not the expected one (or its head is malformed);
  short   the connection ended, or stalled past the timeout, before the whole body came;
  bytes   the body (or its Content-Range) is not the file's;
  conn    no response: connecting failed, or the connection ended or stalled before the head.

    python3 load.py --root /srv/assets --records out.tsv --ready-file ready --stop-file stop \
        --slow-flag slow [--rate 300] [--connections 8] [--slow 8] [--max-seconds 240] [--port 80]

Creates READY_FILE once the load runs; runs until STOP_FILE exists or MAX_SECONDS have passed, then writes the records (tab-separated,
one request a line, times in microseconds since the epoch) and exits 0. Network: 127.0.0.1 only.
Python 3 standard library, and scripts/soak/wire.py (run.sh copies it next to this file).
"""

import argparse
import asyncio
import gc
import hashlib
import os
import random
import socket
import time
from dataclasses import dataclass

from wire import PeerClosed, Violation, Wire

#: Seconds a connect, a head or one wait for body bytes may take before it counts as failed.
PATIENCE = 10.0
#: Bytes the slow reader asks of each receive.
SLOW_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Asset:
    """A file under the document root: its URL path, its bytes (kept for comparisons) and
    their SHA-256."""

    path: str
    data: bytes
    digest: str


@dataclass(frozen=True)
class Probe:
    """One request to make: what it asks for and what must come back."""

    kind: str  # small, range, large or slow
    asset: Asset
    first: int = 0  # the range asked for, inclusive; whole file when last < 0
    last: int = -1

    @property
    def expected(self) -> bytes:
        return self.asset.data if self.last < 0 else self.asset.data[self.first:self.last + 1]

    def request(self) -> bytes:
        lines = [f"GET {self.asset.path} HTTP/1.1", "Host: assets.example.com"]
        if self.last >= 0:
            lines.append(f"Range: bytes={self.first}-{self.last}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Failure(Exception):
    """A request that failed, with its kind (see the module doc) and what was seen."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind


def now_us() -> int:
    return time.time_ns() // 1000


def load_assets(root: str, folder: str) -> list:
    """Every regular file in ROOT/FOLDER, sorted by name."""
    names = sorted(os.listdir(os.path.join(root, folder)))
    assets = []
    for name in names:
        with open(os.path.join(root, folder, name), "rb") as handle:
            data = handle.read()
        assets.append(Asset(f"/{folder}/{name}", data, hashlib.sha256(data).hexdigest()))
    return assets


def choose(rng: random.Random, small: list, large: list) -> Probe:
    """The mix: 75 % small files, 22 % single ranges of 1 B-64 KiB, 3 % whole large files."""
    draw = rng.random()
    if draw < 0.75:
        return Probe("small", rng.choice(small))
    if draw < 0.97:
        asset = rng.choice(large)
        length = rng.randint(1, 64 * 1024)
        first = rng.randrange(0, len(asset.data) - length)
        return Probe("range", asset, first, first + length - 1)
    return Probe("large", rng.choice(large))


async def connect(port: int, receive_buffer: int = 0) -> Wire:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    try:
        async with asyncio.timeout(PATIENCE):
            await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    except BaseException:
        sock.close()
        raise
    return Wire(sock)


async def exchange(wire: Wire, probe: Probe, marks: dict) -> bool:
    """Sends the probe's request and checks the whole response; returns whether the connection
    may be reused. Raises Failure. Stores the time the head came in ``marks["head"]``."""
    if not await wire.send(probe.request()):
        raise Failure("conn", "send failed: the connection was closed")
    try:
        head = await wire.read_head(PATIENCE)
    except PeerClosed as closed:
        raise Failure("conn", f"closed before the head ({closed.args[0]} stray bytes)")
    except TimeoutError:
        raise Failure("conn", f"no head within {PATIENCE:.0f} s")
    except Violation as violation:
        raise Failure("status", f"malformed head: {violation}")
    marks["head"] = now_us()
    want_status = 200 if probe.last < 0 else 206
    if head.status != want_status:
        raise Failure("status", f"status {head.status}, want {want_status}")
    expected = probe.expected
    try:
        length = head.content_length()
    except Violation as violation:
        raise Failure("bytes", str(violation))
    if length != len(expected):
        raise Failure("bytes", f"Content-Length {length}, want {len(expected)}")
    if probe.last >= 0:
        want_range = f"bytes {probe.first}-{probe.last}/{len(probe.asset.data)}"
        if head.get("content-range") != want_range:
            raise Failure("bytes", f"Content-Range {head.get('content-range')!r}, want {want_range!r}")
    if probe.kind in ("large", "slow"):
        hasher = hashlib.sha256()
        sink = hasher.update
    else:
        body = bytearray()
        sink = body.extend
    try:
        received = await wire.read_body(length, sink, PATIENCE)
    except TimeoutError:
        raise Failure("short", f"body stalled for {PATIENCE:.0f} s")
    if received < length:
        raise Failure("short", f"{received} of {length} body bytes, then the connection ended")
    if probe.kind in ("large", "slow"):
        if hasher.hexdigest() != probe.asset.digest:
            raise Failure("bytes", "SHA-256 differs")
    elif bytes(body) != expected:
        raise Failure("bytes", "body differs")
    return not head.closes


class Client:
    """One keep-alive connection that makes requests in turn, reconnecting after a close or a
    failure, and appends one record per request to ``records``."""

    def __init__(self, port: int, records: list, receive_buffer: int = 0):
        self.port = port
        self.records = records
        self.receive_buffer = receive_buffer
        self.wire = None

    async def run(self, probe: Probe, pace=None) -> None:
        start = now_us()
        marks = {"head": 0}
        outcome, detail = "ok", ""
        try:
            if self.wire is None:
                try:
                    self.wire = await connect(self.port, self.receive_buffer)
                except (OSError, TimeoutError) as error:
                    raise Failure("conn", f"connect: {error!r}")
            self.wire.pace = pace
            if not await exchange(self.wire, probe, marks):
                self.drop()
        except Failure as failure:
            outcome, detail = failure.kind, str(failure)
            self.drop()
        self.records.append((start, marks["head"], now_us(), probe.kind, probe.asset.path,
                             f"{probe.first}-{probe.last}", outcome, detail))

    def drop(self) -> None:
        if self.wire is not None:
            self.wire.close()
            self.wire = None


async def steady(client: Client, interval: float, rng: random.Random, small: list, large: list,
                 stop: asyncio.Event) -> None:
    """Requests on a fixed schedule, one every ``interval`` seconds; a late one is sent at once,
    and a backlog of more than one interval is not made up."""
    next_at = time.monotonic() + rng.random() * interval
    while not stop.is_set():
        delay = next_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        next_at = max(next_at + interval, time.monotonic() - interval)
        await client.run(choose(rng, small, large))
    client.drop()


async def slow_reader(client: Client, asset: Asset, mib_per_second: float, flag: str,
                      stop: asyncio.Event) -> None:
    """The slow download, again and again: SLOW_CHUNK bytes per receive, paced. The file
    ``flag`` exists while a download is under way and holds its start (microseconds since the
    epoch): the scenario waits for one."""
    pace = (SLOW_CHUNK, SLOW_CHUNK / (mib_per_second * 1024 * 1024))
    while not stop.is_set():
        with open(flag + ".tmp", "w") as out:
            out.write(str(now_us()))
        os.rename(flag + ".tmp", flag)
        await client.run(Probe("slow", asset), pace)
        os.unlink(flag)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True, help="the document root nginx's front serves")
    parser.add_argument("--records", required=True, help="where the records go (TSV)")
    parser.add_argument("--stop-file", required=True, help="stop once this file exists")
    parser.add_argument("--ready-file", required=True, help="created once the load runs")
    parser.add_argument("--slow-flag", required=True,
                        help="a file that exists while the slow download is under way")
    parser.add_argument("--port", type=int, default=80)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rate", type=float, default=300.0, help="requests per second in all")
    parser.add_argument("--slow", type=float, default=8.0, help="the slow reader's MiB/s")
    parser.add_argument("--max-seconds", type=float, default=240.0)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    # No cyclic garbage collection: a full pass over the growing record list would pause every
    # connection at once and show up as a slow request of the server's.
    gc.disable()
    small = load_assets(args.root, "load/small")
    large = load_assets(args.root, "load/large")
    [slow] = load_assets(args.root, "load/slow")
    records = []
    stop = asyncio.Event()
    interval = args.connections / args.rate
    tasks = [asyncio.create_task(steady(Client(args.port, records), interval,
                                        random.Random(args.seed * 1000 + index), small, large,
                                        stop))
             for index in range(args.connections)]
    # A small receive buffer, so that the slow pace reaches nginx and, through it, the sidecar.
    slow_client = Client(args.port, records, receive_buffer=64 * 1024)
    slow_task = asyncio.create_task(
        slow_reader(slow_client, slow, args.slow, args.slow_flag, stop))
    open(args.ready_file, "w").close()
    give_up = time.monotonic() + args.max_seconds
    while not os.path.exists(args.stop_file) and time.monotonic() < give_up:
        await asyncio.sleep(0.05)
    stop.set()
    # The download in progress is abandoned unrecorded; the others finish their request.
    slow_task.cancel()
    done, pending = await asyncio.wait(tasks, timeout=3 * PATIENCE)
    for task in pending:
        task.cancel()
    slow_client.drop()
    with open(args.records + ".tmp", "w") as out:
        for record in records:
            out.write("\t".join(str(field).replace("\t", " ") for field in record) + "\n")
    os.rename(args.records + ".tmp", args.records)
    failed = sum(1 for record in records if record[6] != "ok")
    print(f"load.py: {len(records)} requests, {failed} failed, "
          f"{len(pending)} connections cut at the end")


if __name__ == "__main__":
    asyncio.run(main())
