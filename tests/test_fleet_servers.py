"""Several adb servers in one run: addresses, device names, which servers are used, and what a user
sees when one of them cannot be reached (fake adb servers: no device needed)."""
import json
import os
import socket
import stat

import pytest

from conftest import FIXTURES, cli
from devdoctor.core.config import ConfigError, SiteConfig, parse
from devdoctor.fleet.address import BadAddress, ServerAddress, device_name, parse_address, parse_listen, split_name
from devdoctor.fleet.servers import AdbServers, chosen_servers
from fake_adb import FakeAdbServer


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("text, host, port", [
    ("10.0.0.5:5037", "10.0.0.5", 5037),
    ("gateway-3.line.example:15037", "gateway-3.line.example", 15037),
    ("[::1]:5037", "::1", 5037),
    (" 127.0.0.1:1 ", "127.0.0.1", 1),
])
def test_server_addresses(text, host, port):
    assert parse_address(text) == ServerAddress(host, port)


@pytest.mark.parametrize("text, words", [
    ("10.0.0.5", "not HOST:PORT"),
    (":5037", "not HOST:PORT"),
    ("10.0.0.5:0", "from 1 to 65535"),
    ("10.0.0.5:65536", "from 1 to 65535"),
    ("10.0.0.5:" + "9" * 5000, "from 1 to 65535"),  # no int() on an unbounded digit run
    ("::1:5037", "in brackets"),
    ("a;reboot:5037", "not a host name"),
    ("[::1]5037", "not HOST:PORT"),
])
def test_bad_server_addresses_are_refused_with_the_reason(text, words):
    with pytest.raises(BadAddress, match=words.replace("(", r"\(")):
        parse_address(text)


def test_device_names_carry_the_server_and_split_back():
    name = device_name(ServerAddress("10.0.0.5", 5037), "127.0.0.1:5555")
    assert name == "10.0.0.5:5037/127.0.0.1:5555"
    assert split_name(name) == ("10.0.0.5:5037", "127.0.0.1:5555")
    assert split_name("[::1]:5037/R58M") == ("[::1]:5037", "R58M")
    assert split_name("RK3288DP0417") is None and split_name("not-an-address/x") is None


def test_metrics_listen_takes_a_bare_port_to_loopback_only():
    assert parse_listen("9464") == ServerAddress("127.0.0.1", 9464)
    assert parse_listen("0.0.0.0:9464") == ServerAddress("0.0.0.0", 9464)  # as the user wrote it


def test_which_servers_a_run_uses():
    site = ["10.0.0.5:5037", "10.0.0.6:5037"]
    assert chosen_servers(["10.0.0.9:5037"], None, None, site) == ["10.0.0.9:5037"]  # the flag wins
    assert chosen_servers([], None, 5038, site) == []  # --adb-port (or adb's variable): that one server
    assert chosen_servers([], None, None, site) == site
    assert chosen_servers([], None, None, []) == []


def test_adb_servers_in_devdoctor_toml(tmp_path):
    path = tmp_path / "devdoctor.toml"
    assert parse({"adb_servers": ["10.0.0.5:5037", "[::1]:5037"]}, path).adb_servers == ["10.0.0.5:5037", "[::1]:5037"]
    assert SiteConfig().adb_servers == []
    with pytest.raises(ConfigError, match="adb_servers.*not HOST:PORT"):
        parse({"adb_servers": ["10.0.0.5"]}, path)
    with pytest.raises(ConfigError, match="adb_servers must be a list of strings"):
        parse({"adb_servers": "10.0.0.5:5037"}, path)


def test_a_bad_adb_server_option_is_a_usage_error():
    r = cli("run", "--all", "--adb-server", "10.0.0.5")
    assert r.returncode == 2 and "not HOST:PORT" in r.stderr and "Traceback" not in r.stderr


def test_devices_on_every_server_and_an_unreachable_one_reported_once():
    down = closed_port()
    with FakeAdbServer([("A1", "unauthorized", ""), ("B2", "offline", "")]) as one, \
            FakeAdbServer([("C3", "offline", "")]) as two:
        r = cli("devices", "--json", "--adb-server", f"127.0.0.1:{one.port}", "--adb-server", f"127.0.0.1:{two.port}",
                "--adb-server", f"127.0.0.1:{down}")
    rows = json.loads(r.stdout)["devices"]
    assert [(d["serial"], d["state"]) for d in rows] == [
        (f"127.0.0.1:{one.port}/A1", "unauthorized"), (f"127.0.0.1:{one.port}/B2", "offline"),
        (f"127.0.0.1:{two.port}/C3", "offline"), (f"127.0.0.1:{down}", "unreachable")]
    assert f"cannot reach the adb server at 127.0.0.1:{down}" in rows[-1]["note"]
    assert "Traceback" not in r.stderr


def test_run_all_reports_an_unreachable_server_as_the_server(tmp_path):
    down = closed_port()
    with FakeAdbServer([("A1", "unauthorized", "")]) as one:
        r = cli("run", "--all", "--json", "--adb-server", f"127.0.0.1:{one.port}", "--adb-server", f"127.0.0.1:{down}",
                "--metrics", tmp_path / "devdoctor.prom")
    doc = json.loads(r.stdout)
    assert r.returncode == 3 and doc["exit_code"] == 3
    by_name = {d["device"]["serial"]: d for d in doc["devices"]}
    assert set(by_name) == {f"127.0.0.1:{one.port}/A1", f"127.0.0.1:{down}"}
    server = by_name[f"127.0.0.1:{down}"]
    assert server["error"]["kind"] == "adb-server" and server["checks"] == []  # once, not a row per check
    assert by_name[f"127.0.0.1:{one.port}/A1"]["error"]["kind"] == "unauthorized"
    text = (tmp_path / "devdoctor.prom").read_text()
    assert f'devdoctor_adb_server_up{{server="127.0.0.1:{down}"}} 0.0' in text
    assert f'devdoctor_adb_server_up{{server="127.0.0.1:{one.port}"}} 1.0' in text
    assert f'devdoctor_device_up{{device="127.0.0.1:{one.port}/A1"}} 0.0' in text


def test_a_serial_on_two_servers_must_be_named_with_its_server():
    with FakeAdbServer([("A1", "device", "")]) as one, FakeAdbServer([("A1", "device", "")]) as two:
        r = cli("run", "--serial", "A1", "--adb-server", f"127.0.0.1:{one.port}", "--adb-server",
                f"127.0.0.1:{two.port}")
    assert r.returncode == 2 and "HOST:PORT/A1" in r.stderr
    assert f"127.0.0.1:{one.port}/A1" in r.stderr and f"127.0.0.1:{two.port}/A1" in r.stderr


def test_a_named_server_is_reached_never_started(tmp_path):
    """adbutils runs `adb start-server` when a connection is refused; for a gateway's address that
    would start a server here. devdoctor probes first, so adb is never run."""
    if os.name == "nt":
        pytest.skip("a shell script stands in for adb")
    marker = tmp_path / "adb-was-run"
    fake_adb = tmp_path / "adb"
    fake_adb.write_text(f"#!/bin/sh\ntouch {marker}\n")
    fake_adb.chmod(fake_adb.stat().st_mode | stat.S_IEXEC)
    r = cli("run", "--all", "--adb-server", f"127.0.0.1:{closed_port()}", env={"ADBUTILS_ADB_PATH": str(fake_adb)})
    assert r.returncode == 3 and "cannot reach the adb server" in r.stdout + r.stderr
    assert not marker.exists()


def test_pick_by_plain_serial_across_servers():
    with FakeAdbServer([("A1", "device", "model:M1")]) as one, FakeAdbServer([("B2", "device", "")]) as two:
        servers = AdbServers([ServerAddress("127.0.0.1", one.port), ServerAddress("127.0.0.1", two.port)])
        assert servers.pick("B2").serial == f"127.0.0.1:{two.port}/B2"
        assert servers.pick(f"127.0.0.1:{one.port}/A1").model == "M1"


def test_replays_are_not_named_after_a_server():
    r = cli("run", "--replay", FIXTURES / "healthy-a9-panel.json", "--json", "--adb-server", "127.0.0.1:1")
    assert json.loads(r.stdout)["devices"][0]["device"]["serial"] == "RK3288DP0417"
