"""The link, DNS and reachability probes of the network check: what the device is connected through, and
whether WeChat's hosts resolve and answer from it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from devdoctor.check import evidence
from devdoctor.sources.device import CommandResult, CommandTimeout, DeviceError, command_line
from devdoctor.ui.i18n import _
from devdoctor.result import Evidence, Finding, Remedy, Status

if TYPE_CHECKING:
    from devdoctor.parsers.connectivity import Connectivity, Network
    from devdoctor.parsers.net import Interfaces

from devdoctor_checks.network_base import (AIRPLANE_SETTING, PING, Answer, connectivity_parser, missing, net_parser,
                                           probe, why_no_answer)


def link_probe(conn_a: Answer, ip_a: Answer, ifc_a: Answer | None, airplane: str | None,
               sdk: int | None, conn: Connectivity | None = None) -> tuple[Finding, Network | None]:
    """The link finding from `dumpsys connectivity`: its answer, and the reading of it when the caller has
    parsed it already (the check parses it once)."""
    ifaces, iface_ev = _interfaces(ip_a, ifc_a)
    if isinstance(conn_a, DeviceError) or not conn_a.stdout.strip():
        why = why_no_answer(conn_a) if isinstance(conn_a, DeviceError) else _("empty output")
        ev = ([evidence(conn_a)] if isinstance(conn_a, CommandResult) else []) + iface_ev
        up = ifaces.with_address() if ifaces else []
        seen = ", ".join(f"{i.name} {(i.ipv4 or i.ipv6)[0]}" for i in up)
        return probe("link", Status.UNKNOWN, _("could not read dumpsys connectivity ({why}){seen}").format(
            why=why, seen=_("; the kernel shows {seen} up").format(seen=seen) if seen else ""), ev), None
    conn = conn or connectivity_parser.parse_dumpsys_connectivity(conn_a.stdout)
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
        if isinstance(a, CommandResult) and not missing(a) and a.stdout.strip():
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
            host=host, why=why_no_answer(a)) if isinstance(a, CommandTimeout) else
            _("{host}: {why}").format(host=host, why=why_no_answer(a)), answer=a)
    if missing(a):
        if isinstance(lookup, CommandResult) and not missing(lookup):
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
        no_ping = all(missing(r.answer) for r in results if r.answer is not None) and any(r.answer for r in results)
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
    elif all(missing(r.answer) or (isinstance(r.answer, CommandResult) and r.answer.command.startswith("nslookup"))
             for r in resolved):
        reach = probe("reach", Status.UNKNOWN, _("this device has no ping to test whether the hosts answer"), ev,
                      details=details)
    else:
        reach = probe("reach", Status.UNKNOWN, _("could not tell whether the hosts answer"), ev, details=details)
    return [dns, reach]


# ------------------------------------------------------------------ clock
