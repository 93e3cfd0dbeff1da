"""Reading APKs (binary XML manifest, dex string tables) and fingerprinting the wmpf-cli inside."""
from __future__ import annotations

import io
import sys
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))

from apkkit import El, apk, dex  # noqa: E402
from areas.versions import host_apk, wmpf_apk  # noqa: E402

from devdoctor.parsers.apk import dex_strings, read_apk  # noqa: E402
from devdoctor.parsers.wmpf_cli import fingerprint  # noqa: E402


@pytest.mark.parametrize("generation, label, v2", [
    ("1.1", "1.x (>= 1.1)", False),
    ("2.0", "2.0.x", True),
    ("2.1", "2.1.x", True),
    ("2.2", ">= 2.2", True),
])
def test_each_generation_is_told(generation, label, v2):
    fp = fingerprint(read_apk(host_apk("com.maker.door", generation)))
    assert fp.found and fp.range is not None
    assert (fp.range.label, fp.range.v2_api) == (label, v2)
    assert fp.clues  # the evidence names what decided it


def test_split_dex_is_read_whole():
    info = read_apk(host_apk("com.maker.door", "2.2", split_dex=True))
    assert info.dex_files == ["classes.dex", "classes2.dex"]
    assert fingerprint(info).range.label == ">= 2.2"


def test_2_2_clues_name_queries_and_classes():
    fp = fingerprint(read_apk(host_apk("com.maker.door", "2.2")))
    text = "\n".join(fp.clues)
    assert "com.tencent.wmpf.cli.model.WMPFProcessStrategy" in text
    assert "<queries> names provider com.tencent.wmpf.comm.provider" in text


def test_app_without_cli():
    fp = fingerprint(read_apk(host_apk("com.maker.plain", None)))
    assert not fp.found and fp.range is None


def test_cli_without_version_markers():
    data = apk(El("manifest", {"package": "com.x.y"}), [dex(["Lcom/tencent/wmpf/cli/task/pb/WMPFIPCInvoker;"])])
    fp = fingerprint(read_apk(data))
    assert fp.found and fp.range is None


def test_manifest_alone_gives_no_upper_bound():
    """The service WMPFBoot$WMPFCliMainProcessService is merged by 1.1.0 and every 2.x: without the
    dex, it proves only ">= 1.1"."""
    data = host_apk("com.maker.door", "2.1")
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        dst.writestr("AndroidManifest.xml", src.read("AndroidManifest.xml"))
    info = read_apk(buf.getvalue())
    fp = fingerprint(info)
    assert "the APK holds no classes.dex" in info.problems
    assert fp.range is not None and fp.range.label == ">= 1.1"


def test_a_damaged_dex_gives_no_upper_bound():
    """A dex that cannot be read fully must not let absence of markers count as proof."""
    good = dex(["Lcom/tencent/wmpf/cli/api/WMPF;", "WMPFCLI.WMPFInfo"])
    data = apk(El("manifest", {"package": "com.x.y"}), [good, b"dex\n035\x00" + b"\xff" * 200])
    info = read_apk(data)
    assert any("classes2.dex" in p for p in info.problems)
    fp = fingerprint(info)
    assert fp.range.label == ">= 2.0, < 2.2"  # the 2.1 bound needs every dex read; the log tag still bounds it


def test_wmpf_stub_meta_data():
    info = read_apk(wmpf_apk("2.2.0", 9020017), with_dex=False)
    assert info.package == "com.tencent.wmpf"
    assert info.meta_data["com.tencent.wmpf.BuildInfo.BUILD_WMPF_VERSION_NAME"] == "2.2.0"
    assert info.version_code == 9020017 and not info.dex_files


@pytest.mark.parametrize("cut", [10, 200, 600, -30, -5])
def test_truncated_apk_never_raises(cut):
    data = host_apk("com.maker.door", "2.1")
    info = read_apk(data[:cut])
    assert info.problems
    assert "not a readable APK" in info.problems[0] or "could not be read" in " ".join(info.problems)


def test_corrupt_member_is_a_problem():
    data = bytearray(host_apk("com.maker.door", "2.1"))
    at = bytes(data).index(b"classes.dex") + 40  # inside the dex's deflated data
    data[at:at + 16] = b"\x00" * 16
    info = read_apk(bytes(data))
    assert any("classes.dex" in p for p in info.problems)


def test_garbage_manifest():
    info = read_apk(apk(b"\x03\x00\x08\x00garbage-not-axml", [dex(["Ljava/lang/Object;"])]))
    assert not info.manifest_read
    assert "not decodable Android binary XML" in " ".join(info.problems)


def test_dex_truncated_string_table():
    d = dex(["Lcom/tencent/wmpf/cli/api/WMPF;", "hello", "world"])
    strings, problems = dex_strings(d[:0x78])
    assert strings == [] and "outside the file" in problems[0]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_read_apk_never_raises(data):
    read_apk(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=0, max_size=600))
def test_dex_strings_never_raises(tail):
    dex_strings(b"dex\n035\x00" + tail)


HOST_2_2 = host_apk("com.maker.door", "2.2")


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=2000), st.binary(min_size=1, max_size=8))
def test_damaged_apk_never_raises(at, junk):
    data = bytearray(HOST_2_2)
    at %= len(data)
    data[at:at + len(junk)] = junk
    fingerprint(read_apk(bytes(data)))


def test_android_namespace_declared_late_still_parses():
    """A manifest whose root has no android: attribute: apkInspector declares the namespace on the
    first child that uses one, and the next child's android: attributes would be unbound."""
    m = El("manifest", {"package": "com.x.y"}, [
        El("uses-sdk", {"android:minSdkVersion": 21}),
        El("application", {}, [El("meta-data", {"android:name": "k", "android:value": "v"})])])
    info = read_apk(apk(m, [dex(["Ljava/lang/Object;"])]))
    assert info.manifest_read and info.meta_data == {"k": "v"}


@pytest.mark.parametrize("generation", ["1.1", "2.0", "2.1", "2.2", None])
def test_fixture_apks_pass_the_real_android_tools(generation):
    """aapt decodes each manifest and dexdump accepts each dex (checksum, header, tables)."""
    import shutil

    from apkkit import verify
    from conftest import IN_CI

    missing = [t for t in ("aapt", "dexdump") if not shutil.which(t)]
    if missing:
        if IN_CI:
            pytest.fail(f"{', '.join(missing)} missing in CI (.ci/run installs Debian's aapt and dexdump)")
        pytest.skip(f"{', '.join(missing)} not installed (apt install aapt dexdump)")
    assert verify(host_apk("com.maker.door", generation, split_dex=True)) == []
    assert verify(wmpf_apk("2.2.0", 9020017)) == []


class _BytesCtx:
    """A stand-in context whose `dd` commands answer from bytes, as a shell v2 device would."""

    def __init__(self, data: bytes):
        self.data, self.commands = data, []

    def run(self, cmd, timeout=None):
        from devdoctor.sources.device import CommandResult

        self.commands.append(cmd)
        skip = int(cmd.split("skip=")[1].split()[0])
        count = int(cmd.split("count=")[1].split()[0])
        chunk = self.data[skip * 4096:(skip + count) * 4096]
        return CommandResult(cmd, "", raw_stdout=chunk)


@settings(max_examples=150, deadline=None)
@given(st.binary(min_size=1, max_size=70000), st.lists(st.tuples(st.integers(0, 80000), st.integers(0, 30000)),
                                                        max_size=12))
def test_device_file_reads_the_same_bytes(data, reads):
    from devdoctor.sources.device_apk import DeviceFile

    f = DeviceFile(_BytesCtx(data), "/data/app/x/base.apk", len(data))  # type: ignore[arg-type]
    for at, n in reads:
        f.seek(at)
        assert f.read(n) == data[at:at + n]


def test_ranged_read_of_a_big_apk_fetches_little():
    from devdoctor.sources.device_apk import DeviceFile

    data = wmpf_apk("2.2.0", 9020017, padding=9 * 1024 * 1024)
    ctx = _BytesCtx(data)
    f = DeviceFile(ctx, "/data/app/com.tencent.wmpf-1/base.apk", len(data))  # type: ignore[arg-type]
    info = read_apk(f, with_dex=False)
    assert info.meta_data["com.tencent.wmpf.BuildInfo.BUILD_WMPF_VERSION_NAME"] == "2.2.0"
    assert f.fetched < 64 * 1024 and len(ctx.commands) <= 3


@given(st.lists(st.text(alphabet="abwmpfWMPF/;L.$", min_size=1, max_size=12), min_size=1, max_size=40))
@settings(max_examples=80, deadline=None)
def test_strings_asked_for_are_exactly_those_holding_the_needle(strings):
    data = dex(strings)
    every, _ = dex_strings(data)
    some, problems = dex_strings(data, b"wmpf")
    assert not problems
    assert sorted(some) == sorted(s for s in every if "wmpf" in s.lower())


def test_every_dex_marker_holds_the_needle_the_host_dex_is_read_for():
    from devdoctor.parsers.wmpf_cli import ANY_CLI, AT_LEAST, BELOW, DEX_NEEDLE

    markers = [w for _, w, where in AT_LEAST + BELOW if where in ("dex", "class")] + list(ANY_CLI)
    assert all(DEX_NEEDLE.decode() in m.lower() for m in markers)


def test_a_filtered_read_tells_the_same_generation_and_counts_every_dex():
    data = host_apk("com.maker.door", "2.2", split_dex=True)
    whole, filtered = read_apk(data), read_apk(data, strings_containing=b"wmpf")
    assert filtered.dex_files == whole.dex_files == ["classes.dex", "classes2.dex"]
    assert fingerprint(filtered).range.label == fingerprint(whole).range.label == ">= 2.2"


def test_the_same_apk_read_twice_is_decoded_once_and_each_reading_is_its_own(monkeypatch):
    """A fleet's devices hold the same APKs: the manifest is decoded once, and no device's reading shares
    lists with another's."""
    import devdoctor.parsers.apk as apk_parser

    data = wmpf_apk("2.2.0", 9020017)
    decoded = []
    real = apk_parser.decode_manifest
    monkeypatch.setattr(apk_parser, "decode_manifest", lambda raw: decoded.append(1) or real(raw))
    apk_parser._MANIFESTS.clear()
    first, second = read_apk(data, with_dex=False), read_apk(data, with_dex=False)
    assert len(decoded) == 1
    assert (first.package, first.version_name, first.meta_data) == (second.package, second.version_name,
                                                                    second.meta_data) and first.manifest_read
    first.meta_data.clear()
    first.services.append("com.example.Other")
    assert second.meta_data and "com.example.Other" not in read_apk(data, with_dex=False).services
    other = host_apk("com.example.doorbell", "2.1")
    assert read_apk(other, with_dex=False).package != first.package and len(decoded) == 2
