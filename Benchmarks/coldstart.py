#!/usr/bin/env python3
"""Cold start of a static-file server: milliseconds to the first byte of a 1 KiB answer.

    coldstart.py connect SOCKET FILE RUNS -- systemd-socket-activate -l SOCKET -- SERVER...
    coldstart.py spawn SOCKET FILE RUNS -- SERVER...   # SERVER binds SOCKET itself

Each run spawns the command, connects as soon as SOCKET accepts (polling every 0.2 ms) and
sends one request. `connect` starts the clock at the connection that succeeds: right for
systemd-socket-activate, which listens first and execs the server when that connection
arrives, so the figure is exec to first byte. `spawn` starts the clock just before the command
is spawned: exec to first byte for a server that binds the socket itself. The request is
`GET /<basename FILE>`; the answer must be 200 with FILE's bytes as body. Then the server is
stopped (TERM, KILL after 10 s). One warm-up run comes first and is not counted (page cache,
dynamic loader cache). Prints one line per counted run (`run N ms X`) and `median_ms=X runs=N`;
exits 1 when a run fails.
"""
import errno
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

DEADLINE_S = 10.0
POLL_S = 0.0002


def fail(message):
    print(f"coldstart: {message}", file=sys.stderr)
    sys.exit(1)


def connect(path, deadline):
    """Connect to the Unix socket at `path`, retrying while it is missing or not yet listening."""
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        started = time.monotonic()
        try:
            sock.connect(path)
            return sock, started
        except OSError as error:
            sock.close()
            if error.errno not in (errno.ENOENT, errno.ECONNREFUSED):
                raise
        if time.monotonic() > deadline:
            fail(f"{path} did not accept a connection within {DEADLINE_S} s")
        time.sleep(POLL_S)


def read_response(sock, deadline):
    """The whole response: returns (seconds at its first byte, its bytes)."""
    sock.settimeout(max(deadline - time.monotonic(), 0.001))
    first = None
    data = b""
    while True:
        head, sep, _ = data.partition(b"\r\n\r\n")
        if sep:
            length = [line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:")]
            if length and len(data) >= len(head) + 4 + int(length[0]):
                return first, data
        chunk = sock.recv(65536)
        if first is None:
            first = time.monotonic()
        if not chunk:
            return first, data
        data += chunk


def check(data, body):
    head, _, rest = data.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0]
    if not status.startswith(b"HTTP/1.1 200 "):
        fail(f"unexpected status line {status!r}")
    if rest != body:
        fail(f"body differs from the file ({len(rest)} bytes received, {len(body)} expected)")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def one_run(mode, path, target, body, command):
    if os.path.lexists(path):
        os.unlink(path)
    deadline = time.monotonic() + DEADLINE_S
    spawned = time.monotonic()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        sock, connected = connect(path, deadline)
        with sock:
            sock.sendall(f"GET /{target} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            first, data = read_response(sock, deadline)
        if first is None:
            fail("the server closed without answering")
        check(data, body)
        return (first - (connected if mode == "connect" else spawned)) * 1000
    finally:
        stop(process)


def main():
    if len(sys.argv) < 7 or sys.argv[1] not in ("connect", "spawn") or sys.argv[5] != "--":
        fail("usage: coldstart.py connect|spawn SOCKET FILE RUNS -- CMD...")
    mode, path, file, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    command = sys.argv[6:]
    with open(file, "rb") as handle:
        body = handle.read()
    target = os.path.basename(file)
    one_run(mode, path, target, body, command)
    times = []
    for run in range(1, runs + 1):
        times.append(one_run(mode, path, target, body, command))
        print(f"run {run} ms {times[-1]:.3f}")
    print(f"median_ms={statistics.median(times):.3f} runs={runs}")


main()
