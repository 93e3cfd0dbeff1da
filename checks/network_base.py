"""The network check's vocabulary: its limits, how a probe becomes a finding, and what a command's answer
means when it is missing. Shared by the link probes (network_link) and the device probes (network_device)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from devdoctor.check import Context
from devdoctor.sources.device import CommandResult, CommandTimeout, DeviceError
from devdoctor.ui.i18n import _
from devdoctor.core.lazy import lazy
from devdoctor.readings.catalog import GLOBAL_SETTING
from devdoctor.result import Evidence, Finding, Remedy, Status

if TYPE_CHECKING:
    pass

if TYPE_CHECKING:  # the network modules' parsers, imported on first use (a type checker follows them)
    import devdoctor.parsers.connectivity as connectivity_parser
    import devdoctor.parsers.net as net_parser
else:
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
AIRPLANE_SETTING = GLOBAL_SETTING.command_for(None, "airplane_mode_on")
SETTINGS = ("airplane_mode_on", "http_proxy", "global_http_proxy_host", "global_http_proxy_port",
            "private_dns_mode", "private_dns_specifier")


LABELS: dict[str, Callable[[], str]] = {
    "link": lambda: _("link"), "dns": lambda: _("DNS"), "reach": lambda: _("reachability"),
    "clock": lambda: _("clock"), "proxy": lambda: _("proxy"), "wifi": lambda: _("Wi-Fi"),
    "cellular": lambda: _("SIM")}


def probe(name: str, status: Status, summary: str, evidence: list[Evidence] | None = None,
          remedy: Remedy | None = None, details: dict | None = None) -> Finding:
    """One finding of the verdict: what was probed (link, dns, reach, clock, proxy, wifi, cellular)."""
    return Finding(name, LABELS[name](), status, summary, list(evidence or []), remedy, dict(details or {}))


Answer = CommandResult | DeviceError  # what a command gave, or why it gave nothing


def answers(ctx: Context, commands: dict[str, str]) -> dict[str, Answer]:
    """Every command at once; each answer or the error that stood in its way, by key."""
    return dict(zip(commands, ctx.run_all(list(commands.values()), PROBE_TIMEOUT)))


SHELL_NOT_FOUND = re.compile(r"sh: (?:.*?: )?[\w.-]+: (?:inaccessible or )?not found\s*$")


def missing(a: Answer | None) -> bool:
    """The shell could not find the tool: `/system/bin/sh: ping: not found`, exit 127 (the message lands in
    stdout on a legacy shell without exit codes)."""
    return isinstance(a, CommandResult) and (a.exit_code == NOT_FOUND_EXIT or any(
        SHELL_NOT_FOUND.search(ln) for ln in a.output.splitlines()[:3]))


def why_no_answer(a: DeviceError) -> str:
    if isinstance(a, CommandTimeout):
        return _("no answer within {seconds:g} s").format(seconds=a.timeout)
    return str(a)


def setting_value(a: Answer | None) -> str | None:
    """`settings get global KEY`: the value, None when unset (`null`), unreadable or cleared (`:0`)."""
    from devdoctor.parsers.settings import parse_setting  # GLOBAL_SETTING's parser, imported when first used

    if not isinstance(a, CommandResult) or not a.ok:
        return None
    return parse_setting(a.stdout).value


# ------------------------------------------------------------------ link
