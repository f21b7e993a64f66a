"""The soak test's document root: which files exist, what bytes they hold, and the manifest of
the versions the mutator has published.

Byte ``i`` of version ``v`` of the file named ``n`` is ``block(n, v)[i % PERIOD]``, where the
block is SHAKE-256 of ``"n/v"`` stretched to ``PERIOD`` bytes. A client can therefore check any
span it receives knowing only the name, the version and the offset, without reading the file.
``PERIOD`` is prime, so no offset error by a power of two (a page, a 2 MiB folio, a send chunk)
lands on identical bytes. A file truncated in place keeps the pattern of its version up to its
new length, so truncated responses are checkable too.
"""

import functools
import hashlib
import os
from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB

#: The pattern's period in bytes (a prime near 256 KiB).
PERIOD = 262139
#: The longest span compared in one piece; receives are never larger.
MAX_SPAN = 128 * KIB


@dataclass(frozen=True)
class FileSpec:
    """One served file.

    ``role`` says what the mutator does to it: ``stable`` files never change, ``swap`` files
    are replaced by rename with a new version, ``trunc`` files are truncated in place to
    ``truncated_size`` and later restored (by rename, same version). ``truncated_size`` is a
    multiple of 2 MiB: the kernel zeroes the tail of a page-cache folio that straddles the new
    end of file, and a folio whose pages are still queued on a socket (sendfile passes page
    references) would then show zeros to the reader; at a 2 MiB boundary no folio straddles.
    """

    name: str
    size: int
    role: str
    truncated_size: int = 0

    @property
    def lengths(self) -> frozenset:
        """Every length the file can have while the soak runs."""
        if self.role == "trunc":
            return frozenset((self.size, self.truncated_size))
        return frozenset((self.size,))


FILES = (
    FileSpec("stable/empty.bin", 0, "stable"),
    FileSpec("stable/one.txt", 1, "stable"),
    FileSpec("stable/small.js", 100, "stable"),
    FileSpec("stable/page.html", 4 * KIB, "stable"),
    FileSpec("stable/inline.css", 16 * KIB, "stable"),
    FileSpec("stable/over.css", 16 * KIB + 1, "stable"),
    FileSpec("stable/medium.png", 100 * KIB + 7, "stable"),
    FileSpec("stable/large.bin", 1 * MIB, "stable"),
    FileSpec("stable/big.bin", 8 * MIB + 3, "stable"),
    FileSpec("stable/huge.bin", 64 * MIB, "stable"),
    FileSpec("swap/small.json", 10 * KIB, "swap"),
    FileSpec("swap/medium.woff2", 300 * KIB + 11, "swap"),
    FileSpec("swap/large.bin", 4 * MIB + 5, "swap"),
    FileSpec("trunc/big.bin", 16 * MIB + 9, "trunc", truncated_size=6 * MIB),
    FileSpec("trunc/huge.bin", 64 * MIB, "trunc", truncated_size=24 * MIB),
)
BY_NAME = {spec.name: spec for spec in FILES}
#: A hidden file (404 unless dotfiles are allowed).
HIDDEN_NAME = "stable/.hidden"


@functools.lru_cache(maxsize=96)
def _extended_block(name: str, version: int) -> bytes:
    """The pattern block of (name, version), followed by its first MAX_SPAN bytes again so
    that any span of up to MAX_SPAN bytes is one slice."""
    block = hashlib.shake_256(f"{name}/{version}".encode()).digest(PERIOD)
    return block + block[:MAX_SPAN]


def expected(name: str, version: int, offset: int, length: int) -> bytes:
    """The bytes at ``offset`` of version ``version`` of ``name`` (``length`` <= MAX_SPAN)."""
    start = offset % PERIOD
    return _extended_block(name, version)[start:start + length]


def matches(name: str, version: int, offset: int, data) -> bool:
    """Whether the bytes-like ``data`` is exactly what the file holds at ``offset`` in that
    version (compared in place, without copying)."""
    block = _extended_block(name, version)
    view = memoryview(data)
    for index in range(0, len(view), MAX_SPAN):
        if not block.startswith(view[index:index + MAX_SPAN], (offset + index) % PERIOD):
            return False
    return True


def write_version(path: str, name: str, version: int, size: int) -> None:
    """Writes ``size`` bytes of the pattern of (name, version) to a new file at ``path``."""
    block = _extended_block(name, version)
    with open(path, "wb") as out:
        written = 0
        while written < size:
            start = written % PERIOD
            count = min(PERIOD - start, size - written)
            out.write(block[start:start + count])
            written += count


def create_root(root: str) -> None:
    """Creates the document root with version 0 of every file, a dotfile and a directory."""
    for spec in FILES:
        os.makedirs(os.path.join(root, os.path.dirname(spec.name)), exist_ok=True)
        write_version(os.path.join(root, spec.name), spec.name, 0, spec.size)
    with open(os.path.join(root, HIDDEN_NAME), "w", encoding="ascii") as out:
        out.write("hidden\n")


class Manifest:
    """The versions published for each file: one ``name version`` line each, appended by the
    mutator before it renames the version into place, so a client that meets content it does
    not know can re-read the file and find the version."""

    def __init__(self, path: str):
        self.path = path
        self._position = 0
        self._versions = {spec.name: [0] for spec in FILES}

    @staticmethod
    def publish(path: str, name: str, version: int) -> None:
        """Appends one version line (before the version becomes visible in the root)."""
        with open(path, "a", encoding="ascii") as out:
            out.write(f"{name} {version}\n")

    def versions(self, name: str) -> list:
        """The versions of ``name`` known so far, newest first."""
        return self._versions[name][::-1]

    def refresh(self) -> None:
        """Reads the lines appended since the last call."""
        with open(self.path, "rb") as source:
            source.seek(self._position)
            data = source.read()
        complete = data[:data.rfind(b"\n") + 1]
        self._position += len(complete)
        for line in complete.decode("ascii").splitlines():
            name, version = line.split()
            if int(version) > self._versions[name][-1]:
                self._versions[name].append(int(version))
