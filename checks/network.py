"""The device's own network, as WeChat's servers will see it: link, DNS, reachability, clock, proxy, Wi-Fi.

Missed call pushes, activation timeouts (10013) and `err:TRANSFER errCode:33` all start with the device's
network (FAQ 4.2, 4.7, 4.9); the laptop's network says nothing about it, so every probe runs on the device.
All probes are sent at once, each with its own time limit; one verdict, with a line per probe.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

from devdoctor.check import Check, Context, Threshold, evidence
from devdoctor.device import (CommandResult, CommandTimeout, DeviceError, command_line,
                              is_host_name)
from devdoctor.i18n import N_, _
from devdoctor.lazy import lazy
from devdoctor.result import CheckResult, Evidence, Finding, Remedy, Status

if TYPE_CHECKING:
    from devdoctor.parsers.connectivity import Network
    from devdoctor.parsers.net import Interfaces

connectivity_parser = lazy("devdoctor.parsers.connectivity")
net_parser = lazy("devdoctor.parsers.net")

# The hosts WeChat's device framework talks to (shared/wmpf-domain.md §7); a site may name others.
DEFAULT_HOSTS = ("api.weixin.qq.com", "open.weixin.qq.com", "dldir1.qq.com")
MAX_HOSTS = 12
PROBE_TIMEOUT = 8.0  # s per command; a ping whose name lookup hangs is cut here
PING = ("ping", "-c", "2", "-W", "2", "-n")  # iputils (/system/bin/ping); -n: no reverse lookup per reply
PING_PLAIN = ("ping", "-c", "2", "-W", "2")  # busybox ping knows no -n
CLOCK_MAX_SKEW = 60.0  # s; TLS and the activation signature fail on a wrong clock
CLOCK_IN_STEP = 10.0  # s; closer than this is "in step"
WIFI_WEAK_DBM = -75
WIFI_MIN_LINK_MBPS = 12  # PHY rate; video needs 10-30 MB a minute (FAQ 1.8), i.e. up to ~4 Mbit/s of goodput
NOT_FOUND_EXIT = 127
SETTING_COMMAND = "settings get global {key}"
AIRPLANE_SETTING = SETTING_COMMAND.format(key="airplane_mode_on")
SETTINGS = ("airplane_mode_on", "http_proxy", "global_http_proxy_host", "global_http_proxy_port",
            "private_dns_mode", "private_dns_specifier")


def probe(name: str, status: Status, summary: str, evidence: list[Evidence] | None = None,
          remedy: Remedy | None = None, details: dict | None = None) -> Finding:
    """One finding of the verdict: what was probed (link, dns, reach, clock, proxy, wifi, cellular)."""
    return Finding(name, LABELS[name](), status, summary, list(evidence or []), remedy, dict(details or {}))


Answer = CommandResult | DeviceError  # what a command gave, or why it gave nothing


def _answers(ctx: Context, commands: dict[str, str]) -> dict[str, Answer]:
    """Every command at once; each answer or the error that stood in its way, by key."""
    return dict(zip(commands, ctx.run_all(list(commands.values()), PROBE_TIMEOUT)))


_SHELL_NOT_FOUND = re.compile(r"sh: (?:.*?: )?[\w.-]+: (?:inaccessible or )?not found\s*$")


def _missing(a: Answer | None) -> bool:
    """The shell could not find the tool: `/system/bin/sh: ping: not found`, exit 127 (the message lands in
    stdout on a legacy shell without exit codes)."""
    return isinstance(a, CommandResult) and (a.exit_code == NOT_FOUND_EXIT or any(
        _SHELL_NOT_FOUND.search(ln) for ln in a.output.splitlines()[:3]))


def _why(a: DeviceError) -> str:
    if isinstance(a, CommandTimeout):
        return _("no answer within {seconds:g} s").format(seconds=a.timeout)
    return str(a)


def _setting(a: Answer | None) -> str | None:
    """`settings get global KEY`: the value, None when unset (`null`), unreadable or cleared (`:0`)."""
    if not isinstance(a, CommandResult) or not a.ok:
        return None
    v = a.stdout.strip()
    return None if v in ("", "null", ":0") else v


# ------------------------------------------------------------------ link


def link_probe(conn_a: Answer, ip_a: Answer, ifc_a: Answer | None, airplane: str | None,
               sdk: int | None) -> tuple[Finding, Network | None]:
    ifaces, iface_ev = _interfaces(ip_a, ifc_a)
    if isinstance(conn_a, DeviceError) or not conn_a.stdout.strip():
        why = _why(conn_a) if isinstance(conn_a, DeviceError) else _("empty output")
        ev = ([evidence(conn_a)] if isinstance(conn_a, CommandResult) else []) + iface_ev
        up = ifaces.with_address() if ifaces else []
        seen = ", ".join(f"{i.name} {(i.ipv4 or i.ipv6)[0]}" for i in up)
        return probe("link", Status.UNKNOWN, _("could not read dumpsys connectivity ({why}){seen}").format(
            why=why, seen=_("; the kernel shows {seen} up").format(seen=seen) if seen else ""), ev), None
    conn = connectivity_parser.parse_dumpsys_connectivity(conn_a.stdout)
    if conn.active_default_said is None and not conn.networks:
        return probe("link", Status.UNKNOWN, _("dumpsys connectivity gave no network state: {line}").format(
            line=conn_a.lines[0].strip()[:100]), [evidence(conn_a, conn_a.lines[:5])] + iface_ev), None
    default = conn.default
    ev_lines = [ln for ln in conn_a.lines if ln.startswith("Active default network")]
    if default is None:
        ev = [evidence(conn_a, ev_lines + ["Current Networks:"] + [n.line[:200] for n in conn.networks])]
        ev += iface_ev
        if airplane == "1":
            cmds = ["adb shell cmd connectivity airplane-mode disable"] if (sdk or 0) >= 30 else []
            return probe("link", Status.FAIL, _("airplane mode is on: no network"), ev + [
                Evidence(AIRPLANE_SETTING, ["1"])], Remedy(
                    _("Turn airplane mode off (quick settings or Settings > Network), then run devdoctor again."),
                    cmds, faq="4.2"), {"type": "none", "airplane_mode": True}), None
        up = ifaces.with_address() if ifaces else []
        extra = (_(" (the kernel shows {names} with an address, but Android uses none of them)").format(
            names=", ".join(i.name for i in up)) if up else "")
        return probe("link", Status.FAIL, _("no active network") + extra, ev, Remedy(
            _("Connect the device: plug in its Ethernet cable or join the site's Wi-Fi (Settings > Network), "
              "then check that the router hands out an address (DHCP). Calls and pushes need a working "
              "network."), ["adb shell dumpsys connectivity"], faq="4.2"), {"type": "none"}), None
    kind = {"WIFI": _("Wi-Fi"), "ETHERNET": _("Ethernet"), "CELLULAR": _("cellular"), "VPN": _("VPN")}.get(
        default.type, default.type)
    name = default.interface or "?"
    gw = default.default_routes
    details = {"type": default.type, "interface": default.interface, "addresses": default.addresses,
               "gateway": gw[0].gateway if gw else None, "dns_servers": default.dns,
               "validated": default.validated, "ssid": default.ssid, "net_id": default.net_id}
    note = (_("Android validated this network") if default.validated else
            _("Android did not validate this network; in mainland China its check host is often blocked while "
              "the internet works, so this alone is no fault"))
    ev = [evidence(conn_a, ev_lines + [default.line[:400]], note)] + iface_ev
    addr = default.ipv4 or [a for a in default.addresses if not a.lower().startswith("fe80")]
    if not addr:
        return probe("link", Status.FAIL, _("{kind} {name} is connected but has no IP address").format(
            kind=kind, name=name), ev, Remedy(_("The network gave the device no address: check DHCP on the "
                                                "router, or the static IP settings of the device.")),
            details), default
    if not gw:
        return probe("link", Status.FAIL, _("{kind} {name} ({addr}) has no default route (no gateway)").format(
            kind=kind, name=name, addr=addr[0]), ev, Remedy(_("Set a gateway in the device's network settings "
                                                              "(static IP) or fix the router's DHCP options.")),
            details), default
    return probe("link", Status.PASS, _("{kind} {name} {addr} via {gw}{validated}").format(
        kind=kind, name=name, addr=addr[0], gw=gw[0].gateway,
        validated=_(", validated by Android") if default.validated else _(", not validated by Android")),
        ev, details=details), default


def _interfaces(ip_a: Answer, ifc_a: Answer | None) -> tuple[Interfaces | None, list[Evidence]]:
    """The kernel's view (`ip -4 addr show`, or `ifconfig` where there is no `ip`), as evidence."""
    for a, parse in ((ip_a, net_parser.parse_ip), (ifc_a, net_parser.parse_ifconfig)):
        if isinstance(a, CommandResult) and not _missing(a) and a.stdout.strip():
            parsed = parse(a.stdout)
            if parsed.interfaces:
                lines = [f"{i.name}: {i.state} {' '.join(i.ipv4 + i.ipv6)}".rstrip() for i in parsed.interfaces]
                return parsed, [evidence(a, a.lines[:30], _("interfaces: ") + "; ".join(lines))]
    return None, []


# ------------------------------------------------------------------ DNS and reachability


@dataclass
class HostResult:
    host: str
    resolved: bool | None  # None: could not tell
    replied: bool | None
    line: str  # what the user reads for this host
    unreachable: bool = False
    answer: Answer | None = None


def host_result(host: str, a: Answer | None, lookup: Answer | None = None) -> HostResult:
    """What ping (or, where there is no ping, nslookup) said about one host."""
    if a is None:
        return HostResult(host, None, None, _("{host}: not a valid host name, not probed").format(host=host))
    if isinstance(a, DeviceError):
        return HostResult(host, None, None, _("{host}: {why} (name lookup or ping hung)").format(
            host=host, why=_why(a)) if isinstance(a, CommandTimeout) else
            _("{host}: {why}").format(host=host, why=_why(a)), answer=a)
    if _missing(a):
        if isinstance(lookup, CommandResult) and not _missing(lookup):
            d = net_parser.parse_dns_lookup(lookup.output)
            if d.resolved is not None:
                return HostResult(host, d.resolved, None, (
                    _("{host} resolves to {ip} (no ping here to test more)").format(host=host, ip=d.addresses[0])
                    if d.resolved else _("{host}: name does not resolve").format(host=host)), answer=lookup)
        return HostResult(host, None, None, _("{host}: this device has no ping").format(host=host), answer=a)
    p = net_parser.parse_ping(a.output)
    ip = p.resolved_ip
    if p.failure == "unknown host":
        return HostResult(host, False, None, _("{host}: name does not resolve").format(host=host), answer=a)
    if p.failure == "unreachable":
        return HostResult(host, True if ip else None, False, _("{host}{ip}: network unreachable").format(
            host=host, ip=f" ({ip})" if ip else ""), unreachable=True, answer=a)
    if ip and p.received:
        rtt = f", {p.rtt_avg_ms:g} ms" if p.rtt_avg_ms is not None else ""
        return HostResult(host, True, True, _("{host} ({ip}): replies{rtt}").format(host=host, ip=ip, rtt=rtt),
                          answer=a)
    if ip and p.received == 0:
        return HostResult(host, True, False, _("{host} ({ip}): resolves, but does not answer ping").format(
            host=host, ip=ip), answer=a)
    if p.failure in ("denied", "usage", "not found"):
        return HostResult(host, None, None, _("{host}: ping cannot run here ({line})").format(
            host=host, line=p.runs[0].error_line), answer=a)
    return HostResult(host, True if ip else None, None, _("{host}: could not read the ping output").format(
        host=host), answer=a)


def dns_reach_probes(results: list[HostResult], link_ok: bool) -> list[Finding]:
    if not link_ok:
        why = _("no working network to probe over")
        return [probe("dns", Status.SKIPPED, why), probe("reach", Status.SKIPPED, why)]
    ev = [evidence(r.answer, None, r.line) if isinstance(r.answer, CommandResult)
          else Evidence(r.answer.command or "", [], r.line) if isinstance(r.answer, DeviceError)
          else Evidence("", [], r.line) for r in results]
    n = len(results)
    bad = [r for r in results if r.resolved is False]
    known = [r for r in results if r.resolved is not None]
    details = {"hosts": {r.host: {"resolved": r.resolved, "replied": r.replied, "line": r.line} for r in results}}
    if bad:
        dns = probe("dns", Status.FAIL, _("{names} do not resolve ({bad} of {n})").format(
            names=", ".join(r.host for r in bad), bad=len(bad), n=n), ev, Remedy(
                _("The device cannot look up WeChat's servers. Check the DNS server the network hands out "
                  "(router DHCP, or the device's static IP settings); try a public resolver such as 223.5.5.5 "
                  "or 119.29.29.29, and make sure the site firewall lets DNS (UDP/TCP 53) out."),
                [command_line(["adb", "shell", *PING, bad[0].host])], faq="4.7"), details)
    elif not known:
        no_ping = all(_missing(r.answer) for r in results if r.answer is not None) and any(r.answer for r in results)
        dns = probe("dns", Status.UNKNOWN, _("could not tell: {why}").format(why=results[0].line if n else "?"),
                    ev, Remedy(_("This device image has no `ping`, so devdoctor cannot test names and hosts from "
                                 "it. Open https://{host} in a browser on the device, or ask the board maker for an "
                                 "image with ping.").format(host=results[0].host)) if no_ping else None, details)
    else:
        unsure = [r for r in results if r.resolved is None]
        dns = probe("dns", Status.UNKNOWN if unsure else Status.PASS,
                    _("{ok} of {n} hosts resolve").format(ok=len(known), n=n) +
                    ("; " + "; ".join(r.line for r in unsure) if unsure else ""), ev, details=details)
    if dns.status == Status.UNKNOWN and dns.remedy is None:
        first = next(r.host for r in results if r.resolved is None)
        dns.remedy = Remedy(_("Run the probe by hand and read what the device says; a lookup that hangs points "
                              "at a DNS server that drops queries."), [command_line(["adb", "shell", *PING, first])])
    resolved = [r for r in results if r.resolved]
    unreachable = [r for r in results if r.unreachable]
    silent = [r for r in resolved if r.replied is False and not r.unreachable]
    replied = [r for r in resolved if r.replied]
    if unreachable:
        reach = probe("reach", Status.FAIL, _("{names}: network unreachable").format(
            names=", ".join(r.host for r in unreachable)), ev, Remedy(
                _("The device has no route to WeChat's servers: check the gateway and the site firewall."),
                faq="4.9"), details)
    elif silent:
        reach = probe("reach", Status.WARN, _("{names} resolve but do not answer ping ({ok} of {n} reply)").format(
            names=", ".join(r.host for r in silent), ok=len(replied), n=n), ev, Remedy(
                _("Many networks drop ping (ICMP), so this alone is not a fault. If calls fail or time out "
                  "(10013, errCode:33), make sure the site firewall lets the device reach *.weixin.qq.com and "
                  "*.qq.com on TCP 80 and 443."), faq="4.9"), details)
    elif replied and len(replied) == len(resolved):
        reach = probe("reach", Status.PASS, _("{ok} of {n} hosts reply").format(ok=len(replied), n=n), ev,
                      details=details)
    elif not resolved:
        reach = probe("reach", Status.SKIPPED, _("no host resolved") if bad else _("no host could be probed"))
    elif all(_missing(r.answer) or (isinstance(r.answer, CommandResult) and r.answer.command.startswith("nslookup"))
             for r in resolved):
        reach = probe("reach", Status.UNKNOWN, _("this device has no ping to test whether the hosts answer"), ev,
                      details=details)
    else:
        reach = probe("reach", Status.UNKNOWN, _("could not tell whether the hosts answer"), ev, details=details)
    return [dns, reach]


# ------------------------------------------------------------------ clock


def clock_probe(a: Answer, tz: str, max_skew: float = CLOCK_MAX_SKEW) -> Finding:
    if isinstance(a, DeviceError):
        return probe("clock", Status.UNKNOWN, _("could not read the device clock: {why}").format(why=_why(a)))
    clock = net_parser.parse_epoch(a.stdout)
    if _missing(a) or clock.epoch is None:
        return probe("clock", Status.UNKNOWN, _("could not read the device clock ({why})").format(
            why=(a.stderr.strip() or "; ".join(clock.problems))[:80]), [evidence(a)])
    if a.host_time is None:
        return probe("clock", Status.UNKNOWN, _("no laptop time was recorded with the answer to compare with"),
                     [evidence(a)])
    laptop = a.host_time - a.duration / 2  # the device read its clock about halfway through the round trip
    skew = clock.epoch - laptop
    when = lambda t: datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")  # noqa: E731
    tz_text = tz or _("not set")
    ev = [evidence(a, a.lines[:1], _("device {device}, laptop {laptop}, time zone {tz}").format(
        device=when(clock.epoch), laptop=when(laptop), tz=tz_text))]
    details = {"device_epoch": clock.epoch, "laptop_epoch": round(laptop, 3), "skew_s": round(skew, 1),
               "timezone": tz}
    if abs(skew) > max_skew:
        return probe("clock", Status.FAIL, _("the device clock is {amount} {direction} the laptop's (time zone "
                                             "{tz})").format(amount=_duration(abs(skew)),
                                                            direction=_("ahead of") if skew > 0 else _("behind"),
                                                            tz=tz_text), ev, Remedy(
            _("Set the date and time on the device, and turn on automatic time so it follows the network "
              "(its NTP server must be reachable). A wrong clock breaks TLS and the activation signature."),
            ["adb shell settings put global auto_time 1"]), details)
    if abs(skew) < CLOCK_IN_STEP:  # the exact second is noise (the round trip, the device's rounding)
        return probe("clock", Status.PASS, _("in step with the laptop's ({tz})").format(tz=tz_text), ev,
                     details=details)
    return probe("clock", Status.PASS, _("{seconds:.0f} s {direction} the laptop's, within the minute allowed "
                                         "({tz})").format(seconds=abs(skew), tz=tz_text,
                                                          direction=_("ahead of") if skew > 0 else _("behind")),
                 ev, details=details)


def _duration(s: float) -> str:
    if s >= 86400:
        return _("{n:.1f} days").format(n=s / 86400)
    if s >= 3600:
        h, m = divmod(int(s) // 60, 60)
        return _("{h} h {m} min").format(h=h, m=m)
    if s >= 60:
        return _("{m} min").format(m=int(s) // 60)
    return _("{s:.0f} s").format(s=s)


# ------------------------------------------------------------------ proxy, private DNS


def proxy_probe(answers: dict[str, Answer], default: Network | None, sdk: int | None) -> Finding:
    got = {k: answers.get("set:" + k) for k in SETTINGS}
    readable = [k for k, a in got.items() if isinstance(a, CommandResult) and a.ok]
    if not readable:
        first = next((a for a in got.values() if a is not None), None)
        why = _why(first) if isinstance(first, DeviceError) else _("settings gave no answer")
        return probe("proxy", Status.UNKNOWN, _("could not read the proxy settings: {why}").format(why=why))
    ev = [Evidence(SETTING_COMMAND.format(key=k), [got[k].stdout.strip()]) for k in readable]
    proxy = _setting(got["http_proxy"])
    host = _setting(got["global_http_proxy_host"])
    if host:
        port = _setting(got["global_http_proxy_port"])
        proxy = proxy or (f"{host}:{port}" if port else host)
    mode = _setting(got["private_dns_mode"])
    spec = _setting(got["private_dns_specifier"]) or (default.private_dns_server if default else None)
    details = {"http_proxy": proxy, "private_dns_mode": mode, "private_dns_specifier": spec}
    problems, cmds = [], []
    if proxy:
        problems.append(_("a global HTTP proxy is set: {proxy}").format(proxy=proxy))
        cmds += ["adb shell settings put global http_proxy :0"]
        if host:
            cmds += ["adb shell settings delete global global_http_proxy_host",
                     "adb shell settings delete global global_http_proxy_port"]
    if mode == "hostname":
        problems.append(_("private DNS is set to a hostname: {spec}").format(spec=spec or "?"))
        cmds.append("adb shell settings put global private_dns_mode opportunistic")
    if problems:
        return probe("proxy", Status.WARN, "; ".join(problems), ev, Remedy(
            _("Remove the proxy / private DNS unless the site really needs it: WMPF's connections do not go "
              "through an HTTP proxy, and a private-DNS server the network blocks makes every lookup fail."),
            cmds), details)
    dns_text = (_("private DNS {mode}").format(mode=mode or _("automatic")) if (sdk or 0) >= 28
                else _("no private DNS before Android 9"))
    return probe("proxy", Status.PASS, _("no proxy, {dns}").format(dns=dns_text), ev, details=details)


# ------------------------------------------------------------------ Wi-Fi signal, cellular


def wifi_probe(default: Network | None, wifi_a: Answer | None, weak_dbm: float = WIFI_WEAK_DBM,
               min_mbps: float = WIFI_MIN_LINK_MBPS) -> Finding:
    if default is None or default.type != "WIFI":
        return probe("wifi", Status.SKIPPED, _("not on Wi-Fi"))
    rssi, speed = default.signal_strength, default.link_speed_mbps
    ev: list[Evidence] = []
    if isinstance(wifi_a, CommandResult) and wifi_a.stdout.strip():
        info = connectivity_parser.parse_wifi_info(wifi_a.stdout)
        if info.connected:
            rssi = info.rssi if info.rssi is not None else rssi
            speed = info.link_speed_mbps if info.link_speed_mbps and info.link_speed_mbps > 0 else speed
            ev.append(evidence(wifi_a, [info.line]))
    details = {"rssi_dbm": rssi, "link_speed_mbps": speed, "ssid": default.ssid}
    if rssi is None and speed is None:
        return probe("wifi", Status.UNKNOWN, _("signal strength not reported"), ev, details=details)
    parts = ([_("{rssi} dBm").format(rssi=rssi)] if rssi is not None else []) + (
        [_("{speed} Mbps link").format(speed=speed)] if speed is not None else [])
    text = ", ".join(parts)
    weak = (rssi is not None and rssi <= weak_dbm) or (speed is not None and 0 < speed < min_mbps)
    if weak:
        return probe("wifi", Status.WARN, _("weak Wi-Fi: {text}").format(text=text), ev, Remedy(
            _("A voice call needs about 2 MB a minute and a video call 10-30 MB a minute (FAQ 1.8): move the "
              "access point closer, use 5 GHz, or wire the device with Ethernet."), faq="1.8"), details)
    return probe("wifi", Status.PASS, text, ev, details=details)


def cellular_note(default: Network | None) -> Finding | None:
    if default is None or default.type != "CELLULAR":
        return None
    return probe("cellular", Status.PASS, _("on a cellular link: an IoT SIM with a directed (定向) plan cannot "
                                            "reach WeChat, whose servers have no published list; use a "
                                            "non-directed plan (FAQ 1.7)"), details={"apn": default.extra})


# ------------------------------------------------------------------ the check

ORDER = ("link", "dns", "reach", "clock", "proxy", "wifi", "cellular")
LABELS: dict[str, Callable[[], str]] = {
    "link": lambda: _("link"), "dns": lambda: _("DNS"), "reach": lambda: _("reachability"),
    "clock": lambda: _("clock"), "proxy": lambda: _("proxy"), "wifi": lambda: _("Wi-Fi"),
    "cellular": lambda: _("SIM")}


def verdict(probes: list[Finding]) -> CheckResult:
    """The verdict by the findings rule (CheckResult.of_findings). Link, DNS and reachability decide whether
    the network works: one of link and reachability working is enough, and a clock, proxy or Wi-Fi probe
    that cannot tell does not hide a working network."""
    by = {p.name: p for p in probes}
    for p in probes:
        p.essential = p.name in ("dns", "link", "reach")
    if by["reach"].status == Status.PASS:
        by["link"].essential = False
    if by["link"].status == Status.PASS:
        by["reach"].essential = False
    result = CheckResult.of_findings(probes, {"time_limits_s": {"probe": PROBE_TIMEOUT, "check": NetworkCheck.timeout}})
    if result.status == Status.UNKNOWN and result.remedy is None:
        result.remedy = Remedy(_("Run the probe by hand to see what the device says."),
                               ["adb shell dumpsys connectivity"])
    cell = by.get("cellular")
    if cell and result.status == Status.PASS:
        result.remedy = Remedy(cell.summary, faq="1.7")
    return result


class NetworkCheck(Check):
    id = "network"
    title = "Network (as the device sees it)"
    description = ("The device's own link, DNS and reachability of WeChat's hosts, clock, proxy / private DNS "
                   "and Wi-Fi signal, all probed on the device at the same time.")
    looks_at = ("dumpsys connectivity, ip -4 addr show (or ifconfig), ping -c 2 -W 2 -n HOST, date +%s, "
                "settings get global (airplane mode, proxy, private DNS), dumpsys wifi")
    timeout = 2 * PROBE_TIMEOUT + 6  # two rounds of probes, each all at once, plus reading the properties
    # Started by the runner before any check runs: the short reads in one round trip, each ping on its own.
    cheap_reads = ("ip -4 addr show", "date +%s", *(command_line(["settings", "get", "global", k]) for k in SETTINGS))
    slow_reads = ("dumpsys connectivity", *(command_line([*PING, h]) for h in DEFAULT_HOSTS))
    order = 40
    thresholds = {
        "clock_max_skew_seconds": Threshold(CLOCK_MAX_SKEW, N_("seconds the device clock may differ from the "
                                                                "laptop's before the clock fails")),
        "wifi_weak_dbm": Threshold(WIFI_WEAK_DBM, N_("Wi-Fi signal (dBm) at or below which it is weak")),
        "wifi_min_link_mbps": Threshold(WIFI_MIN_LINK_MBPS, N_("Wi-Fi link rate (Mbps) below which it is weak")),
    }

    def run(self, ctx: Context) -> CheckResult:
        props = ctx.facts.props()
        sdk = props.sdk
        if sdk is not None and props.get("sys.boot_completed") != "1":
            # Right after a reboot the network is not up yet: probing now would report a fault that is not there.
            return CheckResult.skipped(
                _("Android is still starting (sys.boot_completed is not 1); its network comes up after boot"),
                evidence=[Evidence("getprop", [f"[sys.boot_completed]: [{props.get('sys.boot_completed')}]"],
                                   _("not set until the boot has finished"))],
                remedy=Remedy(_("Wait until the device shows its home screen or app, then run devdoctor again.")))
        hosts = list(dict.fromkeys(h.strip() for h in (ctx.settings.network_hosts or DEFAULT_HOSTS) if h.strip()))
        hosts = hosts[:MAX_HOSTS]
        valid = [h for h in hosts if is_host_name(h)]
        cmds = {"conn": "dumpsys connectivity", "ip": "ip -4 addr show", "date": "date +%s"}
        for k in SETTINGS:  # before Android 9 the private DNS keys read `null`
            cmds["set:" + k] = command_line(["settings", "get", "global", k])
        for h in valid:
            cmds["ping:" + h] = command_line([*PING, h])
        got = _answers(ctx, cmds)

        # Second round, only when the first asks for it: ifconfig where there is no ip; Wi-Fi details.
        later: dict[str, str] = {}
        if _missing(got["ip"]) or isinstance(got["ip"], DeviceError):
            later["ifc"] = "ifconfig"
        conn_a = got["conn"]
        conn = (connectivity_parser.parse_dumpsys_connectivity(conn_a.stdout) if isinstance(conn_a, CommandResult)
                else connectivity_parser.Connectivity())
        for h in valid:
            a = got["ping:" + h]
            if _missing(a):  # no ping: a name lookup at least
                later["ns:" + h] = command_line(["nslookup", h])
            elif isinstance(a, CommandResult) and net_parser.parse_ping(a.output).failure == "usage":
                later["ping:" + h] = command_line([*PING_PLAIN, h])
        if conn.default and conn.default.type == "WIFI" and conn.default.link_speed_mbps is None:
            later["wifi"] = "dumpsys wifi | grep mWifiInfo"
        got.update(_answers(ctx, later))

        airplane = _setting(got.get("set:airplane_mode_on"))
        link, default = link_probe(conn_a, got["ip"], got.get("ifc"), airplane, sdk)
        probes = [link]
        hosts_res = [host_result(h, got.get("ping:" + h), got.get("ns:" + h)) if h in valid else host_result(h, None)
                     for h in hosts]
        probes += dns_reach_probes(hosts_res, link.status != Status.FAIL)
        probes.append(clock_probe(got["date"], props.get("persist.sys.timezone"),
                                  ctx.threshold("clock_max_skew_seconds", CLOCK_MAX_SKEW)))
        probes.append(proxy_probe(got, default, sdk))
        probes.append(wifi_probe(default, got.get("wifi"), ctx.threshold("wifi_weak_dbm", WIFI_WEAK_DBM),
                                 ctx.threshold("wifi_min_link_mbps", WIFI_MIN_LINK_MBPS)))
        note = cellular_note(default)
        if note:
            probes.append(note)
        return verdict(probes)
