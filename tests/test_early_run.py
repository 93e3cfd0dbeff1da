"""A plain `devdoctor run` finds its devices and sends their reads before the command line is built
(devdoctor.core.early_run): the request it guesses must be the one the command builds, and the command
must use what was started instead of asking the device again."""
import json

import pytest
from typer.testing import CliRunner

from devdoctor.core import early_run

PLAIN = [["run"], ["run", "--json"], ["run", "--serial", "ABC123", "--json"], ["run", "-s", "ABC123", "-v"],
         ["run", "--serial=ABC123"], ["run", "--all", "--json", "--verbose"], ["--lang", "zh", "run", "--json"],
         ["run", "--lang", "en", "--all"]]
NOT_PLAIN = [["run", "--only", "android-version"], ["run", "--demo"], ["run", "--replay", "x.json"],
             ["run", "--bugreport", "b.zip"], ["run", "--config", "site.toml"], ["run", "--timeout", "3"],
             ["run", "--json", "extra"], ["--json", "run"], ["devices"], ["run", "--serial"],
             ["run", "-s", "A", "-s", "B"], ["run", "--lang", "fr"], ["run", "--report", "p.html"],
             ["run", "--no-history"], ["run", "--adb-port", "5038"], ["run", "--"], ["run", "-sABC"]]
ENVS = [{}, {"ANDROID_ADB_SERVER_PORT": "5038"}, {"ANDROID_ADB_SERVER_HOST": "10.0.0.2",
                                                  "ANDROID_ADB_SERVER_PORT": "5037"},
        {"DEVDOCTOR_HISTORY": "runs/history.sqlite"}]


def request_built_by_the_command(args, env, monkeypatch):
    import devdoctor.commands.run as run_command
    from devdoctor.cli import app

    built = []
    monkeypatch.setattr(run_command, "execute", lambda request, checks_dir, config: built.append(request) or 0)
    result = CliRunner().invoke(app, args, env={"DEVDOCTOR_HISTORY": None, "ANDROID_ADB_SERVER_PORT": None,
                                                "ANDROID_ADB_SERVER_HOST": None, **env})
    assert result.exit_code == 0, result.output
    (request,) = built
    return request


@pytest.mark.parametrize("env", ENVS, ids=["no-env", "port", "host-port", "history"])
@pytest.mark.parametrize("args", PLAIN, ids=" ".join)
def test_a_plain_run_is_guessed_exactly_as_the_command_builds_it(args, env, monkeypatch):
    assert early_run.plain_request(args, env) == request_built_by_the_command(args, env, monkeypatch)


@pytest.mark.parametrize("args", NOT_PLAIN, ids=" ".join)
def test_any_other_command_line_begins_nothing(args):
    assert early_run.plain_request(args, {}) is None


@pytest.mark.parametrize("env", [{"ANDROID_ADB_SERVER_PORT": "0"},
                                 {"ANDROID_ADB_SERVER_PORT": "port"}, {"_DEVDOCTOR_COMPLETE": "bash_complete"}])
def test_an_environment_that_changes_the_run_begins_nothing(env):
    assert early_run.plain_request(["run", "--json"], env) is None


def test_what_was_begun_is_taken_once_and_only_for_the_same_request():
    request = early_run.plain_request(["run", "--json"], {})
    other = early_run.plain_request(["run"], {})
    for asked, checks_dir, config, taken in [(request, [], None, True), (other, [], None, False),
                                             (request, ["checks"], None, False), (request, [], "s.toml", False)]:
        early_run._started = early_run.Started(request, None, None, [])
        assert (early_run.take(asked, checks_dir, config) is not None) is taken
        assert early_run.take(request, [], None) is None  # at most once


def test_a_plain_run_asks_the_device_each_thing_once(adb_server, tmp_path):
    """Its reads went out before the command line was built, and the command used their answers."""
    from conftest import FIXTURES
    from e2e_support import simulated

    log = tmp_path / "requests.jsonl"
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", log=log) as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["devices"][0]["device"]["serial"] == dev.serial
    sent = [e["command"] for e in map(json.loads, log.read_text().splitlines())
            if e["event"] == "open" and "command" in e]
    assert sent.count("getprop") == 1, sent
    assert len(sent) == len(set(sent)), sorted(c for c in set(sent) if sent.count(c) > 1)


def test_ctrl_c_while_a_plain_run_finds_its_device_ends_without_a_traceback():
    """The early start can wait on the adb server (starting it, listing the devices): Ctrl-C there ends
    as Ctrl-C anywhere in a command does, exit 130 and one line."""
    import subprocess
    import sys

    code = ("import sys; from devdoctor import entry; from devdoctor.core import early_run\n"
            "def interrupted(args): raise KeyboardInterrupt\n"
            "early_run.begin = interrupted; sys.argv = ['devdoctor', 'run', '--json']; entry.main()\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 130, r.stderr
    assert "interrupted" in r.stderr and "Traceback" not in r.stderr
