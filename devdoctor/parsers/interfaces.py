"""The network interfaces as every Android shell lists them (docs/formats.md, "interfaces"):

- iproute2 `ip addr` / `ip -4 addr` / `ip -6 addr` / `ip link`: `N: name[@peer]: <FLAGS> ... state X`, then
  indented `link/`, `inet`, `inet6` lines; `ip -o` prints each record on one line (`\\` where the line
  would break), `ip -o addr` one line per address with no flags and no state;
- ifconfig of toybox (`Link encap:`, `Scope: Link`, `[NO FLAGS]`) and busybox (`Scope:Link`), of
  net-tools 2 (`name: flags=N<FLAGS>  mtu`), and toolbox's one line per interface (Android <= 6:
  `wlan0: ip 192.168.1.5 mask 255.255.255.0 flags [up broadcast running multicast]`);
- `netcfg` (Android <= 5): `name UP|DOWN address/prefix 0xFLAGS mac`, the flags as a number;
- `/proc/net/if_inet6` (address, index, prefix, scope, flags in hex, then the name) and `/proc/net/dev`
  (the counters: names only).

Pure functions: they never raise, whatever the text; what they could not read goes into `problems`.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from devdoctor.parsers.numbers import to_int
from devdoctor.parsers.text import is_prompt, split_lines


@dataclass
class Interface:
    name: str  # without the `@if10` / `@NONE` peer suffix
    index: int | None = None
    flags: list[str] = field(default_factory=list)
    operstate: str | None = None  # as `ip` prints it: UP, DOWN, UNKNOWN, DORMANT...
    ipv4: list[str] = field(default_factory=list)  # "a.b.c.d/prefix"
    ipv6: list[str] = field(default_factory=list)
    link_suffix: str = ""  # "@if10" for a veth peer
    link_encap: str | None = None  # ifconfig only
    netmask: str | None = None  # ifconfig only
    has_state: bool = True  # False where the layout shows no flags (`ip -o addr`, /proc/net/*)

    @property
    def admin_up(self) -> bool:
        return "UP" in self.flags

    @property
    def lower_up(self) -> bool:
        return "LOWER_UP" in self.flags or "RUNNING" in self.flags

    @property
    def state(self) -> str | None:
        """UP or DOWN: operstate when it says so, else the flags (lo and tunnels print UNKNOWN); None where
        the layout shows neither."""
        if not self.has_state:
            return None
        if self.operstate in ("UP", "DOWN"):
            return self.operstate
        return "UP" if self.admin_up and (self.lower_up or self.operstate is None) else "DOWN"

    @property
    def is_loopback(self) -> bool:
        return "LOOPBACK" in self.flags or self.name == "lo"


@dataclass
class Interfaces:
    # ip_addr, ip_4_addr, ip_6_addr, ip_link, ip_o_addr, ip_o_link, toybox_ifconfig, busybox_ifconfig,
    # toolbox_ifconfig, ifconfig (net-tools 2), netcfg, proc_if_inet6, proc_net_dev, unknown
    format: str
    interfaces: list[Interface] = field(default_factory=list)
    non_interface_lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def get(self, name: str) -> Interface | None:
        return next((i for i in self.interfaces if i.name == name), None)

    def with_address(self) -> list[Interface]:
        """Interfaces other than loopback that are up and carry an IPv4 or global IPv6 address."""
        return [i for i in self.interfaces if not i.is_loopback and i.state == "UP"
                and (i.ipv4 or any(not a.lower().startswith("fe80") for a in i.ipv6))]


_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_IP_HEAD = re.compile(r"^(\d{1,10}):\s+([^:\s@]+)(@[^:\s]+)?:\s+<([^>]*)>(.*)$")
_IP_O_ADDR = re.compile(r"^(\d{1,10}):\s+([^:\s@]+)(@\S+)?\s+(inet6?)\s+([0-9a-fA-F.:]+(?:/\d{1,3})?)")
_IP_INET = re.compile(r"^\s*inet\s+(" + _IPV4 + r")(/\d{1,2})?\b")
_IP_INET6 = re.compile(r"^\s*inet6\s+([0-9a-fA-F:]+(?:/\d{1,3})?)")
_IP_STATE = re.compile(r"\bstate\s+(\S+)")


def parse_ip(text: str) -> Interfaces:
    """`ip addr`, `ip -4|-6 addr`, `ip link`, and their `-o` one-line forms (iproute2, Android 4 on)."""
    out = Interfaces("unknown")
    cur: Interface | None = None
    by_index: dict[tuple[int | None, str], Interface] = {}
    seen = {"link": False, "inet": False, "inet6": False, "oneline": False, "addr_only": False}
    for line in split_lines(text or ""):
        parts = line.split("\\") if "\\" in line else [line]  # `ip -o`: the record's lines joined by `\`
        head, rest = parts[0], parts[1:]
        m = _IP_HEAD.match(head)
        o = None if m else _IP_O_ADDR.match(head)
        if m:
            idx, name, suffix, flags, tail = m.groups()
            st = _IP_STATE.search(tail)
            cur = Interface(name, to_int(idx), [f for f in flags.split(",") if f], st.group(1) if st else None,
                            link_suffix=suffix or "")
            out.interfaces.append(cur)
            by_index[(cur.index, name)] = cur
            seen["oneline"] |= bool(rest)
        elif o:
            idx, name, suffix, family, address = o.groups()
            key = (to_int(idx), name)
            if key not in by_index:
                by_index[key] = Interface(name, key[0], link_suffix=suffix or "", has_state=False)
                out.interfaces.append(by_index[key])
            cur = by_index[key]
            seen["oneline"] = seen["addr_only"] = True
            rest = [f"{family} {address}"]
        else:
            rest = [line]
        for part in rest:
            _ip_detail(out, cur, part, seen)
    if out.interfaces:
        out.format = _ip_format(seen)
    elif (text or "").strip():
        out.problems.append("no interface in the output of ip")
    return out


def _ip_detail(out: Interfaces, cur: Interface | None, line: str, seen: dict[str, bool]) -> None:
    if cur is None:
        if line.strip() and not is_prompt(line):
            out.non_interface_lines.append(line)
        return
    m4, m6 = _IP_INET.match(line), _IP_INET6.match(line)
    if m4:
        seen["inet"] = True
        cur.ipv4.append(m4.group(1) + (m4.group(2) or "/32"))
    elif m6:
        seen["inet6"] = True
        cur.ipv6.append(m6.group(1))
    elif line.strip().startswith("link/"):
        seen["link"] = True
    elif line.strip() and not line.startswith((" ", "\t")) and not is_prompt(line):
        out.non_interface_lines.append(line)


def _ip_format(seen: dict[str, bool]) -> str:
    o = "o_" if seen["oneline"] else ""
    if seen["link"] and not (seen["inet"] or seen["inet6"]):
        return f"ip_{o}link"
    if seen["inet"] and not seen["inet6"] and not seen["link"]:
        return f"ip_{o}4_addr"
    if seen["inet6"] and not seen["inet"] and not seen["link"]:
        return f"ip_{o}6_addr"
    return f"ip_{o}addr"


# ---------------------------------------------------------------- ifconfig, netcfg, /proc/net

_IFC_HEAD_OLD = re.compile(r"^(\S+)\s+Link encap:")  # toybox, busybox; the rest is split by hand (linear)
_IFC_HEAD_NEW = re.compile(r"^(\S+?):\s+flags=\d+<([^>]*)>")  # net-tools 2
_IFC_TOOLBOX = re.compile(r"^([\w.:-]+): ip (" + _IPV4 + r") mask (" + _IPV4 + r") flags \[([a-z ]*)\]")
_NETCFG = re.compile(r"^([\w.:-]+)\s+(UP|DOWN)\s+(" + _IPV4 + r")/(\d{1,2})\s+0x([0-9a-fA-F]{1,8})\b")
_IF_INET6 = re.compile(r"^([0-9a-fA-F]{32}) ([0-9a-fA-F]{2,8}) ([0-9a-fA-F]{2}) ([0-9a-fA-F]{2}) ([0-9a-fA-F]{2})\s+(\S+)\s*$")
_PROC_DEV = re.compile(r"^\s*([^\s:|]+):\s*\d")
_IFC_INET_OLD = re.compile(r"inet addr:(" + _IPV4 + r")(?:.*?Mask:(" + _IPV4 + r"))?")
_IFC_INET_NEW = re.compile(r"^\s+inet (" + _IPV4 + r")(?:\s+netmask (" + _IPV4 + r"))?")
_IFC_INET6 = re.compile(r"inet6 (?:addr: ?)?([0-9a-fA-F:]+(?:/\d{1,3})?)(?:\s+(?:prefixlen (\d{1,3})|Scope:(\S)))?")
_FLAG_WORDS = {"UP", "BROADCAST", "LOOPBACK", "POINTOPOINT", "RUNNING", "NOARP", "PROMISC", "ALLMULTI",
               "MULTICAST", "MASTER", "SLAVE", "DYNAMIC", "DEBUG", "NOTRAILERS"}
# linux/if.h IFF_* bits, as netcfg prints them in hex
_IFF = ((0x1, "UP"), (0x2, "BROADCAST"), (0x4, "DEBUG"), (0x8, "LOOPBACK"), (0x10, "POINTOPOINT"),
        (0x20, "NOTRAILERS"), (0x40, "RUNNING"), (0x80, "NOARP"), (0x100, "PROMISC"), (0x200, "ALLMULTI"),
        (0x400, "MASTER"), (0x800, "SLAVE"), (0x1000, "MULTICAST"), (0x8000, "DYNAMIC"), (0x10000, "LOWER_UP"))


def _prefix(mask: str | None) -> int:
    try:
        return sum(bin(int(p)).count("1") for p in (mask or "").split(".")) if mask else 32
    except ValueError:  # the masks come from \d{1,3} groups: never too long for int()
        return 32


def _one_line_layouts(out: Interfaces, line: str, counters: bool) -> str | None:
    """The layouts that list an interface on one line: the name of the one `line` is in, or None."""
    m = _IFC_TOOLBOX.match(line)
    if m:
        flags = [w.upper() for w in m.group(4).split()]
        ipv4 = [] if m.group(2) == "0.0.0.0" else [f"{m.group(2)}/{_prefix(m.group(3))}"]
        out.interfaces.append(Interface(m.group(1), flags=flags, ipv4=ipv4, netmask=m.group(3)))
        return "toolbox_ifconfig"
    m = _NETCFG.match(line)
    if m:
        bits = to_int(m.group(5), 16) or 0
        flags = [name for bit, name in _IFF if bits & bit]
        if m.group(2) == "UP" and "UP" not in flags:
            flags.insert(0, "UP")
        ipv4 = [] if m.group(3) == "0.0.0.0" else [f"{m.group(3)}/{m.group(4)}"]
        out.interfaces.append(Interface(m.group(1), flags=flags, ipv4=ipv4, operstate=m.group(2)))
        return "netcfg"
    m = _IF_INET6.match(line)
    if m:
        address = str(ipaddress.IPv6Address(bytes.fromhex(m.group(1))))
        cur = out.get(m.group(6))
        if cur is None:
            cur = Interface(m.group(6), to_int(m.group(2), 16), has_state=False)
            out.interfaces.append(cur)
        cur.ipv6.append(f"{address}/{to_int(m.group(3), 16)}")
        return "proc_if_inet6"
    m = _PROC_DEV.match(line) if counters else None  # only under /proc/net/dev's header
    if m and "|" not in line:
        out.interfaces.append(Interface(m.group(1), has_state=False))
        return "proc_net_dev"
    return None


def parse_ifconfig(text: str) -> Interfaces:
    """`ifconfig` (toybox, busybox, net-tools 2, toolbox), `netcfg`, `/proc/net/if_inet6`, `/proc/net/dev`."""
    out = Interfaces("unknown")
    cur: Interface | None = None
    fmt = "unknown"
    counters = False
    for line in split_lines(text or ""):
        counters = counters or line.startswith("Inter-|")
        m_old, m_new = _IFC_HEAD_OLD.match(line), _IFC_HEAD_NEW.match(line)
        if m_old or m_new:
            if m_old:
                encap = line[m_old.end():].split(" HWaddr ", 1)[0]
                cur = Interface(m_old.group(1), link_encap=encap.strip())
                fmt = "toybox_ifconfig" if fmt != "busybox_ifconfig" else fmt
            else:
                cur = Interface(m_new.group(1), flags=[f for f in m_new.group(2).split(",") if f])
                fmt = "ifconfig"
            out.interfaces.append(cur)
            continue
        one = _one_line_layouts(out, line, counters)
        if one is not None:
            fmt, cur = one, None
            continue
        if cur is None or not line.startswith((" ", "\t")):
            if line.strip() and not is_prompt(line) and not line.startswith(("Inter-|", " face |")):
                out.non_interface_lines.append(line)
                cur = None
            continue
        fmt = _ifconfig_detail(cur, line, fmt)
    if out.interfaces:
        out.format = fmt
    elif (text or "").strip():
        out.problems.append("no interface in the output of ifconfig")
    return out


def _ifconfig_detail(cur: Interface, line: str, fmt: str) -> str:
    """Read one indented line of an interface's block; the layout, now that this line was seen."""
    m4 = _IFC_INET_OLD.search(line) or _IFC_INET_NEW.match(line)
    if m4:
        cur.netmask = m4.group(2)
        cur.ipv4.append(f"{m4.group(1)}/{_prefix(m4.group(2))}")
        return fmt
    m6 = _IFC_INET6.search(line)
    if m6:
        address = m6.group(1)
        cur.ipv6.append(address if "/" in address or not m6.group(2) else f"{address}/{m6.group(2)}")
        return "busybox_ifconfig" if m6.group(3) and fmt == "toybox_ifconfig" else fmt  # `Scope:Link`
    words = line.split()
    if fmt in ("toybox_ifconfig", "busybox_ifconfig") and words and (words[0] in _FLAG_WORDS or words[0] == "[NO"):
        cur.flags = [w for w in words if w in _FLAG_WORDS]
    return fmt


def parse_interfaces(text: str) -> Interfaces:
    """`ip` or `ifconfig` output (or another listing above), whichever this is."""
    ip = parse_ip(text)
    if ip.interfaces:
        return ip
    ifc = parse_ifconfig(text)
    return ifc if ifc.interfaces else ip


def interfaces_json(found: Interfaces, capture: object = None) -> dict:
    """The JSON form of `ip addr` and `ifconfig` alike (`devdoctor inspect`)."""
    rows = []
    for i in found.interfaces:
        row = {"index": i.index, "name": i.name, "link_suffix": i.link_suffix, "flags": i.flags,
               "operstate": i.operstate, "admin_up": i.admin_up if i.has_state else None,
               "lower_up": i.lower_up if i.has_state else None, "ipv4": i.ipv4, "ipv6": i.ipv6, "state": i.state}
        if i.link_encap is not None:
            row.update(link_encap=i.link_encap, netmask=i.netmask)
        rows.append(row)
    return {"format": found.format, "interfaces": rows, "non_interface_lines": found.non_interface_lines}
