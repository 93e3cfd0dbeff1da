"""The fleet on the real engines: two private adb servers (Debian's adb), each with a simulated device,
in one `run --all`; a real Prometheus (Debian's) scraping `watch --metrics-listen`, asked through its
HTTP API for a device's check status; the history across runs. Plus the watch schedule, on a fake clock."""
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest

from conftest import FIXTURES, IN_CI, cli
from e2e_support import PrivateAdbServer, free_port, report, require_adb, simulated, wait_until
from devdoctor.core.watch import Watcher


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    adb = require_adb()
    servers = [PrivateAdbServer(adb, tmp_path_factory.mktemp(f"adb-home-{i}")) for i in range(2)]
    for s in servers:
        s.start()
    yield servers
    for s in servers:
        s.stop()


def prometheus_tools() -> tuple[str, str]:
    found = shutil.which("prometheus"), shutil.which("promtool")
    if all(found):
        return found
    if IN_CI:
        pytest.fail("prometheus is not installed: CI must install Debian's prometheus (apt-get install prometheus)")
    pytest.skip("prometheus is not installed (Debian/Ubuntu: apt install prometheus)")


def test_one_run_over_two_adb_servers_names_every_device_by_server(two_servers, tmp_path):
    one, two = two_servers
    prom, db = tmp_path / "devdoctor.prom", tmp_path / "history.sqlite"
    down = free_port()
    with simulated(one, FIXTURES / "healthy-a9-panel.json") as panel, \
            simulated(two, FIXTURES / "no-wmpf-a10-tablet.json") as tablet:
        args = ["run", "--all", "--json", "--metrics", prom, "--history", db,
                "--adb-server", f"127.0.0.1:{one.port}", "--adb-server", f"127.0.0.1:{two.port}"]
        first = cli(*args, timeout=120)
        second = cli(*args, "--adb-server", f"127.0.0.1:{down}", timeout=120)
        terminal = cli("run", "--all", "--no-history", "--adb-server", f"127.0.0.1:{one.port}",
                       "--adb-server", f"127.0.0.1:{two.port}", timeout=120)
    names = {"panel": f"127.0.0.1:{one.port}/{panel.serial}", "tablet": f"127.0.0.1:{two.port}/{tablet.serial}"}
    doc = report(first)
    assert first.returncode == 1  # the tablet has no WMPF
    assert [d["device"]["serial"] for d in doc["devices"]] == [names["panel"], names["tablet"]]
    assert [row["serial"] for row in doc["fleet"]] == [names["panel"], names["tablet"]]
    doc = report(second)
    # a server could not be reached (said once, the others still ran); the tablet failing is worse: 1
    assert second.returncode == 1
    assert [(d["device"]["serial"], (d["error"] or {}).get("kind")) for d in doc["devices"]] == [
        (names["panel"], None), (names["tablet"], None), (f"127.0.0.1:{down}", "adb-server")]
    assert names["panel"] in terminal.stdout and names["tablet"] in terminal.stdout
    text = prom.read_text()
    assert f'devdoctor_check_status{{check="wmpf-installed",device="{names["tablet"]}",status="fail"}} 1.0' in text
    check = subprocess.run([prometheus_tools()[1], "check", "metrics"], input=text, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    h = json.loads(cli("history", names["tablet"], "--json", "--history", db).stdout)
    assert len(h["runs"]) == 2 and [c["check"] for c in h["changes"]["still_failing"]] == ["wmpf-installed"]


def test_a_history_that_cannot_be_written_never_stops_the_diagnosis(adb_server, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with simulated(adb_server, FIXTURES / "no-wmpf-a10-tablet.json") as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json", "--history", blocker / "history.sqlite")
    doc = report(r)
    assert r.returncode == 1 and doc["exit_code"] == 1  # as without a history
    assert "was not kept in the history" in r.stderr and "the diagnosis stands" in r.stderr


def test_a_live_run_drops_the_runs_older_than_the_site_keeps(adb_server, tmp_path):
    import sqlite3

    db, cfg = tmp_path / "history.sqlite", tmp_path / "site.toml"
    cfg.write_text("history_keep_days = 30\n")
    with simulated(adb_server, FIXTURES / "no-wmpf-a10-tablet.json") as dev:
        for _ in range(2):
            r = adb_server.devdoctor("run", "--serial", dev.serial, "--json", "--history", db, "--config", cfg)
            assert r.returncode == 1, r.stderr
            with sqlite3.connect(db) as conn:  # the run before was kept long ago
                conn.execute("UPDATE runs SET started_at = '2020-01-01T00:00:00Z' WHERE id = 1")
    runs = json.loads(cli("history", "--json", "--history", db).stdout)["runs"]
    assert [r["id"] for r in runs] == [2]


def _query(web: int, promql: str) -> list:
    url = f"http://127.0.0.1:{web}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return json.load(answer)["data"]["result"]
    except OSError:
        return []


def test_prometheus_scrapes_watch_and_answers_a_device_check_status(adb_server, tmp_path):
    prometheus, promtool = prometheus_tools()
    listen, web = free_port(), free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: devdoctor\n"
                      f"    static_configs:\n      - targets: ['127.0.0.1:{listen}']\n")
    assert subprocess.run([promtool, "check", "config", str(config)], capture_output=True).returncode == 0
    env = dict(os.environ, NO_COLOR="1", **adb_server.env)
    with simulated(adb_server, FIXTURES / "no-wmpf-a10-tablet.json") as dev:
        watch = subprocess.Popen([sys.executable, "-m", "devdoctor", "watch", "--adb-server",
                                  f"127.0.0.1:{adb_server.port}", "--metrics-listen", f"127.0.0.1:{listen}",
                                  "--every", "0.05", "--no-bell", "--no-history"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        prom = subprocess.Popen([prometheus, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{web}",
                                 f"--storage.tsdb.path={tmp_path / 'data'}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            name = f"127.0.0.1:{adb_server.port}/{dev.serial}"
            series = f'devdoctor_check_status{{device="{name}",check="wmpf-installed",status="fail"}}'
            result = wait_until(lambda: _query(web, series), 90, "Prometheus to scrape the tablet's status")
            assert result[0]["value"][1] == "1"
            assert _query(web, f'devdoctor_check_status{{device="{name}",check="android-version",status="pass"}}')
            assert wait_until(lambda: _query(web, f'devdoctor_run_age_seconds{{device="{name}"}}'), 30, "the age")
        finally:
            prom.terminate()
            watch.terminate()
            prom.wait(30)
            _out, err = watch.communicate(timeout=30)
    assert "Traceback" not in err


@dataclass
class Dev:
    serial: str
    state: str


def test_watch_every_diagnoses_the_attached_devices_again_on_schedule():
    """The schedule on a fake clock: no waiting, no timing in the test."""
    from devdoctor.core.runner import DeviceReport, Identity

    now = [0.0]
    diagnosed, lines = [], []

    def diagnose(serial):
        diagnosed.append((serial, now[0]))
        return DeviceReport(Identity(serial))

    watcher = Watcher(diagnose, lambda r: None, lines.append, lambda: None)

    def changes():
        yield [Dev("A1", "device"), Dev("B2", "unauthorized"), Dev("10.0.0.9:5037", "unreachable")]
        for _ in range(25):  # adb's tracking says "nothing changed" every so often
            now[0] += 30.0
            yield None

    watcher.run(changes(), every=300.0, clock=lambda: now[0])
    # A1 at once, then every 300 s of the 750 s; B2 is never ready; the server is not a device
    assert diagnosed == [("A1", 0.0), ("A1", 300.0), ("A1", 600.0)]
    assert lines.count("10.0.0.9:5037") == 1 and "Diagnosing 1 attached device again." in lines
    assert [s for s in watcher.seen] == ["A1", "B2"]
