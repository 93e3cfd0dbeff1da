"""Every command the README shows runs as shown (the "Fleets" section has a test of its own,
tests/test_fleet_readme.py; the first two commands, tests/test_readme.py and tests/test_install.py).

The device a technician plugs in is a bundled recording served by `devdoctor simulate` behind a private
adb server; the files the examples name (a bugreport, a pasted getprop) are made here in the real formats.
Stand-ins: SERIAL is the simulated device's serial, port 6000 a free port. Each line must end with one of
the exit codes the README documents for it, with no traceback, and say what a user would look for.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT
from e2e_support import PrivateAdbServer, free_port, require_adb, simulated, wait_until
from devdoctor.sources.fixture import load

README = (ROOT / "README.md").read_text(encoding="utf-8")


def example_lines() -> list[str]:
    """The devdoctor and adb lines of the README's sh blocks, outside Fleets and the set-up block."""
    text = README[:README.index("## Fleets")] + README[README.index("## How it is built"):]
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S)[1:]:  # the first block: install and test
        for line in block.splitlines():
            command = line.split("  #", 1)[0].strip()
            if command.startswith(("devdoctor ", "adb ")):
                lines.append(command)
    return lines


# What each example must show (a word of its output) and may exit with (README: exit codes).
EXPECT = {
    "devdoctor run": ("SG-DP8 Door Panel", {0, 1, 4}),
    "devdoctor run -v": ("$ getprop", {0, 1, 4}),
    "devdoctor run --all --json": ('"schema": "devdoctor-report/1"', {0, 1, 4}),
    "devdoctor devices": ("SG-DP8 Door Panel", {0}),
    "devdoctor list": ("wmpf-installed", {0}),
    "devdoctor record field.json": ("Recorded", {0, 1, 4}),
    "devdoctor run --replay field.json": ("replay of field.json", {0, 1, 4}),
    "devdoctor run --lang zh": ("WMPF", {0, 1, 4}),
    "devdoctor run --report panel.html": ("support page", {0, 1, 4}),
    "devdoctor run --replay panel.html": ("field run", {0, 1, 4}),
    "devdoctor watch": ("is ready: diagnosing", None),  # runs until stopped
    "devdoctor explain wmpf-installed": ("FAQ 4.5", {0}),
    "devdoctor run --bugreport bugreport-panel-2026-11-20.zip": ("from bugreport", {0, 1, 4}),
    "devdoctor inspect getprop.txt --json": ('"kind": "getprop"', {0}),
    "devdoctor simulate healthy-a9-panel --port 6000": ("adb connect", None),  # serves until stopped
    "adb connect 127.0.0.1:6000": ("connected to", {0}),
    "devdoctor fix --clear-cache --serial SERIAL": ("verified", {0}),
}


def test_every_readme_example_is_known_to_this_test():
    assert set(example_lines()) == set(EXPECT), "a README example without a test here, or one gone"


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """A private adb server with the healthy panel plugged in, and the files the examples name."""
    from synthetic_bugreport import bugreport

    work = tmp_path_factory.mktemp("readme")
    panel = load(FIXTURES / "healthy-a9-panel.json")
    getprop = next(e.stdout for e in panel.entries if e.command == "getprop")
    (work / "getprop.txt").write_bytes(b"rk3288:/ $ getprop\n" + getprop)
    import zipfile

    with zipfile.ZipFile(work / "bugreport-panel-2026-11-20.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bugreport-panel-2026-11-20.txt", bugreport(props={"ro.build.version.sdk": "28",
                                                                      "ro.product.model": "SG-DP8 Door Panel"}))
    server = PrivateAdbServer(require_adb(), tmp_path_factory.mktemp("adb-home"))
    server.start()
    try:
        with simulated(server, panel) as device:
            yield server, device, work
    finally:
        server.stop()


def _argv(line: str, serial: str, port: int) -> list[str]:
    words = shlex.split(line.replace("SERIAL", serial).replace("6000", str(port)))
    if words[0] == "devdoctor":
        return [sys.executable, "-m", "devdoctor", *words[1:]]
    return [require_adb(), *words[1:]]


def _run(server, argv, work, timeout=120, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1", DEVDOCTOR_LANG="en", DEVDOCTOR_HISTORY=str(work / "history.sqlite"),
               **server.env)
    return subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=timeout,
                          input=stdin if stdin is not None else "")


def _answering_at_a_terminal(server, argv, work) -> subprocess.CompletedProcess:
    """`fix` asks before it changes anything, on a terminal only: answer its question with y on one."""
    if os.name == "nt":
        pytest.skip("a pseudo-terminal stands in for the technician's: POSIX only")
    import pty

    leader, follower = pty.openpty()
    try:
        env = dict(os.environ, NO_COLOR="1", DEVDOCTOR_LANG="en", DEVDOCTOR_HISTORY=str(work / "history.sqlite"),
                   **server.env)
        os.write(leader, b"y\n")
        return subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=120, stdin=follower)
    finally:
        os.close(leader)
        os.close(follower)


def _until(server, argv, work, words: str, timeout: float = 60) -> str:
    """Start a command that runs until stopped; the output it gave once `words` appeared."""
    env = dict(os.environ, NO_COLOR="1", DEVDOCTOR_LANG="en", **server.env)
    out = work / f"out-{abs(hash(tuple(argv)))}.txt"
    with open(out, "w") as sink:
        proc = subprocess.Popen(argv, cwd=work, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        wait_until(lambda: words in out.read_text(errors="replace"), timeout, f"{words!r} from {argv[3:]}")
        return out.read_text(errors="replace")
    finally:
        proc.terminate()
        proc.wait(10)


def _listening(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), 0.2):
            return True
    except OSError:
        return False


def test_the_readme_examples_run_as_shown(bench):
    server, device, work = bench
    port = free_port()
    served = None  # `devdoctor simulate`, serving until the end of the test
    try:
        for line in example_lines():  # in the README's order: record before replay, simulate before fix
            words, codes = EXPECT[line]
            serial = f"127.0.0.1:{port}" if "--serial SERIAL" in line else device.serial
            argv = _argv(line, serial, port)
            if line.startswith("devdoctor simulate"):
                served = subprocess.Popen(argv, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          env=dict(os.environ, **server.env))
                wait_until(lambda: _listening(port), 30, "devdoctor simulate to listen")
                continue
            if codes is None:  # runs until stopped: what it said before it was stopped
                output = _until(server, argv, work, words)
                assert "Traceback" not in output, (line, output[-800:])
                continue
            r = _answering_at_a_terminal(server, argv, work) if " fix " in line else _run(server, argv, work)
            assert "Traceback" not in r.stdout + r.stderr, (line, r.stderr[-800:])
            assert r.returncode in codes, (line, r.returncode, r.stdout[-600:], r.stderr[-600:])
            assert words in r.stdout + r.stderr, (line, words, r.stdout[-800:], r.stderr[-400:])
    finally:
        if served is not None:
            server.adb("disconnect", f"127.0.0.1:{port}")
            served.terminate()
            served.wait(10)
