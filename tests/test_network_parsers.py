"""The network parsers against every real capture of their kind, hand-made traps, and hostile input."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_dir
from devdoctor.parsers.connectivity import parse_dumpsys_connectivity, parse_network_line, parse_wifi_info
from devdoctor.parsers.net import (parse_dns_lookup, parse_epoch, parse_ifconfig, parse_interfaces, parse_ip,
                                   parse_ping)


def _captures(kind: str):
    d = shared_dir() / "captures"
    raws = sorted((d / "raw" / kind).glob("*.txt"))
    assert raws, f"no captures of {kind}"
    for raw in raws:
        yield raw.name, raw.read_text(encoding="utf-8"), json.loads(
            (d / "expected" / kind / (raw.stem + ".json")).read_text(encoding="utf-8"))


def test_dumpsys_connectivity_real_captures():
    for name, text, exp in _captures("dumpsys_connectivity"):
        c = parse_dumpsys_connectivity(text)
        assert c.active_default_network_id == exp["active_default_network_id"], name
        assert c.default_network_type == exp["default_network_type"], name
        assert c.validated == exp["validated"], name
        assert c.interface == exp["interface"], name
        assert c.network_count == exp["network_count"], name
        got = [(n.net_id, n.type, n.transports, n.interface, n.validated, n.has_internet) for n in c.networks]
        assert got == [(n["netId"], n["type"], n["transports"], n["interface"], n["validated"], n["has_INTERNET"])
                       for n in exp["networks"]], name
        assert c.problems == [], name


def test_dumpsys_connectivity_reads_routes_dns_and_signal_of_real_a9_capture():
    text = (shared_dir() / "captures/raw/dumpsys_connectivity/emulator-sdk-gphone-x86-a9-from-bugreport.txt").read_text()
    wifi = parse_dumpsys_connectivity(text).default
    assert [r.gateway for r in wifi.default_routes] == ["fe80::15:b2ff:fe00:100", "192.168.232.1"]
    assert wifi.dns == ["fec0::3", "10.0.2.3"]
    assert (wifi.signal_strength, wifi.ssid, wifi.use_private_dns, wifi.private_dns_server) == (-50, "AndroidWifi",
                                                                                              False, None)


def test_ip_real_captures():
    for name, text, exp in _captures("ip_addr"):
        got = parse_ip(text)
        assert got.format == exp["format"], name
        assert got.non_interface_lines == exp["non_interface_lines"], name
        assert len(got.interfaces) == len(exp["interfaces"]), name
        for i, e in zip(got.interfaces, exp["interfaces"]):
            assert (i.name, i.index, i.flags, i.operstate, i.ipv4, i.ipv6) == (
                e["name"], e["index"], e["flags"], e["operstate"], e["ipv4"], e["ipv6"]), name
            assert (i.admin_up, i.lower_up, i.link_suffix) == (e["admin_up"], e["lower_up"], e.get("link_suffix", ""))
            assert i.state in e["state_acceptable"], (name, i.name)


def test_an_address_on_a_down_interface_is_not_a_link():
    text = (shared_dir() / "captures/raw/ip_addr/emulator-sdk-x86-a7.1.1-ip-4-addr-from-bugreport.txt").read_text()
    assert [i.name for i in parse_ip(text).with_address()] == ["wlan0"]  # radio0 has 192.168.200.2 but is DOWN


def test_ifconfig_real_captures():
    for name, text, exp in _captures("ifconfig"):
        got = parse_ifconfig(text)
        assert got.format == exp["format"], name
        assert got.non_interface_lines == exp["non_interface_lines"], name
        assert [(i.name, i.link_encap, i.flags, i.state, i.ipv4, i.netmask) for i in got.interfaces] == [
            (e["name"], e["link_encap"], e["flags"], e["state"], e["ipv4"], e["netmask"]) for e in exp["interfaces"]]
        assert parse_interfaces(text).format == exp["format"]


def test_ping_real_captures():
    for name, text, exp in _captures("ping"):
        p = parse_ping(text)
        assert (p.target, p.resolved_ip, p.transmitted, p.received, p.loss_percent, p.rtt_avg_ms, p.failure) == (
            exp["target"], exp["resolved_ip"], exp["transmitted"], exp["received"], exp["loss_percent"],
            exp["rtt_avg_ms"], exp["failure"]), name
        assert len(p.runs) == exp["run_count"], name
        assert p.prompt_or_command_lines == exp["prompt_or_command_lines"], name
        for r, e in zip(p.runs, exp["runs"]):
            assert r.replies == e["replies"], name
        assert p.resolved is True and p.problems == [], name


# Formats no shared capture has: written from the tools' sources.

A13_LINE = ("  NetworkAgentInfo{network{100}  handle{432902426637}  ni{WIFI CONNECTED extra: }   Score{60}  "
            "everValidated lastValidated  lp{{InterfaceName: wlan0 LinkAddresses: [ fe80::1/64,192.168.31.87/24 ] "
            "DnsAddresses: [ /192.168.31.1 ] Domains: null MTU: 0 Routes: [ 0.0.0.0/0 -> 192.168.31.1 wlan0 mtu 0 ] "
            "UsePrivateDns: true PrivateDnsServerName: dns.google }}  nc{[ Transports: WIFI Capabilities: "
            "INTERNET&NOT_RESTRICTED&TRUSTED&NOT_VPN&VALIDATED TransportInfo: <SSID: \"Site\", BSSID: 02:00:00:00:00:00,"
            " RSSI: -54, Link speed: 433Mbps, Frequency: 5180MHz> SignalStrength: -54 SSID: \"Site\"]}}")


def test_android_11_plus_network_line():
    n = parse_network_line(A13_LINE)
    assert (n.net_id, n.type, n.interface, n.validated, n.state) == (100, "WIFI", "wlan0", True, "CONNECTED")
    assert n.dns == ["192.168.31.1"] and n.default_routes[0].gateway == "192.168.31.1"
    assert n.default_routes[0].interface == "wlan0"
    assert (n.use_private_dns, n.private_dns_server, n.link_speed_mbps, n.signal_strength, n.ssid) == (
        True, "dns.google", 433, -54, "Site")


def test_vpn_wins_over_the_underlying_transport():
    line = A13_LINE.replace("Transports: WIFI", "Transports: WIFI|VPN")
    assert parse_network_line(line).type == "VPN"


def test_default_network_missing_from_the_list_is_a_problem():
    c = parse_dumpsys_connectivity("Active default network: 105\n\nCurrent Networks:\n\nNetwork Requests:\n")
    assert c.default is None and c.default_network_type == "none"
    assert any("105" in p for p in c.problems)


@pytest.mark.parametrize("text, failure, resolved", [
    ("ping: unknown host api.weixin.qq.com\n", "unknown host", False),
    ("ping: api.weixin.qq.com: No address associated with hostname\n", "unknown host", False),
    ("ping: bad address 'api.weixin.qq.com'\n", "unknown host", False),  # busybox
    ("connect: Network is unreachable\n", "unreachable", None),
    ("ping: icmp open socket: Operation not permitted\n", "denied", None),
    ("/system/bin/sh: ping: not found\n", "not found", None),
])
def test_ping_failures(text, failure, resolved):
    p = parse_ping(text)
    assert (p.failure, p.resolved) == (failure, resolved)


def test_busybox_ping():
    text = ("PING dldir1.qq.com (61.241.130.23): 56 data bytes\n64 bytes from 61.241.130.23: seq=0 ttl=52 "
            "time=31.402 ms\n\n--- dldir1.qq.com ping statistics ---\n2 packets transmitted, 1 packets received, "
            "50% packet loss\nround-trip min/avg/max = 31.402/31.402/31.402 ms\n")
    p = parse_ping(text)
    assert (p.resolved_ip, p.transmitted, p.received, p.loss_percent, p.rtt_avg_ms, p.failure) == (
        "61.241.130.23", 2, 1, 50, 31.402, None)


def test_wifi_info_line_of_android_10_not_connected():
    line = ("mWifiInfo SSID: <unknown ssid>, BSSID: <none>, MAC: 02:00:00:00:00:00, Supplicant state: UNINITIALIZED, "
            "RSSI: -127, Link speed: -1Mbps, Tx Link speed: 0Mbps, Rx Link speed: 0Mbps, Frequency: -1MHz")
    w = parse_wifi_info(line)
    assert (w.rssi, w.link_speed_mbps, w.connected) == (-127, -1, False)


@pytest.mark.parametrize("text, epoch", [("1795167000\n", 1795167000), ("1795167000\r\n", 1795167000),
                                         ("+%s\n", None), ("", None), ("date: bad format\n", None)])
def test_epoch(text, epoch):
    assert parse_epoch(text).epoch == epoch


hostile = st.one_of(st.text(max_size=3000), st.text(alphabet="{}[]()<>:/,&|.-=0123456789 \n\r\tPINGabcWIFI",
                                                    max_size=3000))


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_parsers_never_raise(text):
    for parse in (parse_dumpsys_connectivity, parse_ip, parse_ifconfig, parse_interfaces, parse_ping, parse_epoch,
                  parse_wifi_info, parse_network_line):
        parse(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_a_network_line_with_any_tail_never_raises(tail):
    n = parse_network_line("  NetworkAgentInfo{network{1}  lp{{InterfaceName: " + tail)
    assert n.net_id == 1


@pytest.mark.parametrize("text, addresses, failure", [
    ("Server:    10.0.0.1\nAddress 1: 10.0.0.1\n\nName:      api.weixin.qq.com\nAddress 1: 101.91.22.57\n",
     ["101.91.22.57"], None),  # busybox before 1.28
    ("Server:\t\t10.0.0.1\nAddress:\t10.0.0.1:53\n\nNon-authoritative answer:\nName:\tapi.weixin.qq.com\n"
     "Address: 101.91.22.57\n", ["101.91.22.57"], None),  # busybox 1.28+: the server's address is not an answer
    ("Server:    10.0.0.1\nAddress 1: 10.0.0.1\n\nnslookup: can't resolve 'api.weixin.qq.com'\n", [], "not found"),
    ("** server can't find api.weixin.qq.com: NXDOMAIN\n", [], "not found"),
    (";; connection timed out; no servers could be reached\n", [], "no server"),
    ("api.weixin.qq.com has address 101.91.22.57\n", ["101.91.22.57"], None),  # host
    ("/system/bin/sh: nslookup: not found\n", [], "not run"),
])
def test_dns_lookup(text, addresses, failure):
    d = parse_dns_lookup(text)
    assert (d.addresses, d.failure) == (addresses, failure)


@settings(max_examples=200, deadline=None)
@given(hostile)
def test_dns_lookup_never_raises(text):
    parse_dns_lookup(text)
