"""Hand-built bugreports in dumpstate's layout, for tests and the benchmark.

Layout as in the real Android 10 bugreport ../shared/bugreports/pixel-sailfish-aosp-userdebug-a10-*.zip
(frameworks/native/cmds/dumpstate/dumpstate.cpp): header, `------ TITLE (cmd) ------` sections closed by
a duration line, and inside `DUMPSYS` one `DUMP OF SERVICE name:` block per service between
`-----` separators, each closed by `--------- 0.002s was the duration of dumpsys name, ending at: ...`.
"""
from __future__ import annotations

SEPARATOR = "-" * 79

HEADER = """========================================================
== dumpstate: {taken_at}
========================================================

Build: {build}
Build fingerprint: '{fingerprint}'
Bootloader: unknown
Radio: unknown
Network: (unknown)
Kernel: Linux version 4.14.0 (builder@host) #1 SMP PREEMPT
Command line: console=ttyS0 androidboot.hardware=test androidboot.serialno={serial}
Uptime: up 0 weeks, 0 days, 2 hours, 3 minutes
Bugreport format version: 2.0
Dumpstate info: id=1 pid=3526 dry_run=0 args=/system/bin/dumpstate -S -d -z -o /data/user_de/0/com.android.shell/files/bugreports/bugreport extra_options=

"""


def section(title: str, command: str | None, body: str) -> str:
    head = f"------ {title} ({command}) ------\n" if command else f"------ {title} ------\n"
    return head + body + f"------ 0.012s was the duration of '{title}' ------\n"


def dumpsys(services: list[tuple[str, str]], title: str = "DUMPSYS") -> str:
    parts = []
    for name, body in services:
        parts.append(f"{SEPARATOR}\nDUMP OF SERVICE {name}:\n{body}"
                     f"--------- 0.002s was the duration of dumpsys {name}, ending at: 2024-05-01 10:00:01\n")
    return section(title, "/system/bin/dumpsys", "".join(parts))


def getprop_text(props: dict[str, str]) -> str:
    return "".join(f"[{k}]: [{v}]\n" for k, v in sorted(props.items()))


def package_block(name: str, version_name: str, version_code: int, code_path: str, stopped: bool = False,
                  enabled: int = 0, flags: str = "HAS_CODE ALLOW_CLEAR_USER_DATA") -> str:
    """One `Package [..]` block as Android 10 prints it under `Packages:`."""
    return (f"  Package [{name}] (5b3a7c1):\n"
            f"    userId=10123\n"
            f"    pkg=Package{{9ee43a2 {name}}}\n"
            f"    codePath={code_path}\n"
            f"    resourcePath={code_path}\n"
            f"    primaryCpuAbi=arm64-v8a\n"
            f"    versionCode={version_code} minSdk=21 targetSdk=28\n"
            f"    versionName={version_name}\n"
            f"    flags=[ {flags} ]\n"
            f"    timeStamp=2024-04-01 09:00:00\n"
            f"    firstInstallTime=2024-04-01 09:00:01\n"
            f"    lastUpdateTime=2024-04-01 09:00:01\n"
            f"    pkgFlags=[ {flags} ]\n"
            f"    requested permissions:\n"
            f"      android.permission.INTERNET\n"
            f"    install permissions:\n"
            f"      android.permission.INTERNET: granted=true\n"
            f"    User 0: ceDataInode=4242 installed=true hidden=false suspended=false stopped={str(stopped).lower()}"
            f" notLaunched=false enabled={enabled} instant=false virtual=false\n"
            f"      gids=[3003]\n")


def package_dump(blocks: list[str], hidden: list[str] = ()) -> str:
    text = ("Database versions:\n  Internal:\n    sdkVersion=29 databaseVersion=3\n\n"
            "Key Set Manager:\n  [com.android.shell]\n      Signing KeySets: 1\n\n"
            "Packages:\n" + "".join(blocks) + "\n")
    if hidden:
        text += "Hidden system packages:\n" + "".join(hidden) + "\n"
    return text + "Shared users:\n  SharedUser [android.uid.system] (4d1c0f1):\n    userId=1000\n\n"


def bugreport(props: dict[str, str] | None = None, services: list[tuple[str, str]] | None = None,
              ps: str | None = None, system_log: str | None = None, extra: str = "",
              taken_at: str = "2024-05-01 10:00:00", build: str = "QP1A.191005.007.A3",
              fingerprint: str = "acme/door/door:10/QP1A.191005.007.A3/42:user/release-keys",
              serial: str = "SYNTH0001") -> str:
    """A whole bugreport; leave a part out (None) to make a bugreport without that section."""
    out = [HEADER.format(taken_at=taken_at, build=build, fingerprint=fingerprint, serial=serial)]
    if ps is not None:
        out.append(section("PROCESSES AND THREADS", "ps -A -T -Z -O pri,nice,rtprio,sched,pcy,time", ps))
    if system_log is not None:
        out.append(section("SYSTEM LOG", "logcat -v threadtime -v printable -v uid -d *:v", system_log))
    out.append(extra)
    if props is not None:
        out.append(section("SYSTEM PROPERTIES", "getprop", getprop_text(props)))
    if services:
        out.append(dumpsys(services))
    out.append("------ 12.345s was the duration of 'DUMPSTATE' ------\n")
    return "".join(out)
