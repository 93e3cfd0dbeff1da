"""The real-sized device of the speed bench (tools/large_device.py), made smaller here: its maker's app is
multidex with wmpf-cli outside classes.dex, and devdoctor, reading it over the simulated USB link, still
tells the version while reading a small part of the APKs."""
from __future__ import annotations

import io
import sys
import zipfile

import pytest

from conftest import ROOT
from e2e_support import report, simulated

sys.path.insert(0, str(ROOT / "tools"))

import large_device  # noqa: E402
from devdoctor.sources.device_apk import PULL_WHOLE_BYTES  # noqa: E402
from devdoctor.parsers.apk import read_apk  # noqa: E402
from devdoctor.parsers.wmpf_cli import fingerprint  # noqa: E402

SIZES = large_device.Sizes(host_mb=14, wmpf_mb=30, dex_strings=20_000)


@pytest.fixture(scope="module")
def device():
    return large_device.large_device(SIZES, seed=3)


def _apk(fx, package: str) -> bytes:
    return next(f.content for f in large_device.apk_files(fx) if f"/{package}-" in f.path)


def test_the_makers_app_is_multidex_with_wmpf_cli_outside_classes_dex(device):
    data = _apk(device, "com.sungate.doorbell")
    assert len(data) > PULL_WHOLE_BYTES  # read in ranges, not copied
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert [n for n in names if n.endswith(".dex")] == ["classes.dex", "classes2.dex", "classes3.dex", "classes4.dex"]
    per_dex = {n: read_apk(_only(data, n), strings_containing=b"wmpf").strings for n in ("classes.dex", "classes3.dex")}
    assert not any(s.startswith("Lcom/tencent/wmpf/cli/") for s in per_dex["classes.dex"])
    assert any(s.startswith("Lcom/tencent/wmpf/cli/") for s in per_dex["classes3.dex"])
    assert fingerprint(read_apk(data)).range.label == "2.1.x"  # the bundled recording's own generation


def _only(data: bytes, dex_name: str) -> bytes:
    """The APK with its manifest and one dex file only."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in ("AndroidManifest.xml", dex_name):
            z.writestr(src.getinfo(name), src.read(name))
    return out.getvalue()


def test_the_same_seed_gives_the_same_bytes(device):
    again = large_device.large_device(SIZES, seed=3)
    assert [f.content for f in large_device.apk_files(again)] == [f.content for f in large_device.apk_files(device)]
    stat = {e.command: e.stdout for e in device.entries if e.command.startswith("stat -c %s")}
    assert sorted(int(v) for v in stat.values()) == sorted(len(f.content) for f in large_device.apk_files(device))


def test_devdoctor_tells_the_version_reading_a_small_part_of_the_apks(adb_server, device):
    with simulated(adb_server, device) as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json", "--only", "wmpf-version-match",
                                 "--no-cache")
        read = dev.bytes_read
    check = report(r)["devices"][0]["checks"][0]
    assert check["status"] == "pass", check["summary"]
    assert "wmpf-cli 2.1.x" in check["summary"] and "from its manifest meta-data" in check["summary"]
    sizes = {f.path: len(f.content) for f in large_device.apk_files(device)}
    assert set(read) <= set(sizes)
    assert sum(read.values()) < 0.1 * sum(sizes.values())
    wmpf = next(p for p in sizes if "/com.tencent.wmpf-" in p)
    assert read[wmpf] < 0.01 * sizes[wmpf]  # the manifest, not the native libraries
