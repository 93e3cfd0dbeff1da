"""WMPF version strings as devices show them, wmpf-cli ranges, and the pair rule (FAQ 4.8)."""
from __future__ import annotations

import pytest
from packaging.version import Version

from devdoctor.wmpf.version import CliRange, judge_pair, parse_version_name, version_from_code, wmpf_version


@pytest.mark.parametrize("name, code, expected", [
    ("2.1.0", 9010017, "2.1.0"),
    ("2.2.0", None, "2.2.0"),
    ("2.1.0-rc1", 9010011, "2.1.0"),  # suffixes after the number are not part of the version
    ("v2.2.0.4c1d2e", 9020017, "2.2.0"),
    ("2.2.0 (9020017)", 9020017, "2.2.0"),
    ("1.1.3", 8011003, "1.1.3"),
    ("1.1.5-IoT", None, "1.1.5"),
    (" 2.1.1\r", 9010117, "2.1.1"),  # CR left by an old PTY shell
    (None, 9010017, "2.1.0"),  # versionCode only: the vendor's scheme
    ("", 9020017, "2.2.0"),
    (None, 9030017, "2.3.0"),
    ("7.0.10.51", 411, None),  # an early WeChat-style build name: not a WMPF version, code too low
    ("7.0.9.48", 9010017, "2.1.0"),  # WeChat-style name, but a 2.x code: the code decides
    ("WMPF", 9020017, "2.2.0"),
    (None, 8011003, None),  # 1.x codes follow no published scheme
    (None, None, None),
    ("abc", None, None),
    (None, 99999999, None),  # not the 90MMpp17 scheme
])
def test_wmpf_version(name, code, expected):
    v = wmpf_version(name, code)
    assert (str(v) if v else None) == expected


def test_version_parts():
    assert parse_version_name("2.1") == Version("2.1")
    assert parse_version_name("2") is None
    assert version_from_code(9010001) == Version("2.1.0")
    assert version_from_code(9010000) is None


@pytest.mark.parametrize("low, high, label", [
    ("2.1.0", "2.2.0", "2.1.x"),
    ("2.2.0", None, ">= 2.2"),
    ("1.1.0", "2.0.0", "1.x (>= 1.1)"),
    ("1.0.0", "2.0.0", "1.x"),
    ("0.1.8", "1.1.0", ">= 0.1, < 1.1"),
])
def test_cli_range_label(low, high, label):
    assert CliRange(Version(low), Version(high) if high else None).label == label


def cli(low, high=None):
    return CliRange(Version(low), Version(high) if high else None)


@pytest.mark.parametrize("wmpf, rng, status, rule, upgrade, target", [
    ("2.1.0", cli("2.1.0", "2.2.0"), "pass", "match", [], ""),
    ("2.2.0", cli("2.2.0"), "pass", "match", [], ""),
    ("2.3.0", cli("2.2.0"), "pass", "match", [], ""),  # ">= 2.2" may well be 2.3: no proof of a mismatch
    ("2.1.0", cli("2.2.0"), "warn", "minor-differs", ["WMPF"], "2.2.0"),
    ("2.2.0", cli("2.1.0", "2.2.0"), "warn", "minor-differs", ["wmpf-cli"], "2.2.0"),
    ("2.0.0", cli("2.2.0"), "fail", "v2-needs-2.1", ["WMPF"], "2.2.0"),
    ("2.2.0", cli("2.0.0", "2.1.0"), "fail", "v2-needs-2.1", ["wmpf-cli"], "2.2.0"),
    ("2.0.0", cli("2.0.0", "2.1.0"), "fail", "v2-needs-2.1", ["WMPF", "wmpf-cli"], "2.2.0"),
    ("1.1.3", cli("1.1.0", "2.0.0"), "fail", "wmpf-too-old", ["WMPF"], "2.2.0"),
    ("1.1.3", cli("2.2.0"), "fail", "wmpf-too-old", ["WMPF"], "2.2.0"),
    ("2.2.0", cli("1.1.0", "2.0.0"), "warn", "v1-beside-2.x", ["wmpf-cli"], "2.2.0"),
    ("1.1.5", cli("1.1.0", "2.0.0"), "pass", "match", [], ""),
    ("1.2.0", cli("1.1.0", "2.0.0"), "pass", "match", [], ""),
])
def test_judge_pair(wmpf, rng, status, rule, upgrade, target):
    v = judge_pair(Version(wmpf), rng)
    assert (v.status, v.rule, v.upgrade, v.target) == (status, rule, upgrade, target)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=40)), st.one_of(st.none(), st.integers(-2**63, 2**63)))
def test_wmpf_version_never_raises(name, code):
    v = wmpf_version(name, code)
    assert v is None or v.major < 7


@settings(max_examples=200, deadline=None)
@given(st.sets(st.sampled_from([
    "Lcom/tencent/wmpf/cli/api/WMPF;", "WMPFCli.Info", "WMPFCLI.WMPFInfo", "WMPF.CLI.TaskImpl",
    "Lcom/tencent/wmpf/cli/api/WMPFApiException;", "Lcom/tencent/wmpf/app/WMPFClientProvider;",
    "Lcom/tencent/wmpf/x/WMPFLifeCircleManager;", "Lcom/tencent/wmpf/cli/model/WMPFProcessStrategy;",
    "Lcom/tencent/wmpf/cli/task/pb/WMPFIPCInvoker;", "L;", "", "Lcom/tencent/wmpf/;"]) | st.text(max_size=20)),
       st.lists(st.sampled_from(["com.tencent.wmpf.app.WMPFBoot$WMPFCliMainProcessService",
                                 "com.tencent.wmpf.app.WMPFBoot$MainProcessService",
                                 "com.tencent.wmpf.app.WMPFApplication$MainProcessService"]), max_size=3),
       st.booleans())
def test_fingerprint_ranges_are_consistent(strings, services, queries):
    """Whatever mix of markers an app shows, the range is never empty and the verdict never raises."""
    from devdoctor.parsers.apk import ApkInfo
    from devdoctor.parsers.wmpf_cli import fingerprint

    info = ApkInfo(strings=set(strings), services=services, dex_files=["classes.dex"],
                   queries_providers=["com.tencent.wmpf.comm.provider"] if queries else [])
    fp = fingerprint(info)
    if fp.range is not None:
        assert fp.range.high is None or fp.range.high > fp.range.low
        assert fp.range.label
        judge_pair(Version("2.2.0"), fp.range)
