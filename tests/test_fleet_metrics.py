"""Prometheus metrics: what they say of each device and check, that Prometheus's own promtool accepts
them, that labels hold no free text, and that a metrics file keeps the devices of earlier runs."""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, IN_CI, cli, replay_report
from devdoctor.fleet.metrics import FleetMetrics
from devdoctor.core.runner import DeviceReport, Identity


def promtool() -> str:
    path = shutil.which("promtool")
    if path:
        return path
    if IN_CI:
        pytest.fail("promtool is not installed: CI must install Debian's prometheus (apt-get install prometheus)")
    pytest.skip("promtool is not installed (Debian/Ubuntu: apt install prometheus)")


def named(report, name: str):
    report.identity.serial = name
    return report


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in the text format (labels in any order)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and s.labels == labels:
                return s.value
    raise AssertionError(f"no sample {name}{labels}")


def test_one_status_per_check_and_no_free_text_in_labels():
    failing = named(replay_report("no-wmpf-a10-tablet"), "10.0.0.5:5037/LT10")
    healthy = named(replay_report("healthy-a9-panel"), "10.0.0.6:5037/RK3288DP0417")
    metrics = FleetMetrics(clock=lambda: 1_800_000_000.0)
    metrics.observe(failing, finished_at=1_799_999_000.0)
    metrics.observe(healthy)
    text = metrics.text()
    dev = "10.0.0.5:5037/LT10"
    assert sample(text, "devdoctor_check_status", device=dev, check="wmpf-installed", status="fail") == 1
    for other in ("pass", "warn", "unknown", "skipped"):
        assert sample(text, "devdoctor_check_status", device=dev, check="wmpf-installed", status=other) == 0
    assert sample(text, "devdoctor_run_timestamp_seconds", device=dev) == 1_799_999_000.0
    assert sample(text, "devdoctor_device_up", device=dev) == 1
    assert sample(text, "devdoctor_adb_server_up", server="10.0.0.6:5037") == 1
    assert "devdoctor_run_age_seconds" not in text  # a file cannot age: only a served /metrics says it
    for r in (failing, healthy):
        for c in r.results:
            assert c.summary not in text
    served = FleetMetrics(live=True, clock=lambda: 1_800_000_000.0)
    served.observe(failing, finished_at=1_799_999_000.0)
    assert sample(served.text(), "devdoctor_run_age_seconds", device=dev) == 1000.0


def test_promtool_accepts_the_metrics_file(tmp_path):
    prom = tmp_path / "devdoctor.prom"
    r = cli("run", "--replay", FIXTURES / "wmpf-1.1.3-a8-kiosk.json", "--metrics", prom)
    assert r.returncode == 1 and prom.is_file(), r.stderr
    check = subprocess.run([promtool(), "check", "metrics"], input=prom.read_text(), capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["devdoctor.prom"]  # no temporary file left beside it


def test_a_metrics_file_keeps_earlier_devices_and_counts_on(tmp_path):
    prom = tmp_path / "devdoctor.prom"
    first = FleetMetrics(clock=lambda: 1000.0)
    first.observe(named(replay_report("healthy-a9-panel"), "10.0.0.5:5037/GONE"))
    first.observe(DeviceReport(Identity("10.0.0.6:5037"), error="cannot reach", error_kind="adb-server"))
    first.write(prom)
    second = FleetMetrics(clock=lambda: 2000.0)
    second.load_textfile(prom)
    second.observe(named(replay_report("no-wmpf-a10-tablet"), "10.0.0.5:5037/LT10"))
    second.observe(DeviceReport(Identity("10.0.0.6:5037"), error="cannot reach", error_kind="adb-server"))
    text = second.text()
    # the device not seen this time keeps its last diagnosis, and its time: an alert can tell it is old
    assert sample(text, "devdoctor_run_timestamp_seconds", device="10.0.0.5:5037/GONE") == 1000.0
    assert sample(text, "devdoctor_check_status", device="10.0.0.5:5037/GONE", check="camera", status="pass") == 1
    assert sample(text, "devdoctor_run_timestamp_seconds", device="10.0.0.5:5037/LT10") == 2000.0
    # the counter goes on from the file's value, counting a server that stays down once
    assert sample(text, "devdoctor_errors_total", kind="adb_server") == 1


def test_a_damaged_metrics_file_is_replaced_not_fatal(tmp_path):
    prom = tmp_path / "devdoctor.prom"
    prom.write_bytes(b"devdoctor_check_status{device=\"x\" 1\n\xff\xfe garbage")
    r = cli("run", "--demo", "--metrics", prom)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert 'device="RK3399KSK2201"' in prom.read_text() and "garbage" not in prom.read_text()


def test_a_metrics_file_in_a_missing_folder_is_refused_before_the_run(tmp_path):
    r = cli("run", "--demo", "--metrics", tmp_path / "no-such-folder" / "devdoctor.prom")
    assert r.returncode == 2 and "no-such-folder" in r.stderr and "RK3399KSK2201" not in r.stdout


def test_an_unwritable_metrics_file_exits_2_after_the_diagnosis():
    if not sys.platform.startswith("linux"):
        pytest.skip("/proc, where no file can be made even by root, is Linux's")
    r = cli("run", "--demo", "--json", "--metrics", "/proc/devdoctor.prom")
    assert r.returncode == 2 and "cannot write /proc/devdoctor.prom" in r.stderr and "Traceback" not in r.stderr
    assert json.loads(r.stdout)["exit_code"] == 2
