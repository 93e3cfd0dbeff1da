"""devdoctor.toml: found in the working directory, the user's config folder or --config; its settings
reach the checks; a mistake is refused with the key and the file named (exit 2)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, cli
from devdoctor.core import config

SETTINGS_CHECK = '''
from devdoctor.check import Check, Threshold
from devdoctor.result import CheckResult


class ShowSettings(Check):
    id = "show-settings"
    title = "Settings"
    thresholds = {"battery_min_percent": Threshold(20, "a third party's own threshold")}

    def run(self, ctx):
        s = ctx.settings
        return CheckResult.passed(f"host={s.host_package} pay={s.extra_payment_packages} "
                                  f"hosts={s.network_hosts} thresholds={s.thresholds}")
'''


@pytest.fixture
def dropin(tmp_path):
    d = tmp_path / "checks"
    d.mkdir()
    (d / "show_settings.py").write_text(SETTINGS_CHECK)
    return d


def test_settings_from_the_file_reach_the_checks(tmp_path, dropin):
    cfg = tmp_path / "site.toml"
    cfg.write_text('host_package = "com.example.doorbell"\nextra_payment_packages = ["com.example.pay"]\n'
                   'network_hosts = ["api.example.com", "10.0.0.8"]\n[thresholds]\nbattery_min_percent = 20\n')
    r = cli("run", "--demo", "--only", "show-settings", "--checks-dir", dropin, "--config", cfg, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert ("host=com.example.doorbell pay=['com.example.pay'] hosts=['api.example.com', '10.0.0.8'] "
            "thresholds={'battery_min_percent': 20.0}") in r.stdout


def test_the_flag_beats_the_file(tmp_path, dropin):
    cfg = tmp_path / "site.toml"
    cfg.write_text('host_package = "com.example.doorbell"\n')
    r = cli("run", "--demo", "--only", "show-settings", "--checks-dir", dropin, "--config", cfg,
            "--host-package", "com.other.app")
    assert "host=com.other.app" in r.stdout


def test_skip_and_language_from_the_file(tmp_path):
    cfg = tmp_path / "site.toml"
    cfg.write_text('skip = ["android-version", "no-such-check"]\nlanguage = "zh"\n')
    r = cli("run", "--replay", FIXTURES / "a7.0-board.json", "--config", cfg, env={"DEVDOCTOR_LANG": ""})
    assert r.returncode == 0  # the failing android-version check was skipped
    assert "Android 版本" not in r.stdout and "WMPF Service 已安装" in r.stdout
    assert "no-such-check" in r.stderr  # an unknown id is named, not fatal


@pytest.mark.parametrize("args, skip", [(["--only", "android-version", "--skip", "android-version"], []),
                                        (["--skip", "wmpf-installed"], "ALL-BUT-wmpf-installed")])
def test_a_run_left_with_no_check_is_refused_not_called_healthy(tmp_path, args, skip):
    """Flags and the site file that leave no check would otherwise end in "No problems found" and exit 0."""
    from devdoctor.core.plugins import load

    if skip:
        skip = [c for c in load([]).ids() if c != "wmpf-installed"]
    cfg = tmp_path / "site.toml"
    cfg.write_text(f"skip = {skip!r}\n".replace("'", '"'))
    r = cli("run", "--replay", FIXTURES / "a7.0-board.json", "--config", cfg, *args, "--lang", "en")
    assert r.returncode == 2 and "no check is left to run" in r.stderr, (r.returncode, r.stdout, r.stderr)
    assert "No problems found" not in r.stdout and "Traceback" not in r.stderr


def test_the_file_in_the_working_directory_is_used(tmp_path):
    (tmp_path / "devdoctor.toml").write_text('skip = ["android-version"]\n')
    env = dict(os.environ, NO_COLOR="1", XDG_CONFIG_HOME=str(tmp_path / "none"))
    r = subprocess.run([sys.executable, "-m", "devdoctor", "run", "--replay", str(FIXTURES / "a7.0-board.json"),
                        "--json"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    ids = [c["id"] for c in __import__("json").loads(r.stdout)["devices"][0]["checks"]]
    assert "android-version" not in ids and "wmpf-installed" in ids


def test_lookup_order_flag_then_cwd_then_user_folder(tmp_path):
    home = tmp_path / "xdg" / "devdoctor"
    home.mkdir(parents=True)
    (home / "devdoctor.toml").write_text("")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    cwd = tmp_path / "work"
    cwd.mkdir()
    assert config.find(None, cwd, env) == home / "devdoctor.toml"
    (cwd / "devdoctor.toml").write_text("")
    assert config.find(None, cwd, env) == cwd / "devdoctor.toml"
    assert config.find(Path("x.toml"), cwd, env) == Path("x.toml")
    assert config.user_config_dir({"APPDATA": "C:/Users/a/AppData/Roaming"}, "win32") == Path(
        "C:/Users/a/AppData/Roaming/devdoctor")


@pytest.mark.parametrize("content, words", [
    ("no_such_key = 1\n", ["no_such_key", "unknown key", "host_package"]),
    ("host_package = 1\n", ["host_package", "string"]),
    ('host_package = "not a package"\n', ["host_package", "'not a package'", "package name"]),
    ('extra_payment_packages = "com.a.b"\n', ["extra_payment_packages", "list of strings"]),
    ('network_hosts = ["ok.example.com", "bad host; rm -rf /"]\n', ["network_hosts", "bad host"]),
    ('language = "fr"\n', ["language", "'fr'"]),
    ("thresholds = 3\n", ["thresholds", "table"]),
    ('[thresholds]\nbattery = "low"\n', ["thresholds.battery", "number"]),
    ("host_package = \n", ["not valid TOML", "line 1"]),
])
def test_a_bad_file_is_refused_naming_the_key_and_the_file(tmp_path, content, words):
    cfg = tmp_path / "devdoctor.toml"
    cfg.write_text(content)
    r = cli("run", "--demo", "--config", cfg, "--lang", "en")
    assert r.returncode == 2, r.stdout
    assert str(cfg) in r.stderr and "Traceback" not in r.stderr + r.stdout
    for w in words:
        assert w in r.stderr


def test_a_missing_config_file_is_refused(tmp_path):
    r = cli("run", "--demo", "--config", tmp_path / "nope.toml", "--lang", "en")
    assert r.returncode == 2 and "no such configuration file" in r.stderr


def test_the_error_is_chinese_too(tmp_path):
    cfg = tmp_path / "devdoctor.toml"
    cfg.write_text("colour = 1\n")
    r = cli("run", "--demo", "--config", cfg, "--lang", "zh")
    assert r.returncode == 2 and "未知的配置项 'colour'" in r.stderr


def test_the_readmes_site_configuration_is_read_as_it_says():
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.findall(r"```toml\n(.*?)```", readme[:readme.index("## Fleets")], re.S)[0]
    cfg = config.parse(config._tomllib().loads(block), Path("devdoctor.toml"))
    assert cfg.settings.host_package == "com.example.doorbell" and cfg.skip == ["camera"]
    assert cfg.language == "zh" and cfg.settings.thresholds == {"clock_max_skew_seconds": 30.0}
    assert cfg.history_keep_days == 90 and config.SiteConfig().history_keep_days == 365


@pytest.mark.parametrize("value", ["-1", "1.5", '"90"', "true"])
def test_history_keep_days_must_be_a_whole_number_of_days(tmp_path, value):
    cfg = tmp_path / "site.toml"
    cfg.write_text(f"history_keep_days = {value}\n")
    r = cli("run", "--demo", "--config", cfg, "--lang", "en")
    assert r.returncode == 2 and "history_keep_days must be a whole number of days" in r.stderr
    assert "Traceback" not in r.stderr
