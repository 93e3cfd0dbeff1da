"""`devdoctor explain ID`: the long story of a check, a FAQ section, in both languages."""
from conftest import cli


def test_explain_a_check_says_what_it_means_the_faq_and_how_to_fix_it():
    r = cli("explain", "wmpf-installed", "--lang", "en")
    assert r.returncode == 0
    out = r.stdout
    assert out.startswith("WMPF Service installed (wmpf-installed)")
    assert "What it means and why it matters:" in out and "bridge not found (FAQ 4.5)" in out
    assert "What it looks at on the device: dumpsys package com.tencent.wmpf" in out
    assert "adb install -r wmpf-arm64" in out  # a remedy it gave on a bundled recording
    assert "FAQ 4.5: WMPF calls back onBridgeNotFound, or says bridge not found" in out
    assert "fail 1: no-wmpf-a10-tablet" in out
    assert "healthy-a9-panel" not in out  # the passing recordings are counted, not listed


def test_explain_in_chinese_quotes_the_faq_titles():
    r = cli("explain", "android-version", "--lang", "zh")
    assert r.returncode == 0
    assert "Android 版本 (android-version)" in r.stdout and "主板厂商" in r.stdout
    assert "常见问题 4.7:WMPF ActivateDevice 报错 10013 request timeout" in r.stdout


def test_explain_a_faq_section_and_list_what_can_be_explained():
    section = cli("explain", "4.5", "--lang", "en").stdout
    assert "4.5: WMPF calls back onBridgeNotFound" in section
    assert "wmpf-installed" in section and "bridge-not-found" in section  # what in devdoctor points at it
    listed = cli("explain", "--lang", "en").stdout
    assert {"android-version", "wmpf-installed", "4.5"} <= set(listed.split())
    assert listed.index("Checks:") < listed.index("WMPF FAQ sections:")
    assert listed.index("  4.2 ") < listed.index("  4.10 ")  # sections in reading order
    assert "  wmpf-installed" in listed and "WMPF Service installed" in listed


def test_explain_something_unknown():
    r = cli("explain", "no-such-thing", "--lang", "en")
    assert r.returncode == 2 and "nothing to explain under 'no-such-thing'" in r.stderr
    assert "wmpf-installed" in r.stderr and "Traceback" not in r.stderr


def test_a_remedy_citing_several_faq_sections_names_each():
    from devdoctor.ui.faq import sections

    assert sections("4.5, 4.8") == ["4.5", "4.8"] and sections("4.2") == ["4.2"] and sections("") == []
