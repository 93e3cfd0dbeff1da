"""Building blocks for hand-written fixtures, each emitting text in the exact format one Android
version prints. Sources of each format are named beside the function; the fixtures that use them
say so in `provenance.format_source`.

Used by the tools/make_*_fixtures.py scripts, which regenerate the hand-written files in fixtures/.
Recorded fixtures (`devdoctor record`) are never regenerated.
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devdoctor.sources.fixture import Entry, FileEntry, Fixture, dump  # noqa: E402


def _hex(seed: str, n: int = 7) -> str:
    """A stable identity-hash-looking hex string (dumpsys prints Object.hashCode in hex)."""
    return hashlib.sha1(seed.encode()).hexdigest()[:n].lstrip("0") or "1"


@dataclass
class DeviceSpec:
    serial: str
    manufacturer: str
    brand: str
    model: str
    device: str
    board: str  # ro.board.platform / ro.hardware
    release: str
    sdk: int
    build_id: str
    incremental: str
    abilist: str = "arm64-v8a,armeabi-v7a,armeabi"
    timezone: str = "Asia/Shanghai"
    build_type: str = "userdebug"
    tags: str = "test-keys"
    security_patch: str = "2019-06-05"
    extra_props: dict[str, str] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        return (f"{self.brand}/{self.device}/{self.device}:{self.release}/{self.build_id}/"
                f"{self.incremental}:{self.build_type}/{self.tags}")

    @property
    def features(self) -> str:
        """adb features by release (adb-notes §2.2, supported_features() in transport.cpp)."""
        if self.sdk <= 23:
            return ""
        if self.sdk <= 25:
            return "shell_v2,cmd"
        if self.sdk <= 28:
            return "shell_v2,cmd,stat_v2"
        if self.sdk == 29:
            return "shell_v2,cmd,stat_v2,fixed_push_mkdir,apex,abb,fixed_push_symlink_timestamp,abb_exec"
        return ("shell_v2,cmd,stat_v2,fixed_push_mkdir,apex,abb,fixed_push_symlink_timestamp,abb_exec,"
                "ls_v2,remount_shell,sendrecv_v2,sendrecv_v2_brotli,sendrecv_v2_lz4,sendrecv_v2_zstd,"
                "sendrecv_v2_dry_run_send")

    def header(self) -> dict:
        return {"serial": self.serial, "model": self.model, "manufacturer": self.manufacturer,
                "release": self.release, "sdk": self.sdk, "features": self.features}


def getprop_text(d: DeviceSpec) -> str:
    """`getprop` with no arguments: `[key]: [value]`, sorted by key, LF endings (Android 7+ raw shell).
    Same format in toybox getprop.c (6.0-8.1) and toolbox/getprop.cpp (9+); key set modelled on the
    shared captures raw/getprop/emulator-sdk-x86-a7.1.1 and emulator-sdk-gphone-x86-a9."""
    abis = d.abilist.split(",")
    p = {
        "dalvik.vm.heapsize": "384m",
        "dalvik.vm.isa.arm.variant": "cortex-a53",
        "dalvik.vm.stack-trace-file": "/data/anr/traces.txt",
        "debug.atrace.tags.enableflags": "0",
        "dev.bootcomplete": "1",
        "init.svc.adbd": "running",
        "init.svc.zygote": "running",
        "net.bt.name": "Android",
        "net.hostname": f"android-{_hex(d.serial, 16)}",
        "persist.sys.locale": "zh-CN",
        "persist.sys.timezone": d.timezone,
        "persist.sys.usb.config": "mtp,adb",
        "ro.adb.secure": "1",
        "ro.board.platform": d.board,
        "ro.boot.serialno": d.serial,
        "ro.bootimage.build.date": "Fri Jun 14 10:22:31 CST 2019",
        "ro.build.characteristics": "tablet",
        "ro.build.date": "Fri Jun 14 10:22:31 CST 2019",
        "ro.build.date.utc": "1560478951",
        "ro.build.description": f"{d.device}-{d.build_type} {d.release} {d.build_id} {d.incremental} {d.tags}",
        "ro.build.display.id": f"{d.device}-{d.build_type} {d.release} {d.build_id} {d.incremental} {d.tags}",
        "ro.build.fingerprint": d.fingerprint,
        "ro.build.flavor": f"{d.device}-{d.build_type}",
        "ro.build.host": "build-server",
        "ro.build.id": d.build_id,
        "ro.build.product": d.device,
        "ro.build.tags": d.tags,
        "ro.build.type": d.build_type,
        "ro.build.user": "builder",
        "ro.build.version.all_codenames": "REL",
        "ro.build.version.codename": "REL",
        "ro.build.version.incremental": d.incremental,
        "ro.build.version.preview_sdk": "0",
        "ro.build.version.release": d.release,
        "ro.build.version.sdk": str(d.sdk),
        "ro.build.version.security_patch": d.security_patch,
        "ro.hardware": d.board,
        "ro.product.board": d.board,
        "ro.product.brand": d.brand,
        "ro.product.cpu.abi": abis[0],
        "ro.product.cpu.abilist": d.abilist,
        "ro.product.cpu.abilist32": ",".join(a for a in abis if not a.startswith("arm64")),
        "ro.product.cpu.abilist64": ",".join(a for a in abis if a.startswith("arm64")),
        "ro.product.device": d.device,
        "ro.product.locale": "zh-CN",
        "ro.product.manufacturer": d.manufacturer,
        "ro.product.model": d.model,
        "ro.product.name": d.device,
        "ro.secure": "1",
        "ro.serialno": d.serial,
        "ro.sf.lcd_density": "160",
        "ro.zygote": "zygote64_32" if any(a.startswith("arm64") for a in abis) else "zygote32",
        "sys.boot_completed": "1",
        "sys.usb.config": "mtp,adb",
        "sys.usb.state": "mtp,adb",
    }
    if d.sdk >= 26:
        p.update({"ro.product.vendor.brand": d.brand, "ro.product.vendor.device": d.device,
                  "ro.product.vendor.manufacturer": d.manufacturer, "ro.product.vendor.model": d.model,
                  "ro.vndk.version": str(d.sdk), "ro.treble.enabled": "true"})
    p.update(d.extra_props)  # a value of None removes the property (not set yet, e.g. while booting)
    return "".join(f"[{k}]: [{v}]\n" for k, v in sorted(p.items()) if v is not None)


@dataclass
class PackageSpec:
    name: str
    version_name: str
    version_code: int
    target_sdk: int
    min_sdk: int = 21
    code_path: str = ""
    user_id: int = 10080
    system: bool = False
    stopped: bool = False
    enabled: int = 0
    installed: bool = True
    first_install: str = "2024-03-12 09:41:07"
    last_update: str = "2024-03-12 09:41:07"
    installer: str | None = None
    requested: list[str] = field(default_factory=list)
    install_granted: list[str] = field(default_factory=list)
    abi: str = "arm64-v8a"
    activities: list[tuple[str, list[str]]] = field(default_factory=list)  # (class, actions)
    receivers: list[tuple[str, list[str]]] = field(default_factory=list)
    services: list[tuple[str, list[str]]] = field(default_factory=list)
    providers: list[tuple[str, str]] = field(default_factory=list)  # (class, authority)


def _user_line(s: PackageSpec, sdk: int) -> str:
    """The per-user line of `dumpsys package` (PackageSettings dump):
    <= 23 `User 0:  installed=.. hidden=.. stopped=.. notLaunched=.. enabled=..` (two spaces,
    capture emulator-a5.0-ALL-packages-crlf); 24-25 adds ceDataInode and suspended (bugreport
    emulator-sdk-google-phone-x86-a7.1.1); 26-29 adds instant and virtual (bugreports pixel a8.1,
    emulator a9, pixel a10); 30+ adds distractionFlags (capture unknown-device-com.example.pkmproject)."""
    b = lambda v: "true" if v else "false"  # noqa: E731
    ino = int(_hex(s.name + "ino", 6), 16)
    if sdk <= 23:
        return (f"    User 0:  installed={b(s.installed)} hidden=false stopped={b(s.stopped)} "
                f"notLaunched={b(s.stopped)} enabled={s.enabled}")
    line = f"    User 0: ceDataInode={ino} installed={b(s.installed)} hidden=false suspended=false "
    if sdk >= 30:
        line += "distractionFlags=0 "
    line += f"stopped={b(s.stopped)} notLaunched={b(s.stopped)} enabled={s.enabled}"
    if sdk >= 26:
        line += " instant=false virtual=false"
    return line


def code_path(s: PackageSpec, sdk: int) -> str:
    """/data/app/PKG-1 before 8.0, /data/app/PKG-<random>== from 8.0 (as in the shared bugreports)."""
    return s.code_path or (f"/data/app/{s.name}-{_hex(s.name, 22)}==" if sdk >= 26 else f"/data/app/{s.name}-1")


def package_block(s: PackageSpec, sdk: int) -> list[str]:
    """One `  Package [name] (hash):` block as PackageManagerService prints it at that SDK."""
    code_path_ = code_path(s, sdk)
    flags = ("SYSTEM " if s.system else "") + "HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP"
    h = _hex(s.name)
    out = [f"  Package [{s.name}] ({h}):",
           f"    userId={s.user_id}",
           f"    pkg=Package{{{_hex(s.name + 'pkg')} {s.name}}}",
           f"    codePath={code_path_}",
           f"    resourcePath={code_path_}",
           f"    legacyNativeLibraryDir={code_path_}/lib",
           f"    primaryCpuAbi={s.abi}",
           "    secondaryCpuAbi=null"]
    out.append(f"    versionCode={s.version_code} targetSdk={s.target_sdk}" if sdk <= 23
               else f"    versionCode={s.version_code} minSdk={s.min_sdk} targetSdk={s.target_sdk}")
    out += [f"    versionName={s.version_name}",
            "    splits=[base]"]
    if sdk >= 24:
        out.append("    apkSigningVersion=2")
    out += [f"    applicationInfo=ApplicationInfo{{{_hex(s.name + 'ai')} {s.name}}}",
            f"    flags=[ {flags} ]"]
    if sdk >= 24:
        out.append("    privateFlags=[ PRIVATE_FLAG_ACTIVITIES_RESIZE_MODE_RESIZEABLE_VIA_SDK_VERSION ]")
    out += [f"    dataDir=/data/user/0/{s.name}",
            "    supportsScreens=[small, medium, large, xlarge, resizeable, anyDensity]",
            f"    timeStamp={s.first_install}",
            f"    firstInstallTime={s.first_install}",
            f"    lastUpdateTime={s.last_update}"]
    if s.installer:
        out.append(f"    installerPackageName={s.installer}")
    sig = _hex(s.name + "sig", 8)
    if sdk >= 28:
        out.append(f"    signatures=PackageSignatures{{{_hex(s.name + 'ps')} version:2, signatures:[{sig}], "
                   "past signatures:[]}")
        out.append("    installPermissionsFixed=true")
    else:
        out.append(f"    signatures=PackageSignatures{{{_hex(s.name + 'ps')} [{sig}]}}")
        out.append("    installPermissionsFixed=true installStatus=1")
    out.append(f"    pkgFlags=[ {flags} ]")
    if s.requested:
        out.append("    requested permissions:")
        out += [f"      {p}" for p in s.requested]
    if s.install_granted:
        out.append("    install permissions:")
        out += [f"      {p}: granted=true" for p in s.install_granted]
    out.append(_user_line(s, sdk))
    if sdk >= 24:
        out.append("      gids=[3003]")
    return out


def _resolver(title: str, comps: list[tuple[str, list[str]]], pkg: str) -> list[str]:
    if not comps:
        return []
    out = [f"{title}:", "  Non-Data Actions:"]
    for cls, actions in comps:
        for action in actions:
            short = cls[len(pkg):] if cls.startswith(pkg + ".") else cls
            out += [f"      {action}:",
                    f"        {_hex(pkg + cls)} {pkg}/{short} filter {_hex(cls + action)}",
                    f"          Action: \"{action}\""]
    return out + [""]


def dumpsys_package_text(s: PackageSpec, sdk: int) -> str:
    """`dumpsys package PKG` for an installed PKG: the resolver tables, providers, key sets, the
    package block, then (7.0+) Dexopt state / Compiler stats, as in the shared captures and bugreports."""
    out: list[str] = []
    out += _resolver("Activity Resolver Table", s.activities, s.name)
    out += _resolver("Receiver Resolver Table", s.receivers, s.name)
    out += _resolver("Service Resolver Table", s.services, s.name)
    if s.providers:
        out.append("Registered ContentProviders:")
        for cls, _auth in s.providers:
            short = cls[len(s.name):] if cls.startswith(s.name + ".") else cls
            out += [f"  {s.name}/{short}:", f"    Provider{{{_hex(cls)} {s.name}/{short}}}"]
        out += ["", "ContentProvider Authorities:"]
        for cls, auth in s.providers:
            short = cls[len(s.name):] if cls.startswith(s.name + ".") else cls
            out += [f"  [{auth}]:", f"    Provider{{{_hex(cls)} {s.name}/{short}}}",
                    f"      applicationInfo=ApplicationInfo{{{_hex(s.name + 'ai')} {s.name}}}"]
        out.append("")
    out += ["Key Set Manager:", f"  [{s.name}]", f"      Signing KeySets: {int(_hex(s.name, 2), 16)}", ""]
    out += ["Packages:"] + package_block(s, sdk) + [""]
    if sdk >= 24:
        out += ["Dexopt state:", f"  [{s.name}]", f"    path: {code_path(s, sdk)}/base.apk",
                f"      {'arm64' if s.abi.startswith('arm64') else 'arm'}: [status=speed-profile] [reason=install]", "",
                "Compiler stats:", f"  [{s.name}]", "     base.apk - 1042", ""]
    return "\n".join(out) + "\n"


def not_found_text(name: str, sdk: int) -> str:
    """`dumpsys package PKG` for a missing PKG. Android 10+: one line `Unable to find package: PKG`
    (capture raw/dumpsys_package/emulator-package-not-found). 7-9 print only the empty section
    headers that have no entry for the filter (PackageManagerService.dump at android-9.0.0_r1)."""
    if sdk >= 29:
        return f"Unable to find package: {name}\n"
    return "Dexopt state:\n\nCompiler stats:\n"


class Builder:
    """Collects a device's answers and writes the fixture file."""

    def __init__(self, spec: DeviceSpec, description: str, format_source: str, start: str = "2026-11-20T09:30:00"):
        self.spec = spec
        self.description = description
        self.format_source = format_source
        self.entries: list[Entry] = []
        self.files: list[FileEntry] = []
        from datetime import datetime, timezone
        self._t = datetime.fromisoformat(start).replace(tzinfo=timezone.utc).timestamp()
        self.extra: dict = {}

    def add(self, command: str, stdout: str = "", exit_code: int | None = 0, ms: int = 30,
            stderr: str = "", outcome: str = "ok") -> "Builder":
        self._t += ms / 1000 + 0.005
        if self.spec.sdk <= 23:
            stdout = stdout.replace("\n", "\r\n")  # PTY shell on old Android (adb-notes §0.13)
        self.entries.append(Entry(command, stdout.encode(), stderr.encode(), exit_code, ms / 1000, outcome,
                                  self._t))
        return self

    def add_bytes(self, command: str, stdout: bytes, exit_code: int | None = 0, ms: int = 30) -> "Builder":
        self._t += ms / 1000 + 0.005
        self.entries.append(Entry(command, stdout, b"", exit_code, ms / 1000, "ok", self._t))
        return self

    def file(self, path: str, content: bytes | None = None, error: str | None = None) -> "Builder":
        self.files.append(FileEntry(path, content, error))
        return self

    def write(self, path: Path) -> None:
        fx = Fixture(self.spec.header(), self.entries, self.files, self.description,
                     {"origin": "hand-written", "format_source": self.format_source,
                      "written_with": "tools/fixturekit.py"}, self.extra)
        path.write_text(dump(fx), encoding="utf-8")
        json.loads(path.read_text(encoding="utf-8"))  # sanity
