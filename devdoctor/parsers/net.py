"""Network tool output as an Android shell prints it: `ip addr` / `ip -4 addr` / `ip link`, `ifconfig`
(toybox, busybox, net-tools), `ping` (iputils, the /system/bin/ping of AOSP; busybox), DNS lookups
(`nslookup` of busybox, old and new; `host`) and `date +%s`.

Pure functions: they never raise, whatever the text; what they could not read goes into `problems`.
Lines that are not output (a pasted prompt such as `~ $ ping ...`) are kept aside, not guessed at.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.numbers import to_float, to_int

# ---------------------------------------------------------------- ip addr / ip link


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

    @property
    def admin_up(self) -> bool:
        return "UP" in self.flags

    @property
    def lower_up(self) -> bool:
        return "LOWER_UP" in self.flags or "RUNNING" in self.flags

    @property
    def state(self) -> str:
        """UP or DOWN: operstate when it says so, else the flags (lo and tunnels print UNKNOWN)."""
        if self.operstate in ("UP", "DOWN"):
            return self.operstate
        return "UP" if self.admin_up and (self.lower_up or self.operstate is None) else "DOWN"

    @property
    def is_loopback(self) -> bool:
        return "LOOPBACK" in self.flags or self.name == "lo"


@dataclass
class Interfaces:
    format: str  # ip_addr, ip_4_addr, ip_link, toybox_ifconfig, ifconfig, unknown
    interfaces: list[Interface] = field(default_factory=list)
    non_interface_lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def get(self, name: str) -> Interface | None:
        return next((i for i in self.interfaces if i.name == name), None)

    def with_address(self) -> list[Interface]:
        """Interfaces other than loopback that are up and carry an IPv4 or global IPv6 address."""
        return [i for i in self.interfaces if not i.is_loopback and i.state == "UP"
                and (i.ipv4 or any(not a.lower().startswith("fe80") for a in i.ipv6))]


_IP_HEAD = re.compile(r"^(\d+):\s+([^:\s@]+)(@\S+)?:\s+<([^>]*)>(.*)$")
_IP_INET = re.compile(r"^\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3})(/\d{1,2})?\b")
_IP_INET6 = re.compile(r"^\s+inet6\s+([0-9a-fA-F:]+(?:/\d{1,3})?)")
_IP_STATE = re.compile(r"\bstate\s+(\S+)")


def parse_ip(text: str) -> Interfaces:
    """`ip addr`, `ip -4 addr show`, `ip link` (iproute2 on every Android from 7 on)."""
    out = Interfaces("unknown")
    cur: Interface | None = None
    saw_link = saw_inet = saw_inet6 = False
    for line in split_lines(text or ""):
        m = _IP_HEAD.match(line)
        if m:
            idx, name, suffix, flags, rest = m.groups()
            st = _IP_STATE.search(rest)
            cur = Interface(name, to_int(idx), [f for f in flags.split(",") if f], st.group(1) if st else None,
                            link_suffix=suffix or "")
            out.interfaces.append(cur)
            continue
        if cur is None:
            if line.strip():
                out.non_interface_lines.append(line)
            continue
        m4, m6 = _IP_INET.match(line), _IP_INET6.match(line)
        if m4:
            saw_inet = True
            cur.ipv4.append(m4.group(1) + (m4.group(2) or "/32"))
        elif m6:
            saw_inet6 = True
            cur.ipv6.append(m6.group(1))
        elif line.strip().startswith("link/"):
            saw_link = True
        elif line.strip() and not line.startswith((" ", "\t")):
            out.non_interface_lines.append(line)
    if out.interfaces:
        out.format = ("ip_4_addr" if saw_inet and not saw_link and not saw_inet6 else
                      "ip_link" if saw_link and not (saw_inet or saw_inet6) else "ip_addr")
    elif (text or "").strip():
        out.problems.append("no interface in the output of ip")
    return out


# ---------------------------------------------------------------- ifconfig

_IFC_HEAD_OLD = re.compile(r"^(\S+)\s+Link encap:")  # toybox, busybox; the rest is split by hand (linear)
_IFC_HEAD_NEW = re.compile(r"^(\S+?):\s+flags=\d+<([^>]*)>")  # net-tools 2.x
_IFC_INET_OLD = re.compile(r"inet addr:(\d{1,3}(?:\.\d{1,3}){3})(?:.*?Mask:(\d{1,3}(?:\.\d{1,3}){3}))?")
_IFC_INET_NEW = re.compile(r"^\s+inet (\d{1,3}(?:\.\d{1,3}){3})(?:\s+netmask (\d{1,3}(?:\.\d{1,3}){3}))?")
_IFC_INET6 = re.compile(r"inet6 (?:addr: ?)?([0-9a-fA-F:]+(?:/\d{1,3})?)")
_FLAG_WORDS = {"UP", "BROADCAST", "LOOPBACK", "POINTOPOINT", "RUNNING", "NOARP", "PROMISC", "ALLMULTI",
               "MULTICAST", "MASTER", "SLAVE", "DYNAMIC", "DEBUG", "NOTRAILERS"}


def _prefix(mask: str | None) -> int:
    try:
        return sum(bin(int(p)).count("1") for p in (mask or "").split(".")) if mask else 32
    except ValueError:  # the masks come from \d{1,3} groups: never too long for int()
        return 32


def parse_ifconfig(text: str) -> Interfaces:
    """`ifconfig` (toybox on Android 7+: `Link encap:`, `[NO FLAGS]`; busybox alike; net-tools 2)."""
    out = Interfaces("unknown")
    cur: Interface | None = None
    fmt = "unknown"
    for line in split_lines(text or ""):
        m_old, m_new = _IFC_HEAD_OLD.match(line), _IFC_HEAD_NEW.match(line)
        if m_old or m_new:
            if m_old:
                encap = line[m_old.end():].split(" HWaddr ", 1)[0]
                cur = Interface(m_old.group(1), link_encap=encap.strip())
                fmt = "toybox_ifconfig"
            else:
                cur = Interface(m_new.group(1), flags=[f for f in m_new.group(2).split(",") if f])
                fmt = "ifconfig"
            out.interfaces.append(cur)
            continue
        if cur is None or not line.startswith((" ", "\t")):
            if line.strip():
                out.non_interface_lines.append(line)
                cur = None
            continue
        m4 = _IFC_INET_OLD.search(line) or _IFC_INET_NEW.match(line)
        if m4:
            cur.netmask = m4.group(2)
            cur.ipv4.append(f"{m4.group(1)}/{_prefix(m4.group(2))}")
            continue
        m6 = _IFC_INET6.search(line)
        if m6:
            cur.ipv6.append(m6.group(1))
            continue
        words = line.split()
        if fmt == "toybox_ifconfig" and words and (words[0] in _FLAG_WORDS or words[0] == "[NO"):
            cur.flags = [w for w in words if w in _FLAG_WORDS]
    if out.interfaces:
        out.format = fmt
    elif (text or "").strip():
        out.problems.append("no interface in the output of ifconfig")
    return out


def parse_interfaces(text: str) -> Interfaces:
    """`ip` or `ifconfig` output, whichever this is."""
    ip = parse_ip(text)
    if ip.interfaces:
        return ip
    ifc = parse_ifconfig(text)
    return ifc if ifc.interfaces else ip


# ---------------------------------------------------------------- ping


@dataclass
class PingRun:
    target: str | None = None
    resolved_ip: str | None = None
    replies: int = 0
    transmitted: int | None = None
    received: int | None = None
    loss_percent: float | None = None
    rtt_min_ms: float | None = None
    rtt_avg_ms: float | None = None
    rtt_max_ms: float | None = None
    failure: str | None = None  # None, "unknown host", "100% loss", "unreachable", "usage", "not found", "denied"
    error_line: str | None = None  # the line that told the failure


@dataclass
class Ping:
    runs: list[PingRun] = field(default_factory=list)
    prompt_or_command_lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def _first(self) -> PingRun:
        return self.runs[0] if self.runs else PingRun()

    # The first run's facts, for the common one-run case.
    target = property(lambda self: self._first().target)
    resolved_ip = property(lambda self: self._first().resolved_ip)
    transmitted = property(lambda self: self._first().transmitted)
    received = property(lambda self: self._first().received)
    loss_percent = property(lambda self: self._first().loss_percent)
    rtt_avg_ms = property(lambda self: self._first().rtt_avg_ms)
    failure = property(lambda self: self._first().failure)

    @property
    def resolved(self) -> bool | None:
        """True when the name became an address, False when the resolver said no, None when unknown."""
        r = self._first()
        if r.resolved_ip:
            return True
        if r.failure == "unknown host":
            return False
        return None


_PING_HEAD = re.compile(r"^PING\s+(\S+)\s+\(([^)]+)\)")  # iputils and busybox
_PING_REPLY = re.compile(r"^\d+ bytes from .*?(?:icmp_)?seq=\d+.*?time[=<]\s*([\d.]+)\s*ms")
_PING_STATS = re.compile(r"^(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+\d+ \w+)*"
                         r"(?:, \+\d+ errors)?, ([\d.]+)% packet loss")
_PING_RTT = re.compile(r"^(?:rtt|round-trip) min/avg/max(?:/[a-z]+)? = ([\d.]+)/([\d.]+)/([\d.]+)")
_PING_UNKNOWN = re.compile(r"^ping: (?:unknown host\s*(\S*)|(\S+): (?:No address associated with hostname|"
                           r"Name or service not known|Temporary failure in name resolution|"
                           r"Try again|Unknown host|Name does not resolve|bad address))", re.I)
_PING_BAD_ADDRESS = re.compile(r"^ping: bad address '([^']*)'")  # busybox
_PING_UNREACH = re.compile(r"(?:connect|sendto|sendmsg): Network is unreachable|Destination (?:Host|Net) "
                           r"Unreachable", re.I)
_PING_DENIED = re.compile(r"(?:icmp open socket|socket): (?:Operation not permitted|Permission denied)", re.I)
_NOT_FOUND = re.compile(r"(?:^|: )(?:ping: )?(?:not found|inaccessible or not found|No such file or directory)"
                        r"\s*$|ping: not found")


def parse_ping(text: str) -> Ping:
    """`ping -c N -W S -n HOST` output from iputils (/system/bin/ping) or busybox; several runs may follow
    one another (a pasted session). A run ends at its statistics."""
    out = Ping()
    cur: PingRun | None = None

    def run() -> PingRun:
        nonlocal cur
        if cur is None:
            cur = PingRun()
            out.runs.append(cur)
        return cur

    for raw in split_lines(text or ""):
        line = raw.strip()
        if not line:
            continue
        m = _PING_HEAD.match(line)
        if m:
            if cur is not None and (cur.transmitted is not None or cur.resolved_ip):
                cur = None
            r = run()
            r.target, r.resolved_ip = m.group(1), m.group(2)
            continue
        if _PING_REPLY.match(line):
            run().replies += 1
            continue
        m = _PING_STATS.match(line)
        if m:
            r = run()
            r.transmitted, r.received = to_int(m.group(1)), to_int(m.group(2))
            r.loss_percent = _num(m.group(3))
            if r.received == 0 and r.failure is None:
                r.failure = "100% loss"
            continue
        m = _PING_RTT.match(line)
        if m:
            r = run()
            r.rtt_min_ms, r.rtt_avg_ms, r.rtt_max_ms = (_num(g) for g in m.groups())
            continue
        if line.startswith("---") and "statistics" in line:
            continue
        m = _PING_UNKNOWN.match(line) or _PING_BAD_ADDRESS.match(line)
        if m:
            r = run()
            r.failure, r.error_line = "unknown host", line
            r.target = r.target or next((g for g in m.groups() if g), None)
            continue
        if _PING_UNREACH.search(line):
            r = run()
            if r.failure is None or r.failure == "100% loss":
                r.failure, r.error_line = "unreachable", line
            continue
        if _PING_DENIED.search(line):
            r = run()
            r.failure, r.error_line = "denied", line
            continue
        if _NOT_FOUND.search(line) and "ping" in line:
            r = run()
            r.failure, r.error_line = "not found", line
            continue
        if line.startswith(("Usage: ping", "usage: ping")) or line.startswith("ping: invalid option"):
            r = run()
            r.failure, r.error_line = "usage", line
            continue
        if re.search(r"(?:^|\s)ping\s+-", line) or line.startswith(("$", "#", ">", "~")):
            out.prompt_or_command_lines.append(raw)
            continue
        if cur is None or cur.transmitted is not None:
            out.problems.append(f"unread line: {line[:80]}")
    if not out.runs and (text or "").strip():
        out.problems.append("no ping run in the output")
    return out


def _num(s: str) -> float:
    v = to_float(s)
    if v is None:
        return 0.0
    return int(v) if v.is_integer() else v


# ---------------------------------------------------------------- DNS lookup


@dataclass
class DnsLookup:
    name: str | None = None
    addresses: list[str] = field(default_factory=list)
    server: str | None = None
    failure: str | None = None  # None, "not found" (NXDOMAIN and the like), "no server", "not run"
    error_line: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def resolved(self) -> bool | None:
        if self.addresses:
            return True
        return False if self.failure == "not found" else None


_IP_ADDR = r"(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:]+)"
_NS_ADDRESS = re.compile(r"^Address(?: \d+)?:\s*" + _IP_ADDR + r"(?:#\d+|:\d+)?(?:\s|$)")
_HOST_HAS = re.compile(r"^(\S+) has (?:IPv6 )?address " + _IP_ADDR)
_NS_NOT_FOUND = re.compile(r"can't resolve|server can't find|not found: \d|NXDOMAIN|SERVFAIL|Name or service not known"
                           r"|No address associated", re.I)
_NS_NO_SERVER = re.compile(r"connection timed out|no servers could be reached|Connection refused", re.I)


def parse_dns_lookup(text: str) -> DnsLookup:
    """`nslookup NAME` (busybox 1.2x `Address 1:` lines; 1.28+ `Non-authoritative answer:`) or `host NAME`.
    Only the addresses after the `Name:` line count: the ones before belong to the DNS server."""
    out = DnsLookup()
    after_name = False
    for raw in split_lines(text or ""):
        line = raw.strip()
        if not line:
            continue
        m = _HOST_HAS.match(line)
        if m:
            out.name = out.name or m.group(1)
            out.addresses.append(m.group(2))
            continue
        if line.startswith("Name:"):
            out.name = line.split(":", 1)[1].strip() or out.name
            after_name = True
            continue
        m = _NS_ADDRESS.match(line)
        if m:
            if after_name:
                out.addresses.append(m.group(1))
            elif out.server is None:
                out.server = m.group(1)
            continue
        if line.startswith("Server:"):
            out.server = line.split(":", 1)[1].strip() or out.server
            continue
        if _NS_NOT_FOUND.search(line):
            out.failure, out.error_line = "not found", line
        elif _NS_NO_SERVER.search(line):
            out.failure, out.error_line = out.failure or "no server", line
        elif re.search(r"not found\s*$", line) and "sh:" in line:
            out.failure, out.error_line = "not run", line
    if out.addresses:
        out.failure = None
    elif out.failure is None and (text or "").strip():
        out.problems.append("no address and no error in the lookup output")
    return out


# ---------------------------------------------------------------- date


@dataclass
class DeviceClock:
    epoch: int | None  # seconds since 1970 UTC, as the device's clock says
    problems: list[str] = field(default_factory=list)


def parse_epoch(text: str) -> DeviceClock:
    """`date +%s`: one integer. Anything else (an old `date` that prints `+%s` back, an error) is a problem."""
    lines = [ln.strip() for ln in split_lines(text or "") if ln.strip()]
    for ln in lines:
        if re.fullmatch(r"-?\d{1,12}", ln):
            return DeviceClock(int(ln))
    return DeviceClock(None, [f"not a number of seconds: {lines[0][:60]!r}" if lines else "no output"])
