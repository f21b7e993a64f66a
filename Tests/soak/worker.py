"""One load-generating process: runs its share of every client kind on one asyncio loop for
the given time, then prints its tally as one JSON line on stdout.

    python3 worker.py --socket S --manifest M --seconds N --mix '{"get": 140, ...}' --seed K \
        --header-timeout 5 --idle-timeout 10 --send-timeout 5
"""

import argparse
import asyncio
import json
import random
import sys
import time

from clients import client
from session import Context, Settings
from content import Manifest
from tally import Tally
from verifier import Verifier

#: How long clients still in a session at the deadline may take to finish it.
FINISH_GRACE = 90.0
#: How often the loop's lag is sampled (seconds).
LAG_PERIOD = 0.1


async def run(args) -> Tally:
    """Starts every client, waits for all of them (bounded), returns the tally."""
    tally = Tally()
    manifest = Manifest(args.manifest)
    manifest.refresh()
    verifier = Verifier(manifest, tally)
    settings = Settings(args.header_timeout, args.idle_timeout, args.send_timeout)
    deadline = time.monotonic() + args.seconds
    master = random.Random(args.seed)
    tasks = []
    for kind, count in sorted(json.loads(args.mix).items()):
        for _ in range(count):
            ctx = Context(args.socket, deadline, settings, verifier, tally,
                          random.Random(master.getrandbits(64)))
            tasks.append(asyncio.create_task(client(ctx, kind), name=kind))
    lag = asyncio.create_task(measure_lag(tally, deadline))
    _, unfinished = await asyncio.wait(tasks, timeout=args.seconds + FINISH_GRACE)
    lag.cancel()
    for task in unfinished:
        tally.violation("harness.unfinished", f"{task.get_name()} client still busy "
                        f"{FINISH_GRACE} s after the deadline")
        task.cancel()
    if unfinished:
        await asyncio.wait(unfinished, timeout=5)
    return tally


async def measure_lag(tally: Tally, deadline: float) -> None:
    """Records, ten times a second, how late the loop wakes a sleeper: the scheduling lag
    every client's timing (and reading) suffers on top of its own pace."""
    while time.monotonic() < deadline:
        started = time.monotonic()
        await asyncio.sleep(LAG_PERIOD)
        tally.timing("loop_lag", time.monotonic() - started - LAG_PERIOD)


def main() -> None:
    """Parses the arguments, runs, prints the JSON tally."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--mix", required=True, help="JSON object: client kind -> count")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--header-timeout", type=float, required=True)
    parser.add_argument("--idle-timeout", type=float, required=True)
    parser.add_argument("--send-timeout", type=float, required=True)
    args = parser.parse_args()
    tally = asyncio.run(run(args))
    json.dump(tally.as_json(), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
