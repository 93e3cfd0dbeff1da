"""The command table of the bugreport device: which command is answered from which part of a bugreport.

Each entry is `@answers(r"regex")` over the normalised command line (`/system/bin/` and dumpsys' `-t N`
dropped; a trailing `| grep`, `| head`, `| tail` is applied by the device) and a function that returns
the output, in the format that command prints on that Android version, or raises NotAnswerable. The
first full match wins, so specific entries come before general ones. To answer a new command, add one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from devdoctor.sources.bugreport_answers import (NOT_IN_BUGREPORT, Answer, cut_off_inside, live_only,  # noqa: F401
                                                 not_in_bugreport, short_command)
from devdoctor.sources.bugreport_logs import logcat_answer
from devdoctor.sources.bugreport_sections import (PACKAGE_PARTS, apk_paths, standby_bucket_of, activity_subsection,
                                                  appops_get_answer, deviceidle_whitelist, package_slice,
                                                  pm_list_answer, process_names, services_of, setting_value,
                                                  top_level_parts, toybox_processes)
from devdoctor.ui.i18n import _

if TYPE_CHECKING:
    from devdoctor.sources.bugreport import BugreportDevice


Handler = Callable[["BugreportDevice", "re.Match[str]"], "Answer | str"]


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern
    handler: Handler


ROUTES: list[Route] = []


def answers(pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for commands that fully match `pattern` (after normalisation)."""

    def register(fn: Handler) -> Handler:
        ROUTES.append(Route(re.compile(pattern), fn))
        return fn

    return register


# == THE TABLE: command -> section ==================================================================
# Handlers return the output text (or an Answer naming the bugreport command that produced it) and
# raise NotAnswerable when the bugreport holds no answer. Order matters: the first full match wins.

@answers(r"getprop")
def _getprop(br: BugreportDevice, m: re.Match) -> str:
    return br.read(br.section("SYSTEM PROPERTIES"))


@answers(r"getprop (?P<key>[\w.\-:@]+)")
def _getprop_key(br: BugreportDevice, m: re.Match) -> str:
    from devdoctor.parsers.getprop import parse_getprop

    props = parse_getprop(_getprop(br, m))
    return props.get(m.group("key")) + "\n"  # getprop prints an empty line for an unset property


@answers(r"dumpsys package")
def _dumpsys_package(br: BugreportDevice, m: re.Match) -> str:
    return br.read(br.service("package"))


_PACKAGE = r"(?P<pkg>[A-Za-z]\w*(?:\.\w+)+)"  # a package name has at least one dot


@answers(r"dumpsys package " + _PACKAGE)
def _dumpsys_package_one(br: BugreportDevice, m: re.Match) -> str:
    section = br.service("package")
    out = package_slice(br.read(section), m.group("pkg"))
    if not section.complete and out.startswith("Unable to find package"):
        raise cut_off_inside(section, _("{pkg} is not in the part that is there").format(pkg=m.group("pkg")))
    return out


@answers(r"dumpsys package (?P<what>[a-z-]+)")
def _dumpsys_package_part(br: BugreportDevice, m: re.Match) -> str:
    titles = PACKAGE_PARTS.get(m.group("what"))
    if titles is None:
        raise not_in_bugreport(_("`dumpsys package {what}`").format(what=m.group("what")))
    return top_level_parts(br.read(br.service("package")), titles)


@answers(r"pm path " + _PACKAGE)
def _pm_path(br: BugreportDevice, m: re.Match) -> str:
    from devdoctor.parsers.dumpsys_package import parse_dumpsys_package

    pkg = m.group("pkg")
    paths = apk_paths(parse_dumpsys_package(_dumpsys_package_one(br, m)).find(pkg), pkg)
    if paths is None:
        return Answer("", exit_code=1)  # pm path prints nothing and fails for a package that is not there
    return "".join(f"package:{p}\n" for p in paths)


@answers(r"ps(?: -(?:A|e|ef|P|p|t|T|Z|w))*")
def _ps(br: BugreportDevice, m: re.Match) -> Answer:
    found = [s for s in br.index.sections if re.match(r"ps\b", s.command)]
    if not found:
        raise not_in_bugreport(_("no PROCESSES section"))
    text = br.read(found[0])
    if "-T" not in found[0].command.split():
        return Answer(text, found[0].command)  # toolbox (7.x and older): what `ps` prints there
    # toybox, 8.0+: dumpstate lists threads, each named by its 15-character comm ("om.tencent.wmpf");
    # a live `ps -A` lists processes by their full name
    return Answer(toybox_processes(text, process_names(br)), f"ps -A (from `{found[0].command}`)")


@answers(r"pidof (?P<name>\S+)")
def _pidof(br: BugreportDevice, m: re.Match) -> Answer:
    names = process_names(br)
    if not names:
        raise not_in_bugreport(_("no PROCESS TIMES section"))
    pids = [str(pid) for pid, name in sorted(names.items(), reverse=True) if name == m.group("name")]
    return Answer(" ".join(pids) + "\n" if pids else "", "pidof (from PROCESS TIMES)", 0 if pids else 1)


@answers(r"dumpsys activity")
def _activity(br: BugreportDevice, m: re.Match) -> str:
    return br.service_text("activity")


@answers(r"dumpsys activity (?P<sub>[a-z][\w-]*)(?: (?P<arg>\S+))?")
def _activity_sub(br: BugreportDevice, m: re.Match) -> Answer:
    sub, arg = m.group("sub"), m.group("arg")
    text = activity_subsection(br.service_text("activity"), sub)
    if text is None:
        raise not_in_bugreport(_("no `dumpsys activity {sub}` part in its activity dump").format(sub=sub))
    if arg is None:
        return Answer(text)
    if sub == "services":
        return Answer(services_of(text, arg))
    # other parts are given whole: the bugreport ran them without a package filter
    return Answer(text, f"dumpsys activity {sub}")


@answers(r"dumpsys (?P<name>[\w.@-]+)")
def _dumpsys_any(br: BugreportDevice, m: re.Match) -> str:
    return br.read(br.service(m.group("name")))


@answers(r"settings get (?P<ns>global|secure|system) (?P<key>[\w.\-]+)")
def _settings_get(br: BugreportDevice, m: re.Match) -> str:
    value = setting_value(br.service_text("settings"), m.group("ns"), m.group("key"))
    return value + "\n"


@answers(r"am get-standby-bucket " + _PACKAGE)
def _standby_bucket(br: BugreportDevice, m: re.Match) -> Answer:
    bucket, _line = standby_bucket_of(br, m.group("pkg"))
    return Answer(f"{bucket}\n", "dumpsys usagestats (App Standby States)")


@answers(r"(?:dumpsys|cmd) deviceidle whitelist")
def _deviceidle_whitelist(br: BugreportDevice, m: re.Match) -> Answer:
    return Answer(deviceidle_whitelist(br), "dumpsys deviceidle + dumpsys package (app ids)")


@answers(r"logcat(?P<args>(?: \S+)*)")
def _logcat(br: BugreportDevice, m: re.Match) -> Answer:
    return logcat_answer(br, m.group("args").split())


@answers(r"pm list packages(?P<args>(?: \S+)*)")
def _pm_list(br: BugreportDevice, m: re.Match) -> Answer:
    return pm_list_answer(br, m.group("args").split())


@answers(r"cmd appops get (?P<pkg>[A-Za-z][\w.]*)(?: (?P<op>\S+))?")
def _appops_get(br: BugreportDevice, m: re.Match) -> Answer:
    return appops_get_answer(br.service_text("appops"), m.group("pkg"), m.group("op"))


@answers(r"(?:ping|ping6|nslookup|curl|wget|nc|toybox nc|ip route get)\b.*")
def _network_probe(br: BugreportDevice, m: re.Match) -> str:
    raise live_only(_("whether the device reaches the network now"))


@answers(r"date\b.*|cat /proc/uptime|uptime")
def _clock(br: BugreportDevice, m: re.Match) -> str:
    raise live_only(_("the device's clock against the laptop's"))


@answers(r"(?P<cmd>.+)")
def _same_command(br: BugreportDevice, m: re.Match) -> str:
    """Any command the bugreport ran itself (`ip -4 addr show`, `ip link`, `df`, `cat /proc/meminfo`)."""
    cmd = m.group("cmd")
    path = cmd[4:] if cmd.startswith("cat ") else None
    for s in br.index.sections:
        if s.command and (s.command == cmd or s.command == path):
            return br.read(s)
    raise not_in_bugreport(_("`{command}`").format(command=short_command(cmd)))


# == helpers the handlers use ========================================================================


