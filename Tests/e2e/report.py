"""The verdict on a lifecycle load run (Tests/e2e/lifecycle.sh): the records Tests/e2e/load.py
wrote, the phase marks the scenario wrote, and nginx's error log.

    python3 report.py RECORDS PHASES NGINX_ERROR_LOG CONNECTIONS

PHASES has one line per phase start, "NAME START_US LOG_OFFSET" (the time in microseconds since
the epoch, the error log's size then); the last line, named "end", closes the last phase. A
request belongs to the phase in which it started; an error-log line to the phase in which it
was written; but a failed request in flight when "watchdog" began (the freeze) belongs to
"watchdog". Prints, in the e2e result format ("PASS name" / "FAIL name: why", details indented
by five spaces), the figures of every phase and these checks:
  - no failed request in any phase but "watchdog" (the freeze of the main process);
  - in "watchdog", only requests in flight at the freeze may fail, at most one per connection
    (CONNECTIONS, the slow reader included);
  - no upstream error line in nginx's log during steady, restart, reload, upgrade, upgrade-fail;
  - a slow download was under way when "upgrade" began, and completed;
  - the upgrade phase served small and range requests; its slowest one is printed against the
    100 ms target (a figure, not a check: no test here depends on timing).
"""

import re
import sys
from dataclasses import dataclass, field

#: Phases in which nginx must log no upstream error.
CLEAN_LOG = ("steady", "restart", "reload", "upgrade", "upgrade-fail")
#: The slowest small or range request the hot upgrade may have, in milliseconds.
UPGRADE_LIMIT_MS = 100
FAILURE_KINDS = ("status", "short", "bytes", "conn")
#: An nginx error-log line about the upstream, at level warn or worse.
UPSTREAM_ERROR = re.compile(r"\[(warn|error|crit|alert|emerg)\].*upstream")


@dataclass
class Record:
    """One request as load.py wrote it."""

    start: int
    head: int
    end: int
    kind: str
    path: str
    span: str
    outcome: str
    detail: str

    @property
    def milliseconds(self) -> float:
        return (self.end - self.start) / 1000


@dataclass
class Phase:
    """A part of the scenario: its time span, its requests and its nginx error lines."""

    name: str
    start: int
    end: int = 0
    records: list = field(default_factory=list)
    log_lines: list = field(default_factory=list)

    def failures(self) -> list:
        return [record for record in self.records if record.outcome != "ok"]

    def slowest(self, kinds) -> tuple:
        """(milliseconds, record) of the slowest request of these kinds, or (0, None)."""
        chosen = [record for record in self.records if record.kind in kinds]
        if not chosen:
            return 0.0, None
        record = max(chosen, key=lambda r: r.end - r.start)
        return record.milliseconds, record

    def percentile(self, kinds, fraction: float) -> float:
        times = sorted(r.milliseconds for r in self.records if r.kind in kinds)
        return times[min(len(times) - 1, int(fraction * len(times)))] if times else 0.0


def read_phases(path: str, log: bytes) -> list:
    marks = [line.split() for line in open(path) if line.strip()]
    phases = []
    for (name, start, offset), (_, end, end_offset) in zip(marks, marks[1:]):
        phase = Phase(name, int(start), int(end))
        text = log[int(offset):int(end_offset)].decode("utf-8", "replace")
        phase.log_lines = [line for line in text.splitlines() if UPSTREAM_ERROR.search(line)]
        phases.append(phase)
    return phases


def read_records(path: str) -> list:
    records = []
    for line in open(path):
        fields = line.rstrip("\n").split("\t")
        fields += [""] * (8 - len(fields))
        records.append(Record(int(fields[0]), int(fields[1]), int(fields[2]), *fields[3:8]))
    return records


def main() -> int:
    records_path, phases_path, log_path, connections = sys.argv[1:5]
    connections = int(connections)
    with open(log_path, "rb") as handle:
        log = handle.read()
    phases = read_phases(phases_path, log)
    freeze = next((phase for phase in phases if phase.name == "watchdog"), None)
    records = read_records(records_path)
    for record in records:
        if freeze and record.outcome != "ok" and record.start < freeze.start < record.end:
            freeze.records.append(record)
            continue
        for phase in phases:
            if phase.start <= record.start < phase.end:
                phase.records.append(record)
                break
    results = []

    def check(name: str, ok: bool, why: str = "") -> None:
        results.append(f"PASS {name}" if ok else f"FAIL {name}: {why}")

    def info(text: str) -> None:
        results.append(f"     {text}")

    by_name = {phase.name: phase for phase in phases}
    for phase in phases:
        seconds = max(1e-6, (phase.end - phase.start) / 1e6)
        failures = phase.failures()
        counts = ", ".join(f"{kind} {sum(1 for r in failures if r.outcome == kind)}"
                           for kind in FAILURE_KINDS)
        slowest, _ = phase.slowest(("small", "range"))
        large_heads = [(r.head - r.start) / 1000 for r in phase.records
                       if r.kind == "large" and r.head]
        slow_done = sum(1 for r in phase.records if r.kind == "slow" and r.outcome == "ok")
        info(f"{phase.name}: {len(phase.records)} requests in {seconds:.1f} s "
             f"({len(phase.records) / seconds:.0f} req/s); failures: {counts}; small/range "
             f"slowest {slowest:.1f} ms, p99 {phase.percentile(('small', 'range'), 0.99):.1f} ms; "
             f"large files' heads slowest {max(large_heads, default=0):.1f} ms; "
             f"{slow_done} slow downloads done; nginx upstream error lines {len(phase.log_lines)}")
        for record in failures[:8]:
            info(f"  failed {record.kind} {record.path} {record.span} at {record.start} "
                 f"({record.milliseconds:.0f} ms): {record.outcome}: {record.detail}")
        for line in phase.log_lines[:5]:
            info(f"  nginx: {line[:200]}")

    for phase in phases:
        failures = phase.failures()
        if phase is freeze:
            late = [r for r in failures if r.start >= phase.start]
            check("lifecycle load: watchdog freeze loses only responses in flight at the freeze "
                  f"(at most {connections})",
                  not late and len(failures) <= connections,
                  f"{len(failures)} failed, {len(late)} of them started after the freeze")
        else:
            check(f"lifecycle load: no failed request during {phase.name} "
                  f"({len(phase.records)} requests)", not failures,
                  f"{len(failures)} failed")
        if phase.name in CLEAN_LOG:
            check(f"lifecycle load: no upstream error in nginx's log during {phase.name}",
                  not phase.log_lines, f"{len(phase.log_lines)} lines")
        kinds = {r.kind for r in phase.records}
        if phase.name in ("steady", "restart", "reload", "upgrade"):
            check(f"lifecycle load: {phase.name} saw every kind of request",
                  {"small", "range", "large"} <= kinds, f"only {sorted(kinds)}")
    upgrade = by_name.get("upgrade")
    if upgrade is None:
        check("lifecycle load: an upgrade phase", False, "no phase named upgrade")
    else:
        spanning = [r for r in records if r.kind == "slow" and r.start < upgrade.start < r.end]
        check("lifecycle load: a slow download was under way at the hot upgrade and completed",
              any(r.outcome == "ok" for r in spanning),
              f"{len(spanning)} slow downloads spanned it, none completed")
        slowest, record = upgrade.slowest(("small", "range"))
        # The steady state's slowest shows when the machine itself is too busy for the limit.
        others = {name: by_name[name].slowest(("small", "range"))[0]
                  for name in ("steady", "restart") if name in by_name}
        context = ", ".join(f"{name}: {ms:.1f} ms" for name, ms in others.items())
        # A figure, not a check: no test depends on timing to pass (a busy machine makes any
        # fixed limit flaky). The steady state's slowest is printed beside it for context.
        check("lifecycle load: the hot upgrade served small/range requests",
              record is not None, "no small or range request during the upgrade")
        info(f"slowest small/range request during the hot upgrade: {slowest:.1f} ms "
             f"(target {UPGRADE_LIMIT_MS} ms; {context})")
    print("\n".join(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
