"""The README's "Fleets" section is run as written: every command line (on private adb servers and
ports standing in for the gateways' addresses), the devdoctor.toml line, the Prometheus scrape
configuration (promtool check config) and the two alerting rules (promtool test rules: each fires
when it should, and only then)."""
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import urllib.request

import pytest

from conftest import FIXTURES, IN_CI, ROOT, cli
from e2e_support import PrivateAdbServer, free_port, report, require_adb, simulated, wait_until
from devdoctor.core.config import parse

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, published separately for 3.10
    import tomli as tomllib


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Fleets"):text.index("## How it is built")]


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", section(), re.S)


def command_lines() -> list[str]:
    """Every command of the section's sh blocks, without its comment or a trailing `&`."""
    lines = []
    for block in blocks("sh"):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip().removesuffix("&").strip()
            if line:
                lines.append(line)
    return lines


def tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if IN_CI:
        pytest.fail(f"{name} is not installed: .ci/run installs it")
    pytest.skip(f"{name} is not installed")


def test_the_toml_line_names_the_servers(tmp_path):
    [toml] = blocks("toml")
    assert parse(tomllib.loads(toml), tmp_path / "devdoctor.toml").adb_servers == ["10.0.0.5:5037", "10.0.0.6:5037"]


def test_the_scrape_config_and_the_alerting_rules(tmp_path):
    promtool = tool("promtool")
    scrape, rules = blocks("yaml")
    (tmp_path / "prometheus.yml").write_text(scrape)
    (tmp_path / "rules.yml").write_text(rules)
    for args in (["check", "config", "prometheus.yml"], ["check", "rules", "rules.yml"]):
        r = subprocess.run([promtool, *args], capture_output=True, text=True, cwd=tmp_path)
        assert r.returncode == 0, r.stdout + r.stderr
    # A device failing camera for 15 minutes; a device diagnosed once at t=0 and never again; a device
    # diagnosed every minute. promtool's clock starts at 0, so the timestamps are seconds since then.
    (tmp_path / "rules.test.yml").write_text("""
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'devdoctor_check_status{device="10.0.0.5:5037/A1",check="camera",status="fail"}'
        values: '1x15'
      - series: 'devdoctor_check_status{device="10.0.0.5:5037/A1",check="network",status="fail"}'
        values: '0x15'
      - series: 'devdoctor_run_timestamp_seconds{device="10.0.0.5:5037/OLD"}'
        values: '0x90'
      - series: 'devdoctor_run_timestamp_seconds{device="10.0.0.5:5037/FRESH"}'
        values: '0+60x90'
    alert_rule_test:
      - {eval_time: 5m, alertname: DevdoctorCheckFailing, exp_alerts: []}
      - eval_time: 12m
        alertname: DevdoctorCheckFailing
        exp_alerts:
          - exp_labels: {severity: warning, device: 10.0.0.5:5037/A1, check: camera, status: fail}
            exp_annotations: {summary: "10.0.0.5:5037/A1 fails the camera check"}
      - {eval_time: 50m, alertname: DevdoctorNotDiagnosed, exp_alerts: []}
      - eval_time: 70m
        alertname: DevdoctorNotDiagnosed
        exp_alerts:
          - exp_labels: {severity: warning, device: 10.0.0.5:5037/OLD}
            exp_annotations: {summary: "10.0.0.5:5037/OLD has not been diagnosed for an hour"}
""")
    r = subprocess.run([promtool, "test", "rules", "rules.test.yml"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def wait_listening(port: int, what: str) -> None:
    def up():
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return True
        except OSError:
            return False
    wait_until(up, 30, what)


def metrics_of(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
            return answer.read().decode()
    except OSError:
        return ""


def test_every_command_of_the_section_runs_as_written(tmp_path_factory, tmp_path):
    adb = require_adb()
    laptop = PrivateAdbServer(adb, tmp_path_factory.mktemp("laptop"))  # the laptop's own adb server (5037)
    gateway = PrivateAdbServer(adb, tmp_path_factory.mktemp("gateway"))  # the gateway's, through the tunnel
    open_gw = PrivateAdbServer(adb, tmp_path_factory.mktemp("open-gateway"))  # `adb -a` on a private network
    listen = free_port()
    laptop.start()
    env = dict(os.environ, NO_COLOR="1", DEVDOCTOR_HISTORY=str(tmp_path / "history.sqlite"), **laptop.env)
    lines = command_lines()
    ran: list[str] = []
    background = []
    try:
        with simulated(laptop, FIXTURES / "no-wmpf-a10-tablet.json") as tablet:
            gw_env = dict(os.environ, **gateway.env)
            for line in lines[:1]:  # adb start-server, on the gateway
                assert line == "adb start-server"
                subprocess.run(shlex.split(line), env=gw_env, check=True, capture_output=True, timeout=30)
                ran.append(line)
            with simulated(gateway, FIXTURES / "healthy-a9-panel.json") as panel:
                names = {"gateway": f"127.0.0.1:{gateway.port}/{panel.serial}",
                         "laptop": f"127.0.0.1:{laptop.port}/{tablet.serial}"}
                swaps = [("10.0.0.5:5037/RK3288DP0417", names["gateway"]), ("127.0.0.1:15037", f"127.0.0.1:{gateway.port}"),
                         ("127.0.0.1:5037", f"127.0.0.1:{laptop.port}"), ("10.0.0.5:5037", f"127.0.0.1:{gateway.port}"),
                         ("10.0.0.6:5037", f"127.0.0.1:{open_gw.port}"), ("-P 5037", f"-P {open_gw.port}"),
                         ("/var/lib/prometheus/node-exporter/devdoctor.prom", str(tmp_path / "devdoctor.prom")),
                         ("127.0.0.1:9464", f"127.0.0.1:{listen}")]

                def as_run(line: str) -> list[str]:
                    for readme, here in swaps:
                        line = line.replace(readme, here)
                    args = shlex.split(line)
                    return [sys.executable, "-m", "devdoctor", *args[1:]] if args[0] == "devdoctor" else args

                for line in lines[1:]:
                    args = as_run(line)
                    if args[0] == "ssh":  # -G: ssh reads the options (the forward) and says what it would do
                        r = subprocess.run([tool("ssh"), "-G", *shlex.split(line)[1:]], capture_output=True, text=True,
                                           timeout=30)
                        assert r.returncode == 0 and "localforward 15037 [127.0.0.1]:5037" in r.stdout, r.stderr
                    elif args[0] == "adb":  # the open gateway's server, in the foreground as a service runs it
                        background.append(subprocess.Popen(args, env=dict(os.environ, **open_gw.env),
                                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                        wait_listening(open_gw.port, "adb -a nodaemon server to listen")
                    elif args[3] == "watch":
                        watch = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                                 text=True)
                        background.append(watch)
                        wait_until(lambda: f'device="{tablet.serial}"' in metrics_of(listen), 60, "watch's /metrics")
                        watch.terminate()
                        assert "Traceback" not in watch.communicate(timeout=30)[1]
                    else:
                        check_devdoctor(line, subprocess.run(args, env=env, capture_output=True, text=True,
                                                             timeout=120, stdin=subprocess.DEVNULL), names, tmp_path)
                    ran.append(line)
    finally:
        for p in background:
            p.terminate()
            p.wait(30)
        for s in (laptop, gateway, open_gw):
            s.stop()
    assert ran == lines and len(lines) == 11


def check_devdoctor(line: str, r: subprocess.CompletedProcess, names: dict, tmp_path) -> None:
    """What each devdoctor line of the section must show."""
    assert "Traceback" not in r.stdout + r.stderr, r.stderr
    if line.startswith("devdoctor devices"):
        assert names["gateway"] in r.stdout and names["laptop"] in r.stdout
    elif line.startswith("devdoctor run --all --adb-server 127.0.0.1:15037"):
        doc = report(r)
        assert [d["device"]["serial"] for d in doc["devices"]] == [names["gateway"], names["laptop"]]
    elif line.startswith("devdoctor run --all --adb-server 10.0.0.5:5037"):
        assert r.returncode == 0 and names["gateway"] in r.stdout  # the open gateway has no device: no error
    elif "--metrics" in line:
        assert r.returncode == 1 and 'status="fail"' in (tmp_path / "devdoctor.prom").read_text()
    elif line == "devdoctor history":  # newest first: watch's diagnosis, then the runs; the failing device named
        assert r.stdout.index("run 4") < r.stdout.index("run 1") and f"{names['laptop']}: 1 failed" in r.stdout
    elif line.startswith("devdoctor history"):
        doc = json.loads(r.stdout)
        assert doc["device"] == names["gateway"] and len(doc["runs"]) == 2 and doc["changes"]["fixed"] == []
    elif "--no-history" in line:
        assert r.returncode == 1
        kept = json.loads(cli("history", "--json", "--history", tmp_path / "history.sqlite").stdout)["runs"]
        assert len(kept) == 3 + 1  # the three runs above and watch's one diagnosis, not this one
    else:
        raise AssertionError(f"a README line this test does not know: {line}")
