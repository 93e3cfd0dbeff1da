"""The README is a promise: its first two commands, and its example check, must stay true."""
import re

from conftest import ROOT, cli


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_install_and_test_commands():
    first_block = re.search(r"```sh\n(.*?)```", readme(), re.S).group(1).strip().splitlines()
    assert len(first_block) == 2
    assert "pip install ." in first_block[0] and first_block[0].endswith("devdoctor run --demo")
    assert first_block[1] == (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1].replace(" -q -e", " -e")


def test_readme_example_check_runs_as_a_drop_in(tmp_path):
    code = re.search(r"```python\n(.*?)```", readme(), re.S).group(1)
    (tmp_path / "uptime.py").write_text(code, encoding="utf-8")
    r = cli("run", "--demo", "--only", "uptime", "--checks-dir", tmp_path, "-v")
    # The bundled recording never ran `cat /proc/uptime`: the example check must say so, not crash,
    # and the run exits 4 (a check could not tell), never 0.
    assert r.returncode == 4, r.stderr
    assert "Uptime" in r.stdout and "not recorded: cat /proc/uptime" in r.stdout
