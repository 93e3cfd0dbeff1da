"""`inspect` on every listing of network interfaces an Android shell prints: iproute2's `ip addr`,
`ip -4|-6 addr`, `ip link`, `ip -o`; ifconfig of toybox, busybox and toolbox; `netcfg`; /proc/net/if_inet6
and /proc/net/dev (tests/data/formats/README.md says where each layout comes from)."""
from __future__ import annotations

from pathlib import Path

import pytest

from devdoctor.readings.pasted import inspect_bytes

DATA = Path(__file__).parent / "data" / "formats" / "interfaces"
WLAN4, WLAN6 = ["192.168.1.23/24"], ["2408:8207:2460:1b10:ff:fe44:5566/64", "fe80::ff:fe44:5566/64"]
# file -> (kind told, format, {name: (index, state, ipv4, ipv6)})
LAYOUTS = {
    "ip-addr": ("ip_addr", "ip_addr", {"lo": (1, "UP", ["127.0.0.1/8"], ["::1/128"]),
                                       "dummy0": (3, "UP", [], ["fe80::943a:51ff:fe0c:2e17/64"]),
                                       "wlan0": (23, "UP", WLAN4, WLAN6), "eth0": (24, "DOWN", [], [])}),
    "ip-4-addr": ("ip_addr", "ip_4_addr", {"lo": (1, "UP", ["127.0.0.1/8"], []), "wlan0": (23, "UP", WLAN4, [])}),
    "ip-6-addr": ("ip_addr", "ip_6_addr", {"lo": (1, "UP", [], ["::1/128"]),
                                           "dummy0": (3, "UP", [], ["fe80::943a:51ff:fe0c:2e17/64"]),
                                           "wlan0": (23, "UP", [], WLAN6)}),
    "ip-link": ("ip_addr", "ip_link", {"lo": (1, "UP", [], []), "dummy0": (3, "UP", [], []),
                                       "wlan0": (23, "UP", [], []), "eth0": (24, "DOWN", [], [])}),
    "ip-o-link": ("ip_addr", "ip_o_link", {"lo": (1, "UP", [], []), "dummy0": (3, "UP", [], []),
                                           "wlan0": (23, "UP", [], []), "eth0": (24, "DOWN", [], [])}),
    "ip-o-addr": ("ip_addr", "ip_o_addr", {"lo": (1, None, ["127.0.0.1/8"], ["::1/128"]),
                                           "dummy0": (3, None, [], ["fe80::943a:51ff:fe0c:2e17/64"]),
                                           "wlan0": (23, None, WLAN4, WLAN6)}),
    "ip-o-4-addr": ("ip_addr", "ip_o_4_addr", {"lo": (1, None, ["127.0.0.1/8"], []), "wlan0": (23, None, WLAN4, [])}),
    "ifconfig-toybox": ("ifconfig", "toybox_ifconfig", {"lo": (None, "UP", ["127.0.0.1/8"], ["::1/128"]),
                                                        "wlan0": (None, "UP", WLAN4, ["fe80::ff:fe44:5566/64"]),
                                                        "eth0": (None, "UP", [], []), "dummy0": (None, "DOWN", [], [])}),
    "ifconfig-busybox": ("ifconfig", "busybox_ifconfig", {"eth0": (None, "UP", ["10.0.0.8/24"],
                                                                   ["fe80::ff:fea1:b2c3/64"]),
                                                          "lo": (None, "UP", ["127.0.0.1/8"], ["::1/128"])}),
    "ifconfig-toolbox": ("ifconfig", "toolbox_ifconfig", {"wlan0": (None, "UP", WLAN4, []),
                                                          "lo": (None, "UP", ["127.0.0.1/8"], []),
                                                          "p2p0": (None, "DOWN", [], [])}),
    "netcfg": ("ifconfig", "netcfg", {"lo": (None, "UP", ["127.0.0.1/8"], []), "sit0": (None, "DOWN", [], []),
                                      "wlan0": (None, "UP", WLAN4, []), "rmnet0": (None, "DOWN", [], [])}),
    "proc-net-if_inet6": ("ip_addr", "proc_if_inet6", {"wlan0": (23, None, [], ["fe80::ff:fe44:5566/64",
                                                                                "2408:8207:2460:10b1:0:ff:fe44:5566/64"]),
                                                       "lo": (1, None, [], ["::1/128"])}),
    "proc-net-dev": ("ifconfig", "proc_net_dev", {"lo": (None, None, [], []), "wlan0": (None, None, [], []),
                                                  "rmnet_data0": (None, None, [], [])}),
}


def test_every_layout_has_a_fixture():
    assert {p.stem for p in DATA.glob("*.txt")} == set(LAYOUTS)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_gives_the_interfaces_a_person_reads(name):
    kind, fmt, want = LAYOUTS[name]
    reading, _cap = inspect_bytes((DATA / f"{name}.txt").read_bytes())
    f = reading.facts
    assert (reading.kind, f["format"], f["non_interface_lines"]) == (kind, fmt, [])
    got = {i["name"]: (i["index"], i["state"], i["ipv4"], i["ipv6"]) for i in f["interfaces"]}
    assert got == want


def test_netcfg_flags_are_read_from_its_number():
    reading, _cap = inspect_bytes((DATA / "netcfg.txt").read_bytes())
    wlan0 = next(i for i in reading.facts["interfaces"] if i["name"] == "wlan0")
    assert wlan0["flags"] == ["UP", "BROADCAST", "RUNNING", "MULTICAST", "LOWER_UP"]  # 0x00011043


def test_a_layout_without_state_says_none_rather_than_down():
    reading, _cap = inspect_bytes((DATA / "ip-o-addr.txt").read_bytes())
    wlan0 = next(i for i in reading.facts["interfaces"] if i["name"] == "wlan0")
    assert (wlan0["state"], wlan0["admin_up"], wlan0["lower_up"]) == (None, None, None)
