#!/usr/bin/env python3
"""The long load run: 32 simulated devices behind a private adb server, `run --all` 20 times, every
report complete, no threads or sockets left behind, memory flat (the test suite runs 16 devices 8 times).

    python bench/load.py [--devices 32] [--runs 20]

It runs tests/test_e2e_load.py with those sizes and prints pytest's verdict and time.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=32)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    env = dict(os.environ, DEVDOCTOR_LOAD=f"{args.devices}x{args.runs}")
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "--durations=3", "tests/test_e2e_load.py"],
                           cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
