"""Chinese and English: every string a user reads is in the zh_CN catalogue, the language is chosen
by --lang / $DEVDOCTOR_LANG / devdoctor.toml / the locale, and a Chinese run reads Chinese."""
import importlib.util
import json
import re
import string
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, cli
from devdoctor.ui import i18n

CJK = re.compile(r"[\u4e00-\u9fff]")
spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
tool = importlib.util.module_from_spec(spec)
sys.modules["i18n_tool"] = tool  # dataclasses look their module up
spec.loader.exec_module(tool)
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.json") if not p.name.startswith("damaged"))


def test_every_string_of_the_source_has_a_chinese_translation():
    missing = tool.missing("zh")
    assert not missing, "untranslated (run `python tools/i18n.py update`, translate the .po):\n" + "\n".join(
        f"  {m.where[0]}: {m.msgid!r}" for m in missing)


def test_no_user_visible_literal_bypasses_translation():
    found = [(p.relative_to(ROOT), ln, t) for src in tool.SOURCES for p in sorted(src.rglob("*.py"))
             for ln, t in tool.escapes(p)]
    assert not found, "wrap these in _(): " + "; ".join(f"{p}:{ln} {t!r}" for p, ln, t in found)


def test_the_lint_catches_what_it_should(tmp_path):
    f = tmp_path / "bad.py"
    f.write_text('def f(x):\n    raise ValueError(f"the device {x} is gone")\n'
                 'def g():\n    return CheckResult.fail("WMPF is not installed", remedy=Remedy(_("ok text")))\n'
                 'def h():\n    print(_("fine {x}").format(x=1)); print("adb")\n')
    assert [ln for ln, _t in tool.escapes(f)] == [2, 4]


def _fields(text: str) -> set:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_translations_keep_every_placeholder():
    catalog = tool.catalog("zh")
    bad = [(k, v[0]) for k, v in catalog.items() if k and v and v[0] and _fields(k) != _fields(v[0])]
    assert not bad, bad


def test_po_files_round_trip_quotes_newlines_and_plurals():
    messages = {"a \"b\"\n c\\d": tool.Message("a \"b\"\n c\\d", None, ["x.py:1"]),
                "{n} dog": tool.Message("{n} dog", "{n} dogs", ["x.py:2"])}
    text = tool.render_po("zh", messages, {"a \"b\"\n c\\d": ["甲\n乙"], "{n} dog": ["{n} 只狗"]})
    back = i18n.read_po(text)
    assert back["a \"b\"\n c\\d"] == ["甲\n乙"] and back["{n} dog"] == ["{n} 只狗"]
    t = i18n.PoTranslations(back)
    assert t.ngettext("{n} dog", "{n} dogs", 3) == "{n} 只狗" and t.gettext("unknown") == "unknown"


def test_fuzzy_entries_are_not_used():
    assert i18n.read_po('#, fuzzy\nmsgid "Yes"\nmsgstr "否"\n') == {}


@pytest.mark.parametrize("argv, env, config, want", [
    (["run", "--lang", "zh"], {"LANG": "en_US.UTF-8"}, None, "zh"),
    (["run", "--lang=en"], {"LANG": "zh_CN.UTF-8", "DEVDOCTOR_LANG": "zh"}, "zh", "en"),
    (["run"], {"DEVDOCTOR_LANG": "zh", "LANG": "en_US.UTF-8"}, "en", "zh"),
    (["run"], {"LANG": "en_US.UTF-8"}, "zh", "zh"),
    (["run"], {"LANG": "zh_CN.UTF-8"}, None, "zh"),
    (["run"], {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_GB.UTF-8"}, None, "zh"),
    (["run"], {"LANGUAGE": "en_US:zh_CN", "LANG": "zh_CN.UTF-8"}, None, "en"),
    (["run"], {"LANG": "C.UTF-8"}, None, "en"),
    (["run", "--", "--lang", "zh"], {}, None, "en"),
])
def test_language_is_chosen_by_flag_then_env_then_config_then_locale(argv, env, config, want):
    assert i18n.choose_language(argv, env, config) == want


def test_windows_locale_names_count_as_chinese():
    assert i18n.normalise("Chinese (Simplified)_China") == "zh" and i18n.normalise("English_United States") == "en"


def _cjk_share(text: str) -> int:
    return len(CJK.findall(text))


def test_chinese_terminal_report_reads_chinese():
    r = cli("run", "--replay", FIXTURES / "no-wmpf-a10-tablet.json", "--lang", "zh")
    assert r.returncode == 1
    assert "[✗] WMPF Service 已安装 — 没有安装 WMPF Service(com.tencent.wmpf)" in r.stdout
    assert "(WMPF 常见问题 4.5)" in r.stdout and "发现问题:1 项失败" in r.stdout


def test_system_locale_picks_chinese_and_lang_flag_overrides_it():
    env = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LANGUAGE": "", "LC_MESSAGES": "", "DEVDOCTOR_LANG": ""}
    zh = cli("run", "--replay", FIXTURES / "a7.0-board.json", env=env)
    en = cli("run", "--replay", FIXTURES / "a7.0-board.json", "--lang", "en", env=env)
    assert "版本过低" in zh.stdout
    assert "is too old" in en.stdout and _cjk_share(en.stdout) == 0


def test_bad_language_is_refused():
    r = cli("run", "--demo", "--lang", "fr")
    assert r.returncode == 2 and "zh" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_every_verdict_and_remedy_of_every_fixture_is_chinese(fixture):
    r = cli("run", "--replay", fixture, "--json", "--lang", "zh")
    doc = json.loads(r.stdout)
    for c in doc["devices"][0]["checks"]:
        assert CJK.search(c["title"]), c["title"]
        assert CJK.search(c["summary"]), (c["id"], c["summary"])
        if c["remedy"]:
            assert CJK.search(c["remedy"]["text"]), (c["id"], c["remedy"]["text"])


HELP_WALK = r"""
import re, sys, typer.main
from devdoctor.cli import app
cjk = re.compile(r"[\u4e00-\u9fff]")
root = typer.main.get_command(app)
bad = []
def walk(cmd, path):
    if not cjk.search(cmd.help or ""):
        bad.append(path + ": command help")
    for p in cmd.params:
        h = getattr(p, "help", None)
        if h and not cjk.search(h) and p.name not in ("install_completion", "show_completion"):
            bad.append(f"{path} {p.opts[0]}")
    for name, sub in getattr(cmd, "commands", {}).items():
        walk(sub, path + " " + name)
walk(root, "devdoctor")
print("\n".join(bad))
"""


def test_every_command_and_option_help_is_chinese():
    r = subprocess.run([sys.executable, "-c", HELP_WALK], capture_output=True, text=True,
                       env={"DEVDOCTOR_LANG": "zh", "PATH": "/usr/bin:/bin"}, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", "help without a translation:\n" + r.stdout


def test_help_of_every_command_has_an_example():
    for command in ("run", "list", "devices", "record", "watch", "explain"):
        r = cli(command, "--help", "--lang", "en")
        assert r.returncode == 0 and "xample" in r.stdout, command
