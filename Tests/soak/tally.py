"""Counters one worker process keeps and hands back to the orchestrator as JSON."""

from collections import Counter

#: Examples kept per violation kind, for the report.
EXAMPLES_PER_KIND = 3


class Tally:
    """Requests by kind, responses by status, violations by kind (with a few examples),
    expected early closes by kind, and timings by kind."""

    def __init__(self):
        self.requests = Counter()
        self.statuses = Counter()
        self.violations = Counter()
        self.examples = {}
        self.expected = Counter()
        self.timings = {}
        self.bytes_verified = 0
        self.open_connections = 0
        self.peak_connections = 0

    def request(self, kind: str, count: int = 1) -> None:
        """Counts requests sent by a client of ``kind``."""
        self.requests[kind] += count

    def status(self, status: int) -> None:
        """Counts a response status."""
        self.statuses[str(status)] += 1

    def violation(self, kind: str, detail: str) -> None:
        """Records a broken rule."""
        self.violations[kind] += 1
        examples = self.examples.setdefault(kind, [])
        if len(examples) < EXAMPLES_PER_KIND:
            examples.append(detail)

    def expect(self, kind: str) -> None:
        """Counts an early close that the test provoked on purpose."""
        self.expected[kind] += 1

    def timing(self, kind: str, seconds: float) -> None:
        """Records one measured duration."""
        self.timings.setdefault(kind, []).append(round(seconds, 4))

    def opened(self) -> None:
        """A connection was opened."""
        self.open_connections += 1
        self.peak_connections = max(self.peak_connections, self.open_connections)

    def closed(self) -> None:
        """A connection was closed."""
        self.open_connections -= 1

    def as_json(self) -> dict:
        """Everything, as plain JSON values."""
        return {
            "requests": dict(self.requests),
            "statuses": dict(self.statuses),
            "violations": dict(self.violations),
            "examples": self.examples,
            "expected": dict(self.expected),
            "timings": self.timings,
            "bytes_verified": self.bytes_verified,
            "peak_connections": self.peak_connections,
        }
