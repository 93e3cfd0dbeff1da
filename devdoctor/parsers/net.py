"""Network tool output as an Android shell prints it: the interface listings (devdoctor.parsers.interfaces),
`ping` (iputils, the /system/bin/ping of AOSP; busybox), DNS lookups
(`nslookup` of busybox, old and new; `host`) and `date +%s`.

Pure functions: they never raise, whatever the text; what they could not read goes into `problems`.
Lines that are not output (a pasted prompt such as `~ $ ping ...`) are kept aside, not guessed at.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_float, to_int

# ip addr / ip link / ifconfig / netcfg / /proc/net: devdoctor.parsers.interfaces, named here as before.
from devdoctor.parsers.interfaces import (Interface, Interfaces, parse_ifconfig, parse_interfaces,  # noqa: E402,F401
                                          parse_ip)


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
        failure = _failure(line)
        if failure is not None:
            r = run()
            kind, target = failure
            if kind != "unreachable" or r.failure in (None, "100% loss"):  # a reply loss says less
                r.failure, r.error_line = kind, line
            r.target = r.target or target
            continue
        if re.search(r"(?:^|\s)ping\s+-", line) or line.startswith(("$", "#", ">", "~")):
            out.prompt_or_command_lines.append(raw)
            continue
        if cur is None or cur.transmitted is not None:
            out.problems.append(f"unread line: {line[:80]}")
    if not out.runs and (text or "").strip():
        out.problems.append("no ping run in the output")
    return out


def _failure(line: str) -> tuple[str, str | None] | None:
    """(why a ping run failed, the host it names) for a line that says so, else None."""
    m = _PING_UNKNOWN.match(line) or _PING_BAD_ADDRESS.match(line)
    if m:
        return "unknown host", next((g for g in m.groups() if g), None)
    if _PING_UNREACH.search(line):
        return "unreachable", None
    if _PING_DENIED.search(line):
        return "denied", None
    if _NOT_FOUND.search(line) and "ping" in line:
        return "not found", None
    if line.startswith(("Usage: ping", "usage: ping", "ping: invalid option")):
        return "usage", None
    return None


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


_PING_FACTS = ("target", "resolved_ip", "replies", "transmitted", "received", "loss_percent", "rtt_avg_ms",
               "rtt_min_ms", "rtt_max_ms", "failure")


def ping_json(ping: Ping, capture) -> dict:
    """The JSON form of `ping` (`devdoctor inspect`): the first run's facts, and every run."""
    runs = [{k: getattr(r, k) for k in _PING_FACTS} for r in ping.runs]
    facts = dict(runs[0]) if runs else {k: None for k in _PING_FACTS}
    facts.pop("replies", None)
    facts.update(run_count=len(runs), runs=runs,
                 prompt_or_command_lines=[capture.prompt] if capture.prompt else list(ping.prompt_or_command_lines))
    return facts
