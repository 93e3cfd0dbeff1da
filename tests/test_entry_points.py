"""Check plugins are found by their entry points without importlib.metadata on the start path; the same
ones as importlib.metadata finds, a third party's included."""
import json
import os
import subprocess
import sys
from importlib.metadata import entry_points as from_metadata

from devdoctor.core.entry_points import entry_points

PLUGIN = '''
from devdoctor.check import Check
from devdoctor.result import CheckResult


class Doorbell(Check):
    id = "acme-doorbell"
    title = "ACME doorbell"

    def run(self, ctx):
        return CheckResult.passed("fine")
'''


def test_the_same_entry_points_as_importlib_metadata():
    for group in ("devdoctor.checks", "console_scripts"):
        ours = sorted((e.name, e.value) for e in entry_points(group))
        assert ours == sorted((e.name, e.value) for e in from_metadata(group=group))
    assert len(entry_points("devdoctor.checks")) >= 10


def _ids_with(path) -> dict:
    code = ("import json; from devdoctor.core.plugins import load; c = load(); "
            "print(json.dumps({'ids': c.ids(), 'problems': [p.message for p in c.problems]}))")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(path), *filter(None, [os.environ.get("PYTHONPATH")])]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    return json.loads(out.stdout or "{}") or {"stderr": out.stderr}


def test_a_third_partys_installed_check_is_found(tmp_path):
    (tmp_path / "acme_checks.py").write_text(PLUGIN)
    info = tmp_path / "acme_checks-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("# installed by pip\n[console_scripts]\nacme = acme_checks:main\n\n"
                                           "[devdoctor.checks]\ndoorbell = acme_checks:Doorbell\n")
    # a second copy of the same distribution further along sys.path is not read (the first one wins)
    later = tmp_path / "later"
    (later / "Acme.Checks-0.9.dist-info").mkdir(parents=True)
    (later / "Acme.Checks-0.9.dist-info" / "entry_points.txt").write_text("[devdoctor.checks]\nold = nowhere:Gone\n")
    got = _ids_with(f"{tmp_path}{os.pathsep}{later}")
    assert "acme-doorbell" in got["ids"] and "android-version" in got["ids"], got
    assert got["problems"] == []


def test_a_zip_on_the_path_is_read_by_importlib_metadata(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "acme.zip", "w") as z:
        z.writestr("acme_checks.py", PLUGIN)
        z.writestr("acme_checks-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n")
        z.writestr("acme_checks-1.0.dist-info/entry_points.txt", "[devdoctor.checks]\ndoorbell = acme_checks:Doorbell\n")
    got = _ids_with(tmp_path / "acme.zip")
    assert "acme-doorbell" in got["ids"], got
