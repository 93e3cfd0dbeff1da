"""Chinese everywhere: every command, rendered in Chinese as a technician sees it (reports, tables, -v,
the fleet table, a field run's changes, fix with its live steps and before/after, the journal, help
pages, click's own usage errors), has no line left in English.

The rule is the project's acceptance rule for `fix --lang zh` (tools/i18n.py english_lines): a line
with two or more plain words of 4+ letters and no Chinese character is English. What a device or an
adb server said (evidence, a command's answer) is quoted as it is, so a line found word for word in
the recordings used is not counted.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import DATA, FIXTURES, ROOT, cli
from fake_adb import FakeAdbServer
from test_fieldux_i18n import tool

COMMANDS = ["run", "list", "devices", "record", "explain", "fix", "history", "inspect", "simulate", "watch"]
PANEL = FIXTURES / "fix-clear-cache-a9-panel.json"
HEALTHY = FIXTURES / "healthy-a9-panel.json"
VERBOSE = ["fix-clear-cache-a9-panel", "logs-emui10-a10-tablet", "net-proxy-a11", "no-wmpf-a10-tablet",
           "health-miui-a12-phone", "cli2.2-wmpf2.0-a9-panel"]
FLEET = ["healthy-a9-panel", "a7.0-board", "wmpf-1.1.3-a8-kiosk", "logs-coloros11-a11-logging-off"]
INSPECTED = [DATA / "wmpf_pastes" / "oneline-code.txt", DATA / "wmpf_pastes" / "events-crash.txt"]
ADB_DEVICES = [("RK3288DP0522", "device", "product:rk3288 model:SG_DP8 device:rk3288 transport_id:1"),
               ("MT8168TB9Q0411", "unauthorized", "transport_id:2"), ("EMU1", "offline", "transport_id:3")]


def _jobs(tmp, port: str, healthy_serial: str) -> list:
    page = tmp / "page.html"
    backups = str(tmp / "backups")
    jobs = [("history-empty", ["history"]), ("root", []), ("root-help", ["--help"])] + [(f"help-{c}", [c, "--help"]) for c in COMMANDS]
    jobs += [(f"run-v-{name}", ["run", "-v", "--replay", str(FIXTURES / f"{name}.json")]) for name in VERBOSE]
    jobs += [
        ("run", ["run", "--replay", str(FIXTURES / "wmpf-1.1.3-a8-kiosk.json"), "--lang", "zh"]),
        ("run-demo", ["run", "--demo"]),
        ("fleet-table", FLEET),
        ("report-page", ["run", "--replay", str(FIXTURES / "a7.0-board.json"), "--report", str(page)]),
        ("tamper-page", [str(page)]),
        ("field-run-changes", ["run", "--replay", str(page)]),
        ("list", ["list"]),
        ("explain", ["explain"]),
        ("explain-check", ["explain", "wmpf-log"]),
        ("explain-camera", ["explain", "camera"]),
        ("explain-signature", ["explain", "device-changed"]),
        ("explain-bridge", ["explain", "bridge-not-found"]),
        ("devices", ["devices", "--adb-port", port]),
        ("run-unauthorized", ["run", "--serial", "MT8168TB9Q0411", "--adb-port", port]),
        ("run-all-adb", ["run", "--all", "--adb-port", port]),
        ("record-offline", ["record", str(tmp / "r.json"), "--serial", "EMU1", "--adb-port", port]),
        ("watch-adb-gone", ["watch", "--count", "1", "--no-bell", "--adb-port", port]),
        ("fix-list", ["fix", "--lang", "zh"]),
        ("fix-offered", ["fix", "--replay", str(PANEL)]),
        ("fix-dry-run", ["fix", "--clear-cache", "--dry-run", "--replay", str(PANEL), "--lang", "zh"]),
        ("fix-no-terminal", ["fix", "--clear-cache", "--replay", str(PANEL)]),
        ("fix-clear-cache", ["fix", "--clear-cache", "--yes", "--replay", str(PANEL), "--backup-dir", backups]),
        ("fix-refused", ["fix", "--clear-cache", "--yes", "--backup-dir", backups, "--replay",
                         str(FIXTURES / "fix-clear-cache-failed-a8-kiosk.json")]),
        ("fix-unplugged", ["fix", "--clear-cache", "--yes", "--backup-dir", backups, "--replay",
                           str(DATA / "fix-clear-cache-unplugged-a10.json")]),
        ("fix-background", ["fix", "--allow-background", "--yes", "--replay",
                            str(FIXTURES / "fix-background-miui-a12.json")]),
        ("fix-nothing-to-do", ["fix", "--start-wmpf", "--yes", "--replay", str(HEALTHY)]),
        ("fix-history", ["fix", "--history"]),
        ("inspect-paste", ["inspect", str(INSPECTED[0])]),
        ("inspect-events", ["inspect", str(INSPECTED[1])]),
        ("seed-history", ["healthy-a9-panel"]),
        ("history", ["history"]),
        ("history-device", ["history", healthy_serial]),
        # click's own words, and ours, on a command line it cannot take
        ("err-timeout", ["run", "--timeout", "abc", "--lang", "zh"]),
        ("err-command", ["runn"]),
        ("err-option", ["run", "--bogus"]),
        ("err-extra", ["explain", "a", "b"]),
        ("err-missing", ["inspect"]),
        ("err-range", ["run", "--adb-port", "0"]),
        ("err-dir", ["fix", "--clear-cache", "--backup-dir", str(ROOT / "README.md")]),
        ("err-value", ["run", "--timeout"]),
        ("err-two-fixes", ["fix", "--clear-cache", "--start-wmpf"]),
        ("err-recording", ["run", "--replay", "no-such-recording.json"]),
        ("err-limit", ["history", "--limit", "0"]),
    ]
    return jobs


def _device_words(paths) -> str:
    """Everything the recordings' devices said, and the fake adb server's refusals."""
    from devdoctor.sources.fixture import load

    said = ["unknown host service"]
    for p in paths:
        fx = load(p)
        said += [e.command + "\n" + e.stdout.decode("utf-8", "replace") + e.stderr.decode("utf-8", "replace")
                 for e in fx.entries]
    return "\n".join(said)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("zh")
    healthy_serial = json.loads(HEALTHY.read_text(encoding="utf-8"))["device"]["serial"]
    env = dict(os.environ, DEVDOCTOR_LANG="zh", NO_COLOR="1", DEVDOCTOR_HOME=str(tmp / "home"),
               DEVDOCTOR_HISTORY=str(tmp / "history.sqlite"), DEVDOCTOR_CACHE_DIR=str(tmp / "cache"),
               COLUMNS="200", PYTHONPATH=str(ROOT / "tests"))
    with FakeAdbServer(ADB_DEVICES) as adb:
        jobs = _jobs(tmp, str(adb.port), healthy_serial)
        r = subprocess.run([sys.executable, str(ROOT / "tests" / "zh_render.py")], input=json.dumps(jobs),
                           capture_output=True, text=True, env=env, timeout=300, cwd=tmp)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout)


def _untranslated(label: str, text: str, device: str) -> list[str]:
    """English lines of one command's output, less what the device said: a line is split into its
    fields (two or more spaces apart, as in tables and `key=value` dumps) and a field the device said
    word for word is left out. Help pages show example commands to type, which are no prose."""
    commands = ("$", "adb ", "devdoctor ") if label.startswith(("help-", "root")) else ("$", "adb ")
    left = []
    for line in tool.english_lines(text, commands):
        if line.startswith("/") and line.endswith("/"):  # a log pattern (explain SIGNATURE): the log's own words
            continue
        # a `key=value` field: the key is a name, as in --json; its value is what is read
        fields = [f.split("=", 1)[1] if re.match(r"^\w+=", f) else f for f in re.split(r"\s{2,}", line) if f]
        own = [f for f in fields if f.rstrip("…") not in device]
        if tool.english_lines("  ".join(own), commands):
            left.append(line)
    return left


def test_every_command_renders_in_chinese(rendered):
    used = [PANEL, HEALTHY, DATA / "fix-clear-cache-unplugged-a10.json"] + [
        FIXTURES / f"{n}.json" for n in VERBOSE + FLEET + ["fix-clear-cache-failed-a8-kiosk", "fix-background-miui-a12",
                                                          "wmpf-1.1.3-a8-kiosk"]]
    device = _device_words(used) + "\n".join(p.read_text(encoding="utf-8") for p in INSPECTED)
    english = {label: _untranslated(label, text, device) for label, (_code, text) in rendered.items()}
    english = {label: lines for label, lines in english.items() if lines}
    assert not english, "English left in Chinese output:\n" + "\n".join(
        f"  {label}: {line!r}" for label, lines in english.items() for line in lines[:6])


def test_every_command_ran_and_said_something(rendered):
    for label, (code, text) in rendered.items():
        assert "Traceback" not in text, (label, text[-2000:])
        assert text.strip(), label
    codes = {label: code for label, (code, _text) in rendered.items()}
    assert all(codes[k] == 2 for k in codes if k.startswith("err-")), codes
    assert codes["fix-clear-cache"] == 0 and codes["fix-refused"] == 1 and codes["fix-unplugged"] == 3


def test_clicks_own_words_are_translated(rendered):
    _code, text = rendered["err-timeout"]
    assert "用法:devdoctor run [选项]" in text and "运行 'devdoctor run -h' 查看帮助。" in text
    assert "错误:'--timeout' 的值无效:'abc' 不是有效的数字。" in text
    assert "没有这个选项:--bogus" in rendered["err-option"][1]
    help_text = rendered["root-help"][1]
    assert "选项:" in help_text and "命令:" in help_text and "显示本帮助后退出。" in help_text
    assert "Usage" not in help_text and "Options" not in help_text and "Show this message" not in help_text


@pytest.mark.parametrize("args", [
    ["fix", "--lang", "zh"],
    ["fix", "--clear-cache", "--dry-run", "--replay", str(PANEL), "--lang", "zh"],
])
def test_fix_through_a_pipe_at_the_default_width_is_chinese(args, tmp_path):
    """The acceptance check's own commands, as a separate process at its terminal width."""
    r = cli(*args, env={"DEVDOCTOR_HOME": str(tmp_path), "COLUMNS": ""})
    assert r.returncode == 0, r.stderr
    assert tool.english_lines(r.stdout + r.stderr) == []


def test_the_rule_flags_english_and_spares_chinese_commands_and_names():
    assert tool.english_lines("check   before   after\nApplied, but the problem remains: x") == [
        "check   before   after", "Applied, but the problem remains: x"]
    assert tool.english_lines("已修复并验证。\n$ adb shell pm clear com.tencent.wmpf\nadb -s X shell dumpsys package\n"
                              "WMPF VoIP\n  --clear-cache  wmpf-log /sdcard/Android/data") == []


def test_click_sentences_are_matched_back_and_other_text_is_left_alone():
    from devdoctor.ui import click_i18n, i18n

    i18n.set_language("zh")
    try:
        t = click_i18n.translate
        assert t("Error: Invalid value for '--x': 'a' is not a valid integer.") == "错误:'--x' 的值无效:'a' 不是有效的整数。"
        assert t("Invalid value for '--port' (env var: 'P'): 0 is not in the range 1<=x<=9.") == \
            "'--port'(环境变量 'P') 的值无效:0 不在 1<=x<=9 范围内。"
        assert click_i18n.translate_help("Show this message and exit.  [default: 5; required]") == \
            "显示本帮助后退出。  [默认:5; 必填]"
        assert t("WMPF 已安装") == "WMPF 已安装" and t("nothing click says") == "nothing click says"
        hostile = "Invalid value for 'x': " + " is not a valid " * 20000
        assert t(hostile) == hostile  # over the length bound: left as it is, without a slow match
    finally:
        i18n.set_language("en")
