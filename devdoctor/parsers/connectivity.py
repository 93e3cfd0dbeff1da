"""`dumpsys connectivity` (ConnectivityService.dump) across Android versions, and the `mWifiInfo` line of
`dumpsys wifi`.

What changes between versions, all in one `NetworkAgentInfo{...}` line per network under `Current Networks:`:
- 7.0-10: `NetworkAgentInfo{ ni{[type: WIFI[], state: CONNECTED/CONNECTED, ... extra: "ssid", ...]}
  network{101}  nethandle{..}  lp{{...}}  nc{[ Transports: WIFI Capabilities: ...&VALIDATED ...]}  Score{60}
  everValidated{true}  lastValidated{true} ...}` (shared captures, bugreports 7.1.1, 8.1, 9, 10);
- 11+: `NetworkAgentInfo{network{100}  handle{..}  ni{WIFI CONNECTED extra: }  Score(...)  everValidated
  lastValidated ...  lp{{...}}  nc{[ ... TransportInfo: <SSID: .., RSSI: -55, Link speed: 433Mbps, ..>
  SignalStrength: -55 ...]}}` (NetworkAgentInfo.toString in packages/modules/Connectivity);
- 9+ LinkProperties add `UsePrivateDns: .. PrivateDnsServerName: ..`; 11+ pad the lists (`[ a,b ]`) and
  print DNS servers as `/1.2.3.4`.
The network type is read from the transports, never from the interface name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

_ACTIVE = re.compile(r"^Active default network:\s*(\S+)")
_NETID = re.compile(r"\bnetwork\{(\d+)\}")
_TRANSPORTS = re.compile(r"Transports:\s*([A-Z_|]+)")
_CAPS = re.compile(r"Capabilities:\s*([A-Z_&]+)")
_NI_OLD = re.compile(r"ni\{\[type:\s*([^,\]\[]+)(?:\[([^\]]*)\])?,\s*state:\s*([^,]+),.*?extra:\s*([^,]*),")
_NI_NEW = re.compile(r"ni\{(\S+)\s+(\S+)(?:\s+extra:\s*([^}]*))?\}")
_SIGNAL = re.compile(r"SignalStrength:\s*(-?\d+)")
_SSID = re.compile(r"\bSSID:\s*\"([^\"]*)\"")
_LINK_SPEED = re.compile(r"\bLink speed:\s*(-?\d+)\s*Mbps")
_RSSI = re.compile(r"\bRSSI:\s*(-?\d+)")

TYPES = ("WIFI", "ETHERNET", "CELLULAR", "VPN", "BLUETOOTH", "USB", "WIFI_AWARE", "LOWPAN", "TEST")


@dataclass
class Route:
    destination: str
    gateway: str
    interface: str

    @property
    def is_default(self) -> bool:
        return self.destination in ("0.0.0.0/0", "::/0")


@dataclass
class Network:
    net_id: int | None
    transports: list[str] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    interface: str | None = None
    state: str | None = None  # "CONNECTED/CONNECTED" (7-10), "CONNECTED" (11+)
    extra: str | None = None  # SSID or APN as NetworkInfo carries it
    addresses: list[str] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    dns: list[str] = field(default_factory=list)
    use_private_dns: bool | None = None
    private_dns_server: str | None = None
    signal_strength: int | None = None  # dBm for Wi-Fi, as NetworkCapabilities carries it
    ssid: str | None = None
    link_speed_mbps: int | None = None  # 11+ TransportInfo only
    line: str = ""

    @property
    def type(self) -> str:
        if "VPN" in self.transports:
            return "VPN"
        return self.transports[0] if self.transports else "UNKNOWN"

    @property
    def validated(self) -> bool:
        return "VALIDATED" in self.capabilities

    @property
    def has_internet(self) -> bool:
        return "INTERNET" in self.capabilities

    @property
    def default_routes(self) -> list[Route]:
        return [r for r in self.routes if r.is_default]

    @property
    def ipv4(self) -> list[str]:
        return [a for a in self.addresses if re.match(r"^\d{1,3}(\.\d{1,3}){3}/\d+$", a)]


@dataclass
class Connectivity:
    active_default_network_id: int | None = None
    active_default_said: str | None = None  # what the line said: "101", "none", or None when absent
    networks: list[Network] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def default(self) -> Network | None:
        if self.active_default_network_id is None:
            return None
        return next((n for n in self.networks if n.net_id == self.active_default_network_id), None)

    @property
    def default_network_type(self) -> str:
        d = self.default
        return d.type if d else "none"

    @property
    def validated(self) -> bool | None:
        d = self.default
        return d.validated if d else None

    @property
    def interface(self) -> str | None:
        d = self.default
        return d.interface if d else None

    @property
    def network_count(self) -> int:
        return len(self.networks)


def _brace_body(line: str, opener: str) -> str:
    """The text inside `opener...` up to the matching close, braces and brackets counted."""
    i = line.find(opener)
    if i < 0:
        return ""
    depth, start = 0, i + len(opener) - 1
    pairs = {"{": "}", "[": "]"}
    stack: list[str] = []
    for j in range(start, len(line)):
        c = line[j]
        if c in pairs:
            stack.append(pairs[c])
            depth += 1
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                return line[start + 1:j]
    return line[start + 1:]


def _list_after(body: str, key: str) -> list[str]:
    m = re.search(re.escape(key) + r":\s*\[([^\]]*)\]", body)
    if not m:
        return []
    return [x.strip() for x in m.group(1).split(",") if x.strip()]


def _route(text: str) -> Route | None:
    parts = text.split()
    if len(parts) >= 3 and parts[1] == "->":
        return Route(parts[0], parts[2], parts[3] if len(parts) > 3 and parts[3] != "mtu" else "")
    return None


def parse_network_line(line: str) -> Network:
    m = _NETID.search(line)
    net = Network(to_int(m.group(1)) if m else None, line=line)
    nc = _brace_body(line, "nc{")
    lp = _brace_body(line, "lp{")
    mt = _TRANSPORTS.search(nc)
    net.transports = [t for t in mt.group(1).split("|") if t] if mt else []
    mc = _CAPS.search(nc)
    net.capabilities = [c for c in mc.group(1).split("&") if c] if mc else []
    mo = _NI_OLD.search(line)
    if mo:
        net.state, net.extra = mo.group(3).strip(), mo.group(4).strip()
    else:
        mn = _NI_NEW.search(line)
        if mn:
            net.state, net.extra = mn.group(2), (mn.group(3) or "").strip() or None
    if net.extra in ("(none)", "null", ""):
        net.extra = None
    mi = re.search(r"InterfaceName:\s*(\S+)", lp)
    net.interface = mi.group(1) if mi else None
    net.addresses = _list_after(lp, "LinkAddresses")
    net.routes = [r for r in (_route(x) for x in _list_after(lp, "Routes")) if r]
    net.dns = [d.lstrip("/") for d in _list_after(lp, "DnsAddresses")]
    mp = re.search(r"UsePrivateDns:\s*(\w+)", lp)
    net.use_private_dns = (mp.group(1) == "true") if mp else None
    ms = re.search(r"PrivateDnsServerName:\s*(\S+)", lp)
    net.private_dns_server = ms.group(1) if ms and ms.group(1) != "null" else None
    sig = _SIGNAL.search(nc)
    net.signal_strength = to_int(sig.group(1)) if sig else None
    ssid = _SSID.search(nc)
    if ssid:
        net.ssid = ssid.group(1)
    elif net.extra and net.extra.startswith('"') and net.extra.endswith('"') and "WIFI" in net.transports:
        net.ssid = net.extra.strip('"')
    sp = _LINK_SPEED.search(nc)
    net.link_speed_mbps = to_int(sp.group(1)) if sp else None
    return net


def parse_dumpsys_connectivity(text: str) -> Connectivity:
    out = Connectivity()
    in_current = False
    saw_current = False
    for line in split_lines(text or ""):
        m = _ACTIVE.match(line)
        if m:
            out.active_default_said = m.group(1)
            out.active_default_network_id = to_int(m.group(1))
            continue
        if line.startswith("Current Networks:"):
            in_current = saw_current = True
            continue
        if in_current:
            if line and not line[0].isspace():
                in_current = False
                continue
            if line.lstrip().startswith("NetworkAgentInfo{"):
                out.networks.append(parse_network_line(line.strip()))
    if out.active_default_said is None:
        out.problems.append("no `Active default network:` line")
    if not saw_current:
        out.problems.append("no `Current Networks:` section")
    if out.active_default_network_id is not None and out.default is None:
        out.problems.append(f"default network {out.active_default_network_id} is not among the current networks")
    return out


@dataclass
class WifiInfo:
    ssid: str | None = None
    rssi: int | None = None  # dBm; -127 when not connected
    link_speed_mbps: int | None = None  # -1 when not connected
    frequency_mhz: int | None = None
    supplicant_state: str | None = None
    line: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def connected(self) -> bool:
        return self.supplicant_state == "COMPLETED"


def parse_wifi_info(text: str) -> WifiInfo:
    """The `mWifiInfo SSID: .., Supplicant state: .., RSSI: -50, Link speed: 52Mbps, Frequency: 2447MHz, ..`
    line of `dumpsys wifi` (WifiInfo.toString, same shape 7.1 to 10 in the shared bugreports)."""
    for line in split_lines(text or ""):
        if "mWifiInfo" not in line and not line.lstrip().startswith("SSID:"):
            continue
        info = WifiInfo(line=line.strip())
        m = re.search(r"SSID:\s*(.*?), BSSID:", line)
        info.ssid = m.group(1).strip().strip('"') if m else None
        m = _RSSI.search(line)
        info.rssi = to_int(m.group(1)) if m else None
        m = _LINK_SPEED.search(line)
        info.link_speed_mbps = to_int(m.group(1)) if m else None
        m = re.search(r"Frequency:\s*(-?\d+)\s*MHz", line)
        info.frequency_mhz = to_int(m.group(1)) if m else None
        m = re.search(r"Supplicant state:\s*(\w+)", line)
        info.supplicant_state = m.group(1) if m else None
        return info
    return WifiInfo(problems=["no mWifiInfo line"])


def connectivity_json(c: Connectivity, capture: object = None) -> dict:
    """The JSON form of `dumpsys connectivity` (`devdoctor inspect`)."""
    return {"active_default_network_id": c.active_default_network_id, "default_network_type": c.default_network_type,
            "validated": c.validated, "interface": c.interface, "network_count": c.network_count,
            "networks": [{"netId": n.net_id, "type": n.type, "transports": n.transports, "interface": n.interface,
                          "validated": n.validated, "has_INTERNET": n.has_internet} for n in c.networks]}
