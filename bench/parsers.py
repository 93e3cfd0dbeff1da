#!/usr/bin/env python3
"""Every parser on hostile sizes: 10 MB of output in its own shape, and single lines of growing length
(16 KB to 1 MB) in several shapes, each after the parser's own real first lines so that the line reaches
the state where the parser reads it. Then the whole diagnosis with such a line in each device answer.

    python bench/parsers.py [--out FILE] [--quick]

A line that takes more than 8 times as long at 4 times the length is reported as superlinear, and
longer lines of that shape are not tried (a quadratic parser would not finish on 1 MB). Nothing here
asserts a time: the figures go to FILE (JSON) and stdout.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devdoctor.sources.fixture import Entry, Fixture, load  # noqa: E402
from devdoctor.sources.replay import Replayer

SAMPLE = ROOT / "fixtures" / "healthy-a9-panel.json"
SHAPES = {"letters": "a", "words": "ab ", "pairs": "a=", "digits": "9", "blanks": " ", "colons": "a:",
          "brackets": "[a", "commas": "a,", "mixed": "Ab9=:, [](){}/.-_\t"}
LINE_SIZES = (16_000, 64_000, 256_000, 1_000_000)


def parsers() -> dict[str, tuple[Callable[[str], object], str]]:
    """name -> (parse(text), the command whose recorded answer is its sample)."""
    from devdoctor.parsers import (activity, appops, camera, connectivity, deviceidle, dumpsys_package, getprop, logcat,
                                   net, pm_list, ps, queries, standby)
    from devdoctor.parsers.capture import detect_kind, read_capture

    return {
        "getprop": (getprop.parse_getprop, "getprop"),
        "dumpsys_package": (dumpsys_package.parse_dumpsys_package, "dumpsys package com.tencent.wmpf"),
        "ps": (ps.parse_ps, "ps -A"),
        "pm_list": (pm_list.parse_pm_list, "pm list packages"),
        "pm_path": (pm_list.parse_pm_path, "pm path com.tencent.wmpf"),
        "appops": (appops.parse_appops_get, "cmd appops get com.tencent.wmpf"),
        "dumpsys_appops": (appops.parse_dumpsys_appops, "cmd appops get com.tencent.wmpf"),
        "activity_services": (activity.parse_services, "dumpsys activity services com.tencent.wmpf"),
        "activity_processes": (activity.parse_processes, "dumpsys activity services com.tencent.wmpf"),
        "providers": (activity.parse_provider_authorities, "dumpsys package providers"),
        "connectivity": (connectivity.parse_dumpsys_connectivity, "dumpsys connectivity"),
        "wifi_info": (connectivity.parse_wifi_info, "dumpsys connectivity"),
        "deviceidle": (deviceidle.parse_deviceidle, "dumpsys deviceidle whitelist"),
        "logcat": (logcat.parse_logcat, "logcat -d -v threadtime -t 5000"),
        "ip": (net.parse_ip, "ip -4 addr show"),
        "ifconfig": (net.parse_ifconfig, "ip -4 addr show"),
        "ping": (net.parse_ping, "ping -c 2 -W 2 -n api.weixin.qq.com"),
        "dns_lookup": (net.parse_dns_lookup, "ping -c 2 -W 2 -n api.weixin.qq.com"),
        "epoch": (net.parse_epoch, "date +%s"),
        "camera": (camera.parse_camera_dump, "dumpsys media.camera"),
        "usb_video": (camera.parse_usb_video, "dumpsys media.camera"),
        "queries": (queries.parse_queries, "dumpsys package providers"),
        "standby": (standby.parse_standby_bucket, "am get-standby-bucket com.tencent.wmpf"),
        "capture_kind": (lambda text: detect_kind(read_capture(text.encode("utf-8", "replace"))), "getprop"),
    }


def answers(fx: Fixture) -> dict[str, str]:
    return {e.command: e.stdout.decode("utf-8", "replace") for e in fx.entries}


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench_parser(parse: Callable[[str], object], sample: str, quick: bool) -> dict:
    head = "\n".join(sample.splitlines()[:40]) + "\n"
    out: dict = {}
    big = (sample or "x\n") * (10_000_000 // max(1, len(sample)) + 1)
    out["10MB_s"] = round(timed(lambda: parse(big[:10_000_000])), 3)
    superlinear = []
    for shape, unit in SHAPES.items():
        previous = None
        for size in LINE_SIZES[:2] if quick else LINE_SIZES:
            line = (unit * (size // len(unit) + 1))[:size]
            t = timed(lambda: parse(head + "    " + line + "\n" + sample))
            out[f"line_{size // 1000}k_{shape}_s"] = round(t, 4)
            if previous is not None and t > 0.05 and t > 8 * previous:
                superlinear.append(f"{shape}@{size // 1000}k")
                break
            previous = t
    out["superlinear"] = superlinear
    return out


def bench_diagnosis(fx: Fixture, quick: bool) -> dict:
    """The whole set of checks, with a long line of each shape added to every command's answer in turn."""
    from devdoctor.check import Settings
    from devdoctor.core.diagnose import select_checks
    from devdoctor.core.plugins import load as load_checks
    from devdoctor.core.runner import run_checks

    checks = select_checks(load_checks(), [], [])
    size = 64_000 if quick else 1_000_000
    worst = {"seconds": 0.0}
    for i, target in enumerate(fx.entries):
        for shape, unit in SHAPES.items():
            line = (unit * (size // len(unit) + 1))[:size].encode()
            entries = [Entry(e.command, e.stdout + line + b"\n" if j == i else e.stdout, e.stderr, e.exit_code,
                             0.0, e.outcome) for j, e in enumerate(fx.entries)]
            device = Replayer(Fixture(fx.device, entries, fx.files), "hostile")
            t = timed(lambda: run_checks(device, checks, Settings(fingerprint_cache=False), timeout=600))
            if t > worst["seconds"]:
                worst = {"seconds": round(t, 3), "command": target.command, "shape": shape}
    return {"line_bytes": size, "slowest": worst}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--quick", action="store_true", help="lines up to 64 KB only")
    args = ap.parse_args()
    fx = load(SAMPLE)
    texts = answers(fx)
    results = {}
    for name, (parse, command) in parsers().items():
        results[name] = bench_parser(parse, texts.get(command, ""), args.quick)
        print(f"{name:<20} 10MB {results[name]['10MB_s']:>7.3f} s   superlinear: "
              f"{', '.join(results[name]['superlinear']) or 'none'}", flush=True)
    diagnosis = bench_diagnosis(fx, args.quick)
    print(f"diagnosis with a {diagnosis['line_bytes']:,}-byte line in one answer: slowest "
          f"{diagnosis['slowest']}", flush=True)
    doc = {"machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
           "superlinear": sorted(f"{n}:{s}" for n, r in results.items() for s in r["superlinear"]),
           "diagnosis": diagnosis, "parsers": results}
    if args.out:
        args.out.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
