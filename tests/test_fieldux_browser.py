"""The support page in a real headless browser (Debian's `chromium`), at a phone's width: it renders,
shows the verdicts, and nothing is wider than the screen."""
import re
import shutil
import struct
import subprocess

import pytest

from conftest import FIXTURES, IN_CI, cli

PHONE = (412, 915)  # CSS pixels of a common Android phone


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if IN_CI:
        pytest.fail("chromium is missing in CI (apt-get install chromium fonts-noto-cjk)")
    pytest.skip("no chromium here (apt-get install chromium fonts-noto-cjk)")


def _chromium(*args, timeout=60):
    return subprocess.run([_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           f"--window-size={PHONE[0]},{PHONE[1]}", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    d = tmp_path_factory.mktemp("page")
    path = d / "report.html"
    cli("run", "--replay", FIXTURES / "no-wmpf-a10-tablet.json", "--report", path, "--lang", "en")
    return path


def test_the_page_renders_to_a_phone_sized_screenshot(page, tmp_path):
    shot = tmp_path / "shot.png"
    _chromium(f"--screenshot={shot}", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == PHONE
    assert len(data) > 30_000  # text and colour, not a blank page


def test_the_browser_sees_the_verdicts_and_no_serial(page):
    dom = _chromium("--dump-dom", page.as_uri()).stdout
    assert "WMPF Service (com.tencent.wmpf) is not installed" in dom and "(WMPF FAQ 4.5)" in dom
    assert "MT8168TB9Q0355" not in dom


def test_nothing_is_wider_than_the_screen(page, tmp_path):
    # a copy of the page, evidence opened, that writes its widths into the DOM (the page runs no script);
    # headless chromium lays --dump-dom out at least 500 px wide, the screenshot above at 412
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("<details>", "<details open>").replace(
        "</body>", "<script>document.body.setAttribute('data-width', document.documentElement.scrollWidth + "
                   "' ' + window.innerWidth)</script></body>"), encoding="utf-8")
    dom = _chromium("--dump-dom", probe.as_uri()).stdout
    m = re.search(r'data-width="(\d+) (\d+)"', dom)
    assert m, dom[:300]
    content, screen = int(m.group(1)), int(m.group(2))
    assert content <= screen <= 600
