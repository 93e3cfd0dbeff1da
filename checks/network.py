"""The device's own network, as WeChat's servers will see it: link, DNS, reachability, clock, proxy, Wi-Fi.

Missed call pushes, activation timeouts (10013) and `err:TRANSFER errCode:33` all start with the device's
network (FAQ 4.2, 4.7, 4.9); the laptop's network says nothing about it, so every probe runs on the device.
All probes are sent at once, each with its own time limit; one verdict, with a line per probe.
The probes live in network_link (link, DNS, reachability) and network_device (clock, proxy, Wi-Fi, SIM).
"""
from __future__ import annotations


from devdoctor.check import Check, Context, Threshold
from devdoctor.sources.device import CommandResult, DeviceError, command_line, is_host_name
from devdoctor.ui.i18n import N_, _
from devdoctor.readings.catalog import CLOCK, CONNECTIVITY, GLOBAL_SETTING, INTERFACES
from devdoctor.readings.catalog import PING as PING_READING
from devdoctor.result import CheckResult, Evidence, Finding, Remedy, Status
from devdoctor_checks.network_base import (CLOCK_MAX_SKEW, DEFAULT_HOSTS, MAX_HOSTS, PING, PING_PLAIN,  # noqa: F401
                                           PROBE_TIMEOUT, SETTINGS, WIFI_MIN_LINK_MBPS, WIFI_WEAK_DBM, answers,
                                           connectivity_parser, missing, net_parser, probe, setting_value)
from devdoctor_checks.network_device import cellular_note, clock_probe, proxy_probe, wifi_probe  # noqa: F401
from devdoctor_checks.network_link import dns_reach_probes, host_result, link_probe  # noqa: F401


ORDER = ("link", "dns", "reach", "clock", "proxy", "wifi", "cellular")


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
    reads = (INTERFACES, CLOCK, *((GLOBAL_SETTING, k) for k in SETTINGS), *((PING_READING, h) for h in DEFAULT_HOSTS))
    cheap_reads = (CONNECTIVITY.command_for(None),)  # with the short reads: only the pings take long
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
        # All at once, each bounded by the probe's time limit: the readings' commands, read raw here because
        # a missing tool (no ping, no ip) decides the second round
        cmds = {"conn": CONNECTIVITY.command_for(sdk), "ip": INTERFACES.command_for(sdk),
                "date": CLOCK.command_for(sdk)}
        for k in SETTINGS:  # before Android 9 the private DNS keys read `null`
            cmds["set:" + k] = GLOBAL_SETTING.command_for(sdk, k)
        for h in valid:
            cmds["ping:" + h] = PING_READING.command_for(sdk, h)
        got = answers(ctx, cmds)

        # Second round, only when the first asks for it: ifconfig where there is no ip; Wi-Fi details.
        later: dict[str, str] = {}
        if missing(got["ip"]) or isinstance(got["ip"], DeviceError):
            later["ifc"] = "ifconfig"
        conn_a = got["conn"]
        conn = (connectivity_parser.parse_dumpsys_connectivity(conn_a.stdout) if isinstance(conn_a, CommandResult)
                else connectivity_parser.Connectivity())
        for h in valid:
            a = got["ping:" + h]
            if missing(a):  # no ping: a name lookup at least
                later["ns:" + h] = command_line(["nslookup", h])
            elif isinstance(a, CommandResult) and net_parser.parse_ping(a.output).failure == "usage":
                later["ping:" + h] = command_line([*PING_PLAIN, h])
        if conn.default and conn.default.type == "WIFI" and conn.default.link_speed_mbps is None:
            later["wifi"] = "dumpsys wifi | grep mWifiInfo"
        got.update(answers(ctx, later))

        airplane = setting_value(got.get("set:airplane_mode_on"))
        link, default = link_probe(conn_a, got["ip"], got.get("ifc"), airplane, sdk, conn)
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
