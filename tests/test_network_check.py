"""The `network` check on the bundled recordings: each verdict for its reason, as a user reads it."""
from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, cli, replay_report, result_of
from devdoctor.check import Context, Settings
from devdoctor.sources.device import CommandResult, CommandTimeout, is_host_name
from devdoctor.core.facts import Facts
from devdoctor.sources.fixture import load
from devdoctor.sources.replay import Replayer
from devdoctor.result import Status


def network(name: str, **settings):
    return result_of(replay_report(name, only=["network"], **settings), "network")


def probe(result, name: str) -> dict:
    found = next(p for p in result.to_json()["findings"] if p["name"] == name)
    return {**found["details"], **found}  # what the finding measured, beside its verdict


@pytest.mark.parametrize("name, kind, iface", [
    ("net-ethernet-a9-board", "Ethernet", "eth0"),
    ("net-wifi-a13-phone", "Wi-Fi", "wlan0"),
    ("net-a7.1-board", "Wi-Fi", "wlan0"),
    ("healthy-a9-panel", "Ethernet", "eth0"),
    ("a7.0-board", "Ethernet", "eth0"),
])
def test_online_devices_pass(name, kind, iface):
    r = network(name)
    assert r.status == Status.PASS, r.summary
    assert r.summary.startswith(f"link: {kind} {iface} ")
    assert "3 of 3 hosts resolve" in r.summary and "3 of 3 hosts reply" in r.summary


def test_unvalidated_network_is_evidence_not_a_verdict():
    r = network("net-ethernet-a9-board")
    assert r.status == Status.PASS
    assert "not validated by Android" in r.summary
    assert any("check host is often blocked" in e.note for e in r.evidence)
    assert probe(r, "link")["validated"] is False


def test_android_13_wifi_reads_signal_from_transport_info_without_dumpsys_wifi():
    r = network("net-wifi-a13-phone")
    assert probe(r, "wifi")["status"] == "pass"
    assert "-54 dBm, 433 Mbps link" in r.summary
    assert all("dumpsys wifi" not in e.command for e in r.evidence)


def test_android_7_1_old_formats_and_dumpsys_wifi():
    r = network("net-a7.1-board")
    assert probe(r, "link")["gateway"] == "192.168.31.1"
    assert "-61 dBm, 65 Mbps link" in r.summary
    assert any(e.command == "dumpsys wifi | grep mWifiInfo" for e in r.evidence)
    assert "no private DNS before Android 9" in r.summary


def test_no_network_fails_and_skips_dns():
    r = network("net-no-network-a10")
    assert r.status == Status.FAIL
    assert r.summary.startswith("link: no active network")
    assert probe(r, "dns")["status"] == "skipped" and probe(r, "reach")["status"] == "skipped"
    assert "Ethernet cable" in r.remedy.text and r.remedy.faq == "4.2"


def test_airplane_mode_fails_with_its_own_reason():
    r = network("net-airplane-a9")
    assert r.status == Status.FAIL
    assert r.summary.startswith("link: airplane mode is on")
    assert "airplane mode off" in r.remedy.text


def test_dns_failure_with_link_up():
    r = network("net-dns-fail-a9")
    assert r.status == Status.FAIL
    assert r.summary.startswith("DNS: api.weixin.qq.com, open.weixin.qq.com, dldir1.qq.com do not resolve (3 of 3)")
    assert probe(r, "link")["status"] == "pass"
    assert "DNS server" in r.remedy.text and r.remedy.commands == ["adb shell ping -c 2 -W 2 -n api.weixin.qq.com"]


def test_host_that_drops_ping_warns():
    r = network("net-icmp-drop-a10")
    assert r.status == Status.WARN
    assert r.summary.startswith("reachability: api.weixin.qq.com, dldir1.qq.com resolve but do not answer ping "
                                "(1 of 3 reply)")
    assert probe(r, "dns")["status"] == "pass"
    assert "not a fault" in r.remedy.text and r.remedy.faq == "4.9"


def test_clock_two_hours_behind_fails_against_the_recorded_laptop_time():
    r = network("net-clock-2h-a8")
    assert r.status == Status.FAIL
    assert r.summary.startswith("clock: the device clock is 2 h 0 min behind the laptop's (time zone Asia/Shanghai)")
    assert -7202 < probe(r, "clock")["skew_s"] < -7198
    assert "auto_time" in r.remedy.commands[0]


def test_global_proxy_warns_with_its_value():
    r = network("net-proxy-a11")
    assert r.status == Status.WARN
    assert r.summary.startswith("proxy: a global HTTP proxy is set: 192.168.1.10:8888")
    assert "adb shell settings put global http_proxy :0" in r.remedy.commands


def test_private_dns_hostname_warns():
    r = network("net-private-dns-a10")
    assert r.status == Status.WARN
    assert r.summary.startswith("proxy: private DNS is set to a hostname: dns.google")


def test_weak_wifi_warns_with_the_bandwidth_figures():
    r = network("net-weak-wifi-a9")
    assert r.status == Status.WARN
    assert r.summary.startswith("Wi-Fi: weak Wi-Fi: -82 dBm, 6 Mbps link")
    assert "2 MB a minute" in r.remedy.text and r.remedy.faq == "1.8"


def test_cellular_passes_with_the_iot_sim_note():
    r = network("net-cellular-a8")
    assert r.status == Status.PASS
    assert "link: cellular rmnet_data0" in r.summary
    assert "directed" in probe(r, "cellular")["summary"] and r.remedy.faq == "1.7"


def test_a_hanging_probe_is_unknown_and_the_check_still_finishes():
    r = network("net-probe-hangs-a9")
    assert r.status == Status.UNKNOWN
    assert "open.weixin.qq.com: no answer within 8 s (name lookup or ping hung)" in r.summary
    assert "ran out of time" not in r.summary  # the probe's own limit, not the runner's
    assert probe(r, "link")["status"] == "pass" and probe(r, "reach")["status"] == "pass"


def test_missing_tools_give_unknown_with_a_reason_and_ifconfig_stands_in():
    r = network("net-no-tools-a8")
    assert r.status == Status.UNKNOWN
    assert r.summary.startswith("DNS: could not tell: api.weixin.qq.com: this device has no ping")
    assert "has no `ping`" in r.remedy.text
    assert probe(r, "link")["status"] == "pass"
    assert any(e.command == "ifconfig" for e in r.evidence)


def test_custom_hosts_are_probed_and_unrecorded_ones_are_unknown():
    r = network("healthy-a9-panel", network_hosts=["api.weixin.qq.com", "example.com"])
    assert r.status == Status.UNKNOWN
    assert "1 of 2 hosts resolve; example.com: not recorded" in r.summary


def test_hostile_host_names_never_reach_the_shell():
    sent = []
    rep = Replayer(load(FIXTURES / "healthy-a9-panel.json"))
    inner = rep.shell

    def spy(cmd, timeout=8.0):
        sent.append(cmd if isinstance(cmd, str) else " ".join(cmd))
        return inner(cmd, timeout)
    rep.shell = spy
    from devdoctor_checks.network import NetworkCheck
    r = NetworkCheck().run(Context(rep, Facts(rep), Settings(network_hosts=["api.weixin.qq.com", "x;reboot",
                                                                           "$(id)", "-f"])))
    assert not any("reboot" in c or "id)" in c or " -f" in c for c in sent)
    assert "x;reboot: not a valid host name, not probed" in json.dumps(r.to_json()["findings"])


@pytest.mark.parametrize("name, ok", [("api.weixin.qq.com", True), ("10.0.0.1", True), ("::1", True),
                                      ("x;reboot", False), ("-f", False), ("a b", False), ("", False),
                                      ("$(id)", False), ("a" * 64 + ".com", False)])
def test_is_host_name(name, ok):
    assert is_host_name(name) is ok


def test_cli_refuses_a_bad_network_host():
    r = cli("run", "--replay", FIXTURES / "healthy-a9-panel.json", "--only", "network", "--network-host", "a;b")
    assert r.returncode == 2 and "is not a host name" in r.stderr and "Traceback" not in r.stderr


def test_clock_without_recorded_laptop_time_is_unknown():
    from devdoctor_checks.network import clock_probe
    p = clock_probe(CommandResult("date +%s", "1795167000\n", host_time=None), "Asia/Shanghai")
    assert p.status == Status.UNKNOWN and "no laptop time" in p.summary


def test_probe_timeout_reason():
    from devdoctor_checks.network import host_result
    h = host_result("api.weixin.qq.com", CommandTimeout("ping -c 2 -W 2 -n api.weixin.qq.com", 8.0))
    assert h.resolved is None and h.line == "api.weixin.qq.com: no answer within 8 s (name lookup or ping hung)"


def test_every_verdict_of_the_network_check_is_reached_by_the_recordings():
    seen = set()
    for f in FIXTURES.glob("*.json"):
        seen.add(network(f.stem).status)
    assert seen == {Status.PASS, Status.WARN, Status.FAIL, Status.UNKNOWN, Status.SKIPPED}


class _CountingDevice:
    """A device that answers from a recording, holding each ping open until all three pings are in flight."""

    serial, kind = "counting", "replay"

    def __init__(self, inner):
        import threading
        self.inner, self.lock, self.pings, self.most = inner, threading.Lock(), 0, 0
        self.all_in = threading.Event()

    def shell(self, cmd, timeout=8.0):
        if not str(cmd).startswith("ping"):
            return self.inner.shell(cmd, timeout)
        with self.lock:
            self.pings += 1
            self.most = max(self.most, self.pings)
            if self.pings == 3:
                self.all_in.set()
        try:
            self.all_in.wait(5)  # pings sent one after another would each wait here in vain
            return self.inner.shell(cmd, timeout)
        finally:
            with self.lock:
                self.pings -= 1

    def pull(self, path, timeout=30.0):
        return self.inner.pull(path, timeout)

    def close(self):
        pass


def test_probes_are_sent_at_the_same_time():
    from devdoctor_checks.network import NetworkCheck
    dev = _CountingDevice(Replayer(load(FIXTURES / "healthy-a9-panel.json")))
    r = NetworkCheck().run(Context(dev, Facts(dev), Settings()))
    assert r.status == Status.PASS
    assert dev.most == 3


def test_the_check_time_limit_covers_both_rounds_of_probes():
    from devdoctor_checks.network import PROBE_TIMEOUT, NetworkCheck
    assert NetworkCheck.timeout >= 2 * PROBE_TIMEOUT


def _conn(text: str) -> CommandResult:
    return CommandResult("dumpsys connectivity", text)


ETH_LINE = ("  NetworkAgentInfo{ ni{[type: ETHERNET[], state: CONNECTED/CONNECTED, reason: (unspecified), extra: x, "
            "failover: false, available: true, roaming: false]}  network{101}  nethandle{1}  lp{{InterfaceName: eth0 "
            "LinkAddresses: [192.168.1.50/24,]  Routes: [192.168.1.0/24 -> 0.0.0.0 eth0,] DnsAddresses: [192.168.1.1,] "
            "Domains: null MTU: 0}}  nc{[ Transports: ETHERNET Capabilities: INTERNET&NOT_RESTRICTED&TRUSTED&NOT_VPN]}  "
            "Score{20} }")


def test_link_without_a_gateway_fails():
    from devdoctor_checks.network import link_probe
    p, default = link_probe(_conn(f"Active default network: 101\n\nCurrent Networks:\n{ETH_LINE}\n"),
                            CommandResult("ip -4 addr show", ""), None, "0", 28)
    assert p.status == Status.FAIL and default.interface == "eth0"
    assert p.summary == "Ethernet eth0 (192.168.1.50/24) has no default route (no gateway)"


def test_unreadable_connectivity_dump_is_unknown_with_its_first_line():
    from devdoctor_checks.network import link_probe
    p, _ = link_probe(_conn("Can't find service: connectivity\n"), CommandResult("ip -4 addr show", ""), None,
                      None, 28)
    assert p.status == Status.UNKNOWN
    assert p.summary == "dumpsys connectivity gave no network state: Can't find service: connectivity"


def test_network_unreachable_fails_reachability():
    from devdoctor_checks.network import dns_reach_probes, host_result
    h = host_result("api.weixin.qq.com", CommandResult("ping -c 2 -W 2 -n api.weixin.qq.com", "",
                                                       "connect: Network is unreachable\n", 2))
    dns, reach = dns_reach_probes([h], link_ok=True)
    assert reach.status == Status.FAIL and reach.summary == "api.weixin.qq.com: network unreachable"


class _RandomDevice:
    """Answers every command with the same hostile text and exit code (None: a legacy shell without one)."""

    serial, kind = "random", "replay"

    def __init__(self, text: str, code, props: str):
        self.text, self.code, self.props = text, code, props

    def shell(self, cmd, timeout=8.0):
        if cmd == "getprop":
            return CommandResult(cmd, self.props)
        return CommandResult(cmd, self.text, self.text[:50], self.code, 0.01, None if self.code == 3 else 1.7e9)

    def pull(self, path, timeout=30.0):
        raise NotImplementedError

    def close(self):
        pass


from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402


@hsettings(max_examples=60, deadline=None)
@given(st.text(max_size=600), st.sampled_from([0, 1, 2, 127, None, 3]),
       st.sampled_from(["", "[ro.build.version.sdk]: [25]\n[sys.boot_completed]: [1]\n",
                        "[ro.build.version.sdk]: [33]\n[sys.boot_completed]: [1]\n"]))
def test_the_check_never_crashes_on_hostile_answers(text, code, props):
    from devdoctor_checks.network import NetworkCheck
    dev = _RandomDevice(text, code, props)
    r = NetworkCheck().run(Context(dev, Facts(dev), Settings()))
    assert r.status in set(Status) and r.summary
    assert {f.name for f in r.findings} >= {"link", "dns", "reach", "clock", "proxy", "wifi"}


def test_without_ping_nslookup_still_answers_for_dns():
    from devdoctor_checks.network import dns_reach_probes, host_result
    missing = CommandResult("ping -c 2 -W 2 -n dldir1.qq.com", "", "/system/bin/sh: ping: not found\n", 127)
    ns = CommandResult("nslookup dldir1.qq.com", "Server:    10.0.0.1\nAddress 1: 10.0.0.1\n\nName:      dldir1.qq.com\n"
                                                 "Address 1: 61.241.130.23\n")
    h = host_result("dldir1.qq.com", missing, ns)
    assert (h.resolved, h.line) == (True, "dldir1.qq.com resolves to 61.241.130.23 (no ping here to test more)")
    dns, reach = dns_reach_probes([h], link_ok=True)
    assert dns.status == Status.PASS and reach.status == Status.UNKNOWN
    assert reach.summary == "this device has no ping to test whether the hosts answer"


class _BusyboxPing:
    """A recorded device whose ping is busybox's: it refuses -n, and answers in its own format without it."""

    serial, kind = "busybox", "replay"

    def __init__(self):
        self.inner = Replayer(load(FIXTURES / "healthy-a9-panel.json"))

    def shell(self, cmd, timeout=8.0):
        if cmd.startswith("ping") and " -n " in cmd:
            return CommandResult(cmd, "", "ping: invalid option -- 'n'\nBusyBox v1.29.3 (2019-01-05) multi-call "
                                          "binary.\n\nUsage: ping [OPTIONS] HOST\n", 1)
        if cmd.startswith("ping"):
            host = cmd.split()[-1]
            return CommandResult(cmd, f"PING {host} (61.241.130.23): 56 data bytes\n64 bytes from 61.241.130.23: "
                                      "seq=0 ttl=52 time=31.402 ms\n64 bytes from 61.241.130.23: seq=1 ttl=52 "
                                      f"time=29.8 ms\n\n--- {host} ping statistics ---\n2 packets transmitted, 2 "
                                      "packets received, 0% packet loss\nround-trip min/avg/max = 29.800/30.601/31.402"
                                      " ms\n", "", 0)
        return self.inner.shell(cmd, timeout)

    def pull(self, path, timeout=30.0):
        return self.inner.pull(path, timeout)

    def close(self):
        pass


def test_busybox_ping_is_asked_again_without_minus_n():
    from devdoctor_checks.network import NetworkCheck
    dev = _BusyboxPing()
    r = NetworkCheck().run(Context(dev, Facts(dev), Settings()))
    assert r.status == Status.PASS, r.summary
    assert "3 of 3 hosts reply" in r.summary
    assert any(e.command == "ping -c 2 -W 2 dldir1.qq.com" for e in r.evidence)


def test_a_device_still_booting_is_skipped_not_failed():
    r = network("net-booting-a9")
    assert r.status == Status.SKIPPED
    assert r.summary == "Android is still starting (sys.boot_completed is not 1); its network comes up after boot"
    assert "run devdoctor again" in r.remedy.text
