"""Soak test of asset-sidecar: builds a document root, starts the server on a Unix socket,
runs the client workers and the file mutator for the given time while sampling the server
once a second, then checks descriptors, idle CPU and shutdown, and prints the summary.
Exits 1 if any check failed. Started by Tests/soak/run.sh, which bounds the whole run.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter

from content import create_root
from mutator import Mutator
from report import merge, report
from server import Notifications, ServerProcess
from worker import FINISH_GRACE

#: Share of the connections per client kind, in percent (--mix replaces it, to reproduce a
#: problem with fewer kinds; the checks that a kind was exercised then fail, as they should).
MIX = {"get": 28, "range": 14, "multirange": 6, "head": 5, "conditional": 8, "pipeline": 8,
       "slowread": 4, "abort": 6, "stall": 3, "slowloris": 6, "idle": 2, "invalid": 10}
#: Peak RSS allowed by default (MiB). Idle, the server holds about 15 MiB. A connection holds
#: at most its read buffer (8 KiB request line + 16 KiB header section) and a few KiB of
#: state, about 32 MiB for 1000 connections; file bytes never enter the process (sendfile),
#: except files of at most 16 KiB kept by each loop's cache. 256 MiB is several times that
#: worst case, yet a leak of 200 bytes per request fills it within a 10-minute run.
RSS_LIMIT_MIB = 256
#: How long after the load the server may take to close its last connection.
SETTLE_SECONDS = 15.0
#: Samples taken of the idle server's descriptors.
IDLE_SAMPLES = 5
#: How long the idle CPU is measured, and the most of a core it may use.
IDLE_WINDOW = 3.0
IDLE_CPU_LIMIT = 0.05


class Monitor(threading.Thread):
    """Samples the server once a second: resident memory, descriptors (sockets: the
    listener and the connections), and whether it is still running."""

    def __init__(self, server: ServerProcess):
        super().__init__(name="monitor", daemon=True)
        self.server = server
        self.stopped = threading.Event()
        self.peak_rss = 0
        self.peak_fds = 0
        self.peak_sockets = 0
        self.sockets = []
        self.died = False

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            if not self.server.alive():
                self.died = True
                return
            self.peak_rss = max(self.peak_rss, self.server.rss_bytes())
            try:
                fds = self.server.descriptors()
            except FileNotFoundError:
                continue
            self.peak_fds = max(self.peak_fds, sum(fds.values()))
            self.peak_sockets = max(self.peak_sockets, fds["socket"])
            self.sockets.append(fds["socket"])

    def stop(self) -> None:
        """Ends sampling."""
        self.stopped.set()
        self.join(timeout=5)


def shares(connections: int, workers: int, mix: dict) -> list:
    """The client kinds and counts for each worker, adding up to ``connections`` in the
    proportions of ``mix`` (kind -> weight)."""
    total = sum(mix.values())
    counts = {kind: connections * weight // total for kind, weight in mix.items()}
    first = next(iter(counts))
    counts[first] += connections - sum(counts.values())
    return [{kind: count // workers + (index < count % workers)
             for kind, count in counts.items()} for index in range(workers)]


def run_workers(args, socket_path: str, manifest: str) -> list:
    """Runs the workers to completion (bounded) and returns their tallies."""
    here = os.path.dirname(os.path.abspath(__file__))
    processes = []
    for index, mix in enumerate(shares(args.connections, args.workers, args.mix)):
        argv = [sys.executable, os.path.join(here, "worker.py"), "--socket", socket_path,
                "--manifest", manifest, "--seconds", str(args.seconds), "--mix",
                json.dumps(mix), "--seed", str(args.seed * 1000 + index),
                "--header-timeout", str(args.header_timeout),
                "--idle-timeout", str(args.idle_timeout),
                "--send-timeout", str(args.send_timeout)]
        processes.append(subprocess.Popen(argv, stdout=subprocess.PIPE, text=True))
    tallies = []
    give_up = time.monotonic() + args.seconds + FINISH_GRACE + 30
    for process in processes:
        try:
            output, _ = process.communicate(timeout=max(1.0, give_up - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=10)
            raise RuntimeError(f"worker {process.pid} overran; killed") from None
        if process.returncode != 0 or not output.strip():
            raise RuntimeError(f"worker {process.pid} failed with status {process.returncode}")
        tallies.append(json.loads(output.strip().splitlines()[-1]))
    return tallies


def settle_descriptors(server: ServerProcess, before: Counter, threads: int):
    """Waits (bounded) until every connection is closed and the descriptors are the idle set
    again: the same sockets and other descriptors as before the load, plus at most one open
    file per (loop, file) held by the loops' open-file caches. Returns (failures, seconds,
    the last count, cached files)."""
    started = time.monotonic()
    while True:
        now = server.descriptors()
        files = Counter({key: count for key, count in now.items() if key.startswith("file:")})
        rest = now - files
        failures = []
        if rest != before:
            failures.append(f"descriptors other than cached files differ from before the load: "
                            f"{dict(rest - before)} more, {dict(before - rest)} fewer")
        over = {key: count for key, count in files.items() if count > threads}
        if over:
            failures.append(f"more open descriptors per file than loops: {over}")
        waited = time.monotonic() - started
        if not failures or waited > SETTLE_SECONDS:
            return failures, waited, sum(now.values()), sum(files.values())
        time.sleep(0.25)


def idle_descriptors(server: ServerProcess) -> Counter:
    """The descriptors of the idle server: the least of a few samples, since each sd_notify
    message (STATUS=, WATCHDOG=1) briefly opens a socket of its own."""
    idle = server.descriptors()
    for _ in range(IDLE_SAMPLES - 1):
        time.sleep(0.1)
        idle &= server.descriptors()
    return idle


def idle_cpu(server: ServerProcess) -> float:
    """The share of one core the server uses over IDLE_WINDOW seconds with no clients."""
    started, used = time.monotonic(), server.cpu_seconds()
    time.sleep(IDLE_WINDOW)
    return (server.cpu_seconds() - used) / (time.monotonic() - started)


def measure(args, server: ServerProcess, notifications: Notifications, root: str,
            manifest: str, socket_path: str):
    """Starts the server, runs the load, takes every server measurement, stops the server.
    Returns (measurements, the workers' tallies, seconds of load)."""
    server.start(patience=15)
    if not notifications.ready.wait(15):
        raise RuntimeError("the server sent no READY=1 within 15 s")
    time.sleep(1)
    fds_before = idle_descriptors(server)
    rss_before = server.rss_bytes()

    print(f"soak: server {server.pid} ready; {args.connections} connections for "
          f"{args.seconds:g} s", file=sys.stderr)
    monitor = Monitor(server)
    mutator = Mutator(root, manifest, args.seed)
    monitor.start()
    mutator.start()
    load_started = time.monotonic()
    cpu_started = server.cpu_seconds()
    try:
        tallies = run_workers(args, socket_path, manifest)
    finally:
        mutator.stop()
        monitor.stop()
    load_seconds = time.monotonic() - load_started
    load_cpu = (server.cpu_seconds() - cpu_started) / load_seconds if server.alive() else 0.0

    if server.alive():
        descriptor_failures, settle, fds_after, cached = settle_descriptors(
            server, fds_before, args.threads)
        idle = idle_cpu(server)
        counters = server.metrics()
    else:
        descriptor_failures, settle, fds_after, cached, idle, counters = (
            ["the server is gone: descriptors not checked"], 0.0, 0, 0, 0.0, {})
    rss_after = server.rss_bytes()
    exit_status, exit_seconds, killed = server.stop(patience=20)
    priorities = server.log_priorities()
    measured = {
        "server_requests": notifications.requests,
        "counters": counters,
        "watchdog_pings": notifications.messages["WATCHDOG"],
        "longest_ping_gap": notifications.longest_ping_gap,
        "peak_status_connections": notifications.peak_connections,
        "mutations": mutator.counts,
        "truncation_logs": server.count_log(b"file shrank"),
        "peak_rss": monitor.peak_rss, "rss_before": rss_before, "rss_after": rss_after,
        "load_cpu": load_cpu, "idle_cpu": idle, "idle_window": IDLE_WINDOW,
        "fds_before": sum(fds_before.values()), "peak_fds": monitor.peak_fds,
        "fds_after": fds_after, "cached_files": cached, "fds_settle": settle,
        "peak_connections": monitor.peak_sockets - fds_before["socket"],
        "median_connections": statistics.median(monitor.sockets or [0]) - fds_before["socket"],
        "descriptor_failures": descriptor_failures,
        "exit_status": exit_status, "exit_seconds": exit_seconds, "killed": killed,
        "died": monitor.died, "log_priorities": priorities,
        "error_lines": server.log_lines(b"<3>", 3) + server.log_lines(b"<2>", 3),
    }
    return measured, tallies, load_seconds


def main() -> int:
    """Runs the soak; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--activation", choices=("listen", "socket"), default="listen")
    parser.add_argument("--header-timeout", type=float, default=5)
    parser.add_argument("--send-timeout", type=float, default=5)
    parser.add_argument("--idle-timeout", type=float, default=10)
    parser.add_argument("--rss-limit-mib", type=int, default=RSS_LIMIT_MIB)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mix", type=json.loads, default=MIX,
                        help="JSON object: client kind -> weight (default: MIX)")
    args = parser.parse_args()

    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if limit < args.connections + 256:
        print(f"soak: ulimit -n is {limit}; {args.connections} connections need more",
              file=sys.stderr)
        return 2
    root = os.path.join(args.workdir, "root")
    manifest = os.path.join(args.workdir, "manifest.txt")
    socket_path = os.path.join(args.workdir, "assets.sock")
    print(f"soak: document root in {root}", file=sys.stderr)
    create_root(root)
    open(manifest, "w", encoding="ascii").close()

    notifications = Notifications(os.path.join(args.workdir, "notify.sock"))
    notifications.start()
    options = ["--threads", str(args.threads), "--header-timeout", f"{args.header_timeout:g}s",
               "--send-timeout", f"{args.send_timeout:g}s",
               "--idle-timeout", f"{args.idle_timeout:g}s"]
    server = ServerProcess(args.binary, socket_path, os.path.join(args.workdir, "metrics.sock"),
                           root, options, args.activation,
                           os.path.join(args.workdir, "server.log"), notifications.path)
    try:
        measured, tallies, load_seconds = measure(args, server, notifications, root, manifest,
                                                  socket_path)
    finally:
        if server.process and server.alive():
            server.stop(patience=10)
        notifications.stop()
    load = merge(tallies)
    load["seconds"] = load_seconds
    settings = dict(vars(args), idle_cpu_limit=IDLE_CPU_LIMIT)
    return 1 if report(load, measured, settings) else 0


if __name__ == "__main__":
    sys.exit(main())
