#!/usr/bin/env python3
"""devdoctor's speed, measured side by side in one run, against simulated devices behind the real
adb server (a private one on a free port: a technician's adb is never touched).

    python bench/run.py [--out FILE] [--latency-ms 10] [--rate-mb-s 35] [--fleet 1,8,16,48] [--repeat 5]

It measures, on the same machine in the same minutes (every figure the median of --repeat runs, with
its min and max beside it in `spread`):
  run      `devdoctor run` on one device (cold: an empty cache) of the bundled healthy-a9-panel
  slowest  the slowest single command of that run, alone, with `adb -s SERIAL shell`
  serial   every command of that run one after another with `adb -s SERIAL shell` (a shell script)
  warm     a second `devdoctor run` on the same device (the cache filled by the first)
  fleet N  `devdoctor run --all` with N devices attached; devdoctor's own CPU (user + system) in the
           48-device run, and the CPU of the simulated devices and of the adb server beside it
  startup  `devdoctor --help` against `python -c "import typer, rich"`
  large    a real-sized device (tools/large_device.py: a 45 MB multidex maker's app, a 150 MB WMPF APK)
           at --rate-mb-s: a cold and a warm run, its slowest probe, and the bytes read of the APKs
  bugreport `run --bugreport` on a ~100 MB bugreport in a .zip, against one plain zipfile read of it
and writes the ratios at the top level of FILE (run_over_slowest, run_over_serial, fleet48_over_one,
startup_over_imports, large_run_over_slowest, apk_read_fraction, large_warm_over_cold,
cpu_ms_per_device_48, bugreport_over_read, peak memory), with every raw figure beside them.
Each round trip pays --latency-ms, like a USB link; the devices answer with the recorded per-command
device times.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tools"))

from devdoctor.sources.fixture import load  # noqa: E402
from devdoctor.simulator.server import SimulatedDevice  # noqa: E402
from measure import measure, med, ratio, slowest_command, spread  # noqa: E402

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
        # In the foreground, as our child: its CPU can be read, and it ends with us.
        self.process = subprocess.Popen([self.adb, "-P", str(self.port), "nodaemon", "server"], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the adb server did not start")

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
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Bench:
    dd: list[str]
    server: AdbServer
    cache: Path
    repeat: int
    figures: dict = field(default_factory=dict)
    spreads: dict = field(default_factory=dict)

    @property
    def env(self) -> dict:
        return dict(self.server.env, DEVDOCTOR_CACHE_DIR=str(self.cache))

    def empty_cache(self) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)
        self.cache.mkdir()

    def keep(self, name: str, values: list[float], digits: int = 3) -> float | None:
        """The median of `values` as figure `name`, its spread beside it."""
        self.spreads[name] = spread(values, digits)
        self.figures[name] = round(med(values), digits) if values else None
        return med(values)

    def run(self, name: str, argv: list[str], before=None, repeat: int | None = None) -> "object":
        runs = measure(argv, self.env, repeat or self.repeat, before, self.server.process.pid)
        self.keep(name, runs.wall)
        return runs


def one_device(b: Bench, device: SimulatedDevice) -> None:
    serial = device.serial
    print("one device, cold and warm…", file=sys.stderr)
    cold = b.run("run_s", [*b.dd, "run", "--serial", serial, "--json"], b.empty_cache)
    if cold.rc not in (0, 1):
        raise RuntimeError(f"devdoctor run failed ({cold.rc})")
    b.figures["round_trips"] = json.loads(cold.stdout)["devices"][0]["round_trips"]
    b.run("warm_run_s", [*b.dd, "run", "--serial", serial, "--json"])
    print("the same commands by hand…", file=sys.stderr)
    b.empty_cache()
    slowest, entries = slowest_command(b.dd, b.env, serial, b.cache.parent)
    b.figures["slowest_command"] = slowest
    b.run("slowest_command_s", [b.server.adb, "-s", serial, "shell", slowest])
    script = b.cache.parent / "serial.sh"
    script.write_text("".join(f"{shlex.quote(b.server.adb)} -s {serial} shell {shlex.quote(e.command)} >/dev/null\n"
                              for e in entries))
    b.run("serial_script_s", ["sh", str(script)])
    b.figures["commands"] = len(entries)


def fleets(b: Bench, devices: list[SimulatedDevice], sizes: list[int]) -> None:
    for n in sizes:
        print(f"--all on {n} devices…", file=sys.stderr)
        b.server.attach(devices[:n])
        runs = b.run(f"fleet{n}_s", [*b.dd, "run", "--all", "--json"], b.empty_cache)
        if len(json.loads(runs.stdout)["devices"]) != n:
            raise RuntimeError(f"--all did not see {n} devices")
        if n == max(sizes):
            b.keep(f"cpu_ms_per_device_{n}", [c * 1000 / n for c in runs.cpu], 2)
            b.keep(f"simulator_cpu_s_{n}", runs.sim_cpu)
            b.keep(f"adb_server_cpu_s_{n}", runs.adb_cpu)
            b.keep(f"devdoctor_cpu_s_{n}", runs.cpu)
            b.keep(f"peak_rss_mb_{n}", runs.rss_mb, 1)
    for d in devices[1:]:
        b.server.call("disconnect", d.serial, check=False)


def startup(b: Bench) -> None:
    """`--help` against the bare imports, taken in turns (each about 0.1 s: a minute of drift in the machine's
    load would otherwise fall on one of the two), 15 times each at least."""
    print("start-up…", file=sys.stderr)
    help_s, imports_s = [], []
    for _ in range(max(15, b.repeat)):
        help_s += measure([*b.dd, "--help"], b.env, 1).wall
        imports_s += measure([sys.executable, "-c", "import typer, rich"], b.env, 1).wall
    b.keep("help_s", help_s)
    b.keep("imports_s", imports_s)


def large_device(b: Bench, latency: float, rate: float) -> None:
    """A cold and a warm run on a real-sized device, its slowest probe, and the share of the APKs read."""
    import large_device as generator

    print("a real-sized device (generating its APKs)…", file=sys.stderr)
    fx = generator.large_device()
    sizes = {f.path: len(f.content) for f in generator.apk_files(fx)}
    dev = SimulatedDevice(fx, "large-device", latency=latency, rate_mb_s=rate).start()
    try:
        b.server.attach([dev])
        fractions: list[float] = []

        def cold_start() -> None:
            b.empty_cache()
            if dev.bytes_read:
                fractions.append(sum(dev.bytes_read.get(p, 0) for p in sizes) / sum(sizes.values()))
                b.figures["large_apk_read_mb"] = {p.rsplit("/", 2)[-2]: round(dev.bytes_read.get(p, 0) / 2**20, 2)
                                                  for p in sizes}
            dev.shell.bytes_read.clear()

        cold = b.run("large_run_s", [*b.dd, "run", "--serial", dev.serial, "--json"], cold_start)
        cold_start()  # the last run's bytes
        b.keep("apk_read_fraction", fractions, 4)
        b.figures["large_apk_sizes_mb"] = {p.rsplit("/", 2)[-2]: round(n / 2**20, 1) for p, n in sizes.items()}
        checks = json.loads(cold.stdout)["devices"][0]["checks"]
        b.figures["large_version_match"] = next(c["summary"] for c in checks if c["id"] == "wmpf-version-match")
        b.run("large_warm_run_s", [*b.dd, "run", "--serial", dev.serial, "--json"])
        b.empty_cache()
        slowest, _ = slowest_command(b.dd, b.env, dev.serial, b.cache.parent)
        b.run("large_slowest_command_s", [b.server.adb, "-s", dev.serial, "shell", slowest])
    finally:
        b.server.call("disconnect", dev.serial, check=False)
        dev.stop()


def bugreport(b: Bench, megabytes: int) -> None:
    """`run --bugreport` on a zipped bugreport against one plain read of its main entry."""
    import zipfile

    sys.path.insert(0, str(ROOT / "tests"))
    from bench_bugreport import write_bugreport

    print(f"a {megabytes} MB bugreport…", file=sys.stderr)
    text = b.cache.parent / "bugreport-bench.txt"
    b.figures["bugreport_mb"] = round(write_bugreport(text, megabytes) / 1e6, 1)
    zipped = b.cache.parent / "bugreport-bench.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(text, text.name)
    text.unlink()
    b.figures["bugreport_zip_mb"] = round(zipped.stat().st_size / 1e6, 1)
    read = (f"import zipfile\nwith zipfile.ZipFile({str(zipped)!r}) as z, z.open({text.name!r}) as f:\n"
            "    while f.read(1 << 20): pass\n")
    b.run("bugreport_read_s", [sys.executable, "-c", read])
    runs = b.run("bugreport_run_s", [*b.dd, "run", "--bugreport", str(zipped), "--json"])
    b.keep("bugreport_peak_rss_mb", runs.rss_mb, 1)
    zipped.unlink()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="write the figures here as JSON")
    ap.add_argument("--latency-ms", type=float, default=10.0, help="delay per round trip, like a USB link")
    ap.add_argument("--rate-mb-s", type=float, default=35.0, help="the USB link's bandwidth")
    ap.add_argument("--fixture", type=Path, default=DEFAULT_FIXTURE, help="the recording each device answers from")
    ap.add_argument("--fleet", default="1,8,16,48", help="fleet sizes to time with --all")
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure (the median is kept)")
    ap.add_argument("--bugreport-mb", type=int, default=100)
    args = ap.parse_args()
    sizes = sorted({int(n) for n in args.fleet.split(",")})
    load(args.fixture)  # a damaged fixture stops here, with its own message
    work = Path(tempfile.mkdtemp(prefix="devdoctor-bench-"))
    server = AdbServer()
    b = Bench(devdoctor_argv(), server, work / "cache", args.repeat)
    b.empty_cache()
    latency = args.latency_ms / 1000
    devices = [SimulatedDevice.from_file(args.fixture, latency=latency, rate_mb_s=args.rate_mb_s)
               for _ in range(max(sizes))]
    for d in devices:
        d.start()
    try:
        server.attach(devices[:1])
        one_device(b, devices[0])
        fleets(b, devices, sizes)
        startup(b)
    finally:
        for d in devices:
            d.stop()
    try:
        large_device(b, latency, args.rate_mb_s)
        bugreport(b, args.bugreport_mb)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    f = b.figures
    biggest = max(sizes)
    result = {
        "run_over_slowest": ratio(f["run_s"], f["slowest_command_s"]),
        "run_over_serial": ratio(f["run_s"], f["serial_script_s"]),
        "fleet48_over_one": ratio(f.get("fleet48_s"), f.get("fleet1_s")),
        "warm_over_cold": ratio(f["warm_run_s"], f["run_s"]),
        "startup_over_imports": ratio(f["help_s"], f["imports_s"]),
        "large_run_over_slowest": ratio(f["large_run_s"], f["large_slowest_command_s"]),
        "apk_read_fraction": f.get("apk_read_fraction"),
        "large_warm_over_cold": ratio(f["large_warm_run_s"], f["large_run_s"]),
        "cpu_ms_per_device_48": f.get("cpu_ms_per_device_48"),
        "simulator_cpu_s_48": f.get("simulator_cpu_s_48"),
        "adb_server_cpu_s_48": f.get("adb_server_cpu_s_48"),
        "bugreport_over_read": ratio(f["bugreport_run_s"], f["bugreport_read_s"]),
        "bugreport_peak_rss_mb": f.get("bugreport_peak_rss_mb"),
        "peak_rss_mb_48": f.get(f"peak_rss_mb_{biggest}"),
        "figures": f,
        "spread": b.spreads,
        "settings": {"latency_ms": args.latency_ms, "rate_mb_s": args.rate_mb_s, "fixture": args.fixture.name,
                     "repeat": args.repeat, "fleet": sizes, "bugreport_mb": args.bugreport_mb},
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count(), "when": time.strftime("%Y-%m-%d %H:%M", time.gmtime())},
    }
    for k, v in result.items():
        if not isinstance(v, dict):
            print(f"{k:<24} {v}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
