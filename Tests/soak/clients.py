"""The client kinds and the loop every client runs. Each client holds one connection at a
time and runs sessions of its kind back to back until the deadline: the well-behaved kinds
(polite.py) must see no violation at all; the hostile kinds (hostile.py) provoke early closes
that are counted as expected.
"""

import asyncio
import time
import traceback

import hostile
import polite
from session import THINK_TIME, Context
from wire import Violation, Wire

#: How long a connect may wait for room in the listen backlog.
CONNECT_PATIENCE = 10.0
#: Kinds that measure the server's timeouts from the start of the connection: no pause.
TIMED_KINDS = frozenset(("slowloris", "idle", "stall", "slowread"))

SESSIONS = {
    "get": polite.get_session,
    "range": polite.range_session,
    "multirange": polite.multirange_session,
    "head": polite.head_session,
    "conditional": polite.conditional_session,
    "pipeline": polite.pipeline_session,
    "slowread": polite.slowread_session,
    "abort": hostile.abort_session,
    "stall": hostile.stall_session,
    "slowloris": hostile.slowloris_session,
    "idle": hostile.idle_session,
    "invalid": hostile.invalid_session,
}


async def client(ctx: Context, kind: str) -> None:
    """Runs sessions of ``kind`` back to back, each on a new connection, until the
    deadline. Violations are counted and end the session. This script's own errors are
    counted as ``harness.error`` (which fails the run too) and end the client."""
    await asyncio.sleep(ctx.rng.uniform(0, 2))
    session = SESSIONS[kind]
    while time.monotonic() < ctx.deadline:
        try:
            wire = await Wire.connect(ctx.path, CONNECT_PATIENCE)
        except BlockingIOError:
            ctx.tally.violation("connect.backlog_full", f"{kind}: no room for "
                                f"{CONNECT_PATIENCE} s")
            continue
        except OSError as error:
            ctx.tally.violation("connect.failed", f"{kind}: {error}")
            await asyncio.sleep(1)
            continue
        ctx.tally.opened()
        try:
            if kind not in TIMED_KINDS:
                await asyncio.sleep(ctx.rng.uniform(0, THINK_TIME))
            await session(wire, ctx)
        except Violation as violation:
            ctx.tally.violation(violation.kind, f"{kind}: {violation.detail}")
        except TimeoutError:
            ctx.tally.violation("hang.no_progress", f"{kind}: no progress for "
                                f"{ctx.progress_timeout} s")
        except (ConnectionResetError, BrokenPipeError) as error:
            ctx.tally.violation("protocol.reset", f"{kind}: {error!r}")
        except Exception:  # this script's own bug: fail the run, show where
            ctx.tally.violation("harness.error", traceback.format_exc(limit=4))
            return
        finally:
            wire.close()
            ctx.tally.closed()
