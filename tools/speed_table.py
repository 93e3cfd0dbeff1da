#!/usr/bin/env python3
"""Write the README's speed table from the JSON of `python bench/run.py --out bench.json`.

    python tools/speed_table.py bench.json            # rewrite the table in README.md
    python tools/speed_table.py bench.json --print    # only print it

The table sits between two markers in README.md; everything else there is left as it is.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- speed table: tools/speed_table.py -->", "<!-- end of the speed table -->"

# (key, what it is, target, the figures it is made of: (numerator, denominator) in `figures`)
ROWS = [
    ("run_over_slowest", "run / slowest single command", "≤ 1.2", ("run_s", "slowest_command_s")),
    ("run_over_serial", "run / serial `adb shell` script", "≤ 0.2", ("run_s", "serial_script_s")),
    ("fleet48_over_one", "`--all` on 48 devices / on one", "≤ 2", ("fleet48_s", "fleet1_s")),
    ("startup_over_imports", "`--help` / bare imports", "≤ 1.3", ("help_s", "imports_s")),
    ("large_run_over_slowest", "real-sized device: cold run / slowest probe", "≤ 1.3",
     ("large_run_s", "large_slowest_command_s")),
    ("apk_read_fraction", "bytes read of the APKs / their size", "≤ 0.1", None),
    ("large_warm_over_cold", "real-sized device: warm run / cold run", "", ("large_warm_run_s", "large_run_s")),
    ("cpu_ms_per_device_48", "devdoctor's CPU per device, 48 devices (ms)", "≤ 15", None),
    ("bugreport_over_read", "`run --bugreport` / one zipfile read", "≤ 2", ("bugreport_run_s", "bugreport_read_s")),
    ("warm_over_cold", "warm run / cold run (small recording)", "", ("warm_run_s", "run_s")),
]


def _seconds(doc: dict, key: str) -> str:
    s = doc.get("spread", {}).get(key) or {}
    v = doc["figures"].get(key)
    if v is None:
        return "?"
    text = f"{v:.2f} s" if v >= 0.1 else f"{v * 1000:.0f} ms"
    if s.get("min") is not None:
        text += f" [{s['min']:.2f}–{s['max']:.2f}]"
    return text


def _cell(doc: dict, key: str, parts) -> str:
    v = doc.get(key)
    if v is None:
        return "–"
    spread = doc.get("spread", {}).get(key)
    text = f"{v:.3g}" + (f" [{spread['min']:.3g}–{spread['max']:.3g}]" if spread else "")
    if parts:
        text += f" ({_seconds(doc, parts[0])} / {_seconds(doc, parts[1])})"
    return text


def table(doc: dict) -> str:
    m, s, f = doc["machine"], doc["settings"], doc["figures"]
    lines = [f"Last figures ({m['when'][:10]}, {m['platform']}, {m['cpus']} CPUs, Python {m['python']}; median of "
             f"{s['repeat']} runs, [min–max]; {s['latency_ms']:g} ms a round trip, {s.get('rate_mb_s', 35):g} MB/s; "
             "the simulated devices, the adb server and devdoctor share those CPUs):", "",
             "| ratio | measured | target |", "|---|---|---|"]
    for key, what, target, parts in ROWS:
        lines.append(f"| {what} (`{key}`) | {_cell(doc, key, parts)} | {target} |")
    beside = []
    if f.get("simulator_cpu_s_48") is not None:
        beside.append(f"beside devdoctor's {f.get('devdoctor_cpu_s_48')} s of CPU in the 48-device run, the simulated "
                      f"devices used {f['simulator_cpu_s_48']} s and the adb server {f.get('adb_server_cpu_s_48')} s")
    if f.get("peak_rss_mb_48") is not None:
        beside.append(f"peak memory with 48 devices {f['peak_rss_mb_48']} MB")
    if f.get("bugreport_peak_rss_mb") is not None:
        beside.append(f"with the {f.get('bugreport_mb')} MB bugreport ({f.get('bugreport_zip_mb')} MB zipped) "
                      f"{f['bugreport_peak_rss_mb']} MB")
    if f.get("large_apk_sizes_mb"):
        sizes = ", ".join(f"{k.split('-')[0]} {v} MB" for k, v in f["large_apk_sizes_mb"].items())
        read = ", ".join(f"{v} MB" for v in (f.get("large_apk_read_mb") or {}).values())
        beside.append(f"APKs of the real-sized device: {sizes}; read of them: {read}")
    if beside:
        text = "; ".join(beside)
        lines += ["", text[:1].upper() + text[1:] + "."]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("json", type=Path)
    ap.add_argument("--print", action="store_true", help="print the table, leave README.md alone")
    args = ap.parse_args()
    text = table(json.loads(args.json.read_text(encoding="utf-8")))
    if args.print:
        print(text)
        return 0
    readme = ROOT / "README.md"
    doc = readme.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        sys.exit(f"README.md has no {START} ... {END} markers")
    head, rest = doc.split(START, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
