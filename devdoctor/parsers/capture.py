"""A capture pasted into a ticket or saved from a terminal: clean it, and tell which command printed it.

Captures arrive in every state (captures/expected/README.md): UTF-16 with a byte-order mark (PowerShell's
`>`), CRLF or CR CR LF line endings, a shell prompt or the command on the first line, cut off at the end.
`read_capture` undoes what it safely can and lists the rest in `problems`; `detect_kind` names the
command from the prompt line when there is one, else from the shape of the output.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import decode, is_prompt

KINDS = ("getprop", "dumpsys_package", "ps", "pm_list_packages", "dumpsys_connectivity", "appops", "logcat",
         "dumpsys_deviceidle", "dumpsys_activity", "ip_addr", "ifconfig", "ping", "wmpf_errors")

# The command at the start of a pasted first line (after `adb [-s X] shell`, `su -c`, a prompt) -> kind.
_COMMANDS = [
    (r"getprop\s*(?:\|.*)?$", "getprop"),
    (r"dumpsys\s+package\b", "dumpsys_package"),
    (r"(?:toybox\s+|busybox\s+)?ps\b", "ps"),
    (r"(?:while|for)\b.*\b(?:toybox\s+|busybox\s+)?ps\b", "ps"),  # `while true; do ps -A; sleep 5; done`
    (r"(?:cmd\s+package|pm)\s+list\s+packages?\b", "pm_list_packages"),
    (r"dumpsys\s+connectivity\b", "dumpsys_connectivity"),
    (r"(?:cmd\s+appops\s+get|dumpsys\s+appops|appops\s+get)\b", "appops"),
    (r"logcat\b", "logcat"),
    (r"dumpsys\s+deviceidle\b", "dumpsys_deviceidle"),
    (r"dumpsys\s+activity\b", "dumpsys_activity"),
    (r"(?:toybox\s+|busybox\s+)?ip\s+(?:-\S+\s+)*(?:a|addr|address|link|l)\b", "ip_addr"),
    (r"cat\s+/proc/net/if_inet6\b", "ip_addr"),
    (r"(?:toybox\s+|busybox\s+)?(?:ifconfig|netcfg)\b", "ifconfig"),
    (r"cat\s+/proc/net/dev\b", "ifconfig"),
    (r"(?:toybox\s+|busybox\s+)?ping6?\b", "ping"),
]
_COMMAND_WORDS = r"(?:getprop|dumpsys|ps|toybox|busybox|pm|cmd|appops|logcat|ip|ifconfig|netcfg|ping6?|cat|while|for)"
# `hero2lte:/ # cmd ...`, `~ $ ping ...`, `> ping ...`, `C:\Users\x> adb shell ...`, `PS C:\> adb ...`, `$ adb ...`
_PROMPT = re.compile(r"^\s*(?:PS )?(?:\S*?\s?[$#>%]\s+)?(?P<cmd>(?:adb(?:\.exe)?(?:\s+-[sdet](?:\s+\S+)?)*\s+(?:shell\s+)?)?"
                     r"(?:su\s+(?:0\s+|-c\s+)?)?['\"]?" + _COMMAND_WORDS + r"\b.*)$")
@dataclass
class Capture:
    text: str  # the cleaned text: LF line ends, no BOM, prompt line removed
    encoding: str = "utf-8"  # utf-8, utf-8-bom, utf-16le-bom, utf-16be-bom
    line_endings: str = "lf"  # lf, crlf, crcrlf, cr, mixed, none
    prompt: str | None = None  # the first line when it was a prompt or the command (removed from `text`)
    prompt_lines: list[str] = field(default_factory=list)  # every prompt or echoed command line, the first too
    command: str | None = None  # the command read from that line
    cut_off: bool = False  # the last line has no line end: the capture may have been cut there
    undecodable: int = 0  # characters that could not be decoded (U+FFFD)
    problems: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")[:-1] if self.text.endswith("\n") else self.text.split("\n")


def _encoding(data: bytes) -> str:
    if data.startswith(b"\xff\xfe"):
        return "utf-16le-bom"
    if data.startswith(b"\xfe\xff"):
        return "utf-16be-bom"
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-bom"
    return "utf-8"


def _line_endings(text: str) -> str:
    crcrlf = text.count("\r\r\n")
    crlf = text.count("\r\n") - crcrlf
    lf = text.count("\n") - crlf - crcrlf
    cr = text.count("\r") - crlf - 2 * crcrlf
    kinds = [k for k, n in (("crcrlf", crcrlf), ("crlf", crlf), ("lf", lf), ("cr", cr)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def read_capture(data: bytes) -> Capture:
    """Bytes as saved -> cleaned text and what was found on the way. Never raises."""
    enc = _encoding(data)
    if enc == "utf-8" and len(data) > 3 and data[1:2] == b"\x00" and data[3:4] == b"\x00":
        enc = "utf-16le"  # UTF-16 without a byte-order mark (rare, but PowerShell 7 pipes can do it)
        text = data.decode("utf-16-le", "replace")
    else:
        text = decode(data)
    cap = Capture(text="", encoding=enc, line_endings=_line_endings(text))
    cap.undecodable = text.count("\ufffd")
    if cap.undecodable:
        cap.problems.append(f"{cap.undecodable} character(s) could not be decoded and read as U+FFFD")
    cap.cut_off = bool(text) and not text.endswith(("\n", "\r"))
    text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    first, sep, rest = text.partition("\n")
    m = _PROMPT.match(first)
    if m and not _looks_like_output(first):
        cap.prompt, cap.command = first, _strip_shell(m.group("cmd"))
        text = rest
    cap.text = text
    cap.prompt_lines = ([cap.prompt] if cap.prompt is not None else []) + [
        ln for ln in cap.lines if is_prompt(ln)]
    if cap.cut_off:
        last = cap.lines[-1] if cap.lines else ""
        cap.problems.append(f"the capture ends in the middle of a line (no line end after {last[-40:]!r}): "
                            "it may be cut off there")
    return cap


def _strip_shell(cmd: str) -> str:
    cmd = re.sub(r"^adb(?:\.exe)?(?:\s+-[sdet](?:\s+\S+)?)*\s+(?:shell\s+)?", "", cmd.strip())  # `adb logcat` too
    cmd = re.sub(r"^su\s+(?:0\s+|-c\s+)?", "", cmd)
    return cmd.strip("'\" ")


def _looks_like_output(line: str) -> bool:
    """A first line that is output although it starts with a command word (`ps` header, `ping` summary...)."""
    return bool(re.match(r"^(?:PING |\[|USER |LABEL |package:|\d)", line.strip()))


def kind_of_command(command: str) -> str | None:
    for pattern, kind in _COMMANDS:
        if re.match(pattern, command):
            return kind
    return None




# Shapes of output, tried in order; each is (kind, regex searched in the first lines). Anchors of the
# dumps come first: their text can hold lines of other shapes (a log line quoted in a dump).
_SHAPES = [
    ("getprop", re.compile(r"^\[[\w.\-:@]+\]: \[", re.M)),
    ("dumpsys_package", re.compile(r"^(?:\s*Package \[[^\]]+\] \([0-9a-f]+\):|Unable to find package: |"
                                   r"Database versions:$|Activity Resolver Table:$|Packages:$|"
                                   r"Hidden system packages:$|Shared users:$)", re.M)),
    ("pm_list_packages", re.compile(r"^package:\S+", re.M)),
    ("ps", re.compile(r"^\s*(?:LABEL\s+)?USER\s+PID\s+(?:TID\s+)?PPID\s+V|^\s*PID\s+USER\s+(?:TIME|VSZ)\s|"
                      r"^\s*(?:[A-Z%]{1,8}\s+){0,12}PID\s+(?:[A-Z%]{1,8}\s+){0,12}(?:NAME|CMD|COMMAND|ARGS|CMDLINE)\s*$",
                      re.M)),
    ("dumpsys_activity", re.compile(r"^(?:ACTIVITY MANAGER [A-Z ]+ \(dumpsys activity|Bad activity command|"
                                    r"  Process LRU list \(sorted by oom_adj|"
                                    r"\s+\*(?:APP|PERS)\* UID \d+ ProcessRecord\{)", re.M)),
    ("dumpsys_connectivity", re.compile(r"^(?:NetworkFactories for:|Active default network:|Current Networks:)",
                                        re.M)),
    ("dumpsys_deviceidle", re.compile(r"^\s+(?:mState=\w+ mLightState=|light_after_inactive_to=)", re.M)),
    ("appops", re.compile(r"^(?:Current AppOps Service state:|(?:Uid mode: )?[A-Z_0-9]+(?:\(\d+\))?: "
                          r"(?:allow|ignore|deny|default|foreground|mode=\d+)\b|No operations\.$)", re.M)),
    ("ping", re.compile(r"^PING \S+ \(|^\d+ packets transmitted|^ping: unknown host", re.M)),
    ("ip_addr", re.compile(r"^\d+: [\w@.\-]+: <[A-Z_,]*>|^\d+:\s+[\w@.\-]+\s+inet6? [0-9a-fA-F.:]+/\d|"
                           r"^[0-9a-f]{32} [0-9a-f]{2,8} [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2}\s+\S+$", re.M)),
    ("ifconfig", re.compile(r"^\S+\s+Link encap:|^\S+: flags=\d+<|^[\w.-]+: ip \d+\.\d+\.\d+\.\d+ mask |"
                            r"^[\w.-]+\s+(?:UP|DOWN)\s+\d+\.\d+\.\d+\.\d+/\d+\s+0x[0-9a-f]{8}|^Inter-\|\s+Receive",
                            re.M)),
]
# Words that hint at a kind, for "the closest kinds" of a capture no shape matched.
_HINTS = {
    "getprop": ("]: [", "ro.build.", "ro.product."), "dumpsys_package": ("versionCode=", "Package [", "codePath="),
    "pm_list_packages": ("package:",), "ps": ("PID", "PPID", "USER"),
    "dumpsys_activity": ("ProcessRecord{", "ACTIVITY MANAGER", "oom_adj"),
    "dumpsys_connectivity": ("NetworkAgentInfo", "NetworkCapabilities", "Active default network"),
    "dumpsys_deviceidle": ("Whitelist", "mState=", "deviceidle"),
    "appops": ("mode=", ": allow", ": ignore", "Uid "), "logcat": ("beginning of", " E ", " I ", "E/", "I/"),
    "ip_addr": ("mtu ", "link/", "inet ", "qdisc"), "ifconfig": ("HWaddr", "inet addr:", "Link encap", "RX bytes"),
    "ping": ("icmp_seq", "packets transmitted", "PING "),
}


def _log_lines(lines: list[str]) -> bool:
    """These lines hold a log: one entry with a time stamp (a ticket may quote a single line amid prose), or
    a good part of them in a layout without one (the `tag` one only when every line has it: `X/Y: z` is
    common in other text)."""
    from devdoctor.parsers.logcat_layouts import read_line, strip_colour

    shown = [ln for ln in lines if ln.strip() and not ln.startswith("-" * 9) and not is_prompt(ln)]
    read = [f for f in (read_line(strip_colour(ln)) for ln in shown) if f is not None]
    if any(f.timestamp for f in read):
        return True
    plain = sum(1 for f in read if f.layout != "tag")
    tags = len(read) - plain
    return plain >= max(1, 0.3 * len(shown)) or (tags >= 2 and tags == len(shown))


def detect_kind(cap: Capture) -> tuple[str | None, str]:
    """(kind, how it was told: "command" or "content"); (None, "") when it cannot be told. Text of no known
    shape that shows a WMPF error (an error string, a cut-off excerpt) is read as `wmpf_errors`."""
    if cap.command:
        kind = kind_of_command(cap.command)
        if kind:
            return kind, "command"
    lines = cap.lines
    head = "\n".join(lines[:200])
    for kind, rx in _SHAPES:
        if rx.search(head):
            return kind, "content"
    if _log_lines(lines[:200]):
        return "logcat", "content"
    if len(lines) > 200:  # a long dump whose anchor comes late (a full `dumpsys activity` of MIUI)
        deeper = "\n".join(lines[200:20000])
        for kind, rx in _SHAPES:
            if rx.search(deeper):
                return kind, "content"
    from devdoctor.wmpf.errors import any_error

    if any_error(lines[:2000]):
        return "wmpf_errors", "content"
    return None, ""


def closest_kinds(cap: Capture, limit: int = 3) -> list[str]:
    """The kinds whose words the capture shows most, best first: what to try with --as."""
    head = "\n".join(cap.lines[:500])
    score = {kind: sum(head.count(w) > 0 for w in words) for kind, words in _HINTS.items()}
    ranked = sorted((k for k in score if score[k]), key=lambda k: -score[k])
    return ranked[:limit]
