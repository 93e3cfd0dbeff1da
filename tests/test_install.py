"""A user's install: `pip install .` (not editable) into a fresh virtual environment gives the
`devdoctor` command and `python -m devdoctor`, both with the built-in checks and bundled recordings."""
import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    src = tmp_path_factory.mktemp("src") / "devdoctor"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "*.egg-info", "build", "__pycache__", ".venv"))
    r = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "-q", str(src)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    return bindir


def test_installed_command_lists_builtin_checks(installed):
    for argv in ([str(installed / "devdoctor")], [str(installed / "python"), "-m", "devdoctor"]):
        r = subprocess.run([*argv, "list"], capture_output=True, text=True, cwd=installed)
        assert r.returncode == 0, r.stderr
        assert "android-version" in r.stdout and "wmpf-installed" in r.stdout


def test_installed_demo_shows_a_real_report(installed):
    r = subprocess.run([str(installed / "devdoctor"), "run", "--demo"], capture_output=True, text=True,
                       cwd=installed, env=dict(os.environ, NO_COLOR="1"))
    assert r.returncode in (0, 1), r.stderr
    assert "replay of" in r.stdout and "WMPF Service installed" in r.stdout
