"""The translation catalogs: find every user-visible string, add new ones to the .po files, list the
untranslated ones.

    python tools/i18n.py update     # add new strings (empty translation) to every catalog, drop gone ones
    python tools/i18n.py missing    # list strings without a translation; exit 1 when there are any
    python tools/i18n.py import zh FILE.json   # add translations {"English": "中文", ...}
    python tools/i18n.py escapes    # list user-visible literals that bypass _(); exit 1 when there are any
    devdoctor fix --lang zh 2>&1 | python tools/i18n.py english   # lines of output left in English

Strings are found in devdoctor/ and checks/: the first argument of `_()`, `N_()`, `ngettext()`, and
the `title`/`description`/`explanation`/`looks_at` of every class (a Check's texts are shown translated).
The source scan cannot see text built at run time (click's own messages, a table's cells), so the
tests also render every command in Chinese and look for English lines in what a technician reads
(`english_lines`, tests/test_zh_everywhere.py).
"""
from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "devdoctor", ROOT / "checks"]
CLASS_TEXTS = ("title", "description", "explanation", "looks_at")
sys.path.insert(0, str(ROOT))

from devdoctor.ui.i18n import LANGUAGES, po_path, read_po  # noqa: E402


@dataclass
class Message:
    msgid: str
    plural: str | None = None
    where: list[str] = field(default_factory=list)


def _const(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def messages_in(path: Path, root: Path = ROOT) -> list[tuple[str, str | None, int]]:
    """(msgid, plural, line) for every translatable string in one Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            name, first = node.func.id, _const(node.args[0])
            if name in ("_", "N_") and first:
                found.append((first, None, node.lineno))
            elif name == "ngettext" and first and len(node.args) > 1 and _const(node.args[1]):
                found.append((first, _const(node.args[1]), node.lineno))
        elif isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                        and stmt.targets[0].id in CLASS_TEXTS and _const(stmt.value)):
                    found.append((_const(stmt.value), None, stmt.lineno))
    return found


# Calls whose first argument (or `text=`/`note=`/`summary=`) a user reads.
SINK_NAMES = {"_fail", "echo", "print", "Text", "update", "status", "Remedy", "Evidence", "evidence", "LoadProblem",
              "ConfigError", "FixtureError", "UsageError", "BadParameter", "passed", "warn", "fail", "unknown",
              "skipped", "say"}
_PROSE = re.compile(r"[A-Za-z]{2,}[^{}]* [^{}]*[A-Za-z]{2,}")


def _literal_prose(node: ast.AST) -> str | None:
    """The text of a plain or f-string literal that reads as words (not a command or an identifier)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    else:
        return None
    return text if _PROSE.search(text) else None


# The device simulator is a developer's tool: its protocol and fault-syntax messages stay English.
LINT_EXEMPT = ("devdoctor/simulator/",)


def escapes(path: Path) -> list[tuple[int, str]]:
    """(line, text) of user-visible literals in one file that do not go through `_()`."""
    if any(part in path.as_posix() for part in LINT_EXEMPT):
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out = []
    for node in ast.walk(tree):
        args: list[ast.AST] = []
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            args = node.exc.args[:1]
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in SINK_NAMES:
                args = list(node.args[:2] if name in ("LoadProblem", "evidence") else node.args[:1])
                if name == "evidence":
                    args = node.args[2:3]
                args += [k.value for k in node.keywords if k.arg in ("text", "note", "summary", "help")]
            elif name in ("Option", "Argument", "command", "Typer"):
                args = [k.value for k in node.keywords if k.arg == "help"]
        for a in args:
            text = _literal_prose(a)
            if text:
                out.append((a.lineno, text))
    return out


# A word: 4+ letters, not part of a package name, path, option or identifier (com.tencent.wmpf,
# /sdcard/x, --clear-cache, versionCode=3). Product names are no English to translate.
_WORD = re.compile(r"(?<![-./\w])[A-Za-z]{4,}(?![\w./])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
KEPT_NAMES = ("WMPF", "VoIP")


def english_lines(text: str, commands: tuple[str, ...] = ("$", "adb ")) -> list[str]:
    """Lines that read as untranslated English: two or more plain words of 4+ letters and no Chinese
    character. A command shown to be typed (a line starting with one of `commands`) is not prose."""
    found = []
    for line in text.splitlines():
        bare = line
        for name in KEPT_NAMES:
            bare = bare.replace(name, "")
        if _CJK.search(line) or line.strip().startswith(commands):
            continue
        if len(_WORD.findall(bare)) >= 2:
            found.append(line.strip())
    return found


def collect(sources: list[Path] = SOURCES) -> dict[str, Message]:
    out: dict[str, Message] = {}
    for src in sources:
        for path in sorted(src.rglob("*.py")):
            for msgid, plural, line in messages_in(path):
                m = out.setdefault(msgid, Message(msgid, plural))
                m.where.append(f"{path.relative_to(ROOT).as_posix()}:{line}")
    return out


def _quote(s: str) -> str:
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    if "\n" not in s:
        return f'"{s}"'
    parts = s.split("\n")
    return '""\n' + "\n".join(f'"{p}\\n"' for p in parts[:-1]) + (f'\n"{parts[-1]}"' if parts[-1] else "")


HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: devdoctor\\n"\n"Language: {lang}\\n"\n'
          '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n')


def render_po(lang: str, messages: dict[str, Message], translations: dict[str, list[str]]) -> str:
    blocks = [HEADER.format(lang=po_path(lang).parts[-3])]
    for m in sorted(messages.values(), key=lambda m: m.where[0]):
        forms = translations.get(m.msgid, [""])
        lines = [f"#: {' '.join(m.where)}", f"msgid {_quote(m.msgid)}"]
        if m.plural is not None:
            lines += [f"msgid_plural {_quote(m.plural)}", f"msgstr[0] {_quote(forms[0])}"]
        else:
            lines.append(f"msgstr {_quote(forms[0])}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def catalog(lang: str) -> dict[str, list[str]]:
    path = po_path(lang)
    return read_po(path.read_text(encoding="utf-8")) if path.exists() else {}


def missing(lang: str, messages: dict[str, Message] | None = None) -> list[Message]:
    """Strings of the source that `lang`'s catalog does not translate."""
    messages = collect() if messages is None else messages
    have = catalog(lang)
    return [m for m in messages.values() if not (have.get(m.msgid) or [""])[0]]


def update() -> None:
    messages = collect()
    for lang in LANGUAGES:
        if lang == "en":
            continue
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_po(lang, messages, catalog(lang)), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(messages)} strings, {len(missing(lang, messages))} untranslated")


def import_translations(lang: str, mapping: dict[str, str]) -> None:
    """Add translations (msgid -> text) to `lang`'s catalog, e.g. from a translator's JSON file."""
    have = catalog(lang)
    have.update({k: [v] for k, v in mapping.items() if v})
    po_path(lang).write_text(render_po(lang, collect(), have), encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["import"] and len(argv) == 3:
        import json

        import_translations(argv[1], json.loads(Path(argv[2]).read_text(encoding="utf-8")))
        return main(["missing"])
    if argv[:1] == ["escapes"]:
        found = [(p, ln, t) for src in SOURCES for p in sorted(src.rglob("*.py")) for ln, t in escapes(p)]
        for p, ln, t in found:
            print(f"{p.relative_to(ROOT)}:{ln}\t{t!r}")
        return 1 if found else 0
    if argv[:1] == ["english"]:
        lines = english_lines(sys.stdin.read())
        for line in lines:
            print(line)
        return 1 if lines else 0
    if argv[:1] == ["missing"]:
        todo = [(lang, m) for lang in LANGUAGES if lang != "en" for m in missing(lang)]
        for lang, m in todo:
            print(f"{lang}\t{m.where[0]}\t{m.msgid!r}")
        return 1 if todo else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
