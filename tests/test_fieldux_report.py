"""The support page: `run --report PATH` writes one HTML file a support engineer opens anywhere, with
identifying values masked and the recording inside; `run --replay PAGE` replays it with today's checks
and says which verdicts changed since the field run."""
import json
import re

import pytest

from conftest import FIXTURES, cli
from devdoctor.report import support
from devdoctor.sources.fixture import Entry, Fixture
from devdoctor.report.redact import Redactor


def _page(tmp_path, fixture="no-wmpf-a10-tablet", *extra):
    page = tmp_path / "report.html"
    r = cli("run", "--replay", FIXTURES / f"{fixture}.json", "--report", page, "--lang", "en", *extra)
    return r, page, page.read_text(encoding="utf-8") if page.exists() else ""


def test_the_page_shows_verdicts_remedies_device_version_and_time(tmp_path):
    r, page, html = _page(tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "support page" in r.stderr and str(page) in r.stderr
    assert html.startswith("<!DOCTYPE html>") and '<meta name="viewport"' in html
    assert "LT-10 Learning Tablet" in html and "Android</dt><dd>10 (SDK 29)" in html
    assert "WMPF Service (com.tencent.wmpf) is not installed" in html
    assert "adb install -r wmpf-arm64" in html and "(WMPF FAQ 4.5)" in html
    assert re.search(r"<dt>Diagnosed</dt><dd>\d{4}-\d\d-\d\dT", html)
    assert "<dt>devdoctor</dt><dd>0." in html
    assert "1 problem(s) found" in html


def test_the_page_is_self_contained(tmp_path):
    _r, _page_path, html = _page(tmp_path)
    assert not re.search(r'<(link|img|iframe)\b|src=|https?://', html.split('<script type="application/json"')[0])
    assert "<script>" not in html  # nothing runs; the two scripts are JSON data


def test_the_serial_and_host_name_are_masked_unless_no_redact(tmp_path):
    _r, _p, html = _page(tmp_path)
    assert "MT8168TB9Q0355" not in html and "android-8f4e7be34c109bfb" not in html
    assert "SERIAL01" in html
    assert "serials, IMEIs" in _r.stderr
    _r2, _p2, raw = _page(tmp_path, "no-wmpf-a10-tablet", "--no-redact")
    assert "MT8168TB9Q0355" in raw and "Nothing is masked" in raw


def test_replaying_the_page_gives_the_same_verdicts(tmp_path):
    _r, page, _html = _page(tmp_path)
    r = cli("run", "--replay", page, "--lang", "en")
    assert r.returncode == 1
    assert "SERIAL01" in r.stdout and "[✗] WMPF Service installed" in r.stdout
    assert "Same verdicts as the field run of" in r.stdout


def test_replaying_the_page_shows_what_changed_since_the_field_run(tmp_path):
    _r, page, html = _page(tmp_path, "a7.0-board")
    # as if the field run had been made by a devdoctor whose wmpf-installed check failed
    page.write_text(html.replace('"id": "wmpf-installed", "title": "WMPF Service installed", "status": "pass"',
                                 '"id": "wmpf-installed", "title": "WMPF Service installed", "status": "fail"'),
                    encoding="utf-8")
    r = cli("run", "--replay", page, "--lang", "en")
    assert "Changed since the field run of" in r.stdout
    assert "WMPF Service installed (wmpf-installed): failed → OK" in r.stdout
    assert "Android version (android-version)" not in r.stdout.split("Changed since")[1]
    zh = cli("run", "--replay", page, "--lang", "zh")
    assert "WMPF Service 已安装 (wmpf-installed):失败 → 正常" in zh.stdout.replace(": ", ":")


def test_a_chinese_page(tmp_path):
    page = tmp_path / "zh.html"
    cli("run", "--replay", FIXTURES / "a7.0-board.json", "--report", page, "--lang", "zh")
    html = page.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "处理办法" in html and "版本过低" in html


@pytest.mark.parametrize("content, words", [
    ("<!DOCTYPE html><html><body>hello</body></html>", "without a devdoctor recording"),
    ('<!DOCTYPE html><script type="application/json" id="devdoctor-recording">{oops</script>', "damaged"),
])
def test_a_page_without_a_usable_recording_is_refused(tmp_path, content, words):
    page = tmp_path / "page.html"
    page.write_text(content)
    r = cli("run", "--replay", page, "--lang", "en")
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr


def test_report_cannot_be_written(tmp_path):
    r = cli("run", "--demo", "--report", tmp_path / "no" / "such" / "dir" / "r.html", "--lang", "en")
    assert r.returncode == 2 and "cannot write" in r.stderr


def test_device_output_cannot_close_the_script_element(tmp_path):
    fx = Fixture({"serial": "X1"}, [Entry("getprop", b"[ro.x]: [</script><script>alert(1)</script>]\n")])
    from devdoctor.core.runner import DeviceReport, Identity

    page = tmp_path / "p.html"
    support.write(page, DeviceReport(Identity("X1")), fx, 0)
    html = page.read_text()
    assert "<script>alert" not in html
    assert support.read(page).fixture.entries[0].stdout.startswith(b"[ro.x]: [</script>")


# -- what is masked -------------------------------------------------------------------------------

def _masked(text: str, serial: str = "") -> str:
    r = Redactor()
    r.add_serial(serial)
    r.learn(text)
    return r.text(text)


def test_addresses_are_masked_in_the_same_private_range_and_subnet():
    out = _masked("    inet 192.168.31.27/24 brd 192.168.31.255 scope global wlan0\n"
                  "gateway 192.168.31.1 dns 114.114.114.114 server 58.251.100.12 lo 127.0.0.1 mask 255.255.255.0\n"
                  "    inet 10.42.7.9/8\n")
    assert "192.168.31" not in out and "58.251.100.12" not in out and "10.42.7.9" not in out
    ips = re.findall(r"\d+\.\d+\.\d+\.\d+", out)
    assert ips[0].startswith("192.168.") and ips[0].endswith(".27")
    assert ips[0].rsplit(".", 1)[0] == ips[1].rsplit(".", 1)[0] == ips[2].rsplit(".", 1)[0]  # same /24 still
    assert "114.114.114.114" in out and "127.0.0.1" in out and "255.255.255.0" in out
    assert re.search(r"inet 10\.\d+\.\d+\.9/8", out)


def test_macs_ipv6_imeis_wifi_names_and_serials_are_masked():
    text = ("    link/ether 3c:28:6d:1a:2b:3c brd ff:ff:ff:ff:ff:ff\n"
            "    inet6 fe80::3e28:6dff:fe1a:2b3c/64 scope link\n    inet6 2408:8207:1851:7e0::1a2b/64 scope global\n"
            "[persist.radio.imei]: [865166023456781]\n[ro.serialno]: [LOCK7781]\n"
            'NetworkInfo: type: WIFI[], state: CONNECTED/CONNECTED, extra: "Lobby-B 5G", roaming: false\n'
            'mWifiInfo SSID: "Lobby-B 5G", BSSID: 3c:28:6d:1a:2b:40, MAC: 02:00:00:00:00:00\n'
            "IMEI 865166023456781 again; versionName=2.1.0.1 ro.build.version.release 7.1.2; 1712345678901")
    out = _masked(text, "LOCK7781")
    for secret in ("3c:28:6d", "fe80::3e28", "2408:8207", "865166023456781", "LOCK7781", "Lobby-B"):
        assert secret not in out, secret
    assert "ff:ff:ff:ff:ff:ff" in out and "02:00:00:00:00:00" in out
    assert "versionName=2.1.0.1" in out and "7.1.2" in out and "1712345678901" in out
    assert out.count("wifi-1") == 2  # the same name, the same stand-in


def test_times_and_versions_are_not_taken_for_addresses():
    text = "11-24 18:02:17.123  1234  1240 I WMPF: version 1.1.3.0 at 18:02:17"
    assert _masked(text) == text


def test_a_redacted_recording_replays_to_the_same_verdicts(tmp_path):
    for name in ("no-wmpf-a10-tablet", "healthy-a9-panel", "wmpf-1.1.3-a8-kiosk", "a7.0-board"):
        page = tmp_path / f"{name}.html"
        before = json.loads(cli("run", "--replay", FIXTURES / f"{name}.json", "--json", "--report", page).stdout)
        after = json.loads(cli("run", "--replay", page, "--json").stdout)
        assert ([(c["id"], c["status"]) for c in before["devices"][0]["checks"]]
                == [(c["id"], c["status"]) for c in after["devices"][0]["checks"]])


def test_the_json_report_of_a_replayed_page_lists_the_changes(tmp_path):
    _r, page, html = _page(tmp_path, "a7.0-board")
    page.write_text(html.replace('"id": "android-version", "title": "Android version", "status": "fail"',
                                 '"id": "android-version", "title": "Android version", "status": "warn"'),
                    encoding="utf-8")
    doc = json.loads(cli("run", "--replay", page, "--json", "--lang", "en").stdout)
    assert doc["field_run"]["devdoctor_version"] and doc["field_run"]["changes"] == [
        {"id": "android-version", "title": "Android version", "before": "warn", "after": "fail"}]
