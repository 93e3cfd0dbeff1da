"""How fast a large bugreport is indexed and diagnosed, and how much memory that takes.

    python bench/bench_bugreport.py [--mb 100] [--zip]

Builds a synthetic bugreport of about --mb megabytes in dumpstate's layout (tests/synthetic_bugreport.py:
a long SYSTEM LOG, many services, the sections the checks read), then measures
  1. index_bugreport over the text file (one pass, offsets only),
  2. open_bugreport on it (as a .zip with --zip: includes copying the member out),
  3. the built-in checks through the bugreport device,
with the peak of Python allocations (tracemalloc) for 1 and 2. Prints one line per measure.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import synthetic_bugreport as sb  # noqa: E402

from devdoctor.sources.bugreport import open_bugreport, target_header  # noqa: E402
from devdoctor.check import Settings  # noqa: E402
from devdoctor.core.diagnose import Target, diagnose, select_checks  # noqa: E402
from devdoctor.parsers.bugreport import index_bugreport  # noqa: E402
from devdoctor.core.plugins import load  # noqa: E402

PS = ("LABEL                          USER           PID   TID  PPID     VSZ    RSS WCHAN            ADDR S PRI  NI "
      "RTPRIO SCH PCY     TIME CMD            \n"
      + "".join(f"u:r:untrusted_app:s0:c512,c768 u0_a{i:<3}       {3000 + i:>4}  {3000 + i:>4}   610 4200000 90000 "
                f"SyS_epoll_wait      0 S  20   0      -   0  fg 00:00:09 com.vendor.app{i}\n" for i in range(300)))
LOG_LINE = "05-01 09:{m:02d}:{s:02d}.{ms:03d} 10123  4242  4250 I ActivityManager: line {n} of a busy device log\n"


def write_bugreport(path: Path, megabytes: int) -> int:
    """Write a bugreport of about `megabytes` MB to `path`; returns its size in bytes."""
    wmpf = sb.package_block("com.tencent.wmpf", "2.2.0", 9020017, "/data/app/com.tencent.wmpf-1")
    others = [sb.package_block(f"com.vendor.app{i}", "1.0", i, f"/system/app/App{i}") for i in range(300)]
    props = {"ro.build.version.sdk": "29", "ro.build.version.release": "10", "ro.product.model": "Bench",
             "ro.product.manufacturer": "ACME", "ro.product.cpu.abilist": "arm64-v8a", "sys.boot_completed": "1"}
    services = [("package", sb.package_dump(others + [wmpf])),
                ("activity", "ACTIVITY MANAGER SERVICES (dumpsys activity services)\n  (nothing)\n"),
                ("appops", "Current AppOps Service state:\n  Uid u0a123:\n    Package com.tencent.wmpf:\n"
                           "      RUN_IN_BACKGROUND (allow):\n"),
                ("deviceidle", "  Whitelist user apps:\n    com.tencent.wmpf\n")]
    services += [(f"vendor.service{i}", "  state=idle\n" * 40) for i in range(400)]
    log_target = megabytes * 1_000_000 - 2_000_000
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(sb.HEADER.format(taken_at="2024-05-01 10:00:00", build="QP1A.191005.007.A3", serial="BENCH0001",
                                 fingerprint="acme/bench/bench:10/QP1A.191005.007.A3/42:user/release-keys"))
        f.write("------ SYSTEM LOG (logcat -v threadtime -v printable -v uid -d *:v) ------\n")
        written, n = 0, 0
        while written < log_target:
            chunk = "".join(LOG_LINE.format(m=(k // 60000) % 60, s=(k // 1000) % 60, ms=k % 1000, n=k)
                            for k in range(n, n + 10000))
            f.write(chunk)
            written += len(chunk)
            n += 10000
        f.write("------ 1.000s was the duration of 'SYSTEM LOG' ------\n")
        f.write(sb.section("PROCESSES AND THREADS", "ps -A -T -Z -O pri,nice,rtprio,sched,pcy,time", PS))
        f.write(sb.section("SYSTEM PROPERTIES", "getprop", sb.getprop_text(props)))
        f.write(sb.dumpsys(services))
        f.write("------ 99.000s was the duration of 'DUMPSTATE' ------\n")
    return path.stat().st_size


def measure(label: str, fn):
    tracemalloc.start()
    t = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<38} {elapsed:7.3f} s   peak Python memory {peak / 1e6:7.1f} MB")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--zip", action="store_true", help="also measure reading it from a .zip")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        text = Path(d) / "bugreport-bench.txt"
        size = write_bugreport(text, args.mb)
        print(f"synthetic bugreport: {size / 1e6:.1f} MB")
        with open(text, "rb") as f:
            ix = measure("index_bugreport (text)", lambda: index_bugreport(f))
        print(f"  {len(ix.sections)} sections, {len(ix.services)} services")
        device = measure("open_bugreport (text)", lambda: open_bugreport(text))
        if args.zip:
            z = Path(d) / "bugreport-bench.zip"
            with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(text, text.name)
            print(f"zip: {z.stat().st_size / 1e6:.1f} MB")
            device.close()
            device = measure("open_bugreport (zip)", lambda: open_bugreport(z))
        checks = select_checks(load(), [], [])
        t = time.perf_counter()
        report = diagnose(Target(device, target_header(device), text.name), checks, Settings(), 60.0)
        print(f"{'all checks (' + str(len(checks)) + ')':<38} {time.perf_counter() - t:7.3f} s   "
              + ", ".join(f"{r.id}={r.status.value}" for r in report.results))
        device.close()


if __name__ == "__main__":
    main()
