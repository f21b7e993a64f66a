"""Random requests for the well-behaved clients: which file, which ranges, which probe."""

import random

from content import BY_NAME, FILES, MIB
from probes import Multi, NotModified, Single, Status, Whole

TINY = [spec.name for spec in FILES if spec.size <= 16 * 1024 + 1] + ["swap/small.json"]
MEDIUM = ["stable/medium.png", "swap/medium.woff2", "stable/large.bin"]
BIG = ["stable/big.bin", "swap/large.bin", "trunc/big.bin"]
HUGE = ["stable/huge.bin", "trunc/huge.bin"]
#: Files that are never truncated, large enough for several ranges.
MULTI = [spec.name for spec in FILES if spec.role != "trunc" and spec.size >= 4096]
#: Files small enough to fetch whole in conditional and pipelined sessions.
SMALL = [name for name in TINY + MEDIUM if BY_NAME[name].size <= 1 * MIB]
#: Longest single range asked for, so ranges of the 64 MiB files stay cheap.
MAX_RANGE = 2 * MIB
#: Range values that are invalid or of another unit: the field is ignored (200).
IGNORED_RANGES = ("bytes=5-2", "items=0-1", "bytes=abc", "bytes=-", "bytes 0-1")


def any_file(rng: random.Random) -> str:
    """A file for a whole GET: mostly small ones, a few of the 64 MiB ones."""
    pool = rng.choices((TINY, MEDIUM, BIG, HUGE), weights=(60, 25, 12, 3))[0]
    return rng.choice(pool)


def whole_get(rng: random.Random, close: bool) -> Whole:
    """A GET of a whole file, sometimes in another valid form of the same request: a query
    (ignored), an absolute-form target, a percent-encoded letter, or HTTP/1.0 (which the
    server closes after, so only as the last request)."""
    name = any_file(rng)
    form = rng.random()
    if form < 0.05:
        return Whole(name, target=f"/{name}?v={rng.randrange(10**6)}", close=close)
    if form < 0.08:
        return Whole(name, target=f"http://soak.test/{name}", close=close)
    if form < 0.10 and "/s" in name:
        return Whole(name, target="/" + name.replace("/s", "/%73", 1), close=close)
    if form < 0.13 and close:
        return Whole(name, version="HTTP/1.0")
    return Whole(name, close=close)


def single_range(rng: random.Random, name: str, close: bool):
    """A probe with one range of ``name``: first-last, first-, a suffix, an upper-case unit,
    one past the end (416), or an invalid value that must be ignored (only on small files)."""
    size = BY_NAME[name].size
    form = rng.random()
    if size == 0:
        return Single(name, first=0, last=rng.choice((None, 9)), close=close) if form < 0.5 \
            else Single(name, suffix=rng.choice((0, 1, 5)), close=close)
    if form < 0.45:
        first = rng.randrange(size)
        return Single(name, first, first + rng.randrange(MAX_RANGE), close=close)
    if form < 0.6:
        return Single(name, max(0, size - 1 - rng.randrange(MAX_RANGE)), close=close)
    if form < 0.8:
        return Single(name, suffix=rng.randint(1, MAX_RANGE), close=close)
    if form < 0.88:
        first = rng.randrange(size)
        return Single(name, first, first + rng.randrange(MAX_RANGE), unit="BYTES", close=close)
    if form < 0.94:
        return Single(name, size + rng.randrange(1000), close=close)
    if size > 1 * MIB:
        return Single(name, 0, 0, close=close)
    return Whole(name, headers=[("Range", rng.choice(IGNORED_RANGES))], close=close)


def several_ranges(rng: random.Random, name: str):
    """Two to five ranges, at least 1000 bytes apart, each at most 20000 bytes and together
    at most half the file; sometimes one is split into two that touch, or repeated inside
    another (both must merge). Shuffled: the server sorts them."""
    size = BY_NAME[name].size
    count = rng.randint(2, 5)
    longest = max(1, min(20000, size // (2 * count)))
    ranges = []
    position = rng.randrange(min(size, 4096) // 2)
    while len(ranges) < count:
        length = rng.randint(1, longest)
        if position + length > size:
            break
        ranges.append((position, position + length - 1))
        position += length + rng.randint(1000, max(1000, size // (2 * count)))
    if len(ranges) < 2:
        ranges = [(0, 0), (size - 1, size - 1)]
    chosen = rng.randrange(len(ranges))
    first, last = ranges[chosen]
    if last > first and rng.random() < 0.3:
        middle = rng.randrange(first, last)
        ranges[chosen:chosen + 1] = [(first, middle), (middle + 1, last)]
    elif last > first and rng.random() < 0.3:
        ranges.append((rng.randint(first, last), last))
    rng.shuffle(ranges)
    return ranges


def multi_range(rng: random.Random, close: bool):
    """A multi-range probe; now and then one that must be answered whole (200): more than
    16 ranges, or ranges adding up to more than the file."""
    name = rng.choice(MULTI)
    form = rng.random()
    if form < 0.05:
        spec = ",".join(f"{n * 2000}-{n * 2000}" for n in range(17))
        return Whole("stable/medium.png", headers=[("Range", "bytes=" + spec)], close=close)
    if form < 0.1:
        return Whole("stable/page.html", headers=[("Range", "bytes=0-,0-")], close=close)
    return Multi(name, several_ranges(rng, name), close=close)


def pipelined(rng: random.Random, pad: int) -> list:
    """A pipelined mix of small requests (the caller decides on the close); ``pad`` adds an
    X-Pad field of that many bytes to each, so a batch outgrows the server's read buffer."""
    headers = [("X-Pad", "p" * pad)] if pad else []
    probes = []
    for _ in range(rng.randint(2, 8) if not pad else rng.randint(20, 40)):
        form = rng.random()
        name = rng.choice(SMALL)
        if form < 0.4:
            probes.append(Whole(name, headers=headers))
        elif form < 0.55:
            probes.append(Whole(name, method="HEAD", headers=headers))
        elif form < 0.75:
            probes.append(Single(name, first=0, last=rng.randrange(1000)) if BY_NAME[name].size
                          else Single(name, suffix=1))
        elif form < 0.9:
            probes.append(NotModified(rng.choice(SMALL), "If-None-Match", "*"))
        else:
            probes.append(Status("/nope/none.bin", {404}, headers=headers))
    return probes
