"""Merges the workers' tallies with the server measurements, prints the summary, and lists
every failed check (the run fails if there is any)."""

import statistics
from collections import Counter

MIB = 1 << 20
#: The server's counter of connections that ended in a reset.
PEER_RESETS = 'errors_total{kind="peer_reset"}'
#: How much earlier than its timeout a close may come: the server computes deadlines from
#: its loop's clock, read once per turn of the loop.
EARLY_SLACK = 0.25
#: How much later: the server's threads share two cores with the busy workers.
LATE_SLACK = 0.5
#: The most a worker's event loop may fall behind before the run says it is unreliable
#: (a quiet 2-core machine stays under 0.5 s).
MAX_LAG = 1.0


def merge(tallies: list) -> dict:
    """Adds up the workers' JSON tallies."""
    merged = {"requests": Counter(), "statuses": Counter(), "violations": Counter(),
              "expected": Counter(), "examples": {}, "timings": {}, "bytes_verified": 0,
              "peak_connections": 0}
    for tally in tallies:
        for key in ("requests", "statuses", "violations", "expected"):
            merged[key].update(tally[key])
        for kind, examples in tally["examples"].items():
            merged["examples"].setdefault(kind, []).extend(examples)
        for kind, values in tally["timings"].items():
            merged["timings"].setdefault(kind, []).extend(values)
        merged["bytes_verified"] += tally["bytes_verified"]
        merged["peak_connections"] += tally["peak_connections"]
    return merged


def spread(values: list) -> str:
    """min / median / max of a list of seconds."""
    if not values:
        return "none measured"
    return (f"min {min(values):.2f} s, median {statistics.median(values):.2f} s, "
            f"max {max(values):.2f} s (n={len(values)})")


def counts(counter: Counter) -> str:
    """``key count`` pairs, largest first."""
    return ", ".join(f"{key} {value}" for key, value in counter.most_common()) or "none"


def check_closes(failures: list, what: str, values: list, timeout: float, lag: float):
    """Every close must be seen within the timeout's window: from EARLY_SLACK plus the
    workers' worst loop lag before it (a client may start its clock that late) to
    LATE_SLACK plus that lag after it (a client may see the close that late)."""
    if not values:
        failures.append(f"no {what} close was measured")
        return
    if min(values) < timeout - EARLY_SLACK - lag:
        failures.append(f"{what} closed after {min(values):.2f} s, before its {timeout} s "
                        f"(less {EARLY_SLACK} s and the {lag:.2f} s loop lag)")
    if max(values) > timeout + LATE_SLACK + lag:
        failures.append(f"{what} closed after {max(values):.2f} s, over {timeout} s + "
                        f"{LATE_SLACK} s + the {lag:.2f} s loop lag")


def derive(load: dict, server: dict) -> dict:
    """The figures both the summary and the checks use."""
    timings = load["timings"]
    slowloris = {kind.split(":")[1]: values for kind, values in timings.items()
                 if kind.startswith("slowloris_close:")}
    counters = server["counters"]
    return {
        "lags": sorted(timings.get("loop_lag", [0])),
        "slowloris": slowloris,
        "slowloris_all": [value for values in slowloris.values() for value in values],
        "framing": sum(count for kind, count in load["violations"].items()
                       if kind.startswith("framing.")),
        "timeouts": {kind: int(counters.get(f'timeouts_total{{kind="{kind}"}}', 0))
                     for kind in ("header", "idle", "send")},
    }


def summarize(load: dict, server: dict, settings: dict, figures: dict) -> None:
    """Prints the summary."""
    seconds = load["seconds"]
    requests = sum(load["requests"].values())
    expected = load["expected"]
    lags = figures["lags"]
    timeouts = figures["timeouts"]
    print(f"== soak summary: {seconds:.0f} s of load, {settings['connections']} connections "
          f"from {settings['workers']} workers, server --threads {settings['threads']} "
          f"({settings['activation']}) ==")
    print(f"requests by kind:   {counts(load['requests'])}")
    print(f"                    total {requests}, {requests / seconds:.0f} requests/s; server "
          f"counted {server['server_requests']}")
    print(f"responses:          {counts(load['statuses'])}")
    print(f"bytes verified:     {load['bytes_verified'] / MIB:.0f} MiB "
          f"({load['bytes_verified'] / MIB / seconds:.0f} MiB/s)")
    print(f"expected closes:    {counts(expected)}")
    print(f"client loop lag:    median {statistics.median(lags) * 1000:.0f} ms, p99 "
          f"{lags[int(len(lags) * 0.99)] * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms "
          "(how late the workers' event loops ran; client timings include it)")
    print(f"slowloris closes:   {spread(figures['slowloris_all'])} vs --header-timeout "
          f"{settings['header_timeout']} s")
    for form, values in sorted(figures["slowloris"].items()):
        print(f"  {form + ':':17} {spread(values)}")
    print(f"idle closes:        {spread(load['timings'].get('idle_close', []))} "
          f"vs --idle-timeout {settings['idle_timeout']} s")
    stalled = load["timings"].get("stall_bytes_after", [])
    if stalled:
        print(f"stalled readers:    closed by --send-timeout {settings['send_timeout']} s; "
              f"after the stall they got at most {max(stalled) / 1024:.0f} KiB (what was "
              "queued)")
    print(f"mutations:          {counts(server['mutations'])}; server logged "
          f"{server['truncation_logs']} truncated sends")
    counters = server["counters"]
    print(f"server closes:      header timeouts {timeouts['header']} (slowloris "
          f"{expected['slowloris_closed']}), send timeouts {timeouts['send']} (stalled "
          f"{expected['stalled_closed']}), idle timeouts {timeouts['idle']} (idle "
          f"{expected['idle_closed']}), truncations {int(counters.get('truncations_total', 0))}, "
          f"peer resets {int(counters.get(PEER_RESETS, 0))}")
    print(f"connections:        server peak {server['peak_connections']} (median "
          f"{server['median_connections']:.0f}) in /proc, {server['peak_status_connections']} "
          f"in STATUS=; clients {load['peak_connections']} (sum of worker peaks)")
    print(f"server loops:       {server['watchdog_pings']} WATCHDOG=1 pings, longest gap "
          f"{server['longest_ping_gap']:.2f} s (one per second while every loop turns)")
    print(f"server memory:      peak RSS {server['peak_rss'] / MIB:.1f} MiB (limit "
          f"{settings['rss_limit_mib']} MiB); idle before {server['rss_before'] / MIB:.1f} MiB, "
          f"after {server['rss_after'] / MIB:.1f} MiB")
    print(f"server CPU:         {server['load_cpu'] * 100:.0f} % of a core under load; "
          f"idle {server['idle_cpu'] * 100:.2f} % of a core over {server['idle_window']:.1f} s")
    print(f"descriptors:        {server['fds_before']} before load, peak {server['peak_fds']}, "
          f"{server['fds_after']} after ({server['cached_files']} cached files); back to idle "
          f"in {server['fds_settle']:.1f} s")
    print(f"shutdown:           SIGTERM -> exit {server['exit_status']} in "
          f"{server['exit_seconds']:.2f} s")
    print(f"server log:         {counts(server['log_priorities'])}")
    print(f"errors by kind:     {counts(load['violations'])}")
    print(f"framing errors:     {figures['framing']}")
    for kind, examples in sorted(load["examples"].items()):
        for example in examples[:3]:
            print(f"  {kind}: {example.strip()}")


def check(load: dict, server: dict, settings: dict, figures: dict) -> list:
    """Every failed check, as one line each."""
    failures = []
    violations = load["violations"]
    expected = load["expected"]
    lag = figures["lags"][-1]
    if violations:
        failures.append(f"{sum(violations.values())} violations ({figures['framing']} framing "
                        "errors)")
    if lag > MAX_LAG:
        failures.append(f"the workers' event loops fell {lag:.1f} s behind (more than "
                        f"{MAX_LAG} s): the machine was busier than the soak, and clients that "
                        "late make the server's timeouts fire, so timing results and timeout "
                        "closes above are not the server's alone; run it on a quiet machine")
    check_closes(failures, "slowloris", figures["slowloris_all"], settings["header_timeout"],
                 lag)
    check_closes(failures, "idle", load["timings"].get("idle_close", []),
                 settings["idle_timeout"], lag)
    for kind in ("aborted", "stalled_closed", "slowloris_closed", "idle_closed",
                 "invalid_closed", "not_modified"):
        if not expected.get(kind):
            failures.append(f"nothing was {kind}: that case was not exercised")
    for kind, client in (("header", "slowloris_closed"), ("send", "stalled_closed"),
                         ("idle", "idle_closed")):
        closed = figures["timeouts"][kind]
        if closed > expected[client]:
            failures.append(f"the server closed {closed} connections by its {kind} timeout, "
                            f"only {expected[client]} clients provoked it")
            if kind == "header" and expected["aborted_in_head"]:
                failures.append(f"  ({expected['aborted_in_head']} clients sent half a head "
                                "and closed: a server that misses their close waits for "
                                "the header timeout instead)")
    if expected.get("truncated", 0) > server["truncation_logs"]:
        failures.append(f"clients saw {expected['truncated']} truncated responses, the server "
                        f"logged only {server['truncation_logs']}: some early closes were not "
                        "truncations")
    if server["peak_rss"] > settings["rss_limit_mib"] * MIB:
        failures.append(f"peak RSS {server['peak_rss'] / MIB:.0f} MiB over the limit")
    if server["peak_connections"] < 0.95 * settings["connections"]:
        failures.append(f"only {server['peak_connections']} connections at once, wanted "
                        f"{settings['connections']}")
    failures.extend(server["descriptor_failures"])
    if server["idle_cpu"] >= settings["idle_cpu_limit"]:
        failures.append(f"idle CPU {server['idle_cpu'] * 100:.1f} % of a core (limit "
                        f"{settings['idle_cpu_limit'] * 100:.0f} %)")
    if server["exit_status"] != 0 or server["killed"]:
        failures.append(f"server exit status {server['exit_status']} after SIGTERM"
                        + (" (killed after the drain wait)" if server["killed"] else ""))
    if server["died"]:
        failures.append("the server exited during the load")
    bad_logs = server["log_priorities"].get("<3>", 0) + server["log_priorities"].get("<2>", 0)
    if bad_logs:
        failures.append(f"the server logged {bad_logs} errors: {server['error_lines']}")
    return failures


def report(load: dict, server: dict, settings: dict) -> list:
    """Prints the summary and the verdict; returns the failed checks."""
    figures = derive(load, server)
    summarize(load, server, settings, figures)
    failures = check(load, server, settings, figures)
    print("verdict:            " + ("PASS" if not failures else "FAIL"))
    for failure in failures:
        print(f"  - {failure}")
    return failures
