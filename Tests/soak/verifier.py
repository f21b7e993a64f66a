"""Checks served representations against the pattern: which version a body is, that every
byte matches it, and that an ETag always names the same content and length."""

import re

from content import BY_NAME, MAX_SPAN, Manifest, expected, matches
from tally import Tally
from wire import Head, Violation

#: Bytes used to tell the versions of a file apart before the rest is compared.
IDENTIFY_BYTES = 64
#: Fewer bytes than this identify a version too weakly to pin an ETag to it.
PIN_BYTES = 16

_ETAG = re.compile(r'(W/)?"[\x21\x23-\x7e]*"')
_IMF_FIXDATE = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT")


class Verifier:
    """What one worker has learned about the files: ETag → version and ETag → length."""

    def __init__(self, manifest: Manifest, tally: Tally):
        self.manifest = manifest
        self.tally = tally
        self.etag_versions = {}
        self.etag_lengths = {}

    def representation(self, head: Head, name: str, complete_length: int) -> str:
        """Checks the fields a 200 or 206 for ``name`` must carry and returns its ETag. The
        complete length must be one the file can have, and the same for every response that
        carries the same ETag."""
        etag = head.get("etag")
        if etag is None or not _ETAG.fullmatch(etag):
            raise Violation("framing.bad_etag", f"{name}: ETag {etag!r}")
        modified = head.get("last-modified")
        if modified is None or not _IMF_FIXDATE.fullmatch(modified):
            raise Violation("framing.bad_last_modified", f"{name}: {modified!r}")
        if head.get("accept-ranges") != "bytes":
            raise Violation("framing.missing_accept_ranges", name)
        if head.get("content-type") is None:
            raise Violation("framing.missing_content_type", name)
        if complete_length not in BY_NAME[name].lengths:
            raise Violation(
                "framing.wrong_length", f"{name}: length {complete_length}, "
                f"the file only ever has {sorted(BY_NAME[name].lengths)}")
        known = self.etag_lengths.setdefault(etag, complete_length)
        if known != complete_length:
            raise Violation(
                "framing.etag_conflict", f"{name}: {etag} with lengths {known} and "
                f"{complete_length}")
        return etag

    def body(self, name: str, etag: str, offset: int) -> "BodyCheck":
        """A checker for body bytes of ``name`` starting at file offset ``offset``."""
        return BodyCheck(self, name, etag, offset)

    def identify(self, name: str, offset: int, data: bytes):
        """The newest version of ``name`` whose bytes at ``offset`` start with ``data``'s
        first IDENTIFY_BYTES (re-reading the manifest first: a new ETag is usually a version
        just published), or None."""
        probe = data[:IDENTIFY_BYTES]
        self.manifest.refresh()
        for version in self.manifest.versions(name):
            if matches(name, version, offset, probe):
                return version
        return None


class BodyCheck:
    """Compares body bytes as they stream in. Until the version is known (from the ETag, or
    from the first IDENTIFY_BYTES), bytes are held back; afterwards each piece is compared
    as it arrives. A mismatch is kept and raised by ``finish``."""

    def __init__(self, verifier: Verifier, name: str, etag: str, offset: int):
        self.verifier = verifier
        self.name = name
        self.etag = etag
        self.start = offset
        self.offset = offset
        self.version = verifier.etag_versions.get(etag)
        self.held = bytearray()
        self.failure = None

    def __call__(self, data: bytes) -> None:
        if self.failure:
            return
        if self.version is None:
            self.held += data
            if len(self.held) >= IDENTIFY_BYTES:
                self._settle()
            return
        self._compare(data)

    def finish(self) -> int:
        """Checks what is still held back; raises the first mismatch. Returns the file offset
        just past the last byte received."""
        if self.version is None and self.held and not self.failure:
            self._settle()
        if self.failure:
            raise Violation("framing.body_mismatch", self.failure)
        return self.offset

    def _settle(self) -> None:
        held = bytes(self.held)
        self.held = bytearray()
        self.version = self.verifier.identify(self.name, self.offset, held)
        if self.version is None:
            self.failure = (
                f"{self.name} at {self.offset}: {len(held)} bytes match no published version "
                f"(ETag {self.etag})")
            return
        if len(held) >= PIN_BYTES:
            self.verifier.etag_versions[self.etag] = self.version
        self._compare(held)

    def _compare(self, data: bytes) -> None:
        if not matches(self.name, self.version, self.offset, data):
            wanted = expected(self.name, self.version, self.offset, min(len(data), MAX_SPAN))
            first = next((index for index, byte in enumerate(wanted) if data[index] != byte),
                         len(wanted))
            other = self.verifier.identify(self.name, self.offset + first, data[first:])
            self.failure = (
                f"{self.name}: byte {self.offset + first} differs from version {self.version} "
                f"of ETag {self.etag} (from there on it looks like version {other})")
            return
        self.offset += len(data)
        self.verifier.tally.bytes_verified += len(data)
