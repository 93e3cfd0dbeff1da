"""What a run loads before its first device read: the device's answers can only start arriving once
every check is loaded, so loading them must not import the parsers (bench/run.py measures the time)."""
import json
import subprocess
import sys

PROBE = """
import json, sys
from devdoctor.core.plugins import load
catalog = load()
from devdoctor.sources.adb import _adbutils
_adbutils()
print(json.dumps({"checks": len(catalog.checks), "problems": [p.message for p in catalog.problems],
                  "modules": sorted(sys.modules), "requests": type(sys.modules.get("requests")).__name__}))
"""


def _loaded() -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def test_loading_the_checks_leaves_the_parsers_for_later():
    got = _loaded()
    assert got["checks"] >= 10 and got["problems"] == []
    parsers = [m for m in got["modules"] if m.startswith("devdoctor.parsers.")]
    # getprop and dumpsys package are read by the runner itself (with their helpers for text and numbers);
    # the checks' own parsers wait
    assert set(parsers) <= {"devdoctor.parsers.getprop", "devdoctor.parsers.dumpsys_package",
                            "devdoctor.parsers.text", "devdoctor.parsers.numbers"}, parsers
    assert "devdoctor.sources.device_apk" not in got["modules"]


def test_adbutils_comes_without_requests():
    got = _loaded()
    assert "adbutils" in got["modules"]
    assert "urllib3" not in got["modules"] and got["requests"] == "_Deferred"


def test_a_running_server_is_asked_without_loading_adbutils():
    """Listing the devices of a running adb server costs no import of adbutils (about 50 ms of every run)."""
    from tests.fake_adb import FakeAdbServer

    with FakeAdbServer([("emulator-5554", "device", "product:p model:Panel_7 device:d transport_id:1")]) as server:
        code = ("import json, sys; from devdoctor.sources.adb import AdbServer; "
                f"rows = AdbServer('127.0.0.1', {server.port}).list(); "
                "print(json.dumps([[r.serial, r.state, r.model] for r in rows] + ['adbutils' in sys.modules]))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert json.loads(out.stdout) == [["emulator-5554", "device", "Panel_7"], False], out.stderr


def test_a_deferred_module_is_the_real_one_when_used(tmp_path):
    (tmp_path / "heavy_mod.py").write_text("LOADED = True\n")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from devdoctor.core.lazy import defer_import; "
            "defer_import('heavy_mod'); import heavy_mod; print(type(sys.modules['heavy_mod']).__name__); "
            "print(heavy_mod.LOADED, type(sys.modules['heavy_mod']).__name__)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["_Deferred", "True", "module"], out.stderr


def test_every_lazy_module_can_be_imported():
    from devdoctor.core import lazy
    from devdoctor.core.plugins import load

    load()
    assert lazy._declared
    lazy.import_pending()
    assert all(m._module is not None for m in lazy._declared)


def test_only_the_command_named_is_built_and_every_one_for_help_or_a_typo():
    from devdoctor.entry import command_named

    assert command_named(["run", "--serial", "fix"]) == "run"
    assert command_named(["--lang", "zh", "fix", "--clear-cache"]) == "fix"
    assert command_named(["--lang=zh", "-h"]) is None
    code = ("import sys; from devdoctor import entry; entry.prepare(sys.argv[1:]); import devdoctor.cli; "
            "print(sorted(m for m in sys.modules if m.startswith('devdoctor.commands.') and m[19:] not in "
            "('common', 'options')))")
    loaded = lambda *argv: subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,  # noqa: E731
                                          timeout=60).stdout.strip()
    assert loaded("run", "--json") == "['devdoctor.commands.run']"
    assert loaded("--lang", "zh", "list") == "['devdoctor.commands.listing']"
    assert "devdoctor.commands.watch" in loaded("--help") and "devdoctor.commands.fix" in loaded("rnu")
    # imported by other code (a test's CliRunner, whatever its own arguments): every command
    everything = subprocess.run([sys.executable, "-c", code.replace("entry.prepare(sys.argv[1:]); ", ""), "run"],
                                capture_output=True, text=True, timeout=60).stdout
    assert "devdoctor.commands.fix" in everything and "devdoctor.commands.watch" in everything
