#!/usr/bin/env python3
"""Benchmarks/compare.sh's report: its results.tsv and extras.tsv as three markdown tables.

    tables.py RESULTS.tsv EXTRAS.tsv CPUS

1. One serving thread (sidecar-1, nginx, lighttpd): server CPU µs per response for W1-W3, ms
   per GB for W4/W4z, the sidecar's ratios to each peer and to the better of the two, and the
   throughput (req/s; GB/s for W4/W4z). Medians over the runs.
2. The defaults (sidecar: one loop per CPU; nginx-auto: worker_processes auto), W1-W3.
3. The extras.tsv figures per peer, with the sidecar's ratios.
A ratio below 1 means the sidecar needs less than the peer.
"""
import csv
import statistics
import sys
from collections import defaultdict

WORKLOADS = {
    "W1": "W1 1 KiB",
    "W2": "W2 64 KiB",
    "W3": "W3 64 KiB ranges of 256 MiB",
    "W4": "W4 1 GiB, recv reader (ms/GB)",
    "W4z": "W4z 1 GiB, splice reader (ms/GB)",
}

EXTRAS = [
    ("instructions", "W1 user instructions per request (callgrind)", 0),
    ("syscalls_W1", "W1 syscalls per request (strace -c, 4 connections)", 2),
    ("syscalls_W3", "W3 syscalls per request (strace -c, 4 connections)", 2),
    ("coldstart", "cold start, first byte of 1 KiB, ms (sidecar: static build, activated)", 1),
    ("coldstart_dynamic", "cold start, ms (sidecar: dynamic build, activated)", 1),
    ("rss_w1", "peak RSS under W1, 32 connections, MiB (serving process)", 1),
    ("rss_w1_all", "peak RSS under W1, 32 connections, MiB (all processes)", 1),
    ("rss_1000", "peak RSS at 1,000 connections, MiB (serving process)", 1),
    ("rss_1000_all", "peak RSS at 1,000 connections, MiB (all processes)", 1),
    ("size", "stripped binary, MB (sidecar: static build)", 1),
    ("size_dynamic", "stripped binary, MB (sidecar: dynamic build)", 1),
]


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def median(values):
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def cell(value, digits=1):
    if value is None:
        return "–"
    if digits == 0 or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def ratio(mine, theirs):
    return f"{mine / theirs:.2f}" if mine is not None and theirs else "–"


def per_request(row, workload):
    """Server CPU µs per response, or ms per GB moved for the 1 GiB workloads."""
    if not workload.startswith("W4"):
        return number(row["srv_us_req"])
    mbps, cpu, secs = number(row["mbps"]), number(row["srv_cpu_s"]), number(row["secs"])
    return cpu * 1000 / (mbps * secs / 1000) if mbps and cpu is not None and secs else None


def throughput(row, workload):
    """req/s, or GB/s for the 1 GiB workloads."""
    if workload.startswith("W4"):
        mbps = number(row["mbps"])
        return mbps / 1000 if mbps is not None else None
    return number(row["rps"])


class Results:
    """results.tsv: medians per peer and workload, gate outcomes, errors and background CPU."""

    def __init__(self, path):
        self.rows = defaultdict(list)
        self.gates = defaultdict(list)
        self.runs = set()
        with open(path) as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["workload"] in ("check", "start"):
                    self.gates[row["peer"]].append(row["note"])
                    continue
                self.runs.add(row["run"])
                self.rows[(row["peer"], row["workload"])].append(row)

    def cost(self, peer, workload):
        return median([per_request(r, workload) for r in self.rows[(peer, workload)]])

    def rate(self, peer, workload):
        return median([throughput(r, workload) for r in self.rows[(peer, workload)]])

    def errors(self, peer, workload):
        rows = self.rows[(peer, workload)]
        return cell(sum(number(r["errors"]) or 0 for r in rows), 0) if rows else "–"

    def background(self, workload, peers):
        values = [number(r["other_cpu_s"]) for p in peers for r in self.rows[(p, workload)]]
        present = [value for value in values if value is not None]
        return cell(max(present), 2) if present else "–"

    def workloads(self, peers, allowed):
        return [w for w in WORKLOADS if w in allowed and any((p, w) in self.rows for p in peers)]


def single_thread_table(results):
    peers = ["sidecar-1", "nginx", "lighttpd"]
    workloads = results.workloads(peers, WORKLOADS)
    if not workloads:
        return
    print("### One serving thread: sidecar --threads 1, nginx worker_processes 1, lighttpd\n")
    print("| workload | sidecar µs/req | nginx µs/req | lighttpd µs/req | sidecar/nginx "
          "| sidecar/lighttpd | sidecar/best | sidecar req/s | nginx req/s | lighttpd req/s "
          "| errors s/n/l | bg CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for w in workloads:
        mine, nginx, lighttpd = (results.cost(p, w) for p in peers)
        best = min((v for v in (nginx, lighttpd) if v), default=None)
        digits = 0 if w.startswith("W4") else 2
        rates = " | ".join(cell(results.rate(p, w), 2 if w.startswith("W4") else 0) for p in peers)
        errors = "/".join(results.errors(p, w) for p in peers)
        print(f"| {WORKLOADS[w]} | {cell(mine, digits)} | {cell(nginx, digits)} "
              f"| {cell(lighttpd, digits)} | {ratio(mine, nginx)} | {ratio(mine, lighttpd)} "
              f"| {ratio(mine, best)} | {rates} | {errors} | {results.background(w, peers)} |")
    print()
    if any(w.startswith("W4") for w in workloads):
        print("W4 rows: server CPU ms per GB sent and GB/s instead of µs/req and req/s.\n")


def defaults_table(results, cpus):
    peers = ["sidecar", "nginx-auto"]
    workloads = results.workloads(peers, ("W1", "W2", "W3"))
    if not workloads:
        return
    print(f"### Defaults: sidecar one loop per CPU, nginx worker_processes auto ({cpus} CPUs)\n")
    print("| workload | sidecar µs/req | nginx µs/req | sidecar/nginx | sidecar req/s "
          "| nginx req/s | errors s/n | bg CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for w in workloads:
        mine, nginx = (results.cost(p, w) for p in peers)
        print(f"| {WORKLOADS[w]} | {cell(mine, 2)} | {cell(nginx, 2)} | {ratio(mine, nginx)} "
              f"| {cell(results.rate(peers[0], w), 0)} | {cell(results.rate(peers[1], w), 0)} "
              f"| {'/'.join(results.errors(p, w) for p in peers)} "
              f"| {results.background(w, peers)} |")
    print()


def extras_table(path):
    values = {}
    with open(path) as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            peer = "sidecar" if row["peer"].startswith("sidecar") else row["peer"]
            values[(row["metric"], peer)] = number(row["value"])
    metrics = [m for m in EXTRAS if any(key[0] == m[0] for key in values)]
    if not metrics:
        return
    print("### Instructions, syscalls, cold start, memory, size\n")
    print("| measure | sidecar | nginx | lighttpd | sidecar/nginx | sidecar/lighttpd |")
    print("|---|---:|---:|---:|---:|---:|")
    for metric, title, digits in metrics:
        scale = 1e6 if metric.startswith("size") else 1
        mine, nginx, lighttpd = (
            None if values.get((metric, p)) is None else values[(metric, p)] / scale
            for p in ("sidecar", "nginx", "lighttpd"))
        if metric == "coldstart_dynamic":
            nginx, lighttpd = (values.get(("coldstart", p)) for p in ("nginx", "lighttpd"))
        print(f"| {title} | {cell(mine, digits)} | {cell(nginx, digits)} "
              f"| {cell(lighttpd, digits)} | {ratio(mine, nginx)} | {ratio(mine, lighttpd)} |")
    print()
    if any(m[0] == "coldstart" for m in metrics):
        print("Cold start: the sidecar from the connection that makes systemd-socket-activate "
              "exec it; nginx and\nlighttpd from their own exec (they bind the socket "
              "themselves).")
    if any(m[0].startswith("rss") for m in metrics):
        print("Peak RSS is VmHWM; the serving process of nginx is its worker, the sum adds the "
              "master (their\nshared pages count twice).")
    print()


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: tables.py RESULTS.tsv EXTRAS.tsv CPUS")
    results = Results(sys.argv[1])
    gates = ", ".join(f"{peer} {'/'.join(notes)}" for peer, notes in results.gates.items())
    print(f"Correctness gate (byte-exact bodies, pipelined; exact 206 ranges): {gates or '–'}\n")
    if results.runs:
        print(f"CPU figures are medians of {len(results.runs)} run(s); server CPU per response "
              "is the fair figure on a shared\nmachine.")
    print("A ratio below 1 means the sidecar needs less than the peer.\n")
    single_thread_table(results)
    defaults_table(results, sys.argv[3])
    extras_table(sys.argv[2])


main()
