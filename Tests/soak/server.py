"""The server under test: starting it (``--listen`` or under ``systemd-socket-activate``),
receiving its ``sd_notify`` messages, reading its memory, CPU time and descriptors from /proc,
and stopping it with SIGTERM."""

import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections import Counter

#: WATCHDOG_USEC given to the server: it pings every second if every event loop turned
#: since the previous ping, and logs an error instead if one did not (behaviour §1.6).
WATCHDOG_USEC = 2_000_000
_STATUS = re.compile(r"STATUS=([0-9]+) connections, ([0-9]+) requests, ([0-9]+) bytes sent")
#: Clock ticks per second, for /proc/PID/stat.
_TICKS = os.sysconf("SC_CLK_TCK")


class Notifications(threading.Thread):
    """Receives the server's sd_notify datagrams on a socket of our own: READY=1, the
    STATUS= line, whose connection and request counts are kept, and WATCHDOG=1, whose
    longest gap (a stalled event loop withholds the ping) is kept."""

    def __init__(self, path: str):
        super().__init__(name="notify", daemon=True)
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.ready = threading.Event()
        self.stopped = threading.Event()
        self.peak_connections = 0
        self.requests = 0
        self.messages = Counter()
        self.last_ping = None
        self.longest_ping_gap = 0.0

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                data = self.sock.recv(4096).decode(errors="replace")
            except socket.timeout:
                continue
            for line in data.splitlines():
                self.messages[line.split("=", 1)[0]] += 1
                if line == "READY=1":
                    self.ready.set()
                if line == "WATCHDOG=1":
                    now = time.monotonic()
                    if self.last_ping is not None:
                        self.longest_ping_gap = max(self.longest_ping_gap, now - self.last_ping)
                    self.last_ping = now
                match = _STATUS.fullmatch(line)
                if match:
                    self.peak_connections = max(self.peak_connections, int(match.group(1)))
                    self.requests = int(match.group(2))

    def stop(self) -> None:
        """Ends the thread (within 0.2 s) and closes the socket."""
        self.stopped.set()
        self.join(timeout=2)
        self.sock.close()


class ServerProcess:
    """One asset-sidecar process serving ``root`` on the socket at ``socket_path``."""

    def __init__(self, binary: str, socket_path: str, metrics_path: str, root: str,
                 options: list, activation: str, log_path: str, notify_path: str):
        self.socket_path = socket_path
        self.metrics_path = metrics_path
        self.root = root
        self.log_path = log_path
        server = [binary, "--root", root, *options]
        if activation == "socket":
            self.argv = ["systemd-socket-activate", "-l", socket_path, "-l", metrics_path,
                         "--fdname=assets:metrics", "-E", f"NOTIFY_SOCKET={notify_path}",
                         "-E", f"WATCHDOG_USEC={WATCHDOG_USEC}", *server]
        else:
            self.argv = [*server, "--listen", socket_path, "--listen", f"metrics={metrics_path}"]
        self.activation = activation
        self.env = dict(os.environ, NOTIFY_SOCKET=notify_path, WATCHDOG_USEC=str(WATCHDOG_USEC))
        self.process = None

    @property
    def pid(self) -> int:
        """The server's PID (systemd-socket-activate execs it in place: the same PID)."""
        return self.process.pid

    def start(self, patience: float) -> None:
        """Starts the server; under socket activation, makes the first connection that
        makes systemd-socket-activate exec it. Raises if it has not started in time."""
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, env=self.env)
        give_up = time.monotonic() + patience
        while not os.path.exists(self.socket_path):
            if self.process.poll() is not None or time.monotonic() > give_up:
                raise RuntimeError(f"server did not create {self.socket_path}")
            time.sleep(0.02)
        if self.activation == "socket":
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.settimeout(max(0.1, give_up - time.monotonic()))
                probe.connect(self.socket_path)
                probe.sendall(b"HEAD / HTTP/1.1\r\nHost: soak.test\r\nConnection: close\r\n\r\n")
                for _ in range(100):
                    if not probe.recv(4096):
                        break

    def metrics(self) -> dict:
        """The server's counters from its metrics socket (behaviour §7.2), by ``name{labels}``."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(5)
            client.connect(self.metrics_path)
            client.sendall(b"GET /metrics HTTP/1.1\r\nHost: soak.test\r\nConnection: close\r\n\r\n")
            data = b""
            for _ in range(1000):
                piece = client.recv(65536)
                if not piece:
                    break
                data += piece
        body = data.split(b"\r\n\r\n", 1)[-1].decode()
        return {name.removeprefix("asset_sidecar_"): float(value)
                for name, value in (line.rsplit(" ", 1) for line in body.splitlines()
                                    if line and not line.startswith("#"))}

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def stop(self, patience: float):
        """SIGTERM, then waits ``patience`` seconds; SIGKILL if it is still there. Returns
        (exit status, seconds to exit, whether it had to be killed)."""
        if not self.alive():
            return self.process.returncode, 0.0, False
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=patience)
            return status, time.monotonic() - started, False
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=10), time.monotonic() - started, True

    def rss_bytes(self) -> int:
        """Resident memory now (VmRSS), 0 once the process is gone."""
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except (FileNotFoundError, ProcessLookupError):
            pass
        return 0

    def cpu_seconds(self) -> float:
        """User plus system CPU time used so far."""
        with open(f"/proc/{self.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS

    def descriptors(self) -> Counter:
        """Open descriptors by what they are: ``socket``, ``file:NAME`` for a file beneath
        the root (a replaced file's old inode counts under its name), and the link target
        for anything else (epoll, eventfd, the root directory, the log)."""
        found = Counter()
        directory = f"/proc/{self.pid}/fd"
        for entry in os.listdir(directory):
            try:
                target = os.readlink(os.path.join(directory, entry))
            except FileNotFoundError:
                continue
            if target.startswith("socket:"):
                found["socket"] += 1
            elif target.startswith(self.root + "/"):
                found["file:" + target.removesuffix(" (deleted)")[len(self.root) + 1:]] += 1
            else:
                found[target] += 1
        return found

    def log_priorities(self) -> Counter:
        """The server's log lines by syslog priority prefix (``<4>`` warning, ``<3>`` error)."""
        with open(self.log_path, "rb") as log:
            return Counter(line[:3].decode(errors="replace") for line in log)

    def log_lines(self, prefix: bytes, limit: int) -> list:
        """Up to ``limit`` log lines that start with ``prefix``."""
        with open(self.log_path, "rb") as log:
            lines = [line.decode(errors="replace").rstrip() for line in log
                     if line.startswith(prefix)]
        return lines[:limit]

    def count_log(self, fragment: bytes) -> int:
        """How many log lines contain ``fragment``."""
        with open(self.log_path, "rb") as log:
            return sum(1 for line in log if fragment in line)
