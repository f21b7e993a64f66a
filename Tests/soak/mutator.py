"""Changes files while they are served: replaces ``swap`` files by rename (the deploy the
README prescribes) and truncates ``trunc`` files in place, restoring them by rename a moment
later (the in-place change the server must survive by closing, behaviour §3.5)."""

import os
import random
import threading
import time
from collections import Counter

from content import FILES, Manifest, write_version

#: Seconds between two replacements by rename (of one of the swap files).
RENAME_INTERVAL = 0.25
#: Seconds between two truncations, and how long a truncated file stays truncated.
TRUNCATE_INTERVAL = 2.0
TRUNCATED_FOR = (0.5, 2.5)


class Mutator(threading.Thread):
    """Runs until ``stop``; every file it truncated is restored before it ends."""

    def __init__(self, root: str, manifest_path: str, seed: int):
        super().__init__(name="mutator", daemon=True)
        self.root = root
        self.manifest_path = manifest_path
        self.rng = random.Random(seed)
        self.stopped = threading.Event()
        self.versions = {spec.name: 0 for spec in FILES}
        self.counts = Counter()
        self.swap = [spec for spec in FILES if spec.role == "swap"]
        self.trunc = [spec for spec in FILES if spec.role == "trunc"]
        #: Truncated files and when to restore them.
        self.restore_at = {}

    def run(self) -> None:
        next_rename = next_truncate = time.monotonic()
        while not self.stopped.wait(0.05):
            now = time.monotonic()
            if now >= next_rename:
                spec = self.rng.choice(self.swap)
                self.versions[spec.name] += 1
                self._publish(spec, self.versions[spec.name])
                self.counts["renames"] += 1
                next_rename = now + RENAME_INTERVAL
            if now >= next_truncate:
                spec = self.rng.choice(self.trunc)
                if spec.name not in self.restore_at:
                    os.truncate(os.path.join(self.root, spec.name), spec.truncated_size)
                    self.restore_at[spec.name] = now + self.rng.uniform(*TRUNCATED_FOR)
                    self.counts["truncations"] += 1
                next_truncate = now + TRUNCATE_INTERVAL
            for spec in self.trunc:
                if self.restore_at.get(spec.name, now + 1) <= now:
                    self._restore(spec)
        for spec in self.trunc:
            if spec.name in self.restore_at:
                self._restore(spec)

    def stop(self) -> None:
        """Stops and waits for the restores."""
        self.stopped.set()
        self.join(timeout=60)

    def _restore(self, spec) -> None:
        self._publish(spec, self.versions[spec.name])
        del self.restore_at[spec.name]
        self.counts["restores"] += 1

    def _publish(self, spec, version: int) -> None:
        """Writes ``version`` of the file beside it under a hidden name (never served), adds
        it to the manifest, then renames it into place."""
        path = os.path.join(self.root, spec.name)
        directory, base = os.path.split(path)
        temporary = os.path.join(directory, f".tmp-{base}-{version}")
        write_version(temporary, spec.name, version, spec.size)
        Manifest.publish(self.manifest_path, spec.name, version)
        os.rename(temporary, path)
