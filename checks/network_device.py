"""The device-side probes of the network check: its clock against the laptop's, the proxy and private
DNS it is told to use, the Wi-Fi signal, and a SIM's limits."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from devdoctor.check import evidence
from devdoctor.sources.device import CommandResult, DeviceError
from devdoctor.ui.i18n import _
from devdoctor.readings.catalog import GLOBAL_SETTING
from devdoctor.result import Evidence, Finding, Remedy, Status

if TYPE_CHECKING:
    from devdoctor.parsers.connectivity import Network

from devdoctor_checks.network_base import (CLOCK_IN_STEP, CLOCK_MAX_SKEW, SETTINGS,
                                           WIFI_MIN_LINK_MBPS, WIFI_WEAK_DBM, Answer, connectivity_parser, missing,
                                           net_parser, probe, setting_value, why_no_answer)


def clock_probe(a: Answer, tz: str, max_skew: float = CLOCK_MAX_SKEW) -> Finding:
    if isinstance(a, DeviceError):
        return probe("clock", Status.UNKNOWN, _("could not read the device clock: {why}").format(why=why_no_answer(a)))
    clock = net_parser.parse_epoch(a.stdout)
    if missing(a) or clock.epoch is None:
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
        why = why_no_answer(first) if isinstance(first, DeviceError) else _("settings gave no answer")
        return probe("proxy", Status.UNKNOWN, _("could not read the proxy settings: {why}").format(why=why))
    ev = [Evidence(GLOBAL_SETTING.command_for(None, k), [got[k].stdout.strip()]) for k in readable]
    proxy = setting_value(got["http_proxy"])
    host = setting_value(got["global_http_proxy_host"])
    if host:
        port = setting_value(got["global_http_proxy_port"])
        proxy = proxy or (f"{host}:{port}" if port else host)
    mode = setting_value(got["private_dns_mode"])
    spec = setting_value(got["private_dns_specifier"]) or (default.private_dns_server if default else None)
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
