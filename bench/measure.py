"""Measuring one command several times: wall time, the command's own CPU and peak memory (from the OS's
account of the finished child, through a small wrapper process whose own start is not counted), and
the CPU the simulated devices (this process) and the adb server spent meanwhile."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from devdoctor.sources.fixture import load

WRAPPER = """import json, os, subprocess, sys, time
t0 = time.perf_counter()
r = subprocess.run(sys.argv[2:], capture_output=True, timeout=600)
wall = time.perf_counter() - t0
fig = {"wall": wall, "rc": r.returncode, "cpu": None, "rss_mb": None}
try:
    import resource
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    fig["cpu"] = u.ru_utime + u.ru_stime
    fig["rss_mb"] = u.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
except ImportError:
    pass  # Windows: no getrusage; CPU and memory are left out rather than guessed
open(sys.argv[1], "wb").write(r.stdout)
print(json.dumps(fig))
"""


@dataclass
class Runs:
    """Several runs of one command: wall seconds, the child's own CPU seconds (user + system) and peak
    memory, and what the simulator (this process) and the adb server spent beside it."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    sim_cpu: list[float] = field(default_factory=list)
    adb_cpu: list[float] = field(default_factory=list)
    stdout: bytes = b""
    rc: int = 0


def measure(argv: list[str], env: dict, repeat: int, before=None, adb_pid: int | None = None) -> Runs:
    """`repeat` runs of argv, each timed inside a small wrapper process (its own start not counted)."""
    runs = Runs()
    out = Path(tempfile.mkstemp(prefix="devdoctor-bench-out-")[1])
    try:
        for _ in range(repeat):
            if before:
                before()
            sim0, adb0 = time.process_time(), process_cpu(adb_pid)
            r = subprocess.run([sys.executable, "-c", WRAPPER, str(out), *argv], capture_output=True, text=True,
                               env=env, timeout=900)
            fig = json.loads(r.stdout)
            runs.wall.append(fig["wall"])
            runs.rc = fig["rc"]
            runs.stdout = out.read_bytes()
            runs.sim_cpu.append(time.process_time() - sim0)
            adb1 = process_cpu(adb_pid)
            if adb0 is not None and adb1 is not None:
                runs.adb_cpu.append(adb1 - adb0)
            if fig["cpu"] is not None:
                runs.cpu.append(fig["cpu"])
                runs.rss_mb.append(fig["rss_mb"])
    finally:
        out.unlink()
    return runs


def process_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of a running process (Linux /proc); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spread(values: list[float], digits: int = 3) -> dict | None:
    """median, min, max and the number of runs."""
    if not values:
        return None
    return {"median": round(statistics.median(values), digits), "min": round(min(values), digits),
            "max": round(max(values), digits), "n": len(values)}


def med(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def slowest_command(dd: list[str], env: dict, serial: str, where: Path) -> tuple[str, list]:
    """Record one run and return its slowest command, and every command that answered."""
    recording = where / "recording.json"
    subprocess.run([*dd, "record", str(recording), "--serial", serial], capture_output=True, env=env, timeout=600)
    entries = [e for e in load(recording).entries if e.outcome == "ok"]
    recording.unlink()
    return max(entries, key=lambda e: e.duration).command, entries
