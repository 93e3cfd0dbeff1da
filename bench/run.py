#!/usr/bin/env python3
"""devdoctor's speed, measured side by side in one run, against simulated devices behind the real
adb server (a private one on a free port: a technician's adb is never touched).

    python bench/run.py [--out FILE] [--latency-ms 10] [--fixture NAME] [--fleet 1,8,16,48] [--repeat 3]

It measures, on the same machine in the same minute:
  run      `devdoctor run` on one device (cold: an empty cache)
  slowest  the slowest single command of that run, alone, with `adb -s SERIAL shell`
  serial   every command of that run one after another with `adb -s SERIAL shell` (a shell script,
           generated from the recording of the run: what a technician or a script does by hand)
  warm     a second `devdoctor run` on the same device (the cache filled by the first)
  fleet N  `devdoctor run --all` with N devices attached
  startup  `devdoctor --help` against `python -c "import typer, rich"`
and writes the ratios (run_over_slowest, run_over_serial, fleet48_over_one, warm_over_cold,
startup_over_imports) and peak_rss_mb_48 at the top level of FILE, with every raw figure beside them.
The devices answer with the recorded per-command device times; each round trip also pays
--latency-ms, like a USB link.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devdoctor.sources.fixture import load  # noqa: E402
from devdoctor.simulator.server import SimulatedDevice  # noqa: E402

DEFAULT_FIXTURE = ROOT / "fixtures" / "healthy-a9-panel.json"


def devdoctor_argv() -> list[str]:
    script = Path(sys.executable).parent / ("devdoctor.exe" if os.name == "nt" else "devdoctor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "devdoctor"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AdbServer:
    """A private adb server; every call goes to it through ANDROID_ADB_SERVER_PORT."""

    def __init__(self) -> None:
        self.adb = shutil.which("adb")
        if not self.adb:
            sys.exit("bench: adb is not installed (Debian: apt install adb)")
        self.port = free_port()
        self.env = dict(os.environ, ANDROID_ADB_SERVER_PORT=str(self.port), NO_COLOR="1")
        self.call("start-server")

    def call(self, *args: str, check: bool = True) -> str:
        r = subprocess.run([self.adb, *args], capture_output=True, text=True, env=self.env, timeout=60)
        if check and r.returncode != 0:
            raise RuntimeError(f"adb {' '.join(args)}: {r.stderr or r.stdout}")
        return r.stdout

    def attach(self, devices: list[SimulatedDevice]) -> None:
        for d in devices:
            self.call("connect", f"127.0.0.1:{d.port}")
        want = {f"127.0.0.1:{d.port}" for d in devices}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            listed = {ln.split("\t")[0] for ln in self.call("devices").splitlines()[1:] if ln.endswith("\tdevice")}
            if want <= listed:
                return
            time.sleep(0.05)
        raise RuntimeError(f"adb did not attach {sorted(want - listed)}")

    def stop(self) -> None:
        self.call("kill-server", check=False)


def timed(argv: list[str], env: dict, repeat: int = 1, before=None) -> tuple[float, subprocess.CompletedProcess]:
    """The median wall time of `repeat` runs (`before()` runs untimed ahead of each)."""
    times, last = [], None
    for _ in range(repeat):
        if before:
            before()
        t0 = time.perf_counter()
        last = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), last


def peak_rss_mb(argv: list[str], env: dict) -> float | None:
    """Peak memory of one run of argv, from the OS's own account of the finished child."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
             "r = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
             "print(r / (1024 * 1024) if sys.platform == 'darwin' else r / 1024)")
    if os.name == "nt":
        return None  # no getrusage on Windows; the figure is left out rather than guessed
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, env=env, timeout=600)
    return round(float(out.stdout.strip()), 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="write the figures here as JSON")
    ap.add_argument("--latency-ms", type=float, default=10.0, help="delay per round trip, like a USB link")
    ap.add_argument("--fixture", type=Path, default=DEFAULT_FIXTURE, help="the recording each device answers from")
    ap.add_argument("--fleet", default="1,8,16,48", help="fleet sizes to time with --all")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is kept)")
    args = ap.parse_args()
    fleet_sizes = sorted({int(n) for n in args.fleet.split(",")})
    dd = devdoctor_argv()
    load(args.fixture)  # a damaged fixture stops here, with its own message
    cache = Path(tempfile.mkdtemp(prefix="devdoctor-bench-"))
    server = AdbServer()
    env = dict(server.env, DEVDOCTOR_CACHE_DIR=str(cache))
    devices = [SimulatedDevice.from_file(args.fixture, latency=args.latency_ms / 1000)
               for _ in range(max(fleet_sizes))]
    for d in devices:
        d.start()
    figures: dict[str, float | None] = {}
    try:
        server.attach(devices[:1])
        serial = f"127.0.0.1:{devices[0].port}"

        def empty_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir()

        print("one device, cold and warm…", file=sys.stderr)
        figures["run_s"], r = timed([*dd, "run", "--serial", serial, "--json"], env, args.repeat, empty_cache)
        if r.returncode not in (0, 1):
            raise RuntimeError(f"devdoctor run failed ({r.returncode}): {r.stderr[-500:]}")
        figures["warm_run_s"], _ = timed([*dd, "run", "--serial", serial, "--json"], env, args.repeat)

        print("the same commands by hand…", file=sys.stderr)
        recording = cache.parent / f"{cache.name}-recording.json"
        empty_cache()
        subprocess.run([*dd, "record", str(recording), "--serial", serial], capture_output=True, env=env, timeout=600)
        entries = [e for e in load(recording).entries if e.outcome == "ok"]
        recording.unlink()
        slowest = max(entries, key=lambda e: e.duration)
        figures["slowest_command_s"], _ = timed([server.adb, "-s", serial, "shell", slowest.command], env, args.repeat)
        script = cache.parent / f"{cache.name}-serial.sh"
        script.write_text("".join(f"{shlex.quote(server.adb)} -s {serial} shell {shlex.quote(e.command)} >/dev/null\n"
                                  for e in entries))
        figures["serial_script_s"], _ = timed(["sh", str(script)], env, 1)
        script.unlink()
        figures["commands"] = len(entries)
        figures["round_trips"] = json.loads(r.stdout)["devices"][0]["round_trips"]

        for n in fleet_sizes:
            print(f"--all on {n} devices…", file=sys.stderr)
            server.attach(devices[:n])
            figures[f"fleet{n}_s"], fr = timed([*dd, "run", "--all", "--json"], env, args.repeat, empty_cache)
            doc = json.loads(fr.stdout)
            if len(doc["devices"]) != n:
                raise RuntimeError(f"--all saw {len(doc['devices'])} devices, not {n}")
        figures["peak_rss_mb_48"] = peak_rss_mb([*dd, "run", "--all", "--json"], env) if 48 in fleet_sizes else None

        print("start-up…", file=sys.stderr)
        figures["help_s"], _ = timed([*dd, "--help"], env, 5)
        figures["imports_s"], _ = timed([sys.executable, "-c", "import typer, rich"], env, 5)
    finally:
        for d in devices:
            d.stop()
        server.stop()
        shutil.rmtree(cache, ignore_errors=True)

    def ratio(a: str, b: str) -> float | None:
        return round(figures[a] / figures[b], 3) if figures.get(a) and figures.get(b) else None

    result = {
        "run_over_slowest": ratio("run_s", "slowest_command_s"),
        "run_over_serial": ratio("run_s", "serial_script_s"),
        "fleet48_over_one": ratio("fleet48_s", "fleet1_s"),
        "warm_over_cold": ratio("warm_run_s", "run_s"),
        "startup_over_imports": ratio("help_s", "imports_s"),
        "peak_rss_mb_48": figures.get("peak_rss_mb_48"),
        "figures": {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()},
        "settings": {"latency_ms": args.latency_ms, "fixture": args.fixture.name, "repeat": args.repeat},
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count(), "when": time.strftime("%Y-%m-%d %H:%M", time.gmtime())},
    }
    for k, v in result.items():
        if not isinstance(v, dict):
            print(f"{k:<22} {v}")
    for k, v in result["figures"].items():
        print(f"  {k:<20} {v}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
