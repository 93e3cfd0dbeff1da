"""What the `network` check sends, answered as each Android version prints it.

Traits (in `case.traits["net"]`, or NET_TRAITS below for the foundation's cases; HEALTHY otherwise):
  link: ethernet | wifi | cellular | none      airplane: bool          validated: bool
  dns: ok | fail (the resolver says unknown host for every host)
  icmp_drop: hosts that resolve but never answer ping          hang: hosts whose ping hangs
  ping: iputils | missing                     ip: ok | missing (then ifconfig answers)
  clock_offset: seconds the device's clock is ahead of the laptop's (negative: behind)
  proxy: "host:port" | None                   private_dns: hostname | None
  rssi: dBm                                   link_speed: Mbps
"""
from __future__ import annotations

from cases import DeviceCase
from fixturekit import Builder, DeviceSpec, _hex

SOURCES = (
    "dumpsys connectivity: ConnectivityService.dump, NetworkAgentInfo lines as in shared captures "
    "raw/dumpsys_connectivity/* (7.1.1, 8.1, 9, 10); 11: a published Android 11 dump (NetworkProviders header, "
    "padded LinkProperties lists, /-prefixed DNS, clat{mBaseIface..}); 12+: a published RK3588 Android 12 dump and "
    "NetworkAgentInfo.toString in packages/modules/Connectivity (network{} first, short ni{}, Score(..; Policies)); "
    "ip -4 addr show: iproute2 as in raw/ip_addr/* and the bugreports' 'IPv4 ADDRESSES' sections; ifconfig: "
    "toybox as in raw/ifconfig/android-toybox-ifconfig-lo-p2p0-rmnet-afwall947; ping: iputils /system/bin/ping "
    "as in raw/ping/* ('ping: unknown host NAME' as printed on Android 7.1 and 11, anbox#763 and libsu#106); "
    "dumpsys wifi mWifiInfo line: bugreports 7.1.1, 8.1, 9 (10 adds Tx/Rx Link speed); shell 'not found': "
    "mksh '/system/bin/sh: NAME: not found', exit 127 (ping and nslookup on the stripped image)"
)

HOSTS = ("api.weixin.qq.com", "open.weixin.qq.com", "dldir1.qq.com")
HOST_IPS = {"api.weixin.qq.com": "101.91.22.57", "open.weixin.qq.com": "109.244.217.51",
            "dldir1.qq.com": "61.241.130.23"}
HEALTHY = {"link": "ethernet", "validated": True, "dns": "ok", "icmp_drop": (), "hang": (), "ping": "iputils",
           "ip": "ok", "clock_offset": 0, "proxy": None, "private_dns": None, "rssi": -55, "link_speed": 144,
           "airplane": False}
# The foundation's devices: what their network looks like.
NET_TRAITS = {
    "no-wmpf-a10-tablet": {"link": "wifi", "rssi": -58, "link_speed": 72, "validated": False},
}


def traits(case: DeviceCase) -> dict:
    return {**HEALTHY, **NET_TRAITS.get(case.name, {}), **case.traits.get("net", {})}


# ------------------------------------------------------------------ the network each link gives

def _link(t: dict) -> dict:
    kind = t["link"]
    if kind == "wifi":
        return {"iface": "wlan0", "ip": "192.168.31.87", "prefix": 24, "gw": "192.168.31.1", "dns": ["192.168.31.1"],
                "idx": 23, "mac": "ac:37:43:51:4e:cd", "transport": "WIFI", "ssid": "Site-5G"}
    if kind == "cellular":
        return {"iface": "rmnet_data0", "ip": "10.143.62.9", "prefix": 30, "gw": "10.143.62.10",
                "dns": ["211.136.17.107", "211.136.20.203"], "idx": 9, "transport": "CELLULAR", "apn": "cmiot"}
    return {"iface": "eth0", "ip": "192.168.1.50", "prefix": 24, "gw": "192.168.1.1", "dns": ["192.168.1.1"],
            "idx": 2, "mac": "02:4c:9a:10:22:7e", "transport": "ETHERNET"}


def _caps(t: dict, sdk: int, transport: str) -> str:
    caps = (["NOT_METERED"] if transport != "CELLULAR" else []) + ["INTERNET", "NOT_RESTRICTED", "TRUSTED", "NOT_VPN"]
    if t["validated"]:
        caps.append("VALIDATED")
    if sdk >= 28:
        caps.append("NOT_ROAMING")
    caps.append("FOREGROUND")
    if sdk >= 28:
        caps += ["NOT_CONGESTED", "NOT_SUSPENDED"]
    if sdk >= 31:
        caps.append("NOT_VCN_MANAGED")
    return "&".join(caps)


def _lp(t: dict, sdk: int) -> str:
    """LinkProperties.toString: 7-10 `[a,b,]` lists, DNS bare, UsePrivateDns always from 9; 11+ `[ a,b ]`
    lists, DNS `/a`, routes with `mtu 0`, ServerAddress, private DNS printed only when in use."""
    n = _link(t)
    iface = n["iface"]
    ll = f"fe80::{_hex(iface, 4)}:{_hex(iface + 'b', 4)}:fe{_hex(iface + 'c', 2)}:{_hex(iface + 'd', 4)}/64"
    addrs = [ll, f"{n['ip']}/{n['prefix']}"]
    net_prefix = ".".join(n["ip"].split(".")[:3]) + ".0"
    tcp = ("524288,1048576,4194304,524288,1048576,4194304" if n["transport"] != "CELLULAR"
           else "2097152,4194304,8388608,262144,524288,1048576")
    mtu = 1500 if n["transport"] == "CELLULAR" else 0
    if sdk >= 30:
        routes = [f"fe80::/64 -> :: {iface} mtu 0", f"{net_prefix}/{n['prefix']} -> 0.0.0.0 {iface} mtu 0",
                  f"0.0.0.0/0 -> {n['gw']} {iface} mtu 0"]
        private = f" UsePrivateDns: true PrivateDnsServerName: {t['private_dns']}" if t["private_dns"] else ""
        return (f"lp{{{{InterfaceName: {iface} LinkAddresses: [ {','.join(addrs)} ] DnsAddresses: [ "
                f"{','.join('/' + d for d in n['dns'])} ] Domains: null MTU: {mtu} ServerAddress: /{n['gw']} "
                f"TcpBufferSizes: {tcp} Routes: [ {','.join(routes)} ]{private}}}}}")
    routes = [f"fe80::/64 -> :: {iface}", f"{net_prefix}/{n['prefix']} -> 0.0.0.0 {iface}",
              f"0.0.0.0/0 -> {n['gw']} {iface}"]
    private = (f"UsePrivateDns: {'true' if t['private_dns'] else 'false'} "
               f"PrivateDnsServerName: {t['private_dns'] or 'null'} ") if sdk >= 28 else ""
    return (f"lp{{{{InterfaceName: {iface} LinkAddresses: [{','.join(addrs)},]  Routes: [{','.join(routes)},] "
            f"DnsAddresses: [{','.join(n['dns'])},] {private}Domains: null MTU: {mtu} TcpBufferSizes: {tcp}}}}}")


def _nc(t: dict, sdk: int) -> str:
    n = _link(t)
    tr = n["transport"]
    bw = {"WIFI": "LinkUpBandwidth>=1048576Kbps LinkDnBandwidth>=1048576Kbps",
          "ETHERNET": "LinkUpBandwidth>=100000Kbps LinkDnBandwidth>=100000Kbps",
          "CELLULAR": "LinkUpBandwidth>=51200Kbps LinkDnBandwidth>=102400Kbps"}[tr]
    extra = ""
    if tr == "WIFI":
        if sdk >= 31:  # WifiInfo travels as TransportInfo; the SSID is redacted for the shell
            extra = (f" TransportInfo: <SSID: <unknown ssid>, BSSID: 02:00:00:00:00:00, MAC: 02:00:00:00:00:00, "
                     f"Security type: 2, Supplicant state: COMPLETED, Wi-Fi standard: 5, RSSI: {t['rssi']}, Link speed: "
                     f"{t['link_speed']}Mbps, Tx Link speed: {t['link_speed']}Mbps, Rx Link speed: {t['link_speed']}Mbps, "
                     f"Frequency: 5180MHz, Net ID: -1, Metered hint: false, score: 60> SignalStrength: {t['rssi']}")
        elif sdk >= 30:
            extra = (f" SignalStrength: {t['rssi']} OwnerUid: 1000 SSID: \"{n['ssid']}\" RequestorUid: -1 "
                     "RequestorPackageName: null")
        elif sdk >= 28:
            extra = f" SignalStrength: {t['rssi']} SSID: \"{n['ssid']}\""
        else:
            extra = f" SignalStrength: {t['rssi']}"
    elif tr == "CELLULAR":
        extra = " Specifier: <1>"
    unwanted = " Unwanted: " if 28 <= sdk <= 29 else ""
    return f"nc{{[ Transports: {tr} Capabilities: {_caps(t, sdk, tr)}{unwanted} {bw}{extra}]}}"


def _network_line(t: dict, sdk: int, net_id: int) -> str:
    """One NetworkAgentInfo line as ConnectivityService prints it at this SDK: 7-11 `NetworkAgentInfo{ ni{[type:
    ...]}  network{N}  nethandle{..}  lp  nc  Score{..}  flags{..} }` (captures 7.1-9, an Android 11 dump);
    12+ `NetworkAgentInfo{network{N}  handle{..}  ni{TYPE STATE extra: ..} Score(..)  flags  lp  nc}` (an RK3588
    Android 12 dump and an Android 14 one, both as published)."""
    n = _link(t)
    tr = n["transport"]
    handle = 432902426637 + (net_id - 100) * 4294967296
    v = t["validated"]
    if sdk >= 31:
        ni_name = {"WIFI": "WIFI", "ETHERNET": "Ethernet", "CELLULAR": "MOBILE[LTE]"}[tr]
        ni_extra = {"WIFI": "", "ETHERNET": n.get("mac", ""), "CELLULAR": n.get("apn", "")}[tr]
        policies = (["EVER_VALIDATED"] if v else []) + (["IS_UNMETERED"] if tr != "CELLULAR" else []) + (
            ["IS_VALIDATED"] if v else [])
        score = f"Score({70 if v else 50} ; KeepConnected : 0 ; Policies : {'&'.join(policies)})"
        flags = "  everValidated lastValidated  " if v else "   "
        return (f"  NetworkAgentInfo{{network{{{net_id}}}  handle{{{handle}}}  ni{{{ni_name} CONNECTED extra: "
                f"{ni_extra}}} {score}{flags}{_lp(t, sdk)}  {_nc(t, sdk)}}}")
    ni_type = {"WIFI": "WIFI[]", "ETHERNET": "ETHERNET[]", "CELLULAR": "MOBILE[LTE]"}[tr]
    ni_extra = {"WIFI": "" if sdk >= 30 else f"\"{n.get('ssid')}\"", "ETHERNET": n.get("mac", ""),
                "CELLULAR": n.get("apn", "")}[tr]
    metered = ", metered: false" if sdk <= 25 else ""
    reason = "connected" if tr == "CELLULAR" else "(unspecified)"
    vv = "true" if v else "false"
    tail = ""
    if sdk >= 29:
        tail += " partialConnectivity{false} acceptPartialConnectivity{false}"
    if sdk >= 30:
        tail += " clat{mBaseIface: null, mIface: null, mState: IDLE}"
    elif sdk >= 27:
        tail += " clat{null}"
    return (f"  NetworkAgentInfo{{ ni{{[type: {ni_type}, state: CONNECTED/CONNECTED, reason: {reason}, extra: "
            f"{ni_extra}, failover: false, available: true, roaming: false{metered}]}}  network{{{net_id}}}  "
            f"nethandle{{{handle}}}  {_lp(t, sdk)}  {_nc(t, sdk)}  Score{{{60 if v else 20}}}  everValidated{{{vv}}}  "
            f"lastValidated{{{vv}}}  created{{true}} lingering{{false}} explicitlySelected{{false}} "
            f"acceptUnvalidated{{false}} everCaptivePortalDetected{{false}} lastCaptivePortalDetected{{false}}"
            f"{tail} }}")


def dumpsys_connectivity_text(t: dict, sdk: int) -> str:
    online = t["link"] != "none" and not t["airplane"]
    net_id = 100 if sdk >= 30 else 101
    if sdk >= 30:
        head = ("NetworkProviders for: WifiNetworkFactory Ethernet PhoneSwitcherNetworkRequstListener "
                + ("VcnNetworkProvider UntrustedWifiNetworkFactory VpnNetworkProvider:0 " if sdk >= 31 else
                   "UntrustedWifiNetworkFactory ") + "TelephonyNetworkFactory[0]")
    else:
        head = ("NetworkFactories for: PhoneSwitcherNetworkRequstListener WifiNetworkFactory TelephonyNetworkFactory[0] "
                "Ethernet")
    out = [head, "", f"Active default network: {net_id if online else 'none'}", ""]
    if sdk >= 31:
        out += ["Current per-app default networks: Per-App Network Preference:", "    none", ""]
    out.append("Current Networks:")
    if online:
        req = " RequestorUid: 1000 RequestorPkg: android" if sdk >= 31 else ""
        out.append(_network_line(t, sdk, net_id))
        out += ["    Requests: REQUEST:1 LISTEN:2 BACKGROUND_REQUEST:0 total:3",
                f"      NetworkRequest [ REQUEST id=1, [ Capabilities: INTERNET&NOT_RESTRICTED&TRUSTED&NOT_VPN{req}] ]",
                f"      NetworkRequest [ LISTEN id=3, [{req.strip() and ' ' + req.strip()}] ]",
                f"      NetworkRequest [ LISTEN id=5, [ Capabilities: NOT_RESTRICTED&TRUSTED&NOT_VPN{req}] ]",
                "    Inactivity Timers:" if sdk >= 31 else "    Lingered:"]
    out += ["", "Status for known UIDs:", "  ", "Network Requests:"]
    if sdk >= 31:
        out += ["  uid/pid:1000/622 activeRequest: 1 callbackRequest: 1 [NetworkRequest [ REQUEST id=1, [ Capabilities: "
                "INTERNET&NOT_RESTRICTED&TRUSTED&NOT_VPN RequestorUid: 1000 RequestorPkg: android] ]] callback flags: 1 "
                "priority: 2147483647",
                "  uid/pid:1000/622 activeRequest: null callbackRequest: 3 [NetworkRequest [ LISTEN id=3, [ RequestorUid: "
                "1000 RequestorPkg: android] ]] callback flags: 0 priority: 2147483647"]
    else:
        out += ["  uid/pid:1000/887 NetworkRequest [ REQUEST id=1, [ Capabilities: INTERNET&NOT_RESTRICTED&TRUSTED&NOT_VPN] ]",
                "  uid/pid:1000/887 NetworkRequest [ LISTEN id=3, [] ]"]
    out += ["", "mLegacyTypeTracker:",
            "  Supported types: 0 1 7 9 17", "  Current state:"]
    if online:
        tr = _link(t)["transport"]
        legacy_type = {"WIFI": 1, "ETHERNET": 9, "CELLULAR": 0}[tr]
        if sdk >= 31:
            out.append(f"    {legacy_type} [{net_id} {tr}]")
        else:
            name = {"WIFI": "WIFI ()", "ETHERNET": "ETHERNET ()", "CELLULAR": "MOBILE (LTE)"}[tr]
            out.append(f"    {legacy_type} NetworkAgentInfo [{name} - {net_id}] CONNECTED/CONNECTED")
    out += ["", "", "Tethering:", "  Tether state:", ""]
    return "\n".join(out) + "\n"


def ip_text(t: dict) -> str:
    out = ["1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default ",
           "    inet 127.0.0.1/8 scope host lo", "       valid_lft forever preferred_lft forever"]
    if t["link"] != "none" and not t["airplane"]:
        n = _link(t)
        nets = n["ip"].split(".")
        brd = ".".join(nets[:3]) + ".255" if n["prefix"] == 24 else ".".join(nets[:3]) + ".11"
        qdisc = "mq" if n["transport"] == "WIFI" else "pfifo_fast"
        qlen = {"WIFI": 3000, "ETHERNET": 1000, "CELLULAR": 1000}[n["transport"]]
        out += [f"{n['idx']}: {n['iface']}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc {qdisc} state UP group "
                f"default qlen {qlen}",
                f"    inet {n['ip']}/{n['prefix']} brd {brd} scope global {n['iface']}",
                "       valid_lft forever preferred_lft forever"]
    return "\n".join(out) + "\n"


def ifconfig_text(t: dict) -> str:
    """toybox ifconfig: header lines end with two spaces, byte counts in KiB/MiB."""
    out = ["lo        Link encap:Local Loopback  ", "          inet addr:127.0.0.1  Mask:255.0.0.0 ",
           "          inet6 addr: ::1/128 Scope: Host", "          UP LOOPBACK RUNNING  MTU:65536  Metric:1",
           "          RX packets:240 errors:0 dropped:0 overruns:0 frame:0 ",
           "          TX packets:240 errors:0 dropped:0 overruns:0 carrier:0 ", "          collisions:0 txqueuelen:1 ",
           "          RX bytes:22380 (21.8 KiB)  TX bytes:22380 (21.8 KiB) "]
    n = _link(t)
    up = t["link"] != "none" and not t["airplane"]
    out += [f"{n['iface']:<9} Link encap:Ethernet  HWaddr {n.get('mac', '02:00:00:00:00:00')}  "]
    if up:
        out.append(f"          inet addr:{n['ip']}  Bcast:{'.'.join(n['ip'].split('.')[:3])}.255  Mask:255.255.255.0 ")
    out += ["          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1" if up else
            "          BROADCAST MULTICAST  MTU:1500  Metric:1",
            "          RX packets:183234 errors:0 dropped:12 overruns:0 frame:0 ",
            "          TX packets:96211 errors:0 dropped:0 overruns:0 carrier:0 ",
            "          collisions:0 txqueuelen:1000 ", "          RX bytes:221730412 (211.4 MiB)  TX bytes:9630255 (9.1 MiB) "]
    return "\n".join(out) + "\n"


def ping_answer(t: dict, host: str) -> tuple[str, str, int]:
    """(stdout, stderr, exit) of iputils `ping -c 2 -W 2 -n HOST`."""
    if t["link"] == "none" or t["airplane"]:
        return "", f"ping: unknown host {host}\n", 2
    if t["dns"] == "fail":
        return "", f"ping: unknown host {host}\n", 2
    ip = HOST_IPS.get(host, "203.205.254.157")
    head = f"PING {host} ({ip}) 56(84) bytes of data.\n"
    if host in t["icmp_drop"]:
        return (head + f"\n--- {host} ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, "
                       "time 1012ms\n\n", "", 1)
    times = [31.4, 29.8] if t["link"] != "cellular" else [68.2, 74.9]
    ttl = 52
    lines = [f"64 bytes from {ip}: icmp_seq={i + 1} ttl={ttl} time={x} ms" for i, x in enumerate(times)]
    avg = sum(times) / 2
    return (head + "\n".join(lines) + f"\n\n--- {host} ping statistics ---\n2 packets transmitted, 2 received, "
            f"0% packet loss, time 1001ms\nrtt min/avg/max/mdev = {min(times):.3f}/{avg:.3f}/{max(times):.3f}/"
            f"{abs(times[0] - avg):.3f} ms\n", "", 0)


def wifi_info_line(t: dict, sdk: int) -> str:
    tx = f" Tx Link speed: {t['link_speed']}Mbps, Rx Link speed: {t['link_speed']}Mbps," if sdk >= 29 else ""
    return (f"mWifiInfo SSID: {_link(t)['ssid']}, BSSID: 60:e3:27:fb:93:30, MAC: ac:37:43:51:4e:cd, Supplicant state: "
            f"COMPLETED, RSSI: {t['rssi']}, Link speed: {t['link_speed']}Mbps,{tx} Frequency: 2437MHz, Net ID: 8, "
            "Metered hint: false, score: 60\n")


def add(case: DeviceCase, b: Builder) -> None:
    if case.spec.extra_props.get("sys.boot_completed", "1") != "1":
        return  # the check waits for the boot to finish and sends nothing
    t = traits(case)
    sdk = case.spec.sdk
    online = t["link"] != "none" and not t["airplane"]
    b.add("dumpsys connectivity", dumpsys_connectivity_text(t, sdk), ms=180)
    if t["ip"] == "ok":
        b.add("ip -4 addr show", ip_text(t), ms=25)
    else:
        b.add("ip -4 addr show", "", exit_code=127, stderr="/system/bin/sh: ip: not found\n", ms=8)
        b.add("ifconfig", ifconfig_text(t), ms=20)
    settings = {"airplane_mode_on": "1" if t["airplane"] else "0", "http_proxy": t["proxy"] or "null",
                "global_http_proxy_host": "null", "global_http_proxy_port": "null"}
    settings["private_dns_mode"] = "hostname" if t["private_dns"] else "null"  # unknown keys read `null` (7-8.1)
    settings["private_dns_specifier"] = t["private_dns"] or "null"
    for key, value in settings.items():
        b.add(f"settings get global {key}", value + "\n", ms=120 if sdk < 26 else 45)
    # The device reads its clock while the answer is on its way: the laptop's time when it comes, plus the offset.
    ms = 12
    b.add("date +%s", f"{int(b._t + ms / 1000 + 0.005 + t['clock_offset'])}\n", ms=ms)
    for host in HOSTS:
        cmd = f"ping -c 2 -W 2 -n {host}"
        if t["ping"] == "missing":
            b.add(cmd, "", exit_code=127, stderr="/system/bin/sh: ping: not found\n", ms=6)
            b.add(f"nslookup {host}", "", exit_code=127, stderr="/system/bin/sh: nslookup: not found\n", ms=6)
        elif host in t["hang"]:
            b.add(cmd, outcome="timeout", ms=8000)
        else:
            out, err, code = ping_answer(t, host)
            b.add(cmd, out, exit_code=code, stderr=err, ms=1040 if code != 2 else 20)
    if online and t["link"] == "wifi" and sdk < 30:
        b.add("dumpsys wifi | grep mWifiInfo", wifi_info_line(t, sdk), ms=310)


def _spec(serial: str, maker: str, model: str, device: str, board: str, release: str, sdk: int, build: str,
          **kw) -> DeviceSpec:
    return DeviceSpec(serial, maker, maker, model, device, board, release, sdk, build, "20230601", **kw)


def _case(name: str, description: str, spec: DeviceSpec, **net) -> DeviceCase:
    from cases import wmpf
    return DeviceCase(name, description, spec, wmpf("2.1.0", 9010017), traits={"net": net})


AREA_CASES = [
    _case("net-ethernet-a9-board", "Ethernet door board online (RK3399, Android 9); Android's own validation fails "
          "as it often does in mainland China, the WeChat hosts answer",
          _spec("RK3399ETH0912", "rockchip", "DP-20 Door Board", "rk3399", "rk3399", "9", 28, "PQ3A.190801.002"),
          link="ethernet", validated=False),
    _case("net-wifi-a13-phone", "Wi-Fi phone online (Android 13, Connectivity-module dump format)",
          _spec("R58N91XKQ2A", "samsung", "SM-A536E", "a53x", "s5e8825", "13", 33, "TP1A.220624.014"),
          link="wifi", rssi=-54, link_speed=433),
    _case("net-no-network-a10", "No network at all: no cable, no Wi-Fi (MT8168 tablet, Android 10)",
          _spec("MT8168NONET07", "alps", "LT-10 Learning Tablet", "tb8168p1_64_bsp", "mt8168", "10", 29,
                "QP1A.190711.020"), link="none"),
    _case("net-dns-fail-a9", "Ethernet link up with a gateway, but the DNS server answers no name (Android 9)",
          _spec("RK3288DNS0415", "rockchip", "SG-DP8 Door Panel", "rk3288", "rk3288", "9", 28, "PQ2A.190405.003"),
          link="ethernet", dns="fail", validated=False),
    _case("net-icmp-drop-a10", "Site firewall drops ping: WeChat hosts resolve but do not answer ICMP (Android 10)",
          _spec("RK3399ICMP1003", "rockchip", "KS-15 Kiosk", "rk3399", "rk3399", "10", 29, "QD4A.200805.003"),
          link="ethernet", icmp_drop=("api.weixin.qq.com", "dldir1.qq.com")),
    _case("net-clock-2h-a8", "Clock two hours behind (RTC battery flat, automatic time off), Android 8.1 kiosk",
          _spec("RK3399CLK0802", "rockchip", "KS-15 Kiosk", "rk3399", "rk3399", "8.1.0", 27, "OPM8.181005.003"),
          link="ethernet", clock_offset=-7200),
    _case("net-proxy-a11", "Global HTTP proxy left set by a test tool (Android 11 panel)",
          _spec("RK3566PRX1101", "rockchip", "DP-30 Door Panel", "rk3566_r", "rk3566", "11", 30, "RQ3A.211001.001"),
          link="ethernet", proxy="192.168.1.10:8888"),
    _case("net-cellular-a8", "Cellular only: smart lock on an IoT SIM (LTE, Android 8.1)",
          _spec("QL8909LOCK81", "Quectel", "SL-4G Smart Lock", "msm8909", "msm8909", "8.1.0", 27, "OPM1.171019.026"),
          link="cellular", validated=False),
    _case("net-a7.1-board", "Android 7.1 board on Wi-Fi: older dumpsys connectivity and ping formats",
          _spec("A64BRD71NET02", "Allwinner", "QUAD-CORE A64 p3", "tulip-p3", "sun50iw1p1", "7.1.2", 25, "NHG47L"),
          link="wifi", rssi=-61, link_speed=65),
    _case("net-weak-wifi-a9", "Doorbell far from the access point: Wi-Fi at -82 dBm, 6 Mbps (Android 9)",
          _spec("RK3326WIFI0931", "rockchip", "VD-7 Video Doorbell", "rk3326", "rk3326", "9", 28, "PQ3B.190801.002"),
          link="wifi", rssi=-82, link_speed=6),
    _case("net-probe-hangs-a9", "Name lookup of one host hangs (DNS server drops some queries), Android 9",
          _spec("RK3288HANG0920", "rockchip", "SG-DP8 Door Panel", "rk3288", "rk3288", "9", 28, "PQ2A.190405.003"),
          link="ethernet", hang=("open.weixin.qq.com",)),
    _case("net-no-tools-a8", "Vendor image without ping and ip (stripped toybox), Android 8.1",
          _spec("SUNXIMIN0801", "Allwinner", "T3 Kiosk", "t3-p1", "sun8iw11p1", "8.1.0", 27, "OPM2.171026.006"),
          link="ethernet", ping="missing", ip="missing"),
    _case("net-private-dns-a10", "Private DNS set to a hostname the site blocks (Android 10 tablet)",
          _spec("MT8168PDNS1022", "alps", "LT-10 Learning Tablet", "tb8168p1_64_bsp", "mt8168", "10", 29,
                "QP1A.190711.020"), link="wifi", private_dns="dns.google", rssi=-60, link_speed=144),
    _case("net-booting-a9", "Door panel still booting: sys.boot_completed not set yet (Android 9)",
          _spec("RK3288BOOT0911", "rockchip", "SG-DP8 Door Panel", "rk3288", "rk3288", "9", 28, "PQ2A.190405.003",
                extra_props={"sys.boot_completed": None, "dev.bootcomplete": None, "init.svc.bootanim": "running"})),
    _case("net-airplane-a9", "Airplane mode left on after a factory test (Android 9 panel)",
          _spec("RK3288AIR0904", "rockchip", "SG-DP8 Door Panel", "rk3288", "rk3288", "9", 28, "PQ2A.190405.003"),
          link="ethernet", airplane=True),
]
